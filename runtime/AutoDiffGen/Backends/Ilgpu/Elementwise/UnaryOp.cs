namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>
/// Elementwise functions y = f(x) with their derivatives. Each notes what its gradient reads:
/// the input x, the output y, or neither.
/// </summary>
public enum UnaryOp
{
    /// <summary>y = -x; gradient reads neither.</summary>
    Negate,

    /// <summary>y = e^x; gradient reads y.</summary>
    Exp,

    /// <summary>y = ln x; gradient reads x.</summary>
    Log,

    /// <summary>y = sqrt x; gradient reads y.</summary>
    Sqrt,

    /// <summary>y = x^p for the scalar parameter p; gradient reads x.</summary>
    Pow,

    /// <summary>y = tanh x; gradient reads y.</summary>
    Tanh,

    /// <summary>y = 1 / (1 + e^-x); gradient reads y.</summary>
    Sigmoid,

    /// <summary>y = max(x, 0); gradient reads x (and passes dy where x &gt; 0).</summary>
    Relu,

    /// <summary>y = p * x for the scalar parameter p; gradient reads neither.</summary>
    Scale,
}
