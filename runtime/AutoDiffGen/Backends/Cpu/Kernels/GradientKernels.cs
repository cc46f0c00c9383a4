using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>
/// p0 (+)= TOp(dy = p1, v = p2): one unary backward kernel per op, vectorized at the widest accelerated width,
/// then narrower widths and a scalar tail, all sharing the op's one formula.
/// </summary>
internal unsafe struct UnaryGradientKernel<TOp> : IRowKernel
    where TOp : IUnaryGradient
{
    public bool Accumulate;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 == 1 && s1 == 1 && s2 == 1)
        {
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                i = Dense<Simd512, Vector512<float>>(i, n, p0, p1, p2);
            }

            if (Vector256.IsHardwareAccelerated)
            {
                i = Dense<Simd256, Vector256<float>>(i, n, p0, p1, p2);
            }

            if (Vector128.IsHardwareAccelerated)
            {
                i = Dense<Simd128, Vector128<float>>(i, n, p0, p1, p2);
            }

            Dense<ScalarSimd, float>(i, n, p0, p1, p2);
            return;
        }

        for (int i = 0; i < n; i++)
        {
            float g = TOp.Apply<ScalarSimd, float>(p1[i * s1], p2[i * s2]);
            p0[i * s0] = Accumulate ? p0[i * s0] + g : g;
        }
    }

    /// <summary>Runs the dense loop at one width from <paramref name="i"/>; returns where it stopped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly int Dense<TSimd, TVec>(int i, int n, float* dx, float* dy, float* v)
        where TSimd : ISimd<TVec>
        where TVec : struct
    {
        for (; i <= n - TSimd.Count; i += TSimd.Count)
        {
            TVec g = TOp.Apply<TSimd, TVec>(TSimd.Load(dy + i), TSimd.Load(v + i));
            if (Accumulate)
            {
                g = TSimd.Add(TSimd.Load(dx + i), g);
            }

            TSimd.Store(g, dx + i);
        }

        return i;
    }
}

/// <summary>
/// The gradient of one operand of a binary op: p0 (+)= TOp.GradientA or GradientB (dy = p1, a = p2, b = p3).
/// p0 has stride 1 (elementwise), or 0 when its operand was broadcast along this row, in which case the row's
/// contributions are summed into it (always adding: the caller zero-fills first when not accumulating).
/// </summary>
internal unsafe struct BinaryGradientKernel<TOp> : IRowKernel
    where TOp : IBinaryGradient
{
    public bool Accumulate;
    public bool SecondOperand;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        bool unitOrZero = s1 == 1 && (s0 == 1 || s0 == 0) && (s2 == 1 || s2 == 0) && (s3 == 1 || s3 == 0);
        if (!unitOrZero)
        {
            for (int k = 0; k < n; k++)
            {
                float g = Term<ScalarSimd, float>(p1[k * s1], p2[k * s2], p3[k * s3]);
                p0[k * s0] = Accumulate || s0 == 0 ? p0[k * s0] + g : g;
            }

            return;
        }

        int i = 0;
        if (s0 == 0)
        {
            float total = 0f;
            if (Vector512.IsHardwareAccelerated)
            {
                i = SumRow<Simd512, Vector512<float>>(i, n, ref total, p1, p2, s2, p3, s3);
            }

            if (Vector256.IsHardwareAccelerated)
            {
                i = SumRow<Simd256, Vector256<float>>(i, n, ref total, p1, p2, s2, p3, s3);
            }

            if (Vector128.IsHardwareAccelerated)
            {
                i = SumRow<Simd128, Vector128<float>>(i, n, ref total, p1, p2, s2, p3, s3);
            }

            SumRow<ScalarSimd, float>(i, n, ref total, p1, p2, s2, p3, s3);
            *p0 += total;
            return;
        }

        if (Vector512.IsHardwareAccelerated)
        {
            i = Dense<Simd512, Vector512<float>>(i, n, p0, p1, p2, s2, p3, s3);
        }

        if (Vector256.IsHardwareAccelerated)
        {
            i = Dense<Simd256, Vector256<float>>(i, n, p0, p1, p2, s2, p3, s3);
        }

        if (Vector128.IsHardwareAccelerated)
        {
            i = Dense<Simd128, Vector128<float>>(i, n, p0, p1, p2, s2, p3, s3);
        }

        Dense<ScalarSimd, float>(i, n, p0, p1, p2, s2, p3, s3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly TVec Term<TSimd, TVec>(TVec dy, TVec a, TVec b)
        where TSimd : ISimd<TVec>
        where TVec : struct
        => SecondOperand ? TOp.GradientB<TSimd, TVec>(dy, a, b) : TOp.GradientA<TSimd, TVec>(dy, a, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly int Dense<TSimd, TVec>(int i, int n, float* d, float* dy, float* a, nint sa, float* b, nint sb)
        where TSimd : ISimd<TVec>
        where TVec : struct
    {
        TVec aSplat = TSimd.Splat(*a), bSplat = TSimd.Splat(*b);
        for (; i <= n - TSimd.Count; i += TSimd.Count)
        {
            TVec g = Term<TSimd, TVec>(TSimd.Load(dy + i), sa == 0 ? aSplat : TSimd.Load(a + i), sb == 0 ? bSplat : TSimd.Load(b + i));
            if (Accumulate)
            {
                g = TSimd.Add(TSimd.Load(d + i), g);
            }

            TSimd.Store(g, d + i);
        }

        return i;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal readonly int SumRow<TSimd, TVec>(int i, int n, ref float total, float* dy, float* a, nint sa, float* b, nint sb)
        where TSimd : ISimd<TVec>
        where TVec : struct
    {
        TVec aSplat = TSimd.Splat(*a), bSplat = TSimd.Splat(*b);
        TVec sum = TSimd.Splat(0f);
        for (; i <= n - TSimd.Count; i += TSimd.Count)
        {
            sum = TSimd.Add(sum, Term<TSimd, TVec>(TSimd.Load(dy + i), sa == 0 ? aSplat : TSimd.Load(a + i), sb == 0 ? bSplat : TSimd.Load(b + i)));
        }

        total += TSimd.Sum(sum);
        return i;
    }
}

/// <summary>y = xᵖ: p0 (+)= dy·p·xᵖ⁻¹ (dy = p1, x = p2), one element at a time (Pow is rare on hot paths).</summary>
internal unsafe struct PowGradientKernel : IRowKernel
{
    public float Exponent;
    public bool Accumulate;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        for (int i = 0; i < n; i++)
        {
            float x = p2[i * s2];
            float slope = Exponent == 0f ? 0f : Exponent == 2f ? 2f * x : Exponent * MathF.Pow(x, Exponent - 1f);
            float g = p1[i * s1] * slope;
            p0[i * s0] = Accumulate ? p0[i * s0] + g : g;
        }
    }
}
