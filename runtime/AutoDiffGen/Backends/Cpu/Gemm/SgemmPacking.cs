using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiffGen.Backends.Cpu.Gemm;

/// <summary>
/// Copies blocks of A and B into the layout the micro-kernels stream: a micro-panel of R rows (or columns) stores,
/// for each k, its R values next to each other, zero-padded past the matrix edge so the kernels never branch.
/// </summary>
internal static unsafe class SgemmPacking
{
    /// <summary>How many floats past a packed buffer <see cref="PackTransposed"/> may scribble on (it stores whole vectors).</summary>
    public const int Slack = 16;

    /// <summary>dst[k·R + r] = src[k·ld + r] for r &lt; width, 0 for width ≤ r &lt; R, for k in [0, count).</summary>
    public static void PackCopy(float* src, nint ld, int count, int width, int r, float* dst)
    {
        if (width == r && (r & 7) == 0 && Vector256.IsHardwareAccelerated)
        {
            for (int k = 0; k < count; k++, src += ld, dst += r)
            {
                for (int i = 0; i < r; i += 8)
                {
                    Vector256.Store(Vector256.Load(src + i), dst + i);
                }
            }

            return;
        }

        if (width == r && r >= 4 && Vector128.IsHardwareAccelerated)
        {
            // Copy in 4-float pieces; the last piece may overlap the one before it.
            for (int k = 0; k < count; k++, src += ld, dst += r)
            {
                int i = 0;
                for (; i <= r - 4; i += 4)
                {
                    Vector128.Store(Vector128.Load(src + i), dst + i);
                }

                if (i < r)
                {
                    Vector128.Store(Vector128.Load(src + r - 4), dst + r - 4);
                }
            }

            return;
        }

        for (int k = 0; k < count; k++, src += ld, dst += r)
        {
            int i = 0;
            for (; i < width; i++)
            {
                dst[i] = src[i];
            }

            for (; i < r; i++)
            {
                dst[i] = 0f;
            }
        }
    }

    /// <summary>
    /// dst[k·R + r] = src[r·ld + k] for r &lt; width, 0 for width ≤ r &lt; R, for k in [0, count): a transposing pack.
    /// <paramref name="zeros"/> must hold at least count + 8 zeros; up to <see cref="Slack"/> floats after the panel
    /// may be overwritten.
    /// </summary>
    public static void PackTransposed(float* src, nint ld, int count, int width, int r, float* dst, float* zeros)
    {
        int k = 0;
        if (Avx.IsSupported && count >= 8 && r == 4)
        {
            int blocks = count & ~7;
            float* p0 = Row(0), p1 = Row(1), p2 = Row(2), p3 = Row(3);
            for (int kb = 0; kb < blocks; kb += 8)
            {
                Transpose4x8AndStore(p0 + kb, p1 + kb, p2 + kb, p3 + kb, dst + (kb * 4));
            }

            k = blocks;
        }
        else if (Avx.IsSupported && count >= 8)
        {
            int blocks = count & ~7;

            // Eight rows at a time, highest group first: a group whose rows run past R stores zeros into the first
            // slots of the next k, which the lower groups (or later k) then overwrite with the real values.
            for (int group = (r - 1) & ~7; group >= 0; group -= 8)
            {
                float* p0 = Row(group), p1 = Row(group + 1), p2 = Row(group + 2), p3 = Row(group + 3);
                float* p4 = Row(group + 4), p5 = Row(group + 5), p6 = Row(group + 6), p7 = Row(group + 7);
                for (int kb = 0; kb < blocks; kb += 8)
                {
                    Transpose8x8AndStore(p0 + kb, p1 + kb, p2 + kb, p3 + kb, p4 + kb, p5 + kb, p6 + kb, p7 + kb, dst + (kb * r) + group, r);
                }
            }

            k = blocks;
        }

        for (; k < count; k++)
        {
            float* column = dst + (k * r);
            int i = 0;
            for (; i < width; i++)
            {
                column[i] = src[(i * ld) + k];
            }

            for (; i < r; i++)
            {
                column[i] = 0f;
            }
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        float* Row(int row) => row < width ? src + (row * ld) : zeros;
    }

    /// <summary>Four rows of eight floats to eight columns of four, stored contiguously (32 floats).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose4x8AndStore(float* r0, float* r1, float* r2, float* r3, float* dst)
    {
        Vector256<float> a0 = Avx.LoadVector256(r0), a1 = Avx.LoadVector256(r1), a2 = Avx.LoadVector256(r2), a3 = Avx.LoadVector256(r3);
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);

        // Each 128-bit half of sK now holds column K (low half) or K + 4 (high half).
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s1, 0x20));
        Avx.Store(dst + 8, Avx.Permute2x128(s2, s3, 0x20));
        Avx.Store(dst + 16, Avx.Permute2x128(s0, s1, 0x31));
        Avx.Store(dst + 24, Avx.Permute2x128(s2, s3, 0x31));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Transpose8x8AndStore(float* r0, float* r1, float* r2, float* r3, float* r4, float* r5, float* r6, float* r7, float* dst, nint stride)
    {
        Vector256<float> a0 = Avx.LoadVector256(r0), a1 = Avx.LoadVector256(r1), a2 = Avx.LoadVector256(r2), a3 = Avx.LoadVector256(r3);
        Vector256<float> a4 = Avx.LoadVector256(r4), a5 = Avx.LoadVector256(r5), a6 = Avx.LoadVector256(r6), a7 = Avx.LoadVector256(r7);

        // Interleave pairs of rows, then pairs of pairs, then swap 128-bit halves: the textbook 8×8 AVX transpose.
        Vector256<float> t0 = Avx.UnpackLow(a0, a1), t1 = Avx.UnpackHigh(a0, a1), t2 = Avx.UnpackLow(a2, a3), t3 = Avx.UnpackHigh(a2, a3);
        Vector256<float> t4 = Avx.UnpackLow(a4, a5), t5 = Avx.UnpackHigh(a4, a5), t6 = Avx.UnpackLow(a6, a7), t7 = Avx.UnpackHigh(a6, a7);
        Vector256<float> s0 = Avx.Shuffle(t0, t2, 0x44), s1 = Avx.Shuffle(t0, t2, 0xEE), s2 = Avx.Shuffle(t1, t3, 0x44), s3 = Avx.Shuffle(t1, t3, 0xEE);
        Vector256<float> s4 = Avx.Shuffle(t4, t6, 0x44), s5 = Avx.Shuffle(t4, t6, 0xEE), s6 = Avx.Shuffle(t5, t7, 0x44), s7 = Avx.Shuffle(t5, t7, 0xEE);
        Avx.Store(dst, Avx.Permute2x128(s0, s4, 0x20));
        Avx.Store(dst + stride, Avx.Permute2x128(s1, s5, 0x20));
        Avx.Store(dst + (2 * stride), Avx.Permute2x128(s2, s6, 0x20));
        Avx.Store(dst + (3 * stride), Avx.Permute2x128(s3, s7, 0x20));
        Avx.Store(dst + (4 * stride), Avx.Permute2x128(s0, s4, 0x31));
        Avx.Store(dst + (5 * stride), Avx.Permute2x128(s1, s5, 0x31));
        Avx.Store(dst + (6 * stride), Avx.Permute2x128(s2, s6, 0x31));
        Avx.Store(dst + (7 * stride), Avx.Permute2x128(s3, s7, 0x31));
    }
}
