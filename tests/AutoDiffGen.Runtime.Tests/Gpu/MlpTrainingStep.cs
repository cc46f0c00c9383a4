using System;
using System.Linq;
using static AutoDiffGen.TensorOps;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// One SGD step of an MNIST-shaped MLP (784 inputs, ReLU hidden layers, 10 classes, softmax cross-entropy), written by
/// hand with the destination forms of TensorOps and TensorGradients into buffers created once on one device. The
/// batches are fixed seeded "images" in [0, 1) with labels cycling through the classes; the initial weights are the
/// same on every device.
/// </summary>
internal sealed class MlpTrainingStep
{
    private readonly Tensor _x, _labels, _rowLoss, _probabilities, _loss, _one, _dRowLoss, _dLogits;
    private readonly Tensor[] _w, _b, _dw, _db, _pre, _post, _dPre, _dPost;
    private readonly float[][] _images;
    private readonly int[][] _classes;
    private readonly float _learningRate;
    private int _step;

    public MlpTrainingStep(Device device, int batch, int[] hidden, int batches = 4, float learningRate = 0.1f)
    {
        _learningRate = learningRate;
        int[] widths = [784, .. hidden, 10];
        int layers = widths.Length - 1;
        var random = new Random(7);
        _images = Enumerable.Range(0, batches).Select(_ => Enumerable.Range(0, batch * 784).Select(_ => (float)random.NextDouble()).ToArray()).ToArray();
        _classes = Enumerable.Range(0, batches).Select(b => Enumerable.Range(0, batch).Select(i => (i + (3 * b)) % 10).ToArray()).ToArray();
        _x = Tensor.Zeros(device, batch, 784);
        _labels = Tensor.Zeros(device, batch, 10);
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
            _w[l] = Tensor.TruncatedNormal([widths[l], widths[l + 1]], seed: (ulong)(10 + l), stddev: MathF.Sqrt(2f / widths[l])).To(device);
            _b[l] = Tensor.TruncatedNormal([widths[l + 1]], seed: (ulong)(20 + l), stddev: 0.01f).To(device);
            _dw[l] = Tensor.ZerosLike(_w[l]);
            _db[l] = Tensor.ZerosLike(_b[l]);
            _pre[l] = Tensor.Zeros(device, batch, widths[l + 1]);
            _post[l] = Tensor.ZerosLike(_pre[l]);
            _dPre[l] = Tensor.ZerosLike(_pre[l]);
            _dPost[l] = Tensor.ZerosLike(_pre[l]);
        }

        _rowLoss = Tensor.Zeros(device, batch);
        _probabilities = Tensor.Zeros(device, batch, 10);
        _loss = Tensor.Scalar(device, 0f);
        _one = Tensor.Scalar(device, 1f);
        _dRowLoss = Tensor.ZerosLike(_rowLoss);
        _dLogits = _dPre[layers - 1];
    }

    /// <summary>The weights and biases, first layer first.</summary>
    public Tensor[] Parameters => [.. _w, .. _b];

    /// <summary>Feeds the next batch, runs forward, backward and the SGD update; returns the batch's mean loss.</summary>
    public float Run()
    {
        int batchIndex = _step++ % _images.Length;
        _x.CopyFrom(_images[batchIndex]);
        OneHot(_classes[batchIndex], 10, _labels);
        return RunOnCurrentBatch(readLoss: true);
    }

    /// <summary>The step on the batch already fed; reads the loss back (a device synchronisation) only when asked.</summary>
    public float RunOnCurrentBatch(bool readLoss)
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
        Grad.SoftmaxCrossEntropy(_dRowLoss, _pre[last], _labels, _probabilities, _dLogits, accumulate: false);
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

        return readLoss ? _loss.ToScalar() : float.NaN;
    }
}
