using System.Globalization;
using Scientific;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Scientific;

public class ScientificSampleTests
{
    [Fact]
    public void PrintsBothObjectivesOfItsReproducibleInstances()
    {
        string output = SampleOutput.Run(typeof(GaussianMixture).Assembly);

        double gmm = GmmInstance.Random(d: 2, k: 3, n: 20, seed: 1).Objective();
        double lstm = LstmInstance.Random(l: 2, b: 4, c: 8, seed: 1).Objective();
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"GMM objective (d = 2, K = 3, n = 20): {gmm:R}\n"), output);
        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"LSTM objective (l = 2, b = 4, c = 8): {lstm:R}\n"), output);
        Assert.True(double.IsFinite(gmm) && double.IsFinite(lstm));
    }
}
