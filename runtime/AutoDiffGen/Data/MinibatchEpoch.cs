using System;

namespace AutoDiffGen.Data;

/// <summary>
/// The batches of one epoch of a <see cref="MinibatchSampler"/>: index spans in shuffled order,
/// enumerable with <c>foreach</c> without allocating. Valid until the sampler starts another epoch.
/// </summary>
public readonly ref struct MinibatchEpoch
{
    private readonly MinibatchSampler _sampler;
    private readonly int _version;

    internal MinibatchEpoch(MinibatchSampler sampler, int number, int version)
    {
        _sampler = sampler;
        Number = number;
        _version = version;
    }

    /// <summary>The epoch number passed to <see cref="MinibatchSampler.Epoch"/>.</summary>
    public int Number { get; }

    /// <summary>How many batches this epoch has.</summary>
    public int BatchCount => _sampler.BatchesPerEpoch;

    /// <summary>The example indices of batch <paramref name="batch"/> (0 .. <see cref="BatchCount"/> - 1).</summary>
    public ReadOnlySpan<int> this[int batch]
    {
        get
        {
            EnsureCurrent();
            if ((uint)batch >= (uint)BatchCount)
            {
                throw new ArgumentOutOfRangeException(
                    nameof(batch), batch, $"Epoch {Number} has batches 0 to {BatchCount - 1}.");
            }

            return _sampler.Batch(batch);
        }
    }

    /// <summary>Enumerates the batches in order.</summary>
    public Enumerator GetEnumerator() => new(this);

    private void EnsureCurrent()
    {
        if (_sampler.Version != _version)
        {
            throw new InvalidOperationException(
                $"The batches of epoch {Number} are no longer valid: the sampler has started another epoch since. " +
                "Finish one epoch before starting the next.");
        }
    }

    /// <summary>Walks the batches of a <see cref="MinibatchEpoch"/>.</summary>
    public ref struct Enumerator
    {
        private readonly MinibatchEpoch _epoch;
        private int _next;
        private ReadOnlySpan<int> _current;

        internal Enumerator(MinibatchEpoch epoch)
        {
            _epoch = epoch;
            _next = 0;
            _current = default;
        }

        /// <summary>The example indices of the current batch.</summary>
        public readonly ReadOnlySpan<int> Current => _current;

        /// <summary>Moves to the next batch; <see langword="false"/> after the last.</summary>
        public bool MoveNext()
        {
            if (_next >= _epoch.BatchCount)
            {
                return false;
            }

            _current = _epoch[_next++];
            return true;
        }
    }
}
