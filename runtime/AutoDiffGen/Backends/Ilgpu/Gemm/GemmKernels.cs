using System;
using System.Collections.Generic;
using System.Reflection;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// Float32 matrix products on one accelerator: C = alpha * op(A) * op(B) + beta * C for all four
/// transpose combinations, and the dense-layer form C = op(A) * op(B) + bias. Matrices are dense
/// and row-major; op(X) is X or its transpose. Products of more than 32 columns run in the 128 x 128 tiles of
/// <see cref="GemmKernel"/>; narrower ones (a classifier layer) in <see cref="NarrowGemmKernel"/>. Either splits K
/// into partial products when its groups would leave the device idle. Kernels compile on first use and stay cached.
/// On a CUDA device with NVIDIA's cuBLAS installed, products go to cuBLAS instead (<see cref="Library"/>); the
/// environment variable <c>AUTODIFFGEN_GEMM=ilgpu</c> keeps them on the ILGPU kernels.
/// </summary>
public sealed class GemmKernels : IDisposable
{
    // Indexed by loader kind of A times four plus loader kind of B; see LoaderKind.
    private static readonly Type[] LoaderTypes =
    [
        typeof(DepthContiguousVectorLoader),
        typeof(DepthContiguousScalarLoader),
        typeof(OuterContiguousVectorLoader),
        typeof(OuterContiguousScalarLoader),
    ];

    private readonly Accelerator _accelerator;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>?[] _kernels =
        new Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>?[16];

    private readonly object _loadLock = new();
    private int _minGroupsPerMultiprocessor = 1;

    // Groups of the product kernel one multiprocessor holds at once, from the first kernel loaded (0: not yet known).
    private int _residentGroups;
    private readonly LaunchGeometry _geometry;
    private readonly BufferRetirement _retirement;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>? _sumSplits;
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, NarrowGemmArguments>? _narrow;
    private readonly object _splitLock = new();
    private readonly Dictionary<(AcceleratorStream Stream, WorkspaceSlot Slot), MemoryBuffer1D<float, Stride1D.Dense>> _workspaces = [];
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, int, int>? _transpose;
    private readonly CuBlasGemm? _cuBlas;

    // The driver's stream-capture query, which tells recorded products from direct ones; null without cuBLAS.
    private readonly CudaGraphApi? _graphs;
    private GemmLibrary _library;

    /// <summary>The environment variable that picks the product library: <c>ilgpu</c> for the ILGPU kernels, <c>cublas</c> to require cuBLAS.</summary>
    public const string LibraryVariable = "AUTODIFFGEN_GEMM";

    internal GemmKernels(Accelerator accelerator, LaunchGeometry geometry, BufferRetirement retirement)
    {
        _accelerator = accelerator;
        _geometry = geometry;
        _retirement = retirement;
        var choice = LibraryChoice(Environment.GetEnvironmentVariable(LibraryVariable));
        if (accelerator is not CudaAccelerator cuda)
        {
            CuBlasUnavailableReason = "cuBLAS runs on CUDA devices only";
        }
        else if (choice == GemmLibrary.IlgpuKernels)
        {
            CuBlasUnavailableReason = $"{LibraryVariable}=ilgpu";
        }
        else
        {
            _cuBlas = CuBlasGemm.TryCreate(cuda, out string? failure);
            CuBlasUnavailableReason = failure;
            _graphs = _cuBlas is null ? null : CudaGraphApi.TryLoad(out _);
            if (_cuBlas is null && choice == GemmLibrary.CuBlas)
            {
                throw new InvalidOperationException($"{LibraryVariable}=cublas, but {failure}.");
            }
        }

        _library = _cuBlas is null ? GemmLibrary.IlgpuKernels : GemmLibrary.CuBlas;
    }

    /// <summary>
    /// Which implementation multiplies: <see cref="GemmLibrary.CuBlas"/> by default where it could be loaded (a CUDA
    /// device with cuBLAS 11.4 or newer on the loader's path, or at the path in <c>AUTODIFFGEN_CUBLAS</c>), else
    /// <see cref="GemmLibrary.IlgpuKernels"/>. With cuBLAS, small products launched directly still run on the ILGPU
    /// kernels (<see cref="CuBlasDirectMinimumWork"/>). Either gives the same products up to float32 rounding; the ILGPU
    /// kernels are always available.
    /// </summary>
    /// <exception cref="InvalidOperationException">Set to <see cref="GemmLibrary.CuBlas"/> where cuBLAS is unavailable; the message says why.</exception>
    public GemmLibrary Library
    {
        get => _library;
        set
        {
            if (value == GemmLibrary.CuBlas && _cuBlas is null)
            {
                throw new InvalidOperationException($"cuBLAS is not available on {_accelerator.Name}: {CuBlasUnavailableReason}.");
            }

            _library = value;
        }
    }

    /// <summary>The library <see cref="LibraryVariable"/> asks for, or null (unset: cuBLAS where it loads).</summary>
    /// <exception cref="InvalidOperationException">The value names no library.</exception>
    internal static GemmLibrary? LibraryChoice(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" => null,
        "ilgpu" => GemmLibrary.IlgpuKernels,
        "cublas" => GemmLibrary.CuBlas,
        _ => throw new InvalidOperationException($"{LibraryVariable}={value} names no product library: use 'ilgpu' or 'cublas', or leave it unset."),
    };

    /// <summary>
    /// With <see cref="Library"/> cuBLAS, the fewest multiply-adds (m·n·k) a product launched directly, not recorded
    /// into a graph, needs to go to cuBLAS; smaller ones run on the ILGPU kernels. A cuBLAS call costs the host more
    /// than a kernel launch, which matters where the host cannot keep the GPU busy: on an H200, direct MLP steps at
    /// batch 1,000 took 0.29 ms with every product on cuBLAS, 0.23 with those from 2^27 multiply-adds (the first
    /// layer's), 0.22 with none; at 10,000 cuBLAS paid (0.50 against 0.87). In a recorded graph the host's cost is
    /// paid once, so recorded products always go to cuBLAS. 0 sends every product to cuBLAS.
    /// </summary>
    public long CuBlasDirectMinimumWork { get; set; } = 1L << 28;

    /// <summary>Which cuBLAS was loaded (e.g. <c>cuBLAS 12.8.4 (libcublas.so.12)</c>), or null when none was.</summary>
    public string? CuBlasDescription => _cuBlas?.Description;

    /// <summary>Why cuBLAS cannot be used on this device, or null when it can.</summary>
    public string? CuBlasUnavailableReason { get; }

    /// <summary>
    /// The least of K one chunk of a split product multiplies: two depth steps. Short chunks pay off for small batches,
    /// where a product's few tiles would otherwise each walk all of K alone; <see cref="SplitCost"/> weighs them.
    /// </summary>
    internal const int MinimumSplitDepth = 2 * GemmKernel.Depth;

    /// <summary>
    /// How many of the product kernel's thread groups the device runs at once, which decides how a product with few
    /// output tiles splits K into chunks (<see cref="SplitCount"/>). Null, the default, measures it: multiprocessors
    /// times the groups each can hold with the kernel's registers and shared memory (twice the multiprocessors where the
    /// accelerator cannot say). A tuning knob: 1 never splits; the GPU check sweeps it.
    /// </summary>
    public int? SplitTargetGroups { get; set; }

    /// <summary>
    /// Groups of the product kernel one multiprocessor holds at once, as the CUDA driver computes it from the compiled
    /// kernel's registers and shared memory; null until a product kernel is loaded, or where the accelerator cannot say.
    /// </summary>
    public int? ResidentGroupsPerMultiprocessor => _residentGroups > 0 ? _residentGroups : null;

    /// <summary>
    /// The fewest thread groups of the product kernel each multiprocessor should hold at once, passed to the CUDA
    /// compiler (<c>.minnctapersm</c>), which then caps the registers per thread to fit them: 1, the default, leaves the
    /// compiler free. Setting it recompiles the kernels on next use. A tuning knob the GPU check compares.
    /// </summary>
    public int MinGroupsPerMultiprocessor
    {
        get => _minGroupsPerMultiprocessor;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            lock (_loadLock)
            {
                _minGroupsPerMultiprocessor = value;
                Array.Clear(_kernels);
                _residentGroups = 0;
            }
        }
    }

    /// <summary>The most chunks a product is split into, which bounds the workspace and the summing pass.</summary>
    internal int MaxSplits { get; set; } = 32;

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, where op(A) is m x k and op(B) is k x n. A holds m x k
    /// values ([m, k] row-major, or [k, m] when <paramref name="transposeA"/>), B holds k x n values
    /// ([k, n], or [n, k] when <paramref name="transposeB"/>), C is [m, n]. With beta = 0, C is not
    /// read, so it may hold anything.
    /// </summary>
    public void Gemm(
        AcceleratorStream stream,
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        float alpha,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        float beta,
        ArrayView1D<float, Stride1D.Dense> c)
    {
        Check("Gemm", transposeA, transposeB, m, n, k, a, b, c);
        Launch(stream, new GemmProduct(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, c, AddBias: false));
    }

    /// <summary>
    /// C = op(A) * op(B) + bias, with the length-n <paramref name="bias"/> added to every row: the
    /// forward pass of a dense layer, fused so C is written once. Shapes as in <see cref="Gemm"/>.
    /// </summary>
    public void GemmBias(
        AcceleratorStream stream,
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        ArrayView1D<float, Stride1D.Dense> bias,
        ArrayView1D<float, Stride1D.Dense> c)
    {
        Check("GemmBias", transposeA, transposeB, m, n, k, a, b, c);
        ViewChecks.Vector("GemmBias", nameof(bias), bias, n);
        Launch(stream, new GemmProduct(transposeA, transposeB, m, n, k, 1f, a, b, 0f, c, bias, AddBias: true));
    }

    /// <summary>
    /// C = alpha * op(A) * op(B) + beta * C, plus <paramref name="bias"/> on every row when given, then max(0, ·) on every
    /// element when <paramref name="relu"/>: the general form the tensor backend calls (<see cref="Gemm"/> and
    /// <see cref="GemmBias"/> are its two common cases; a dense layer with its ReLU is the third).
    /// </summary>
    internal void Run(
        AcceleratorStream stream,
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        float alpha,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        float beta,
        ArrayView1D<float, Stride1D.Dense> c,
        ArrayView1D<float, Stride1D.Dense>? bias,
        bool relu = false)
    {
        Check("Gemm", transposeA, transposeB, m, n, k, a, b, c);
        if (bias is { } row)
        {
            ViewChecks.Vector("Gemm", nameof(bias), row, n);
            Launch(stream, new GemmProduct(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, row, AddBias: true, relu));
        }
        else
        {
            Launch(stream, new GemmProduct(transposeA, transposeB, m, n, k, alpha, a, b, beta, c, c, AddBias: false, relu));
        }
    }

    /// <summary>Every kernel instantiation this class can launch (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods()
    {
        foreach (var a in LoaderTypes)
        {
            foreach (var b in LoaderTypes)
            {
                yield return typeof(GemmKernel).GetMethod(nameof(GemmKernel.Run))!.MakeGenericMethod(a, b);
            }
        }

        yield return typeof(GemmKernel).GetMethod(nameof(GemmKernel.SumSplits))!;
        yield return typeof(NarrowGemmKernel).GetMethod(nameof(NarrowGemmKernel.Run))!;
        yield return typeof(OperandTranspose).GetMethod(nameof(OperandTranspose.Run))!;
    }

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        for (int i = 0; i < LoaderTypes.Length * LoaderTypes.Length; i++)
        {
            Kernel(i);
        }

        _ = _sumSplits ?? Load(ref _sumSplits, typeof(GemmKernel), nameof(GemmKernel.SumSplits));
        _ = _narrow ?? Load(ref _narrow, typeof(NarrowGemmKernel), nameof(NarrowGemmKernel.Run));
        _ = _transpose ?? Load(ref _transpose, typeof(OperandTranspose), nameof(OperandTranspose.Run));
    }

    private static void Check(
        string op,
        bool transposeA,
        bool transposeB,
        int m,
        int n,
        int k,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        ArrayView1D<float, Stride1D.Dense> c)
    {
        ViewChecks.Matrix(op, m, k);
        ViewChecks.Matrix(op, k, n);
        ViewChecks.Matrix(op, m, n);
        ViewChecks.Matrix(op, nameof(a), a, transposeA ? k : m, transposeA ? m : k, transposeA ? "A transposed " : "A ");
        ViewChecks.Matrix(op, nameof(b), b, transposeB ? n : k, transposeB ? k : n, transposeB ? "B transposed " : "B ");
        ViewChecks.Matrix(op, nameof(c), c, m, n, "C ");
    }

    private void Launch(AcceleratorStream stream, GemmProduct product)
    {
        if (CuBlasFor(stream, product.Work) is { } cuBlas)
        {
            LaunchCuBlas(cuBlas, stream, product);
            return;
        }

        if (product.N <= NarrowGemmKernel.Columns)
        {
            LaunchNarrow(stream, product);
            return;
        }

        // An operand stored with K contiguous (A untransposed, B transposed) loads into the tiles as 32-byte pieces of
        // 128 rows; stored the other way, as whole rows. Where the other operand is wide, the product is long enough
        // to repay transposing it first (on an H200 at 4096^3: 22 TFLOP/s with such an operand, 26.4 without).
        bool packA = !product.TransposeA && product.N >= PackingMinimumExtent;
        bool packB = product.TransposeB && product.M >= PackingMinimumExtent;
        if (packA || packB)
        {
            // Under the workspace lock until the product is queued: another product must not repack in between.
            lock (_splitLock)
            {
                if (packA)
                {
                    product = product with { A = Transposed(stream, WorkspaceSlot.PackedA, product.A, product.M, product.K), TransposeA = true };
                }

                if (packB)
                {
                    product = product with { B = Transposed(stream, WorkspaceSlot.PackedB, product.B, product.N, product.K), TransposeB = false };
                }

                LaunchTiles(stream, product);
            }

            return;
        }

        LaunchTiles(stream, product);
    }

    /// <summary>
    /// The extent of the other operand from which a product repacks an operand stored with K contiguous (see
    /// <see cref="Launch"/>): transposing an [m, k] A costs about 30 / n of the product's time on a GPU, so from 1,024
    /// columns it costs under 3% and gains about 17%.
    /// </summary>
    internal int PackingMinimumExtent { get; set; } = 1024;

    /// <summary>The [cols, rows] transpose of a row-major [rows, cols] <paramref name="source"/>, in a workspace of the stream.</summary>
    private ArrayView1D<float, Stride1D.Dense> Transposed(
        AcceleratorStream stream, WorkspaceSlot slot, ArrayView1D<float, Stride1D.Dense> source, int rows, int cols)
    {
        var destination = Workspace(stream, slot, (long)rows * cols);
        var transpose = _transpose ?? Load(ref _transpose, typeof(OperandTranspose), nameof(OperandTranspose.Run));
        var grid = new Index3D((cols + OperandTranspose.Tile - 1) / OperandTranspose.Tile, (rows + OperandTranspose.Tile - 1) / OperandTranspose.Tile, 1);
        transpose(stream, new KernelConfig(grid, new Index3D(LaunchGeometry.GroupSize, 1, 1)), source.BaseView, destination.BaseView, rows, cols);
        return destination;
    }

    /// <summary>A product through <see cref="GemmKernel"/>'s 128 × 128 tiles, split over K when that fills the device better.</summary>
    private void LaunchTiles(AcceleratorStream stream, GemmProduct product)
    {
        (bool transposeA, bool transposeB, int m, int n, int k) = (product.TransposeA, product.TransposeB, product.M, product.N, product.K);
        ArrayView1D<float, Stride1D.Dense> a = product.A, b = product.B, c = product.C, bias = product.Bias;

        // op(A) untransposed is stored [m, k]: depth-contiguous; transposed it is [k, m]: outer-contiguous.
        int kindA = LoaderKind(depthContiguous: !transposeA, contiguousExtent: transposeA ? m : k, a);
        int kindB = LoaderKind(depthContiguous: transposeB, contiguousExtent: transposeB ? k : n, b);
        var kernel = Kernel(kindA * 4 + kindB);
        int tilesX = (n + GemmKernel.Tile - 1) / GemmKernel.Tile, tilesY = (m + GemmKernel.Tile - 1) / GemmKernel.Tile;
        GemmArguments args = product.Arguments();
        args.VectorStoreC = n % 4 == 0 && ViewChecks.IsAligned16(c) ? 1 : 0;

        int splits = SplitCount(tilesX * tilesY, k, out int chunk);
        if (splits == 1)
        {
            var config = new KernelConfig(new Index3D(tilesX, tilesY, 1), new Index3D(LaunchGeometry.GroupSize, 1, 1));
            kernel(stream, config, a.BaseView, b.BaseView, c.BaseView, bias.BaseView, args);
            return;
        }

        // Partial products of K chunks side by side in the stream's workspace, then one pass adds them into C. Both
        // are queued under one lock: another product on the stream must not overwrite the partials in between.
        lock (_splitLock)
        {
            LaunchSplit(stream, kernel, tilesX, tilesY, splits, chunk, a, b, c, bias, args);
        }
    }

    private void LaunchSplit(
        AcceleratorStream stream,
        Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments> kernel,
        int tilesX,
        int tilesY,
        int splits,
        int chunk,
        ArrayView1D<float, Stride1D.Dense> a,
        ArrayView1D<float, Stride1D.Dense> b,
        ArrayView1D<float, Stride1D.Dense> c,
        ArrayView1D<float, Stride1D.Dense> bias,
        GemmArguments args)
    {
        int m = args.M, n = args.N;
        var partials = Workspace(stream, WorkspaceSlot.Partials, (long)splits * m * n);
        var partial = args;
        partial.Alpha = 1f;
        partial.Beta = 0f;
        partial.AddBias = 0;
        partial.Relu = 0;
        partial.KChunk = chunk;
        partial.SplitStride = m * n;
        partial.VectorStoreC = n % 4 == 0 ? 1 : 0;
        var grid = new KernelConfig(new Index3D(tilesX, tilesY, splits), new Index3D(LaunchGeometry.GroupSize, 1, 1));
        kernel(stream, grid, a.BaseView, b.BaseView, partials.BaseView, bias.BaseView, partial);

        SumPartials(stream, partials, c, bias, args, splits);
    }

    /// <summary>C from <paramref name="splits"/> partial products side by side in <paramref name="partials"/>, with alpha, beta, the bias and the ReLU.</summary>
    private void SumPartials(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> partials,
        ArrayView1D<float, Stride1D.Dense> c,
        ArrayView1D<float, Stride1D.Dense> bias,
        GemmArguments args,
        int splits)
    {
        args.Splits = splits;
        args.SplitStride = args.M * args.N;
        var sum = _sumSplits ?? Load(ref _sumSplits, typeof(GemmKernel), nameof(GemmKernel.SumSplits));
        sum(stream, _geometry.GridStride((long)args.M * args.N), partials.BaseView, c.BaseView, bias.BaseView, args);
    }

    /// <summary>
    /// Column sums of a row-major [rows, cols] x through cuBLAS when it multiplies (one launch, see
    /// <see cref="CuBlasGemm.SumOverRows"/>); false, doing nothing, when the reduction kernels must do it.
    /// </summary>
    internal bool TrySumOverRows(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, float scale, bool accumulate)
    {
        if (rows > CuBlasGemm.MaxSummedRows || rows == 0 || cols == 0 || CuBlasFor(stream, (long)rows * cols) is not { } cuBlas)
        {
            return false;
        }

        cuBlas.SumOverRows(stream, x, output, rows, cols, scale, accumulate);
        return true;
    }

    /// <summary>cuBLAS when it should do <paramref name="work"/> multiply-adds queued on <paramref name="stream"/>, else null.</summary>
    private CuBlasGemm? CuBlasFor(AcceleratorStream stream, long work)
    {
        if (_library != GemmLibrary.CuBlas || _cuBlas is not { } cuBlas)
        {
            return null;
        }

        return work >= CuBlasDirectMinimumWork || IsCapturing(stream) ? cuBlas : null;
    }

    private bool IsCapturing(AcceleratorStream stream) =>
        stream is CudaStream cuda && _graphs is { } graphs && graphs.IsCapturing(cuda.StreamPtr);

    /// <summary>
    /// A product through cuBLAS. cuBLAS adds no bias, so C first becomes beta · C + bias (the summing pass over no
    /// partial products) and cuBLAS then accumulates into it. With a ReLU, cuBLAS writes the product first and one
    /// pass over C (the summing pass over C as its only partial product) adds the bias and applies the ReLU: two
    /// launches for the whole layer, as without it.
    /// </summary>
    private void LaunchCuBlas(CuBlasGemm cuBlas, AcceleratorStream stream, GemmProduct product)
    {
        float beta = product.Beta;
        if (product.Relu)
        {
            cuBlas.Gemm(stream, product.TransposeA, product.TransposeB, product.M, product.N, product.K, product.Alpha, product.A, product.B, beta, product.C);
            GemmArguments epilogue = product.Arguments();
            epilogue.Alpha = 1f;
            epilogue.Beta = 0f;
            SumPartials(stream, product.C, product.C, product.Bias, epilogue, splits: 1);
            return;
        }

        if (product.AddBias)
        {
            GemmArguments args = product.Arguments();
            args.Alpha = 1f;
            SumPartials(stream, product.C, product.C, product.Bias, args, splits: 0);
            beta = 1f;
        }

        cuBlas.Gemm(stream, product.TransposeA, product.TransposeB, product.M, product.N, product.K, product.Alpha, product.A, product.B, beta, product.C);
    }

    /// <summary>A product of at most 32 columns, through <see cref="NarrowGemmKernel"/>: 32 rows of C per group, K split when the rows are few.</summary>
    private void LaunchNarrow(AcceleratorStream stream, GemmProduct product)
    {
        (int m, int n, int k) = (product.M, product.N, product.K);
        ArrayView1D<float, Stride1D.Dense> a = product.A, b = product.B, c = product.C, bias = product.Bias;
        var kernel = _narrow ?? Load(ref _narrow, typeof(NarrowGemmKernel), nameof(NarrowGemmKernel.Run));
        var args = new NarrowGemmArguments
        {
            Gemm = product.Arguments(),
            TransposeA = product.TransposeA ? 1 : 0,
            TransposeB = product.TransposeB ? 1 : 0,
        };
        int rowBlocks = (m + NarrowGemmKernel.Rows - 1) / NarrowGemmKernel.Rows;
        int splits = NarrowSplitCount(rowBlocks, k, out int chunk);
        if (splits == 1)
        {
            var config = new KernelConfig(new Index3D(rowBlocks, 1, 1), new Index3D(LaunchGeometry.GroupSize, 1, 1));
            kernel(stream, config, a.BaseView, b.BaseView, c.BaseView, bias.BaseView, args);
            return;
        }

        lock (_splitLock)
        {
            var partials = Workspace(stream, WorkspaceSlot.Partials, (long)splits * m * n);
            var partial = args;
            partial.Gemm.Alpha = 1f;
            partial.Gemm.Beta = 0f;
            partial.Gemm.AddBias = 0;
            partial.Gemm.Relu = 0;
            partial.Gemm.KChunk = chunk;
            partial.Gemm.SplitStride = m * n;
            var grid = new KernelConfig(new Index3D(rowBlocks, 1, splits), new Index3D(LaunchGeometry.GroupSize, 1, 1));
            kernel(stream, grid, a.BaseView, b.BaseView, partials.BaseView, bias.BaseView, partial);
            SumPartials(stream, partials, c, bias, args.Gemm, splits);
        }
    }

    /// <summary>
    /// How many chunks of K a narrow product of <paramref name="rowBlocks"/> groups splits into: enough for four groups
    /// per multiprocessor (the narrow kernel is small: many fit at once), each chunk at least two slabs deep; 1 when
    /// the rows alone give that many groups (a forward product over a large batch).
    /// </summary>
    internal int NarrowSplitCount(int rowBlocks, int k, out int chunk)
    {
        int target = SplitTargetGroups ?? (4 * _accelerator.NumMultiprocessors);
        int wanted = Math.Min(Math.Min((target + rowBlocks - 1) / rowBlocks, k / (2 * NarrowGemmKernel.Depth)), MaxSplits);
        if (wanted <= 1)
        {
            chunk = k;
            return 1;
        }

        chunk = ((k + wanted - 1) / wanted + NarrowGemmKernel.Depth - 1) / NarrowGemmKernel.Depth * NarrowGemmKernel.Depth;
        return (k + chunk - 1) / chunk;
    }

    /// <summary>
    /// How many chunks of K to split a product of <paramref name="tiles"/> output tiles into: the count with the least
    /// estimated time (<see cref="SplitCost"/>) for the groups the device runs at once, with at least
    /// <see cref="MinimumSplitDepth"/> of K per chunk (a multiple of the kernel's depth step); 1 when splitting does not pay.
    /// </summary>
    internal int SplitCount(int tiles, int k, out int chunk)
    {
        int slots = SplitTargetGroups ?? (_accelerator.NumMultiprocessors * (_residentGroups > 0 ? _residentGroups : 2));
        int most = Math.Min(k / MinimumSplitDepth, MaxSplits);
        chunk = k;
        int best = 1;
        double bestCost = SplitCost(tiles, 1, k, slots);
        for (int wanted = 2; wanted <= most; wanted++)
        {
            int candidate = ((k + wanted - 1) / wanted + GemmKernel.Depth - 1) / GemmKernel.Depth * GemmKernel.Depth;
            int splits = (k + candidate - 1) / candidate;
            double cost = SplitCost(tiles, splits, candidate, slots);
            if (cost < bestCost)
            {
                (best, bestCost, chunk) = (splits, cost, candidate);
            }
        }

        return best;
    }

    /// <summary>Groups of <paramref name="kernel"/> one multiprocessor holds at once, or 0 where the accelerator cannot say.</summary>
    private int ResidentGroups(Kernel kernel)
    {
        if (_accelerator.AcceleratorType != AcceleratorType.Cuda)
        {
            return 0;
        }

        try
        {
            return Math.Max(1, _accelerator.EstimateMaxActiveGroupsPerMultiprocessor(kernel, LaunchGeometry.GroupSize, 0));
        }
        catch (Exception e) when (e is NotSupportedException or InvalidOperationException or ILGPU.Runtime.Cuda.CudaException)
        {
            return 0;
        }
    }

    /// <summary>
    /// The time of a product split into <paramref name="splits"/> chunks of <paramref name="chunk"/>, in the time one
    /// group takes for one depth step (about 1.5 µs on an H200): the waves of groups the device runs one after another,
    /// each as long as a chunk plus a step for loading the first slab and storing the tile; and for a split, the
    /// summing pass (about two steps to launch) and the partial products' round trip through memory (about a
    /// thirty-second of a step per tile and split). From measurements on an H200 (docs/benchmarks.md). It counts the
    /// last, partly filled wave as a whole one, which is what makes a product of 158 tiles on 132 multiprocessors take
    /// two waves and split K to fill them better.
    /// </summary>
    private static double SplitCost(int tiles, int splits, int chunk, int slots)
    {
        long groups = (long)tiles * splits;
        long waves = (groups + slots - 1) / slots;
        double steps = (chunk + GemmKernel.Depth - 1) / GemmKernel.Depth;
        return (waves * (steps + 1)) + (splits > 1 ? 2 + (tiles * splits / 32.0) : 0);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _cuBlas?.Dispose();
        lock (_splitLock)
        {
            foreach (var buffer in _workspaces.Values)
            {
                buffer.Dispose();
            }

            _workspaces.Clear();
        }
    }

    // The caller holds _splitLock.
    private ArrayView1D<float, Stride1D.Dense> Workspace(AcceleratorStream stream, WorkspaceSlot slot, long length)
    {
        if (!_workspaces.TryGetValue((stream, slot), out var buffer) || buffer.Length < length)
        {
            if (buffer is not null)
            {
                // Products queued earlier, or recorded graphs, may still use the old workspace.
                _retirement.Retire(stream, buffer);
            }

            buffer = _accelerator.Allocate1D<float>(Math.Max(length, 2 * (buffer?.Length ?? 0)));
            _workspaces[(stream, slot)] = buffer;
        }

        _retirement.Used(buffer);

        return buffer.View.SubView(0, length);
    }

    /// <summary>Compiles a non-generic kernel into <paramref name="slot"/> on first use, once across threads.</summary>
    private TLauncher Load<TLauncher>(ref TLauncher? slot, Type kernelHost, string kernelName)
        where TLauncher : Delegate
    {
        lock (_loadLock)
        {
            return slot ??= KernelLoading.Load<TLauncher>(_accelerator, kernelHost, kernelName);
        }
    }

    private static int LoaderKind(bool depthContiguous, int contiguousExtent, ArrayView1D<float, Stride1D.Dense> view)
    {
        bool vector = contiguousExtent % 4 == 0 && ViewChecks.IsAligned16(view);
        return (depthContiguous ? 0 : 2) + (vector ? 0 : 1);
    }

    internal Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments> Kernel(int index)
    {
        var kernel = _kernels[index];
        if (kernel is not null)
        {
            return kernel;
        }

        lock (_loadLock)
        {
            if (_kernels[index] is { } loaded)
            {
                return loaded;
            }

            var specialization = _minGroupsPerMultiprocessor > 1
                ? new KernelSpecialization(LaunchGeometry.GroupSize, _minGroupsPerMultiprocessor)
                : KernelSpecialization.Empty;
            var (launcher, compiled) = KernelLoading.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, GemmArguments>>(
                _accelerator, specialization, typeof(GemmKernel), nameof(GemmKernel.Run), LoaderTypes[index / 4], LoaderTypes[index % 4]);
            if (_residentGroups == 0)
            {
                _residentGroups = ResidentGroups(compiled);
            }

            _kernels[index] = launcher;
            return launcher;
        }
    }

    /// <summary>What a stream's workspace buffer holds while a product is queued.</summary>
    private enum WorkspaceSlot
    {
        /// <summary>The partial products of a product split over K.</summary>
        Partials,

        /// <summary>A repacked (transposed) A.</summary>
        PackedA,

        /// <summary>A repacked (transposed) B.</summary>
        PackedB,
    }
}
