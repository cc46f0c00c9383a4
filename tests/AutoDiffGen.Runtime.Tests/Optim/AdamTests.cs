using System;
using System.Linq;
using AutoDiffGen.Optim;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Optim;

public class AdamTests
{
    [Fact]
    public void StepsFollowAlgorithmOneOfThePaperWithBiasCorrection()
    {
        const double lr = 0.01, beta1 = 0.8, beta2 = 0.95, epsilon = 1e-6;
        var fixture = new OptimizerFixture(seed: 5);
        var optimizer = new Adam((float)lr, (float)beta1, (float)beta2, (float)epsilon);
        var random = new Random(6);
        double[][] m = fixture.Expected.Select(p => new double[p.Length]).ToArray();
        double[][] v = fixture.Expected.Select(p => new double[p.Length]).ToArray();
        for (int t = 1; t <= 5; t++)
        {
            double[][] g = fixture.NewGradients(random);
            optimizer.Step(fixture.Model, fixture.Gradients);
            Assert.Equal(t, optimizer.StepCount);
            for (int p = 0; p < fixture.Count; p++)
            {
                for (int i = 0; i < g[p].Length; i++)
                {
                    m[p][i] = (beta1 * m[p][i]) + ((1 - beta1) * g[p][i]);
                    v[p][i] = (beta2 * v[p][i]) + ((1 - beta2) * g[p][i] * g[p][i]);
                    double mHat = m[p][i] / (1 - Math.Pow(beta1, t));
                    double vHat = v[p][i] / (1 - Math.Pow(beta2, t));
                    fixture.Expected[p][i] -= lr * mHat / (Math.Sqrt(vHat) + epsilon);
                }
            }

            // Each step moves a parameter by at most about lr; float rounding of that is ~1e-9.
            fixture.AssertParametersClose(relative: 1e-6, absolute: 2e-7);
        }
    }

    [Fact]
    public void TheFirstStepMovesEveryParameterByTheLearningRateAgainstTheGradientsSign()
    {
        // With bias correction, m̂ = g and v̂ = g² at t = 1, so the update is lr·g / (|g| + ε) ≈ lr·sign(g).
        var model = new ParameterList(("w", Tensor.FromArray([1f, 1f, 1f, 1f])));
        ParameterList gradients = model.ZerosLike();
        gradients[0].CopyFrom([3f, -0.5f, 1e-3f, -200f]);
        new Adam(learningRate: 0.1f).Step(model, gradients);
        float[] w = model[0].ToArray();
        Assert.Equal(0.9f, w[0], 5);
        Assert.Equal(1.1f, w[1], 5);
        Assert.Equal(0.9f, w[2], 4);
        Assert.Equal(1.1f, w[3], 5);
    }

    [Fact]
    public void StepsAllocateNothingAfterTheFirst()
    {
        var model = new ParameterList(("w", Tensor.Ones(300, 200)), ("b", Tensor.Ones(200)));
        ParameterList gradients = model.ZerosLike();
        TensorOps.Fill(gradients[0], 0.5f);
        var optimizer = new Adam();
        optimizer.Step(model, gradients);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 10; i++)
        {
            optimizer.Step(model, gradients);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    [Fact]
    public void SettingsOutOfRangeAreRefused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(learningRate: -1e-3f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta1: 1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(beta2: -0.5f));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Adam(epsilon: 0f));
        var adam = new Adam();
        Assert.Equal((1e-3f, 0.9f, 0.999f, 1e-8f), (adam.LearningRate, adam.Beta1, adam.Beta2, adam.Epsilon));
        Assert.Equal("Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08)", adam.ToString());
    }
}
