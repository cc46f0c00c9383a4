using System;

namespace AutoDiffGen.Functions.Tests.Arrays;

/// <summary>
/// A differentiable method with array inputs, wrapped so one checker can drive it: its differentiable
/// array inputs (by length) and scalar inputs, the primal, the generated gradient (which fills the array
/// gradients and returns the scalar ones) and the generated tangent.
/// </summary>
public sealed record ArrayCase(
    string Name,
    int[] ArrayLengths,
    int ScalarCount,
    Func<double[][], double[], double> Value,
    Func<double[][], double[], double[][], (double Value, double[] Scalars)> Gradient,
    Func<double[][], double[], double[][], double[], (double Value, double Tangent)> Tangent,
    double Low = -1,
    double High = 1)
{
    public override string ToString() => Name;
}
