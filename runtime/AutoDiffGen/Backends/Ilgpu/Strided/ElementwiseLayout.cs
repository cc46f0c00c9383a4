namespace AutoDiffGen.Backends.Ilgpu.Strided;

/// <summary>
/// Scalar arguments of one strided elementwise launch: the output's index space, every operand's strides in it, and
/// the constants an op reads. Offsets come from the views, which start at each operand's first element.
/// </summary>
internal struct ElementwiseLayout
{
    /// <summary>Elements of the output.</summary>
    public int Length;

    /// <summary>
    /// 1 when the output and every operand read are contiguous with the output's shape, so the offset of element i
    /// is i everywhere and the kernel skips the index arithmetic.
    /// </summary>
    public int Dense;

    public Extent4 Extent;
    public Strides4 Output;
    public Strides4 First;
    public Strides4 Second;
    public Strides4 Third;

    /// <summary>The fill value, the scalar operand, a copy's scale or AddScaled's alpha.</summary>
    public float Scalar;

    /// <summary>The exponent of Pow.</summary>
    public float Parameter;

    /// <summary>0 when both binary operands are tensors; 1 or 2 when the first or second is <see cref="Scalar"/>.</summary>
    public int ScalarOperand;

    /// <summary>1 to add into the output instead of overwriting it.</summary>
    public int Accumulate;

    /// <summary>For binary gradients: 0 for the gradient of the first operand, 1 for the second.</summary>
    public int Operand;
}
