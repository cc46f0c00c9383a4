using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>Turns Roslyn locations into the plain <see cref="SourceSpan"/> data the pipeline carries.</summary>
internal static class SourceSpans
{
    public static SourceSpan? From(Location? location)
    {
        if (location is null || !location.IsInSource)
        {
            return null;
        }

        FileLinePositionSpan lines = location.GetLineSpan();
        return new SourceSpan(
            lines.Path ?? string.Empty,
            location.SourceSpan.Start,
            location.SourceSpan.Length,
            lines.StartLinePosition.Line,
            lines.StartLinePosition.Character,
            lines.EndLinePosition.Line,
            lines.EndLinePosition.Character);
    }

    public static SourceSpan? From(SyntaxNode? node) => From(node?.GetLocation());

    public static SourceSpan? From(IOperation operation) => From(operation.Syntax);
}
