using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Frontend;

internal static class ArrayTypes
{
    /// <summary>The IR array type of <c>T[]</c>, <c>T[,]</c>, <c>ReadOnlySpan&lt;T&gt;</c> or <c>Span&lt;T&gt;</c> of a scalar T, else null.</summary>
    public static ArrayType? From(ITypeSymbol? type)
    {
        switch (type)
        {
            case IArrayTypeSymbol array when array.Rank is 1 or 2 && ScalarTypes.From(array.ElementType) is { } element && element != ScalarType.Bool:
                return new ArrayType(element, array.Rank, ArrayKind.Array);
            case INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } named
                when named.ContainingNamespace?.ToDisplayString() == "System"
                && (named.Name == "ReadOnlySpan" || named.Name == "Span")
                && ScalarTypes.From(named.TypeArguments[0]) is { } spanElement && spanElement != ScalarType.Bool:
                return new ArrayType(spanElement, 1, named.Name == "Span" ? ArrayKind.Span : ArrayKind.ReadOnlySpan);
            default:
                return null;
        }
    }

    /// <summary>What to say about a collection type the subset does not support, or null for other types.</summary>
    public static string? CollectionAdvice(ITypeSymbol? type)
    {
        if (type is null)
        {
            return null;
        }

        string name = type.OriginalDefinition.ToDisplayString();
        return name switch
        {
            "System.Collections.Generic.List<T>" => "use T[] or Span<T> and index it in a for loop (List<T> cannot be differentiated)",
            "System.Collections.Generic.IEnumerable<T>" => "use T[] or ReadOnlySpan<T> and index it in a for loop (IEnumerable<T> cannot be differentiated)",
            "System.Collections.Generic.IList<T>" or "System.Collections.Generic.IReadOnlyList<T>" => "use T[] or ReadOnlySpan<T> (list interfaces cannot be differentiated)",
            _ when type is IArrayTypeSymbol { Rank: > 2 } => "flatten to T[] and compute the index (arrays of rank above 2 are not supported)",
            _ when type is IArrayTypeSymbol { ElementType: IArrayTypeSymbol } => "use T[,] or flatten to T[] (jagged arrays are not supported)",
            _ => null,
        };
    }
}
