using System;
using System.IO;

namespace AutoDiffGen.Training;

/// <summary>Settings of a <see cref="Trainer"/>: how many epochs, how big the batches, how they are shuffled, where to report.</summary>
public sealed class TrainingOptions
{
    /// <summary>How many passes over the data; at least 1. Default 10.</summary>
    public int Epochs { get; init; } = 10;

    /// <summary>Examples per batch; between 1 and the number of examples. Default 100, the talk's.</summary>
    public int BatchSize { get; init; } = 100;

    /// <summary>Fixes the shuffled order of every epoch (see <see cref="Data.MinibatchSampler"/>). Default 0.</summary>
    public ulong Seed { get; init; }

    /// <summary>Where the batch tensors live, and so where the step runs; the CPU when null.</summary>
    public Device? Device { get; init; }

    /// <summary>Where the epoch lines go; <see cref="Console.Out"/> (read when training starts) when null.</summary>
    public TextWriter? Output { get; init; }

    /// <summary>
    /// Whether to draw a live progress bar. It is drawn only when <see cref="Output"/> is an interactive terminal
    /// that understands ANSI escapes; redirected output (a log file, a test) gets the epoch lines alone. Default true.
    /// </summary>
    public bool ShowProgress { get; init; } = true;

    /// <summary>
    /// Called after each epoch, with the epoch's result (say, to measure accuracy on held-out data); the text it returns
    /// is appended to the epoch's line, as in <c>Epoch: 001 | AvgCost: 0.347 | Test ACC: 0.912</c>. Null for none.
    /// </summary>
    public Func<EpochResult, string?>? AfterEpoch { get; init; }
}
