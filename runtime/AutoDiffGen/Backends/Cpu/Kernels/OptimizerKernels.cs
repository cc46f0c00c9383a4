using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>
/// SGD with momentum in one pass over parameter p0, gradient p1 and velocity p2:
/// velocity = Momentum·velocity + gradient, then parameter −= LearningRate·velocity (TensorFlow's and PyTorch's form).
/// </summary>
internal unsafe struct MomentumKernel : IRowKernel
{
    public float LearningRate;
    public float Momentum;

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
            float velocity = (Momentum * p2[i * s2]) + p1[i * s1];
            p2[i * s2] = velocity;
            p0[i * s0] -= LearningRate * velocity;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Dense<TSimd, TVec>(int i, int n, float* parameter, float* gradient, float* velocity)
        where TSimd : ISimd<TVec>
        where TVec : struct
    {
        TVec momentum = TSimd.Splat(Momentum);
        TVec step = TSimd.Splat(-LearningRate);
        for (; i <= n - TSimd.Count; i += TSimd.Count)
        {
            TVec v = TSimd.MultiplyAdd(momentum, TSimd.Load(velocity + i), TSimd.Load(gradient + i));
            TSimd.Store(v, velocity + i);
            TSimd.Store(TSimd.MultiplyAdd(step, v, TSimd.Load(parameter + i)), parameter + i);
        }

        return i;
    }
}

/// <summary>
/// One Adam step (Kingma and Ba, Algorithm 1) in one pass over parameter p0, gradient p1, first moment p2 and second
/// moment p3: m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², parameter −= LearningRate·m̂ / (√v̂ + ε) with the bias
/// corrections m̂ = m·Correction1 and v̂ = v·Correction2 (Correction_k = 1 / (1 − β_k^t), computed by the caller).
/// </summary>
internal unsafe struct AdamKernel : IRowKernel
{
    public float LearningRate;
    public float Beta1;
    public float Beta2;
    public float Epsilon;
    public float Correction1;
    public float Correction2;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 == 1 && s1 == 1 && s2 == 1 && s3 == 1)
        {
            int i = 0;
            if (Vector512.IsHardwareAccelerated)
            {
                i = Dense<Simd512, Vector512<float>>(i, n, p0, p1, p2, p3);
            }

            if (Vector256.IsHardwareAccelerated)
            {
                i = Dense<Simd256, Vector256<float>>(i, n, p0, p1, p2, p3);
            }

            if (Vector128.IsHardwareAccelerated)
            {
                i = Dense<Simd128, Vector128<float>>(i, n, p0, p1, p2, p3);
            }

            Dense<ScalarSimd, float>(i, n, p0, p1, p2, p3);
            return;
        }

        for (int i = 0; i < n; i++)
        {
            float g = p1[i * s1];
            float m = (Beta1 * p2[i * s2]) + ((1f - Beta1) * g);
            float v = (Beta2 * p3[i * s3]) + ((1f - Beta2) * g * g);
            p2[i * s2] = m;
            p3[i * s3] = v;
            p0[i * s0] -= LearningRate * (m * Correction1) / (MathF.Sqrt(v * Correction2) + Epsilon);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private readonly int Dense<TSimd, TVec>(int i, int n, float* parameter, float* gradient, float* first, float* second)
        where TSimd : ISimd<TVec>
        where TVec : struct
    {
        TVec beta1 = TSimd.Splat(Beta1), oneMinusBeta1 = TSimd.Splat(1f - Beta1);
        TVec beta2 = TSimd.Splat(Beta2), oneMinusBeta2 = TSimd.Splat(1f - Beta2);
        TVec correction1 = TSimd.Splat(Correction1), correction2 = TSimd.Splat(Correction2);
        TVec epsilon = TSimd.Splat(Epsilon), step = TSimd.Splat(LearningRate);
        for (; i <= n - TSimd.Count; i += TSimd.Count)
        {
            TVec g = TSimd.Load(gradient + i);
            TVec m = TSimd.MultiplyAdd(beta1, TSimd.Load(first + i), TSimd.Multiply(oneMinusBeta1, g));
            TVec v = TSimd.MultiplyAdd(beta2, TSimd.Load(second + i), TSimd.Multiply(oneMinusBeta2, TSimd.Multiply(g, g)));
            TSimd.Store(m, first + i);
            TSimd.Store(v, second + i);
            TVec denominator = TSimd.Add(TSimd.Sqrt(TSimd.Multiply(v, correction2)), epsilon);
            TVec update = TSimd.Divide(TSimd.Multiply(step, TSimd.Multiply(m, correction1)), denominator);
            TSimd.Store(TSimd.Subtract(TSimd.Load(parameter + i), update), parameter + i);
        }

        return i;
    }
}
