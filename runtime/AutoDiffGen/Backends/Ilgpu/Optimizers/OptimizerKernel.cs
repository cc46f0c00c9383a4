using System;
using ILGPU;

namespace AutoDiffGen.Backends.Ilgpu.Optimizers;

/// <summary>
/// Parameter updates in one pass over dense buffers of equal length, so that an optimizer step reads each
/// parameter, gradient and state element once. Same formulas as the CPU backend's optimizer kernels.
/// </summary>
internal static class OptimizerKernel
{
    /// <summary>velocity = momentum · velocity + gradient, then parameter −= learningRate · velocity.</summary>
    public static void Momentum(ArrayView<float> parameter, ArrayView<float> gradient, ArrayView<float> velocity, MomentumArguments args)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < args.Length; i += stride)
        {
            float v = (args.Momentum * velocity[i]) + gradient[i];
            velocity[i] = v;
            parameter[i] -= args.LearningRate * v;
        }
    }

    /// <summary>The Adam moment updates, then parameter −= lr · m̂ / (√v̂ + ε) with the bias corrections folded in.</summary>
    public static void Adam(ArrayView<float> parameter, ArrayView<float> gradient, ArrayView<float> firstMoment, ArrayView<float> secondMoment, AdamArguments args)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < args.Length; i += stride)
        {
            float g = gradient[i];
            float m = (args.Beta1 * firstMoment[i]) + ((1f - args.Beta1) * g);
            float v = (args.Beta2 * secondMoment[i]) + ((1f - args.Beta2) * g * g);
            firstMoment[i] = m;
            secondMoment[i] = v;
            parameter[i] -= args.LearningRate * (m * args.Correction1) / (MathF.Sqrt(v * args.Correction2) + args.Epsilon);
        }
    }
}

/// <summary>The scalars of one momentum step, passed to the kernel by value.</summary>
internal struct MomentumArguments
{
    public int Length;
    public float LearningRate;
    public float Momentum;
}

/// <summary>The scalars of one Adam step (see <see cref="AdamCoefficients"/>), passed to the kernel by value.</summary>
internal struct AdamArguments
{
    public int Length;
    public float LearningRate;
    public float Beta1;
    public float Beta2;
    public float Epsilon;
    public float Correction1;
    public float Correction2;
}
