namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// One row of a thread's 8x8 block of C, held in registers. Named fields instead of an array:
/// ILGPU keeps struct fields in registers, while an indexed local array would live in slow local memory.
/// </summary>
internal struct MicroRow
{
    public float C0, C1, C2, C3, C4, C5, C6, C7;

    /// <summary>Adds <paramref name="a"/> times eight values of a B row (two float4 halves).</summary>
    public void MultiplyAdd(float a, Float4 low, Float4 high)
    {
        C0 += a * low.X;
        C1 += a * low.Y;
        C2 += a * low.Z;
        C3 += a * low.W;
        C4 += a * high.X;
        C5 += a * high.Y;
        C6 += a * high.Z;
        C7 += a * high.W;
    }
}

/// <summary>
/// A thread's 8x8 accumulator block: rows 0-3 and 4-7 sit 64 rows apart in the group's tile, and
/// so do columns 0-3 and 4-7, which keeps each warp's float4 shared-memory reads free of bank conflicts.
/// </summary>
internal struct MicroTile
{
    public MicroRow R0, R1, R2, R3, R4, R5, R6, R7;

    /// <summary>One rank-1 update: 8 values of an A column times 8 values of a B row (64 FMAs).</summary>
    public void Update(Float4 aLow, Float4 aHigh, Float4 bLow, Float4 bHigh)
    {
        R0.MultiplyAdd(aLow.X, bLow, bHigh);
        R1.MultiplyAdd(aLow.Y, bLow, bHigh);
        R2.MultiplyAdd(aLow.Z, bLow, bHigh);
        R3.MultiplyAdd(aLow.W, bLow, bHigh);
        R4.MultiplyAdd(aHigh.X, bLow, bHigh);
        R5.MultiplyAdd(aHigh.Y, bLow, bHigh);
        R6.MultiplyAdd(aHigh.Z, bLow, bHigh);
        R7.MultiplyAdd(aHigh.W, bLow, bHigh);
    }
}
