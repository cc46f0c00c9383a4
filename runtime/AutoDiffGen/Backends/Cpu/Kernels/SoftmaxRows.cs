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

    /// <summary>
    /// y = (x − max) − ln Σ exp(x − max). Subtracting the maximum first keeps the result exact to a few ulps of its
    /// own size even for huge logits, where max + ln Σ would round to the ulp of the logits. y may be x;
    /// <paramref name="scratch"/> is one row.
    /// </summary>
    public static void LogSoftmax(ReadOnlySpan<float> x, Span<float> y, Span<float> scratch)
    {
        float max = TensorPrimitives.Max(x);
        TensorPrimitives.Subtract(x, max, y);
        TensorPrimitives.Exp(y, scratch);
        TensorPrimitives.Subtract(y, MathF.Log(TensorPrimitives.Sum(scratch)), y);
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
    /// Returns −Σ labels ⊙ log-softmax(logits), computed as −⟨labels, (logits − max) − ln Σ exp(logits − max)⟩ so that
    /// no log of a tiny probability is taken; writes softmax(logits) into <paramref name="softmax"/> when it is not
    /// empty. <paramref name="scratch"/> holds two rows.
    /// </summary>
    public static float CrossEntropy(ReadOnlySpan<float> logits, ReadOnlySpan<float> labels, Span<float> softmax, Span<float> scratch)
    {
        int columns = logits.Length;
        Span<float> shifted = scratch[..columns];
        Span<float> exponentials = softmax.IsEmpty ? scratch.Slice(columns, columns) : softmax;
        TensorPrimitives.Subtract(logits, TensorPrimitives.Max(logits), shifted);
        TensorPrimitives.Exp(shifted, exponentials);
        float sum = TensorPrimitives.Sum(exponentials);
        if (!softmax.IsEmpty)
        {
            TensorPrimitives.Divide(softmax, sum, softmax);
        }

        TensorPrimitives.Subtract(shifted, MathF.Log(sum), shifted);
        return -TensorPrimitives.Dot(labels, shifted);
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
