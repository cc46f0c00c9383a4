using System;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

[Collection(CpuSimulatorCollection.Name)]
public sealed class GemmKernelsTests(CpuSimulatorFixture fixture)
{
    // float32 products of values in [-1, 1] summed over k <= 44 terms: relative error well under 1e-5 of the magnitude.
    private const double Tolerance = 1e-5;

    public static TheoryData<bool, bool, int, int, int> Shapes()
    {
        var data = new TheoryData<bool, bool, int, int, int>
        {
            { false, false, 128, 128, 16 },  // exactly one tile, vector loads everywhere
        };
        foreach (bool ta in new[] { false, true })
        {
            foreach (bool tb in new[] { false, true })
            {
                data.Add(ta, tb, 131, 133, 37);  // odd sizes: scalar loads, masked edges, partial last k-slab
                data.Add(ta, tb, 12, 260, 44);   // thin m, three column tiles, six k-slabs, vector loads
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Gemm_matches_reference_for_every_transpose_combination(bool transposeA, bool transposeB, int m, int n, int k)
    {
        var a = Reference.Random(m * k, seed: 1);
        var b = Reference.Random(k * n, seed: 2);
        var c = Reference.Random(m * n, seed: 3);
        const float alpha = 0.75f, beta = -0.5f;
        using var da = fixture.Upload(a);
        using var db = fixture.Upload(b);
        using var dc = fixture.Upload(c);

        fixture.Device.Gemm.Gemm(fixture.Stream, transposeA, transposeB, m, n, k, alpha, da.View, db.View, beta, dc.View);

        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    double x = transposeA ? a[p * m + i] : a[i * k + p];
                    double y = transposeB ? b[j * k + p] : b[p * n + j];
                    sum += x * y;
                }

                expected[i * n + j] = alpha * sum + beta * c[i * n + j];
            }
        }

        Reference.Close(expected, fixture.Download(dc.View), Tolerance, what: $"Gemm ta={transposeA} tb={transposeB} {m}x{n}x{k}");
    }

    [Theory]
    [InlineData(false, 70, 33, 20)]   // scalar stores (n odd)
    [InlineData(true, 64, 36, 12)]    // float4 stores
    public void GemmBias_adds_the_bias_to_every_row(bool transposeB, int m, int n, int k)
    {
        var a = Reference.Random(m * k, seed: 4);
        var b = Reference.Random(k * n, seed: 5);
        var bias = Reference.Random(n, seed: 6);
        using var da = fixture.Upload(a);
        using var db = fixture.Upload(b);
        using var dbias = fixture.Upload(bias);
        using var dc = fixture.Upload(Reference.Random(m * n, seed: 7)); // overwritten, never read

        fixture.Device.Gemm.GemmBias(fixture.Stream, false, transposeB, m, n, k, da.View, db.View, dbias.View, dc.View);

        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = bias[j];
                for (int p = 0; p < k; p++)
                {
                    sum += (double)a[i * k + p] * (transposeB ? b[j * k + p] : b[p * n + j]);
                }

                expected[i * n + j] = sum;
            }
        }

        Reference.Close(expected, fixture.Download(dc.View), Tolerance, what: "GemmBias");
    }

    [Theory]
    [InlineData(false, false, 131, 133, 37)]  // A repacked: edge tiles of the transpose in both directions
    [InlineData(true, true, 131, 133, 37)]    // B repacked
    [InlineData(false, true, 70, 36, 64)]     // both, vector loads after repacking
    [InlineData(false, true, 37, 41, 300)]    // both, and split over K
    public void A_product_that_repacks_its_k_contiguous_operands_matches_the_reference(bool transposeA, bool transposeB, int m, int n, int k)
    {
        // Large products on a GPU repack such operands; from one column or row on, so these small shapes do too.
        var gemm = fixture.Device.Gemm;
        int original = gemm.PackingMinimumExtent;
        gemm.PackingMinimumExtent = 1;
        try
        {
            RunsLikeTheReference(transposeA, transposeB, m, n, k, alpha: 0.75f, beta: -0.5f, seed: 11, "repacked Gemm");
        }
        finally
        {
            gemm.PackingMinimumExtent = original;
        }
    }

    [Theory]
    [InlineData(false, false, 37, 41, 300)]  // scalar loads; the last chunk of K is short (148 of 152)
    [InlineData(true, false, 64, 36, 256)]   // vector loads, two chunks of 128
    [InlineData(false, true, 20, 128, 200)]
    [InlineData(true, true, 9, 12, 130)]
    public void A_product_split_over_k_adds_its_partial_products_with_alpha_beta_and_bias(bool transposeA, bool transposeB, int m, int n, int k)
    {
        // One output tile and a long K: on the one-multiprocessor simulator the kernels split K in two.
        Assert.Equal(2, fixture.Device.Gemm.SplitCount(1, k, out _));
        RunsLikeTheReference(transposeA, transposeB, m, n, k, alpha: 1.5f, beta: 0.25f, seed: 8, "split Gemm");
    }

    [Theory]
    [InlineData(false, false, 37, 10, 19, false)]  // a classifier layer's forward product, K shorter than a slab
    [InlineData(false, true, 70, 32, 45, false)]   // as many columns as the narrow kernel has lanes
    [InlineData(true, false, 33, 10, 300, true)]   // a weight gradient: A transposed, K long enough to split
    [InlineData(true, true, 5, 1, 130, true)]      // one column
    [InlineData(false, false, 64, 17, 200, true)]
    public void A_narrow_product_matches_the_reference_in_every_layout(bool transposeA, bool transposeB, int m, int n, int k, bool splits)
    {
        // At most 32 columns go to the narrow kernel; on the one-multiprocessor simulator a long K splits.
        Assert.Equal(splits, fixture.Device.Gemm.NarrowSplitCount((m + 31) / 32, k, out _) > 1);
        RunsLikeTheReference(transposeA, transposeB, m, n, k, alpha: 0.75f, beta: 0.5f, seed: 12, "narrow Gemm");
    }

    [Theory]
    [InlineData(false, false, 64, 36, 12, 1)]   // one pass, float4 stores
    [InlineData(false, false, 70, 33, 20, 1)]   // one pass, scalar stores
    [InlineData(false, false, 37, 41, 300, 2)]  // split over K: the summing pass applies it
    [InlineData(false, false, 37, 10, 19, 1)]   // the narrow kernel (a classifier layer)
    [InlineData(false, false, 64, 17, 200, 2)]  // the narrow kernel split over K
    public void A_product_with_a_relu_zeroes_what_the_bias_leaves_negative_in_every_path(bool transposeA, bool transposeB, int m, int n, int k, int splits)
    {
        var gemm = fixture.Device.Gemm;
        Assert.Equal(splits, n <= 32 ? gemm.NarrowSplitCount((m + 31) / 32, k, out _) : gemm.SplitCount(((m + 127) / 128) * ((n + 127) / 128), k, out _));
        RunsLikeTheReference(transposeA, transposeB, m, n, k, alpha: 0.75f, beta: 0.5f, seed: 14, "Gemm with ReLU", relu: true);
    }

    /// <summary>alpha · op(A) · op(B) + beta · C + bias (then max(0, ·) for <paramref name="relu"/>) on the device, against the double reference, on random operands.</summary>
    private void RunsLikeTheReference(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float beta, int seed, string what, bool relu = false)
    {
        var a = Reference.Random(m * k, seed: seed);
        var b = Reference.Random(k * n, seed: seed + 1);
        var c = Reference.Random(m * n, seed: seed + 2);
        var bias = Reference.Random(n, seed: seed + 3);
        using var da = fixture.Upload(a);
        using var db = fixture.Upload(b);
        using var dc = fixture.Upload(c);
        using var dbias = fixture.Upload(bias);

        fixture.Device.Gemm.Run(fixture.Stream, transposeA, transposeB, m, n, k, alpha, da.View, db.View, beta, dc.View, dbias.View, relu);

        // Sums of up to 300 products: the tolerance grows with the number of terms.
        var expected = Expected(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, bias);
        if (relu)
        {
            // Random operands in [-1, 1] leave about half of C negative: the ReLU has work to do.
            Assert.InRange(Array.FindAll(expected, v => v < 0).Length, expected.Length / 4, 3 * expected.Length / 4);
            expected = Array.ConvertAll(expected, v => Math.Max(v, 0));
        }

        Reference.Close(expected, fixture.Download(dc.View), 1e-5 * Math.Sqrt(k / 16.0), what: $"{what} ta={transposeA} tb={transposeB} {m}x{n}x{k}");
    }

    [Fact]
    public void Split_counts_fill_the_device_with_chunks_of_at_least_two_depth_steps()
    {
        // The simulator runs two groups at once: one tile splits in two, four tiles already fill two waves.
        var gemm = fixture.Device.Gemm;
        Assert.Equal(1, gemm.SplitCount(tiles: 4, k: 4096, out int whole));
        Assert.Equal(4096, whole);
        Assert.Equal(1, gemm.SplitCount(tiles: 1, k: 24, out _));
        Assert.Equal(2, gemm.SplitCount(tiles: 1, k: 100, out int shortChunk));
        Assert.Equal(56, shortChunk);
        Assert.Equal(2, gemm.SplitCount(tiles: 1, k: 129, out int chunk));
        Assert.Equal(72, chunk);
    }

    [Fact]
    public void A_product_a_little_over_one_wave_splits_k_to_fill_the_waves_it_takes()
    {
        // As on an H200, which holds one product group per multiprocessor: 132 groups at once (docs/benchmarks.md).
        var gemm = fixture.Device.Gemm;
        int? saved = gemm.SplitTargetGroups;
        try
        {
            gemm.SplitTargetGroups = 132;

            // [10000, 784] x [784, 256]: 158 tiles take two waves unsplit, the second nearly empty.
            int splits = gemm.SplitCount(tiles: 158, k: 784, out int chunk);
            Assert.InRange(splits, 3, 5);
            Assert.Equal(0, chunk % AutoDiffGen.Backends.Ilgpu.Gemm.GemmKernel.Depth);
            Assert.True(splits * chunk >= 784 && (splits - 1) * chunk < 784, $"{splits} chunks of {chunk} do not cover K = 784 once");

            // A weight gradient over a batch of 10,000 (14 tiles): as many chunks as fill one wave, not more.
            Assert.Equal(9, gemm.SplitCount(tiles: 14, k: 10000, out _));

            // The same weight gradient over a batch of 100: 14 tiles walking K = 100 alone leave the device nearly idle.
            Assert.InRange(gemm.SplitCount(tiles: 14, k: 100, out _), 4, 7);

            // 4096 squared fills the device eight times over: never split.
            Assert.Equal(1, gemm.SplitCount(tiles: 1024, k: 4096, out _));
        }
        finally
        {
            gemm.SplitTargetGroups = saved;
        }
    }

    [Fact]
    public void Gemm_rejects_operands_of_the_wrong_size()
    {
        using var a = fixture.Device.Allocate(5);
        using var b = fixture.Device.Allocate(12);
        using var c = fixture.Device.Allocate(8);
        var e = Assert.Throws<ArgumentException>(() =>
            fixture.Device.Gemm.Gemm(fixture.Stream, true, false, 2, 4, 3, 1f, a.View, b.View, 0f, c.View));
        Assert.Contains("Gemm: 'a' has 5 elements but shape A transposed [3, 2] needs 6", e.Message);
    }

    /// <summary>alpha · op(A) · op(B) + beta · C + bias, in double.</summary>
    private static double[] Expected(bool transposeA, bool transposeB, int m, int n, int k, float alpha, float[] a, float[] b, float beta, float[] c, float[] bias)
    {
        var expected = new double[m * n];
        for (int i = 0; i < m; i++)
        {
            for (int j = 0; j < n; j++)
            {
                double sum = 0;
                for (int p = 0; p < k; p++)
                {
                    sum += (double)(transposeA ? a[p * m + i] : a[i * k + p]) * (transposeB ? b[j * k + p] : b[p * n + j]);
                }

                expected[i * n + j] = (alpha * sum) + (beta * c[i * n + j]) + bias[j];
            }
        }

        return expected;
    }
}
