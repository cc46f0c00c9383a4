using System;
using System.Linq;
using Xunit;
using Xunit.Sdk;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>Element-by-element comparison of a float tensor with a double reference, naming the first failing index.</summary>
internal static class TensorAssert
{
    /// <summary>|actual − expected| ≤ absolute + relative·|expected| at every element, and equal shapes.</summary>
    public static void Close(RefTensor expected, Tensor actual, double relative = 1e-5, double absolute = 1e-6, string what = "")
    {
        Assert.Equal(expected.Shape, actual.Shape.ToArray());
        float[] values = actual.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            double e = expected.Data[i];
            double tolerance = absolute + (relative * Math.Abs(e));
            if (!(Math.Abs(values[i] - e) <= tolerance) && !(double.IsNaN(e) && float.IsNaN(values[i])) && !(double.IsInfinity(e) && e == values[i]))
            {
                throw new XunitException($"{what} element {i} (index [{string.Join(",", RefTensor.Unravel(i, expected.Shape))}]) of {expected}: expected {e}, got {values[i]} (tolerance {tolerance}).");
            }
        }
    }

    /// <summary>Like <see cref="Close"/> but with a per-element tolerance scale (e.g. Σ|a||b| for a matrix product).</summary>
    public static void CloseScaled(RefTensor expected, Tensor actual, RefTensor scale, double relative, string what = "")
    {
        Assert.Equal(expected.Shape, actual.Shape.ToArray());
        float[] values = actual.ToArray();
        for (int i = 0; i < values.Length; i++)
        {
            double tolerance = (relative * scale.Data[i]) + 1e-6;
            if (!(Math.Abs(values[i] - expected.Data[i]) <= tolerance))
            {
                throw new XunitException($"{what} element {i} (index [{string.Join(",", RefTensor.Unravel(i, expected.Shape))}]) of {expected}: expected {expected.Data[i]}, got {values[i]} (tolerance {tolerance}).");
            }
        }
    }

    public static void Equal(float[] expected, Tensor actual) => Assert.Equal(expected, actual.ToArray());
}
