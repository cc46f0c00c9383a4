using System;
using AutoDiffGen.Optim;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Optim;

public class LinearDecayTests
{
    [Fact]
    public void TheRateFallsInAStraightLineAndThenStays()
    {
        var schedule = new LinearDecay(initial: 0.5f, final: 0.05f, steps: 10);

        Assert.Equal(0.5f, schedule.At(0));
        Assert.Equal(0.455f, schedule.At(1), 6);
        Assert.Equal(0.275f, schedule.At(5), 6);
        Assert.Equal(0.095f, schedule.At(9), 6);
        Assert.Equal(0.05f, schedule.At(10));
        Assert.Equal(0.05f, schedule.At(1_000_000));
        for (int step = 1; step <= 10; step++)
        {
            Assert.True(schedule.At(step) < schedule.At(step - 1), $"step {step} did not fall");
        }
    }

    [Fact]
    public void ARisingScheduleIsAllowed()
    {
        // Warm-up: from a small rate to a larger one.
        var warmUp = new LinearDecay(initial: 0.01f, final: 0.1f, steps: 3);
        Assert.Equal(0.04f, warmUp.At(1), 6);
        Assert.Equal(0.1f, warmUp.At(3));
    }

    [Fact]
    public void BadRatesStepsAndNegativeStepsAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>("initial", () => new LinearDecay(0f, 0.1f, 10));
        Assert.Throws<ArgumentOutOfRangeException>("final", () => new LinearDecay(0.1f, float.NaN, 10));
        Assert.Throws<ArgumentOutOfRangeException>("steps", () => new LinearDecay(0.1f, 0.01f, 0));
        var error = Assert.Throws<ArgumentOutOfRangeException>("step", () => new LinearDecay(0.1f, 0.01f, 10).At(-1));
        Assert.Contains("-1", error.Message);
    }
}
