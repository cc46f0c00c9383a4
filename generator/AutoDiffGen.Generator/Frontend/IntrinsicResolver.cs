using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>Recognises the <c>System.Math</c> and <c>System.MathF</c> functions of the differentiable subset.</summary>
internal static class IntrinsicResolver
{
    public static bool IsMathType(INamedTypeSymbol? type) =>
        type is not null
        && type.ContainingNamespace?.ToDisplayString() == "System"
        && (type.Name == "Math" || type.Name == "MathF");

    /// <summary>Whether <paramref name="method"/> is <c>AutoDiffGen.AutoDiff.StopGradient</c>.</summary>
    public static bool IsStopGradient(IMethodSymbol method) =>
        method.Name == "StopGradient" && method.Parameters.Length == 1
        && method.ContainingType is { Name: "AutoDiff" } type && type.ContainingNamespace?.ToDisplayString() == "AutoDiffGen";

    /// <summary>The intrinsic for a Math/MathF method with this many arguments, or null when unsupported.</summary>
    public static Intrinsic? Resolve(IMethodSymbol method)
    {
        int arity = method.Parameters.Length;
        return (method.Name, arity) switch
        {
            ("Sin", 1) => Intrinsic.Sin,
            ("Cos", 1) => Intrinsic.Cos,
            ("Tan", 1) => Intrinsic.Tan,
            ("Asin", 1) => Intrinsic.Asin,
            ("Acos", 1) => Intrinsic.Acos,
            ("Atan", 1) => Intrinsic.Atan,
            ("Atan2", 2) => Intrinsic.Atan2,
            ("Sinh", 1) => Intrinsic.Sinh,
            ("Cosh", 1) => Intrinsic.Cosh,
            ("Tanh", 1) => Intrinsic.Tanh,
            ("Exp", 1) => Intrinsic.Exp,
            ("Log", 1) => Intrinsic.Log,
            ("Log", 2) => Intrinsic.LogWithBase,
            ("Log2", 1) => Intrinsic.Log2,
            ("Log10", 1) => Intrinsic.Log10,
            ("Sqrt", 1) => Intrinsic.Sqrt,
            ("Cbrt", 1) => Intrinsic.Cbrt,
            ("Pow", 2) => Intrinsic.Pow,
            ("Abs", 1) => Intrinsic.Abs,
            ("Max", 2) => Intrinsic.Max,
            ("Min", 2) => Intrinsic.Min,
            ("Clamp", 3) => Intrinsic.Clamp,
            ("Sign", 1) => Intrinsic.Sign,
            ("Floor", 1) => Intrinsic.Floor,
            ("Ceiling", 1) => Intrinsic.Ceiling,
            ("Round", 1) => Intrinsic.Round,
            ("Truncate", 1) => Intrinsic.Truncate,
            _ => null,
        };
    }
}
