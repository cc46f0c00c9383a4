using System;

namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>
/// Kernel-side form of a <see cref="UnaryOp"/>: a struct the elementwise kernels are specialised
/// on, so each op compiles to straight-line code. <c>p</c> is the op's scalar parameter.
/// </summary>
internal interface IUnaryFunction
{
    float Forward(float x, float p);

    /// <summary>dL/dx given x, y = f(x) and dL/dy; an op reads only what it needs, the rest is never loaded.</summary>
    float Backward(float x, float y, float dy, float p);
}

internal struct NegateFunction : IUnaryFunction
{
    public float Forward(float x, float p) => -x;

    public float Backward(float x, float y, float dy, float p) => -dy;
}

internal struct ExpFunction : IUnaryFunction
{
    public float Forward(float x, float p) => MathF.Exp(x);

    public float Backward(float x, float y, float dy, float p) => dy * y;
}

internal struct LogFunction : IUnaryFunction
{
    public float Forward(float x, float p) => MathF.Log(x);

    public float Backward(float x, float y, float dy, float p) => dy / x;
}

internal struct SqrtFunction : IUnaryFunction
{
    public float Forward(float x, float p) => MathF.Sqrt(x);

    public float Backward(float x, float y, float dy, float p) => 0.5f * dy / y;
}

internal struct PowFunction : IUnaryFunction
{
    public float Forward(float x, float p) => MathF.Pow(x, p);

    public float Backward(float x, float y, float dy, float p) => dy * p * MathF.Pow(x, p - 1f);
}

internal struct TanhFunction : IUnaryFunction
{
    public float Forward(float x, float p) => AccurateTanh(x);

    public float Backward(float x, float y, float dy, float p) => dy * (1f - y * y);

    /// <summary>
    /// tanh to about 1e-6 relative error. ILGPU maps MathF.Tanh to PTX tanh.approx, which is only
    /// good to about 5e-4; this uses (1 - e^-2|x|) / (1 + e^-2|x|), and a Taylor series near zero
    /// where that quotient would cancel.
    /// </summary>
    public static float AccurateTanh(float x)
    {
        float ax = MathF.Abs(x);
        float magnitude;
        if (ax < 0.125f)
        {
            // x - x^3/3 + 2x^5/15 - 17x^7/315 + 62x^9/2835; the next term is below 1e-11 relative here.
            float x2 = ax * ax;
            magnitude = ax * (1f + x2 * (-1f / 3f + x2 * (2f / 15f + x2 * (-17f / 315f + x2 * (62f / 2835f)))));
        }
        else
        {
            float t = MathF.Exp(-2f * ax);
            magnitude = (1f - t) / (1f + t);
        }

        return x < 0f ? -magnitude : magnitude;
    }
}

internal struct SigmoidFunction : IUnaryFunction
{
    public float Forward(float x, float p) => 1f / (1f + MathF.Exp(-x));

    public float Backward(float x, float y, float dy, float p) => dy * y * (1f - y);
}

internal struct ReluFunction : IUnaryFunction
{
    public float Forward(float x, float p) => x > 0f ? x : 0f;

    public float Backward(float x, float y, float dy, float p) => x > 0f ? dy : 0f;
}

internal struct ScaleFunction : IUnaryFunction
{
    public float Forward(float x, float p) => p * x;

    public float Backward(float x, float y, float dy, float p) => p * dy;
}

/// <summary>
/// A user's element struct (the generator emits one per <c>[Differentiable] static float F(float)</c>) as a unary op of
/// the runtime's grid-stride elementwise kernels: no parameter, and the forward output is never read.
/// </summary>
internal struct UserFunction<TKernel> : IUnaryFunction
    where TKernel : struct, IElementwiseKernelFunction
{
    public float Forward(float x, float p) => default(TKernel).Forward(x);

    public float Backward(float x, float y, float dy, float p) => default(TKernel).Backward(x, dy);
}
