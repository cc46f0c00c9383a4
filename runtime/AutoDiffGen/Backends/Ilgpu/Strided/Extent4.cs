namespace AutoDiffGen.Backends.Ilgpu.Strided;

/// <summary>Per-axis indices of one element of a rank-4 index space, outermost first.</summary>
internal struct Index4
{
    public int I0;
    public int I1;
    public int I2;
    public int I3;
}

/// <summary>
/// The sizes of four axes, outermost first. Tensors of lower rank are padded with leading axes of size 1, so one
/// kernel serves every rank up to <see cref="Tensor.MaxRank"/>.
/// </summary>
internal struct Extent4
{
    public int D0;
    public int D1;
    public int D2;
    public int D3;

    public Extent4(int d0, int d1, int d2, int d3)
    {
        D0 = d0;
        D1 = d1;
        D2 = d2;
        D3 = d3;
    }

    /// <summary>Splits a row-major linear index into per-axis indices (every size must be at least 1).</summary>
    public readonly Index4 Split(int linear)
    {
        var index = default(Index4);
        index.I3 = linear % D3;
        linear /= D3;
        index.I2 = linear % D2;
        linear /= D2;
        index.I1 = linear % D1;
        index.I0 = linear / D1;
        return index;
    }
}

/// <summary>
/// Element strides of one operand along four axes, outermost first: 0 along an axis the operand is broadcast over.
/// Offsets are relative to the operand's first element (its view starts there).
/// </summary>
internal struct Strides4
{
    public int S0;
    public int S1;
    public int S2;
    public int S3;

    public Strides4(int s0, int s1, int s2, int s3)
    {
        S0 = s0;
        S1 = s1;
        S2 = s2;
        S3 = s3;
    }

    public readonly int At(Index4 index) => (index.I0 * S0) + (index.I1 * S1) + (index.I2 * S2) + (index.I3 * S3);
}
