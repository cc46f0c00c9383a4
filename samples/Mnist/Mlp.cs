using AutoDiffGen;
using AutoDiffGen.Nn;
using static AutoDiffGen.TensorOps;

namespace Mnist;

/// <summary>
/// The talk's multilayer perceptron (slides 44 and 56): 784 pixels, two hidden ReLU layers of 256 units, 10 logits,
/// softmax cross-entropy. The generator reads <see cref="Loss"/> and writes its backward pass at build time
/// (<c>LossGradient</c>, <c>LossPullback</c>), the parameter list and the <c>Mlp.Gradients</c> container.
/// </summary>
public partial class Mlp
{
    /// <summary>Pixels per image.</summary>
    public const int Inputs = 784;

    /// <summary>Units in each hidden layer.</summary>
    public const int Hidden = 256;

    /// <summary>Digits 0 to 9.</summary>
    public const int Classes = 10;

    [Parameter] public Dense Hidden1;
    [Parameter] public Dense Hidden2;
    [Parameter] public Dense Output;

    /// <summary>
    /// Initialised as on slide 56: the hidden layers' weights from a truncated normal with stddev 0.1
    /// (<c>kernel_initializer=tf.truncated_normal_initializer(stddev=0.1)</c>), the output layer's with
    /// <c>tf.layers.dense</c>'s default, Glorot uniform, and every bias zero.
    /// </summary>
    /// <param name="seed">Fixes the initial weights.</param>
    /// <param name="device">Where the parameters live; the CPU when null.</param>
    public Mlp(ulong seed, Device? device = null)
    {
        // Nn.Dense spelled out: `using static TensorOps` also brings in the Dense op.
        Initializer hidden = Initializer.TruncatedNormal(stddev: 0.1f);
        Hidden1 = AutoDiffGen.Nn.Dense.Create(Inputs, Hidden, hidden, Initializer.Zeros, seed, device);
        Hidden2 = AutoDiffGen.Nn.Dense.Create(Hidden, Hidden, hidden, Initializer.Zeros, seed + 1, device);
        Output = AutoDiffGen.Nn.Dense.Create(Hidden, Classes, Initializer.GlorotUniform, Initializer.Zeros, seed + 2, device);
    }

    /// <summary>The class scores [n, 10] of a batch of images [n, 784].</summary>
    [Differentiable]
    public Tensor Logits(Tensor x) => Output.Apply(Relu(Hidden2.Apply(Relu(Hidden1.Apply(x)))));

    /// <summary>The mean softmax cross-entropy of a batch against one-hot labels y [n, 10]: slide 48's <c>cost</c>.</summary>
    [Differentiable]
    public float Loss(Tensor x, Tensor y) => Mean(SoftmaxCrossEntropy(Logits(x), y)).ToScalar();
}
