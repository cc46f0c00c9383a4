using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;

namespace Mnist;

/// <summary>The sample's command line, parsed; <see cref="Usage"/> lists the options.</summary>
public sealed class SampleOptions
{
    /// <summary>The options and their defaults, as <c>--help</c> prints them.</summary>
    public const string Usage =
        """
        Usage: dotnet run --project samples/Mnist -- [options]

          --variant <name>       optimizer (c, default), generated (b), handwritten (a), or all three side by side
          --epochs <n>           passes over the training set (default 10)
          --batch-size <n>       examples per gradient step (default 100)
          --learning-rate <x>    gradient-descent step size at the first step (default 0.6)
          --final-learning-rate <x>  the step size the rate falls to, in a straight line, by the last step
                                 (default 0.01; equal to --learning-rate for a constant rate)
          --max-shift <n>        move each training digit by a random 0 to n pixels across and down (default 1;
                                 0 trains on the digits as they are)
          --seed <n>             fixes the initial weights and the shuffling (default 1)
          --device <name>        cpu (default: SIMD, all cores), cuda (an NVIDIA GPU through ILGPU), ilgpu-cpu
                                 (the GPU kernels simulated on the CPU, slow), or auto (cuda when usable, else cpu)
          --data <dir>           MNIST IDX files (train-images-idx3-ubyte[.gz], ..., t10k-labels-idx1-ubyte[.gz]);
                                 default: the 8,000 + 2,000 digits shipped in samples/Mnist/data
          --train-limit <n>      train on the first n training digits only
          --test-limit <n>       evaluate on the first n test digits only
          --save <path>          where to save the trained parameters (safetensors; default mnist-mlp.safetensors
                                 beside the app)
          --evaluate <path>      load saved parameters, print the test accuracy and stop
          --graph <path>         write the loss's computation graph (Graphviz DOT) to this file
          --no-progress          no live progress bar, just the epoch lines
          --help                 this text
        """;

    /// <summary>Which ways to train, in order.</summary>
    public IReadOnlyList<TrainingVariant> Variants { get; private set; } = [TrainingVariant.Optimizer];

    /// <summary>Passes over the training set.</summary>
    public int Epochs { get; private set; } = 10;

    /// <summary>Examples per step.</summary>
    public int BatchSize { get; private set; } = 100;

    /// <summary>
    /// The gradient-descent step size at the first step. The talk uses 0.1, which is too slow to fit the shipped 8,000
    /// digits within 10 epochs; from 0.3 to 0.8 each step up gains test accuracy, and 1.0 diverges for some seeds.
    /// </summary>
    public float LearningRate { get; private set; } = 0.6f;

    /// <summary>
    /// The step size at the last step; the rate falls in a straight line from <see cref="LearningRate"/> to it. The
    /// small late steps settle the weights instead of hopping around a minimum: with a constant 0.5 the test accuracy
    /// varies from 94.9% to 96.5% with the seed, falling to 0.01 it stays between 95.8% and 96.8%.
    /// </summary>
    public float FinalLearningRate { get; private set; } = 0.01f;

    /// <summary>
    /// The largest random move of a training digit, in pixels (<see cref="AutoDiffGen.Data.RandomShifts"/>); 0 for none.
    /// One pixel lifts the test accuracy after 10 epochs from 94.6% to 96.3% on the shipped digits (means over seeds 1 to
    /// 10): the network can no longer learn where each of the 8,000 digits sits, only what it looks like.
    /// </summary>
    public int MaxShift { get; private set; } = 1;

    /// <summary>Fixes the initial weights and the order of the batches.</summary>
    public ulong Seed { get; private set; } = 1;

    /// <summary>Where the model, the batches and the test set live: a name <see cref="AutoDiffGen.Device.FromName"/> accepts.</summary>
    public string DeviceName { get; private set; } = "cpu";

    /// <summary>The folder of IDX files.</summary>
    public string DataDirectory { get; private set; } = Path.Combine(AppContext.BaseDirectory, "data");

    /// <summary>Use only this many training examples, or all when null.</summary>
    public int? TrainLimit { get; private set; }

    /// <summary>Use only this many test examples, or all when null.</summary>
    public int? TestLimit { get; private set; }

    /// <summary>Where to save the parameters of the last variant trained.</summary>
    public string SavePath { get; private set; } = Path.Combine(AppContext.BaseDirectory, "mnist-mlp.safetensors");

    /// <summary>A checkpoint to evaluate instead of training, or null.</summary>
    public string? EvaluatePath { get; private set; }

    /// <summary>Where to write the DOT graph, or null.</summary>
    public string? GraphPath { get; private set; }

    /// <summary>Whether to draw the live progress bar on a terminal.</summary>
    public bool ShowProgress { get; private set; } = true;

    /// <summary>Whether --help was given.</summary>
    public bool Help { get; private set; }

    /// <summary>Reads the command line.</summary>
    /// <exception cref="FormatException">An option is unknown, lacks its value, or has a value out of range; the message says which.</exception>
    public static SampleOptions Parse(IReadOnlyList<string> args)
    {
        var options = new SampleOptions();
        for (int i = 0; i < args.Count; i++)
        {
            string name = args[i];
            switch (name)
            {
                case "--help" or "-h":
                    options.Help = true;
                    break;
                case "--no-progress":
                    options.ShowProgress = false;
                    break;
                case "--variant":
                    options.Variants = ParseVariant(Value(args, ref i));
                    break;
                case "--epochs":
                    options.Epochs = PositiveInt(args, ref i);
                    break;
                case "--batch-size":
                    options.BatchSize = PositiveInt(args, ref i);
                    break;
                case "--learning-rate":
                    options.LearningRate = PositiveFloat(args, ref i);
                    break;
                case "--final-learning-rate":
                    options.FinalLearningRate = PositiveFloat(args, ref i);
                    break;
                case "--max-shift":
                    string shift = Value(args, ref i);
                    options.MaxShift = int.TryParse(shift, NumberStyles.None, CultureInfo.InvariantCulture, out int pixels) && pixels < AutoDiffGen.Data.MnistDataset.ImageSide
                        ? pixels
                        : throw new FormatException($"--max-shift needs a whole number from 0 to {AutoDiffGen.Data.MnistDataset.ImageSide - 1}, not '{shift}'.");
                    break;
                case "--seed":
                    string seed = Value(args, ref i);
                    options.Seed = ulong.TryParse(seed, NumberStyles.None, CultureInfo.InvariantCulture, out ulong s)
                        ? s
                        : throw new FormatException($"--seed needs a whole number of at least 0, not '{seed}'.");
                    break;
                case "--device":
                    string device = Value(args, ref i);
                    options.DeviceName = device.ToLowerInvariant() is "cpu" or "cuda" or "ilgpu-cpu" or "auto"
                        ? device
                        : throw new FormatException($"--device must be cpu, cuda, ilgpu-cpu or auto, not '{device}'.");
                    break;
                case "--data":
                    options.DataDirectory = Value(args, ref i);
                    break;
                case "--train-limit":
                    options.TrainLimit = PositiveInt(args, ref i);
                    break;
                case "--test-limit":
                    options.TestLimit = PositiveInt(args, ref i);
                    break;
                case "--save":
                    options.SavePath = Value(args, ref i);
                    break;
                case "--evaluate":
                    options.EvaluatePath = Value(args, ref i);
                    break;
                case "--graph":
                    options.GraphPath = Value(args, ref i);
                    break;
                default:
                    throw new FormatException($"Unknown option '{name}'.");
            }
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i)
    {
        if (i + 1 >= args.Count || args[i + 1].StartsWith("--", StringComparison.Ordinal))
        {
            throw new FormatException($"{args[i]} needs a value.");
        }

        return args[++i];
    }

    private static int PositiveInt(IReadOnlyList<string> args, ref int i)
    {
        string name = args[i];
        string text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : throw new FormatException($"{name} needs a whole number of at least 1, not '{text}'.");
    }

    private static float PositiveFloat(IReadOnlyList<string> args, ref int i)
    {
        string name = args[i];
        string text = Value(args, ref i);
        return float.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && value > 0 && float.IsFinite(value)
            ? value
            : throw new FormatException($"{name} needs a positive number, not '{text}'.");
    }

    private static IReadOnlyList<TrainingVariant> ParseVariant(string text) => text.ToLowerInvariant() switch
    {
        "all" => [TrainingVariant.HandWritten, TrainingVariant.Generated, TrainingVariant.Optimizer],
        "handwritten" or "a" => [TrainingVariant.HandWritten],
        "generated" or "b" => [TrainingVariant.Generated],
        "optimizer" or "c" => [TrainingVariant.Optimizer],
        _ => throw new FormatException($"--variant must be all, handwritten, generated or optimizer, not '{text}'."),
    };
}
