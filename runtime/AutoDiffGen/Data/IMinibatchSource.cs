using System;

namespace AutoDiffGen.Data;

/// <summary>
/// Examples a training loop can gather into minibatches: each example is a row of <see cref="FeatureLength"/> input
/// floats and a row of <see cref="TargetLength"/> target floats (e.g. 784 pixels and a one-hot label of 10).
/// </summary>
public interface IMinibatchSource
{
    /// <summary>How many examples there are.</summary>
    int Count { get; }

    /// <summary>Input floats per example: the second axis of a feature batch [n, FeatureLength].</summary>
    int FeatureLength { get; }

    /// <summary>Target floats per example: the second axis of a target batch [n, TargetLength].</summary>
    int TargetLength { get; }

    /// <summary>
    /// Copies the examples <paramref name="batch"/> names, row by row in that order, into caller-owned buffers of
    /// exactly <c>batch.Length · FeatureLength</c> and <c>batch.Length · TargetLength</c> floats. Must not allocate:
    /// a training loop calls it for every batch.
    /// </summary>
    void GatherBatch(ReadOnlySpan<int> batch, Span<float> features, Span<float> targets);
}
