using System.Numerics;

namespace AutoDiffGen.Data;

/// <summary>
/// xoshiro256** (Blackman and Vigna), seeded through SplitMix64. Our own generator rather than
/// <see cref="System.Random"/>, whose sequence for a given seed is not promised across .NET versions:
/// a shuffle seeded with 42 must give the same batches on every machine and runtime.
/// </summary>
internal struct Xoshiro256StarStar
{
    private ulong _s0, _s1, _s2, _s3;

    /// <summary>Starts from an explicit state (not all zero); used to check the reference sequence.</summary>
    internal Xoshiro256StarStar(ulong s0, ulong s1, ulong s2, ulong s3)
    {
        if ((s0 | s1 | s2 | s3) == 0)
        {
            throw new System.ArgumentException("xoshiro256** state must not be all zero.");
        }

        _s0 = s0;
        _s1 = s1;
        _s2 = s2;
        _s3 = s3;
    }

    /// <summary>Seeds the four state words from consecutive SplitMix64 outputs, as the authors recommend.</summary>
    public static Xoshiro256StarStar FromSeed(ulong seed)
    {
        ulong splitMix = seed;
        // SplitMix64 never yields four zero words in a row, so the state is valid for every seed.
        return new Xoshiro256StarStar(
            SplitMix64(ref splitMix), SplitMix64(ref splitMix), SplitMix64(ref splitMix), SplitMix64(ref splitMix));
    }

    /// <summary>One SplitMix64 step: advances <paramref name="state"/> and returns the mixed output.</summary>
    public static ulong SplitMix64(ref ulong state)
    {
        ulong z = state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>The next 64 random bits.</summary>
    public ulong NextUInt64()
    {
        ulong result = BitOperations.RotateLeft(_s1 * 5, 7) * 9;
        ulong t = _s1 << 17;
        _s2 ^= _s0;
        _s3 ^= _s1;
        _s1 ^= _s2;
        _s0 ^= _s3;
        _s2 ^= t;
        _s3 = BitOperations.RotateLeft(_s3, 45);
        return result;
    }

    /// <summary>
    /// A uniform integer in [0, <paramref name="exclusiveBound"/>), without modulo bias
    /// (Lemire's multiply-and-reject method on the high 32 bits).
    /// </summary>
    public int NextInt32(int exclusiveBound)
    {
        System.Diagnostics.Debug.Assert(exclusiveBound > 0);
        uint bound = (uint)exclusiveBound;
        ulong product = (NextUInt64() >> 32) * bound;
        uint low = (uint)product;
        if (low < bound)
        {
            uint threshold = (0u - bound) % bound;
            while (low < threshold)
            {
                product = (NextUInt64() >> 32) * bound;
                low = (uint)product;
            }
        }

        return (int)(product >> 32);
    }
}
