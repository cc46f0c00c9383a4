using System;

namespace Scientific;

/// <summary>A Gaussian mixture problem: sizes, parameters, points and the Wishart prior, in <see cref="GaussianMixture"/>'s layouts.</summary>
public sealed class GmmInstance
{
    private GmmInstance(int d, int k, int n, double[] alphas, double[] means, double[] icf, double[] x, double wishartGamma, int wishartM)
    {
        D = d;
        K = k;
        N = n;
        Alphas = alphas;
        Means = means;
        Icf = icf;
        X = x;
        WishartGamma = wishartGamma;
        WishartM = wishartM;
    }

    /// <summary>Dimension of the points.</summary>
    public int D { get; }

    /// <summary>Number of components.</summary>
    public int K { get; }

    /// <summary>Number of points.</summary>
    public int N { get; }

    /// <summary>Unnormalised log mixture weights [K].</summary>
    public double[] Alphas { get; }

    /// <summary>Component means [K·D].</summary>
    public double[] Means { get; }

    /// <summary>Inverse covariance factors [K·D(D+1)/2].</summary>
    public double[] Icf { get; }

    /// <summary>The points [N·D].</summary>
    public double[] X { get; }

    /// <summary>Wishart prior scale γ.</summary>
    public double WishartGamma { get; }

    /// <summary>Wishart prior degrees of freedom beyond D + 1.</summary>
    public int WishartM { get; }

    /// <summary>
    /// A reproducible random instance: alphas and icf entries uniform in [−1, 1), means uniform in
    /// [−2, 2), points uniform in [−3, 3); the prior defaults to γ = 1 and m = 0 as in ADBench's data sets.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">d or k is below 1, or n is negative.</exception>
    public static GmmInstance Random(int d, int k, int n, int seed, double wishartGamma = 1.0, int wishartM = 0)
    {
        if (d < 1 || k < 1 || n < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(d), $"A GMM instance needs d ≥ 1, k ≥ 1, n ≥ 0; got d = {d}, k = {k}, n = {n}.");
        }

        var random = new Random(seed);
        return new GmmInstance(
            d, k, n,
            Uniform(random, k, -1.0, 1.0),
            Uniform(random, k * d, -2.0, 2.0),
            Uniform(random, k * d * (d + 1) / 2, -1.0, 1.0),
            Uniform(random, n * d, -3.0, 3.0),
            wishartGamma,
            wishartM);
    }

    /// <summary>The objective at this instance.</summary>
    public double Objective() => GaussianMixture.Objective(D, K, N, Alphas, Means, Icf, X, WishartGamma, WishartM);

    private static double[] Uniform(Random random, int count, double low, double high)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = low + (high - low) * random.NextDouble();
        }

        return values;
    }
}
