using System;

namespace AutoDiffGen;

public static partial class TensorOps
{
    /// <summary>
    /// Applies <paramref name="function"/> to every element. In a <c>[Differentiable]</c> tensor method,
    /// name a <c>[Differentiable]</c> <c>static float F(float)</c> directly (<c>Map(x, Swish)</c>): the generator
    /// emits SIMD forward and backward kernels for it, which this method then uses too.
    /// </summary>
    /// <param name="x">The input.</param>
    /// <param name="function">The function; any delegate works here, at scalar speed unless it has generated kernels.</param>
    public static Tensor Map(Tensor x, Func<float, float> function)
    {
        OpChecks.NotNull(nameof(Map), x, nameof(x));
        return Map(x, function, Tensor.Zeros(x.Device, x.Shape));
    }

    /// <summary>Applies <paramref name="function"/> to every element, into <paramref name="destination"/>.</summary>
    /// <param name="x">The input.</param>
    /// <param name="function">The function.</param>
    /// <param name="destination">Receives the result; shaped like <paramref name="x"/>.</param>
    public static Tensor Map(Tensor x, Func<float, float> function, Tensor destination)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (function.Target is null && ElementwiseFunction.Find(function.Method) is { Name: not "none" } kernels)
        {
            return kernels.Apply(x, destination);
        }

        OpChecks.NotNull(nameof(Map), x, nameof(x));
        OpChecks.NotNull(nameof(Map), destination, nameof(destination));
        OpChecks.Destination(nameof(Map), destination, x.Shape);
        float[] values = x.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = function(values[i]);
        }

        destination.CopyFrom(values);
        return destination;
    }
}
