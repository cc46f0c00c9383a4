namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void Softmax(Tensor x, bool log, Tensor y)
    {
        if (y.Length == 0)
        {
            return;
        }

        int cols = x.Shape[^1], rows = x.Length / cols;
        lock (_scratch.Lock)
        {
            var input = DenseInput(x, 0);
            var output = DenseOutput(y, 1);
            if (log)
            {
                Kernels.Softmax.LogSoftmax(Stream, input, output, rows, cols);
            }
            else
            {
                Kernels.Softmax.Softmax(Stream, input, output, rows, cols);
            }

            FinishOutput(output, y, accumulate: false);
        }
    }

    public void SoftmaxBackward(Tensor dy, Tensor y, bool log, Tensor dx, bool accumulate)
    {
        if (dx.Length == 0)
        {
            return;
        }

        int cols = y.Shape[^1], rows = y.Length / cols;
        lock (_scratch.Lock)
        {
            var upstream = DenseInput(dy, 0);
            var output = DenseInput(y, 1);

            // A strided dx gets the gradient computed densely in scratch, then added or copied into it.
            var gradient = DenseOutput(dx, 2);
            bool accumulateHere = accumulate && dx.IsContiguous;
            if (log)
            {
                Kernels.Softmax.LogSoftmaxGradient(Stream, output, upstream, gradient, rows, cols, accumulateHere);
            }
            else
            {
                Kernels.Softmax.SoftmaxGradient(Stream, output, upstream, gradient, rows, cols, accumulateHere);
            }

            FinishOutput(gradient, dx, accumulate);
        }
    }

    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor? softmax)
    {
        if (logits.Length == 0)
        {
            Fill(loss, 0f);
            return;
        }

        int rows = logits.Shape[0], cols = logits.Shape[1];
        lock (_scratch.Lock)
        {
            var scores = DenseInput(logits, 0);
            var targets = DenseInput(labels, 1);
            var losses = DenseOutput(loss, 2);
            if (softmax is null)
            {
                Kernels.Softmax.SoftmaxCrossEntropy(Stream, scores, targets, losses, rows, cols);
            }
            else
            {
                var probabilities = DenseOutput(softmax, 3);
                Kernels.Softmax.SoftmaxCrossEntropy(Stream, scores, targets, losses, probabilities, rows, cols);
                FinishOutput(probabilities, softmax, accumulate: false);
            }

            FinishOutput(losses, loss, accumulate: false);
        }
    }

    public void SoftmaxCrossEntropyBackward(Tensor? dloss, float uniformDloss, Tensor logits, Tensor labels, Tensor? softmax, Tensor dlogits, bool accumulate)
    {
        if (dlogits.Length == 0)
        {
            return;
        }

        int rows = logits.Shape[0], cols = logits.Shape[1];
        lock (_scratch.Lock)
        {
            var targets = DenseInput(labels, 2);
            var gradient = DenseOutput(dlogits, 3);
            bool accumulateHere = accumulate && dlogits.IsContiguous;
            bool fromSoftmax = softmax is not null;
            var probabilitiesOrLogits = fromSoftmax ? DenseInput(softmax!, 1) : DenseInput(logits, 1);

            // A uniform dloss goes to the kernel as a number; the dloss view it then ignores is the labels'.
            var upstream = dloss is null ? targets : DenseInput(dloss, 0);
            Kernels.Softmax.CrossEntropyGradient(
                Stream, fromSoftmax, probabilitiesOrLogits, targets, upstream, dloss is null ? uniformDloss : null, gradient, rows, cols, accumulateHere);

            FinishOutput(gradient, dlogits, accumulate);
        }
    }

    public void SoftmaxCrossEntropyWithGradient(Tensor logits, Tensor labels, Tensor loss, float lossAdjoint, Tensor dlogits, bool accumulate)
    {
        if (logits.Length == 0)
        {
            Fill(loss, 0f);
            return;
        }

        int rows = logits.Shape[0], cols = logits.Shape[1];
        lock (_scratch.Lock)
        {
            var scores = DenseInput(logits, 0);
            var targets = DenseInput(labels, 1);
            var losses = DenseOutput(loss, 2);
            var gradient = DenseOutput(dlogits, 3);
            bool accumulateHere = accumulate && dlogits.IsContiguous;
            Kernels.Softmax.SoftmaxCrossEntropyWithGradient(Stream, scores, targets, losses, lossAdjoint, gradient, rows, cols, accumulateHere);
            FinishOutput(gradient, dlogits, accumulate);
            FinishOutput(losses, loss, accumulate: false);
        }
    }
}
