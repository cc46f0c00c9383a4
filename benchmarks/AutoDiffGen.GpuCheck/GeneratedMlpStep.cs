using System;
using AutoDiffGen.Optim;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.GpuCheck;

/// <summary>The MLP as a [Differentiable] model: the step is the generated backward plan plus the SGD update.</summary>
public partial class CheckMlp
{
    [Parameter] public Tensor W1, B1, W2, B2, W3, B3;

    public CheckMlp(Device device, int[] widths)
    {
        if (widths.Length != 4)
        {
            throw new ArgumentException($"CheckMlp has three layers; got widths {string.Join("-", widths)}.", nameof(widths));
        }

        W1 = Tensor.TruncatedNormal([widths[0], widths[1]], seed: 10, stddev: MathF.Sqrt(2f / widths[0]), device: device);
        B1 = Tensor.Zeros(device, widths[1]);
        W2 = Tensor.TruncatedNormal([widths[1], widths[2]], seed: 11, stddev: MathF.Sqrt(2f / widths[1]), device: device);
        B2 = Tensor.Zeros(device, widths[2]);
        W3 = Tensor.TruncatedNormal([widths[2], widths[3]], seed: 12, stddev: MathF.Sqrt(2f / widths[2]), device: device);
        B3 = Tensor.Zeros(device, widths[3]);
    }

    [Differentiable]
    public float Loss(Tensor x, Tensor labels)
    {
        var a1 = Relu(Dense(x, W1, B1));
        var a2 = Relu(Dense(a1, W2, B2));
        return Mean(SoftmaxCrossEntropy(Dense(a2, W3, B3), labels));
    }
}

/// <summary>One training step through <see cref="CheckMlp.LossGradient"/> and <see cref="Sgd"/>: a fixed kernel sequence over planned buffers.</summary>
internal sealed class GeneratedMlpStep : ITrainingStep
{
    private readonly CheckMlp _model;
    private readonly CheckMlp.Gradients _gradients;
    private readonly Tensor _x, _labels;
    private readonly Sgd _sgd;
    private readonly Tensor _lossOnDevice;
    private float _loss;

    public GeneratedMlpStep(Device device, int batch, int[] widths, float learningRate = 0.01f)
    {
        _sgd = new Sgd(learningRate);
        _model = new CheckMlp(device, widths);
        _gradients = _model.CreateGradients();
        var random = new Random(1);
        var images = new float[batch * widths[0]];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (float)random.NextDouble();
        }

        var labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = i % widths[^1];
        }

        _x = Tensor.FromArray(device, images, batch, widths[0]);
        _labels = OneHot(labels, widths[^1], Tensor.Zeros(device, batch, widths[^1]));
        _lossOnDevice = Tensor.Zeros(device);
    }

    /// <summary>The model's parameters, to compare implementations after the same steps.</summary>
    public Tensor[] Parameters => [_model.W1, _model.B1, _model.W2, _model.B2, _model.W3, _model.B3];

    /// <summary>The loss of the last <see cref="RunOnDevice"/> step, read back (waits for the device).</summary>
    public float LossOnDevice() => _lossOnDevice.ToScalar();

    public string Name => "generated_plan";

    public void Run()
    {
        _loss = _model.LossGradient(_x, _labels, _gradients);
        Update();
    }

    /// <summary>The same step without reading the loss back, so that nothing waits for the device: what a graph records.</summary>
    public void RunOnDevice()
    {
        _model.LossGradientOnDevice(_x, _labels, _gradients, _lossOnDevice);
        Update();
    }

    // Sgd updates every parameter tensor in one launch on an ILGPU device.
    private void Update() => _sgd.Step(_model, _gradients);

    public float Loss() => _loss;
}

/// <summary>
/// The generated step recorded once with <see cref="Device.Record"/> and replayed: on CUDA one graph launch per step
/// instead of one launch per kernel.
/// </summary>
internal sealed class RecordedMlpStep : ITrainingStep, IDisposable
{
    private readonly GeneratedMlpStep _step;
    private readonly DeviceGraph _graph;

    public RecordedMlpStep(Device device, int batch, int[] widths, float learningRate = 0.01f)
    {
        _step = new GeneratedMlpStep(device, batch, widths, learningRate);

        // Record asks for one step first: it plans the buffers and compiles the kernels.
        _step.RunOnDevice();
        device.Synchronize();
        _graph = device.Record(_step.RunOnDevice);
        Console.WriteLine($"  recorded step, batch {batch}: {_graph.HowReplayed}");
    }

    public string Name => "generated_plan_graph";

    public Tensor[] Parameters => _step.Parameters;

    public void Run() => _graph.Replay();

    public float Loss() => _step.LossOnDevice();

    public string? Replay => _graph.HowReplayed;

    public void Dispose() => _graph.Dispose();
}
