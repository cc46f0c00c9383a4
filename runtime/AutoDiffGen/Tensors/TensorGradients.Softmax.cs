using System;

namespace AutoDiffGen;

public static partial class TensorGradients
{
    /// <summary>Backward of y = softmax(x) over the last axis: dx = y ⊙ (dy − Σ dy ⊙ y); reads only y.</summary>
    public static void Softmax(Tensor dy, Tensor y, Tensor dx, bool accumulate) => SoftmaxCore(nameof(Softmax), dy, y, log: false, dx, accumulate);

    /// <summary>Backward of y = log-softmax(x) over the last axis: dx = dy − exp(y)·Σ dy; reads only y.</summary>
    public static void LogSoftmax(Tensor dy, Tensor y, Tensor dx, bool accumulate) => SoftmaxCore(nameof(LogSoftmax), dy, y, log: true, dx, accumulate);

    /// <summary>
    /// Backward of loss = SoftmaxCrossEntropy(logits, labels): dlogits = dloss[:,None] · (softmax(logits) − labels)
    /// (exactly, Σlabels·softmax − labels, for labels that do not sum to one). Pass the softmax the forward overload
    /// wrote to skip recomputing it, or null. No gradient flows to the labels.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match or the tensors are on different devices.</exception>
    public static void SoftmaxCrossEntropy(Tensor dloss, Tensor logits, Tensor labels, Tensor? softmax, Tensor dlogits, bool accumulate)
    {
        const string op = nameof(SoftmaxCrossEntropy);
        OpChecks.NotNull(op, dloss, nameof(dloss));
        OpChecks.NotNull(op, dlogits, nameof(dlogits));
        TensorOps.CheckCrossEntropyShapes(op, logits, labels);
        OpChecks.Destination(op, dloss, [logits.Shape[0]], nameof(dloss));
        CheckCrossEntropyGradient(op, logits, labels, softmax, dlogits);
        OpChecks.SameDevice(op, dloss, logits, labels, softmax, dlogits);
        OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), dloss, nameof(dloss));
        dloss.Backend.SoftmaxCrossEntropyBackward(dloss, 0f, logits, labels, softmax, dlogits, accumulate);
    }

    /// <summary>
    /// Backward of loss = SoftmaxCrossEntropy(logits, labels) when every row's loss has the same adjoint
    /// <paramref name="dloss"/>, as under a mean (seed / rows) or a sum of the losses: dlogits = dloss · (softmax(logits) −
    /// labels), in one pass, without a tensor of equal adjoints. Otherwise as the overload taking a tensor.
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match or the tensors are on different devices.</exception>
    public static void SoftmaxCrossEntropy(float dloss, Tensor logits, Tensor labels, Tensor? softmax, Tensor dlogits, bool accumulate)
    {
        const string op = nameof(SoftmaxCrossEntropy);
        OpChecks.NotNull(op, dlogits, nameof(dlogits));
        TensorOps.CheckCrossEntropyShapes(op, logits, labels);
        CheckCrossEntropyGradient(op, logits, labels, softmax, dlogits);
        OpChecks.SameDevice(op, logits, labels, softmax, dlogits);
        dlogits.Backend.SoftmaxCrossEntropyBackward(null, dloss, logits, labels, softmax, dlogits, accumulate);
    }

    /// <summary>The checks both cross-entropy gradients share: dlogits' shape, the softmax's, and which buffers may not overlap.</summary>
    private static void CheckCrossEntropyGradient(string op, Tensor logits, Tensor labels, Tensor? softmax, Tensor dlogits)
    {
        OpChecks.Destination(op, dlogits, logits.Shape, nameof(dlogits));
        if (softmax is not null)
        {
            OpChecks.SameShape(op, softmax, nameof(softmax), logits, nameof(logits));
            OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), softmax, nameof(softmax));
        }

        OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), labels, nameof(labels));
        if (softmax is null)
        {
            OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), logits, nameof(logits));
        }
    }

    private static void SoftmaxCore(string name, Tensor dy, Tensor y, bool log, Tensor dx, bool accumulate)
    {
        OpChecks.NotNull(name, dy, nameof(dy));
        OpChecks.NotNull(name, y, nameof(y));
        OpChecks.NotNull(name, dx, nameof(dx));
        if (y.Rank == 0)
        {
            throw new ArgumentException($"{name}: y has shape {y.ShapeText}; softmax needs at least one axis.");
        }

        OpChecks.SameShape(name, dy, nameof(dy), y, nameof(y));
        OpChecks.Destination(name, dx, y.Shape, nameof(dx));
        OpChecks.SameDevice(name, dy, y, dx);
        OpChecks.NoSharedStorage(name, dx, nameof(dx), y, nameof(y));
        OpChecks.NoSharedStorage(name, dx, nameof(dx), dy, nameof(dy));
        dy.Backend.SoftmaxBackward(dy, y, log, dx, accumulate);
    }
}
