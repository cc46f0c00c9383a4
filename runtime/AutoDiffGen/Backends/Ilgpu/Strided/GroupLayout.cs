namespace AutoDiffGen.Backends.Ilgpu.Strided;

/// <summary>
/// Scalar arguments of a grouped launch (a reduction, its max-routing backward, argmax): the input's index space is
/// split into <see cref="Outer"/> (the kept axes, reduced ones set to size 1) and <see cref="Inner"/> (the reduced axes,
/// kept ones set to size 1). Each output element is one group; a tensor's offset for (outer, inner) is
/// Strides.At(outer) + Strides.At(inner), since each index is 0 on the other's axes.
/// </summary>
internal struct GroupLayout
{
    /// <summary>Output elements (groups).</summary>
    public int Groups;

    /// <summary>Input elements per group.</summary>
    public int GroupSize;

    public Extent4 Outer;
    public Extent4 Inner;

    /// <summary>The input x.</summary>
    public Strides4 X;

    /// <summary>The reduced output y, aligned to the input's axes (0 along reduced ones).</summary>
    public Strides4 Y;

    /// <summary>Max backward: the upstream gradient, aligned like <see cref="Y"/>.</summary>
    public Strides4 Dy;

    /// <summary>Max backward: the input gradient, shaped like x.</summary>
    public Strides4 Dx;

    /// <summary>Factor on each result: 1/n for a mean, else 1.</summary>
    public float Scale;

    /// <summary>1 to add into the output instead of overwriting it.</summary>
    public int Accumulate;
}
