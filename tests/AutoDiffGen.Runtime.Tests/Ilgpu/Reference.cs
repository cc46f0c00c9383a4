using System;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>Random inputs and comparisons against plain scalar C# references computed in double.</summary>
internal static class Reference
{
    public static float[] Random(int length, int seed, float low = -1f, float high = 1f)
    {
        var random = new Random(seed);
        var values = new float[length];
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = low + (float)random.NextDouble() * (high - low);
        }

        return values;
    }

    /// <summary>
    /// Asserts |actual - expected| &lt;= relative * max(|expected|, floor) element by element,
    /// naming the first element that fails. <paramref name="floor"/> keeps values near zero from
    /// demanding more than float32 precision of a sum whose terms were larger.
    /// </summary>
    public static void Close(double[] expected, float[] actual, double relative, double floor = 1.0, string what = "")
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            double tolerance = relative * Math.Max(Math.Abs(expected[i]), floor);
            if (!(Math.Abs(actual[i] - expected[i]) <= tolerance) && !(double.IsNaN(expected[i]) && float.IsNaN(actual[i])))
            {
                Assert.Fail($"{what} element {i}: expected {expected[i]:R}, got {actual[i]:R} (tolerance {tolerance:G3}).");
            }
        }
    }
}
