using System;
using AutoDiffGen.Backends.Cpu.Kernels;

namespace AutoDiffGen.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Softmax(Tensor x, bool log, Tensor y)
    {
        if (!HasDenseRows(x) || !HasDenseRows(y))
        {
            // Rare: strided rows go through dense copies (this allocates).
            Tensor dense = Tensor.Zeros(Device, y.Shape);
            Softmax(x.Contiguous(), log, dense);
            Copy(dense, y);
            return;
        }

        int columns = LastDimension(x);
        float* scratch = ScratchBuffer.Get(columns);
        fixed (float* px = Data(x))
        fixed (float* py = Data(y))
        {
            for (int row = 0, rows = RowCount(x); row < rows; row++)
            {
                var input = new ReadOnlySpan<float>(px + RowOffset(x, row), columns);
                var output = new Span<float>(py + RowOffset(y, row), columns);
                if (log)
                {
                    SoftmaxRows.LogSoftmax(input, output, new Span<float>(scratch, columns));
                }
                else
                {
                    SoftmaxRows.Softmax(input, output);
                }
            }
        }
    }

    public void SoftmaxBackward(Tensor dy, Tensor y, bool log, Tensor dx, bool accumulate)
    {
        if (!HasDenseRows(dy) || !HasDenseRows(y) || !HasDenseRows(dx))
        {
            Tensor dense = accumulate ? dx.Clone() : Tensor.Zeros(Device, dx.Shape);
            SoftmaxBackward(dy.Contiguous(), y.Contiguous(), log, dense, accumulate);
            Copy(dense, dx);
            return;
        }

        int columns = LastDimension(y);
        float* scratch = ScratchBuffer.Get(columns);
        fixed (float* pdy = Data(dy))
        fixed (float* py = Data(y))
        fixed (float* pdx = Data(dx))
        {
            for (int row = 0, rows = RowCount(y); row < rows; row++)
            {
                var upstream = new ReadOnlySpan<float>(pdy + RowOffset(dy, row), columns);
                var output = new ReadOnlySpan<float>(py + RowOffset(y, row), columns);
                var gradient = new Span<float>(pdx + RowOffset(dx, row), columns);
                if (log)
                {
                    SoftmaxRows.LogSoftmaxGradient(upstream, output, gradient, accumulate, new Span<float>(scratch, columns));
                }
                else
                {
                    SoftmaxRows.SoftmaxGradient(upstream, output, gradient, accumulate, new Span<float>(scratch, columns));
                }
            }
        }
    }

    public void SoftmaxCrossEntropy(Tensor logits, Tensor labels, Tensor loss, Tensor? softmax)
    {
        logits = HasDenseRows(logits) ? logits : logits.Contiguous();
        labels = HasDenseRows(labels) ? labels : labels.Contiguous();
        if (softmax is not null && !HasDenseRows(softmax))
        {
            var dense = Tensor.Zeros(Device, softmax.Shape);
            SoftmaxCrossEntropy(logits, labels, loss, dense);
            Copy(dense, softmax);
            return;
        }

        int columns = LastDimension(logits);
        float* scratch = ScratchBuffer.Get(2 * columns);
        fixed (float* px = Data(logits))
        fixed (float* pl = Data(labels))
        fixed (float* ploss = Data(loss))
        fixed (float* ps = softmax is null ? null : Data(softmax))
        {
            int rows = RowCount(logits);
            nint lossStride = loss.Rank == 0 ? 0 : loss.Strides[^1];
            for (int row = 0; row < rows; row++)
            {
                var probabilities = softmax is null ? default : new Span<float>(ps + RowOffset(softmax, row), columns);
                ploss[loss.Offset + (row * lossStride)] = SoftmaxRows.CrossEntropy(
                    new ReadOnlySpan<float>(px + RowOffset(logits, row), columns),
                    new ReadOnlySpan<float>(pl + RowOffset(labels, row), columns),
                    probabilities,
                    new Span<float>(scratch, 2 * columns));
            }
        }
    }

    public void SoftmaxCrossEntropyBackward(Tensor? dloss, float uniformDloss, Tensor logits, Tensor labels, Tensor? softmax, Tensor dlogits, bool accumulate)
    {
        labels = HasDenseRows(labels) ? labels : labels.Contiguous();
        softmax = softmax is null ? null : HasDenseRows(softmax) ? softmax : softmax.Contiguous();
        logits = softmax is not null || HasDenseRows(logits) ? logits : logits.Contiguous();
        if (!HasDenseRows(dlogits))
        {
            Tensor dense = accumulate ? dlogits.Clone() : Tensor.Zeros(Device, dlogits.Shape);
            SoftmaxCrossEntropyBackward(dloss, uniformDloss, logits, labels, softmax, dense, accumulate);
            Copy(dense, dlogits);
            return;
        }

        int columns = LastDimension(dlogits);
        float* scratch = ScratchBuffer.Get(2 * columns);
        // A uniform dloss is read through a stride of 0, like a rank-0 tensor.
        float uniform = uniformDloss;
        fixed (float* pdlossTensor = dloss is null ? null : Data(dloss))
        fixed (float* px = Data(logits))
        fixed (float* pl = Data(labels))
        fixed (float* ps = softmax is null ? null : Data(softmax))
        fixed (float* pdx = Data(dlogits))
        {
            int rows = RowCount(dlogits);
            float* pdloss = dloss is null ? &uniform : pdlossTensor + dloss.Offset;
            nint dlossStride = dloss is null || dloss.Rank == 0 ? 0 : dloss.Strides[^1];
            var recomputed = new Span<float>(scratch + columns, columns);
            for (int row = 0; row < rows; row++)
            {
                ReadOnlySpan<float> probabilities;
                if (softmax is null)
                {
                    SoftmaxRows.Softmax(new ReadOnlySpan<float>(px + RowOffset(logits, row), columns), recomputed);
                    probabilities = recomputed;
                }
                else
                {
                    probabilities = new ReadOnlySpan<float>(ps + RowOffset(softmax, row), columns);
                }

                SoftmaxRows.CrossEntropyGradient(
                    pdloss[row * dlossStride],
                    probabilities,
                    new ReadOnlySpan<float>(pl + RowOffset(labels, row), columns),
                    new Span<float>(pdx + RowOffset(dlogits, row), columns),
                    accumulate,
                    new Span<float>(scratch, columns));
            }
        }
    }

    public void SoftmaxCrossEntropyWithGradient(Tensor logits, Tensor labels, Tensor loss, float lossAdjoint, Tensor dlogits, bool accumulate)
    {
        logits = HasDenseRows(logits) ? logits : logits.Contiguous();
        labels = HasDenseRows(labels) ? labels : labels.Contiguous();
        if (!HasDenseRows(dlogits))
        {
            Tensor dense = accumulate ? dlogits.Clone() : Tensor.Zeros(Device, dlogits.Shape);
            SoftmaxCrossEntropyWithGradient(logits, labels, loss, lossAdjoint, dense, accumulate);
            Copy(dense, dlogits);
            return;
        }

        // Row by row, the forward row kernel writes the softmax into scratch and the gradient's row kernel reads it
        // while the row is in cache: the two passes' arithmetic, one walk over the rows.
        int columns = LastDimension(logits);
        float* scratch = ScratchBuffer.Get(3 * columns);
        fixed (float* px = Data(logits))
        fixed (float* pl = Data(labels))
        fixed (float* ploss = Data(loss))
        fixed (float* pdx = Data(dlogits))
        {
            int rows = RowCount(logits);
            nint lossStride = loss.Rank == 0 ? 0 : loss.Strides[^1];
            var probabilities = new Span<float>(scratch + (2 * columns), columns);
            for (int row = 0; row < rows; row++)
            {
                var rowLabels = new ReadOnlySpan<float>(pl + RowOffset(labels, row), columns);
                ploss[loss.Offset + (row * lossStride)] = SoftmaxRows.CrossEntropy(
                    new ReadOnlySpan<float>(px + RowOffset(logits, row), columns), rowLabels, probabilities, new Span<float>(scratch, 2 * columns));
                SoftmaxRows.CrossEntropyGradient(
                    lossAdjoint, probabilities, rowLabels, new Span<float>(pdx + RowOffset(dlogits, row), columns), accumulate, new Span<float>(scratch, columns));
            }
        }
    }

    /// <summary>Whether each row along the last axis is dense (stride 1), as the row kernels need.</summary>
    private static bool HasDenseRows(Tensor tensor) => tensor.Rank == 0 || tensor.Shape[^1] <= 1 || tensor.Strides[^1] == 1;

    private static int LastDimension(Tensor tensor) => tensor.Rank == 0 ? 1 : tensor.Shape[^1];

    private static int RowCount(Tensor tensor)
    {
        int last = LastDimension(tensor);
        return last == 0 ? 0 : tensor.Length / last;
    }

    /// <summary>Where row <paramref name="row"/> (counting over all but the last axis, row-major) starts in storage.</summary>
    private static nint RowOffset(Tensor tensor, int row)
    {
        nint offset = tensor.Offset;
        for (int axis = tensor.Rank - 2; axis >= 0; axis--)
        {
            int size = tensor.Shape[axis];
            offset += (nint)(row % size) * tensor.Strides[axis];
            row /= size;
        }

        return offset;
    }
}
