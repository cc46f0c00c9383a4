using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using Xunit;

namespace AutoDiffGen.Functions.Tests;

/// <summary>
/// Every [Differentiable] function of this project, compiled for real through the generator: its
/// reverse-mode gradient against central finite differences in double at several points, its forward
/// mode against its reverse mode, and its pullback against the gradient.
/// </summary>
public class GradientCheckTests
{
    private const int Points = 5;

    /// <summary>Functions computed in double throughout: checked against finite differences.</summary>
    public static IEnumerable<object[]> DoubleFunctions() =>
        FunctionCatalog.All.Where(m => FunctionCatalog.Twin(m) is null).Select(m => new object[] { FunctionCatalog.Key(m) });

    /// <summary>Functions computed (partly) in float: checked against their double twins.</summary>
    public static IEnumerable<object[]> FloatFunctions() =>
        FunctionCatalog.All.Where(m => FunctionCatalog.Twin(m) is not null).Select(m => new object[] { FunctionCatalog.Key(m) });

    [Fact]
    public void TheCatalogCoversAtLeastSixtyFunctions()
    {
        Assert.True(FunctionCatalog.All.Count >= 60, $"Only {FunctionCatalog.All.Count} functions.");
    }

    [Theory]
    [MemberData(nameof(DoubleFunctions))]
    public void GradientMatchesCentralFiniteDifferences(string key)
    {
        MethodInfo method = FunctionCatalog.Find(key);
        ParameterInfo[] parameters = method.GetParameters();
        foreach (object[] point in FunctionCatalog.SamplePoints(method, Points))
        {
            double value = FunctionCatalog.Invoke(method, point);
            (double generatedValue, double[] gradient) = FunctionCatalog.Gradient(method, point);
            Assert.Equal(value, generatedValue, 12);

            int entry = 0;
            for (int i = 0; i < parameters.Length; i++)
            {
                if (!FunctionCatalog.IsDifferentiable(parameters[i]))
                {
                    continue;
                }

                double x = (double)point[i];
                double h = 1e-5 * Math.Max(1, Math.Abs(x));
                object[] plus = (object[])point.Clone(), minus = (object[])point.Clone();
                plus[i] = x + h;
                minus[i] = x - h;
                double finiteDifference = (FunctionCatalog.Invoke(method, plus) - FunctionCatalog.Invoke(method, minus)) / (2 * h);
                double tolerance = 1e-6 * Math.Max(1, Math.Abs(finiteDifference));
                Assert.True(
                    Math.Abs(gradient[entry] - finiteDifference) <= tolerance,
                    $"{key} at ({string.Join(", ", point)}): ∂/∂{parameters[i].Name} generated {gradient[entry]:R}, finite difference {finiteDifference:R}.");
                entry++;
            }
        }
    }

    [Theory]
    [MemberData(nameof(DoubleFunctions))]
    [MemberData(nameof(FloatFunctions))]
    public void ForwardModeMatchesReverseMode(string key)
    {
        MethodInfo method = FunctionCatalog.Find(key);
        int count = method.GetParameters().Count(FunctionCatalog.IsDifferentiable);
        double tolerance = FunctionCatalog.Twin(method) is null ? 1e-10 : 1e-5;
        foreach (object[] point in FunctionCatalog.SamplePoints(method, Points))
        {
            (double value, double[] gradient) = FunctionCatalog.Gradient(method, point);

            // One tangent per unit direction gives one gradient entry each; a mixed direction gives their sum.
            for (int i = 0; i < count; i++)
            {
                double[] direction = new double[count];
                direction[i] = 1;
                (double tangentValue, double tangent) = FunctionCatalog.Tangent(method, point, direction);
                Assert.Equal(value, tangentValue, 12);
                AssertClose(gradient[i], tangent, tolerance, $"{key}: ∂/∂#{i} reverse vs forward");
            }

            double[] mixed = Enumerable.Range(0, count).Select(i => 0.5 + i).ToArray();
            double expected = gradient.Zip(mixed, (g, d) => g * d).Sum();
            AssertClose(expected, FunctionCatalog.Tangent(method, point, mixed).Tangent, tolerance, $"{key}: directional derivative");
        }
    }

    [Theory]
    [MemberData(nameof(DoubleFunctions))]
    public void PullbackScalesTheGradientBySeed(string key)
    {
        MethodInfo method = FunctionCatalog.Find(key);
        object[] point = FunctionCatalog.SamplePoints(method, 1).Single();
        (_, double[] gradient) = FunctionCatalog.Gradient(method, point);
        (_, double[] pulled) = FunctionCatalog.Pullback(method, point, -2.5);
        for (int i = 0; i < gradient.Length; i++)
        {
            AssertClose(-2.5 * gradient[i], pulled[i], 1e-12, $"{key}: pullback entry {i}");
        }
    }

    [Theory]
    [MemberData(nameof(FloatFunctions))]
    public void FloatGradientMatchesItsDoubleTwin(string key)
    {
        MethodInfo method = FunctionCatalog.Find(key);
        MethodInfo twin = FunctionCatalog.Twin(method)!;
        foreach (object[] point in FunctionCatalog.SamplePoints(method, Points))
        {
            object[] doublePoint = point.Select(a => a is float f ? (object)(double)f : a).ToArray();
            (double value, double[] gradient) = FunctionCatalog.Gradient(method, point);
            (double twinValue, double[] twinGradient) = FunctionCatalog.Gradient(twin, doublePoint);
            AssertClose(twinValue, value, 1e-5, $"{key}: value");
            for (int i = 0; i < gradient.Length; i++)
            {
                AssertClose(twinGradient[i], gradient[i], 1e-4, $"{key}: gradient entry {i} vs double twin");
            }
        }
    }

    private static void AssertClose(double expected, double actual, double relativeTolerance, string what)
    {
        double tolerance = relativeTolerance * Math.Max(1, Math.Abs(expected));
        Assert.True(Math.Abs(expected - actual) <= tolerance, $"{what}: expected {expected:R}, got {actual:R}.");
    }
}
