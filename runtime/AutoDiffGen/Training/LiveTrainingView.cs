using System.Globalization;
using Spectre.Console;

namespace AutoDiffGen.Training;

/// <summary>A Spectre.Console progress bar over all batches of all epochs, with each epoch's line printed above it.</summary>
internal sealed class LiveTrainingView : ITrainingView
{
    private readonly IAnsiConsole _console;
    private readonly ProgressTask _task;
    private readonly int _epochs;

    public LiveTrainingView(IAnsiConsole console, ProgressTask task, int epochs)
    {
        _console = console;
        _task = task;
        _epochs = epochs;
    }

    public void EpochStarted(int epoch) =>
        _task.Description = string.Create(CultureInfo.InvariantCulture, $"Epoch {epoch}/{_epochs}");

    public void BatchCompleted() => _task.Increment(1);

    // Written through the same console, so the bar's render hook moves it below the new line.
    public void EpochCompleted(string line) => _console.WriteLine(line);
}
