namespace AutoDiffGen.Generator.Ir;

/// <summary>One type declaration around the method, e.g. <c>static partial class</c> <c>Graph</c>.</summary>
/// <param name="Keyword">"class", "struct", "record", "record struct" or "interface".</param>
/// <param name="NameWithTypeParameters">The name as declared, e.g. <c>Cache&lt;T&gt;</c>.</param>
internal sealed record TypeDeclaration(string Keyword, string NameWithTypeParameters);

/// <summary>The type that declares the method, outermost type first.</summary>
internal sealed record ContainingType(string Namespace, EquatableArray<TypeDeclaration> Declarations, string FullyQualifiedName);

/// <summary>A parameter; <see cref="Array"/> is set for array and span parameters, whose <see cref="Type"/> is their element type.</summary>
internal sealed record ParameterIr(string Name, ScalarType Type, bool IsDifferentiable, SourceSpan? Span, ArrayType? Array = null)
{
    /// <summary>A <c>Span&lt;T&gt;</c> parameter the method fills: an output.</summary>
    public bool IsOutput => Array?.Kind == ArrayKind.Span;

    public string TypeCSharp => Array?.ToCSharp() ?? Type.ToCSharp();
}

/// <summary>A local; <see cref="Array"/> is set for local arrays, whose <see cref="Type"/> is their element type.</summary>
internal sealed record LocalIr(string Name, ScalarType Type, ArrayType? Array = null);

/// <summary>
/// A <c>[Differentiable]</c> method lowered out of Roslyn: the incremental cache boundary. Holds no
/// symbol, syntax node, location or compilation, only equatable data.
/// </summary>
internal sealed record MethodIr(
    ContainingType ContainingType,
    string Name,
    string Accessibility,
    bool IsStatic,
    ScalarType ReturnType,
    EquatableArray<ParameterIr> Parameters,
    EquatableArray<LocalIr> Locals,
    Block Body,
    SourceSpan? Span)
{
    /// <summary>A stable, unique name for this overload, e.g. <c>Activation(float, float, float)</c>.</summary>
    public string Signature => $"{Name}({string.Join(", ", System.Linq.Enumerable.Select(Parameters, p => p.TypeCSharp.Replace("global::System.", string.Empty)))})";

    /// <summary>Whether the method returns a value (else it fills output spans).</summary>
    public bool ReturnsValue => ReturnType != ScalarType.Void;
}
