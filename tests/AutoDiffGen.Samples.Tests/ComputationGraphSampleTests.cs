using Xunit;

namespace AutoDiffGen.Samples.Tests;

public class ComputationGraphSampleTests
{
    [Fact]
    public void PrintsTheSeedTalksValuesAndDerivatives()
    {
        string output = SampleOutput.Run(typeof(ComputationGraph.Graph).Assembly);

        // Seed slides 19 and 30-43: x = 3, w = 2, b = 1.
        Assert.Contains("u = 6, v = 7, a = 7", output);
        Assert.Contains("da/dw = 3\n", output);
        Assert.Contains("da/db = 1\n", output);
        Assert.Contains("da/dx = 2\n", output);
        Assert.Contains("da/dw (forward mode) = 3\n", output);
        Assert.Contains("ComputationGraph.Graph.Activation(float,float,float).g.cs", output);
    }
}
