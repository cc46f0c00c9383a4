using System;
using AutoDiffGen.Backends.Cpu.Kernels;

namespace AutoDiffGen.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void Unary(UnaryOp op, Tensor x, float parameter, Tensor y)
    {
        fixed (float* py = Data(y))
        fixed (float* px = Data(x))
        {
            var loop = StridedLoop.Create(y.Shape, py + y.Offset, y.Strides, px + x.Offset, x.Strides);
            var kernel = new UnaryKernel { Op = op, Parameter = parameter };
            loop.RunParallel(ref kernel, MinimumPerChunk(op));
        }
    }

    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        int rank = y.Rank;
        Span<int> aStrides = stackalloc int[Math.Max(rank, 1)];
        Span<int> bStrides = stackalloc int[Math.Max(rank, 1)];
        AlignStrides(a, y.Shape, aStrides);
        AlignStrides(b, y.Shape, bStrides);
        fixed (float* py = Data(y))
        fixed (float* pa = Data(a))
        fixed (float* pb = Data(b))
        {
            var loop = StridedLoop.Create(y.Shape, py + y.Offset, y.Strides, pa + a.Offset, aStrides, pb + b.Offset, bStrides);
            var kernel = new BinaryKernel { Op = op };
            loop.RunParallel(ref kernel);
        }
    }

    public void BinaryScalar(BinaryOp op, Tensor a, float scalar, bool scalarFirst, Tensor y)
    {
        float* s = &scalar;
        fixed (float* py = Data(y))
        fixed (float* pa = Data(a))
        {
            // The scalar is an operand with stride 0 along every axis.
            var loop = scalarFirst
                ? StridedLoop.Create(y.Shape, py + y.Offset, y.Strides, s, default, pa + a.Offset, a.Strides)
                : StridedLoop.Create(y.Shape, py + y.Offset, y.Strides, pa + a.Offset, a.Strides, s, default);
            var kernel = new BinaryKernel { Op = op };
            loop.RunParallel(ref kernel);
        }
    }

    public void AddScaled(Tensor a, float alpha, Tensor b, Tensor y)
    {
        fixed (float* py = Data(y))
        fixed (float* pa = Data(a))
        fixed (float* pb = Data(b))
        {
            var loop = StridedLoop.Create(y.Shape, py + y.Offset, y.Strides, pa + a.Offset, a.Strides, pb + b.Offset, b.Strides);
            var kernel = new AddScaledKernel { Alpha = alpha };
            loop.RunParallel(ref kernel);
        }
    }

    public void UnaryBackward(UnaryOp op, float parameter, Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
    {
        // Which forward value the gradient formula reads.
        Tensor? v = op switch
        {
            UnaryOp.Negate => dy,
            UnaryOp.Exp or UnaryOp.Sqrt or UnaryOp.Tanh or UnaryOp.Sigmoid => y,
            _ => x,
        };
        if (v is null)
        {
            throw new ArgumentNullException(op is UnaryOp.Exp or UnaryOp.Sqrt or UnaryOp.Tanh or UnaryOp.Sigmoid ? nameof(y) : nameof(x));
        }

        fixed (float* pdx = Data(dx))
        fixed (float* pdy = Data(dy))
        fixed (float* pv = Data(v))
        {
            var loop = StridedLoop.Create(dx.Shape, pdx + dx.Offset, dx.Strides, pdy + dy.Offset, dy.Strides, pv + v.Offset, v.Strides);
            switch (op)
            {
                case UnaryOp.Negate: RunUnaryGradient<NegateGradient>(ref loop, accumulate); break;
                case UnaryOp.Exp: RunUnaryGradient<ExpGradient>(ref loop, accumulate); break;
                case UnaryOp.Log: RunUnaryGradient<LogGradient>(ref loop, accumulate); break;
                case UnaryOp.Sqrt: RunUnaryGradient<SqrtGradient>(ref loop, accumulate); break;
                case UnaryOp.Tanh: RunUnaryGradient<TanhGradient>(ref loop, accumulate); break;
                case UnaryOp.Sigmoid: RunUnaryGradient<SigmoidGradient>(ref loop, accumulate); break;
                case UnaryOp.Relu: RunUnaryGradient<ReluGradient>(ref loop, accumulate); break;
                case UnaryOp.Pow:
                    var pow = new PowGradientKernel { Exponent = parameter, Accumulate = accumulate };
                    loop.RunParallel(ref pow, 1 << 12);
                    break;
                default:
                    throw new ArgumentOutOfRangeException(nameof(op), op, null);
            }
        }
    }

    public void BinaryBackward(BinaryOp op, Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
    {
        if (da is not null)
        {
            OperandGradient(op, dy, a, b, da, secondOperand: false, accumulate);
        }

        if (db is not null)
        {
            OperandGradient(op, dy, a, b, db, secondOperand: true, accumulate);
        }
    }

    public void BinaryScalarBackward(BinaryOp op, Tensor dy, Tensor a, float scalar, bool scalarFirst, Tensor da, bool accumulate)
    {
        float* s = &scalar;
        fixed (float* pda = Data(da))
        fixed (float* pdy = Data(dy))
        fixed (float* pa = Data(a))
        {
            // y = op(a, s) needs ∂y/∂a (the first operand); y = op(s, a) needs ∂y/∂b with a in the second slot.
            var loop = scalarFirst
                ? StridedLoop.Create(dy.Shape, pda + da.Offset, da.Strides, pdy + dy.Offset, dy.Strides, s, default, pa + a.Offset, a.Strides)
                : StridedLoop.Create(dy.Shape, pda + da.Offset, da.Strides, pdy + dy.Offset, dy.Strides, pa + a.Offset, a.Strides, s, default);
            RunBinaryGradient(op, ref loop, accumulate, secondOperand: scalarFirst, parallel: true);
        }
    }

    private void OperandGradient(BinaryOp op, Tensor dy, Tensor a, Tensor b, Tensor gradient, bool secondOperand, bool accumulate)
    {
        int rank = dy.Rank;
        Span<int> aStrides = stackalloc int[Math.Max(rank, 1)];
        Span<int> bStrides = stackalloc int[Math.Max(rank, 1)];
        Span<int> gradientStrides = stackalloc int[Math.Max(rank, 1)];
        AlignStrides(a, dy.Shape, aStrides);
        AlignStrides(b, dy.Shape, bStrides);
        AlignStrides(gradient, dy.Shape, gradientStrides);

        // A broadcast operand's gradient sums many dy elements into each of its own: clear it first unless adding
        // into it, and stay on one thread since rows may add into the same element.
        bool reduces = IsBroadcast(gradient, dy.Shape);
        if (reduces && !accumulate)
        {
            Fill(gradient, 0f);
        }

        fixed (float* pg = Data(gradient))
        fixed (float* pdy = Data(dy))
        fixed (float* pa = Data(a))
        fixed (float* pb = Data(b))
        {
            var loop = StridedLoop.Create(
                dy.Shape,
                pg + gradient.Offset, gradientStrides,
                pdy + dy.Offset, dy.Strides,
                pa + a.Offset, aStrides,
                pb + b.Offset, bStrides);
            RunBinaryGradient(op, ref loop, accumulate || reduces, secondOperand, parallel: !reduces);
        }
    }

    private static void RunUnaryGradient<TOp>(ref StridedLoop loop, bool accumulate)
        where TOp : IUnaryGradient
    {
        var kernel = new UnaryGradientKernel<TOp> { Accumulate = accumulate };
        loop.RunParallel(ref kernel);
    }

    private static void RunBinaryGradient(BinaryOp op, ref StridedLoop loop, bool accumulate, bool secondOperand, bool parallel)
    {
        switch (op)
        {
            case BinaryOp.Add: Run<AddGradient>(ref loop, accumulate, secondOperand, parallel); break;
            case BinaryOp.Sub: Run<SubGradient>(ref loop, accumulate, secondOperand, parallel); break;
            case BinaryOp.Mul: Run<MulGradient>(ref loop, accumulate, secondOperand, parallel); break;
            case BinaryOp.Div: Run<DivGradient>(ref loop, accumulate, secondOperand, parallel); break;
            case BinaryOp.Maximum: Run<MaximumGradient>(ref loop, accumulate, secondOperand, parallel); break;
            case BinaryOp.Minimum: Run<MinimumGradient>(ref loop, accumulate, secondOperand, parallel); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }

        static void Run<TOp>(ref StridedLoop loop, bool accumulate, bool secondOperand, bool parallel)
            where TOp : IBinaryGradient
        {
            var kernel = new BinaryGradientKernel<TOp> { Accumulate = accumulate, SecondOperand = secondOperand };
            if (parallel)
            {
                loop.RunParallel(ref kernel);
            }
            else
            {
                loop.Run(ref kernel);
            }
        }
    }

    /// <summary>Transcendental ops cost more per element, so they are worth splitting at smaller sizes.</summary>
    private static long MinimumPerChunk(UnaryOp op) => op is UnaryOp.Negate or UnaryOp.Relu or UnaryOp.Sqrt ? 1 << 15 : 1 << 12;
}
