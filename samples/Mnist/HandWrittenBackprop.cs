using AutoDiffGen;
using static AutoDiffGen.TensorOps;

namespace Mnist;

/// <summary>
/// Slide 48's "(very) low-level backprop", for ReLU layers: the forward pass and the chain rule written out by hand,
/// one matrix product per line, into buffers made once for a batch size. This is what the generator writes for you.
/// </summary>
public sealed class HandWrittenBackprop
{
    private readonly Mlp _model;
    private readonly Tensor _z1, _h1, _z2, _h2, _logits, _losses, _probabilities, _cost;
    private readonly Tensor _sigmaOut, _dH2, _sigmaH2, _dH1, _sigmaH1;

    /// <summary>Buffers for batches of <paramref name="batchSize"/> images through <paramref name="model"/>.</summary>
    public HandWrittenBackprop(Mlp model, int batchSize)
    {
        _model = model;
        Device device = model.Hidden1.W.Device;
        _z1 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _h1 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _z2 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _h2 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _logits = Tensor.Zeros(device, batchSize, Mlp.Classes);
        _losses = Tensor.Zeros(device, batchSize);
        _probabilities = Tensor.Zeros(device, batchSize, Mlp.Classes);
        _cost = Tensor.Zeros(device);
        _sigmaOut = Tensor.Zeros(device, batchSize, Mlp.Classes);
        _dH2 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _sigmaH2 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _dH1 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
        _sigmaH1 = Tensor.Zeros(device, batchSize, Mlp.Hidden);
    }

    /// <summary>The cost of a batch; the gradient of every parameter is written into <paramref name="gradients"/>.</summary>
    public float Gradient(Tensor x, Tensor y, Mlp.Gradients gradients)
    {
        Mlp m = _model;
        int batchSize = x.Shape[0];

        // Forward: h = relu(x·W + b) twice, then the logits and the loss.
        Dense(x, m.Hidden1.W, m.Hidden1.B, _z1);
        Relu(_z1, _h1);
        Dense(_h1, m.Hidden2.W, m.Hidden2.B, _z2);
        Relu(_z2, _h2);
        Dense(_h2, m.Output.W, m.Output.B, _logits);
        SoftmaxCrossEntropy(_logits, y, _losses, _probabilities);
        Mean(_losses, _cost);

        // sigma_out = (softmax - y) / batch_size: the gradient of the mean loss at the logits.
        Sub(_probabilities, y, _sigmaOut);
        Mul(_sigmaOut, 1f / batchSize, _sigmaOut);
        // grad_w_out = h2ᵀ·sigma_out, grad_b_out = Σ_rows sigma_out.
        Gemm(transposeA: true, transposeB: false, 1f, _h2, _sigmaOut, 0f, gradients.Output.W);
        Sum(_sigmaOut, axis: 0, keepDims: false, gradients.Output.B);

        // sigma_h2 = (sigma_out·W_outᵀ) ⊙ relu'(z2).
        Gemm(transposeA: false, transposeB: true, 1f, _sigmaOut, m.Output.W, 0f, _dH2);
        TensorGradients.Relu(_dH2, _z2, _h2, _sigmaH2, accumulate: false);
        Gemm(transposeA: true, transposeB: false, 1f, _h1, _sigmaH2, 0f, gradients.Hidden2.W);
        Sum(_sigmaH2, axis: 0, keepDims: false, gradients.Hidden2.B);

        // sigma_h1 = (sigma_h2·W2ᵀ) ⊙ relu'(z1).
        Gemm(transposeA: false, transposeB: true, 1f, _sigmaH2, m.Hidden2.W, 0f, _dH1);
        TensorGradients.Relu(_dH1, _z1, _h1, _sigmaH1, accumulate: false);
        Gemm(transposeA: true, transposeB: false, 1f, x, _sigmaH1, 0f, gradients.Hidden1.W);
        Sum(_sigmaH1, axis: 0, keepDims: false, gradients.Hidden1.B);

        return _cost.ToScalar();
    }
}
