using System;
using System.Numerics.Tensors;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>p0 = p1 (p1 may be broadcast with stride 0).</summary>
internal unsafe struct CopyKernel : IRowKernel
{
    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 == 1 && s1 == 1)
        {
            new ReadOnlySpan<float>(p1, n).CopyTo(new Span<float>(p0, n));
        }
        else if (s0 == 1 && s1 == 0)
        {
            new Span<float>(p0, n).Fill(*p1);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                p0[i * s0] = p1[i * s1];
            }
        }
    }
}

/// <summary>p0 = Value.</summary>
internal unsafe struct FillKernel : IRowKernel
{
    public float Value;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 == 1)
        {
            new Span<float>(p0, n).Fill(Value);
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                p0[i * s0] = Value;
            }
        }
    }
}

/// <summary>
/// p0 = Scale·p1, or p0 += Scale·p1 when accumulating: the backward of Sum and Mean (p1 = dy, broadcast back over
/// the reduced axes), and the "write or add" step of gradients that equal dy up to a factor.
/// </summary>
internal unsafe struct ScaledCopyKernel : IRowKernel
{
    public float Scale;
    public bool Accumulate;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 == 1 && s1 == 1)
        {
            var source = new ReadOnlySpan<float>(p1, n);
            var destination = new Span<float>(p0, n);
            if (Accumulate)
            {
                TensorPrimitives.MultiplyAdd(source, Scale, destination, destination);
            }
            else if (Scale == 1f)
            {
                source.CopyTo(destination);
            }
            else
            {
                TensorPrimitives.Multiply(source, Scale, destination);
            }
        }
        else if (s0 == 1 && s1 == 0)
        {
            var destination = new Span<float>(p0, n);
            float value = Scale * *p1;
            if (Accumulate)
            {
                TensorPrimitives.Add(destination, value, destination);
            }
            else
            {
                destination.Fill(value);
            }
        }
        else
        {
            for (int i = 0; i < n; i++)
            {
                float value = Scale * p1[i * s1];
                p0[i * s0] = Accumulate ? p0[i * s0] + value : value;
            }
        }
    }
}
