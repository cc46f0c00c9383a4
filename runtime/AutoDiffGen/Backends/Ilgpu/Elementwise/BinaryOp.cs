namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>Elementwise functions c = f(a, b), with broadcasting of a row vector or a scalar.</summary>
public enum BinaryOp
{
    /// <summary>c = a + b.</summary>
    Add,

    /// <summary>c = a - b.</summary>
    Subtract,

    /// <summary>c = a * b.</summary>
    Multiply,

    /// <summary>c = a / b.</summary>
    Divide,

    /// <summary>c = max(a, b); NaN if a is NaN; on ties the gradient goes to a.</summary>
    Maximum,

    /// <summary>c = min(a, b); NaN if a is NaN; on ties the gradient goes to a.</summary>
    Minimum,
}

/// <summary>Which input of a binary op a gradient is for.</summary>
public enum BinaryOperand
{
    /// <summary>The left input, a.</summary>
    A,

    /// <summary>The right input, b.</summary>
    B,
}
