namespace AutoDiffGen.Generator.Ir;

/// <summary>The <c>Math</c>/<c>MathF</c> functions the differentiable subset understands.</summary>
internal enum Intrinsic
{
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Atan2,
    Sinh,
    Cosh,
    Tanh,
    Exp,
    Log,
    LogWithBase,
    Log2,
    Log10,
    Sqrt,
    Cbrt,
    Pow,
    Abs,
    Max,
    Min,
    Clamp,

    // Piecewise constant: derivative zero wherever it exists.
    Sign,
    Floor,
    Ceiling,
    Round,
    Truncate,

    /// <summary><c>AutoDiff.StopGradient(x)</c>: x itself, with its derivative taken as zero.</summary>
    StopGradient,
}
