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

    /// <summary>
    /// The Roslyn diagnostic. With the compilation at hand the location is a real source location, so
    /// <c>#pragma warning disable</c> and per-file .editorconfig settings apply to it as to compiler warnings.
    /// </summary>
    public Diagnostic ToDiagnostic(Compilation? compilation = null)
    {
        DiagnosticDescriptor descriptor = DiagnosticDescriptors.Find(Id) ?? DiagnosticDescriptors.InternalError;
        return Diagnostic.Create(descriptor, ToLocation(compilation), Arguments.Cast<object>().ToArray());
    }

    private Location ToLocation(Compilation? compilation)
    {
        if (Span is null)
        {
            return Location.None;
        }

        var textSpan = new TextSpan(Span.Start, Span.Length);
        SyntaxTree? tree = compilation?.SyntaxTrees.FirstOrDefault(t => t.FilePath == Span.FilePath);
        if (tree is not null && textSpan.End <= tree.Length)
        {
            return Location.Create(tree, textSpan);
        }

        return Location.Create(
            Span.FilePath,
            textSpan,
            new LinePositionSpan(new LinePosition(Span.StartLine, Span.StartCharacter), new LinePosition(Span.EndLine, Span.EndCharacter)));
    }
}
