using System;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Softmax;

/// <summary>Scalar arguments of a softmax-family launch.</summary>
internal struct SoftmaxArguments
{
    public int Rows;
    public int Cols;

    /// <summary>1 for log-softmax instead of softmax.</summary>
    public int Log;

    /// <summary>1 to add gradients to the output instead of overwriting it.</summary>
    public int Accumulate;

    /// <summary>1 when the cross-entropy kernel also writes softmax(logits), which the backward pass then reads.</summary>
    public int WriteSoftmax;

    /// <summary>
    /// 1 when the cross-entropy kernel writes, in place of softmax(logits), the gradient of a loss adjoint
    /// <see cref="Upstream"/> common to every row (added when <see cref="Accumulate"/>).
    /// </summary>
    public int WriteGradient;

    /// <summary>1 when every row's dloss in a cross-entropy gradient is <see cref="Upstream"/> (the dloss view is not read).</summary>
    public int UniformUpstream;

    /// <summary>Every row's dloss when <see cref="UniformUpstream"/> is 1.</summary>
    public float Upstream;
}

/// <summary>
/// Softmax-family kernels over the last axis of a row-major [rows, cols] matrix, one warp per row.
/// Every row is shifted by its maximum before exponentiating, so large logits do not overflow; the
/// row is read once per pass (max, sums, output) and stays in cache between passes.
/// </summary>
internal static class SoftmaxKernel
{
    public static void Forward(ArrayView<float> x, ArrayView<float> y, SoftmaxArguments args)
    {
        int lane = Warp.LaneIdx;
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            float max = RowMax(x, start, args.Cols);
            float sum = 0f;
            for (int col = lane; col < args.Cols; col += 32)
            {
                sum += MathF.Exp(x[start + col] - max);
            }

            sum = WarpReduction.AllLanes<SumReduction>(sum);
            if (args.Log != 0)
            {
                float logSum = max + MathF.Log(sum);
                for (int col = lane; col < args.Cols; col += 32)
                {
                    y[start + col] = x[start + col] - logSum;
                }
            }
            else
            {
                float inverse = 1f / sum;
                for (int col = lane; col < args.Cols; col += 32)
                {
                    y[start + col] = MathF.Exp(x[start + col] - max) * inverse;
                }
            }
        }
    }

    /// <summary>
    /// Softmax: dx = y * (dy - sum(dy * y)). Log-softmax: dx = dy - exp(y) * sum(dy). Both from the forward output y.
    /// </summary>
    public static void Gradient(ArrayView<float> y, ArrayView<float> dy, ArrayView<float> dx, SoftmaxArguments args)
    {
        int lane = Warp.LaneIdx;
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            float dot = 0f;
            for (int col = lane; col < args.Cols; col += 32)
            {
                float g = dy[start + col];
                dot += args.Log != 0 ? g : g * y[start + col];
            }

            dot = WarpReduction.AllLanes<SumReduction>(dot);
            for (int col = lane; col < args.Cols; col += 32)
            {
                int at = start + col;
                float g = args.Log != 0 ? dy[at] - MathF.Exp(y[at]) * dot : y[at] * (dy[at] - dot);
                dx[at] = args.Accumulate != 0 ? dx[at] + g : g;
            }
        }
    }

    /// <summary>
    /// loss[r] = sum_j labels[r, j] * (logsumexp(x[r, :]) - x[r, j]): cross-entropy of softmax(x) against the labels;
    /// with args.WriteSoftmax also rowOutput[r, :] = softmax(x[r, :]), from the same max and sum; with
    /// args.WriteGradient instead rowOutput[r, j] (+)= (softmax(x[r])_j * sum(labels[r]) - labels[r, j]) * args.Upstream,
    /// the gradient under a loss adjoint common to every row, computed as
    /// <see cref="CrossEntropyGradientFromSoftmax"/> computes it from a stored softmax (the same value to the bit).
    /// </summary>
    public static void CrossEntropy(ArrayView<float> logits, ArrayView<float> labels, ArrayView<float> loss, ArrayView<float> rowOutput, SoftmaxArguments args)
    {
        int lane = Warp.LaneIdx;
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            float max = RowMax(logits, start, args.Cols);
            float sum = 0f;
            float labelSum = 0f;
            float labelDot = 0f;
            for (int col = lane; col < args.Cols; col += 32)
            {
                float shifted = logits[start + col] - max;
                float label = labels[start + col];
                sum += MathF.Exp(shifted);
                labelSum += label;
                labelDot += label * shifted;
            }

            sum = WarpReduction.AllLanes<SumReduction>(sum);
            labelSum = WarpReduction.AllLanes<SumReduction>(labelSum);
            labelDot = WarpReduction.AllLanes<SumReduction>(labelDot);
            if (lane == 0)
            {
                // Both terms use logits shifted by the max, which keeps them small: sum(l) * log(sum e^s) - sum(l * s).
                loss[row] = labelSum * MathF.Log(sum) - labelDot;
            }

            if (args.WriteSoftmax != 0 || args.WriteGradient != 0)
            {
                float inverse = 1f / sum;
                for (int col = lane; col < args.Cols; col += 32)
                {
                    int at = start + col;
                    float probability = MathF.Exp(logits[at] - max) * inverse;
                    if (args.WriteGradient != 0)
                    {
                        float g = (probability * labelSum - labels[at]) * args.Upstream;
                        rowOutput[at] = args.Accumulate != 0 ? rowOutput[at] + g : g;
                    }
                    else
                    {
                        rowOutput[at] = probability;
                    }
                }
            }
        }
    }

    /// <summary>
    /// dlogits[r, j] (+)= (softmax[r, j] * sum(labels[r]) - labels[r, j]) * dloss[r] from the softmax the forward
    /// pass wrote, instead of recomputing it from the logits.
    /// </summary>
    public static void CrossEntropyGradientFromSoftmax(
        ArrayView<float> softmax, ArrayView<float> labels, ArrayView<float> dloss, ArrayView<float> dlogits, SoftmaxArguments args)
    {
        int lane = Warp.LaneIdx;
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            float labelSum = 0f;
            for (int col = lane; col < args.Cols; col += 32)
            {
                labelSum += labels[start + col];
            }

            labelSum = WarpReduction.AllLanes<SumReduction>(labelSum);
            float upstream = args.UniformUpstream != 0 ? args.Upstream : dloss[row];
            for (int col = lane; col < args.Cols; col += 32)
            {
                int at = start + col;
                float g = (softmax[at] * labelSum - labels[at]) * upstream;
                dlogits[at] = args.Accumulate != 0 ? dlogits[at] + g : g;
            }
        }
    }

    /// <summary>
    /// dlogits[r, j] (+)= (softmax(x[r])_j * sum(labels[r]) - labels[r, j]) * dloss[r], the exact gradient
    /// of <see cref="CrossEntropy"/>; for label rows that sum to one it is (softmax - labels) * dloss.
    /// </summary>
    public static void CrossEntropyGradient(
        ArrayView<float> logits, ArrayView<float> labels, ArrayView<float> dloss, ArrayView<float> dlogits, SoftmaxArguments args)
    {
        int lane = Warp.LaneIdx;
        int warps = Grid.DimX * LaunchGeometry.WarpsPerGroup;
        for (int row = Grid.IdxX * LaunchGeometry.WarpsPerGroup + Warp.WarpIdx; row < args.Rows; row += warps)
        {
            int start = row * args.Cols;
            float max = RowMax(logits, start, args.Cols);
            float sum = 0f;
            float labelSum = 0f;
            for (int col = lane; col < args.Cols; col += 32)
            {
                sum += MathF.Exp(logits[start + col] - max);
                labelSum += labels[start + col];
            }

            sum = WarpReduction.AllLanes<SumReduction>(sum);
            labelSum = WarpReduction.AllLanes<SumReduction>(labelSum);
            float scale = labelSum / sum;
            float upstream = args.UniformUpstream != 0 ? args.Upstream : dloss[row];
            for (int col = lane; col < args.Cols; col += 32)
            {
                int at = start + col;
                float g = (MathF.Exp(logits[at] - max) * scale - labels[at]) * upstream;
                dlogits[at] = args.Accumulate != 0 ? dlogits[at] + g : g;
            }
        }
    }

    private static float RowMax(ArrayView<float> x, int start, int cols)
    {
        var r = default(MaxReduction);
        float max = r.Identity;
        for (int col = Warp.LaneIdx; col < cols; col += 32)
        {
            max = r.Combine(max, x[start + col]);
        }

        return WarpReduction.AllLanes<MaxReduction>(max);
    }
}
