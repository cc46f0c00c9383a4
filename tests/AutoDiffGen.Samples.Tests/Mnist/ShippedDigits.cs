using System;
using System.IO;
using AutoDiffGen;
using AutoDiffGen.Data;

namespace AutoDiffGen.Samples.Tests.Mnist;

/// <summary>The sample's digits, copied beside the test binaries, loaded once for all tests.</summary>
internal static class ShippedDigits
{
    private static readonly Lazy<MnistDataset> s_train = new(() => MnistDataset.LoadFromDirectory(Folder, MnistSplit.Train));

    /// <summary>The folder the sample's build copies its data to.</summary>
    public static string Folder => Path.Combine(AppContext.BaseDirectory, "data");

    public static MnistDataset Train => s_train.Value;

    /// <summary>The first <paramref name="count"/> training digits as a batch: images [count, 784] and one-hot labels [count, 10].</summary>
    public static (Tensor Images, Tensor Labels) FirstBatch(int count)
    {
        int[] indices = new int[count];
        for (int i = 0; i < count; i++)
        {
            indices[i] = i;
        }

        var images = new float[count * MnistDataset.PixelsPerImage];
        var labels = new float[count * MnistDataset.ClassCount];
        Train.GatherBatch(indices, images, labels);
        return (Tensor.FromArray(images, count, MnistDataset.PixelsPerImage), Tensor.FromArray(labels, count, MnistDataset.ClassCount));
    }
}
