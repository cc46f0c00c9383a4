using System;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Jobs;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Benchmarks;

/// <summary>
/// One MNIST MLP (784-256-256-10, ReLU, softmax cross-entropy) training step written the way the generator emits it:
/// destination-form forward ops, backward kernels into preallocated gradients, and a plain SGD update.
/// </summary>
[ShortRunJob]
[MemoryDiagnoser]
public class MlpStepBenchmarks
{
    private Tensor _x = null!, _labels = null!, _w1 = null!, _b1 = null!, _w2 = null!, _b2 = null!, _w3 = null!, _b3 = null!;
    private Tensor _h1 = null!, _a1 = null!, _h2 = null!, _a2 = null!, _logits = null!, _rowLoss = null!, _probabilities = null!, _loss = null!, _one = null!;
    private Tensor _dRowLoss = null!, _dLogits = null!, _dA2 = null!, _dH2 = null!, _dA1 = null!, _dH1 = null!;
    private Tensor _dW1 = null!, _dB1 = null!, _dW2 = null!, _dB2 = null!, _dW3 = null!, _dB3 = null!;

    [Params(100, 1000)]
    public int Batch { get; set; }

    [GlobalSetup(Target = nameof(TrainingStep))]
    public void Setup()
    {
        var random = new Random(1);
        _x = Tensor.RandomNormal([Batch, 784], seed: 4);
        var classes = new int[Batch];
        for (int i = 0; i < Batch; i++)
        {
            classes[i] = random.Next(10);
        }

        _labels = OneHot(classes, 10);
        _w1 = Tensor.TruncatedNormal([784, 256], seed: 1, stddev: 0.05f);
        _b1 = Tensor.Zeros(256);
        _w2 = Tensor.TruncatedNormal([256, 256], seed: 2, stddev: 0.05f);
        _b2 = Tensor.Zeros(256);
        _w3 = Tensor.TruncatedNormal([256, 10], seed: 3, stddev: 0.05f);
        _b3 = Tensor.Zeros(10);
        _h1 = Tensor.Zeros(Batch, 256);
        _a1 = Tensor.Zeros(Batch, 256);
        _h2 = Tensor.Zeros(Batch, 256);
        _a2 = Tensor.Zeros(Batch, 256);
        _logits = Tensor.Zeros(Batch, 10);
        _rowLoss = Tensor.Zeros(Batch);
        _probabilities = Tensor.Zeros(Batch, 10);
        _loss = Tensor.Scalar(0f);
        _one = Tensor.Scalar(1f);
        _dRowLoss = Tensor.ZerosLike(_rowLoss);
        _dLogits = Tensor.ZerosLike(_logits);
        _dA2 = Tensor.ZerosLike(_a2);
        _dH2 = Tensor.ZerosLike(_h2);
        _dA1 = Tensor.ZerosLike(_a1);
        _dH1 = Tensor.ZerosLike(_h1);
        _dW1 = Tensor.ZerosLike(_w1);
        _dB1 = Tensor.ZerosLike(_b1);
        _dW2 = Tensor.ZerosLike(_w2);
        _dB2 = Tensor.ZerosLike(_b2);
        _dW3 = Tensor.ZerosLike(_w3);
        _dB3 = Tensor.ZerosLike(_b3);
    }

    private BenchmarkMlp _model = null!;
    private BenchmarkMlp.Gradients _gradients = null!;

    [GlobalSetup(Target = nameof(GeneratedTrainingStep))]
    public void SetupGenerated()
    {
        Setup();
        _model = new BenchmarkMlp();
        _gradients = _model.CreateGradients();
    }

    /// <summary>The same step through the generated backward pass (<c>LossGradient</c>) and the same SGD update.</summary>
    [Benchmark]
    public float GeneratedTrainingStep()
    {
        float loss = _model.LossGradient(_x, _labels, _gradients);
        Descend(_model.W1, _gradients.W1);
        Descend(_model.B1, _gradients.B1);
        Descend(_model.W2, _gradients.W2);
        Descend(_model.B2, _gradients.B2);
        Descend(_model.W3, _gradients.W3);
        Descend(_model.B3, _gradients.B3);
        return loss;
    }

    private readonly GemmBenchmarks _peak = new();

    /// <summary>The machine's FP32 peak in the same run (see <see cref="GemmBenchmarks.PeakFlops"/> flops per call), for the fraction of peak.</summary>
    [Benchmark]
    public void FmaPeak() => _peak.FmaPeak();

    /// <summary>The step written by hand with the same kernels: the baseline.</summary>
    [Benchmark(Baseline = true)]
    public float TrainingStep()
    {
        Dense(_x, _w1, _b1, _h1);
        Relu(_h1, _a1);
        Dense(_a1, _w2, _b2, _h2);
        Relu(_h2, _a2);
        Dense(_a2, _w3, _b3, _logits);
        SoftmaxCrossEntropy(_logits, _labels, _rowLoss, _probabilities);
        Mean(_rowLoss, _loss);

        Grad.Mean(_one, _dRowLoss, accumulate: false);
        Grad.SoftmaxCrossEntropy(_dRowLoss, _logits, _labels, _probabilities, _dLogits, accumulate: false);
        Grad.Dense(_dLogits, _a2, _w3, _dA2, _dW3, _dB3, accumulate: false);
        Grad.Relu(_dA2, _h2, null, _dH2, accumulate: false);
        Grad.Dense(_dH2, _a1, _w2, _dA1, _dW2, _dB2, accumulate: false);
        Grad.Relu(_dA1, _h1, null, _dH1, accumulate: false);
        Grad.Dense(_dH1, _x, _w1, null, _dW1, _dB1, accumulate: false);

        Descend(_w1, _dW1);
        Descend(_b1, _dB1);
        Descend(_w2, _dW2);
        Descend(_b2, _dB2);
        Descend(_w3, _dW3);
        Descend(_b3, _dB3);
        return _loss.ToScalar();
    }

    private static void Descend(Tensor parameter, Tensor gradient)
    {
        AddScaled(parameter, -0.01f, gradient, parameter);
    }
}
