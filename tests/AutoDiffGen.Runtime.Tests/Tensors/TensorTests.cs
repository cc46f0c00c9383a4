using System;
using System.Linq;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class TensorTests
{
    [Fact]
    public void CreationFillsTheRequestedShape()
    {
        var zeros = Tensor.Zeros(2, 3);
        Assert.Equal([2, 3], zeros.Shape.ToArray());
        Assert.Equal([3, 1], zeros.Strides.ToArray());
        Assert.Equal(2, zeros.Rank);
        Assert.Equal(6, zeros.Length);
        Assert.True(zeros.IsContiguous);
        Assert.All(zeros.ToArray(), v => Assert.Equal(0f, v));
        Assert.All(Tensor.Ones(4).ToArray(), v => Assert.Equal(1f, v));
        Assert.All(Tensor.Full(-2.5f, 3, 1, 2).ToArray(), v => Assert.Equal(-2.5f, v));
        Assert.Same(Device.Cpu, zeros.Device);
        Assert.Equal("Tensor[2,3] on cpu", zeros.ToString());
    }

    [Fact]
    public void ScalarHasRankZeroAndOneElement()
    {
        var scalar = Tensor.Scalar(3.5f);
        Assert.Equal(0, scalar.Rank);
        Assert.Equal(1, scalar.Length);
        Assert.Equal(3.5f, scalar.ToScalar());
        Assert.Equal(3.5f, scalar[ReadOnlySpan<int>.Empty]);
    }

    [Fact]
    public void FromArrayCopiesTheData()
    {
        float[] data = [1, 2, 3, 4, 5, 6];
        var tensor = Tensor.FromArray(data, 2, 3);
        data[0] = 100;
        Assert.Equal(1f, tensor[0, 0]);
        Assert.Equal(6f, tensor[1, 2]);
        Assert.Equal([1f, 2, 3, 4, 5, 6], Tensor.FromArray(new ReadOnlySpan<float>([1, 2, 3, 4, 5, 6]), 3, 2).ToArray());
        Assert.Equal([3], Tensor.FromArray([1f, 2, 3]).Shape.ToArray());
    }

    [Fact]
    public void FromArrayRejectsALengthThatDoesNotFitTheShape()
    {
        var error = Assert.Throws<ArgumentException>(() => Tensor.FromArray(new float[5], 2, 3));
        Assert.Equal("FromArray: shape [2,3] needs 6 elements but the data has 5.", error.Message);
        Assert.Contains("at most 4 axes", Assert.Throws<ArgumentException>(() => Tensor.Zeros(1, 1, 1, 1, 1)).Message);
        Assert.Contains("negative dimension", Assert.Throws<ArgumentException>(() => Tensor.Zeros(2, -1)).Message);
    }

    [Fact]
    public void IndexerReadsAndWritesOneElement()
    {
        var tensor = Tensor.Zeros(2, 3, 4);
        tensor[1, 2, 3] = 7f;
        Assert.Equal(7f, tensor[1, 2, 3]);
        Assert.Equal(7f, tensor.ToArray()[(1 * 12) + (2 * 4) + 3]);
        Assert.Equal("Indexer: 2 indices given for a tensor of shape [2,3,4].", Assert.Throws<ArgumentException>(() => tensor[0, 0]).Message);
        Assert.Throws<IndexOutOfRangeException>(() => tensor[0, 3, 0]);
    }

    [Fact]
    public void CopyFromAndCopyToMoveRowMajorData()
    {
        var tensor = Tensor.Zeros(2, 2);
        tensor.CopyFrom([1f, 2, 3, 4]);
        var back = new float[5];
        tensor.Transpose().CopyTo(back);
        Assert.Equal([1f, 3, 2, 4, 0], back);
        Assert.Contains("holds 3 elements", Assert.Throws<ArgumentException>(() => tensor.CopyFrom([1f, 2, 3])).Message);
    }

    [Fact]
    public void ToScalarNeedsExactlyOneElement()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Tensor.Zeros(2).ToScalar());
        Assert.Equal("ToScalar: the tensor has shape [2] (2 elements), not one element.", error.Message);
        Assert.Equal(0f, Tensor.Zeros(1, 1).ToScalar());
    }

    [Fact]
    public void ReshapeOfAContiguousTensorIsAViewSharingStorage()
    {
        var tensor = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        var view = tensor.Reshape(3, -1);
        Assert.Equal([3, 2], view.Shape.ToArray());
        view[2, 1] = 60f;
        Assert.Equal(60f, tensor[1, 2]);
        Assert.Equal([6], tensor.Reshape(-1).Shape.ToArray());
    }

    [Fact]
    public void ReshapeOfATransposedViewCopiesInLogicalOrder()
    {
        var tensor = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        var reshaped = tensor.Transpose().Reshape(6);
        Assert.Equal([1f, 4, 2, 5, 3, 6], reshaped.ToArray());
        reshaped[0] = 10f;
        Assert.Equal(1f, tensor[0, 0]);
    }

    [Fact]
    public void ReshapeRejectsAnotherElementCount()
    {
        var tensor = Tensor.Zeros(2, 3);
        Assert.Equal("Reshape: cannot reshape [2,3] (6 elements) to [4,2] (8 elements).", Assert.Throws<ArgumentException>(() => tensor.Reshape(4, 2)).Message);
        Assert.Contains("more than one -1", Assert.Throws<ArgumentException>(() => tensor.Reshape(-1, -1)).Message);
        Assert.Contains("cannot reshape [2,3] (6 elements) to [4,-1]", Assert.Throws<ArgumentException>(() => tensor.Reshape(4, -1)).Message);
    }

    [Fact]
    public void TransposeIsAStridedViewSharingStorage()
    {
        var tensor = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        var transposed = tensor.Transpose();
        Assert.Equal([3, 2], transposed.Shape.ToArray());
        Assert.Equal([1, 3], transposed.Strides.ToArray());
        Assert.False(transposed.IsContiguous);
        Assert.Equal([1f, 4, 2, 5, 3, 6], transposed.ToArray());
        transposed[2, 0] = 30f;
        Assert.Equal(30f, tensor[0, 2]);
        Assert.True(transposed.Contiguous().IsContiguous);
        Assert.Equal(transposed.ToArray(), transposed.Contiguous().ToArray());
    }

    [Fact]
    public void TransposeWithAPermutationReordersAxes()
    {
        var random = new Random(1);
        var tensor = TestData.Uniform(random, [2, 3, 4, 5]);
        var permuted = tensor.Transpose(2, 0, 3, 1);
        Assert.Equal([4, 2, 5, 3], permuted.Shape.ToArray());
        for (int a = 0; a < 2; a++)
        {
            for (int b = 0; b < 3; b++)
            {
                for (int c = 0; c < 4; c++)
                {
                    for (int d = 0; d < 5; d++)
                    {
                        Assert.Equal(tensor[a, b, c, d], permuted[c, a, d, b]);
                    }
                }
            }
        }

        Assert.Contains("is not a permutation", Assert.Throws<ArgumentException>(() => tensor.Transpose(0, 0, 1, 2)).Message);
        Assert.Throws<InvalidOperationException>(() => tensor.Transpose());
    }

    [Fact]
    public void ToTheSameDeviceReturnsTheTensorItself()
    {
        var tensor = Tensor.Ones(2, 2);
        Assert.Same(tensor, tensor.To(Device.Cpu));
    }

    [Fact]
    public void CloneOwnsItsStorage()
    {
        var tensor = Tensor.Ones(3);
        var clone = tensor.Clone();
        clone[0] = 5f;
        Assert.Equal(1f, tensor[0]);
    }

    [Fact]
    public void Pcg32MatchesTheReferenceImplementationsPublishedOutput()
    {
        // pcg32-demo from the PCG reference implementation: pcg32_srandom_r(&rng, 42u, 54u), first six outputs.
        var generator = new Pcg32(42, 54);
        uint[] expected = [0xa15c02b7, 0x7b47f409, 0xba1d3330, 0x83d2f293, 0xbfa4784b, 0xcbed606e];
        Assert.Equal(expected, Enumerable.Range(0, 6).Select(_ => generator.NextUInt32()).ToArray());
    }

    [Fact]
    public void RandomNormalIsDeterministicPerSeedWithTheRequestedMoments()
    {
        var first = Tensor.RandomNormal([200, 500], seed: 7, mean: 1.5f, stddev: 2f).ToArray();
        Assert.Equal(first, Tensor.RandomNormal([200, 500], seed: 7, mean: 1.5f, stddev: 2f).ToArray());
        Assert.NotEqual(first, Tensor.RandomNormal([200, 500], seed: 8, mean: 1.5f, stddev: 2f).ToArray());
        double mean = first.Average(v => (double)v);
        double std = Math.Sqrt(first.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, 1.5 - 0.03, 1.5 + 0.03);
        Assert.InRange(std, 2 - 0.03, 2 + 0.03);
    }

    [Fact]
    public void TruncatedNormalStaysWithinTwoStandardDeviations()
    {
        var values = Tensor.TruncatedNormal([100_000], seed: 3, mean: -1f, stddev: 0.5f).ToArray();
        Assert.All(values, v => Assert.InRange(v, -2f, 0f));

        // The standard deviation of a normal truncated at ±2σ is 0.8796σ.
        double mean = values.Average(v => (double)v);
        double std = Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
        Assert.InRange(mean, -1 - 0.01, -1 + 0.01);
        Assert.InRange(std, (0.8796 * 0.5) - 0.005, (0.8796 * 0.5) + 0.005);
        Assert.Throws<ArgumentOutOfRangeException>(() => Tensor.TruncatedNormal([3], seed: 1, stddev: -1f));
    }
}
