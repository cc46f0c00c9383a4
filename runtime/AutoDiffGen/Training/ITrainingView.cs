namespace AutoDiffGen.Training;

/// <summary>How a <see cref="Trainer"/> shows its progress: plain epoch lines, or the same lines above a live bar.</summary>
internal interface ITrainingView
{
    /// <summary>Epoch <paramref name="epoch"/> (from 1) begins.</summary>
    void EpochStarted(int epoch);

    /// <summary>One more batch is done. Called per batch: must not allocate.</summary>
    void BatchCompleted();

    /// <summary>An epoch ended; <paramref name="line"/> is its summary.</summary>
    void EpochCompleted(string line);
}
