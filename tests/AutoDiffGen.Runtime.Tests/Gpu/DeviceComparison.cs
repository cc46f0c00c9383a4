using System;
using System.Linq;
using AutoDiffGen.Runtime.Tests.Tensors;
using Xunit;
using Xunit.Sdk;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// Runs one scenario on the SIMD CPU device and on ILGPU's CPU accelerator (the GPU kernels) and compares every tensor
/// it returns. A scenario builds its inputs on the CPU with fixed seeds and passes each through <c>place</c>, which
/// moves it to the device under test (and, for strided runs, into a transposed view there).
/// </summary>
internal static class DeviceComparison
{
    public static Device UnderTest => Device.IlgpuCpu;

    /// <summary>Runs <paramref name="scenario"/> on both devices and requires equal shapes and close values.</summary>
    /// <param name="scenario">Builds inputs, places them, runs ops; returns the tensors to compare.</param>
    /// <param name="strided">Place inputs as non-contiguous views (transposed storage).</param>
    /// <param name="relative">Relative tolerance.</param>
    /// <param name="absolute">Absolute tolerance.</param>
    public static void Same(Func<Func<Tensor, Tensor>, Tensor[]> scenario, bool strided = false, double relative = 1e-5, double absolute = 1e-6)
    {
        Tensor[] expected = scenario(t => strided ? TestData.Strided(t) : t);
        Tensor[] actual = scenario(t => strided ? TestData.Strided(t.To(UnderTest)) : t.To(UnderTest));
        Assert.Equal(expected.Length, actual.Length);
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.Same(UnderTest, actual[r].Device);
            Close(expected[r], actual[r], relative, absolute, $"result {r}");
        }
    }

    /// <summary>Equal shapes and |actual − expected| ≤ absolute + relative·|expected| everywhere (NaN matching NaN).</summary>
    public static void Close(Tensor expected, Tensor actual, double relative, double absolute, string what = "")
    {
        Assert.Equal(expected.Shape.ToArray(), actual.Shape.ToArray());
        float[] e = expected.ToArray(), a = actual.ToArray();
        for (int i = 0; i < e.Length; i++)
        {
            double tolerance = absolute + (relative * Math.Abs(e[i]));
            bool bothNaN = float.IsNaN(e[i]) && float.IsNaN(a[i]);
            if (!bothNaN && !(Math.Abs(a[i] - e[i]) <= tolerance) && e[i] != a[i])
            {
                throw new XunitException(
                    $"{what} element {i} (index [{string.Join(",", RefTensor.Unravel(i, expected.Shape.ToArray()))}]) of shape [{string.Join(",", expected.Shape.ToArray())}]: cpu {e[i]}, {actual.Device.Name} {a[i]} (tolerance {tolerance}).");
            }
        }
    }

    /// <summary>A seeded tensor of uniform values in [low, high).</summary>
    public static Tensor Uniform(int seed, int[] shape, double low = -1, double high = 1) => TestData.Uniform(new Random(seed), shape, low, high);

    /// <summary>A seeded tensor whose values keep at least 0.05 away from zero (and so from the kinks of Relu, Max, Min).</summary>
    public static Tensor AwayFromZero(int seed, int[] shape) => TestData.AwayFromZero(new Random(seed), shape);

    /// <summary>Shape text for test names: "5x7".</summary>
    public static int[] Shape(string text) => text.Length == 0 ? [] : text.Split('x').Select(int.Parse).ToArray();
}
