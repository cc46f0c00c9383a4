using System;

namespace AutoDiffGen;

public static partial class TensorGradients
{
    /// <summary>Backward of Sum: dx = dy broadcast back over the reduced axes. All axes: dy is rank 0; dx has the input's shape.</summary>
    public static void Sum(Tensor dy, Tensor dx, bool accumulate)
        => Reduce(nameof(Sum), ReduceOp.Sum, dy, null, null, AllAxes(dx), keepDims: false, dx, accumulate);

    /// <summary>Backward of Sum: dx = dy broadcast back over the reduced axes. One axis of the input (negative counts from the end), as given to the forward op.</summary>
    public static void Sum(Tensor dy, int axis, bool keepDims, Tensor dx, bool accumulate)
        => Reduce(nameof(Sum), ReduceOp.Sum, dy, null, null, AxisMask(nameof(Sum), dx, axis), keepDims, dx, accumulate);

    /// <summary>Backward of Sum: dx = dy broadcast back over the reduced axes. The axes of the input, as given to the forward op.</summary>
    public static void Sum(Tensor dy, ReadOnlySpan<int> axes, bool keepDims, Tensor dx, bool accumulate)
        => Reduce(nameof(Sum), ReduceOp.Sum, dy, null, null, AxesMask(nameof(Sum), dx, axes), keepDims, dx, accumulate);

    /// <summary>Backward of Mean: dx = dy / (number of reduced elements), broadcast back over the reduced axes. All axes: dy is rank 0; dx has the input's shape.</summary>
    public static void Mean(Tensor dy, Tensor dx, bool accumulate)
        => Reduce(nameof(Mean), ReduceOp.Mean, dy, null, null, AllAxes(dx), keepDims: false, dx, accumulate);

    /// <summary>Backward of Mean: dx = dy / (number of reduced elements), broadcast back over the reduced axes. One axis of the input (negative counts from the end), as given to the forward op.</summary>
    public static void Mean(Tensor dy, int axis, bool keepDims, Tensor dx, bool accumulate)
        => Reduce(nameof(Mean), ReduceOp.Mean, dy, null, null, AxisMask(nameof(Mean), dx, axis), keepDims, dx, accumulate);

    /// <summary>Backward of Mean: dx = dy / (number of reduced elements), broadcast back over the reduced axes. The axes of the input, as given to the forward op.</summary>
    public static void Mean(Tensor dy, ReadOnlySpan<int> axes, bool keepDims, Tensor dx, bool accumulate)
        => Reduce(nameof(Mean), ReduceOp.Mean, dy, null, null, AxesMask(nameof(Mean), dx, axes), keepDims, dx, accumulate);

    /// <summary>Backward of Max: dy flows to the first maximum (row-major order) of each reduced group of x, whose maximum y the forward pass returned; other elements get 0. All axes.</summary>
    public static void Max(Tensor dy, Tensor x, Tensor y, Tensor dx, bool accumulate)
        => Reduce(nameof(Max), ReduceOp.Max, dy, x, y, AllAxes(x), keepDims: false, dx, accumulate);

    /// <summary>Backward of Max: dy flows to the first maximum (row-major order) of each reduced group of x, whose maximum y the forward pass returned; other elements get 0. One axis.</summary>
    public static void Max(Tensor dy, Tensor x, Tensor y, int axis, bool keepDims, Tensor dx, bool accumulate)
        => Reduce(nameof(Max), ReduceOp.Max, dy, x, y, AxisMask(nameof(Max), x, axis), keepDims, dx, accumulate);

    /// <summary>Backward of Max: dy flows to the first maximum (row-major order) of each reduced group of x, whose maximum y the forward pass returned; other elements get 0. The given axes.</summary>
    public static void Max(Tensor dy, Tensor x, Tensor y, ReadOnlySpan<int> axes, bool keepDims, Tensor dx, bool accumulate)
        => Reduce(nameof(Max), ReduceOp.Max, dy, x, y, AxesMask(nameof(Max), x, axes), keepDims, dx, accumulate);

    private static void Reduce(string name, ReduceOp op, Tensor dy, Tensor? x, Tensor? y, int axesMask, bool keepDims, Tensor dx, bool accumulate)
    {
        OpChecks.NotNull(name, dy, nameof(dy));
        OpChecks.NotNull(name, dx, nameof(dx));
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..OpChecks.ReducedShape(dx.Shape, axesMask, keepDims, shape)];
        OpChecks.Destination(name, dy, shape, nameof(dy));
        OpChecks.SameDevice(name, dy, x, y, dx);
        OpChecks.NoSharedStorage(name, dx, nameof(dx), dy, nameof(dy));
        if (op == ReduceOp.Max)
        {
            OpChecks.SameShape(name, x!, nameof(x), dx, nameof(dx));
            OpChecks.SameShape(name, y!, nameof(y), dy, nameof(dy));
            OpChecks.NoSharedStorage(name, dx, nameof(dx), x!, nameof(x));
            OpChecks.NoSharedStorage(name, dx, nameof(dx), y!, nameof(y));
        }

        dy.Backend.ReduceBackward(op, dy, x, y, axesMask, dx, accumulate);
    }

    private static int AllAxes(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return (1 << input.Rank) - 1;
    }

    private static int AxisMask(string name, Tensor input, int axis)
    {
        OpChecks.NotNull(name, input, "dx");
        return 1 << OpChecks.Axis(name, input, axis);
    }

    private static int AxesMask(string name, Tensor input, ReadOnlySpan<int> axes)
    {
        OpChecks.NotNull(name, input, "dx");
        return OpChecks.AxesMask(name, input, axes);
    }
}
