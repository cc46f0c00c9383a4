using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using AutoDiffGen.Data;
using Spectre.Console;

namespace AutoDiffGen.Training;

/// <summary>
/// The training loop of the talk's slide 49: for each epoch, shuffle the examples (seeded), cut them into minibatches,
/// gather each batch into two tensors made once, call a <see cref="TrainingStep"/> and print the epoch's average cost
/// (<c>Epoch: 001 | AvgCost: 0.347</c>), with a live progress bar on an interactive terminal.
/// </summary>
/// <remarks>
/// Every batch has exactly <see cref="TrainingOptions.BatchSize"/> examples, so the step always sees the same shapes
/// (and generated gradients keep their planned buffers): when the example count is not a multiple of the batch size,
/// the few examples left over are skipped, different ones each epoch, as <c>total_batch = n // batch_size</c> does on
/// slide 49. The loop itself allocates nothing per batch; only the step can.
/// </remarks>
/// <example>
/// <code>
/// var trainer = new Trainer(train, new TrainingOptions { Epochs = 10, BatchSize = 100, Seed = 1 });
/// var optimizer = new Sgd(learningRate: 0.1f);
/// var gradients = model.CreateGradients();
/// trainer.Run((x, y) =>
/// {
///     float cost = model.LossGradient(x, y, gradients);
///     optimizer.Step(model, gradients);
///     return cost;
/// });
/// </code>
/// </example>
public sealed class Trainer
{
    private readonly IMinibatchSource _data;
    private readonly MinibatchSampler _sampler;
    private readonly float[] _featureRows;
    private readonly float[] _targetRows;

    /// <summary>Prepares the loop: the sampler and the batch tensors [BatchSize, FeatureLength] and [BatchSize, TargetLength].</summary>
    /// <param name="data">The training examples.</param>
    /// <param name="options">The settings; the defaults when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">
    /// There are no examples, the epoch count is below 1, or the batch size is not between 1 and the example count.
    /// </exception>
    public Trainer(IMinibatchSource data, TrainingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        options ??= new TrainingOptions();
        if (options.Epochs < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.Epochs, "Trainer: the number of epochs must be at least 1.");
        }

        if (data.Count < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(data), data.Count, "Trainer: there are no training examples.");
        }

        if (options.BatchSize < 1 || options.BatchSize > data.Count)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options), options.BatchSize, $"Trainer: the batch size must be between 1 and the number of examples, {data.Count}.");
        }

        if (data.FeatureLength < 1 || data.TargetLength < 1)
        {
            throw new ArgumentOutOfRangeException(
                nameof(data), $"Trainer: examples have {data.FeatureLength} features and {data.TargetLength} targets; both must be at least 1.");
        }

        _data = data;
        Options = options;
        _sampler = new MinibatchSampler(data.Count, options.BatchSize, options.Seed, dropLastPartialBatch: true);
        _featureRows = new float[options.BatchSize * data.FeatureLength];
        _targetRows = new float[options.BatchSize * data.TargetLength];
        Device device = options.Device ?? Device.Cpu;
        Features = Tensor.Zeros(device, options.BatchSize, data.FeatureLength);
        Targets = Tensor.Zeros(device, options.BatchSize, data.TargetLength);
    }

    /// <summary>The settings.</summary>
    public TrainingOptions Options { get; }

    /// <summary>How many batches each epoch runs: the example count divided by the batch size, rounded down.</summary>
    public int BatchesPerEpoch => _sampler.BatchesPerEpoch;

    /// <summary>The feature batch [BatchSize, FeatureLength] the step receives: one tensor, refilled for every batch.</summary>
    public Tensor Features { get; }

    /// <summary>The target batch [BatchSize, TargetLength] the step receives: one tensor, refilled for every batch.</summary>
    public Tensor Targets { get; }

    /// <summary>Runs every epoch, printing one line per epoch; returns what each epoch measured.</summary>
    /// <param name="step">Called once per batch with <see cref="Features"/> and <see cref="Targets"/> filled.</param>
    /// <exception cref="ArithmeticException">A step returned a cost that is NaN or infinite: training diverged.</exception>
    public IReadOnlyList<EpochResult> Run(TrainingStep step)
    {
        ArgumentNullException.ThrowIfNull(step);
        TextWriter output = Options.Output ?? Console.Out;
        IAnsiConsole? live = Options.ShowProgress ? TerminalConsole(output) : null;
        return Run(step, output, live);
    }

    /// <summary>Runs with a given console for the live bar (tests pass a recording one), or plain lines when null.</summary>
    internal IReadOnlyList<EpochResult> Run(TrainingStep step, TextWriter output, IAnsiConsole? live)
    {
        var results = new List<EpochResult>(Options.Epochs);
        if (live is null)
        {
            RunEpochs(step, results, new PlainTrainingView(output));
            return results;
        }

        live.Progress()
            .AutoClear(true)
            .HideCompleted(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
            .Start(context =>
            {
                ProgressTask task = context.AddTask("Training", maxValue: (double)Options.Epochs * BatchesPerEpoch);
                RunEpochs(step, results, new LiveTrainingView(live, task, Options.Epochs));
            });
        return results;
    }

    private void RunEpochs(TrainingStep step, List<EpochResult> results, ITrainingView view)
    {
        for (int epoch = 0; epoch < Options.Epochs; epoch++)
        {
            view.EpochStarted(epoch + 1);
            long start = Stopwatch.GetTimestamp();
            double costs = 0;
            MinibatchEpoch batches = _sampler.Epoch(epoch);
            for (int batch = 0; batch < batches.BatchCount; batch++)
            {
                _data.GatherBatch(batches[batch], _featureRows, _targetRows);
                Features.CopyFrom(_featureRows);
                Targets.CopyFrom(_targetRows);
                float cost = step(Features, Targets);
                if (!float.IsFinite(cost))
                {
                    throw new ArithmeticException(
                        $"Training diverged: batch {batch + 1} of epoch {epoch + 1} returned the cost {cost.ToString(CultureInfo.InvariantCulture)}. " +
                        "Try a smaller learning rate.");
                }

                costs += cost;
                view.BatchCompleted();
            }

            var result = new EpochResult(epoch + 1, (float)(costs / batches.BatchCount), batches.BatchCount, Stopwatch.GetElapsedTime(start));
            results.Add(result);
            string line = string.Create(CultureInfo.InvariantCulture, $"Epoch: {result.Epoch:000} | AvgCost: {result.AverageCost:0.000}");
            string? note = Options.AfterEpoch?.Invoke(result);
            view.EpochCompleted(string.IsNullOrEmpty(note) ? line : line + " | " + note);
        }
    }

    /// <summary>A console for the live bar when <paramref name="output"/> is an interactive ANSI terminal; otherwise null.</summary>
    private static IAnsiConsole? TerminalConsole(TextWriter output)
    {
        IAnsiConsole console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(output) });
        Capabilities capabilities = console.Profile.Capabilities;
        return console.Profile.Out.IsTerminal && capabilities.Ansi && capabilities.Interactive ? console : null;
    }
}
