using System;
using AutoDiffGen;

namespace Scientific;

/// <summary>The log-sum-exp reduction, log Σᵢ exp(xᵢ), the smooth maximum behind mixture likelihoods and softmax.</summary>
public static partial class LogSumExp
{
    /// <summary>
    /// log Σᵢ exp(values[i]) for a non-empty span, computed as max + log Σᵢ exp(values[i] − max) so that
    /// values in the hundreds or thousands neither overflow nor underflow to a zero sum. Its gradient is the
    /// softmax of the values (zero where the maximum is infinite and the result is that infinity).
    /// </summary>
    [Differentiable]
    public static double Of(ReadOnlySpan<double> values)
    {
        double max = values[0];
        for (int i = 1; i < values.Length; i++)
        {
            max = Math.Max(max, values[i]);
        }

        // The shift only keeps the exponentials in range: shift + log Σ exp(vᵢ − shift) is the same function of the
        // values whatever the shift, so no derivative flows through it (as JAX's logsumexp stops it), and the
        // generated gradient need not replay the maximum.
        double shift = AutoDiff.StopGradient(max);

        // An infinite maximum is the answer itself; subtracting it would give ∞ − ∞ = NaN.
        if (shift == double.PositiveInfinity || shift == double.NegativeInfinity)
        {
            return shift;
        }

        double sum = 0.0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += Math.Exp(values[i] - shift);
        }

        return shift + Math.Log(sum);
    }
}
