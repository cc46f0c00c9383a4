using System;

namespace AutoDiffGen.Nn;

/// <summary>
/// How a layer's tensor starts out, like Keras' <c>kernel_initializer</c>: a recipe that makes a tensor of a given
/// shape from a seed. Every initializer is deterministic: the same shape and seed give the same tensor on every run
/// and platform.
/// </summary>
/// <example>
/// <code>
/// var hidden = Dense.Create(784, 256, Initializer.TruncatedNormal(stddev: 0.1f), Initializer.Zeros, seed: 1);
/// Tensor w = Initializer.GlorotUniform.Create([256, 10], seed: 2);
/// </code>
/// </example>
/// <remarks>
/// To add another, derive from this class and implement <see cref="CreateCore"/> (and <see cref="ToString"/>), drawing
/// every random number from a generator seeded with the given seed.
/// </remarks>
public abstract class Initializer
{
    /// <summary>For subclasses.</summary>
    protected Initializer()
    {
    }

    /// <summary>All zeros (the seed is ignored): the usual bias initializer, as <c>tf.zeros_initializer</c>.</summary>
    public static Initializer Zeros { get; } = new ConstantInitializer(0f);

    /// <summary>
    /// Glorot (Xavier) uniform, as <c>tf.glorot_uniform_initializer</c> (the default kernel initializer of
    /// <c>tf.layers.dense</c>): values uniform in [-limit, limit] with limit = √(6 / (fanIn + fanOut)), so that
    /// the variance is 2 / (fanIn + fanOut).
    /// </summary>
    public static Initializer GlorotUniform { get; } = new GlorotUniformInitializer();

    /// <summary>
    /// He normal, as Keras' <c>he_normal</c>: a normal distribution truncated at two standard deviations, scaled so that
    /// the variance after truncation is 2 / fanIn (the stddev before truncation is √(2 / fanIn) / 0.8796). Suits ReLU layers.
    /// </summary>
    public static Initializer HeNormal { get; } = new HeNormalInitializer();

    /// <summary>Every element <paramref name="value"/> (the seed is ignored).</summary>
    public static Initializer Constant(float value) => new ConstantInitializer(value);

    /// <summary>
    /// A truncated normal distribution as TensorFlow's <c>truncated_normal_initializer</c>: normal with the given mean and
    /// standard deviation, values more than two standard deviations from the mean drawn again. <paramref name="stddev"/> is
    /// the parameter before truncation, as in TensorFlow; the values' actual standard deviation is about 0.88 times it.
    /// </summary>
    /// <param name="stddev">The standard deviation before truncation; finite and not negative.</param>
    /// <param name="mean">The mean.</param>
    /// <exception cref="ArgumentOutOfRangeException">The standard deviation is negative, infinite or NaN, or the mean is not finite.</exception>
    public static Initializer TruncatedNormal(float stddev, float mean = 0f) => new TruncatedNormalInitializer(mean, stddev);

    /// <summary>Makes a new tensor of <paramref name="shape"/> on <paramref name="device"/> (the CPU when null).</summary>
    /// <param name="shape">The shape; for a dense kernel [inputs, outputs], whose first axis is the fan-in.</param>
    /// <param name="seed">Fixes the values; equal seeds and shapes give equal tensors.</param>
    /// <param name="device">Where the tensor lives; the CPU when null.</param>
    /// <exception cref="ArgumentException">The shape is not a valid tensor shape.</exception>
    /// <exception cref="InvalidOperationException">A derived initializer made a tensor of another shape or device.</exception>
    public Tensor Create(ReadOnlySpan<int> shape, ulong seed, Device? device = null)
    {
        int length = Shapes.CheckedLength(ToString(), shape);
        device ??= Device.Cpu;
        Tensor result = CreateCore(shape, length, seed, device);
        if (result is null || !result.Shape.SequenceEqual(shape) || result.Device != device)
        {
            string made = result is null ? "null" : $"{result.ShapeText} on {result.Device}";
            throw new InvalidOperationException($"{this} made {made} when asked for {Shapes.Format(shape)} on {device}.");
        }

        return result;
    }

    /// <summary>Names the initializer and its settings, e.g. <c>TruncatedNormal(mean: 0, stddev: 0.1)</c>.</summary>
    public abstract override string ToString();

    /// <summary>Makes the tensor (called by <see cref="Create"/> once the shape is checked).</summary>
    /// <param name="shape">A valid shape of rank 0 to 4.</param>
    /// <param name="length">The shape's element count.</param>
    /// <param name="seed">The seed to draw from.</param>
    /// <param name="device">Where the tensor must live.</param>
    protected abstract Tensor CreateCore(ReadOnlySpan<int> shape, int length, ulong seed, Device device);

    /// <summary>
    /// The fan-in and fan-out of a weight shape, as Keras computes them: [n] has both n; [in, out] has in and out;
    /// a convolution kernel [..., in, out] multiplies both by the receptive field (the product of the leading axes).
    /// A scalar has 1 and 1.
    /// </summary>
    /// <param name="shape">A weight shape, the fan-out on its last axis.</param>
    public static (double FanIn, double FanOut) Fans(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 0)
        {
            return (1, 1);
        }

        if (shape.Length == 1)
        {
            return (shape[0], shape[0]);
        }

        double receptiveField = 1;
        for (int axis = 0; axis < shape.Length - 2; axis++)
        {
            receptiveField *= shape[axis];
        }

        return (shape[^2] * receptiveField, shape[^1] * receptiveField);
    }
}
