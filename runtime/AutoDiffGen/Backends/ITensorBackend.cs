using System;
using System.Collections.Generic;
using AutoDiffGen.Nn;

namespace AutoDiffGen;

/// <summary>
/// The storage allocator and kernels of one <see cref="Device"/>. <see cref="TensorOps"/> and
/// <see cref="TensorGradients"/> validate shapes and devices before calling in, so a backend may assume
/// every tensor is on its device and every shape is consistent as documented on each member.
/// </summary>
/// <remarks>
/// Tensors reach a backend with arbitrary strides (views). Broadcasting follows NumPy: shapes are aligned at
/// the last axis; an operand's missing or size-1 axes repeat. <c>accumulate</c> means "add into the
/// destination" rather than "overwrite it".
/// </remarks>
internal interface ITensorBackend
{
    /// <summary>Allocates zero-filled storage for <paramref name="length"/> elements.</summary>
    TensorStorage Allocate(int length);

    /// <summary>Copies row-major <paramref name="source"/> (length = destination.Length) into <paramref name="destination"/>.</summary>
    void Upload(ReadOnlySpan<float> source, Tensor destination);

    /// <summary>Copies <paramref name="source"/> in row-major order into <paramref name="destination"/>.</summary>
    void Download(Tensor source, Span<float> destination);

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>.</summary>
    void Fill(Tensor destination, float value);

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, broadcasting it to the destination's shape.</summary>
    void Copy(Tensor source, Tensor destination);

    /// <summary>y = op(x); same shapes. <paramref name="parameter"/> is the exponent of <see cref="UnaryOp.Pow"/>.</summary>
    void Unary(UnaryOp op, Tensor x, float parameter, Tensor y);

    /// <summary>y = op(a, b) with a and b broadcast to y's shape.</summary>
    void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y);

    /// <summary>y = op(a, s) or, when <paramref name="scalarFirst"/>, y = op(s, a); a has y's shape.</summary>
    void BinaryScalar(BinaryOp op, Tensor a, float scalar, bool scalarFirst, Tensor y);

    /// <summary>y = a + alpha · b; all three have one shape (y may be a).</summary>
    void AddScaled(Tensor a, float alpha, Tensor b, Tensor y);

    /// <summary>
    /// Plain gradient descent, in place: parameters[i] += −learningRate · gradients[i] for every pair, each pair of one
    /// shape, all on this backend's device; the same values as <see cref="AddScaled"/> pair by pair, in as few launches
    /// as the backend can.
    /// </summary>
    void DescentStep(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients, float learningRate);

    /// <summary>
    /// SGD with momentum, in place: velocity = momentum · velocity + gradient, then parameter −= learningRate · velocity.
    /// All three have one shape and distinct storage.
    /// </summary>
    void MomentumStep(Tensor parameter, Tensor gradient, Tensor velocity, float learningRate, float momentum);

    /// <summary>
    /// One Adam step, in place: the moments are updated from the gradient and the parameter moves by
    /// −lr · m̂ / (√v̂ + ε) (see <see cref="AdamCoefficients"/>). All four have one shape and distinct storage.
    /// </summary>
    void AdamStep(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment, in AdamCoefficients coefficients);

    /// <summary>dx (+)= dy · op'(x) for the forward y = op(x); all four have one shape; x or y may be null where the op does not read it.</summary>
    void UnaryBackward(UnaryOp op, float parameter, Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate);

    /// <summary>
    /// Gradients of y = op(a, b): da (+)= reduce(dy · ∂y/∂a) and db likewise, each reduced over the axes along which
    /// its operand was broadcast, so it has its operand's shape. dy has the broadcast shape.
    /// </summary>
    void BinaryBackward(BinaryOp op, Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate);

    /// <summary>Gradient of the tensor operand of <see cref="BinaryScalar"/>; dy, a and da have one shape.</summary>
    void BinaryScalarBackward(BinaryOp op, Tensor dy, Tensor a, float scalar, bool scalarFirst, Tensor da, bool accumulate);

    /// <summary>
    /// c = alpha · op(a) · op(b) + beta · c (+ bias broadcast over rows), then max(0, ·) on every element of c when
    /// <paramref name="relu"/> (a dense layer's ReLU, applied as c is written). a, b and c are 2-D, or 3-D batches where
    /// a 2-D operand, or a batch of 1, is shared by every batch item of c. beta = 0 never reads c.
    /// </summary>
    void Gemm(bool transposeA, bool transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c, Tensor? bias, bool relu = false);

    /// <summary>
    /// y (+)= reduce of x over the axes set in <paramref name="axesMask"/> (bit d = axis d of x). y has x's rank with
    /// those axes of size 1 (keep-dims form), or the reduced axes removed.
    /// </summary>
    void Reduce(ReduceOp op, Tensor x, int axesMask, Tensor y, bool accumulate);

    /// <summary>
    /// dx (+)= the gradient of <see cref="Reduce"/>: dy broadcast back over the reduced axes (scaled for Mean, routed
    /// to the first maximum for Max, which needs x and the forward output y). dy and y are shaped like Reduce's y.
    /// </summary>
    void ReduceBackward(ReduceOp op, Tensor dy, Tensor? x, Tensor? y, int axesMask, Tensor dx, bool accumulate);

    /// <summary>y = softmax(x) or log-softmax(x) over the last axis.</summary>
    void Softmax(Tensor x, bool log, Tensor y);

    /// <summary>dx (+)= the gradient of <see cref="Softmax"/> from the forward output y.</summary>
    void SoftmaxBackward(Tensor dy, Tensor y, bool log, Tensor dx, bool accumulate);

    /// <summary>loss[n] = -Σ_c labels[n,c] · log-softmax(logits)[n,c]; also writes softmax(logits) when given a buffer.</summary>
    void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor? softmax);

    /// <summary>
    /// dlogits (+)= dloss[n] · (softmax(logits) − labels), reading <paramref name="softmax"/> when given instead of
    /// recomputing it; with <paramref name="dloss"/> null, every row's dloss is <paramref name="uniformDloss"/> (the
    /// gradient of a mean or sum of the losses, without a tensor of equal adjoints).
    /// </summary>
    void SoftmaxCrossEntropyBackward(Tensor? dloss, float uniformDloss, Tensor logits, Tensor labels, Tensor? softmax, Tensor dlogits, bool accumulate);

    /// <summary>
    /// dz = dy ⊙ [y &gt; 0] (a ReLU's gradient read from its output; overwritten) and columnSums (+)= the sums over the rows
    /// of dz: the ReLU and bias part of a dense layer's backward pass. dy, y and dz are [N,C], columnSums is [C].
    /// </summary>
    void ReluGradientWithColumnSums(Tensor dy, Tensor y, Tensor dz, Tensor columnSums, bool accumulateSums);

    /// <summary>
    /// <see cref="SoftmaxCrossEntropy"/> into <paramref name="loss"/> and, in the same pass over the rows, dlogits (+)=
    /// <paramref name="lossAdjoint"/> · (Σlabels · softmax(logits) − labels): the gradient when every row's loss has that
    /// adjoint. The same values as the forward pass with a softmax followed by <see cref="SoftmaxCrossEntropyBackward"/>.
    /// </summary>
    void SoftmaxCrossEntropyWithGradient(Tensor logits, Tensor labels, Tensor loss, float lossAdjoint, Tensor dlogits, bool accumulate);

    /// <summary>y = the index of the first maximum of x along <paramref name="axis"/>, as a float; y has x's shape without that axis.</summary>
    void ArgMax(Tensor x, int axis, Tensor y);

    /// <summary>y[n, c] = 1 when labels[n] == c else 0; y is [labels.Length, classes], labels are in range.</summary>
    void OneHot(ReadOnlySpan<int> labels, Tensor y);

    /// <summary>How many rows of the 2-D <paramref name="logits"/> have their first maximum at the label's index.</summary>
    int CountCorrect(Tensor logits, ReadOnlySpan<int> labels);
}
