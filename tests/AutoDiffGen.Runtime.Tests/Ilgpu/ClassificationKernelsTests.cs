using System;
using ILGPU.Runtime;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

[Collection(CpuSimulatorCollection.Name)]
public sealed class ClassificationKernelsTests(CpuSimulatorFixture fixture)
{
    [Fact]
    public void ArgMax_takes_the_first_of_equal_maxima()
    {
        const int rows = 30, cols = 45;
        var x = Reference.Random(rows * cols, seed: 51);
        x[0 * cols + 40] = 5f;                      // in a lane's second column
        x[1 * cols + 3] = 5f;
        x[1 * cols + 35] = 5f;                      // tie: 3 wins (lanes 3 and 3 again, second pass)
        x[2 * cols + 33] = 5f;
        x[2 * cols + 34] = 5f;                      // tie across lanes 1 and 2: 33 wins
        for (int c = 0; c < cols; c++)
        {
            x[3 * cols + c] = -2f;                  // all equal: 0 wins
        }

        using var xb = fixture.Upload(x);
        using var indices = fixture.Device.Accelerator.Allocate1D<int>(rows);
        fixture.Device.Classification.ArgMax(fixture.Stream, xb.View, indices.View, rows, cols);
        fixture.Device.Synchronize();
        var actual = indices.View.GetAsArray1D();

        for (int r = 0; r < rows; r++)
        {
            int expected = 0;
            for (int c = 1; c < cols; c++)
            {
                if (x[r * cols + c] > x[r * cols + expected])
                {
                    expected = c;
                }
            }

            Assert.Equal(expected, actual[r]);
        }

        Assert.Equal([40, 3, 33, 0], actual[..4]);
    }

    [Fact]
    public void Accuracy_counts_rows_whose_argmax_matches_the_label()
    {
        const int rows = 53, cols = 10;
        var logits = Reference.Random(rows * cols, seed: 52);
        var labels = new float[rows * cols];
        var random = new Random(53);
        int correct = 0;
        for (int r = 0; r < rows; r++)
        {
            int label = random.Next(cols);
            labels[r * cols + label] = 1f;
            int predicted = 0;
            for (int c = 1; c < cols; c++)
            {
                if (logits[r * cols + c] > logits[r * cols + predicted])
                {
                    predicted = c;
                }
            }

            if (r % 2 == 0 && predicted != label)
            {
                // Make half the rows right on purpose.
                logits[r * cols + label] = 10f;
                predicted = label;
            }

            correct += predicted == label ? 1 : 0;
        }

        using var lg = fixture.Upload(logits);
        using var lb = fixture.Upload(labels);
        using var accuracy = fixture.Device.Allocate(1);
        fixture.Device.Classification.Accuracy(fixture.Stream, lg.View, lb.View, accuracy.View, rows, cols);
        Assert.Equal((float)correct / rows, fixture.Download(accuracy.View)[0], 6);
    }
}
