using System;

namespace AutoDiffGen.Data;

/// <summary>
/// Splits <c>n</c> examples into minibatches of example indices, in an order shuffled anew for
/// every epoch. The order of epoch <c>e</c> depends only on the seed and <c>e</c>, so a run is
/// reproducible on any machine and can resume at any epoch with the same batches.
/// </summary>
/// <example>
/// <code>
/// var sampler = new MinibatchSampler(train.Count, batchSize: 100, seed: 42);
/// var x = new float[100 * MnistDataset.PixelsPerImage];
/// var y = new float[100 * MnistDataset.ClassCount];
/// for (int epoch = 0; epoch &lt; 10; epoch++)
/// {
///     foreach (ReadOnlySpan&lt;int&gt; batch in sampler.Epoch(epoch))
///     {
///         train.GatherBatch(batch, x, y);
///         // ... one training step on x, y
///     }
/// }
/// </code>
/// </example>
/// <remarks>
/// The sampler owns one index buffer that <see cref="Epoch"/> reshuffles in place; after the
/// constructor nothing is allocated. Starting another epoch invalidates the batches of the
/// previous one (using them then throws), so finish one epoch before starting the next. Not
/// thread-safe: use one sampler per training loop.
/// </remarks>
public sealed class MinibatchSampler
{
    private readonly int[] _order;
    private int _version;

    /// <summary>Creates a sampler over the indices 0 .. <paramref name="exampleCount"/> - 1.</summary>
    /// <param name="exampleCount">How many examples there are; at least 1.</param>
    /// <param name="batchSize">Examples per batch; between 1 and <paramref name="exampleCount"/>.</param>
    /// <param name="seed">Fixes the shuffled order of every epoch.</param>
    /// <param name="dropLastPartialBatch">
    /// When <paramref name="exampleCount"/> is not a multiple of <paramref name="batchSize"/>:
    /// <see langword="true"/> skips the short last batch (every batch then has exactly
    /// <paramref name="batchSize"/> indices; the skipped examples differ from epoch to epoch),
    /// <see langword="false"/> yields it as a shorter batch.
    /// </param>
    public MinibatchSampler(int exampleCount, int batchSize, ulong seed, bool dropLastPartialBatch = false)
    {
        if (exampleCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(exampleCount), exampleCount, "A sampler needs at least one example.");
        }

        if (batchSize < 1 || batchSize > exampleCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(batchSize), batchSize, $"Batch size must be between 1 and the example count {exampleCount}.");
        }

        ExampleCount = exampleCount;
        BatchSize = batchSize;
        Seed = seed;
        DropsLastPartialBatch = dropLastPartialBatch;
        BatchesPerEpoch = dropLastPartialBatch ? exampleCount / batchSize : (exampleCount + batchSize - 1) / batchSize;
        _order = new int[exampleCount];
    }

    /// <summary>How many examples the batches index.</summary>
    public int ExampleCount { get; }

    /// <summary>Indices per batch (the last batch of an epoch may be shorter unless <see cref="DropsLastPartialBatch"/>).</summary>
    public int BatchSize { get; }

    /// <summary>The seed that fixes every epoch's order.</summary>
    public ulong Seed { get; }

    /// <summary>Whether a short last batch is skipped.</summary>
    public bool DropsLastPartialBatch { get; }

    /// <summary>How many batches each epoch yields.</summary>
    public int BatchesPerEpoch { get; }

    /// <summary>
    /// Shuffles the indices for epoch <paramref name="epoch"/> and returns its batches. The result
    /// stays valid until the next call.
    /// </summary>
    /// <param name="epoch">The epoch number, 0 or more.</param>
    public MinibatchEpoch Epoch(int epoch)
    {
        if (epoch < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(epoch), epoch, "Epoch numbers start at 0.");
        }

        // Each epoch gets its own generator derived from (seed, epoch), and shuffles from the
        // identity, so epoch e's order does not depend on which epochs ran before it.
        ulong mix = Seed;
        ulong epochSeed = Xoshiro256StarStar.SplitMix64(ref mix) + (ulong)epoch;
        var random = Xoshiro256StarStar.FromSeed(epochSeed);

        int[] order = _order;
        for (int i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        // Fisher-Yates: every permutation equally likely.
        for (int i = order.Length - 1; i > 0; i--)
        {
            int j = random.NextInt32(i + 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        _version++;
        return new MinibatchEpoch(this, epoch, _version);
    }

    internal int Version => _version;

    /// <summary>The indices of batch <paramref name="batch"/> of the current epoch.</summary>
    internal ReadOnlySpan<int> Batch(int batch)
    {
        int start = batch * BatchSize;
        return new ReadOnlySpan<int>(_order, start, Math.Min(BatchSize, ExampleCount - start));
    }
}
