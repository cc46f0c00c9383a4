using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void Gemm(bool transposeA, bool transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c, Tensor? bias, bool relu = false)
    {
        int m = c.Shape[^2], n = c.Shape[^1];
        int k = transposeA ? a.Shape[^2] : a.Shape[^1];
        if (m == 0 || n == 0)
        {
            return;
        }

        if (k == 0)
        {
            EmptyProduct(beta, c, bias);
            if (relu)
            {
                Unary(UnaryOp.Relu, c, 0f, c);
            }

            return;
        }

        int batchA = BatchCount(a), batchB = BatchCount(b), batchC = BatchCount(c);
        int count = Math.Max(batchC, Math.Max(batchA, batchB));

        // A 2-D (or batch-1) C with batched inputs sums the products of the batch.
        bool sums = batchC == 1 && count > 1;
        lock (_scratch.Lock)
        {
            // Operands the kernel cannot read as dense (or dense-transposed) matrices are copied to scratch once.
            var denseA = MatrixSource(a, 0);
            var denseB = MatrixSource(b, 1);
            bool cDense = c.IsContiguous;
            var outputC = cDense ? DenseView(c) : _scratch.Floats(2, c.Length);
            if (!cDense && beta != 0f)
            {
                Gather(c, outputC);
            }

            ArrayView1D<float, Stride1D.Dense>? biasView = null;
            if (bias is not null)
            {
                biasView = bias.IsContiguous ? DenseView(bias) : DenseInput(bias, 3);
            }

            for (int item = 0; item < count; item++)
            {
                var (viewA, flipA) = denseA.Item(a, batchA == 1 ? 0 : item);
                var (viewB, flipB) = denseB.Item(b, batchB == 1 ? 0 : item);
                var viewC = outputC.SubView((long)(batchC == 1 ? 0 : item) * m * n, (long)m * n);
                bool first = item == 0 || !sums;

                // Products summed over a batch take the ReLU with the last one, once the sum is complete.
                bool last = item == count - 1 || !sums;
                Kernels.Gemm.Run(Stream, transposeA ^ flipA, transposeB ^ flipB, m, n, k, alpha, viewA, viewB, first ? beta : 1f, viewC, first ? biasView : null, relu && last);
            }

            FinishOutput(outputC, c, accumulate: false);
        }
    }

    private static int BatchCount(Tensor matrix) => matrix.Rank == 3 ? matrix.Shape[0] : 1;

    /// <summary>c = beta·c (+ bias on every row): a product over an empty inner dimension.</summary>
    private void EmptyProduct(float beta, Tensor c, Tensor? bias)
    {
        if (beta == 0f)
        {
            Fill(c, 0f);
        }
        else
        {
            BinaryScalar(BinaryOp.Mul, c, beta, scalarFirst: false, c);
        }

        if (bias is not null)
        {
            Binary(BinaryOp.Add, c, bias, c);
        }
    }

    /// <summary>
    /// How the GEMM kernel reads one operand: in place when each matrix is dense row-major, or dense column-major (the
    /// row-major storage of its transpose, read with the transpose flag flipped); otherwise from a contiguous copy in
    /// scratch <paramref name="slot"/>.
    /// </summary>
    private MatrixOperand MatrixSource(Tensor matrix, int slot)
    {
        if (IsDenseMatrixBatch(matrix, columnMajor: false))
        {
            return new MatrixOperand(BufferOf(matrix).View, matrix.Offset, BatchStride(matrix), Flip: false);
        }

        if (IsDenseMatrixBatch(matrix, columnMajor: true))
        {
            return new MatrixOperand(BufferOf(matrix).View, matrix.Offset, BatchStride(matrix), Flip: true);
        }

        var dense = _scratch.Floats(slot, matrix.Length);
        Gather(matrix, dense);
        return new MatrixOperand(dense, 0, matrix.Shape[^2] * matrix.Shape[^1], Flip: false);
    }

    private static int BatchStride(Tensor matrix) => matrix.Rank == 3 ? matrix.Strides[0] : 0;

    /// <summary>Whether every matrix of the (batch of) matrices is dense in row-major or column-major order.</summary>
    private static bool IsDenseMatrixBatch(Tensor matrix, bool columnMajor)
    {
        int rows = matrix.Shape[^2], cols = matrix.Shape[^1];
        int rowStride = matrix.Strides[^2], colStride = matrix.Strides[^1];
        return columnMajor
            ? (rows == 1 || rowStride == 1) && (cols == 1 || colStride == rows)
            : (cols == 1 || colStride == 1) && (rows == 1 || rowStride == cols);
    }

    /// <summary>One GEMM operand as the kernel sees it: a buffer, where item 0 starts, how far apart items are, and whether it is stored transposed.</summary>
    private readonly record struct MatrixOperand(ArrayView1D<float, Stride1D.Dense> Buffer, int Offset, int ItemStride, bool Flip)
    {
        public (ArrayView1D<float, Stride1D.Dense> View, bool Flip) Item(Tensor matrix, int item) =>
            (Buffer.SubView(Offset + ((long)item * ItemStride), (long)matrix.Shape[^2] * matrix.Shape[^1]), Flip);
    }
}
