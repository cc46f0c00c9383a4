using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using AutoDiffGen.Nn;
using AutoDiffGen.Optim;
using AutoDiffGen.Training;
using Spectre.Console.Testing;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Training;

public class TrainerTests
{
    /// <summary>The example indices of every batch, epoch by epoch, read back from the features the step received.</summary>
    private static List<List<int[]>> RecordBatches(Trainer trainer)
    {
        var epochs = new List<List<int[]>>();
        int batchesSeen = 0;
        trainer.Run((x, y) =>
        {
            if (batchesSeen++ % trainer.BatchesPerEpoch == 0)
            {
                epochs.Add([]);
            }

            float[] features = x.ToArray(), targets = y.ToArray();
            int[] indices = Enumerable.Range(0, x.Shape[0]).Select(row => (int)features[row * 3]).ToArray();
            for (int row = 0; row < indices.Length; row++)
            {
                Assert.Equal(new float[] { indices[row], indices[row], indices[row] }, features[(row * 3)..((row * 3) + 3)]);
                Assert.Equal(new float[] { indices[row], -indices[row] }, targets[(row * 2)..((row * 2) + 2)]);
            }

            epochs[^1].Add(indices);
            return 0f;
        });
        return epochs;
    }

    [Fact]
    public void EveryEpochVisitsEveryExampleOnceInAFreshSeededOrder()
    {
        var options = new TrainingOptions { Epochs = 3, BatchSize = 10, Seed = 7, Output = TextWriter.Null };
        List<List<int[]>> epochs = RecordBatches(new Trainer(new IndexedExamples(50), options));

        Assert.Equal(3, epochs.Count);
        foreach (List<int[]> epoch in epochs)
        {
            Assert.Equal(5, epoch.Count);
            Assert.All(epoch, batch => Assert.Equal(10, batch.Length));
            Assert.Equal(Enumerable.Range(0, 50), epoch.SelectMany(b => b).Order());
        }

        Assert.NotEqual(epochs[0].SelectMany(b => b), epochs[1].SelectMany(b => b));
        List<List<int[]>> again = RecordBatches(new Trainer(new IndexedExamples(50), options));
        Assert.Equal(epochs.SelectMany(e => e.SelectMany(b => b)), again.SelectMany(e => e.SelectMany(b => b)));
        List<List<int[]>> otherSeed = RecordBatches(new Trainer(new IndexedExamples(50), new TrainingOptions { Epochs = 3, BatchSize = 10, Seed = 8, Output = TextWriter.Null }));
        Assert.NotEqual(epochs[0].SelectMany(b => b), otherSeed[0].SelectMany(b => b));
    }

    [Fact]
    public void ALeftoverPartialBatchIsSkippedSoEveryBatchHasTheSameShape()
    {
        var trainer = new Trainer(new IndexedExamples(23), new TrainingOptions { Epochs = 2, BatchSize = 5, Output = TextWriter.Null });
        Assert.Equal(4, trainer.BatchesPerEpoch);
        Assert.Equal(new[] { 5, 3 }, trainer.Features.Shape.ToArray());
        Assert.Equal(new[] { 5, 2 }, trainer.Targets.Shape.ToArray());

        List<List<int[]>> epochs = RecordBatches(trainer);
        Assert.All(epochs, epoch =>
        {
            Assert.Equal(4, epoch.Count);
            Assert.Equal(20, epoch.SelectMany(b => b).Distinct().Count());
        });
    }

    [Fact]
    public void EachEpochPrintsItsAverageCostLikeSlide49AndWhatAfterEpochAdds()
    {
        var output = new StringWriter();
        var options = new TrainingOptions
        {
            Epochs = 2,
            BatchSize = 4,
            Output = output,
            AfterEpoch = result => $"seen {result.Batches} batches",
        };
        float[] costs = [1f, 2f, 4f, 0.5f, 0.25f, 0.125f];
        int call = 0;
        IReadOnlyList<EpochResult> results = new Trainer(new IndexedExamples(12), options).Run((_, _) => costs[call++]);

        Assert.Equal("Epoch: 001 | AvgCost: 2.333 | seen 3 batches\nEpoch: 002 | AvgCost: 0.292 | seen 3 batches\n", output.ToString().ReplaceLineEndings("\n"));
        Assert.Equal([1, 2], results.Select(r => r.Epoch));
        Assert.Equal(7f / 3, results[0].AverageCost, 6);
        Assert.Equal(0.875f / 3, results[1].AverageCost, 6);
        Assert.All(results, r => Assert.True(r.Elapsed > TimeSpan.Zero));
    }

    [Fact]
    public void RedirectedOutputGetsPlainLinesWithoutAProgressBar()
    {
        // A StringWriter is not a terminal: ShowProgress (on by default) must leave no escape codes or bar in it.
        var output = new StringWriter();
        new Trainer(new IndexedExamples(40), new TrainingOptions { Epochs = 2, BatchSize = 10, Output = output }).Run((_, _) => 0.5f);
        string text = output.ToString();
        Assert.DoesNotContain('\u001b', text);
        Assert.DoesNotContain("%", text);
        Assert.Equal(2, text.ReplaceLineEndings("\n").Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }

    [Fact]
    public void AnInteractiveTerminalGetsALiveBarWithTheEpochLinesWrittenAboveIt()
    {
        var console = new TestConsole().Interactive().EmitAnsiSequences();
        console.Profile.Capabilities.Ansi = true;
        var trainer = new Trainer(new IndexedExamples(80), new TrainingOptions { Epochs = 2, BatchSize = 10 });
        // Slow steps, so that the bar's 100 ms refresh draws it a few times in each epoch before the end clears it: eight
        // steps of 40 ms, three refreshes to spare, as the refresh thread can be late when other tests load both cores.
        IReadOnlyList<EpochResult> results = trainer.Run(
            (_, _) =>
            {
                Thread.Sleep(40);
                return 0.5f;
            },
            TextWriter.Null,
            console);

        Assert.Equal(2, results.Count);
        string text = console.Output;
        Assert.Contains("Epoch: 001 | AvgCost: 0.500", text);
        Assert.Contains("Epoch: 002 | AvgCost: 0.500", text);
        Assert.Contains("Epoch 2/2", text);
        Assert.Contains("% ", text);
        Assert.Contains('\u001b', text);
    }

    [Fact]
    public void TheLoopAllocatesNothingPerBatch()
    {
        var allocated = new long[40];
        int batch = 0;
        var trainer = new Trainer(new IndexedExamples(400), new TrainingOptions { Epochs = 2, BatchSize = 20, Output = TextWriter.Null });
        trainer.Run((_, _) =>
        {
            allocated[batch++] = GC.GetAllocatedBytesForCurrentThread();
            return 1f;
        });

        // Between two batches of one epoch the loop gathers, uploads and calls the step: nothing may allocate.
        for (int i = 1; i < allocated.Length; i++)
        {
            if (i != trainer.BatchesPerEpoch)
            {
                Assert.True(allocated[i] == allocated[i - 1], $"batch {i} allocated {allocated[i] - allocated[i - 1]} bytes");
            }
        }
    }

    [Fact]
    public void ACostThatIsNotFiniteStopsTrainingNamingTheBatch()
    {
        int call = 0;
        var trainer = new Trainer(new IndexedExamples(30), new TrainingOptions { Epochs = 3, BatchSize = 10, Output = TextWriter.Null });
        var error = Assert.Throws<ArithmeticException>(() => trainer.Run((_, _) => ++call == 5 ? float.NaN : 1f));
        Assert.Contains("batch 2 of epoch 2 returned the cost NaN", error.Message);
    }

    [Fact]
    public void ATrainerDrivesARealModelDownhill()
    {
        // y = x·w with w = [1, -2, 0.5], learned by a one-layer model through an optimizer: the cost must fall.
        var data = new LinearExamples(200);
        var layer = Dense.Create(3, 1, Initializer.Zeros, Initializer.Zeros, seed: 0);
        Dense gradient = layer.ZerosLike();
        var optimizer = new Sgd(0.3f);
        Tensor prediction = Tensor.Zeros(20, 1), error = Tensor.Zeros(20, 1), dummy = Tensor.Zeros(20, 3);
        IReadOnlyList<EpochResult> results = new Trainer(data, new TrainingOptions { Epochs = 20, BatchSize = 20, Output = TextWriter.Null }).Run((x, y) =>
        {
            TensorOps.Dense(x, layer.W, layer.B, prediction);
            TensorOps.Sub(prediction, y, error);
            float cost = 0.5f * TensorOps.Mean(TensorOps.Mul(error, error)).ToScalar();
            TensorOps.Mul(error, 1f / 20, error);
            TensorGradients.Dense(error, x, layer.W, dummy, gradient.W, gradient.B, accumulate: false);
            optimizer.Step(layer, gradient);
            return cost;
        });

        Assert.True(results[^1].AverageCost < results[0].AverageCost / 100, $"cost went from {results[0].AverageCost} to {results[^1].AverageCost}");
        Assert.All(layer.W.ToArray().Zip([1f, -2f, 0.5f]), w => Assert.Equal(w.Second, w.First, 0.02f));
    }

    [Fact]
    public void SettingsThatCannotTrainAreRefused()
    {
        var data = new IndexedExamples(10);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(data, new TrainingOptions { Epochs = 0 }));
        var big = Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(data, new TrainingOptions { BatchSize = 11 }));
        Assert.Contains("between 1 and the number of examples, 10", big.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => new Trainer(new IndexedExamples(0)));
    }

    /// <summary>Targets y = x·[1, -2, 0.5] for inputs spread over [-1, 1].</summary>
    private sealed class LinearExamples(int count) : AutoDiffGen.Data.IMinibatchSource
    {
        public int Count => count;

        public int FeatureLength => 3;

        public int TargetLength => 1;

        public void GatherBatch(ReadOnlySpan<int> batch, Span<float> features, Span<float> targets)
        {
            for (int row = 0; row < batch.Length; row++)
            {
                int i = batch[row];
                float a = MathF.Sin(i), b = MathF.Cos(3 * i), c = MathF.Sin(7 * i);
                features[row * 3] = a;
                features[(row * 3) + 1] = b;
                features[(row * 3) + 2] = c;
                targets[row] = a - (2 * b) + (0.5f * c);
            }
        }
    }
}
