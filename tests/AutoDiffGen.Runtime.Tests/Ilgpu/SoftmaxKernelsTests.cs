using System;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

[Collection(CpuSimulatorCollection.Name)]
public sealed class SoftmaxKernelsTests(CpuSimulatorFixture fixture)
{
    // exp/log in float32 over rows of <= 70 values: within 1e-5 relative of the double reference
    // (values compared against max(|expected|, 1e-3) so tiny probabilities are judged relative to the row).
    private const double Tolerance = 1e-5;

    // 21 rows of 70 columns: several rows per warp-stride turn, lanes take up to three columns.
    private const int Rows = 21;
    private const int Cols = 70;

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void Softmax_and_log_softmax_with_gradients(bool log)
    {
        // Offsets of +-200 would overflow exp without the max shift.
        var x = Reference.Random(Rows * Cols, seed: 41, low: -8f, high: 8f);
        for (int r = 0; r < Rows; r++)
        {
            for (int c = 0; c < Cols; c++)
            {
                x[r * Cols + c] += r % 2 == 0 ? 200f : -200f;
            }
        }

        var dy = Reference.Random(Rows * Cols, seed: 42);
        var start = Reference.Random(Rows * Cols, seed: 43);
        using var xb = fixture.Upload(x);
        using var yb = fixture.Device.Allocate(x.Length);
        using var dyb = fixture.Upload(dy);
        using var dxb = fixture.Upload(start);

        if (log)
        {
            fixture.Device.Softmax.LogSoftmax(fixture.Stream, xb.View, yb.View, Rows, Cols);
            fixture.Device.Softmax.LogSoftmaxGradient(fixture.Stream, yb.View, dyb.View, dxb.View, Rows, Cols, accumulate: true);
        }
        else
        {
            fixture.Device.Softmax.Softmax(fixture.Stream, xb.View, yb.View, Rows, Cols);
            fixture.Device.Softmax.SoftmaxGradient(fixture.Stream, yb.View, dyb.View, dxb.View, Rows, Cols, accumulate: true);
        }

        var expectedY = new double[x.Length];
        var expectedDx = new double[x.Length];
        for (int r = 0; r < Rows; r++)
        {
            var p = SoftmaxRow(x, r);
            double dot = 0, sumDy = 0;
            for (int c = 0; c < Cols; c++)
            {
                dot += dy[r * Cols + c] * p[c];
                sumDy += dy[r * Cols + c];
            }

            for (int c = 0; c < Cols; c++)
            {
                int i = r * Cols + c;
                expectedY[i] = log ? Math.Log(p[c]) : p[c];
                expectedDx[i] = start[i] + (log ? dy[i] - p[c] * sumDy : p[c] * (dy[i] - dot));
            }
        }

        Reference.Close(expectedY, fixture.Download(yb.View), Tolerance, floor: log ? 1 : 1e-3, what: log ? "log-softmax" : "softmax");
        Reference.Close(expectedDx, fixture.Download(dxb.View), Tolerance, what: "gradient");
    }

    [Fact]
    public void Softmax_cross_entropy_and_its_fused_gradient()
    {
        var x = Reference.Random(Rows * Cols, seed: 44, low: -30f, high: 30f);
        var labels = new float[Rows * Cols];
        for (int r = 0; r < Rows; r++)
        {
            if (r % 3 == 0)
            {
                // A smoothed distribution, summing to one.
                for (int c = 0; c < Cols; c++)
                {
                    labels[r * Cols + c] = 0.1f / Cols;
                }

                labels[r * Cols + (r * 7 % Cols)] += 0.9f;
            }
            else
            {
                labels[r * Cols + (r * 5 % Cols)] = 1f;
            }
        }

        var dloss = Reference.Random(Rows, seed: 45);
        using var xb = fixture.Upload(x);
        using var lb = fixture.Upload(labels);
        using var loss = fixture.Device.Allocate(Rows);
        using var dlossb = fixture.Upload(dloss);
        using var dx = fixture.Device.Allocate(x.Length);

        fixture.Device.Softmax.SoftmaxCrossEntropy(fixture.Stream, xb.View, lb.View, loss.View, Rows, Cols);
        fixture.Device.Softmax.SoftmaxCrossEntropyGradient(fixture.Stream, xb.View, lb.View, dlossb.View, dx.View, Rows, Cols, accumulate: false);

        var expectedLoss = new double[Rows];
        var expectedDx = new double[x.Length];
        for (int r = 0; r < Rows; r++)
        {
            var p = SoftmaxRow(x, r);
            for (int c = 0; c < Cols; c++)
            {
                int i = r * Cols + c;
                expectedLoss[r] -= labels[i] * Math.Log(p[c]);
                expectedDx[i] = (p[c] - labels[i]) * dloss[r];
            }
        }

        Reference.Close(expectedLoss, fixture.Download(loss.View), Tolerance, what: "cross-entropy");
        Reference.Close(expectedDx, fixture.Download(dx.View), Tolerance, what: "cross-entropy gradient");
    }

    [Fact]
    public void Softmax_rejects_mismatched_shapes()
    {
        using var x = fixture.Device.Allocate(12);
        using var y = fixture.Device.Allocate(10);
        var e = Assert.Throws<ArgumentException>(() => fixture.Device.Softmax.Softmax(fixture.Stream, x.View, y.View, 3, 4));
        Assert.Contains("Softmax: 'y' has 10 elements but shape [3, 4] needs 12", e.Message);
    }

    private static double[] SoftmaxRow(float[] x, int r)
    {
        double max = double.NegativeInfinity;
        for (int c = 0; c < Cols; c++)
        {
            max = Math.Max(max, x[r * Cols + c]);
        }

        var p = new double[Cols];
        double sum = 0;
        for (int c = 0; c < Cols; c++)
        {
            p[c] = Math.Exp(x[r * Cols + c] - max);
            sum += p[c];
        }

        for (int c = 0; c < Cols; c++)
        {
            p[c] /= sum;
        }

        return p;
    }
}
