using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Intrinsics;
using AutoDiffGen;
using AutoDiffGen.Data;
using AutoDiffGen.Optim;
using AutoDiffGen.Serialization;
using AutoDiffGen.Training;

namespace Mnist;

/// <summary>
/// The talk's MNIST example (slides 44 to 56): load the digits, train the MLP one, two or three ways with the same
/// loop, print the average cost per epoch and the test accuracy, save the parameters, show the generated backward pass.
/// </summary>
public static class MnistApp
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>Runs the sample; returns the process exit code (0 done, 1 failed, 2 bad command line).</summary>
    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        SampleOptions options;
        try
        {
            options = SampleOptions.Parse(args);
        }
        catch (FormatException problem)
        {
            error.WriteLine($"error: {problem.Message}");
            error.WriteLine(SampleOptions.Usage);
            return 2;
        }

        if (options.Help)
        {
            output.WriteLine(SampleOptions.Usage);
            return 0;
        }

        try
        {
            if (options.EvaluatePath is not null)
            {
                Evaluate(options, options.EvaluatePath, output);
            }
            else
            {
                Train(options, output);
            }

            return 0;
        }
        catch (Exception problem) when (problem is IOException or InvalidDataException or UnauthorizedAccessException or ArithmeticException or InvalidOperationException)
        {
            // Missing or corrupt data and checkpoint files (their messages name the file), a diverging run, or --device cuda
            // without a usable GPU (the message says why).
            error.WriteLine($"error: {problem.Message}");
            return 1;
        }
    }

    private static void Train(SampleOptions options, TextWriter output)
    {
        output.WriteLine("AutoDiffGen MNIST: the talk's multilayer perceptron (slides 44-56)");
        Device device = Device.FromName(options.DeviceName);
        (IMinibatchSource train, TestSet test) = LoadData(options, device, output);
        PrintDevice(device, output);
        output.WriteLine("Model: 784-256-256-10, ReLU, softmax cross-entropy; hidden weights truncated normal (stddev 0.1), output weights Glorot uniform, biases 0");
        string rate = options.FinalLearningRate == options.LearningRate
            ? string.Create(Invariant, $"learning rate {options.LearningRate}")
            : string.Create(Invariant, $"learning rate {options.LearningRate} falling linearly to {options.FinalLearningRate}");
        string shifts = options.MaxShift == 0
            ? "digits as they are"
            : string.Create(Invariant, $"each digit moved by up to {options.MaxShift} pixel{(options.MaxShift == 1 ? "" : "s")} at random");
        output.WriteLine(string.Create(Invariant,
            $"Training: gradient descent, {rate}, batch {options.BatchSize}, {options.Epochs} epochs, seed {options.Seed}; {shifts}"));

        var summaries = new List<(TrainingVariant Variant, float Cost, float Accuracy, TimeSpan Time)>();
        Mlp? model = null;
        foreach (TrainingVariant variant in options.Variants)
        {
            output.WriteLine();
            output.WriteLine($"== {Title(variant)} ==");
            // Every variant starts from the same weights and sees the same batches, so their runs are comparable.
            var trained = new Mlp(options.Seed, device);
            // Shifts apply to the training digits only (the test digits are scored as they are), made afresh per variant
            // so that every variant sees the same moved digits.
            IMinibatchSource digits = options.MaxShift > 0 ? new RandomShifts(train, MnistDataset.ImageSide, MnistDataset.ImageSide, options.MaxShift, options.Seed) : train;
            var trainer = new Trainer(digits, new TrainingOptions
            {
                Epochs = options.Epochs,
                BatchSize = options.BatchSize,
                Seed = options.Seed,
                Device = device,
                Output = output,
                ShowProgress = options.ShowProgress,
                AfterEpoch = result => string.Create(Invariant, $"Test ACC: {test.Accuracy(trained):0.000} | {result.Elapsed.TotalSeconds:0.00} s"),
            });
            var schedule = new LinearDecay(options.LearningRate, options.FinalLearningRate, options.Epochs * trainer.BatchesPerEpoch);
            TrainingStep step = TrainingSteps.Create(variant, trained, schedule, options.BatchSize);

            long start = Stopwatch.GetTimestamp();
            IReadOnlyList<EpochResult> epochs = trainer.Run(step);
            TimeSpan elapsed = Stopwatch.GetElapsedTime(start);
            float accuracy = test.Accuracy(trained);
            output.WriteLine(string.Create(Invariant,
                $"Test accuracy: {accuracy:0.00%} ({Math.Round(accuracy * test.Count)} of {test.Count}); {elapsed.TotalSeconds:0.0} s in all"));
            summaries.Add((variant, epochs[^1].AverageCost, accuracy, elapsed));
            model = trained;
        }

        if (summaries.Count > 1)
        {
            output.WriteLine();
            output.WriteLine("| way | final AvgCost | test accuracy | time |");
            output.WriteLine("|---|---|---|---|");
            foreach ((TrainingVariant variant, float cost, float accuracy, TimeSpan time) in summaries)
            {
                output.WriteLine(string.Create(Invariant, $"| {Title(variant)} | {cost:0.0000} | {accuracy:0.00%} | {time.TotalSeconds:0.0} s |"));
            }
        }

        output.WriteLine();
        (TrainingVariant last, _, float lastAccuracy, _) = summaries[^1];
        Checkpoint.Save(model!, options.SavePath, new Dictionary<string, string>
        {
            ["model"] = "Mnist.Mlp 784-256-256-10",
            ["variant"] = last.ToString(),
            ["epochs"] = options.Epochs.ToString(Invariant),
            ["test_accuracy"] = lastAccuracy.ToString("0.0000", Invariant),
        });
        output.WriteLine($"Saved the parameters of {Title(last)} to {Path.GetFullPath(options.SavePath)}");
        output.WriteLine($"  (check them: dotnet run --project samples/Mnist -- --evaluate {options.SavePath})");

        if (options.GraphPath is not null)
        {
            File.WriteAllText(options.GraphPath, Mlp.LossGraph);
            output.WriteLine($"Wrote the loss's computation graph to {Path.GetFullPath(options.GraphPath)} (render: dot -Tsvg)");
        }

        PrintGeneratedCode(output);
    }

    private static void Evaluate(SampleOptions options, string checkpoint, TextWriter output)
    {
        Device device = Device.FromName(options.DeviceName);
        (_, TestSet test) = LoadData(options, device, output, trainingSet: false);
        PrintDevice(device, output);
        var model = new Mlp(options.Seed, device);
        IReadOnlyDictionary<string, string> metadata = Checkpoint.Load(model, checkpoint);
        string trainedWith = metadata.TryGetValue("variant", out string? variant) ? $" (trained: {variant}, {metadata.GetValueOrDefault("epochs", "?")} epochs)" : string.Empty;
        output.WriteLine($"Loaded {Path.GetFullPath(checkpoint)}{trainedWith}");
        float accuracy = test.Accuracy(model);
        output.WriteLine(string.Create(Invariant, $"Test accuracy: {accuracy:0.00%} ({Math.Round(accuracy * test.Count)} of {test.Count})"));
    }

    private static (IMinibatchSource Train, TestSet Test) LoadData(SampleOptions options, Device device, TextWriter output, bool trainingSet = true)
    {
        MnistDataset? train = trainingSet ? MnistDataset.LoadFromDirectory(options.DataDirectory, MnistSplit.Train) : null;
        MnistDataset test = MnistDataset.LoadFromDirectory(options.DataDirectory, MnistSplit.Test);
        var testSet = new TestSet(test, options.TestLimit, device);
        IMinibatchSource? source = train is null ? null : options.TrainLimit is int limit ? new FirstExamples(train, limit) : train;
        string training = source is null ? string.Empty : string.Create(Invariant, $"{source.Count:N0} training and ");
        output.WriteLine(string.Create(Invariant, $"Data: {training}{testSet.Count:N0} test digits from {Path.GetFullPath(options.DataDirectory)}"));
        return (source!, testSet);
    }

    private static void PrintDevice(Device device, TextWriter output)
    {
        if (device != Device.Cpu)
        {
            output.WriteLine($"Device: {device.Description}");
            return;
        }

        string simd = Vector512.IsHardwareAccelerated ? "512-bit SIMD" : Vector256.IsHardwareAccelerated ? "256-bit SIMD" : "128-bit SIMD";
        output.WriteLine($"Device: {Device.Cpu} ({simd}, {Environment.ProcessorCount} cores)");
    }

    private static void PrintGeneratedCode(TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"The backward pass of Mlp.Loss was generated at build time: samples/Mnist/{GeneratedSource.RelativeFolder}/{GeneratedSource.FileName}");
        string? path = GeneratedSource.Find();
        if (path is null)
        {
            return;
        }

        output.WriteLine($"  ({path})");
        foreach (string line in GeneratedSource.BackwardPass(path))
        {
            output.WriteLine("  " + line);
        }
    }

    private static string Title(TrainingVariant variant) => variant switch
    {
        TrainingVariant.HandWritten => "(a) hand-written backprop",
        TrainingVariant.Generated => "(b) generated gradient, manual update",
        _ => "(c) generated gradient, optimizer.Step",
    };
}
