using System.IO;

namespace AutoDiffGen.Training;

/// <summary>One line per epoch to a writer and nothing else: for logs, pipes and tests.</summary>
internal sealed class PlainTrainingView : ITrainingView
{
    private readonly TextWriter _output;

    public PlainTrainingView(TextWriter output)
    {
        _output = output;
    }

    public void EpochStarted(int epoch)
    {
    }

    public void BatchCompleted()
    {
    }

    public void EpochCompleted(string line)
    {
        _output.WriteLine(line);
        _output.Flush();
    }
}
