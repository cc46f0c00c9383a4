using System;

namespace AutoDiffGen.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void ArgMax(Tensor x, int axis, Tensor y)
    {
        int size = x.Shape[axis];
        nint step = x.Strides[axis];

        // Walk y in row-major order; each of its elements names one line of x along the axis.
        Span<int> index = stackalloc int[Tensor.MaxRank];
        fixed (float* px = Data(x))
        fixed (float* py = Data(y))
        {
            for (int element = 0; element < y.Length; element++)
            {
                int rest = element;
                for (int i = y.Rank - 1; i >= 0; i--)
                {
                    index[i] = rest % y.Shape[i];
                    rest /= y.Shape[i];
                }

                nint xOffset = x.Offset, yOffset = y.Offset;
                for (int i = 0, own = 0; i < x.Rank; i++)
                {
                    if (i != axis)
                    {
                        xOffset += (nint)index[own] * x.Strides[i];
                        yOffset += (nint)index[own] * y.Strides[own];
                        own++;
                    }
                }

                py[yOffset] = FirstMaximum(px + xOffset, step, size);
            }
        }
    }

    public void OneHot(ReadOnlySpan<int> labels, Tensor y)
    {
        Fill(y, 0f);
        fixed (float* py = Data(y))
        {
            for (int row = 0; row < labels.Length; row++)
            {
                py[y.Offset + ((nint)row * y.Strides[0]) + ((nint)labels[row] * y.Strides[1])] = 1f;
            }
        }
    }

    public int CountCorrect(Tensor logits, ReadOnlySpan<int> labels)
    {
        int correct = 0;
        fixed (float* p = Data(logits))
        {
            for (int row = 0; row < labels.Length; row++)
            {
                float* line = p + logits.Offset + ((nint)row * logits.Strides[0]);
                if (FirstMaximum(line, logits.Strides[1], logits.Shape[1]) == labels[row])
                {
                    correct++;
                }
            }
        }

        return correct;
    }

    /// <summary>The index of the first largest of <paramref name="count"/> strided values; a NaN counts as largest.</summary>
    private static int FirstMaximum(float* values, nint stride, int count)
    {
        int best = 0;
        float max = values[0];
        for (int i = 1; i < count && !float.IsNaN(max); i++)
        {
            float value = values[i * stride];
            if (value > max || float.IsNaN(value))
            {
                max = value;
                best = i;
            }
        }

        return best;
    }
}
