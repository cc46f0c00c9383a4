using System;
using AutoDiffGen;
using AutoDiffGen.Data;

namespace Mnist;

/// <summary>Held-out digits as one tensor, for measuring a model's accuracy after each epoch.</summary>
public sealed class TestSet
{
    private readonly Tensor _images;
    private readonly int[] _labels;

    /// <summary>The first <paramref name="limit"/> examples of <paramref name="data"/> (all when null), on <paramref name="device"/>.</summary>
    public TestSet(MnistDataset data, int? limit, Device device)
    {
        int count = Math.Min(limit ?? data.Count, data.Count);
        _images = Tensor.FromArray(device, data.Images[..(count * MnistDataset.PixelsPerImage)], count, MnistDataset.PixelsPerImage);
        _labels = data.Labels[..count].ToArray();
    }

    /// <summary>How many digits there are.</summary>
    public int Count => _labels.Length;

    /// <summary>The fraction of digits whose largest logit is at the right class.</summary>
    public float Accuracy(Mlp model) => TensorOps.Accuracy(model.Logits(_images), _labels);
}
