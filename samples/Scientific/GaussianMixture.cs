using System;
using AutoDiffGen;

namespace Scientific;

/// <summary>
/// The ADBench Gaussian mixture objective (Srajer, Kukelova, Fitzgibbon, "A benchmark of selected
/// algorithmic differentiation tools on some problems in computer vision and machine learning", 2018;
/// Microsoft's ADBench <c>gmm_objective</c>): the log-likelihood of n points in d dimensions under K
/// Gaussian components, plus a Wishart prior on the precision matrices.
/// </summary>
/// <remarks>
/// Layouts, all row-major by component or point as in ADBench:
/// <list type="bullet">
/// <item><c>alphas</c> [K]: unnormalised log mixture weights.</item>
/// <item><c>means</c> [K·d]: component means.</item>
/// <item><c>icf</c> [K·d(d+1)/2]: per component, the d logs of the diagonal of the inverse Cholesky
/// factor Q, then its strictly lower triangle column by column, d(d−1)/2 entries.</item>
/// <item><c>x</c> [n·d]: the points.</item>
/// </list>
/// Every method here is in the subset the generator differentiates: spans are read, never written,
/// and the vectors ADBench's helpers fill (the preprocessed Q diagonals, Q·(x − μ)) are local arrays
/// of the objective, filled in place.
/// </remarks>
public static partial class GaussianMixture
{
    /// <summary>
    /// The GMM objective: −(nd/2)·log 2π + Σᵢ logsumexpₖ(αₖ + Σ log diag Qₖ − ½‖Qₖ(xᵢ − μₖ)‖²)
    /// − n·logsumexp(α) + the log Wishart prior.
    /// </summary>
    /// <param name="d">Dimension of the points.</param>
    /// <param name="k">Number of mixture components.</param>
    /// <param name="n">Number of points.</param>
    /// <param name="alphas">Unnormalised log mixture weights [k].</param>
    /// <param name="means">Component means [k·d].</param>
    /// <param name="icf">Inverse covariance factors [k·d(d+1)/2], logs of the diagonal first.</param>
    /// <param name="x">The points [n·d].</param>
    /// <param name="wishartGamma">Wishart prior scale γ.</param>
    /// <param name="wishartM">Wishart prior degrees of freedom beyond d + 1.</param>
    [Differentiable]
    public static double Objective(
        int d, int k, int n,
        ReadOnlySpan<double> alphas, ReadOnlySpan<double> means, ReadOnlySpan<double> icf,
        [NoDerivative] ReadOnlySpan<double> x, [NoDerivative] double wishartGamma, int wishartM)
    {
        int icfSize = d * (d + 1) / 2;
        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);

        // ADBench's preprocess_qs, written out here: the log-determinants and the diagonals of Q.
        double[] qDiags = new double[k * d];
        double[] sumQs = new double[k];
        for (int ik = 0; ik < k; ik++)
        {
            for (int id = 0; id < d; id++)
            {
                double q = icf[ik * icfSize + id];
                sumQs[ik] += q;
                qDiags[ik * d + id] = Math.Exp(q);
            }
        }

        // Scratch vectors, overwritten for every point and component.
        double[] xCentered = new double[d];
        double[] qTimesXCentered = new double[d];
        double[] mainTerm = new double[k];

        double sumLogSumExp = 0.0;
        for (int ix = 0; ix < n; ix++)
        {
            for (int ik = 0; ik < k; ik++)
            {
                // Q·xCentered as ADBench's Qtimesx computes it: the diagonal first (here in the same pass that
                // centres the point), then the strictly lower triangle, packed column by column, swept one column
                // at a time with a running index into it. Each column adds into every row below it, so the
                // additions of a row do not wait on one another. (The generated reverse sweep steps the running
                // index back instead of taping it.)
                for (int id = 0; id < d; id++)
                {
                    double centered = x[ix * d + id] - means[ik * d + id];
                    xCentered[id] = centered;
                    qTimesXCentered[id] = qDiags[ik * d + id] * centered;
                }

                int lowerIndex = ik * icfSize + d;
                for (int column = 0; column < d; column++)
                {
                    double xc = xCentered[column];
                    for (int row = column + 1; row < d; row++)
                    {
                        qTimesXCentered[row] += icf[lowerIndex] * xc;
                        lowerIndex++;
                    }
                }

                // ADBench's sqnorm, inline: a helper's pullback would read the vector again, so every
                // write above would have to keep the element it overwrites.
                double squaredNorm = 0.0;
                for (int id = 0; id < d; id++)
                {
                    double z = qTimesXCentered[id];
                    squaredNorm += z * z;
                }

                mainTerm[ik] = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
            }

            sumLogSumExp += LogSumExp.Of(mainTerm);
        }

        double logSumExpAlphas = LogSumExp.Of(alphas);
        return constant + sumLogSumExp - n * logSumExpAlphas
            + LogWishartPrior(d, k, wishartGamma, wishartM, sumQs, qDiags, icf);
    }

    /// <summary>Σ v[offset + i]² for i &lt; count (ADBench's <c>sqnorm</c>); zero when count is zero.</summary>
    [Differentiable]
    public static double SquaredNorm(ReadOnlySpan<double> v, int offset, int count)
    {
        double sum = 0.0;
        for (int i = 0; i < count; i++)
        {
            sum += v[offset + i] * v[offset + i];
        }

        return sum;
    }

    /// <summary>
    /// ADBench's <c>log_wishart_prior</c>: Σₖ [½γ²‖Qₖ‖²_F − m·log det Qₖ] − k·C with
    /// C = np(log γ − ½ log 2) − log Γ_p(n/2) and n = p + m + 1.
    /// </summary>
    /// <param name="p">Dimension d.</param>
    /// <param name="k">Number of components.</param>
    /// <param name="wishartGamma">Wishart prior scale γ.</param>
    /// <param name="wishartM">Wishart prior degrees of freedom beyond p + 1.</param>
    /// <param name="sumQs">Per component, Σ log diag Qₖ = log det Qₖ [k].</param>
    /// <param name="qDiags">Per component, diag Qₖ [k·p].</param>
    /// <param name="icf">The inverse covariance factors [k·p(p+1)/2]; only the lower triangles are read.</param>
    [Differentiable]
    public static double LogWishartPrior(
        int p, int k, [NoDerivative] double wishartGamma, int wishartM,
        ReadOnlySpan<double> sumQs, ReadOnlySpan<double> qDiags, ReadOnlySpan<double> icf)
    {
        int n = p + wishartM + 1;
        int icfSize = p * (p + 1) / 2;
        double c = n * p * (Math.Log(wishartGamma) - 0.5 * Math.Log(2.0)) - LogMultivariateGamma(n, p);

        double result = 0.0;
        for (int ik = 0; ik < k; ik++)
        {
            // ADBench's C++ calls sqnorm(0, …) here when d = 1, which reads one entry past the empty
            // triangle; SquaredNorm of zero entries is zero, as in ADBench's Python and Julia versions.
            double frobenius = SquaredNorm(qDiags, ik * p, p) + SquaredNorm(icf, ik * icfSize + p, icfSize - p);
            result += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumQs[ik];
        }

        return result - k * c;
    }

    /// <summary>
    /// log Γ_p(a) for a = <paramref name="twiceA"/>/2, the multivariate gamma function
    /// (ADBench's <c>log_gamma_distrib</c>): ¼p(p−1)·log π + Σⱼ₌₁..ₚ log Γ(a + (1 − j)/2).
    /// </summary>
    /// <remarks>
    /// A constant of its integer arguments: nothing here needs a derivative. The prior only ever asks for
    /// a half-integer a, where log Γ has an exact finite form, so no general log-gamma is needed
    /// (.NET has none).
    /// </remarks>
    public static double LogMultivariateGamma(int twiceA, int p)
    {
        double result = 0.25 * p * (p - 1) * Math.Log(Math.PI);
        for (int j = 1; j <= p; j++)
        {
            result += LogGammaOfHalf(twiceA + 1 - j);
        }

        return result;
    }

    /// <summary>
    /// log Γ(m/2) for a positive integer m: log (m/2 − 1)! when m is even, and
    /// ½ log π + Σᵢ₌₀..ₕ₋₁ log(i + ½) with h = (m − 1)/2 when m is odd (Γ(h + ½) = √π·Πᵢ(i + ½)).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">m is not positive (Γ has poles at 0, −1, …).</exception>
    public static double LogGammaOfHalf(int m)
    {
        if (m <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(m), m, $"log Γ(m/2) needs m > 0; got m = {m}.");
        }

        double result = 0.0;
        if (m % 2 == 0)
        {
            for (int i = 2; i < m / 2; i++)
            {
                result += Math.Log(i);
            }
        }
        else
        {
            result = 0.5 * Math.Log(Math.PI);
            for (int i = 0; i < (m - 1) / 2; i++)
            {
                result += Math.Log(i + 0.5);
            }
        }

        return result;
    }
}
