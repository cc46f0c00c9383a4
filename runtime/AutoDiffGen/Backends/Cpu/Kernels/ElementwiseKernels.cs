using System;
using System.Numerics.Tensors;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>p0 = op(p1): dense rows go through <see cref="TensorPrimitives"/>, strided ones one element at a time.</summary>
internal unsafe struct UnaryKernel : IRowKernel
{
    public UnaryOp Op;
    public float Parameter;

    public static float Apply(UnaryOp op, float x, float parameter) => op switch
    {
        UnaryOp.Negate => -x,
        UnaryOp.Exp => MathF.Exp(x),
        UnaryOp.Log => MathF.Log(x),
        UnaryOp.Sqrt => MathF.Sqrt(x),
        UnaryOp.Pow => MathF.Pow(x, parameter),
        UnaryOp.Tanh => MathF.Tanh(x),
        UnaryOp.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        UnaryOp.Relu => MathF.Max(x, 0f),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 != 1 || s1 != 1)
        {
            for (int i = 0; i < n; i++)
            {
                p0[i * s0] = Apply(Op, p1[i * s1], Parameter);
            }

            return;
        }

        var x = new ReadOnlySpan<float>(p1, n);
        var y = new Span<float>(p0, n);
        switch (Op)
        {
            case UnaryOp.Negate:
                TensorPrimitives.Negate(x, y);
                break;
            case UnaryOp.Exp:
                TensorPrimitives.Exp(x, y);
                break;
            case UnaryOp.Log:
                TensorPrimitives.Log(x, y);
                break;
            case UnaryOp.Sqrt:
                TensorPrimitives.Sqrt(x, y);
                break;
            case UnaryOp.Pow when Parameter == 2f:
                TensorPrimitives.Multiply(x, x, y);
                break;
            case UnaryOp.Pow:
                TensorPrimitives.Pow(x, Parameter, y);
                break;
            case UnaryOp.Tanh:
                TensorPrimitives.Tanh(x, y);
                break;
            case UnaryOp.Sigmoid:
                TensorPrimitives.Sigmoid(x, y);
                break;
            case UnaryOp.Relu:
                TensorPrimitives.Max(x, 0f, y);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(Op), Op, null);
        }
    }
}

/// <summary>p0 = op(p1, p2), either input possibly broadcast (stride 0).</summary>
internal unsafe struct BinaryKernel : IRowKernel
{
    public BinaryOp Op;

    public static float Apply(BinaryOp op, float a, float b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        BinaryOp.Maximum => MathF.Max(a, b),
        BinaryOp.Minimum => MathF.Min(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 != 1 || (s1 != 0 && s1 != 1) || (s2 != 0 && s2 != 1))
        {
            for (int i = 0; i < n; i++)
            {
                p0[i * s0] = Apply(Op, p1[i * s1], p2[i * s2]);
            }

            return;
        }

        var y = new Span<float>(p0, n);
        if (s1 == 0 && s2 == 0)
        {
            y.Fill(Apply(Op, *p1, *p2));
        }
        else if (s2 == 0)
        {
            TensorScalar(new ReadOnlySpan<float>(p1, n), *p2, y);
        }
        else if (s1 == 0)
        {
            ScalarTensor(*p1, new ReadOnlySpan<float>(p2, n), y);
        }
        else
        {
            TensorTensor(new ReadOnlySpan<float>(p1, n), new ReadOnlySpan<float>(p2, n), y);
        }
    }

    private readonly void TensorTensor(ReadOnlySpan<float> a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (Op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Div: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(Op), Op, null);
        }
    }

    private readonly void TensorScalar(ReadOnlySpan<float> a, float b, Span<float> y)
    {
        switch (Op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(a, b, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(a, b, y); break;
            case BinaryOp.Div: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(a, b, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(a, b, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(Op), Op, null);
        }
    }

    private readonly void ScalarTensor(float a, ReadOnlySpan<float> b, Span<float> y)
    {
        switch (Op)
        {
            case BinaryOp.Add: TensorPrimitives.Add(b, a, y); break;
            case BinaryOp.Sub: TensorPrimitives.Subtract(a, b, y); break;
            case BinaryOp.Mul: TensorPrimitives.Multiply(b, a, y); break;
            case BinaryOp.Div: TensorPrimitives.Divide(a, b, y); break;
            case BinaryOp.Maximum: TensorPrimitives.Max(b, a, y); break;
            case BinaryOp.Minimum: TensorPrimitives.Min(b, a, y); break;
            default: throw new ArgumentOutOfRangeException(nameof(Op), Op, null);
        }
    }
}

/// <summary>p0 = p1 + Alpha·p2 in one pass (a parameter update w −= lr·g reads and writes each element once).</summary>
internal unsafe struct AddScaledKernel : IRowKernel
{
    public float Alpha;

    public readonly void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3)
    {
        if (s0 == 1 && s1 == 1 && s2 == 1)
        {
            TensorPrimitives.MultiplyAdd(new ReadOnlySpan<float>(p2, n), Alpha, new ReadOnlySpan<float>(p1, n), new Span<float>(p0, n));
            return;
        }

        for (int i = 0; i < n; i++)
        {
            p0[i * s0] = p1[i * s1] + (Alpha * p2[i * s2]);
        }
    }
}
