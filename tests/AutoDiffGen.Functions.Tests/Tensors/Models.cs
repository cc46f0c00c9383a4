using AutoDiffGen;
using AutoDiffGen.Nn;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>The seed's MLP shape, small: two hidden ReLU layers and a softmax cross-entropy loss.</summary>
public partial class SmallMlp
{
    [Parameter] public Dense Hidden1;
    [Parameter] public Dense Hidden2;
    [Parameter] public Tensor Wout;
    [Parameter] public Tensor Bout;

    public SmallMlp(int inputs, int hidden, int classes, ulong seed)
    {
        Hidden1 = new Dense(Tensor.TruncatedNormal(new[] { inputs, hidden }, seed, stddev: 0.5f), Tensor.TruncatedNormal(new[] { hidden }, seed + 1, stddev: 0.1f));
        Hidden2 = new Dense(Tensor.TruncatedNormal(new[] { hidden, hidden }, seed + 2, stddev: 0.5f), Tensor.TruncatedNormal(new[] { hidden }, seed + 3, stddev: 0.1f));
        Wout = Tensor.TruncatedNormal(new[] { hidden, classes }, seed + 4, stddev: 0.5f);
        Bout = Tensor.TruncatedNormal(new[] { classes }, seed + 5, stddev: 0.1f);
    }

    [Differentiable]
    public Tensor Logits(Tensor x)
    {
        var h1 = Relu(Hidden1.Apply(x));
        var h2 = Relu(Hidden2.Apply(h1));
        return Dense(h2, Wout, Bout);
    }

    /// <summary>As the design writes it: the one-element mean converts to float implicitly.</summary>
    [Differentiable]
    public float Loss(Tensor x, Tensor labels) => Mean(SoftmaxCrossEntropy(Logits(x), labels));
}

/// <summary>Many ops and operators, a parameter used twice, a differentiable tensor argument.</summary>
public partial class OpZoo
{
    [Parameter] public Tensor A;
    [Parameter] public Tensor B;
    [Parameter] public Tensor Unused;

    public OpZoo(ulong seed)
    {
        A = Tensor.RandomNormal(new[] { 3, 4 }, seed, stddev: 0.5f);
        B = Tensor.RandomNormal(new[] { 4 }, seed + 1, stddev: 0.5f);
        Unused = Tensor.Ones(2);
    }

    [Differentiable]
    public float Objective(Tensor x, [Differentiable] Tensor shift)
    {
        var z = MatMul(x, A) + B;                       // broadcast bias
        var t = Tanh(z) * Sigmoid(z - shift) + Exp(Negate(z * 0.5f));
        var s = Sqrt(Pow(t, 2f) + 1f) / (2f + Maximum(z, 0.1f)) - Minimum(t, 0.2f) * Log(1f + Relu(z));
        var softened = LogSoftmax(s) + Softmax(s * 2f);
        var rows = Sum(softened, 1) + Max(s, 1) + Mean(t, 1, false);
        return (Mean(rows * rows) + Sum(A * A) * 0.01f).ToScalar();
    }
}

/// <summary>
/// A dense layer with its ReLU written as one DenseRelu, and a pre-activation read twice, whose ReLU therefore stays
/// apart from its layer.
/// </summary>
public partial class DenseReluNet
{
    [Parameter] public Tensor W1;
    [Parameter] public Tensor B1;
    [Parameter] public Tensor W2;
    [Parameter] public Tensor B2;

    public DenseReluNet(int inputs, int hidden, int classes, ulong seed)
    {
        W1 = Tensor.TruncatedNormal(new[] { inputs, hidden }, seed, stddev: 0.5f);
        B1 = Tensor.TruncatedNormal(new[] { hidden }, seed + 1, stddev: 0.1f);
        W2 = Tensor.TruncatedNormal(new[] { hidden, classes }, seed + 2, stddev: 0.5f);
        B2 = Tensor.TruncatedNormal(new[] { classes }, seed + 3, stddev: 0.1f);
    }

    [Differentiable]
    public float Loss(Tensor x, Tensor labels)
    {
        var h = DenseRelu(x, W1, B1);
        var z = Dense(h, W2, B2);
        var logits = Relu(z) + z * 0.5f;
        return Mean(SoftmaxCrossEntropy(logits, labels));
    }

    /// <summary>A DenseRelu as the result, with a bias computed from a parameter.</summary>
    [Differentiable]
    public Tensor Features(Tensor x) => DenseRelu(x, W1, B1 * 2f);
}

/// <summary>A static tensor method: gradients with respect to its [Differentiable] argument only.</summary>
public static partial class TensorFunctions
{
    [Differentiable]
    public static float Energy([Differentiable] Tensor x, Tensor weights) => (Sum(Mul(Mul(x, x), weights)) + Mean(Exp(x))).ToScalar();

    /// <summary>A full mean read only as the result, straight from an argument: its gradient is filled with seed / n.</summary>
    [Differentiable]
    public static float Average([Differentiable] Tensor x) => Mean(x);

    /// <summary>A full sum read only as the result, after one op: the seed is filled into that op's adjoint.</summary>
    [Differentiable]
    public static float TotalSquare([Differentiable] Tensor x) => Sum(Mul(x, x)).ToScalar();
}
