namespace AutoDiffGen.Generator.Ir;

/// <summary>How an array-valued parameter or local is declared in C#.</summary>
internal enum ArrayKind
{
    /// <summary><c>T[]</c> or <c>T[,]</c>.</summary>
    Array,

    /// <summary><c>ReadOnlySpan&lt;T&gt;</c>: an input.</summary>
    ReadOnlySpan,

    /// <summary><c>Span&lt;T&gt;</c>: as a parameter, an output the method fills.</summary>
    Span,
}

/// <summary>The type of an array-valued parameter or local: element type, rank (1 or 2) and declaration kind.</summary>
internal sealed record ArrayType(ScalarType Element, int Rank, ArrayKind Kind)
{
    public string ToCSharp() => Kind switch
    {
        ArrayKind.ReadOnlySpan => $"global::System.ReadOnlySpan<{Element.ToCSharp()}>",
        ArrayKind.Span => $"global::System.Span<{Element.ToCSharp()}>",
        _ => Rank == 1 ? $"{Element.ToCSharp()}[]" : $"{Element.ToCSharp()}[,]",
    };

    /// <summary>The writable buffer type that holds this array's adjoint or tangent.</summary>
    public string ShadowCSharp() => Rank == 1 ? $"global::System.Span<{Element.ToCSharp()}>" : $"{Element.ToCSharp()}[,]";

    /// <summary>The read-only type of a seed or tangent input for this array.</summary>
    public string InputShadowCSharp() => Rank == 1 ? $"global::System.ReadOnlySpan<{Element.ToCSharp()}>" : $"{Element.ToCSharp()}[,]";

    public bool IsDifferentiable => Element.IsDifferentiable();
}
