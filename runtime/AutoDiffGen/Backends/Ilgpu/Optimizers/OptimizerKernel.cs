using System;
using ILGPU;

namespace AutoDiffGen.Backends.Ilgpu.Optimizers;

/// <summary>
/// Parameter updates in one pass over dense buffers of equal length, so that an optimizer step reads each
/// parameter, gradient and state element once. Same formulas as the CPU backend's optimizer kernels.
/// </summary>
internal static class OptimizerKernel
{
    /// <summary>
    /// Plain gradient descent over every tensor of <paramref name="batch"/> in one launch, w = w + scale · g: an SGD step
    /// of a whole model costs one kernel instead of one per parameter tensor.
    /// </summary>
    public static void Descent(DescentBatch batch)
    {
        int stride = Grid.DimX * Group.DimX;
        for (int i = Grid.GlobalIndex.X; i < batch.Total; i += stride)
        {
            if (i < batch.End0)
            {
                Descend(batch.W0, batch.G0, i, batch.Scale);
            }
            else if (i < batch.End1)
            {
                Descend(batch.W1, batch.G1, i - batch.End0, batch.Scale);
            }
            else if (i < batch.End2)
            {
                Descend(batch.W2, batch.G2, i - batch.End1, batch.Scale);
            }
            else if (i < batch.End3)
            {
                Descend(batch.W3, batch.G3, i - batch.End2, batch.Scale);
            }
            else if (i < batch.End4)
            {
                Descend(batch.W4, batch.G4, i - batch.End3, batch.Scale);
            }
            else if (i < batch.End5)
            {
                Descend(batch.W5, batch.G5, i - batch.End4, batch.Scale);
            }
            else if (i < batch.End6)
            {
                Descend(batch.W6, batch.G6, i - batch.End5, batch.Scale);
            }
            else
            {
                Descend(batch.W7, batch.G7, i - batch.End6, batch.Scale);
            }
        }
    }

    private static void Descend(ArrayView<float> weights, ArrayView<float> gradients, int i, float scale) =>
        weights[i] = weights[i] + (scale * gradients[i]);

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
