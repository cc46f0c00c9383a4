using System;

namespace AutoDiffGen;

public static partial class TensorOps
{
    /// <summary>Softmax over the last axis: exp(x − max) / Σ exp(x − max), stable for large inputs.</summary>
    public static Tensor Softmax(Tensor x) => SoftmaxCore(nameof(Softmax), x, log: false, null);

    /// <summary>Softmax over the last axis, written into <paramref name="destination"/> (x's shape; may be x).</summary>
    public static Tensor Softmax(Tensor x, Tensor destination) => SoftmaxCore(nameof(Softmax), x, log: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Log-softmax over the last axis: x − logΣexp(x), computed without forming tiny probabilities.</summary>
    public static Tensor LogSoftmax(Tensor x) => SoftmaxCore(nameof(LogSoftmax), x, log: true, null);

    /// <summary>Log-softmax over the last axis, written into <paramref name="destination"/> (x's shape; may be x).</summary>
    public static Tensor LogSoftmax(Tensor x, Tensor destination) => SoftmaxCore(nameof(LogSoftmax), x, log: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>
    /// The per-row softmax cross-entropy loss[n] = −Σ_c labels[n,c] · log softmax(logits)[n,c], fused and stable
    /// (log-sum-exp with the row maximum subtracted). logits and labels are [N,C] (one-hot rows or probabilities); the
    /// result is [N]. Take <see cref="Mean(Tensor)"/> of it for the usual batch loss.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels) => SoftmaxCrossEntropyCore(logits, labels, null, null);

    /// <summary>The per-row softmax cross-entropy (see <see cref="SoftmaxCrossEntropy(Tensor, Tensor)"/>), written into the [N] <paramref name="destination"/>.</summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor destination)
        => SoftmaxCrossEntropyCore(logits, labels, destination ?? throw new ArgumentNullException(nameof(destination)), null);

    /// <summary>
    /// The per-row softmax cross-entropy written into the [N] <paramref name="destination"/>, also writing
    /// softmax(logits) into the [N,C] <paramref name="softmaxDestination"/> so that the backward pass
    /// (<see cref="TensorGradients.SoftmaxCrossEntropy(Tensor, Tensor, Tensor, Tensor?, Tensor, bool)"/>) need not recompute it.
    /// </summary>
    public static Tensor SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor destination, Tensor softmaxDestination)
        => SoftmaxCrossEntropyCore(
            logits,
            labels,
            destination ?? throw new ArgumentNullException(nameof(destination)),
            softmaxDestination ?? throw new ArgumentNullException(nameof(softmaxDestination)));

    /// <summary>
    /// The per-row softmax cross-entropy into the [N] <paramref name="destination"/> and, in the same pass, its gradient
    /// when every row's loss has the adjoint <paramref name="lossAdjoint"/> (under a mean of the losses, seed / N; under
    /// a sum, the seed): dlogits (+)= lossAdjoint · (softmax(logits) − labels) (exactly, Σlabels · softmax − labels).
    /// The same values as <see cref="SoftmaxCrossEntropy(Tensor, Tensor, Tensor, Tensor)"/> followed by
    /// <see cref="TensorGradients.SoftmaxCrossEntropy(float, Tensor, Tensor, Tensor?, Tensor, bool)"/>, without the softmax
    /// buffer between them: one kernel launch instead of two on a GPU. The generator uses it for a loss whose adjoint is
    /// known before the forward pass runs.
    /// </summary>
    /// <param name="logits">[N,C] scores.</param>
    /// <param name="labels">[N,C] one-hot rows or probabilities; no gradient flows to them.</param>
    /// <param name="destination">[N] per-row losses (overwritten).</param>
    /// <param name="lossAdjoint">∂L/∂loss[n], the same for every row.</param>
    /// <param name="dlogits">[N,C] gradient with respect to the logits; may not share storage with logits or labels.</param>
    /// <param name="accumulate">Add into <paramref name="dlogits"/> instead of overwriting it.</param>
    /// <exception cref="ArgumentException">A shape does not match, buffers overlap, or the tensors are on different devices.</exception>
    public static void SoftmaxCrossEntropyWithGradient(Tensor logits, Tensor labels, Tensor destination, float lossAdjoint, Tensor dlogits, bool accumulate)
    {
        const string op = nameof(SoftmaxCrossEntropyWithGradient);
        CheckCrossEntropyShapes(op, logits, labels);
        OpChecks.NotNull(op, destination, nameof(destination));
        OpChecks.NotNull(op, dlogits, nameof(dlogits));
        OpChecks.SameDevice(op, logits, labels, destination, dlogits);
        OpChecks.Destination(op, destination, [logits.Shape[0]]);
        OpChecks.Destination(op, dlogits, logits.Shape, nameof(dlogits));
        OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), logits, nameof(logits));
        OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), labels, nameof(labels));
        OpChecks.NoSharedStorage(op, dlogits, nameof(dlogits), destination, nameof(destination));
        logits.Backend.SoftmaxCrossEntropyWithGradient(logits, labels, destination, lossAdjoint, dlogits, accumulate);
    }

    private static Tensor SoftmaxCore(string name, Tensor x, bool log, Tensor? destination)
    {
        OpChecks.NotNull(name, x, nameof(x));
        if (x.Rank == 0)
        {
            throw new ArgumentException($"{name}: x has shape {x.ShapeText}; softmax needs at least one axis.");
        }

        OpChecks.SameDevice(name, x, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(x.Device, x.Shape);
        }
        else
        {
            OpChecks.Destination(name, destination, x.Shape);
        }

        x.Backend.Softmax(x, log, destination);
        return destination;
    }

    private static Tensor SoftmaxCrossEntropyCore(Tensor logits, Tensor labels, Tensor? destination, Tensor? softmax)
    {
        const string op = nameof(SoftmaxCrossEntropy);
        CheckCrossEntropyShapes(op, logits, labels);
        OpChecks.SameDevice(op, logits, labels, destination, softmax);
        Span<int> shape = [logits.Shape[0]];
        if (destination is null)
        {
            destination = Tensor.Zeros(logits.Device, shape);
        }
        else
        {
            OpChecks.Destination(op, destination, shape);
        }

        if (softmax is not null)
        {
            OpChecks.Destination(op, softmax, logits.Shape, "softmaxDestination");
            OpChecks.NoSharedStorage(op, softmax, "softmaxDestination", logits, "logits");
            OpChecks.NoSharedStorage(op, softmax, "softmaxDestination", labels, "labels");
        }

        logits.Backend.SoftmaxCrossEntropy(logits, labels, destination, softmax);
        return destination;
    }

    /// <summary>Throws unless logits and labels are the same [N,C] shape.</summary>
    internal static void CheckCrossEntropyShapes(string op, Tensor logits, Tensor labels)
    {
        OpChecks.NotNull(op, logits, nameof(logits));
        OpChecks.NotNull(op, labels, nameof(labels));
        OpChecks.Rank(op, logits, "logits", 2);
        if (!Shapes.Equal(logits.Shape, labels.Shape))
        {
            throw new ArgumentException($"{op}: logits {logits.ShapeText} and labels {labels.ShapeText} do not match; labels must be one-hot or probability rows of the logits' shape.");
        }
    }
}
