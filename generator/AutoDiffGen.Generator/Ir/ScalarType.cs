namespace AutoDiffGen.Generator.Ir;

/// <summary>The value types the differentiable subset knows.</summary>
internal enum ScalarType
{
    Float,
    Double,
    Int,
    Bool,

    /// <summary>No value: a method that fills output spans instead of returning.</summary>
    Void,

    /// <summary>A value whose type the emitter lets C# infer (<c>var</c>), e.g. a pullback's gradient tuple.</summary>
    Inferred,
}

internal static class ScalarTypeExtensions
{
    /// <summary>Float and double values carry derivatives; ints and bools are data.</summary>
    public static bool IsDifferentiable(this ScalarType type) => type is ScalarType.Float or ScalarType.Double;

    public static string ToCSharp(this ScalarType type) => type switch
    {
        ScalarType.Float => "float",
        ScalarType.Double => "double",
        ScalarType.Int => "int",
        ScalarType.Bool => "bool",
        ScalarType.Void => "void",
        _ => "var",
    };
}
