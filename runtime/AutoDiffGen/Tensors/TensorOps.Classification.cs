using System;

namespace AutoDiffGen;

public static partial class TensorOps
{
    /// <summary>
    /// The index of the first maximum along <paramref name="axis"/> (negative counts from the end), stored as a float
    /// (exact below 2²⁴); the axis is removed from the shape. A NaN counts as the maximum.
    /// </summary>
    public static Tensor ArgMax(Tensor x, int axis) => ArgMaxCore(x, axis, null);

    /// <summary>The index of the first maximum along <paramref name="axis"/>, written into <paramref name="destination"/> (x's shape without that axis).</summary>
    public static Tensor ArgMax(Tensor x, int axis, Tensor destination) => ArgMaxCore(x, axis, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>A new CPU [N, classes] tensor whose row n is 1 at labels[n] and 0 elsewhere.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes).</exception>
    public static Tensor OneHot(ReadOnlySpan<int> labels, int classes)
    {
        CheckLabels(nameof(OneHot), labels, classes);
        var destination = Tensor.Zeros(labels.Length, classes);
        destination.Backend.OneHot(labels, destination);
        return destination;
    }

    /// <summary>One-hot rows for <paramref name="labels"/>, written into the [N, classes] <paramref name="destination"/> (which fixes the device).</summary>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, classes).</exception>
    public static Tensor OneHot(ReadOnlySpan<int> labels, int classes, Tensor destination)
    {
        OpChecks.NotNull(nameof(OneHot), destination, nameof(destination));
        CheckLabels(nameof(OneHot), labels, classes);
        OpChecks.Destination(nameof(OneHot), destination, [labels.Length, classes]);
        destination.Backend.OneHot(labels, destination);
        return destination;
    }

    /// <summary>The fraction of rows of the [N,C] <paramref name="logits"/> whose first maximum is at the row's label.</summary>
    /// <exception cref="ArgumentException">The label count differs from N, or logits is not 2-D.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A label is outside [0, C).</exception>
    public static float Accuracy(Tensor logits, ReadOnlySpan<int> labels)
    {
        const string op = nameof(Accuracy);
        OpChecks.NotNull(op, logits, nameof(logits));
        OpChecks.Rank(op, logits, "logits", 2);
        if (labels.Length != logits.Shape[0])
        {
            throw new ArgumentException($"{op}: logits {logits.ShapeText} has {logits.Shape[0]} rows but {labels.Length} labels were given.");
        }

        CheckLabels(op, labels, logits.Shape[1]);
        return labels.Length == 0 ? 0f : (float)logits.Backend.CountCorrect(logits, labels) / labels.Length;
    }

    private static Tensor ArgMaxCore(Tensor x, int axis, Tensor? destination)
    {
        const string op = nameof(ArgMax);
        OpChecks.NotNull(op, x, nameof(x));
        int normalized = OpChecks.Axis(op, x, axis);
        if (x.Shape[normalized] == 0)
        {
            throw new ArgumentException($"{op}: axis {axis} of shape {x.ShapeText} is empty.");
        }

        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..OpChecks.ReducedShape(x.Shape, 1 << normalized, keepDims: false, shape)];
        OpChecks.SameDevice(op, x, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(x.Device, shape);
        }
        else
        {
            OpChecks.Destination(op, destination, shape);
            OpChecks.NoSharedStorage(op, destination, "destination", x, "x");
        }

        x.Backend.ArgMax(x, normalized, destination);
        return destination;
    }

    private static void CheckLabels(string op, ReadOnlySpan<int> labels, int classes)
    {
        if (classes <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(classes), classes, $"{op}: the class count must be positive.");
        }

        for (int i = 0; i < labels.Length; i++)
        {
            if ((uint)labels[i] >= (uint)classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[i], $"{op}: label {labels[i]} at index {i} is outside [0, {classes}).");
            }
        }
    }
}
