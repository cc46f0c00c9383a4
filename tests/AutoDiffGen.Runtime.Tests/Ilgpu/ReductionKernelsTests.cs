using System;
using System.Linq;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

[Collection(CpuSimulatorCollection.Name)]
public sealed class ReductionKernelsTests(CpuSimulatorFixture fixture)
{
    // float32 sums of up to a few thousand values in [-1, 1], in tree order: well within 1e-5 of the
    // largest partial magnitude. Maxima are exact.
    private const double SumTolerance = 1e-5;

    [Theory]
    [InlineData(37, 45)]   // more rows than warps in the grid, cols not a multiple of 32
    [InlineData(3, 100)]   // each lane takes several columns
    public void Sums_and_maxima_over_the_last_axis(int rows, int cols)
    {
        var x = Reference.Random(rows * cols, seed: 31);
        var start = Reference.Random(rows, seed: 32);
        using var xb = fixture.Upload(x);
        using var sums = fixture.Upload(start);
        using var maxima = fixture.Device.Allocate(rows);

        fixture.Device.Reductions.SumOverLastAxis(fixture.Stream, xb.View, sums.View, rows, cols, accumulate: true);
        fixture.Device.Reductions.MaxOverLastAxis(fixture.Stream, xb.View, maxima.View, rows, cols);

        var expectedSums = new double[rows];
        var expectedMax = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            expectedSums[r] = start[r] + x.Skip(r * cols).Take(cols).Sum(v => (double)v);
            expectedMax[r] = x.Skip(r * cols).Take(cols).Max();
        }

        Reference.Close(expectedSums, fixture.Download(sums.View), SumTolerance, what: "row sums");
        Reference.Close(expectedMax, fixture.Download(maxima.View), 0, what: "row maxima");
    }

    [Theory]
    [InlineData(50, 70)]   // three 32-column tiles with three groups, a partial last tile
    [InlineData(9, 130)]   // five tiles: groups loop over tiles
    [InlineData(700, 20)]  // tall and narrow: rows split into three chunks, then the chunk results combined
    [InlineData(130, 7)]   // two chunks, the last one short
    public void Sums_and_maxima_over_rows(int rows, int cols)
    {
        var x = Reference.Random(rows * cols, seed: 33);
        using var xb = fixture.Upload(x);
        using var sums = fixture.Device.Allocate(cols);
        using var accumulated = fixture.Upload(Enumerable.Repeat(1f, cols).ToArray());
        using var maxima = fixture.Device.Allocate(cols);

        fixture.Device.Reductions.SumOverRows(fixture.Stream, xb.View, sums.View, rows, cols);
        fixture.Device.Reductions.SumOverRows(fixture.Stream, xb.View, accumulated.View, rows, cols, accumulate: true);
        fixture.Device.Reductions.MaxOverRows(fixture.Stream, xb.View, maxima.View, rows, cols);

        var expectedSums = new double[cols];
        var expectedMax = new double[cols];
        for (int c = 0; c < cols; c++)
        {
            expectedMax[c] = double.NegativeInfinity;
            for (int r = 0; r < rows; r++)
            {
                expectedSums[c] += x[r * cols + c];
                expectedMax[c] = Math.Max(expectedMax[c], x[r * cols + c]);
            }
        }

        Reference.Close(expectedSums, fixture.Download(sums.View), SumTolerance, what: "column sums");
        Reference.Close(expectedSums.Select(s => s + 1).ToArray(), fixture.Download(accumulated.View), SumTolerance, what: "accumulated column sums");
        Reference.Close(expectedMax, fixture.Download(maxima.View), 0, what: "column maxima");
    }

    [Theory]
    [InlineData(5, 33, 3)]       // one chunk: the only group of each tile adds its own partials
    [InlineData(300, 70, 60)]    // 19 chunks of 16 rows per tile: each warp of the last group adds two or three
    [InlineData(1000, 10, 200)]  // one tile, 63 chunks, the last one short
    public void The_relu_gradient_and_its_column_sums_in_one_launch_match_the_reference(int rows, int cols, int maxGroups)
    {
        var y = Reference.Random(rows * cols, seed: 35).Select(v => Math.Max(v, 0f)).ToArray();
        var dy = Reference.Random(rows * cols, seed: 36);
        using var yb = fixture.Upload(y);
        using var dyb = fixture.Upload(dy);
        using var dz = fixture.Device.Allocate(rows * cols);
        using var sums = fixture.Upload(Enumerable.Repeat(float.NaN, cols).ToArray());
        using var twice = fixture.Device.Allocate(cols);
        var geometry = fixture.Device.Geometry;
        int saved = geometry.MaxGridGroups;
        geometry.MaxGridGroups = maxGroups;
        try
        {
            fixture.Device.Reductions.ReluGradientWithColumnSums(fixture.Stream, dyb.View, yb.View, dz.View, sums.View, rows, cols, accumulateSums: false);

            // Twice into the same sums: each tile's count of finished groups must be back at zero for the second launch.
            fixture.Device.Reductions.ReluGradientWithColumnSums(fixture.Stream, dyb.View, yb.View, dz.View, twice.View, rows, cols, accumulateSums: false);
            fixture.Device.Reductions.ReluGradientWithColumnSums(fixture.Stream, dyb.View, yb.View, dz.View, twice.View, rows, cols, accumulateSums: true);
        }
        finally
        {
            geometry.MaxGridGroups = saved;
        }

        var expectedDz = new float[rows * cols];
        var expectedSums = new double[cols];
        for (int i = 0; i < expectedDz.Length; i++)
        {
            expectedDz[i] = y[i] > 0f ? dy[i] : 0f;
            expectedSums[i % cols] += expectedDz[i];
        }

        Assert.Equal(expectedDz, fixture.Download(dz.View));
        Reference.Close(expectedSums, fixture.Download(sums.View), SumTolerance, what: "column sums");
        Reference.Close(expectedSums.Select(s => 2 * s).ToArray(), fixture.Download(twice.View), SumTolerance, what: "column sums added twice");
    }

    [Theory]
    [InlineData(5003, 0)]  // two passes: float4 body, a tail, three groups looping
    [InlineData(4097, 3)]  // two passes, unaligned, one element over the single-group length
    [InlineData(4096, 0)]  // the longest input one group reduces in one launch
    [InlineData(77, 1)]    // one group, unaligned
    public void Full_sum_and_mean(int length, int offset)
    {
        var x = Reference.Random(length + offset, seed: 34);
        using var xb = fixture.Upload(x);
        using var sum = fixture.Upload([10f]);
        using var mean = fixture.Device.Allocate(1);
        var view = xb.View.SubView(offset, length);

        fixture.Device.Reductions.Sum(fixture.Stream, view, sum.View, accumulate: true);
        fixture.Device.Reductions.Mean(fixture.Stream, view, mean.View);

        double expected = x.Skip(offset).Sum(v => (double)v);
        Reference.Close([10 + expected], fixture.Download(sum.View), SumTolerance, floor: 10, what: "sum");
        Reference.Close([expected / length], fixture.Download(mean.View), SumTolerance, floor: 0.1, what: "mean");
    }

    [Fact]
    public void Full_sum_is_deterministic()
    {
        var x = Reference.Random(4099, seed: 35, low: -1000f, high: 1000f);
        using var xb = fixture.Upload(x);
        using var first = fixture.Device.Allocate(1);
        using var second = fixture.Device.Allocate(1);
        fixture.Device.Reductions.Sum(fixture.Stream, xb.View, first.View);
        fixture.Device.Reductions.Sum(fixture.Stream, xb.View, second.View);
        Assert.Equal(fixture.Download(first.View)[0], fixture.Download(second.View)[0]);
    }

    [Fact]
    public void Row_reduction_rejects_a_wrong_output_length()
    {
        using var x = fixture.Device.Allocate(12);
        using var output = fixture.Device.Allocate(4);
        var e = Assert.Throws<ArgumentException>(() => fixture.Device.Reductions.SumOverLastAxis(fixture.Stream, x.View, output.View, 3, 4));
        Assert.Contains("SumOverLastAxis: 'output' has 4 elements but shape [3] needs 3", e.Message);
    }
}
