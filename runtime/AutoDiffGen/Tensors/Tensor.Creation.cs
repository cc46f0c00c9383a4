using System;

namespace AutoDiffGen;

public sealed partial class Tensor
{
    /// <summary>A new zero-filled CPU tensor of the given shape.</summary>
    public static Tensor Zeros(params ReadOnlySpan<int> shape) => Zeros(Device.Cpu, shape);

    /// <summary>A new zero-filled tensor of the given shape on <paramref name="device"/>.</summary>
    public static Tensor Zeros(Device device, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(device);
        int length = Shapes.CheckedLength(nameof(Zeros), shape);
        int[] dims = shape.ToArray();
        return new Tensor(device.Backend.Allocate(length), dims, Shapes.RowMajorStrides(dims), 0);
    }

    /// <summary>A new zero-filled contiguous tensor with the shape and device of <paramref name="like"/>.</summary>
    public static Tensor ZerosLike(Tensor like)
    {
        ArgumentNullException.ThrowIfNull(like);
        return Zeros(like.Device, like.Shape);
    }

    /// <summary>A new CPU tensor of the given shape filled with ones.</summary>
    public static Tensor Ones(params ReadOnlySpan<int> shape) => Full(Device.Cpu, 1f, shape);

    /// <summary>A new tensor of the given shape on <paramref name="device"/> filled with ones.</summary>
    public static Tensor Ones(Device device, params ReadOnlySpan<int> shape) => Full(device, 1f, shape);

    /// <summary>A new CPU tensor of the given shape with every element <paramref name="value"/>.</summary>
    public static Tensor Full(float value, params ReadOnlySpan<int> shape) => Full(Device.Cpu, value, shape);

    /// <summary>A new tensor of the given shape on <paramref name="device"/> with every element <paramref name="value"/>.</summary>
    public static Tensor Full(Device device, float value, params ReadOnlySpan<int> shape)
    {
        var result = Zeros(device, shape);
        if (value != 0f || float.IsNegative(value))
        {
            device.Backend.Fill(result, value);
        }

        return result;
    }

    /// <summary>A rank-0 CPU tensor holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(float value) => Full(Device.Cpu, value);

    /// <summary>A rank-0 tensor on <paramref name="device"/> holding <paramref name="value"/>.</summary>
    public static Tensor Scalar(Device device, float value) => Full(device, value);

    /// <summary>
    /// A new CPU tensor holding a copy of <paramref name="data"/> in row-major order. With no shape the tensor is 1-D;
    /// otherwise the shape's element count must equal the data's length.
    /// </summary>
    public static Tensor FromArray(float[] data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromArray(Device.Cpu, data.AsSpan(), shape);
    }

    /// <summary>A new CPU tensor holding a copy of <paramref name="data"/>; see <see cref="FromArray(float[], ReadOnlySpan{int})"/>.</summary>
    public static Tensor FromArray(ReadOnlySpan<float> data, params ReadOnlySpan<int> shape) => FromArray(Device.Cpu, data, shape);

    /// <summary>A new tensor on <paramref name="device"/> holding a copy of <paramref name="data"/>; see <see cref="FromArray(float[], ReadOnlySpan{int})"/>.</summary>
    public static Tensor FromArray(Device device, ReadOnlySpan<float> data, params ReadOnlySpan<int> shape)
    {
        ArgumentNullException.ThrowIfNull(device);
        Span<int> oneDimensional = [data.Length];
        if (shape.IsEmpty)
        {
            shape = oneDimensional;
        }

        int length = Shapes.CheckedLength(nameof(FromArray), shape);
        if (length != data.Length)
        {
            throw new ArgumentException($"FromArray: shape {Shapes.Format(shape)} needs {length} elements but the data has {data.Length}.");
        }

        var result = Zeros(device, shape);
        device.Backend.Upload(data, result);
        return result;
    }

    /// <summary>
    /// A new tensor of normally distributed values, the same for the same seed on every run and platform
    /// (PCG32 and Box-Muller in double, rounded to float).
    /// </summary>
    /// <param name="shape">The shape of the result.</param>
    /// <param name="seed">Picks the sequence; equal seeds give equal tensors.</param>
    /// <param name="mean">The distribution's mean.</param>
    /// <param name="stddev">The distribution's standard deviation (≥ 0).</param>
    /// <param name="device">Where to create it; the CPU when null.</param>
    public static Tensor RandomNormal(ReadOnlySpan<int> shape, ulong seed, float mean = 0f, float stddev = 1f, Device? device = null)
        => Random(nameof(RandomNormal), shape, seed, mean, stddev, truncated: false, device);

    /// <summary>
    /// Like <see cref="RandomNormal"/> but, as TensorFlow's <c>truncated_normal</c>, values more than two standard
    /// deviations from the mean are dropped and drawn again: the usual initializer for dense layers.
    /// </summary>
    /// <param name="shape">The shape of the result.</param>
    /// <param name="seed">Picks the sequence; equal seeds give equal tensors.</param>
    /// <param name="mean">The distribution's mean.</param>
    /// <param name="stddev">The standard deviation before truncation (≥ 0).</param>
    /// <param name="device">Where to create it; the CPU when null.</param>
    public static Tensor TruncatedNormal(ReadOnlySpan<int> shape, ulong seed, float mean = 0f, float stddev = 1f, Device? device = null)
        => Random(nameof(TruncatedNormal), shape, seed, mean, stddev, truncated: true, device);

    private static Tensor Random(string op, ReadOnlySpan<int> shape, ulong seed, float mean, float stddev, bool truncated, Device? device)
    {
        if (!(stddev >= 0f) || float.IsInfinity(stddev))
        {
            throw new ArgumentOutOfRangeException(nameof(stddev), stddev, $"{op}: the standard deviation must be finite and not negative.");
        }

        int length = Shapes.CheckedLength(op, shape);
        var values = new float[length];
        var generator = new Pcg32(seed);
        int filled = 0;
        while (filled < length)
        {
            var (first, second) = generator.NextStandardNormalPair();
            filled = Append(values, filled, first, mean, stddev, truncated);
            filled = Append(values, filled, second, mean, stddev, truncated);
        }

        return FromArray(device ?? Device.Cpu, values, shape);

        static int Append(float[] values, int filled, double standard, float mean, float stddev, bool truncated)
        {
            if (filled == values.Length || (truncated && Math.Abs(standard) > 2.0))
            {
                return filled;
            }

            values[filled] = (float)(mean + stddev * standard);
            return filled + 1;
        }
    }
}
