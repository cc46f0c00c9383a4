using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using Mnist;
using Xunit;

namespace AutoDiffGen.Samples.Tests.Mnist;

/// <summary>The sample as a user runs it: short trainings on the shipped digits, saving and evaluating, and its errors.</summary>
public sealed class MnistSampleTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "autodiffgen-mnist-" + Guid.NewGuid().ToString("N"));

    public MnistSampleTests()
    {
        Directory.CreateDirectory(_folder);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string File(string name) => Path.Combine(_folder, name);

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        int code = MnistApp.Run(args, output, error);
        return (code, output.ToString().ReplaceLineEndings("\n"), error.ToString().ReplaceLineEndings("\n"));
    }

    private static float[] EpochCosts(string output) =>
        Regex.Matches(output, @"^Epoch: \d{3} \| AvgCost: (\d+\.\d{3}) \| Test ACC: \d\.\d{3} \| \d+\.\d\d s$", RegexOptions.Multiline)
            .Select(m => float.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))
            .ToArray();

    private static double TestAccuracy(string output) =>
        double.Parse(Regex.Match(output, @"^Test accuracy: (\d+\.\d\d)%", RegexOptions.Multiline).Groups[1].Value, CultureInfo.InvariantCulture);

    [Fact]
    public void AShortRunLowersTheCostSavesTheParametersAndTheyEvaluateToTheSameAccuracy()
    {
        string checkpoint = File("mlp.safetensors"), graph = File("loss.dot");
        var (code, output, error) = Run("--epochs", "3", "--train-limit", "2000", "--test-limit", "500", "--save", checkpoint, "--graph", graph);

        Assert.True(code == 0, error);
        Assert.Contains("Data: 2,000 training and 500 test digits from ", output);
        Assert.Contains("Device: cpu (", output);
        Assert.Contains("== (c) generated gradient, optimizer.Step ==", output);
        float[] costs = EpochCosts(output);
        Assert.Equal(3, costs.Length);
        Assert.True(costs[2] < costs[1] && costs[1] < costs[0], $"costs {string.Join(", ", costs)} did not fall");
        double accuracy = TestAccuracy(output);
        Assert.True(accuracy >= 85, $"test accuracy {accuracy}% after three epochs on 2,000 digits");
        Assert.Contains($"Saved the parameters of (c) generated gradient, optimizer.Step to {checkpoint}", output);
        Assert.StartsWith("digraph Loss {", System.IO.File.ReadAllText(graph));
        Assert.Contains("The backward pass of Mlp.Loss was generated at build time: ", output);

        var (evaluated, evaluation, evaluationError) = Run("--evaluate", checkpoint, "--test-limit", "500");
        Assert.True(evaluated == 0, evaluationError);
        Assert.Contains($"Loaded {checkpoint} (trained: Optimizer, 3 epochs)", evaluation);
        Assert.Equal(accuracy, TestAccuracy(evaluation));
    }

    [Fact]
    public void TheThreeWaysSideBySideTrainIdentically()
    {
        var (code, output, error) = Run("--variant", "all", "--epochs", "1", "--train-limit", "1000", "--test-limit", "200", "--save", File("all.safetensors"), "--no-progress");

        Assert.True(code == 0, error);
        float[] costs = EpochCosts(output);
        Assert.Equal(3, costs.Length);
        Assert.All(costs, cost => Assert.Equal(costs[0], cost));
        Assert.Contains("== (a) hand-written backprop ==", output);
        Assert.Contains("== (b) generated gradient, manual update ==", output);
        Assert.Contains("| way | final AvgCost | test accuracy | time |", output);
        Assert.Equal(3, Regex.Matches(output, @"^\| \([abc]\) ", RegexOptions.Multiline).Count);
    }

    [Fact]
    public void TheDefaultRunTrainsTenEpochsOnAllShippedDigitsToNinetySixPercent()
    {
        // The README's command as it is: 96.30% on this machine. Over seeds 1 to 10 the default reaches 95.80% to 96.75%
        // (samples/Mnist/README.md); another SIMD width rounds differently, which moves a run about as much as another
        // seed does, so the bound sits at the lowest seed's result.
        var (code, output, error) = Run("--save", File("default.safetensors"));

        Assert.True(code == 0, error);
        Assert.Contains(
            "Training: gradient descent, learning rate 0.6 falling linearly to 0.01, batch 100, 10 epochs, seed 1; each digit moved by up to 1 pixel at random",
            output);
        Assert.Contains("Data: 8,000 training and 2,000 test digits", output);
        float[] costs = EpochCosts(output);
        Assert.Equal(10, costs.Length);
        Assert.True(costs[9] < costs[0] / 5, $"the cost fell only from {costs[0]} to {costs[9]}");
        double accuracy = TestAccuracy(output);
        Assert.True(accuracy >= 95.8, $"test accuracy {accuracy}% after ten epochs");
    }

    [Fact]
    public void TheGpuKernelsTrainLikeTheCpu()
    {
        // --device cuda runs the ILGPU kernels on a GPU; ilgpu-cpu runs the same kernels simulated here, which is slow,
        // so two batches are enough to compare the cost with the CPU device's.
        string[] args = ["--epochs", "1", "--train-limit", "200", "--test-limit", "100", "--no-progress"];
        var (cpuCode, cpu, cpuError) = Run([.. args, "--save", File("cpu.safetensors")]);
        var (gpuCode, gpu, gpuError) = Run([.. args, "--save", File("gpu.safetensors"), "--device", "ilgpu-cpu"]);

        Assert.True(cpuCode == 0, cpuError);
        Assert.True(gpuCode == 0, gpuError);
        Assert.Contains("Device: ilgpu-cpu: CPU simulator", gpu);
        Assert.Equal(EpochCosts(cpu)[0], EpochCosts(gpu)[0], 0.0021);
        Assert.Equal(2, Run("--device", "gpu").ExitCode);
    }

    [Fact]
    public void ATruncatedImagesFileIsNamedInTheError()
    {
        string data = CopyOfShippedData();
        string images = Path.Combine(data, "train-images-idx3-ubyte.gz");
        byte[] content = System.IO.File.ReadAllBytes(images);
        System.IO.File.WriteAllBytes(images, content[..(content.Length / 2)]);

        var (code, _, error) = Run("--data", data, "--save", File("never.safetensors"));
        Assert.Equal(1, code);
        Assert.StartsWith($"error: IDX file '{images}' ", error);
        Assert.False(System.IO.File.Exists(File("never.safetensors")));
    }

    [Fact]
    public void AMissingDataFolderOrFileIsNamed()
    {
        var (code, _, error) = Run("--data", File("nowhere"));
        Assert.Equal(1, code);
        Assert.Equal($"error: MNIST folder '{File("nowhere")}' does not exist.\n", error);

        string data = CopyOfShippedData();
        System.IO.File.Delete(Path.Combine(data, "t10k-labels-idx1-ubyte.gz"));
        var (missing, _, missingError) = Run("--data", data);
        Assert.Equal(1, missing);
        Assert.Contains("t10k-labels-idx1-ubyte", missingError);
    }

    [Fact]
    public void TheOriginalUncompressedIdxFilesAreReadToo()
    {
        string data = CopyOfShippedData();
        foreach (string gz in Directory.GetFiles(data, "t10k-*.gz"))
        {
            using var source = new System.IO.Compression.GZipStream(System.IO.File.OpenRead(gz), System.IO.Compression.CompressionMode.Decompress);
            using var target = System.IO.File.Create(gz[..^3]);
            source.CopyTo(target);
            source.Dispose();
            System.IO.File.Delete(gz);
        }

        // An untrained model is enough: evaluation reads only the test files.
        string checkpoint = File("raw.safetensors");
        AutoDiffGen.Serialization.Checkpoint.Save(new Mlp(seed: 1), checkpoint);
        var (code, output, error) = Run("--evaluate", checkpoint, "--data", data);
        Assert.True(code == 0, error);
        Assert.Contains($"Data: 2,000 test digits from {data}", output);
        Assert.Contains("of 2000)", output);
    }

    [Fact]
    public void ACorruptOrForeignCheckpointIsNamedInTheError()
    {
        string garbage = File("garbage.safetensors");
        System.IO.File.WriteAllBytes(garbage, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
        var (code, _, error) = Run("--evaluate", garbage);
        Assert.Equal(1, code);
        Assert.StartsWith($"error: Safetensors file '{garbage}' ", error);

        string foreign = File("foreign.safetensors");
        AutoDiffGen.Serialization.Checkpoint.Save(new AutoDiffGen.Nn.Dense(AutoDiffGen.Tensor.Zeros(784, 10), AutoDiffGen.Tensor.Zeros(10)), foreign);
        var (mismatch, _, mismatchError) = Run("--evaluate", foreign);
        Assert.Equal(1, mismatch);
        Assert.StartsWith($"error: Checkpoint '{foreign}' does not fit the model: it has no tensor 'Hidden1.W'", mismatchError);
        Assert.Contains("it has a tensor 'W' of shape [784,10] that the model has no parameter for", mismatchError);

        var (absent, _, absentError) = Run("--evaluate", File("absent.safetensors"));
        Assert.Equal(1, absent);
        Assert.Contains(File("absent.safetensors"), absentError);
    }

    [Fact]
    public void ABadCommandLineGetsTheUsage()
    {
        var (code, _, error) = Run("--epochs", "zero");
        Assert.Equal(2, code);
        Assert.StartsWith("error: --epochs needs a whole number of at least 1, not 'zero'.\n", error);
        Assert.Contains("Usage: dotnet run --project samples/Mnist", error);

        Assert.Equal(2, Run("--variant", "d").ExitCode);
        Assert.Equal(2, Run("--save").ExitCode);
        Assert.Equal(2, Run("--frobnicate").ExitCode);
        Assert.StartsWith("error: --max-shift needs a whole number from 0 to 27, not '28'.\n", Run("--max-shift", "28").Error);
        Assert.StartsWith("error: --final-learning-rate needs a positive number, not '0'.\n", Run("--final-learning-rate", "0").Error);
        var (help, usage, _) = Run("--help");
        Assert.Equal(0, help);
        Assert.Contains("--evaluate <path>", usage);
    }

    private string CopyOfShippedData()
    {
        string data = File("data-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(data);
        foreach (string file in Directory.GetFiles(ShippedDigits.Folder))
        {
            System.IO.File.Copy(file, Path.Combine(data, Path.GetFileName(file)));
        }

        return data;
    }
}
