using System;
using System.Numerics.Tensors;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>
/// Folds x = p1 into y = p0, which has stride 0 along reduced axes: y += Scale·x for Sum and Mean, y = max(y, x)
/// for Max. A row whose y stride is 0 is reduced across (horizontal), otherwise folded elementwise (vertical).
/// </summary>
internal unsafe struct ReduceKernel : IRowKernel
{
    public bool IsMax;
    public float Scale;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (IsMax)
        {
            RunMax(n, p0, s0, p1, s1);
        }
        else
        {
            RunSum(n, p0, s0, p1, s1);
        }
    }

    private readonly void RunSum(int n, float* y, nint sy, float* x, nint sx)
    {
        if (sy == 0)
        {
            float total = 0f;
            if (sx == 1)
            {
                total = TensorPrimitives.Sum(new ReadOnlySpan<float>(x, n));
            }
            else
            {
                for (int i = 0; i < n; i++)
                {
                    total += x[i * sx];
                }
            }

            *y += Scale * total;
        }
        else if (sy == 1 && sx == 1)
        {
            var destination = new Span<float>(y, n);
            if (Scale == 1f)
            {
                TensorPrimitives.Add(destination, new ReadOnlySpan<float>(x, n), destination);
            }
            else
            {
                TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(x, n), Scale, destination, destination);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                y[i * sy] += Scale * x[i * sx];
            }
        }
    }

    private static void RunMax(int n, float* y, nint sy, float* x, nint sx)
    {
        if (sy == 0)
        {
            float max;
            if (sx == 1)
            {
                max = TensorPrimitives.Max(new ReadOnlySpan<float>(x, n));
            }
            else
            {
                max = x[0];
                for (int i = 1; i < n; i++)
                {
                    max = MathF.Max(max, x[i * sx]);
                }
            }

            *y = MathF.Max(*y, max);
        }
        else if (sy == 1 && sx == 1)
        {
            var destination = new Span<float>(y, n);
            TensorPrimitives.Max(destination, new ReadOnlySpan<float>(x, n), destination);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                y[i * sy] = MathF.Max(y[i * sy], x[i * sx]);
            }
        }
    }
}

/// <summary>
/// The backward of Max: where x (p1) equals the forward max y (p2), adds the pending dy (p3) into dx (p0) and clears
/// it, so that only the first maximum (in row-major order) of each reduced group receives the gradient.
/// </summary>
internal unsafe struct MaxRouteKernel : IRowKernel
{
    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        for (int i = 0; i < n; i++)
        {
            if (p1[i * s1] == p2[i * s2])
            {
                p0[i * s0] += p3[i * s3];
                p3[i * s3] = 0f;
            }
        }
    }
}
