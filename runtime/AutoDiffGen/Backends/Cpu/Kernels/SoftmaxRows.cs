using System;
using System.Numerics.Tensors;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>
/// Softmax, log-softmax and softmax cross-entropy over one dense row, and their gradients. Every row subtracts its
/// maximum before exponentiating, so large logits neither overflow nor lose the small probabilities.
/// </summary>
internal static class SoftmaxRows
{
    /// <summary>y = exp(x − max) / Σ exp(x − max). y may be x.</summary>
    public static void Softmax(ReadOnlySpan<float> x, Span<float> y)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, y);
        float sum = TensorPrimitives.Sum(y);
        TensorPrimitives.Divide(y, sum, y);
    }

    /// <summary>y = x − (max + ln Σ exp(x − max)). y may be x; <paramref name="scratch"/> is one row.</summary>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y, Span<float> scratch)
    {
        float logSumExp = LogSumExp(x, scratch);
        TensorPrimitives.Subtract(x, logSumExp, y);
    }

    /// <summary>max + ln Σ exp(x − max); leaves exp(x − max) in <paramref name="exponentials"/>.</summary>
    public static float LogSumExp(ReadOnlySpan<float> x, Span<float> exponentials)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, exponentials);
        TensorPrimitives.Exp(exponentials, exponentials);
        return max + MathF.Log(TensorPrimitives.Sum(exponentials));
    }

    /// <summary>dx (+)= y ⊙ (dy − ⟨dy, y⟩) for y = softmax(x).</summary>
    public static void SoftmaxGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, bool accumulate, Span<float> scratch)
    {
        float dot = TensorPrimitives.Dot(dy, y);
        if (accumulate)
        {
            TensorPrimitives.Subtract(dy, dot, scratch);
            TensorPrimitives.MultiplyAdd(scratch, y, dx, dx);
        }
        else
        {
            TensorPrimitives.Subtract(dy, dot, dx);
            TensorPrimitives.Multiply(dx, y, dx);
        }
    }

    /// <summary>dx (+)= dy − exp(y)·Σ dy for y = log-softmax(x).</summary>
    public static void LogSoftmaxGradient(ReadOnlySpan<float> dy, ReadOnlySpan<float> y, Span<float> dx, bool accumulate, Span<float> scratch)
    {
        float total = TensorPrimitives.Sum(dy);
        TensorPrimitives.Exp(y, scratch);
        TensorPrimitives.MultiplyAdd(scratch, -total, dy, scratch);
        if (accumulate)
        {
            TensorPrimitives.Add(dx, scratch, dx);
        }
        else
        {
            scratch.CopyTo(dx);
        }
    }

    /// <summary>
    /// Returns −Σ labels ⊙ log-softmax(logits), computed as ⟨labels, lse − logits⟩ so no log of a tiny probability is
    /// taken; writes softmax(logits) into <paramref name="softmax"/> when it is not empty. <paramref name="scratch"/> is
    /// one row.
    /// </summary>
    public static float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> softmax, Span<float> scratch)
    {
        float max = TensorPrimitives.Max(logits);
        TensorPrimitives.Subtract(logits, max, scratch);
        TensorPrimitives.Exp(scratch, scratch);
        float sum = TensorPrimitives.Sum(scratch);
        if (!softmax.IsEmpty)
        {
            TensorPrimitives.Divide(scratch, sum, softmax);
        }

        float logSumExp = max + MathF.Log(sum);
        TensorPrimitives.Subtract(logits, logSumExp, scratch);
        return -TensorPrimitives.Dot(labels, scratch);
    }

    /// <summary>
    /// dlogits (+)= dloss · (Σlabels · p − labels), where p = softmax(logits): the exact gradient of
    /// <see cref="CrossEntropy"/>, equal to dloss · (p − labels) when the labels sum to one.
    /// </summary>
    public static void CrossEntropyGradient(float dloss, ReadOnlySpan<float> probabilities, ReadOnlySpan<float> labels, Span<float> dlogits, bool accumulate, Span<float> scratch)
    {
        float labelTotal = TensorPrimitives.Sum(labels);
        Span<float> gradient = accumulate ? scratch : dlogits;
        TensorPrimitives.Multiply(probabilities, labelTotal, gradient);
        TensorPrimitives.Subtract(gradient, labels, gradient);
        if (accumulate)
        {
            TensorPrimitives.MultiplyAdd(gradient, dloss, dlogits, dlogits);
        }
        else
        {
            TensorPrimitives.Multiply(gradient, dloss, dlogits);
        }
    }
}
