using System;
using AutoDiffGen.Data;

namespace AutoDiffGen.Runtime.Tests.Training;

/// <summary>Examples whose features and targets encode their index, so a test can see which examples each batch held.</summary>
internal sealed class IndexedExamples : IMinibatchSource
{
    public IndexedExamples(int count)
    {
        Count = count;
    }

    public int Count { get; }

    public int FeatureLength => 3;

    public int TargetLength => 2;

    public void GatherBatch(ReadOnlySpan<int> batch, Span<float> features, Span<float> targets)
    {
        for (int row = 0; row < batch.Length; row++)
        {
            int index = batch[row];
            features[(row * 3)..((row * 3) + 3)].Fill(index);
            targets[row * 2] = index;
            targets[(row * 2) + 1] = -index;
        }
    }
}
