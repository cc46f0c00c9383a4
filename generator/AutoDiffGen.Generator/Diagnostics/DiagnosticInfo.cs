using System.Linq;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace AutoDiffGen.Generator.Diagnostics;

/// <summary>A diagnostic as equatable data, so it can travel through cached pipeline steps.</summary>
internal sealed record DiagnosticInfo(string Id, SourceSpan? Span, EquatableArray<string> Arguments)
{
    public static DiagnosticInfo Create(DiagnosticDescriptor descriptor, SourceSpan? span, params string[] arguments) =>
        new(descriptor.Id, span, arguments.ToEquatableArray());

    public Diagnostic ToDiagnostic()
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.Find(Id) ?? DiagnosticDescriptors.InternalError;
        Location location = Span is null
            ? Location.None
            : Location.Create(
                Span.FilePath,
                new TextSpan(Span.Start, Span.Length),
                new LinePositionSpan(
                    new LinePosition(Span.StartLine, Span.StartCharacter),
                    new LinePosition(Span.EndLine, Span.EndCharacter)));
        return Diagnostic.Create(descriptor, location, Arguments.Cast<object>().ToArray());
    }
}
