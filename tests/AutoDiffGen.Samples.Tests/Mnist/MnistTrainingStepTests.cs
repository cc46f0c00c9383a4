using System;
using System.Linq;
using AutoDiffGen;
using AutoDiffGen.Nn;
using AutoDiffGen.Optim;
using AutoDiffGen.Training;
using Mnist;
using Xunit;
using Xunit.Sdk;

namespace AutoDiffGen.Samples.Tests.Mnist;

/// <summary>The sample's three ways to take a step agree: same gradients, same updates.</summary>
public class MnistTrainingStepTests
{
    private static void AssertClose(IParameterized expected, IParameterized actual, float relative, float absolute)
    {
        foreach ((NamedParameter e, NamedParameter a) in expected.Parameters.Zip(actual.Parameters))
        {
            Assert.Equal(e.Name, a.Name);
            float[] x = e.Value.ToArray(), y = a.Value.ToArray();
            for (int i = 0; i < x.Length; i++)
            {
                if (!(Math.Abs(x[i] - y[i]) <= absolute + (relative * Math.Abs(x[i]))))
                {
                    throw new XunitException($"{e.Name}[{i}]: {x[i]} against {y[i]}.");
                }
            }
        }
    }

    [Fact]
    public void HandWrittenBackpropAndTheGeneratedGradientAgreeOnABatchOfRealDigits()
    {
        var model = new Mlp(seed: 1);
        (Tensor x, Tensor y) = ShippedDigits.FirstBatch(100);

        Mlp.Gradients generated = model.CreateGradients();
        float generatedCost = model.LossGradient(x, y, generated);
        Mlp.Gradients handWritten = model.CreateGradients();
        float handWrittenCost = new HandWrittenBackprop(model, 100).Gradient(x, y, handWritten);

        Assert.Equal(model.Loss(x, y), generatedCost, 5);
        Assert.Equal(generatedCost, handWrittenCost, 5);
        // The same kernels in a slightly different order: agreement to float rounding, relative to each tensor's scale.
        float scale = generated.Parameters.Max(p => p.Value.ToArray().Max(Math.Abs));
        AssertClose(generated, handWritten, relative: 1e-4f, absolute: 1e-6f * scale);
        Assert.True(scale > 1e-3f, "the gradient is not trivially zero");
    }

    [Fact]
    public void TwoStepsOfEachWayMoveTheParametersTheSameWayAtTheScheduledRates()
    {
        (Tensor x, Tensor y) = ShippedDigits.FirstBatch(100);
        Mlp a = new(seed: 2), b = new(seed: 2), c = new(seed: 2), before = new(seed: 2);
        var schedule = new LinearDecay(initial: 0.5f, final: 0.1f, steps: 2);
        var optimizer = new Sgd(1f);
        TrainingStep stepA = TrainingSteps.HandWritten(a, schedule, 100), stepB = TrainingSteps.Generated(b, schedule);
        TrainingStep stepC = TrainingSteps.WithOptimizer(c, optimizer, schedule);
        stepA(x, y);
        stepB(x, y);
        stepC(x, y);
        float costA = stepA(x, y), costB = stepB(x, y), costC = stepC(x, y);

        Assert.Equal(costB, costA, 5);
        Assert.Equal(costB, costC);
        // (b) and (c) apply the same gradient with the same kernel: bit for bit equal.
        AssertClose(b, c, relative: 0f, absolute: 0f);
        AssertClose(b, a, relative: 1e-5f, absolute: 1e-6f);
        float moved = b.Parameters.Zip(before.Parameters).Max(p => p.First.Value.ToArray().Zip(p.Second.Value.ToArray()).Max(v => Math.Abs(v.First - v.Second)));
        Assert.True(moved > 1e-4f, $"the steps moved no parameter by more than {moved}");
        // The second step ran at the schedule's second rate, halfway from 0.5 to 0.1.
        Assert.Equal(0.3f, optimizer.LearningRate, 6);
    }

    [Fact]
    public void TheHandWrittenStepAllocatesNothingOnceRunning()
    {
        (Tensor x, Tensor y) = ShippedDigits.FirstBatch(100);
        TrainingStep step = TrainingSteps.HandWritten(new Mlp(seed: 3), new LinearDecay(0.1f, 0.01f, steps: 10), 100);
        step(x, y);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 3; i++)
        {
            step(x, y);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
