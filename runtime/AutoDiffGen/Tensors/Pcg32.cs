using System;

namespace AutoDiffGen;

/// <summary>
/// The PCG32 generator (XSH-RR output, 64-bit state). Fixed here rather than <see cref="Random"/>, whose algorithm is
/// unspecified, so that a seed gives the same tensors on every run, runtime version and platform.
/// </summary>
internal struct Pcg32
{
    private const ulong Multiplier = 6364136223846793005UL;
    private ulong _state;
    private readonly ulong _increment;

    /// <summary>Starts the stream <paramref name="stream"/> of the generator at <paramref name="seed"/>.</summary>
    public Pcg32(ulong seed, ulong stream = 0x14057B7EF767814FUL)
    {
        _state = 0;
        _increment = (stream << 1) | 1;
        NextUInt32();
        _state += seed;
        NextUInt32();
    }

    /// <summary>The next 32 uniformly distributed bits.</summary>
    public uint NextUInt32()
    {
        ulong old = _state;
        _state = unchecked(old * Multiplier + _increment);
        uint xorShifted = (uint)(((old >> 18) ^ old) >> 27);
        int rotation = (int)(old >> 59);
        return (xorShifted >> rotation) | (xorShifted << ((-rotation) & 31));
    }

    /// <summary>A uniform double in (0, 1]: never 0, so its logarithm is finite.</summary>
    public double NextOpenUnit() => (NextUInt32() + 1.0) * (1.0 / 4294967296.0);

    /// <summary>A pair of independent standard normal values (Box-Muller, computed in double).</summary>
    public (double First, double Second) NextStandardNormalPair()
    {
        double radius = Math.Sqrt(-2.0 * Math.Log(NextOpenUnit()));
        double angle = 2.0 * Math.PI * NextOpenUnit();
        return (radius * Math.Cos(angle), radius * Math.Sin(angle));
    }
}
