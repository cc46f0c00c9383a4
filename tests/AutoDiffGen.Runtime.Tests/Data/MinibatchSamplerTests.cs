using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Data;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Data;

public class MinibatchSamplerTests
{
    private static List<int[]> Batches(MinibatchSampler sampler, int epoch)
    {
        var batches = new List<int[]>();
        foreach (ReadOnlySpan<int> batch in sampler.Epoch(epoch))
        {
            batches.Add(batch.ToArray());
        }

        return batches;
    }

    [Fact]
    public void OrderMatchesTheIndependentReference()
    {
        // Golden orders from Data/reference_shuffle.py, a separate Python implementation.
        Assert.Equal([2, 5, 0, 9, 4, 7, 8, 6, 3, 1], Batches(new MinibatchSampler(10, 10, seed: 42), 0).Single());
        Assert.Equal([2, 7, 5, 4, 6, 3, 0, 9, 8, 1], Batches(new MinibatchSampler(10, 10, seed: 42), 1).Single());
        Assert.Equal([0, 4, 3, 6, 7, 5, 1, 9, 8, 2], Batches(new MinibatchSampler(10, 10, seed: 7), 0).Single());
    }

    [Fact]
    public void SameSeedGivesTheSameBatches()
    {
        var first = new MinibatchSampler(1000, 64, seed: 123);
        var second = new MinibatchSampler(1000, 64, seed: 123);
        for (int epoch = 0; epoch < 3; epoch++)
        {
            Assert.Equal(Batches(first, epoch), Batches(second, epoch));
        }
    }

    [Fact]
    public void DifferentSeedsAndDifferentEpochsGiveDifferentOrders()
    {
        var sampler = new MinibatchSampler(1000, 1000, seed: 1);
        int[] epoch0 = Batches(sampler, 0).Single();
        int[] epoch1 = Batches(sampler, 1).Single();
        int[] otherSeed = Batches(new MinibatchSampler(1000, 1000, seed: 2), 0).Single();

        Assert.NotEqual(epoch0, epoch1);
        Assert.NotEqual(epoch0, otherSeed);
        Assert.NotEqual(Enumerable.Range(0, 1000).ToArray(), epoch0);
    }

    [Fact]
    public void AnEpochsOrderDoesNotDependOnEarlierEpochs()
    {
        var fromStart = new MinibatchSampler(500, 50, seed: 9);
        Batches(fromStart, 0);
        Batches(fromStart, 1);
        var resumed = new MinibatchSampler(500, 50, seed: 9);

        Assert.Equal(Batches(fromStart, 2), Batches(resumed, 2));
    }

    [Fact]
    public void KeepingTheRaggedBatchVisitsEveryIndexExactlyOnce()
    {
        var sampler = new MinibatchSampler(103, 10, seed: 5, dropLastPartialBatch: false);
        Assert.Equal(11, sampler.BatchesPerEpoch);
        for (int epoch = 0; epoch < 4; epoch++)
        {
            List<int[]> batches = Batches(sampler, epoch);
            Assert.Equal(11, batches.Count);
            Assert.All(batches.Take(10), batch => Assert.Equal(10, batch.Length));
            Assert.Equal(3, batches[10].Length);
            Assert.Equal(Enumerable.Range(0, 103), batches.SelectMany(b => b).Order());
        }
    }

    [Fact]
    public void DroppingTheRaggedBatchGivesFullBatchesOfDistinctIndices()
    {
        var sampler = new MinibatchSampler(103, 10, seed: 5, dropLastPartialBatch: true);
        Assert.Equal(10, sampler.BatchesPerEpoch);
        List<int[]> batches = Batches(sampler, 0);

        Assert.Equal(10, batches.Count);
        Assert.All(batches, batch => Assert.Equal(10, batch.Length));
        int[] all = batches.SelectMany(b => b).ToArray();
        Assert.Equal(100, all.Distinct().Count());
        Assert.All(all, index => Assert.InRange(index, 0, 102));
    }

    [Fact]
    public void EveryPermutationIsEquallyLikely()
    {
        // 4 examples have 24 orders; over 24,000 epochs each should come up about 1,000 times
        // (standard deviation about 31). A biased shuffle, e.g. swapping with j in [0, n), is far off.
        var sampler = new MinibatchSampler(4, 4, seed: 2024);
        var counts = new Dictionary<int, int>();
        for (int epoch = 0; epoch < 24_000; epoch++)
        {
            ReadOnlySpan<int> order = sampler.Epoch(epoch)[0];
            int key = order[0] * 64 + order[1] * 16 + order[2] * 4 + order[3];
            counts[key] = counts.GetValueOrDefault(key) + 1;
        }

        Assert.Equal(24, counts.Count);
        Assert.All(counts.Values, count => Assert.InRange(count, 1000 - 150, 1000 + 150));
    }

    [Fact]
    public void BatchesOfAFinishedEpochCannotBeUsedAfterTheNextStarts()
    {
        var sampler = new MinibatchSampler(10, 5, seed: 0);
        MinibatchEpoch first = sampler.Epoch(0);
        Assert.Equal(5, first[1].Length);
        sampler.Epoch(1);

        InvalidOperationException? error = null;
        try
        {
            _ = first[0];
        }
        catch (InvalidOperationException caught)
        {
            error = caught;
        }

        Assert.NotNull(error);
        Assert.Contains("The batches of epoch 0 are no longer valid", error.Message);
    }

    [Fact]
    public void InvalidArgumentsAreRejectedWithTheirValues()
    {
        var noExamples = Assert.Throws<ArgumentOutOfRangeException>(() => new MinibatchSampler(0, 1, seed: 0));
        Assert.Contains("at least one example", noExamples.Message);

        var tooBig = Assert.Throws<ArgumentOutOfRangeException>(() => new MinibatchSampler(10, 11, seed: 0));
        Assert.Contains("between 1 and the example count 10", tooBig.Message);
        Assert.Contains("11", tooBig.Message);

        var sampler = new MinibatchSampler(10, 5, seed: 0);
        Assert.Throws<ArgumentOutOfRangeException>(() => sampler.Epoch(-1));

        ArgumentOutOfRangeException? badBatch = null;
        try
        {
            _ = sampler.Epoch(0)[2];
        }
        catch (ArgumentOutOfRangeException caught)
        {
            badBatch = caught;
        }

        Assert.NotNull(badBatch);
        Assert.Contains("Epoch 0 has batches 0 to 1", badBatch.Message);
    }
}
