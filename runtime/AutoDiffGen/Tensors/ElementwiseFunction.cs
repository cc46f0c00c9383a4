using System;
using System.Collections.Concurrent;
using System.Reflection;
using System.Runtime.InteropServices;
using AutoDiffGen.Backends.Cpu;
using ILGPU;
using ILGPU.Runtime;

namespace AutoDiffGen;

/// <summary>Applies a float function to every element: reads <c>x</c>, writes <c>y</c> (same length).</summary>
/// <param name="x">Inputs.</param>
/// <param name="y">Outputs.</param>
public delegate void ElementwiseForward(ReadOnlySpan<float> x, Span<float> y);

/// <summary>The backward pass of an elementwise function: dx = f′(x)·dy, written or added into <c>dx</c>.</summary>
/// <param name="x">The forward inputs.</param>
/// <param name="dy">The adjoint of the outputs.</param>
/// <param name="dx">Receives the adjoint of the inputs.</param>
/// <param name="accumulate">Add into <paramref name="dx"/> instead of overwriting it.</param>
public delegate void ElementwiseBackward(ReadOnlySpan<float> x, ReadOnlySpan<float> dy, Span<float> dx, bool accumulate);

/// <summary>
/// A user's <c>[Differentiable]</c> <c>float F(float)</c> as a tensor operation. The generator creates one
/// per such function with SIMD span kernels for the forward and backward passes, and, when the body fits in a GPU
/// kernel, an <see cref="IElementwiseKernelFunction"/> struct the runtime's ILGPU kernels run; this class checks shapes and devices, splits large CPU tensors across the worker pool and
/// launches the GPU kernels on GPU tensors (<see cref="GpuKernels"/>).
/// </summary>
public sealed unsafe class ElementwiseFunction
{
    private const int MinimumPerChunk = 1 << 14;
    private static readonly ConcurrentDictionary<MethodInfo, ElementwiseFunction> s_registry = new();

    private readonly ElementwiseForward _forward;
    private readonly ElementwiseBackward _backward;
    private readonly Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>>? _gpuForward;
    private readonly Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int>? _gpuBackward;
    private readonly GpuFunction? _gpuFunction;
    private readonly IntPtr _self;

    /// <summary>A function with its span kernels.</summary>
    /// <param name="name">The function's name, for error messages.</param>
    /// <param name="forward">y = f(x) over spans.</param>
    /// <param name="backward">dx = f′(x)·dy over spans.</param>
    public ElementwiseFunction(string name, ElementwiseForward forward, ElementwiseBackward backward)
    {
        Name = name ?? throw new ArgumentNullException(nameof(name));
        _forward = forward ?? throw new ArgumentNullException(nameof(forward));
        _backward = backward ?? throw new ArgumentNullException(nameof(backward));

        // Lets the worker pool reach this instance through its plain-pointer state; lives as long as the process.
        _self = GCHandle.ToIntPtr(GCHandle.Alloc(this));
    }

    /// <summary>A function with its span kernels and hand-written GPU kernels (static methods, one element per index).</summary>
    /// <param name="name">The function's name, for error messages.</param>
    /// <param name="forward">y = f(x) over spans.</param>
    /// <param name="backward">dx = f′(x)·dy over spans.</param>
    /// <param name="gpuForward">The GPU kernel y[i] = f(x[i]); see <see cref="GpuKernels.LaunchElementwise"/>.</param>
    /// <param name="gpuBackward">The GPU kernel dx[i] (+)= f′(x[i])·dy[i]; see <see cref="GpuKernels.LaunchElementwiseBackward"/>.</param>
    public ElementwiseFunction(
        string name,
        ElementwiseForward forward,
        ElementwiseBackward backward,
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>> gpuForward,
        Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int> gpuBackward)
        : this(name, forward, backward)
    {
        _gpuForward = gpuForward ?? throw new ArgumentNullException(nameof(gpuForward));
        _gpuBackward = gpuBackward ?? throw new ArgumentNullException(nameof(gpuBackward));
    }

    private ElementwiseFunction(string name, ElementwiseForward forward, ElementwiseBackward backward, GpuFunction gpuFunction)
        : this(name, forward, backward)
    {
        _gpuFunction = gpuFunction;
    }

    /// <summary>
    /// A function with its span kernels and, for GPU tensors, the element struct <typeparamref name="TKernel"/>:
    /// the runtime runs it in grid-stride kernels that move four floats per access (the form the generator emits).
    /// </summary>
    /// <typeparam name="TKernel">The function and its pullback at one element, as ILGPU compiles them.</typeparam>
    /// <param name="name">The function's name, for error messages.</param>
    /// <param name="forward">y = f(x) over spans.</param>
    /// <param name="backward">dx = f′(x)·dy over spans.</param>
    /// <returns>The tensor operation.</returns>
    public static ElementwiseFunction Create<TKernel>(string name, ElementwiseForward forward, ElementwiseBackward backward)
        where TKernel : struct, IElementwiseKernelFunction =>
        new(name, forward, backward, new GpuFunction<TKernel>());

    /// <summary>Whether the function has GPU kernels, so that it runs on GPU tensors too.</summary>
    public bool HasGpuKernels => _gpuForward is not null || _gpuFunction is not null;

    /// <summary>The function's name.</summary>
    public string Name { get; }

    /// <summary>
    /// The generated kernels of a function: the <c>{Name}Elementwise</c> field the generator emits next to
    /// every <c>[Differentiable]</c> <c>static float F(float)</c>, looked up once and remembered.
    /// </summary>
    internal static ElementwiseFunction? Find(MethodInfo function) =>
        s_registry.GetOrAdd(function, static f =>
            f.DeclaringType?.GetField(f.Name + "Elementwise", BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)?.GetValue(null) as ElementwiseFunction
            ?? s_none);

    private static readonly ElementwiseFunction s_none = new("none", static (_, _) => { }, static (_, _, _, _) => { });

    /// <summary>f applied to every element of <paramref name="x"/>, into a new tensor.</summary>
    public Tensor Apply(Tensor x)
    {
        OpChecks.NotNull(Name, x, nameof(x));
        Tensor y = Tensor.Zeros(x.Device, x.Shape);
        return Apply(x, y);
    }

    /// <summary>f applied to every element of <paramref name="x"/>, into <paramref name="destination"/>.</summary>
    public Tensor Apply(Tensor x, Tensor destination)
    {
        OpChecks.NotNull(Name, x, nameof(x));
        OpChecks.NotNull(Name, destination, nameof(destination));
        OpChecks.SameDevice(Name, x, destination);
        OpChecks.Destination(Name, destination, x.Shape);
        if (x.Device != Device.Cpu)
        {
            if (_gpuFunction is not null)
            {
                _gpuFunction.Forward(Name, x.Contiguous(), destination);
            }
            else
            {
                GpuKernels.LaunchElementwise(GpuForward(x), x.Contiguous(), destination);
            }

            return destination;
        }

        Run(x.Contiguous(), destination, null, accumulate: false, backward: false);
        return destination;
    }

    /// <summary>dx = f′(x)·dy for every element, written (or added, when <paramref name="accumulate"/>) into <paramref name="dx"/>.</summary>
    public void Backward(Tensor dy, Tensor x, Tensor dx, bool accumulate)
    {
        OpChecks.NotNull(Name, dy, nameof(dy));
        OpChecks.NotNull(Name, x, nameof(x));
        OpChecks.NotNull(Name, dx, nameof(dx));
        OpChecks.SameDevice(Name, dy, x, dx);
        OpChecks.SameShape(Name, dy, nameof(dy), x, nameof(x));
        OpChecks.Destination(Name, dx, x.Shape, nameof(dx));
        if (x.Device != Device.Cpu)
        {
            if (_gpuFunction is not null)
            {
                _gpuFunction.Backward(Name, x.Contiguous(), dy.Contiguous(), dx, accumulate);
            }
            else
            {
                GpuKernels.LaunchElementwiseBackward(GpuBackward(x), x.Contiguous(), dy.Contiguous(), dx, accumulate);
            }

            return;
        }

        Run(x.Contiguous(), dx, dy.Contiguous(), accumulate, backward: true);
    }

    private Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>> GpuForward(Tensor x) =>
        _gpuForward ?? throw NoGpuKernels(x);

    private Action<Index1D, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, ArrayView1D<float, Stride1D.Dense>, int> GpuBackward(Tensor x) =>
        _gpuBackward ?? throw NoGpuKernels(x);

    private NotSupportedException NoGpuKernels(Tensor x) =>
        new($"{Name}: the tensor {x.ShapeText} is on {x.Device.Name}, but {Name} has no GPU kernels (the generator emits them only for bodies that need no tape or scratch arrays). Move the tensor with To(Device.Cpu), or simplify {Name}.");

    /// <summary>Launches the element struct's kernels; generic underneath, so a launch boxes nothing.</summary>
    private abstract class GpuFunction
    {
        public abstract void Forward(string name, Tensor x, Tensor y);

        public abstract void Backward(string name, Tensor x, Tensor dy, Tensor dx, bool accumulate);
    }

    private sealed class GpuFunction<TKernel> : GpuFunction
        where TKernel : struct, IElementwiseKernelFunction
    {
        public override void Forward(string name, Tensor x, Tensor y) => GpuKernels.LaunchFunction<TKernel>(name, x, y);

        public override void Backward(string name, Tensor x, Tensor dy, Tensor dx, bool accumulate) =>
            GpuKernels.LaunchFunctionBackward<TKernel>(name, x, dy, dx, accumulate);
    }

    private struct Work
    {
        public IntPtr Self;
        public float* X;
        public float* Dy;
        public float* Out;
        public int Length;
        public int Chunks;
        public bool Accumulate;
        public bool IsBackward;
    }

    private void Run(Tensor x, Tensor output, Tensor? dy, bool accumulate, bool backward)
    {
        if (!output.IsContiguous)
        {
            throw new ArgumentException($"{Name}: the output tensor must be contiguous (a fresh or Contiguous() tensor).", nameof(output));
        }

        if (x.Length == 0)
        {
            return;
        }

        float[] xData = CpuBackend.Data(x), outData = CpuBackend.Data(output);
        float[]? dyData = dy is null ? null : CpuBackend.Data(dy);
        int length = x.Length;
        fixed (float* xp = &xData[x.Offset], op = &outData[output.Offset])
        fixed (float* dyBase = dyData)
        {
            float* dyp = dyBase is null ? null : dyBase + dy!.Offset;
            var work = new Work { Self = _self, X = xp, Dy = dyp, Out = op, Length = length, Accumulate = accumulate, IsBackward = backward };
            int chunks = (int)Math.Min(CpuWorkerPool.Shared.ThreadCount, Math.Max(1, length / MinimumPerChunk));
            work.Chunks = chunks;
            if (chunks == 1)
            {
                RunChunk(&work, 0);
            }
            else
            {
                CpuWorkerPool.Shared.Run(&RunChunk, &work, chunks);
            }
        }
    }

    private static void RunChunk(void* state, int chunk)
    {
        var work = (Work*)state;
        var self = (ElementwiseFunction)GCHandle.FromIntPtr(work->Self).Target!;
        int start = (int)((long)work->Length * chunk / work->Chunks);
        int end = (int)((long)work->Length * (chunk + 1) / work->Chunks);
        var x = new ReadOnlySpan<float>(work->X + start, end - start);
        var output = new Span<float>(work->Out + start, end - start);
        if (work->IsBackward)
        {
            self._backward(x, new ReadOnlySpan<float>(work->Dy + start, end - start), output, work->Accumulate);
        }
        else
        {
            self._forward(x, output);
        }
    }
}
