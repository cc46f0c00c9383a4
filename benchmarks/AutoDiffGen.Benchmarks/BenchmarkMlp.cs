using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Benchmarks;

/// <summary>The MNIST MLP 784-256-256-10 as a [Differentiable] model: its training step's backward pass is generated.</summary>
public partial class BenchmarkMlp
{
    [Parameter] public Tensor W1, B1, W2, B2, W3, B3;

    public BenchmarkMlp()
    {
        W1 = Tensor.TruncatedNormal([784, 256], seed: 1, stddev: 0.05f);
        B1 = Tensor.Zeros(256);
        W2 = Tensor.TruncatedNormal([256, 256], seed: 2, stddev: 0.05f);
        B2 = Tensor.Zeros(256);
        W3 = Tensor.TruncatedNormal([256, 10], seed: 3, stddev: 0.05f);
        B3 = Tensor.Zeros(10);
    }

    [Differentiable]
    public float Loss(Tensor x, Tensor labels)
    {
        var a1 = Relu(Dense(x, W1, B1));
        var a2 = Relu(Dense(a1, W2, B2));
        return Mean(SoftmaxCrossEntropy(Dense(a2, W3, B3), labels)).ToScalar();
    }
}
