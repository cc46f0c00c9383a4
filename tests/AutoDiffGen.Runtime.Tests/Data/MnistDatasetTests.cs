using System;
using System.IO;
using System.Linq;
using AutoDiffGen.Data;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Data;

public class MnistDatasetTests
{
    private static readonly string s_shippedData = RepositoryPaths.Combine("samples/Mnist/data");

    private static int[] ClassCounts(MnistDataset dataset)
    {
        var counts = new int[MnistDataset.ClassCount];
        foreach (int label in dataset.Labels)
        {
            counts[label]++;
        }

        return counts;
    }

    [Fact]
    public void ShippedTrainingSetHas8000DigitsOfEveryClass()
    {
        MnistDataset train = MnistDataset.LoadFromDirectory(s_shippedData, MnistSplit.Train);

        Assert.Equal(8000, train.Count);
        Assert.Equal(8000 * 784, train.Images.Length);
        // The counts samples/Mnist/data/README.md documents.
        Assert.Equal([801, 902, 793, 826, 784, 690, 811, 856, 755, 782], ClassCounts(train));
        AssertLooksLikeMnist(train);
    }

    [Fact]
    public void ShippedTestSetHas2000DigitsOfEveryClass()
    {
        MnistDataset test = MnistDataset.LoadFromDirectory(s_shippedData, MnistSplit.Test);

        Assert.Equal(2000, test.Count);
        Assert.Equal([200, 225, 198, 206, 196, 173, 203, 214, 189, 196], ClassCounts(test));
        AssertLooksLikeMnist(test);
    }

    private static void AssertLooksLikeMnist(MnistDataset dataset)
    {
        float min = float.MaxValue, max = float.MinValue;
        double sum = 0;
        foreach (float pixel in dataset.Images)
        {
            min = Math.Min(min, pixel);
            max = Math.Max(max, pixel);
            sum += pixel;
        }

        Assert.Equal(0f, min);
        Assert.Equal(1f, max);
        // MNIST digits are white strokes on black: about 13% mean intensity.
        double mean = sum / dataset.Images.Length;
        Assert.InRange(mean, 0.10, 0.16);
        // Every image has ink, and its border rows are (nearly) empty.
        for (int i = 0; i < dataset.Count; i++)
        {
            ReadOnlySpan<float> image = dataset.Image(i);
            Assert.True(image.ToArray().Sum() > 10f, $"image {i} is almost blank");
            Assert.True(image[..28].ToArray().Sum() < 1f, $"image {i} has ink in its top row");
        }
    }

    private static void WriteIdx(string path, ReadOnlySpan<int> dimensions, byte[] data, bool compress = true) =>
        IdxFile.Write(path, new IdxArray(dimensions, data), compress);

    [Fact]
    public void LoadNormalisesPixelsToUnitRangeAndKeepsLabels()
    {
        using var folder = new TemporaryFolder();
        var pixels = new byte[2 * 784];
        pixels[0] = 255;
        pixels[1] = 51;
        pixels[784 + 783] = 128;
        WriteIdx(folder.File("i.gz"), [2, 28, 28], pixels);
        WriteIdx(folder.File("l.gz"), [2], [7, 0]);

        MnistDataset dataset = MnistDataset.Load(folder.File("i.gz"), folder.File("l.gz"));

        Assert.Equal(2, dataset.Count);
        Assert.Equal([7, 0], dataset.Labels.ToArray());
        Assert.Equal(1f, dataset.Image(0)[0]);
        Assert.Equal(0.2f, dataset.Image(0)[1]);
        Assert.Equal(0f, dataset.Image(0)[2]);
        Assert.Equal(128 / 255f, dataset.Image(1)[783]);
    }

    [Fact]
    public void ImageAndLabelCountsMustMatch()
    {
        using var folder = new TemporaryFolder();
        WriteIdx(folder.File("i"), [3, 28, 28], new byte[3 * 784]);
        WriteIdx(folder.File("l"), [2], [1, 2]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder.File("i"), folder.File("l")));
        Assert.Contains($"'{folder.File("i")}' holds 3 images but labels file '{folder.File("l")}' holds 2 labels", error.Message);
    }

    [Fact]
    public void LabelsOutsideZeroToNineAreRejected()
    {
        using var folder = new TemporaryFolder();
        WriteIdx(folder.File("i"), [3, 28, 28], new byte[3 * 784]);
        WriteIdx(folder.File("l"), [3], [1, 9, 10]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder.File("i"), folder.File("l")));
        Assert.Contains($"'{folder.File("l")}' has label 10 at index 2; labels must be 0 to 9", error.Message);
    }

    [Fact]
    public void ImagesMustBe28By28()
    {
        using var folder = new TemporaryFolder();
        WriteIdx(folder.File("i"), [2, 27, 28], new byte[2 * 27 * 28]);
        WriteIdx(folder.File("l"), [2], [1, 2]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder.File("i"), folder.File("l")));
        Assert.Contains($"'{folder.File("i")}' has dimensions [2, 27, 28]; expected [n, 28, 28]", error.Message);
    }

    [Fact]
    public void LabelsMustBeOneDimensional()
    {
        using var folder = new TemporaryFolder();
        WriteIdx(folder.File("i"), [2, 28, 28], new byte[2 * 784]);
        WriteIdx(folder.File("l"), [2, 1], [1, 2]);

        var error = Assert.Throws<InvalidDataException>(() => MnistDataset.Load(folder.File("i"), folder.File("l")));
        Assert.Contains($"'{folder.File("l")}' has dimensions [2, 1]; expected [n]", error.Message);
    }

    [Fact]
    public void DirectoryLoaderAcceptsUncompressedFilesAndTheDottedSpelling()
    {
        using var folder = new TemporaryFolder();
        WriteIdx(folder.File("t10k-images.idx3-ubyte"), [1, 28, 28], new byte[784], compress: false);
        WriteIdx(folder.File("t10k-labels-idx1-ubyte"), [1], [4], compress: false);

        MnistDataset test = MnistDataset.LoadFromDirectory(folder.Path, MnistSplit.Test);

        Assert.Equal([4], test.Labels.ToArray());
    }

    [Fact]
    public void DirectoryLoaderNamesWhatIsMissing()
    {
        using var folder = new TemporaryFolder();
        WriteIdx(folder.File("train-images-idx3-ubyte.gz"), [1, 28, 28], new byte[784]);

        var missing = Assert.Throws<FileNotFoundException>(() => MnistDataset.LoadFromDirectory(folder.Path, MnistSplit.Train));
        Assert.Contains($"No MNIST file 'train-labels' in '{folder.Path}': looked for train-labels-idx1-ubyte.gz, " +
                        "train-labels-idx1-ubyte, train-labels.idx1-ubyte.gz, train-labels.idx1-ubyte", missing.Message);

        string nowhere = folder.File("nowhere");
        var noFolder = Assert.Throws<DirectoryNotFoundException>(() => MnistDataset.LoadFromDirectory(nowhere, MnistSplit.Train));
        Assert.Contains(nowhere, noFolder.Message);
    }

    private static MnistDataset SmallDataset(TemporaryFolder folder, int count)
    {
        // Image i is filled with the value i / 255, so a gathered row tells which example it came from.
        var pixels = new byte[count * 784];
        var labels = new byte[count];
        for (int i = 0; i < count; i++)
        {
            pixels.AsSpan(i * 784, 784).Fill((byte)i);
            labels[i] = (byte)(i % 10);
        }

        WriteIdx(folder.File("i"), [count, 28, 28], pixels);
        WriteIdx(folder.File("l"), [count], labels);
        return MnistDataset.Load(folder.File("i"), folder.File("l"));
    }

    [Fact]
    public void GatherCopiesRowsInBatchOrderWithOneHotLabels()
    {
        using var folder = new TemporaryFolder();
        MnistDataset dataset = SmallDataset(folder, 30);
        int[] batch = [17, 3, 29];
        var images = new float[3 * 784];
        var oneHot = new float[3 * 10];
        oneHot.AsSpan().Fill(5f); // stale values from an earlier batch must go

        dataset.GatherBatch(batch, images, oneHot);

        for (int row = 0; row < batch.Length; row++)
        {
            Assert.All(images.AsSpan(row * 784, 784).ToArray(), pixel => Assert.Equal(batch[row] / 255f, pixel));
            float[] expected = new float[10];
            expected[batch[row] % 10] = 1f;
            Assert.Equal(expected, oneHot.AsSpan(row * 10, 10).ToArray());
        }

        var labels = new int[3];
        dataset.GatherBatch(batch, images, labels);
        Assert.Equal([7, 3, 9], labels);
    }

    [Fact]
    public void GatherRejectsWrongBufferSizesAndIndices()
    {
        using var folder = new TemporaryFolder();
        MnistDataset dataset = SmallDataset(folder, 5);

        var wrongImages = Assert.Throws<ArgumentException>(() => dataset.GatherBatch([0, 1], new float[784], new float[20]));
        Assert.Contains("Buffer images has 784 elements; a batch of 2 needs exactly 1568 ([2, 784])", wrongImages.Message);

        var wrongLabels = Assert.Throws<ArgumentException>(() => dataset.GatherBatch([0, 1], new float[1568], new float[10]));
        Assert.Contains("Buffer oneHotLabels has 10 elements; a batch of 2 needs exactly 20 ([2, 10])", wrongLabels.Message);

        var badIndex = Assert.Throws<ArgumentOutOfRangeException>(() => dataset.GatherBatch([0, 5], new float[1568], new float[20]));
        Assert.Contains("Example index 5 (at batch[1]) is outside 0 to 4", badIndex.Message);

        var badImage = Assert.Throws<ArgumentOutOfRangeException>(() => dataset.Image(-1));
        Assert.Contains("Example index -1 is outside 0 to 4", badImage.Message);
    }

    [Fact]
    public void AnEpochOfGatheringAllocatesNothing()
    {
        using var folder = new TemporaryFolder();
        MnistDataset dataset = SmallDataset(folder, 250);
        var sampler = new MinibatchSampler(dataset.Count, batchSize: 32, seed: 1, dropLastPartialBatch: true);
        var images = new float[32 * 784];
        var oneHot = new float[32 * 10];

        RunEpoch(0); // warm up (JIT, tiered compilation)
        long before = GC.GetAllocatedBytesForCurrentThread();
        float checksum = 0;
        for (int epoch = 1; epoch <= 5; epoch++)
        {
            checksum += RunEpoch(epoch);
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(0, allocated);
        Assert.True(checksum > 0);

        float RunEpoch(int epoch)
        {
            float sum = 0;
            foreach (ReadOnlySpan<int> batch in sampler.Epoch(epoch))
            {
                dataset.GatherBatch(batch, images, oneHot);
                sum += images[0] + oneHot[0];
            }

            return sum;
        }
    }
}
