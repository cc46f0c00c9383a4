using System;
using AutoDiffGen;

namespace Scientific;

/// <summary>The log-sum-exp reduction, log Σᵢ exp(xᵢ), the smooth maximum behind mixture likelihoods and softmax.</summary>
public static partial class LogSumExp
{
    /// <summary>
    /// log Σᵢ exp(values[i]) for a non-empty span, computed as max + log Σᵢ exp(values[i] − max) so that
    /// values in the hundreds or thousands neither overflow nor underflow to a zero sum.
    /// </summary>
    [Differentiable]
    public static double Of(ReadOnlySpan<double> values)
    {
        double max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            max = Math.Max(max, values[i]);
        }

        // An infinite maximum is the answer itself; subtracting it would give ∞ − ∞ = NaN.
        if (max == double.PositiveInfinity || max == double.NegativeInfinity)
        {
            return max;
        }

        double sum = 0.0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += Math.Exp(values[i] - max);
        }

        return max + Math.Log(sum);
    }
}
