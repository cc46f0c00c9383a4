using System;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using AutoDiffGen.Backends.Ilgpu.Strided;
using ILGPU;
using ILGPU.Runtime;
using KernelBinaryOp = AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp;
using KernelUnaryOp = AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void Unary(UnaryOp op, Tensor x, float parameter, Tensor y)
    {
        if (y.Length == 0)
        {
            return;
        }

        if (x.IsContiguous && y.IsContiguous)
        {
            Kernels.Elementwise.Unary(Stream, KernelOp(op), DenseView(x), DenseView(y), parameter);
            return;
        }

        var layout = TensorLayouts.Elementwise(y, x);
        layout.Parameter = parameter;
        var input = View(x);
        ApplyUnary(op, gradient: false, View(y), input, input, input, layout);
    }

    public void Binary(BinaryOp op, Tensor a, Tensor b, Tensor y)
    {
        if (y.Length == 0)
        {
            return;
        }

        if (DenseBinaryShape(a, b, y) is { } matrix)
        {
            Kernels.Elementwise.Binary(Stream, KernelOp(op), DenseView(a), DenseView(b), DenseView(y), matrix.Rows, matrix.Cols);
            return;
        }

        ApplyBinary(op, gradient: false, View(y), View(a), View(b), View(y), TensorLayouts.Elementwise(y, a, b));
    }

    public void BinaryScalar(BinaryOp op, Tensor a, float scalar, bool scalarFirst, Tensor y)
    {
        if (y.Length == 0)
        {
            return;
        }

        var layout = scalarFirst ? TensorLayouts.Elementwise(y, null, a) : TensorLayouts.Elementwise(y, a);
        layout.Scalar = scalar;
        layout.ScalarOperand = scalarFirst ? 1 : 2;
        var input = View(a);
        ApplyBinary(op, gradient: false, View(y), input, input, input, layout);
    }

    public void AddScaled(Tensor a, float alpha, Tensor b, Tensor y)
    {
        if (y.Length == 0)
        {
            return;
        }

        var layout = TensorLayouts.Elementwise(y, a, b);
        layout.Scalar = alpha;
        Strided.Apply<AddScaledOp>(Stream, View(y), View(a), View(b), View(a), layout);
    }

    public void UnaryBackward(UnaryOp op, float parameter, Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
    {
        if (dx.Length == 0)
        {
            return;
        }

        if (dy.IsContiguous && dx.IsContiguous && (x is null || x.IsContiguous) && (y is null || y.IsContiguous))
        {
            Kernels.Elementwise.UnaryGradient(
                Stream, KernelOp(op), x is null ? default : DenseView(x), y is null ? default : DenseView(y), DenseView(dy), DenseView(dx), accumulate, parameter);
            return;
        }

        // Operands the op's formula does not read stand in as dy, which is always valid.
        var layout = TensorLayouts.Elementwise(dx, x ?? dy, y ?? dy, dy);
        layout.Parameter = parameter;
        layout.Accumulate = accumulate ? 1 : 0;
        var upstream = View(dy);
        ApplyUnary(op, gradient: true, View(dx), x is null ? upstream : View(x), y is null ? upstream : View(y), upstream, layout);
    }

    public void BinaryBackward(BinaryOp op, Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
    {
        if (dy.Length == 0)
        {
            // An empty product still leaves broadcast operands' gradients defined: zero.
            if (!accumulate)
            {
                if (da is not null)
                {
                    Fill(da, 0f);
                }

                if (db is not null)
                {
                    Fill(db, 0f);
                }
            }

            return;
        }

        if (da is not null)
        {
            OperandGradient(op, dy, a, b, da, operand: 0, accumulate);
        }

        if (db is not null)
        {
            OperandGradient(op, dy, a, b, db, operand: 1, accumulate);
        }
    }

    public void BinaryScalarBackward(BinaryOp op, Tensor dy, Tensor a, float scalar, bool scalarFirst, Tensor da, bool accumulate)
    {
        if (da.Length == 0)
        {
            return;
        }

        // y = op(a, s) needs ∂y/∂(first operand); y = op(s, a) needs ∂y/∂(second operand), with a in the second slot.
        var layout = scalarFirst ? TensorLayouts.Elementwise(da, null, a, dy) : TensorLayouts.Elementwise(da, a, null, dy);
        layout.Scalar = scalar;
        layout.ScalarOperand = scalarFirst ? 1 : 2;
        layout.Operand = scalarFirst ? 1 : 0;
        layout.Accumulate = accumulate ? 1 : 0;
        var input = View(a);
        ApplyBinary(op, gradient: true, View(da), input, input, View(dy), layout);
    }

    /// <summary>The gradient of operand 0 (a) or 1 (b) of y = op(a, b), summed over the axes along which it was broadcast.</summary>
    private void OperandGradient(BinaryOp op, Tensor dy, Tensor a, Tensor b, Tensor gradient, int operand, bool accumulate)
    {
        Tensor own = operand == 0 ? a : b;
        if (own.Length == dy.Length)
        {
            if (gradient.IsContiguous && DenseBinaryShape(a, b, dy) is { } matrix)
            {
                Kernels.Elementwise.BinaryGradient(
                    Stream, KernelOp(op), operand == 0 ? BinaryOperand.A : BinaryOperand.B, DenseView(a), DenseView(b), DenseView(dy), DenseView(gradient), matrix.Rows, matrix.Cols, accumulate);
                return;
            }

            var layout = TensorLayouts.Elementwise(dy, a, b, dy);
            layout.Output = TensorLayouts.Aligned(gradient, dy.Shape);
            layout.Dense = layout.Dense != 0 && gradient.IsContiguous ? 1 : 0;
            layout.Operand = operand;
            layout.Accumulate = accumulate ? 1 : 0;
            ApplyBinary(op, gradient: true, View(gradient), View(a), View(b), View(dy), layout);
            return;
        }

        // Broadcast operand. A bias row (or a single value) of a sum or difference gets the column sums (or the sum) of
        // ±dy directly.
        if (op is BinaryOp.Add or BinaryOp.Sub && dy.IsContiguous && gradient.IsContiguous && RowLength(own, dy) is > 0 and var length)
        {
            float sign = op == BinaryOp.Sub && operand == 1 ? -1f : 1f;
            if (length == 1)
            {
                Kernels.Reductions.Full(Stream, max: false, DenseView(dy), DenseView(gradient), sign, accumulate);
            }
            else
            {
                SumOverRows(DenseView(dy), DenseView(gradient), dy.Length / length, length, sign, accumulate);
            }

            return;
        }

        // Otherwise: the full-shape gradient into scratch, then summed over the broadcast axes.
        lock (_scratch.Lock)
        {
            var full = _scratch.Floats(0, dy.Length);
            var layout = TensorLayouts.Elementwise(dy, a, b, dy);
            layout.Output = TensorLayouts.RowMajor(dy.Shape);
            layout.Dense = 0;
            layout.Operand = operand;
            ApplyBinary(op, gradient: true, full.BaseView, View(a), View(b), View(dy), layout);

            int broadcastAxes = 0;
            for (int axis = 0; axis < dy.Rank; axis++)
            {
                int own0 = axis - (dy.Rank - own.Rank);
                if (dy.Shape[axis] != 1 && (own0 < 0 || own.Shape[own0] == 1))
                {
                    broadcastAxes |= 1 << axis;
                }
            }

            var groups = TensorLayouts.Groups(dy.Shape, broadcastAxes);
            groups.X = TensorLayouts.RowMajor(dy.Shape);
            groups.Y = TensorLayouts.Aligned(gradient, dy.Shape);
            groups.Accumulate = accumulate ? 1 : 0;
            Strided.Reduce(Stream, max: false, full.BaseView, View(gradient), groups);
        }
    }

    /// <summary>
    /// [rows, cols] for the dense binary kernel when y is contiguous and each operand is contiguous and either full,
    /// a row of y's trailing axes repeated, or a single value; null otherwise.
    /// </summary>
    private static (int Rows, int Cols)? DenseBinaryShape(Tensor a, Tensor b, Tensor y)
    {
        if (!y.IsContiguous)
        {
            return null;
        }

        int la = RowLength(a, y), lb = RowLength(b, y);
        if (la <= 0 || lb <= 0)
        {
            return null;
        }

        // The repeated row's length, if either operand is one; any split works when both are full or single values.
        int last = y.Rank == 0 ? 1 : y.Shape[^1]; // a rank-0 result is one row of one column
        int cols = la != y.Length && la != 1 ? la : lb != y.Length && lb != 1 ? lb : last;
        bool fits = (la == y.Length || la == cols || la == 1) && (lb == y.Length || lb == cols || lb == 1);
        return fits && cols > 0 ? (y.Length / cols, cols) : null;
    }

    /// <summary>
    /// The element count of <paramref name="operand"/> when it is contiguous and, apart from leading axes of size 1,
    /// has exactly the trailing axes of <paramref name="output"/> (so it repeats every that many elements); else -1.
    /// </summary>
    private static int RowLength(Tensor operand, Tensor output)
    {
        if (!operand.IsContiguous)
        {
            return -1;
        }

        int start = 0;
        while (start < operand.Rank && operand.Shape[start] == 1)
        {
            start++;
        }

        int count = operand.Rank - start;
        if (count > output.Rank)
        {
            return -1;
        }

        for (int i = 0; i < count; i++)
        {
            if (operand.Shape[start + i] != output.Shape[output.Rank - count + i])
            {
                return -1;
            }
        }

        return operand.Length;
    }

    private static KernelUnaryOp KernelOp(UnaryOp op) => op switch
    {
        UnaryOp.Negate => KernelUnaryOp.Negate,
        UnaryOp.Exp => KernelUnaryOp.Exp,
        UnaryOp.Log => KernelUnaryOp.Log,
        UnaryOp.Sqrt => KernelUnaryOp.Sqrt,
        UnaryOp.Pow => KernelUnaryOp.Pow,
        UnaryOp.Tanh => KernelUnaryOp.Tanh,
        UnaryOp.Sigmoid => KernelUnaryOp.Sigmoid,
        UnaryOp.Relu => KernelUnaryOp.Relu,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    private static KernelBinaryOp KernelOp(BinaryOp op) => op switch
    {
        BinaryOp.Add => KernelBinaryOp.Add,
        BinaryOp.Sub => KernelBinaryOp.Subtract,
        BinaryOp.Mul => KernelBinaryOp.Multiply,
        BinaryOp.Div => KernelBinaryOp.Divide,
        BinaryOp.Maximum => KernelBinaryOp.Maximum,
        BinaryOp.Minimum => KernelBinaryOp.Minimum,
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    /// <summary>A strided unary op or its gradient, specialised on the op's function.</summary>
    private void ApplyUnary(UnaryOp op, bool gradient, ArrayView<float> output, ArrayView<float> first, ArrayView<float> second, ArrayView<float> third, ElementwiseLayout layout)
    {
        switch (op)
        {
            case UnaryOp.Negate: Unary<NegateFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Exp: Unary<ExpFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Log: Unary<LogFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Sqrt: Unary<SqrtFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Pow: Unary<PowFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Tanh: Unary<TanhFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Sigmoid: Unary<SigmoidFunction>(gradient, output, first, second, third, layout); break;
            case UnaryOp.Relu: Unary<ReluFunction>(gradient, output, first, second, third, layout); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    private void Unary<TFunction>(bool gradient, ArrayView<float> output, ArrayView<float> first, ArrayView<float> second, ArrayView<float> third, ElementwiseLayout layout)
        where TFunction : struct, IUnaryFunction
    {
        if (gradient)
        {
            Strided.Apply<MapGradientOp<TFunction>>(Stream, output, first, second, third, layout);
        }
        else
        {
            Strided.Apply<MapOp<TFunction>>(Stream, output, first, second, third, layout);
        }
    }

    /// <summary>A strided binary op or one operand's gradient, specialised on the op's function.</summary>
    private void ApplyBinary(BinaryOp op, bool gradient, ArrayView<float> output, ArrayView<float> first, ArrayView<float> second, ArrayView<float> third, ElementwiseLayout layout)
    {
        switch (op)
        {
            case BinaryOp.Add: Binary<AddFunction>(gradient, output, first, second, third, layout); break;
            case BinaryOp.Sub: Binary<SubtractFunction>(gradient, output, first, second, third, layout); break;
            case BinaryOp.Mul: Binary<MultiplyFunction>(gradient, output, first, second, third, layout); break;
            case BinaryOp.Div: Binary<DivideFunction>(gradient, output, first, second, third, layout); break;
            case BinaryOp.Maximum: Binary<MaximumFunction>(gradient, output, first, second, third, layout); break;
            case BinaryOp.Minimum: Binary<MinimumFunction>(gradient, output, first, second, third, layout); break;
            default: throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    private void Binary<TFunction>(bool gradient, ArrayView<float> output, ArrayView<float> first, ArrayView<float> second, ArrayView<float> third, ElementwiseLayout layout)
        where TFunction : struct, IBinaryFunction
    {
        if (gradient)
        {
            Strided.Apply<CombineGradientOp<TFunction>>(Stream, output, first, second, third, layout);
        }
        else
        {
            Strided.Apply<CombineOp<TFunction>>(Stream, output, first, second, third, layout);
        }
    }
}
