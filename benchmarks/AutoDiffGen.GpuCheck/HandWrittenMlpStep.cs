using System;
using System.Collections.Generic;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// An MLP training step (Dense + ReLU layers, softmax cross-entropy, mean, plain SGD) written by hand with the destination
/// forms of TensorOps and TensorGradients into tensors created once on one device: the Tensor API's best case without
/// generated code, and the same work as the PyTorch and JAX peers in scripts/. Inputs are seeded uniform "images" and
/// labels cycling through the classes, put on the device once.
/// </summary>
internal sealed class HandWrittenMlpStep : ITrainingStep
{
    private readonly Tensor _x, _labels, _rowLoss, _probabilities, _loss, _one, _dRowLoss;
    private readonly Tensor[] _w, _b, _dw, _db, _pre, _post, _dPre, _dPost;
    private readonly float _learningRate;

    public HandWrittenMlpStep(Device device, int batch, int[] widths, float learningRate = 0.01f)
    {
        _learningRate = learningRate;
        int layers = widths.Length - 1;
        int classes = widths[^1];
        var random = new Random(1);
        var images = new float[batch * widths[0]];
        for (int i = 0; i < images.Length; i++)
        {
            images[i] = (float)random.NextDouble();
        }

        var labels = new int[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = i % classes;
        }

        _x = Tensor.FromArray(device, images, batch, widths[0]);
        _labels = OneHot(labels, classes, Tensor.Zeros(device, batch, classes));
        _w = new Tensor[layers];
        _b = new Tensor[layers];
        _dw = new Tensor[layers];
        _db = new Tensor[layers];
        _pre = new Tensor[layers];
        _post = new Tensor[layers];
        _dPre = new Tensor[layers];
        _dPost = new Tensor[layers];
        for (int l = 0; l < layers; l++)
        {
            _w[l] = Tensor.TruncatedNormal([widths[l], widths[l + 1]], seed: (ulong)(10 + l), stddev: MathF.Sqrt(2f / widths[l]), device: device);
            _b[l] = Tensor.Zeros(device, widths[l + 1]);
            _dw[l] = Tensor.ZerosLike(_w[l]);
            _db[l] = Tensor.ZerosLike(_b[l]);
            _pre[l] = Tensor.Zeros(device, batch, widths[l + 1]);
            _post[l] = Tensor.ZerosLike(_pre[l]);
            _dPre[l] = Tensor.ZerosLike(_pre[l]);
            _dPost[l] = Tensor.ZerosLike(_pre[l]);
        }

        _rowLoss = Tensor.Zeros(device, batch);
        _probabilities = Tensor.Zeros(device, batch, classes);
        _loss = Tensor.Scalar(device, 0f);
        _one = Tensor.Scalar(device, 1f);
        _dRowLoss = Tensor.ZerosLike(_rowLoss);
    }

    public string Name => "tensor_api_hand_written";

    /// <summary>The weights and biases, first layer first.</summary>
    public Tensor[] Parameters => [.. _w, .. _b];

    public void Run()
    {
        int last = _w.Length - 1;
        Tensor input = _x;
        for (int l = 0; l <= last; l++)
        {
            Dense(input, _w[l], _b[l], _pre[l]);
            if (l < last)
            {
                Relu(_pre[l], _post[l]);
                input = _post[l];
            }
        }

        SoftmaxCrossEntropy(_pre[last], _labels, _rowLoss, _probabilities);
        Mean(_rowLoss, _loss);

        Grad.Mean(_one, _dRowLoss, accumulate: false);
        Grad.SoftmaxCrossEntropy(_dRowLoss, _pre[last], _labels, _probabilities, _dPre[last], accumulate: false);
        for (int l = last; l >= 0; l--)
        {
            Tensor layerInput = l == 0 ? _x : _post[l - 1];
            Grad.Dense(_dPre[l], layerInput, _w[l], l == 0 ? null : _dPost[l - 1], _dw[l], _db[l], accumulate: false);
            if (l > 0)
            {
                Grad.Relu(_dPost[l - 1], _pre[l - 1], null, _dPre[l - 1], accumulate: false);
            }
        }

        for (int l = 0; l <= last; l++)
        {
            AddScaled(_w[l], -_learningRate, _dw[l], _w[l]);
            AddScaled(_b[l], -_learningRate, _db[l], _b[l]);
        }
    }

    public float Loss() => _loss.ToScalar();

    /// <summary>The ops of <see cref="Run"/>, one by one and named, in the same order, for timing each on its own.</summary>
    public List<(string Name, Action Run)> Ops()
    {
        var ops = new List<(string Name, Action Run)>();
        int last = _w.Length - 1;
        for (int l = 0; l <= last; l++)
        {
            int layer = l;
            Tensor input = l == 0 ? _x : _post[l - 1];
            ops.Add(($"dense{layer + 1}", () => Dense(input, _w[layer], _b[layer], _pre[layer])));
            if (l < last)
            {
                ops.Add(($"relu{layer + 1}", () => Relu(_pre[layer], _post[layer])));
            }
        }

        ops.Add(("softmax_cross_entropy", () => SoftmaxCrossEntropy(_pre[last], _labels, _rowLoss, _probabilities)));
        ops.Add(("mean", () => Mean(_rowLoss, _loss)));
        ops.Add(("mean_gradient", () => Grad.Mean(_one, _dRowLoss, accumulate: false)));
        ops.Add(("softmax_cross_entropy_gradient", () => Grad.SoftmaxCrossEntropy(_dRowLoss, _pre[last], _labels, _probabilities, _dPre[last], accumulate: false)));
        for (int l = last; l >= 0; l--)
        {
            int layer = l;
            Tensor layerInput = l == 0 ? _x : _post[l - 1];
            if (l > 0)
            {
                ops.Add(($"dense{layer + 1}_input_gradient", () => Grad.Dense(_dPre[layer], layerInput, _w[layer], _dPost[layer - 1], null, null, accumulate: false)));
            }

            ops.Add(($"dense{layer + 1}_weight_gradient", () => Grad.Dense(_dPre[layer], layerInput, _w[layer], null, _dw[layer], null, accumulate: false)));
            ops.Add(($"dense{layer + 1}_bias_gradient", () => Grad.Dense(_dPre[layer], layerInput, _w[layer], null, null, _db[layer], accumulate: false)));
            if (l > 0)
            {
                ops.Add(($"relu{layer}_gradient", () => Grad.Relu(_dPost[layer - 1], _pre[layer - 1], null, _dPre[layer - 1], accumulate: false)));
            }
        }

        for (int l = 0; l <= last; l++)
        {
            int layer = l;
            ops.Add(($"sgd_w{layer + 1}", () => AddScaled(_w[layer], -_learningRate, _dw[layer], _w[layer])));
            ops.Add(($"sgd_b{layer + 1}", () => AddScaled(_b[layer], -_learningRate, _db[layer], _b[layer])));
        }

        return ops;
    }

    /// <summary>
    /// The fused ops the generated step runs in place of some of <see cref="Ops"/>: each layer with its ReLU (for
    /// dense and relu), the loss with its gradient (for the cross-entropy and its gradient), and the ReLU's gradient with
    /// the bias gradient (for relu_gradient and the dense bias gradient).
    /// </summary>
    public List<(string Name, Action Run)> FusedOps()
    {
        var ops = new List<(string Name, Action Run)>();
        int last = _w.Length - 1;
        for (int l = 0; l < last; l++)
        {
            int layer = l;
            Tensor input = l == 0 ? _x : _post[l - 1];
            ops.Add(($"dense_relu{layer + 1}", () => DenseRelu(input, _w[layer], _b[layer], _post[layer])));
        }

        ops.Add(("softmax_cross_entropy_with_gradient", () => SoftmaxCrossEntropyWithGradient(_pre[last], _labels, _rowLoss, 1f / _rowLoss.Length, _dPre[last], accumulate: false)));
        for (int l = last; l > 0; l--)
        {
            int layer = l;
            ops.Add(($"relu_and_bias{layer}", () => Grad.ReluAndBias(_dPost[layer - 1], _post[layer - 1], _dPre[layer - 1], _db[layer - 1], accumulateBias: false)));
        }

        return ops;
    }
}
