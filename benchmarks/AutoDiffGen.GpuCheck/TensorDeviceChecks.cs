using System;
using System.Collections.Generic;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// The Tensor API on the GPU device against the SIMD CPU device, on the real GPU (the tests only run it on ILGPU's CPU
/// accelerator): a few MLP training steps must follow the CPU's losses, and ops on views and broadcasts (the strided
/// kernels) must give the CPU's values. Errors are |gpu − cpu| / max(|cpu|, 1).
/// </summary>
internal sealed class TensorDeviceChecks(Device gpu, CheckSizes sizes)
{
    private readonly List<JsonRecord> _results = [];

    public bool AllPassed { get; private set; } = true;

    public List<JsonRecord> Run()
    {
        Guard("mlp_training_steps", 1e-4, TrainingSteps);
        Guard("strided_ops", 1e-4, StridedOps);
        foreach (var library in GemmLibraries.Available(GemmLibraries.Of(gpu)))
        {
            Guard($"column_sums_{GemmLibraries.Tag(library)}", 1e-4, () => GemmLibraries.With(GemmLibraries.Of(gpu), library, ColumnSums));
        }

        Guard("sgd_step", 1e-5, SgdStep);

        // The fused ops the generated step runs (a layer with its ReLU, the loss with its gradient), and the generated
        // step itself, against the CPU with each product library: cuBLAS applies the bias and ReLU in a pass of its own.
        foreach (var library in GemmLibraries.Available(GemmLibraries.Of(gpu)))
        {
            string tag = GemmLibraries.Tag(library);
            Guard($"fused_ops_{tag}", 1e-4, () => GemmLibraries.With(GemmLibraries.Of(gpu), library, FusedOps));
            Guard($"generated_steps_{tag}", 1e-4, () => GemmLibraries.With(GemmLibraries.Of(gpu), library, GeneratedTrainingSteps));
        }

        // A recorded step replays the same kernels as the direct one when one library does every product (0 expected),
        // and differs by rounding under the default, where small direct products stay on the ILGPU kernels.
        var kernels = GemmLibraries.Of(gpu);
        foreach (int batch in sizes.MlpBatches)
        {
            foreach (var library in GemmLibraries.Available(kernels))
            {
                Guard($"recorded_step_{GemmLibraries.Tag(library)}_b{batch}", 1e-6, () => GemmLibraries.With(kernels, library, () => RecordedSteps(batch)));
            }

            Guard($"recorded_step_default_b{batch}", 1e-6, () => RecordedSteps(batch));
        }

        return _results;
    }

    private void Guard(string name, double tolerance, Func<double> check)
    {
        try
        {
            double error = check();
            bool passed = error <= tolerance;
            AllPassed &= passed;
            _results.Add(new JsonRecord().Add("check", name).Add("max_error", error).Add("tolerance", tolerance).Add("passed", passed));
            Console.WriteLine($"  {name,-22} max error {error:E2} (tolerance {tolerance:E0}) {(passed ? "ok" : "FAILED")}");
        }
        catch (Exception e)
        {
            AllPassed = false;
            _results.Add(new JsonRecord().Add("check", name).Add("passed", false).Add("error", e.ToString()));
            Console.WriteLine($"  {name,-22} FAILED: {e.Message}");
        }
    }

    /// <summary>The hand-written Tensor API step on the GPU against the same step on the CPU.</summary>
    private double TrainingSteps() =>
        StepsAgainstCpu(device => new HandWrittenMlpStep(device, sizes.MlpBatches[0], sizes.MlpWidths, learningRate: 0.1f));

    /// <summary>The generated step (fused layers and loss) on the GPU against the same step on the CPU.</summary>
    private double GeneratedTrainingSteps() =>
        StepsAgainstCpu(device => new GeneratedMlpStep(device, sizes.MlpBatches[0], sizes.MlpWidths, learningRate: 0.1f));

    /// <summary>Five steps' losses on both devices, then the weights.</summary>
    private double StepsAgainstCpu(Func<Device, ITrainingStep> create)
    {
        ITrainingStep onCpu = create(Device.Cpu), onGpu = create(gpu);
        double error = 0;
        for (int step = 0; step < 5; step++)
        {
            onCpu.Run();
            onGpu.Run();
            error = Math.Max(error, Error(onCpu.Loss(), onGpu.Loss()));
        }

        Tensor[] cpuWeights = onCpu.Parameters, gpuWeights = onGpu.Parameters;
        for (int p = 0; p < cpuWeights.Length; p++)
        {
            // Weights after five steps: small differences in summation order compound, hence ten times the loss tolerance.
            error = Math.Max(error, 0.1 * MaxError(cpuWeights[p], gpuWeights[p]));
        }

        return error;
    }

    /// <summary>
    /// DenseRelu at the MLP's shapes against the CPU and against Relu(Dense) on the GPU itself, and the cross-entropy
    /// with its gradient (overwritten, then accumulated) against the CPU.
    /// </summary>
    private double FusedOps()
    {
        var make = Maker(11);
        double error = 0;
        foreach (int[] shape in new[] { new[] { 100, 784, 256 }, new[] { 1000, 256, 256 }, new[] { 37, 19, 10 } })
        {
            Tensor x = make([shape[0], shape[1]]), w = make([shape[1], shape[2]]), b = make([shape[2]]);
            Tensor gx = x.To(gpu), gw = w.To(gpu), gb = b.To(gpu);
            Tensor fused = DenseRelu(gx, gw, gb);
            error = Math.Max(error, MaxError(DenseRelu(x, w, b), fused));
            error = Math.Max(error, MaxError(Relu(Dense(gx, gw, gb)), fused));
        }

        var classes = new int[1000];
        for (int i = 0; i < classes.Length; i++)
        {
            classes[i] = (i * 7) % 10;
        }

        Tensor logits = make([1000, 10]), labels = OneHot(classes, 10);
        Tensor glogits = logits.To(gpu), glabels = labels.To(gpu);
        Tensor loss = Tensor.Zeros(1000), gloss = Tensor.Zeros(gpu, 1000);
        Tensor dlogits = make([1000, 10]), gdlogits = dlogits.To(gpu);
        foreach (bool accumulate in new[] { false, true })
        {
            SoftmaxCrossEntropyWithGradient(logits, labels, loss, 1e-3f, dlogits, accumulate);
            SoftmaxCrossEntropyWithGradient(glogits, glabels, gloss, 1e-3f, gdlogits, accumulate);
            error = Math.Max(error, MaxError(loss, gloss));

            // The gradient's entries are about 1e-3: scaled up, so the error is relative to that rather than to 1.
            error = Math.Max(error, MaxError(Mul(dlogits, 1e3f), Mul(gdlogits, 1e3f)));
        }

        return error;
    }

    /// <summary>
    /// The generated step replayed from a recording (a CUDA graph on the GPU) against the same step run directly, from the
    /// same start: the same kernels on the same data, so the losses and weights should agree to the last bit or nearly.
    /// </summary>
    private double RecordedSteps(int batch)
    {
        var direct = new GeneratedMlpStep(gpu, batch, sizes.MlpWidths, learningRate: 0.1f);
        using var recorded = new RecordedMlpStep(gpu, batch, sizes.MlpWidths, learningRate: 0.1f);
        direct.Run();
        double error = 0;
        for (int step = 0; step < 4; step++)
        {
            direct.Run();
            recorded.Run();
            error = Math.Max(error, Error(direct.Loss(), recorded.Loss()));
        }

        for (int p = 0; p < direct.Parameters.Length; p++)
        {
            error = Math.Max(error, MaxError(direct.Parameters[p], recorded.Parameters[p]));
        }

        return error;
    }

    /// <summary>
    /// Sums over leading axes, which cuBLAS computes as a matrix-vector product where it multiplies: sums, means, and
    /// the bias-row gradient of a broadcast difference, overwritten and accumulated.
    /// </summary>
    private double ColumnSums()
    {
        var make = Maker(7);
        Tensor x = make([1000, 37]), c = make([6, 9, 5]), dy = make([300, 21]), a = make([300, 21]), row = make([21]);
        Tensor gx = x.To(gpu), gc = c.To(gpu), gdy = dy.To(gpu), ga = a.To(gpu), grow = row.To(gpu);
        double error = MaxError(Sum(x, 0), Sum(gx, 0));
        error = Math.Max(error, MaxError(Mean(x, 0), Mean(gx, 0)));
        error = Math.Max(error, MaxError(Sum(c, [0, 1]), Sum(gc, [0, 1])));
        foreach (bool accumulate in new[] { false, true })
        {
            Tensor drow = make([21]), gdrow = drow.To(gpu);
            Grad.Sub(dy, a, row, null, drow, accumulate);
            Grad.Sub(gdy, ga, grow, null, gdrow, accumulate);
            error = Math.Max(error, MaxError(drow, gdrow));
        }

        return error;
    }

    /// <summary>
    /// A plain SGD step over eleven tensors of different shapes (one empty, one a transposed view): on the GPU one fused
    /// launch for every eight dense tensors, against the CPU's update tensor by tensor.
    /// </summary>
    private double SgdStep()
    {
        var make = Maker(9);
        int[][] shapes = [[784, 256], [256], [256, 256], [256], [256, 10], [10], [0], [3, 5], [7], [1], [33, 2]];
        var cpuModel = new List<(string, Tensor)>();
        var cpuGradients = new List<(string, Tensor)>();
        var gpuModel = new List<(string, Tensor)>();
        var gpuGradients = new List<(string, Tensor)>();
        for (int i = 0; i < shapes.Length; i++)
        {
            Tensor w = make(shapes[i]), g = make(shapes[i]);
            cpuModel.Add(($"p{i}", w));
            cpuGradients.Add(($"p{i}", g));
            gpuModel.Add(($"p{i}", i == shapes.Length - 1 ? w.Transpose().To(gpu).Transpose() : w.To(gpu)));
            gpuGradients.Add(($"p{i}", g.To(gpu)));
        }

        var sgd = new AutoDiffGen.Optim.Sgd(learningRate: 0.3f);
        sgd.Step(new NamedTensors(cpuModel), new NamedTensors(cpuGradients));
        sgd.Step(new NamedTensors(gpuModel), new NamedTensors(gpuGradients));
        double error = 0;
        for (int i = 0; i < shapes.Length; i++)
        {
            error = Math.Max(error, MaxError(cpuModel[i].Item2, gpuModel[i].Item2));
        }

        return error;
    }

    /// <summary>Named tensors as a model or gradient container.</summary>
    private sealed class NamedTensors(List<(string Name, Tensor Value)> tensors) : AutoDiffGen.Nn.IParameterized
    {
        public IReadOnlyList<AutoDiffGen.Nn.NamedParameter> Parameters { get; } =
            tensors.ConvertAll(t => new AutoDiffGen.Nn.NamedParameter(t.Name, t.Value));
    }

    /// <summary>Makes CPU tensors of uniform values in [-1, 1) from one seeded generator.</summary>
    private static Func<int[], Tensor> Maker(int seed)
    {
        var random = new Random(seed);
        return shape =>
        {
            var values = new float[Product(shape)];
            for (int i = 0; i < values.Length; i++)
            {
                values[i] = (float)((2 * random.NextDouble()) - 1);
            }

            return Tensor.FromArray(values, shape);
        };
    }

    private double StridedOps()
    {
        var maker = Maker(5);
        Tensor Make(params int[] shape) => maker(shape);

        Tensor a = Make(33, 70), b = Make(70, 21), c = Make(6, 9, 5), row = Make(5), dy = Make(6, 9, 5);
        Tensor ga = a.To(gpu), gb = b.To(gpu), gc = c.To(gpu), grow = row.To(gpu), gdy = dy.To(gpu);
        double error = MaxError(MatMul(b.Transpose(), a.Transpose()), MatMul(gb.Transpose(), ga.Transpose()));
        error = Math.Max(error, MaxError(Sum(c, 1), Sum(gc, 1)));
        error = Math.Max(error, MaxError(Max(c.Transpose(2, 0, 1), [0, 2], keepDims: true), Max(gc.Transpose(2, 0, 1), [0, 2], keepDims: true)));
        error = Math.Max(error, MaxError(Softmax(c.Transpose(1, 0, 2)), Softmax(gc.Transpose(1, 0, 2))));
        error = Math.Max(error, MaxError(ArgMax(c, 1), ArgMax(gc, 1)));

        // The gradient of a broadcast product, reduced back to the row's shape.
        Tensor drow = Tensor.ZerosLike(row), gdrow = Tensor.ZerosLike(grow), dc = Tensor.ZerosLike(c), gdc = Tensor.ZerosLike(gc);
        Grad.Mul(dy, c, row, dc, drow, accumulate: false);
        Grad.Mul(gdy, gc, grow, gdc, gdrow, accumulate: false);
        error = Math.Max(error, MaxError(drow, gdrow));
        return Math.Max(error, MaxError(dc, gdc));
    }

    private static double MaxError(Tensor cpu, Tensor gpu)
    {
        if (!cpu.Shape.SequenceEqual(gpu.Shape))
        {
            throw new InvalidOperationException($"shapes differ: cpu {cpu}, gpu {gpu}");
        }

        float[] expected = cpu.ToArray(), actual = gpu.ToArray();
        double error = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            error = Math.Max(error, Error(expected[i], actual[i]));
        }

        return error;
    }

    private static double Error(float expected, float actual) =>
        float.IsNaN(actual) != float.IsNaN(expected) ? double.PositiveInfinity : Math.Abs(actual - expected) / Math.Max(Math.Abs(expected), 1.0);

    private static int Product(int[] shape)
    {
        int product = 1;
        foreach (int d in shape)
        {
            product *= d;
        }

        return product;
    }
}
