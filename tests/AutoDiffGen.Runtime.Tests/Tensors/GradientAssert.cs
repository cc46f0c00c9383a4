using System;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>Checks a backward kernel in both of its modes: overwriting a gradient buffer and adding into one.</summary>
internal static class GradientAssert
{
    // Float kernels against double finite differences of the reference forward op: the differences are exact to
    // ~1e-9, so this bounds the kernel's own float rounding.
    public const double Relative = 1e-4;
    public const double Absolute = 1e-5;

    /// <summary>
    /// Runs <paramref name="backward"/>(gradient, accumulate) into a NaN-filled buffer with accumulate = false (every
    /// element must be overwritten) and into a random buffer with accumulate = true (the result must be the buffer plus
    /// the gradient), comparing both with <paramref name="expected"/>.
    /// </summary>
    public static void Matches(RefTensor expected, Action<Tensor, bool> backward, string what, double relative = Relative, double absolute = Absolute)
    {
        var overwritten = Tensor.Full(float.NaN, expected.Shape);
        backward(overwritten, false);
        TensorAssert.Close(expected, overwritten, relative, absolute, what + " (overwrite)");

        var start = TestData.Uniform(new Random(expected.Length), expected.Shape);
        var accumulated = start.Clone();
        backward(accumulated, true);
        TensorAssert.Close(Reference.Binary((g, s) => g + s, expected, RefTensor.Of(start)), accumulated, relative, absolute, what + " (accumulate)");
    }
}
