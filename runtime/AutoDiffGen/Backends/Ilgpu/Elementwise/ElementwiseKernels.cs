using System;
using System.Collections.Generic;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>
/// Elementwise float32 ops and their gradients on one accelerator. Unary ops map x to y of the same
/// length. Binary ops write a [rows, cols] output; each input is either the same shape, a length-cols
/// row vector (broadcast over rows) or a single value (broadcast everywhere). Gradients either
/// overwrite the gradient buffer or, with <c>accumulate</c>, add to it.
/// </summary>
public sealed class ElementwiseKernels
{
    private static readonly Type[] UnaryFunctions =
    [
        typeof(NegateFunction), typeof(ExpFunction), typeof(LogFunction), typeof(SqrtFunction), typeof(PowFunction),
        typeof(TanhFunction), typeof(SigmoidFunction), typeof(ReluFunction), typeof(ScaleFunction),
    ];

    private static readonly Type[] BinaryFunctions =
    [
        typeof(AddFunction), typeof(SubtractFunction), typeof(MultiplyFunction), typeof(DivideFunction),
        typeof(MaximumFunction), typeof(MinimumFunction),
    ];

    // Op names for error messages, made once so that a call never formats an enum.
    private static readonly string[] UnaryNames = Enum.GetNames<UnaryOp>();
    private static readonly string[] UnaryGradientNames = Array.ConvertAll(UnaryNames, n => n + "Gradient");
    private static readonly string[] BinaryNames = Enum.GetNames<BinaryOp>();
    private static readonly string[] BinaryGradientNames = Array.ConvertAll(BinaryNames, n => n + "Gradient");

    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly object _loadLock = new();
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[] _unary =
        new Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[UnaryFunctions.Length];

    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[] _unaryGradient =
        new Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[UnaryFunctions.Length];

    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[] _binary =
        new Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[BinaryFunctions.Length];

    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[] _binaryGradient =
        new Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments>?[BinaryFunctions.Length];

    internal ElementwiseKernels(Accelerator accelerator, LaunchGeometry geometry)
    {
        _accelerator = accelerator;
        _geometry = geometry;
    }

    /// <summary>y = f(x) elementwise; <paramref name="parameter"/> is p for <see cref="UnaryOp.Pow"/> and <see cref="UnaryOp.Scale"/>.</summary>
    public void Unary(
        AcceleratorStream stream,
        UnaryOp op,
        ArrayView1D<float, Stride1D.Dense> x,
        ArrayView1D<float, Stride1D.Dense> y,
        float parameter = 0f)
    {
        string name = UnaryNames[(int)op];
        int length = CheckLength(name, x.Length);
        ViewChecks.Vector(name, nameof(y), y, length);
        var args = new ElementwiseArguments
        {
            Length = length,
            Parameter = parameter,
            Vector = ViewChecks.IsAligned16(x) && ViewChecks.IsAligned16(y) ? 1 : 0,
        };
        UnaryKernel(op)(stream, _geometry.GridStride((length + 3) / 4), x.BaseView, y.BaseView, args);
    }

    /// <summary>
    /// dx (+)= f'(x) * dy. Pass the forward input <paramref name="x"/> and output <paramref name="y"/>
    /// that the op reads (see <see cref="UnaryOp"/>); an input the op does not read may be an empty view.
    /// </summary>
    public void UnaryGradient(
        AcceleratorStream stream,
        UnaryOp op,
        ArrayView1D<float, Stride1D.Dense> x,
        ArrayView1D<float, Stride1D.Dense> y,
        ArrayView1D<float, Stride1D.Dense> dy,
        ArrayView1D<float, Stride1D.Dense> dx,
        bool accumulate,
        float parameter = 0f)
    {
        string name = UnaryGradientNames[(int)op];
        int length = CheckLength(name, dy.Length);
        ViewChecks.Vector(name, nameof(dx), dx, length);
        bool readsX = op is UnaryOp.Log or UnaryOp.Pow or UnaryOp.Relu;
        bool readsY = op is UnaryOp.Exp or UnaryOp.Sqrt or UnaryOp.Tanh or UnaryOp.Sigmoid;
        if (readsX)
        {
            ViewChecks.Vector(name, nameof(x), x, length);
        }
        else
        {
            x = dy; // never read: any valid view of the right length will do
        }

        if (readsY)
        {
            ViewChecks.Vector(name, nameof(y), y, length);
        }
        else
        {
            y = dy;
        }

        var args = new ElementwiseArguments
        {
            Length = length,
            Parameter = parameter,
            Accumulate = accumulate ? 1 : 0,
            Vector = ViewChecks.IsAligned16(x) && ViewChecks.IsAligned16(y) && ViewChecks.IsAligned16(dy) && ViewChecks.IsAligned16(dx) ? 1 : 0,
        };
        UnaryGradientKernel(op)(stream, _geometry.GridStride((length + 3) / 4), x.BaseView, y.BaseView, dy.BaseView, dx.BaseView, args);
    }

    /// <summary>
    /// c = f(a, b) over a [rows, cols] output. <paramref name="a"/> and <paramref name="b"/> each hold
    /// rows * cols values, cols values (a row vector broadcast over rows) or one value.
    /// </summary>
    public void Binary(
        AcceleratorStream stream,
        BinaryOp op,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        ArrayView1D<float, Stride1D.Dense> c,
        int rows,
        int cols)
    {
        string name = BinaryNames[(int)op];
        var args = BinaryArguments(name, a, b, rows, cols);
        ViewChecks.Matrix(name, nameof(c), c, rows, cols);
        if (!ViewChecks.IsAligned16(c))
        {
            args.Vector = 0;
        }

        BinaryKernel(op)(stream, _geometry.GridStride((args.Length + 3) / 4), a.BaseView, b.BaseView, c.BaseView, args);
    }

    /// <summary>
    /// The gradient of one input at full output shape: dx[i] (+)= d f(a, b) / d operand * dc[i], for
    /// i over [rows, cols]. When that input was broadcast, reduce dx afterwards (column sums for a row
    /// vector, a full sum for a scalar) to get its gradient.
    /// </summary>
    public void BinaryGradient(
        AcceleratorStream stream,
        BinaryOp op,
        BinaryOperand operand,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        ArrayView1D<float, Stride1D.Dense> dc,
        ArrayView1D<float, Stride1D.Dense> dx,
        int rows,
        int cols,
        bool accumulate)
    {
        string name = BinaryGradientNames[(int)op];
        var args = BinaryArguments(name, a, b, rows, cols);
        ViewChecks.Matrix(name, nameof(dc), dc, rows, cols);
        ViewChecks.Matrix(name, nameof(dx), dx, rows, cols);
        args.Operand = operand == BinaryOperand.A ? 0 : 1;
        args.Accumulate = accumulate ? 1 : 0;
        if (!ViewChecks.IsAligned16(dc) || !ViewChecks.IsAligned16(dx))
        {
            args.Vector = 0;
        }

        BinaryGradientKernel(op)(stream, _geometry.GridStride((args.Length + 3) / 4), a.BaseView, b.BaseView, dc.BaseView, dx.BaseView, args);
    }

    /// <summary>Every kernel instantiation this class can launch (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods()
    {
        foreach (var f in UnaryFunctions)
        {
            yield return typeof(ElementwiseKernel).GetMethod(nameof(ElementwiseKernel.Unary))!.MakeGenericMethod(f);
            yield return typeof(ElementwiseKernel).GetMethod(nameof(ElementwiseKernel.UnaryGradient))!.MakeGenericMethod(f);
        }

        foreach (var f in BinaryFunctions)
        {
            yield return typeof(ElementwiseKernel).GetMethod(nameof(ElementwiseKernel.Binary))!.MakeGenericMethod(f);
            yield return typeof(ElementwiseKernel).GetMethod(nameof(ElementwiseKernel.BinaryGradient))!.MakeGenericMethod(f);
        }
    }

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        foreach (var op in Enum.GetValues<UnaryOp>())
        {
            UnaryKernel(op);
            UnaryGradientKernel(op);
        }

        foreach (var op in Enum.GetValues<BinaryOp>())
        {
            BinaryKernel(op);
            BinaryGradientKernel(op);
        }
    }

    private static int CheckLength(string op, long length)
    {
        if (length <= 0 || length > int.MaxValue)
        {
            throw new ArgumentException($"{op}: length {length} is outside 1..{int.MaxValue}.");
        }

        return (int)length;
    }

    private static ElementwiseArguments BinaryArguments(
        string op, ArrayView1D<float, Stride1D.Dense> a, ArrayView1D<float, Stride1D.Dense> b, int rows, int cols)
    {
        int length = ViewChecks.Matrix(op, rows, cols);
        var broadcastA = BroadcastOf(op, nameof(a), a.Length, rows, cols);
        var broadcastB = BroadcastOf(op, nameof(b), b.Length, rows, cols);
        return new ElementwiseArguments
        {
            Length = length,
            Cols = cols,
            BroadcastA = (int)broadcastA,
            BroadcastB = (int)broadcastB,
            Vector = VectorReadable(a, broadcastA, cols) && VectorReadable(b, broadcastB, cols) ? 1 : 0,
        };
    }

    private static Broadcast BroadcastOf(string op, string name, long length, int rows, int cols)
    {
        if (length == (long)rows * cols)
        {
            return Broadcast.None;
        }

        if (length == cols)
        {
            return Broadcast.Row;
        }

        if (length == 1)
        {
            return Broadcast.Scalar;
        }

        throw new ArgumentException(
            $"{op}: '{name}' has {length} elements; for output [{rows}, {cols}] it must have {(long)rows * cols} (same shape), {cols} (row vector) or 1 (scalar).",
            name);
    }

    // Row vectors are read as float4 at i % (cols / 4), which needs cols to be a multiple of four.
    private static bool VectorReadable(ArrayView1D<float, Stride1D.Dense> view, Broadcast broadcast, int cols) =>
        broadcast == Broadcast.Scalar || (ViewChecks.IsAligned16(view) && (broadcast == Broadcast.None || cols % 4 == 0));

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ElementwiseArguments> UnaryKernel(UnaryOp op) =>
        _unary[(int)op] ?? Load(_unary, (int)op, nameof(ElementwiseKernel.Unary), UnaryFunctions[(int)op]);

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments> UnaryGradientKernel(UnaryOp op) =>
        _unaryGradient[(int)op] ?? Load(_unaryGradient, (int)op, nameof(ElementwiseKernel.UnaryGradient), UnaryFunctions[(int)op]);

    internal Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments> BinaryKernel(BinaryOp op) =>
        _binary[(int)op] ?? Load(_binary, (int)op, nameof(ElementwiseKernel.Binary), BinaryFunctions[(int)op]);

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ElementwiseArguments> BinaryGradientKernel(BinaryOp op) =>
        _binaryGradient[(int)op] ?? Load(_binaryGradient, (int)op, nameof(ElementwiseKernel.BinaryGradient), BinaryFunctions[(int)op]);

    private TLauncher Load<TLauncher>(TLauncher?[] cache, int index, string kernelName, Type function)
        where TLauncher : Delegate
    {
        lock (_loadLock)
        {
            return cache[index] ??= KernelLoading.Load<TLauncher>(_accelerator, typeof(ElementwiseKernel), kernelName, function);
        }
    }
}
