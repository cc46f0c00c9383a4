using System;

namespace AutoDiffGen;

public static partial class TensorOps
{
    /// <summary>The sum of all elements, as a rank-0 tensor.</summary>
    public static Tensor Sum(Tensor x) => Reduce(nameof(Sum), ReduceOp.Sum, x, AllAxes(x), keepDims: false, null);

    /// <summary>The sum of all elements, written into the rank-0 <paramref name="destination"/>.</summary>
    public static Tensor Sum(Tensor x, Tensor destination) => Reduce(nameof(Sum), ReduceOp.Sum, x, AllAxes(x), keepDims: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The sum over one axis (negative counts from the end); the axis is kept with size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims = false) => Reduce(nameof(Sum), ReduceOp.Sum, x, AxisMask(nameof(Sum), x, axis), keepDims, null);

    /// <summary>The sum over one axis, written into <paramref name="destination"/>.</summary>
    public static Tensor Sum(Tensor x, int axis, bool keepDims, Tensor destination) => Reduce(nameof(Sum), ReduceOp.Sum, x, AxisMask(nameof(Sum), x, axis), keepDims, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The sum over the given axes (none: no reduction); they are kept with size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Sum(Tensor x, ReadOnlySpan<int> axes, bool keepDims = false) => Reduce(nameof(Sum), ReduceOp.Sum, x, AxesMask(nameof(Sum), x, axes), keepDims, null);

    /// <summary>The sum over the given axes, written into <paramref name="destination"/>.</summary>
    public static Tensor Sum(Tensor x, ReadOnlySpan<int> axes, bool keepDims, Tensor destination) => Reduce(nameof(Sum), ReduceOp.Sum, x, AxesMask(nameof(Sum), x, axes), keepDims, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The mean of all elements, as a rank-0 tensor.</summary>
    public static Tensor Mean(Tensor x) => Reduce(nameof(Mean), ReduceOp.Mean, x, AllAxes(x), keepDims: false, null);

    /// <summary>The mean of all elements, written into the rank-0 <paramref name="destination"/>.</summary>
    public static Tensor Mean(Tensor x, Tensor destination) => Reduce(nameof(Mean), ReduceOp.Mean, x, AllAxes(x), keepDims: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The mean over one axis (negative counts from the end); the axis is kept with size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims = false) => Reduce(nameof(Mean), ReduceOp.Mean, x, AxisMask(nameof(Mean), x, axis), keepDims, null);

    /// <summary>The mean over one axis, written into <paramref name="destination"/>.</summary>
    public static Tensor Mean(Tensor x, int axis, bool keepDims, Tensor destination) => Reduce(nameof(Mean), ReduceOp.Mean, x, AxisMask(nameof(Mean), x, axis), keepDims, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The mean over the given axes (none: no reduction); they are kept with size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Mean(Tensor x, ReadOnlySpan<int> axes, bool keepDims = false) => Reduce(nameof(Mean), ReduceOp.Mean, x, AxesMask(nameof(Mean), x, axes), keepDims, null);

    /// <summary>The mean over the given axes, written into <paramref name="destination"/>.</summary>
    public static Tensor Mean(Tensor x, ReadOnlySpan<int> axes, bool keepDims, Tensor destination) => Reduce(nameof(Mean), ReduceOp.Mean, x, AxesMask(nameof(Mean), x, axes), keepDims, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The maximum of all elements, as a rank-0 tensor. Reducing over an axis of size 0 throws.</summary>
    public static Tensor Max(Tensor x) => Reduce(nameof(Max), ReduceOp.Max, x, AllAxes(x), keepDims: false, null);

    /// <summary>The maximum of all elements, written into the rank-0 <paramref name="destination"/>.</summary>
    public static Tensor Max(Tensor x, Tensor destination) => Reduce(nameof(Max), ReduceOp.Max, x, AllAxes(x), keepDims: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The maximum over one axis (negative counts from the end); the axis is kept with size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDims = false) => Reduce(nameof(Max), ReduceOp.Max, x, AxisMask(nameof(Max), x, axis), keepDims, null);

    /// <summary>The maximum over one axis, written into <paramref name="destination"/>.</summary>
    public static Tensor Max(Tensor x, int axis, bool keepDims, Tensor destination) => Reduce(nameof(Max), ReduceOp.Max, x, AxisMask(nameof(Max), x, axis), keepDims, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The maximum over the given axes (none: no reduction); they are kept with size 1 when <paramref name="keepDims"/>.</summary>
    public static Tensor Max(Tensor x, ReadOnlySpan<int> axes, bool keepDims = false) => Reduce(nameof(Max), ReduceOp.Max, x, AxesMask(nameof(Max), x, axes), keepDims, null);

    /// <summary>The maximum over the given axes, written into <paramref name="destination"/>.</summary>
    public static Tensor Max(Tensor x, ReadOnlySpan<int> axes, bool keepDims, Tensor destination) => Reduce(nameof(Max), ReduceOp.Max, x, AxesMask(nameof(Max), x, axes), keepDims, destination ?? throw new ArgumentNullException(nameof(destination)));

    private static Tensor Reduce(string name, ReduceOp op, Tensor x, int axesMask, bool keepDims, Tensor? destination)
    {
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..OpChecks.ReducedShape(x.Shape, axesMask, keepDims, shape)];
        if (op == ReduceOp.Max)
        {
            for (int axis = 0; axis < x.Rank; axis++)
            {
                if ((axesMask & (1 << axis)) != 0 && x.Shape[axis] == 0)
                {
                    throw new ArgumentException($"{name}: cannot take the maximum over axis {axis} of size 0 in shape {x.ShapeText}.");
                }
            }
        }

        OpChecks.SameDevice(name, x, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(x.Device, shape);
        }
        else
        {
            OpChecks.Destination(name, destination, shape);
            OpChecks.NoSharedStorage(name, destination, "destination", x, "x");
        }

        x.Backend.Reduce(op, x, axesMask, destination, accumulate: false);
        return destination;
    }

    private static int AllAxes(Tensor x)
    {
        ArgumentNullException.ThrowIfNull(x);
        return (1 << x.Rank) - 1;
    }

    private static int AxisMask(string name, Tensor x, int axis)
    {
        OpChecks.NotNull(name, x, nameof(x));
        return 1 << OpChecks.Axis(name, x, axis);
    }

    private static int AxesMask(string name, Tensor x, ReadOnlySpan<int> axes)
    {
        OpChecks.NotNull(name, x, nameof(x));
        return OpChecks.AxesMask(name, x, axes);
    }
}
