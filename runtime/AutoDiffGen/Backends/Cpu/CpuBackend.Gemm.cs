using System;
using AutoDiffGen.Backends.Cpu.Gemm;

namespace AutoDiffGen.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Gemm(bool transposeA, bool transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c, Tensor? bias, bool relu = false)
    {
        // The packing routines read matrices with a unit stride along rows or columns; other views are copied (rare).
        a = HasUnitStride(a) ? a : a.Clone();
        b = HasUnitStride(b) ? b : b.Clone();
        if (bias is not null && bias.Length > 1 && bias.Strides[^1] != 1)
        {
            bias = bias.Clone();
        }

        if (c.Shape[^1] > 1 && c.Strides[^1] != 1)
        {
            Tensor dense = beta == 0f ? Tensor.Zeros(Device, c.Shape) : c.Clone();
            Gemm(transposeA, transposeB, alpha, a, b, beta, dense, bias, relu);
            Copy(dense, c);
            return;
        }

        Product(transposeA, transposeB, alpha, a, b, beta, c, bias);
        if (relu)
        {
            // A second pass over C, in place: the packed micro-kernels apply no activation.
            Unary(UnaryOp.Relu, c, 0f, c);
        }
    }

    /// <summary>c = alpha · op(a) · op(b) + beta · c (+ bias) for operands <see cref="Gemm"/> has made readable.</summary>
    private void Product(bool transposeA, bool transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c, Tensor? bias)
    {
        int m = c.Shape[^2], n = c.Shape[^1];
        int k = transposeA ? a.Shape[^2] : a.Shape[^1];
        int batchA = BatchCount(a), batchB = BatchCount(b), batchC = BatchCount(c);
        int count = Math.Max(batchC, Math.Max(batchA, batchB));
        nint ldc = m > 1 ? c.Strides[^2] : n;

        fixed (float* pa = Data(a))
        fixed (float* pb = Data(b))
        fixed (float* pc = Data(c))
        fixed (float* pbias = bias is null ? null : Data(bias))
        {
            float* biasStart = bias is null ? null : pbias + bias.Offset;

            // A batch of row-major A against one shared B is a single taller product when A's and C's batches are
            // laid end to end: one call packs B once and keeps both threads busy.
            if (count > 1 && batchB == 1 && batchA == count && batchC == count && !transposeA
                && a.Strides[^1] == 1 && a.Strides[0] == (nint)m * a.Strides[^2] && c.Strides[0] == (nint)m * ldc)
            {
                var tall = new Sgemm.Matrix(pa + a.Offset, a.Strides[^2], 1);
                Sgemm.Multiply(count * m, n, k, alpha, tall, Operand(pb, b, 0, transposeB), beta, pc + c.Offset, ldc, biasStart, Sgemm.Detected);
                return;
            }

            // A 2-D (or batch-1) C with batched inputs sums the products of the batch.
            bool sums = batchC == 1 && count > 1;
            for (int item = 0; item < count; item++)
            {
                float* cItem = pc + c.Offset + (batchC == 1 ? 0 : (nint)item * c.Strides[0]);
                bool first = item == 0 || !sums;
                Sgemm.Multiply(
                    m,
                    n,
                    k,
                    alpha,
                    Operand(pa, a, batchA == 1 ? 0 : item, transposeA),
                    Operand(pb, b, batchB == 1 ? 0 : item, transposeB),
                    first ? beta : 1f,
                    cItem,
                    ldc,
                    first ? biasStart : null,
                    Sgemm.Detected);
            }
        }
    }

    private static int BatchCount(Tensor matrix) => matrix.Rank == 3 ? matrix.Shape[0] : 1;

    /// <summary>Whether the last two axes step by 1 along rows or columns (an axis of size 1 can take any stride).</summary>
    private static bool HasUnitStride(Tensor matrix)
        => matrix.Shape[^1] <= 1 || matrix.Shape[^2] <= 1 || matrix.Strides[^1] == 1 || matrix.Strides[^2] == 1;

    /// <summary>op(matrix) of one batch item as a strided view with a unit stride along one axis.</summary>
    private static Sgemm.Matrix Operand(float* data, Tensor matrix, int item, bool transpose)
    {
        int rows = matrix.Shape[^2], columns = matrix.Shape[^1];
        nint rowStride = matrix.Strides[^2], columnStride = matrix.Strides[^1];
        if (transpose)
        {
            (rows, columns) = (columns, rows);
            (rowStride, columnStride) = (columnStride, rowStride);
        }

        if (columns <= 1)
        {
            columnStride = 1;
        }
        else if (rows <= 1 && columnStride != 1)
        {
            rowStride = 1;
        }

        float* start = data + matrix.Offset + (matrix.Rank == 3 ? (nint)item * matrix.Strides[0] : 0);
        return new Sgemm.Matrix(start, rowStride, columnStride);
    }
}
