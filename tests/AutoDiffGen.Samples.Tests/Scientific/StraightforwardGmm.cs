using System;
using System.Linq;

namespace AutoDiffGen.Samples.Tests.Scientific;

/// <summary>
/// The GMM objective written independently of the sample, from the textbook formula: each component's
/// inverse Cholesky factor Q is built as a full matrix, the log density is log det Q − ½‖Q(x − μ)‖²,
/// and the Wishart prior is ½γ²‖Q‖²_F − m·log det Q minus its normalising constant.
/// </summary>
internal static class StraightforwardGmm
{
    public static double Objective(int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x, double gamma, int m)
    {
        int icfSize = d * (d + 1) / 2;
        double[][,] qs = Enumerable.Range(0, k).Select(c => BuildQ(d, icf.AsSpan(c * icfSize, icfSize))).ToArray();
        double[] logDets = qs.Select(q => Enumerable.Range(0, d).Sum(i => Math.Log(q[i, i]))).ToArray();

        double likelihood = 0.0;
        for (int i = 0; i < n; i++)
        {
            double[] point = x.AsSpan(i * d, d).ToArray();
            double[] terms = new double[k];
            for (int c = 0; c < k; c++)
            {
                double[] centered = point.Zip(means.AsSpan(c * d, d).ToArray(), (p, mu) => p - mu).ToArray();
                double[] y = Multiply(qs[c], centered);
                terms[c] = alphas[c] + logDets[c] - 0.5 * y.Sum(v => v * v);
            }

            likelihood += LogSumExp(terms);
        }

        double dataConstant = -0.5 * n * d * Math.Log(2 * Math.PI);
        double mixtureNormaliser = n * LogSumExp(alphas);

        int degrees = d + m + 1;
        double priorConstant = degrees * d * Math.Log(gamma / Math.Sqrt(2)) - LogMultivariateGamma(0.5 * degrees, d);
        double prior = 0.0;
        for (int c = 0; c < k; c++)
        {
            double frobenius = qs[c].Cast<double>().Sum(v => v * v);
            prior += 0.5 * gamma * gamma * frobenius - m * logDets[c] - priorConstant;
        }

        return dataConstant + likelihood - mixtureNormaliser + prior;
    }

    /// <summary>Q with exp of the first d entries on the diagonal and the rest filling the strict lower triangle column by column.</summary>
    public static double[,] BuildQ(int d, ReadOnlySpan<double> componentIcf)
    {
        var q = new double[d, d];
        for (int i = 0; i < d; i++)
        {
            q[i, i] = Math.Exp(componentIcf[i]);
        }

        int next = d;
        for (int column = 0; column < d; column++)
        {
            for (int row = column + 1; row < d; row++)
            {
                q[row, column] = componentIcf[next++];
            }
        }

        return q;
    }

    private static double[] Multiply(double[,] matrix, double[] vector)
    {
        int rows = matrix.GetLength(0);
        var result = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            for (int c = 0; c < vector.Length; c++)
            {
                result[r] += matrix[r, c] * vector[c];
            }
        }

        return result;
    }

    private static double LogSumExp(double[] values)
    {
        double max = values.Max();
        return max + Math.Log(values.Sum(v => Math.Exp(v - max)));
    }

    /// <summary>log Γ_p(a) = ¼p(p−1)·log π + Σⱼ log Γ(a + (1 − j)/2).</summary>
    public static double LogMultivariateGamma(double a, int p) =>
        0.25 * p * (p - 1) * Math.Log(Math.PI) + Enumerable.Range(1, p).Sum(j => LogGamma(a + 0.5 * (1 - j)));

    /// <summary>log Γ(x) for x &gt; 0: shift x above 15 with Γ(x) = Γ(x + 1)/x, then Stirling's series (error below 1e-14).</summary>
    public static double LogGamma(double x)
    {
        double shift = 0.0;
        while (x < 15.0)
        {
            shift -= Math.Log(x);
            x += 1.0;
        }

        double inverse = 1.0 / x;
        double inverseSquared = inverse * inverse;
        double series = inverse * (1.0 / 12 - inverseSquared * (1.0 / 360 - inverseSquared * (1.0 / 1260 - inverseSquared / 1680)));
        return shift + (x - 0.5) * Math.Log(x) - x + 0.5 * Math.Log(2 * Math.PI) + series;
    }
}
