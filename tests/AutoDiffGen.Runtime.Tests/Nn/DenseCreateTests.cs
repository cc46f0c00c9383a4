using System;
using System.Linq;
using AutoDiffGen.Nn;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Nn;

public class DenseCreateTests
{
    [Fact]
    public void CreateShapesTheLayerAndUsesEachInitializer()
    {
        Dense layer = Dense.Create(784, 256, Initializer.TruncatedNormal(stddev: 0.1f), Initializer.Zeros, seed: 1);

        Assert.Equal(784, layer.Inputs);
        Assert.Equal(256, layer.Outputs);
        Assert.Equal(new[] { 784, 256 }, layer.W.Shape.ToArray());
        Assert.Equal(new[] { 256 }, layer.B.Shape.ToArray());
        Assert.All(layer.B.ToArray(), b => Assert.Equal(0f, b));
        Assert.Equal(Initializer.TruncatedNormal(stddev: 0.1f).Create([784, 256], seed: 1).ToArray(), layer.W.ToArray());
        Assert.Equal(new[] { "W", "B" }, layer.Parameters.Select(p => p.Name));
        Assert.Equal(Device.Cpu, layer.W.Device);
    }

    [Fact]
    public void TheBiasDrawsOtherNumbersThanTheWeights()
    {
        Initializer same = Initializer.TruncatedNormal(stddev: 1f);
        Dense layer = Dense.Create(1, 8, same, same, seed: 9);
        float[] weights = layer.W.ToArray(), bias = layer.B.ToArray();
        Assert.NotEqual(weights, bias);
        Assert.Equal(bias, Dense.Create(1, 8, same, same, seed: 9).B.ToArray());
    }

    [Fact]
    public void CreateRefusesEmptyLayers()
    {
        var inputs = Assert.Throws<ArgumentOutOfRangeException>(() => Dense.Create(0, 3, Initializer.GlorotUniform, Initializer.Zeros, seed: 0));
        Assert.Equal("inputs", inputs.ParamName);
        var outputs = Assert.Throws<ArgumentOutOfRangeException>(() => Dense.Create(3, -2, Initializer.GlorotUniform, Initializer.Zeros, seed: 0));
        Assert.Equal("outputs", outputs.ParamName);
    }
}
