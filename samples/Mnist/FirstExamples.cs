using System;
using AutoDiffGen.Data;

namespace Mnist;

/// <summary>The first examples of a larger set (for <c>--train-limit</c>): a quick run on part of the data.</summary>
public sealed class FirstExamples : IMinibatchSource
{
    private readonly IMinibatchSource _source;

    /// <summary>Exposes examples 0 .. <paramref name="count"/> − 1 of <paramref name="source"/> (all of them if it has fewer).</summary>
    public FirstExamples(IMinibatchSource source, int count)
    {
        _source = source;
        Count = Math.Min(count, source.Count);
    }

    /// <inheritdoc/>
    public int Count { get; }

    /// <inheritdoc/>
    public int FeatureLength => _source.FeatureLength;

    /// <inheritdoc/>
    public int TargetLength => _source.TargetLength;

    /// <inheritdoc/>
    public void GatherBatch(ReadOnlySpan<int> batch, Span<float> features, Span<float> targets) =>
        _source.GatherBatch(batch, features, targets);
}
