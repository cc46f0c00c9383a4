using System;
using AutoDiffGen.Benchmarks;
using BenchmarkDotNet.Attributes;
using TorchSharp;
using TorchTensor = TorchSharp.torch.Tensor;

namespace AutoDiffGen.TorchPeer;

/// <summary>
/// One training step of the MNIST MLP (784-256-256-10, ReLU, softmax cross-entropy, plain SGD) three ways in one run:
/// the hand-written backprop with the runtime's kernels (the baseline), the generated <c>LossGradient</c> with the same
/// update (both from <see cref="MlpStepBenchmarks"/>), and libtorch 2.10 with two threads, as PyTorch users write it:
/// <c>addmm</c>, <c>relu</c>, <c>cross_entropy</c>, <c>backward()</c> and an in-place update.
/// </summary>
[MemoryDiagnoser]
public class MlpStepAgainstLibTorch
{
    private readonly MlpStepBenchmarks _steps = new();
    private TorchTensor _x = null!, _labels = null!;
    private TorchTensor[] _parameters = [];

    [Params(100, 1000)]
    public int Batch { get; set; }

    [GlobalSetup(Target = nameof(HandWritten))]
    public void SetupHandWritten()
    {
        _steps.Batch = Batch;
        _steps.Setup();
    }

    [GlobalSetup(Target = nameof(Generated))]
    public void SetupGenerated()
    {
        _steps.Batch = Batch;
        _steps.SetupGenerated();
    }

    [GlobalSetup(Target = nameof(LibTorch))]
    public void SetupLibTorch()
    {
        // Both vCPUs, as the runtime's worker pool uses for the other two steps.
        torch.set_num_threads(2);
        torch.manual_seed(1);
        _x = torch.randn(Batch, 784);
        _labels = torch.randint(0, 10, Batch);
        _parameters =
        [
            (torch.randn(784, 256) * 0.05f).requires_grad_(), torch.zeros(256).requires_grad_(),
            (torch.randn(256, 256) * 0.05f).requires_grad_(), torch.zeros(256).requires_grad_(),
            (torch.randn(256, 10) * 0.05f).requires_grad_(), torch.zeros(10).requires_grad_(),
        ];
    }

    [Benchmark(Baseline = true)]
    public float HandWritten() => _steps.TrainingStep();

    [Benchmark]
    public float Generated() => _steps.GeneratedTrainingStep();

    [Benchmark]
    public float LibTorch()
    {
        using var scope = torch.NewDisposeScope();
        var p = _parameters;
        var h1 = torch.nn.functional.relu(torch.addmm(p[1], _x, p[0], 1f, 1f));
        var h2 = torch.nn.functional.relu(torch.addmm(p[3], h1, p[2], 1f, 1f));
        var loss = torch.nn.functional.cross_entropy(torch.addmm(p[5], h2, p[4], 1f, 1f), _labels);
        loss.backward();
        using (torch.no_grad())
        {
            foreach (var parameter in p)
            {
                parameter.sub_(parameter.grad!.mul_(0.01f));
                parameter.grad!.zero_();
            }
        }

        return loss.item<float>();
    }
}
