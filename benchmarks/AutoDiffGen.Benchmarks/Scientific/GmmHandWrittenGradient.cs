using System;
using System.Runtime.CompilerServices;

namespace Scientific.Reference;

/// <summary>
/// The value and gradient of <see cref="GaussianMixture.Objective"/>, derived by hand and written for
/// speed: the baseline a generated gradient is checked and timed against.
/// </summary>
/// <remarks>
/// With xc = x − μₖ, z = Qₖ·xc, main term tₖ = αₖ + Σⱼ qₖⱼ − ½‖z‖² and softmax weight
/// wₖ = exp(tₖ − logsumexp t) of each point, the likelihood part contributes, per point,
/// <list type="bullet">
/// <item>∂/∂αₖ = wₖ,</item>
/// <item>∂/∂μₖ = wₖ·Qₖᵀz,</item>
/// <item>∂/∂qₖⱼ (log of diagonal j) = wₖ·(1 − zⱼ·xcⱼ·exp(qₖⱼ)),</item>
/// <item>∂/∂Lₖ[j, i] (strictly lower, j &gt; i) = −wₖ·zⱼ·xcᵢ;</item>
/// </list>
/// −n·logsumexp(α) adds −n·softmax(α)ₖ to ∂/∂αₖ, and the Wishart prior adds γ²·exp(2qₖⱼ) − m to
/// ∂/∂qₖⱼ and γ²·Lₖ[j, i] to ∂/∂Lₖ[j, i]. One pass over the points computes value and gradient
/// together, reusing xc, z and the weights; nothing is allocated.
/// </remarks>
public static class GmmHandWrittenGradient
{
    /// <summary>How many doubles of scratch <see cref="ValueAndGradient"/> needs for d dimensions and k components.</summary>
    public static int ScratchLength(int d, int k) => 3 * k * d + 2 * k;

    /// <summary>
    /// Computes <see cref="GaussianMixture.Objective"/> and writes its gradient with respect to
    /// <paramref name="alphas"/>, <paramref name="means"/> and <paramref name="icf"/> into the three
    /// output spans (overwriting them).
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
    /// <param name="dAlphas">Receives ∂/∂alphas [k].</param>
    /// <param name="dMeans">Receives ∂/∂means [k·d].</param>
    /// <param name="dIcf">Receives ∂/∂icf [k·d(d+1)/2].</param>
    /// <param name="scratch">Working memory of at least <see cref="ScratchLength"/>(d, k) doubles.</param>
    /// <returns>The objective's value.</returns>
    /// <exception cref="ArgumentException">A size is not positive or a span's length does not match d, k and n.</exception>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)] // as the generated gradient: optimized from the first call, never on-stack-replaced
    public static double ValueAndGradient(
        int d, int k, int n,
        ReadOnlySpan<double> alphas, ReadOnlySpan<double> means, ReadOnlySpan<double> icf, ReadOnlySpan<double> x,
        double wishartGamma, int wishartM,
        Span<double> dAlphas, Span<double> dMeans, Span<double> dIcf, Span<double> scratch)
    {
        int icfSize = d * (d + 1) / 2;
        int lowerSize = icfSize - d;
        Validate(d, k, n, alphas.Length, means.Length, icf.Length, x.Length, dAlphas.Length, dMeans.Length, dIcf.Length, scratch.Length);

        Span<double> qDiags = scratch.Slice(0, k * d);
        Span<double> sumQs = scratch.Slice(k * d, k);
        Span<double> weights = scratch.Slice(k * d + k, k);
        Span<double> centered = scratch.Slice(k * d + 2 * k, k * d);
        Span<double> transformed = scratch.Slice(2 * k * d + 2 * k, k * d);

        dAlphas.Clear();
        dMeans.Clear();
        dIcf.Clear();

        for (int ik = 0; ik < k; ik++)
        {
            double sum = 0.0;
            for (int j = 0; j < d; j++)
            {
                double q = icf[ik * icfSize + j];
                sum += q;
                qDiags[ik * d + j] = Math.Exp(q);
            }

            sumQs[ik] = sum;
        }

        double sumLogSumExp = 0.0;
        for (int ix = 0; ix < n; ix++)
        {
            ReadOnlySpan<double> point = x.Slice(ix * d, d);

            // Forward: xc and z = Q·xc for every component, kept for the backward step below.
            double maxTerm = double.NegativeInfinity;
            for (int ik = 0; ik < k; ik++)
            {
                ReadOnlySpan<double> mean = means.Slice(ik * d, d);
                ReadOnlySpan<double> qDiag = qDiags.Slice(ik * d, d);
                ReadOnlySpan<double> lower = icf.Slice(ik * icfSize + d, lowerSize);
                Span<double> xc = centered.Slice(ik * d, d);
                Span<double> z = transformed.Slice(ik * d, d);

                for (int j = 0; j < d; j++)
                {
                    xc[j] = point[j] - mean[j];
                    z[j] = qDiag[j] * xc[j];
                }

                int li = 0;
                for (int i = 0; i < d; i++)
                {
                    double xci = xc[i];
                    for (int j = i + 1; j < d; j++)
                    {
                        z[j] += lower[li++] * xci;
                    }
                }

                double squaredNorm = 0.0;
                for (int j = 0; j < d; j++)
                {
                    squaredNorm += z[j] * z[j];
                }

                double term = alphas[ik] + sumQs[ik] - 0.5 * squaredNorm;
                weights[ik] = term;
                maxTerm = Math.Max(maxTerm, term);
            }

            double sumExp = 0.0;
            for (int ik = 0; ik < k; ik++)
            {
                double e = Math.Exp(weights[ik] - maxTerm);
                weights[ik] = e;
                sumExp += e;
            }

            sumLogSumExp += maxTerm + Math.Log(sumExp);

            // Backward: the point's log-sum-exp pulls each component by its softmax weight.
            double inverseSumExp = 1.0 / sumExp;
            for (int ik = 0; ik < k; ik++)
            {
                double w = weights[ik] * inverseSumExp;
                if (w == 0.0)
                {
                    continue; // an underflowed weight contributes nothing
                }

                ReadOnlySpan<double> qDiag = qDiags.Slice(ik * d, d);
                ReadOnlySpan<double> lower = icf.Slice(ik * icfSize + d, lowerSize);
                ReadOnlySpan<double> xc = centered.Slice(ik * d, d);
                Span<double> wz = transformed.Slice(ik * d, d);
                Span<double> dMean = dMeans.Slice(ik * d, d);
                Span<double> dQ = dIcf.Slice(ik * icfSize, d);
                Span<double> dLower = dIcf.Slice(ik * icfSize + d, lowerSize);

                dAlphas[ik] += w;
                for (int j = 0; j < d; j++)
                {
                    wz[j] *= w; // z is not needed again for this point: keep w·z in its place
                    dQ[j] += w - wz[j] * xc[j] * qDiag[j];
                    dMean[j] += wz[j] * qDiag[j];
                }

                int li = 0;
                for (int i = 0; i < d; i++)
                {
                    double xci = xc[i];
                    double qtz = 0.0;
                    for (int j = i + 1; j < d; j++, li++)
                    {
                        dLower[li] -= wz[j] * xci;
                        qtz += lower[li] * wz[j];
                    }

                    dMean[i] += qtz;
                }
            }
        }

        // −n·logsumexp(α).
        double maxAlpha = double.NegativeInfinity;
        for (int ik = 0; ik < k; ik++)
        {
            maxAlpha = Math.Max(maxAlpha, alphas[ik]);
        }

        double sumExpAlphas = 0.0;
        for (int ik = 0; ik < k; ik++)
        {
            sumExpAlphas += Math.Exp(alphas[ik] - maxAlpha);
        }

        double logSumExpAlphas = maxAlpha + Math.Log(sumExpAlphas);
        for (int ik = 0; ik < k; ik++)
        {
            dAlphas[ik] -= n * Math.Exp(alphas[ik] - logSumExpAlphas);
        }

        // The Wishart prior.
        double gammaSquared = wishartGamma * wishartGamma;
        double prior = 0.0;
        for (int ik = 0; ik < k; ik++)
        {
            ReadOnlySpan<double> qDiag = qDiags.Slice(ik * d, d);
            ReadOnlySpan<double> lower = icf.Slice(ik * icfSize + d, lowerSize);
            Span<double> dQ = dIcf.Slice(ik * icfSize, d);
            Span<double> dLower = dIcf.Slice(ik * icfSize + d, lowerSize);

            double frobenius = 0.0;
            for (int j = 0; j < d; j++)
            {
                double squared = qDiag[j] * qDiag[j];
                frobenius += squared;
                dQ[j] += gammaSquared * squared - wishartM;
            }

            for (int li = 0; li < lowerSize; li++)
            {
                frobenius += lower[li] * lower[li];
                dLower[li] += gammaSquared * lower[li];
            }

            prior += 0.5 * gammaSquared * frobenius - wishartM * sumQs[ik];
        }

        int degrees = d + wishartM + 1;
        double priorConstant = degrees * d * (Math.Log(wishartGamma) - 0.5 * Math.Log(2.0))
            - GaussianMixture.LogMultivariateGamma(degrees, d);
        double constant = -n * d * 0.5 * Math.Log(2 * Math.PI);
        return constant + sumLogSumExp - n * logSumExpAlphas + prior - k * priorConstant;
    }

    private static void Validate(
        int d, int k, int n,
        int alphas, int means, int icf, int x, int dAlphas, int dMeans, int dIcf, int scratch)
    {
        if (d < 1 || k < 1 || n < 0)
        {
            throw new ArgumentException($"GMM gradient needs d ≥ 1, k ≥ 1 and n ≥ 0; got d = {d}, k = {k}, n = {n}.");
        }

        int icfLength = k * d * (d + 1) / 2;
        Expect("alphas", alphas, k, d, k, n);
        Expect("means", means, k * d, d, k, n);
        Expect("icf", icf, icfLength, d, k, n);
        Expect("x", x, n * d, d, k, n);
        Expect("dAlphas", dAlphas, k, d, k, n);
        Expect("dMeans", dMeans, k * d, d, k, n);
        Expect("dIcf", dIcf, icfLength, d, k, n);
        if (scratch < ScratchLength(d, k))
        {
            throw new ArgumentException(
                $"GMM gradient: scratch has {scratch} doubles; d = {d}, k = {k} need at least {ScratchLength(d, k)}.", nameof(scratch));
        }
    }

    private static void Expect(string name, int length, int expected, int d, int k, int n)
    {
        if (length != expected)
        {
            throw new ArgumentException(
                $"GMM gradient: {name} has length {length}, but d = {d}, k = {k}, n = {n} need {expected}.", name);
        }
    }
}
