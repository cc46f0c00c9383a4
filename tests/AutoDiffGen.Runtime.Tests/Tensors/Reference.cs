using System;
using System.Linq;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>Naive, obviously correct reference ops in double precision, one loop over every element.</summary>
internal static class Reference
{
    public static int[] BroadcastShape(int[] a, int[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var result = new int[rank];
        for (int i = 1; i <= rank; i++)
        {
            int da = i <= a.Length ? a[^i] : 1, db = i <= b.Length ? b[^i] : 1;
            if (da != db && da != 1 && db != 1)
            {
                throw new ArgumentException("shapes do not broadcast");
            }

            result[rank - i] = da == 1 ? db : da;
        }

        return result;
    }

    public static RefTensor Binary(Func<double, double, double> f, RefTensor a, RefTensor b)
    {
        int[] shape = BroadcastShape(a.Shape, b.Shape);
        var result = RefTensor.Zeros(shape);
        for (int i = 0; i < result.Length; i++)
        {
            int[] index = RefTensor.Unravel(i, shape);
            result.Data[i] = f(a.Data[a.BroadcastIndex(index)], b.Data[b.BroadcastIndex(index)]);
        }

        return result;
    }

    public static RefTensor Unary(Func<double, double> f, RefTensor x) => new(x.Data.Select(f).ToArray(), x.Shape);

    /// <summary>Sums a broadcast-shaped gradient back to an operand's shape.</summary>
    public static RefTensor SumToShape(RefTensor gradient, int[] shape)
    {
        var operand = RefTensor.Zeros(shape);
        for (int i = 0; i < gradient.Length; i++)
        {
            operand.Data[operand.BroadcastIndex(RefTensor.Unravel(i, gradient.Shape))] += gradient.Data[i];
        }

        return operand;
    }

    /// <summary>op(a)·op(b) for 2-D or 3-D operands, a 2-D (or batch-1) operand shared by every batch item.</summary>
    public static RefTensor MatMul(RefTensor a, RefTensor b, bool transposeA = false, bool transposeB = false)
    {
        int batch = Math.Max(a.Rank == 3 ? a.Shape[0] : 1, b.Rank == 3 ? b.Shape[0] : 1);
        int m = transposeA ? a.Shape[^1] : a.Shape[^2], k = transposeA ? a.Shape[^2] : a.Shape[^1];
        int n = transposeB ? b.Shape[^2] : b.Shape[^1];
        int[] shape = a.Rank == 3 || b.Rank == 3 ? [batch, m, n] : [m, n];
        var result = RefTensor.Zeros(shape);
        for (int item = 0; item < batch; item++)
        {
            int aBase = a.Rank == 3 && a.Shape[0] > 1 ? item * a.Shape[1] * a.Shape[2] : 0;
            int bBase = b.Rank == 3 && b.Shape[0] > 1 ? item * b.Shape[1] * b.Shape[2] : 0;
            for (int i = 0; i < m; i++)
            {
                for (int j = 0; j < n; j++)
                {
                    double sum = 0;
                    for (int p = 0; p < k; p++)
                    {
                        double av = transposeA ? a.Data[aBase + (p * m) + i] : a.Data[aBase + (i * k) + p];
                        double bv = transposeB ? b.Data[bBase + (j * k) + p] : b.Data[bBase + (p * n) + j];
                        sum += av * bv;
                    }

                    result.Data[(item * m * n) + (i * n) + j] = sum;
                }
            }
        }

        return result;
    }

    /// <summary>Σ_k |op(a)[i,k]|·|op(b)[k,j]|: the scale a float product's rounding error is proportional to.</summary>
    public static RefTensor MatMulMagnitude(RefTensor a, RefTensor b, bool transposeA = false, bool transposeB = false)
        => MatMul(Unary(Math.Abs, a), Unary(Math.Abs, b), transposeA, transposeB);

    public static int AxesMask(int rank, int[] axes) => axes.Aggregate(0, (mask, axis) => mask | (1 << (axis < 0 ? axis + rank : axis)));

    public static int[] ReducedShape(int[] shape, int mask, bool keepDims)
        => Enumerable.Range(0, shape.Length).Where(d => keepDims || (mask & (1 << d)) == 0).Select(d => (mask & (1 << d)) != 0 ? 1 : shape[d]).ToArray();

    /// <summary>Sum, mean or max over the axes in the mask.</summary>
    public static RefTensor Reduce(string op, RefTensor x, int mask, bool keepDims)
    {
        int[] kept = ReducedShape(x.Shape, mask, keepDims: true);
        var total = RefTensor.Zeros(kept);
        var max = new RefTensor(Enumerable.Repeat(double.NegativeInfinity, total.Length).ToArray(), kept);
        int count = Enumerable.Range(0, x.Rank).Where(d => (mask & (1 << d)) != 0).Aggregate(1, (c, d) => c * x.Shape[d]);
        for (int i = 0; i < x.Length; i++)
        {
            int target = total.BroadcastIndex(RefTensor.Unravel(i, x.Shape));
            total.Data[target] += x.Data[i];
            max.Data[target] = Math.Max(max.Data[target], x.Data[i]);
        }

        double[] data = op switch
        {
            "Sum" => total.Data,
            "Mean" => total.Data.Select(v => v / count).ToArray(),
            "Max" => max.Data,
            _ => throw new ArgumentException(op),
        };
        return new RefTensor(data, ReducedShape(x.Shape, mask, keepDims));
    }

    /// <summary>Softmax or log-softmax over the last axis.</summary>
    public static RefTensor Softmax(RefTensor x, bool log)
    {
        int columns = x.Shape[^1];
        var result = RefTensor.Zeros(x.Shape);
        for (int row = 0; row < x.Length / Math.Max(columns, 1); row++)
        {
            var values = x.Data.Skip(row * columns).Take(columns).ToArray();
            double max = values.Max();
            double logSum = max + Math.Log(values.Sum(v => Math.Exp(v - max)));
            for (int c = 0; c < columns; c++)
            {
                result.Data[(row * columns) + c] = log ? values[c] - logSum : Math.Exp(values[c] - logSum);
            }
        }

        return result;
    }

    public static RefTensor CrossEntropy(RefTensor logits, RefTensor labels)
    {
        var logProbabilities = Softmax(logits, log: true);
        int rows = logits.Shape[0], columns = logits.Shape[1];
        var loss = RefTensor.Zeros([rows]);
        for (int n = 0; n < rows; n++)
        {
            for (int c = 0; c < columns; c++)
            {
                loss.Data[n] -= labels.Data[(n * columns) + c] * logProbabilities.Data[(n * columns) + c];
            }
        }

        return loss;
    }

    /// <summary>
    /// The vector-Jacobian product wᵀ·∂f/∂x by central differences in double: how backward kernels are checked
    /// against the forward op's definition rather than against a second copy of the gradient formula.
    /// </summary>
    public static RefTensor FiniteDifference(Func<RefTensor, RefTensor> f, RefTensor x, RefTensor w, double step = 1e-6)
    {
        var gradient = RefTensor.Zeros(x.Shape);
        for (int i = 0; i < x.Length; i++)
        {
            double h = step * Math.Max(1.0, Math.Abs(x.Data[i]));
            var plus = x.Clone();
            var minus = x.Clone();
            plus.Data[i] += h;
            minus.Data[i] -= h;
            gradient.Data[i] = (Dot(f(plus), w) - Dot(f(minus), w)) / (2 * h);
        }

        return gradient;
    }

    private static double Dot(RefTensor a, RefTensor b)
    {
        double sum = 0;
        for (int i = 0; i < a.Length; i++)
        {
            sum += a.Data[i] * b.Data[i];
        }

        return sum;
    }
}
