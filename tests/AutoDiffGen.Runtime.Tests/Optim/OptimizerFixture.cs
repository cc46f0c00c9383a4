using System;
using System.Linq;
using AutoDiffGen.Runtime.Tests.Tensors;
using Xunit;
using Xunit.Sdk;

namespace AutoDiffGen.Runtime.Tests.Optim;

/// <summary>
/// Parameters of the sizes an optimizer's kernels treat differently (a vector shorter than one register, a matrix with a
/// tail after the vector loop, one big enough to split across threads, a strided view), with a double-precision copy for
/// the hand-computed updates.
/// </summary>
internal sealed class OptimizerFixture
{
    private static readonly int[][] s_shapes = [[3], [37, 41], [400, 200], [5, 3]];

    public OptimizerFixture(int seed)
    {
        var random = new Random(seed);
        Tensor[] tensors = s_shapes.Select(shape => TestData.Uniform(random, shape)).ToArray();
        tensors[3] = TestData.Strided(tensors[3]);
        Model = new ParameterList(tensors.Select((t, i) => ($"p{i}", t)).ToArray());
        Gradients = Model.ZerosLike();
        Expected = tensors.Select(t => t.ToArray().Select(v => (double)v).ToArray()).ToArray();
    }

    public ParameterList Model { get; }

    public ParameterList Gradients { get; }

    /// <summary>The parameters as the reference computation sees them, one array per parameter, row-major.</summary>
    public double[][] Expected { get; }

    public int Count => Expected.Length;

    /// <summary>Fills the gradients with fresh values and returns them as doubles.</summary>
    public double[][] NewGradients(Random random)
    {
        var values = new double[Count][];
        for (int i = 0; i < Count; i++)
        {
            float[] g = TestData.Values(random, Gradients[i].Length, -2, 2);
            Gradients[i].CopyFrom(g);
            values[i] = g.Select(v => (double)v).ToArray();
        }

        return values;
    }

    /// <summary>Every parameter within |Δ| ≤ absolute + relative·|expected| of the reference.</summary>
    public void AssertParametersClose(double relative, double absolute)
    {
        for (int p = 0; p < Count; p++)
        {
            float[] actual = Model[p].ToArray();
            for (int i = 0; i < actual.Length; i++)
            {
                double expected = Expected[p][i];
                if (!(Math.Abs(actual[i] - expected) <= absolute + (relative * Math.Abs(expected))))
                {
                    throw new XunitException($"parameter p{p} element {i}: expected {expected}, got {actual[i]}.");
                }
            }
        }
    }
}
