using System;
using System.Collections.Generic;
using System.Reflection;
using ILGPU;
using AutoDiffGen.Backends.Ilgpu.Classification;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu.Reductions;

/// <summary>
/// Sums and maxima of a row-major [rows, cols] float32 matrix: over the last axis (one value per
/// row), over rows (one value per column, e.g. a bias gradient), and over everything (sum, mean).
/// Results are deterministic: the same input gives the same bits on every run.
/// </summary>
public sealed class ReductionKernels : IDisposable
{
    /// <summary>The fewest rows a group reduces per column when a column reduction is split into chunks.</summary>
    private const int MinRowsPerChunk = 64;

    private readonly Accelerator _accelerator;
    private readonly LaunchGeometry _geometry;
    private readonly object _lock = new();

    /// <summary>
    /// Held while queuing a two-pass reduction (first pass into the stream's partials, then the finish), here and in
    /// <see cref="ClassificationKernels"/>, so that concurrent callers do not interleave on the partials.
    /// </summary>
    internal object PassLock { get; } = new();

    private readonly BufferRetirement _retirement;
    private readonly Dictionary<AcceleratorStream, MemoryBuffer1D<float, Stride1D.Dense>> _partialsByStream = [];
    private readonly Dictionary<AcceleratorStream, MemoryBuffer1D<float, Stride1D.Dense>> _columnPartialsByStream = [];
    private readonly Dictionary<AcceleratorStream, MemoryBuffer1D<int, Stride1D.Dense>> _finishedGroupsByStream = [];
    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ReluColumnSumsArguments>? _reluColumnSums;
    private readonly Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ReductionArguments>?[] _kernels =
        new Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ReductionArguments>?[Enum.GetValues<Kind>().Length];

    internal ReductionKernels(Accelerator accelerator, LaunchGeometry geometry, BufferRetirement retirement)
    {
        _accelerator = accelerator;
        _geometry = geometry;
        _retirement = retirement;
    }

    private enum Kind
    {
        SumOverLastAxis,
        MaxOverLastAxis,
        SumOverRows,
        MaxOverRows,
        SumPartials,
        SumFinish,
        MaxPartials,
        MaxFinish,
    }

    /// <summary>
    /// Whether the tensor backend takes a fused layer's ReLU and bias gradients in one launch
    /// (<see cref="ReluGradientWithColumnSums"/>, the default) or as the ReLU's gradient followed by a column sum: the
    /// second way is kept to compare against on a GPU.
    /// </summary>
    public bool FuseReluColumnSums { get; set; } = true;

    /// <summary>
    /// dz = dy ⊙ [y &gt; 0] and sums[c] (+)= the sum of column c of dz, for [rows, cols] matrices, in one launch: the ReLU
    /// and bias part of a dense layer's backward pass, from the layer's output y (see <see cref="ReluColumnSumsKernel"/>).
    /// </summary>
    public void ReluGradientWithColumnSums(
        AcceleratorStream stream,
        ArrayView1D<float, Stride1D.Dense> dy,
        ArrayView1D<float, Stride1D.Dense> y,
        ArrayView1D<float, Stride1D.Dense> dz,
        ArrayView1D<float, Stride1D.Dense> sums,
        int rows,
        int cols,
        bool accumulateSums)
    {
        const string op = "ReluGradientWithColumnSums";
        if (rows == 0 || cols == 0)
        {
            // No rows: the sums of nothing are zero. No columns: nothing to write.
            if (!accumulateSums && cols > 0)
            {
                ViewChecks.Vector(op, nameof(sums), sums, cols);
                sums.BaseView.MemSetToZero(stream);
            }

            return;
        }

        ViewChecks.Matrix(op, rows, cols);
        ViewChecks.Matrix(op, nameof(dy), dy, rows, cols);
        ViewChecks.Matrix(op, nameof(y), y, rows, cols);
        ViewChecks.Matrix(op, nameof(dz), dz, rows, cols);
        ViewChecks.Vector(op, nameof(sums), sums, cols);

        // As many groups as the device holds at once, each taking at least two rows per warp.
        int tiles = (cols + 31) / 32;
        const int minimumRows = 2 * LaunchGeometry.WarpsPerGroup;
        int chunks = Math.Max(1, Math.Min(_geometry.MaxGridGroups / tiles, (rows + minimumRows - 1) / minimumRows));
        int rowsPerChunk = (rows + chunks - 1) / chunks;
        chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        var args = new ReluColumnSumsArguments { Rows = rows, Cols = cols, RowsPerChunk = rowsPerChunk, Chunks = chunks, AccumulateSums = accumulateSums ? 1 : 0 };
        var kernel = _reluColumnSums ?? LoadReluColumnSums();

        // Under the pass lock: no other column reduction on the stream may reuse the partials while this one runs.
        lock (PassLock)
        {
            var partials = ColumnPartialsFor(stream, (long)chunks * cols);
            var finished = FinishedGroupsFor(stream, tiles);
            kernel(
                stream,
                new KernelConfig(tiles * chunks, LaunchGeometry.GroupSize),
                dy.BaseView,
                y.BaseView,
                dz.BaseView,
                partials.View.BaseView,
                finished.View.BaseView,
                sums.BaseView,
                args);
        }
    }

    /// <summary>output[r] (+)= sum of row r of x, a [rows, cols] matrix.</summary>
    public void SumOverLastAxis(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, bool accumulate = false) =>
        LaunchPerRow(stream, Kind.SumOverLastAxis, "SumOverLastAxis", x, output, rows, cols, 1f, accumulate);

    /// <summary>output[r] = max of row r of x, a [rows, cols] matrix.</summary>
    public void MaxOverLastAxis(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols) =>
        LaunchPerRow(stream, Kind.MaxOverLastAxis, "MaxOverLastAxis", x, output, rows, cols, 1f, accumulate: false);

    /// <summary>output[c] (+)= sum of column c of x, a [rows, cols] matrix: the gradient of a bias broadcast over rows.</summary>
    public void SumOverRows(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, bool accumulate = false) =>
        LaunchPerColumn(stream, Kind.SumOverRows, "SumOverRows", x, output, rows, cols, 1f, accumulate);

    /// <summary>output[c] = max of column c of x, a [rows, cols] matrix.</summary>
    public void MaxOverRows(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols) =>
        LaunchPerColumn(stream, Kind.MaxOverRows, "MaxOverRows", x, output, rows, cols, 1f, accumulate: false);

    /// <summary>output[0] (+)= sum of all elements of x.</summary>
    public void Sum(AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, bool accumulate = false) =>
        LaunchFull(stream, "Sum", max: false, x, output, scale: 1f, accumulate);

    /// <summary>output[0] (+)= mean of all elements of x.</summary>
    public void Mean(AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, bool accumulate = false) =>
        LaunchFull(stream, "Mean", max: false, x, output, scale: 1f / x.Length, accumulate);

    /// <summary>
    /// output[r] (+)= scale * (sum or max of row r of x), a [rows, cols] matrix: what a tensor reduction over trailing
    /// axes becomes once they are flattened (scale 1/n makes a mean).
    /// </summary>
    internal void OverLastAxis(
        AcceleratorStream stream, bool max, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, float scale, bool accumulate) =>
        LaunchPerRow(stream, max ? Kind.MaxOverLastAxis : Kind.SumOverLastAxis, max ? "MaxOverLastAxis" : "SumOverLastAxis", x, output, rows, cols, scale, accumulate);

    /// <summary>output[c] (+)= scale * (sum or max of column c of x), a [rows, cols] matrix: a reduction over leading axes.</summary>
    internal void OverRows(
        AcceleratorStream stream, bool max, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, float scale, bool accumulate) =>
        LaunchPerColumn(stream, max ? Kind.MaxOverRows : Kind.SumOverRows, max ? "MaxOverRows" : "SumOverRows", x, output, rows, cols, scale, accumulate);

    /// <summary>output[0] (+)= scale * (sum or max of all elements of x).</summary>
    internal void Full(AcceleratorStream stream, bool max, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, float scale, bool accumulate) =>
        LaunchFull(stream, max ? "Max" : "Sum", max, x, output, scale, accumulate);

    /// <summary>
    /// Second pass of a full sum whose first pass (another kernel) wrote one partial per group into
    /// <see cref="PartialsFor"/>(<paramref name="stream"/>): output[0] (+)= scale * sum of the partials.
    /// </summary>
    internal void FinishSum(AcceleratorStream stream, int groups, ArrayView1D<float, Stride1D.Dense> output, float scale, bool accumulate)
    {
        var args = new ReductionArguments { Length = groups, Scale = scale, Accumulate = accumulate ? 1 : 0 };
        Kernel(Kind.SumFinish)(stream, new KernelConfig(1, LaunchGeometry.GroupSize), PartialsFor(stream).View.BaseView, output.BaseView, args);
    }

    /// <summary>Every kernel instantiation this class can launch (for ahead-of-time compile checks).</summary>
    internal static IEnumerable<MethodInfo> KernelMethods()
    {
        foreach (var kind in Enum.GetValues<Kind>())
        {
            var (name, reduction) = KernelOf(kind);
            yield return typeof(ReductionKernel).GetMethod(name)!.MakeGenericMethod(reduction);
        }

        yield return typeof(ReluColumnSumsKernel).GetMethod(nameof(ReluColumnSumsKernel.Run))!;
    }

    /// <summary>Compiles every kernel now rather than on first use.</summary>
    internal void LoadAll()
    {
        foreach (var kind in Enum.GetValues<Kind>())
        {
            Kernel(kind);
        }

        _ = _reluColumnSums ?? LoadReluColumnSums();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var buffer in _partialsByStream.Values)
            {
                buffer.Dispose();
            }

            foreach (var buffer in _columnPartialsByStream.Values)
            {
                buffer.Dispose();
            }

            foreach (var buffer in _finishedGroupsByStream.Values)
            {
                buffer.Dispose();
            }

            _partialsByStream.Clear();
            _columnPartialsByStream.Clear();
            _finishedGroupsByStream.Clear();
        }
    }

    private void LaunchPerRow(
        AcceleratorStream stream, Kind kind, string op, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, float scale, bool accumulate)
    {
        ViewChecks.Matrix(op, rows, cols);
        ViewChecks.Matrix(op, nameof(x), x, rows, cols);
        ViewChecks.Vector(op, nameof(output), output, rows);
        var args = new ReductionArguments { Rows = rows, Cols = cols, Scale = scale, Accumulate = accumulate ? 1 : 0 };
        Kernel(kind)(stream, _geometry.WarpPerRow(rows), x.BaseView, output.BaseView, args);
    }

    private void LaunchPerColumn(
        AcceleratorStream stream, Kind kind, string op, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, float scale, bool accumulate)
    {
        ViewChecks.Matrix(op, rows, cols);
        ViewChecks.Matrix(op, nameof(x), x, rows, cols);
        ViewChecks.Vector(op, nameof(output), output, cols);
        var args = new ReductionArguments { Rows = rows, Cols = cols, Scale = scale, Accumulate = accumulate ? 1 : 0 };
        var kernel = Kernel(kind);
        int tiles = (cols + 31) / 32;

        // One group per 32 columns keeps every multiprocessor busy only for wide matrices. A tall, narrow one (a bias
        // gradient: batch rows, a few hundred columns) would leave most of the GPU idle with each group walking every
        // row, so its rows are split into chunks, one group per (chunk, 32 columns), and a second pass adds the chunks.
        int chunks = (int)Math.Min(
            Math.Max(1, _geometry.MaxGridGroups / tiles),
            Math.Max(1, rows / MinRowsPerChunk));
        if (chunks <= 1)
        {
            kernel(stream, _geometry.GridStride((long)tiles * LaunchGeometry.GroupSize), x.BaseView, output.BaseView, args);
            return;
        }

        int rowsPerChunk = (rows + chunks - 1) / chunks;
        chunks = (rows + rowsPerChunk - 1) / rowsPerChunk;
        var firstPass = new ReductionArguments { Rows = rows, Cols = cols, Scale = 1f, RowsPerChunk = rowsPerChunk };
        var secondPass = new ReductionArguments { Rows = chunks, Cols = cols, Scale = scale, Accumulate = accumulate ? 1 : 0 };

        // Both passes are queued under one lock, like a full reduction's: no other launch may reuse the chunk sums between them.
        lock (PassLock)
        {
            var partials = ColumnPartialsFor(stream, (long)chunks * cols);
            kernel(stream, _geometry.GridStride((long)tiles * chunks * LaunchGeometry.GroupSize), x.BaseView, partials.View.BaseView, firstPass);
            kernel(stream, _geometry.GridStride((long)tiles * LaunchGeometry.GroupSize), partials.View.BaseView, output.BaseView, secondPass);
        }
    }

    /// <summary>
    /// Per stream, per column tile, the count of groups of a <see cref="ReluColumnSumsKernel"/> launch that have
    /// finished: zero between launches (each tile's last group resets its count), so set once, when allocated.
    /// </summary>
    private MemoryBuffer1D<int, Stride1D.Dense> FinishedGroupsFor(AcceleratorStream stream, int tiles) =>
        StreamBuffer(_finishedGroupsByStream, stream, tiles, minimumLength: 64, zeroed: true);

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ReluColumnSumsArguments> LoadReluColumnSums()
    {
        lock (_lock)
        {
            return _reluColumnSums ??= KernelLoading.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<float>, ArrayView<int>, ArrayView<float>, ReluColumnSumsArguments>>(
                _accelerator, typeof(ReluColumnSumsKernel), nameof(ReluColumnSumsKernel.Run));
        }
    }

    /// <summary>Per stream, room for the chunk sums of a two-pass column reduction, grown when a larger one comes.</summary>
    private MemoryBuffer1D<float, Stride1D.Dense> ColumnPartialsFor(AcceleratorStream stream, long length) =>
        StreamBuffer(_columnPartialsByStream, stream, length, minimumLength: 4096, zeroed: false);

    /// <summary>The stream's buffer in <paramref name="byStream"/>, replaced by a larger one (zeroed if asked) when shorter than <paramref name="length"/>.</summary>
    private MemoryBuffer1D<T, Stride1D.Dense> StreamBuffer<T>(
        Dictionary<AcceleratorStream, MemoryBuffer1D<T, Stride1D.Dense>> byStream, AcceleratorStream stream, long length, long minimumLength, bool zeroed)
        where T : unmanaged
    {
        lock (_lock)
        {
            if (!byStream.TryGetValue(stream, out var buffer) || buffer.Length < length)
            {
                // Work queued earlier on this stream, or a recorded graph, may still use the old buffer.
                if (buffer is not null)
                {
                    _retirement.Retire(stream, buffer);
                }

                buffer = _accelerator.Allocate1D<T>(Math.Max(length, minimumLength));
                if (zeroed)
                {
                    buffer.MemSetToZero(stream);
                }

                byStream[stream] = buffer;
            }

            _retirement.Used(buffer);
            return buffer;
        }
    }

    /// <summary>
    /// The longest input a full reduction reads with one group in one launch (sixteen elements per thread); longer ones
    /// take two passes, many groups then one.
    /// </summary>
    internal const int SingleGroupLength = 16 * LaunchGeometry.GroupSize;

    private void LaunchFull(
        AcceleratorStream stream, string op, bool max, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, float scale, bool accumulate)
    {
        if (x.Length <= 0 || x.Length > int.MaxValue)
        {
            throw new ArgumentException($"{op}: input length {x.Length} is outside 1..{int.MaxValue}.", nameof(x));
        }

        ViewChecks.Vector(op, nameof(output), output, 1);
        int length = (int)x.Length;
        var finishKernel = Kernel(max ? Kind.MaxFinish : Kind.SumFinish);
        if (length <= SingleGroupLength)
        {
            // Short (a batch's losses): one group reads it all, one launch instead of two.
            var whole = new ReductionArguments { Length = length, Scale = scale, Accumulate = accumulate ? 1 : 0 };
            finishKernel(stream, new KernelConfig(1, LaunchGeometry.GroupSize), x.BaseView, output.BaseView, whole);
            return;
        }

        var firstPass = _geometry.GridStride((length + 3) / 4);
        var args = new ReductionArguments { Length = length, Vector = ViewChecks.IsAligned16(x) ? 1 : 0 };
        var finish = new ReductionArguments { Length = firstPass.GridDim.X, Scale = scale, Accumulate = accumulate ? 1 : 0 };
        var partialsKernel = Kernel(max ? Kind.MaxPartials : Kind.SumPartials);

        // Both passes are queued under one lock: another full reduction on the stream must not overwrite the
        // partials between them.
        lock (PassLock)
        {
            var partials = PartialsFor(stream);
            partialsKernel(stream, firstPass, x.BaseView, partials.View.BaseView, args);
            finishKernel(stream, new KernelConfig(1, LaunchGeometry.GroupSize), partials.View.BaseView, output.BaseView, finish);
        }
    }

    // Each stream gets its own partials buffer, so full reductions on different streams cannot overwrite each other's.
    internal MemoryBuffer1D<float, Stride1D.Dense> PartialsFor(AcceleratorStream stream)
    {
        lock (_lock)
        {
            // Sized once per stream for the largest grid, so it never grows.
            if (!_partialsByStream.TryGetValue(stream, out var buffer))
            {
                buffer = _accelerator.Allocate1D<float>(Math.Max(_geometry.MaxGridGroups, 1024));
                _partialsByStream[stream] = buffer;
            }

            return buffer;
        }
    }

    private Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ReductionArguments> Kernel(Kind kind)
    {
        var kernel = _kernels[(int)kind];
        if (kernel is not null)
        {
            return kernel;
        }

        var (name, reduction) = KernelOf(kind);
        lock (_lock)
        {
            return _kernels[(int)kind] ??= KernelLoading.Load<Action<AcceleratorStream, KernelConfig, ArrayView<float>, ArrayView<float>, ReductionArguments>>(
                _accelerator, typeof(ReductionKernel), name, reduction);
        }
    }

    private static (string Name, Type Reduction) KernelOf(Kind kind) => kind switch
        {
            Kind.SumOverLastAxis => (nameof(ReductionKernel.OverLastAxis), typeof(SumReduction)),
            Kind.MaxOverLastAxis => (nameof(ReductionKernel.OverLastAxis), typeof(MaxReduction)),
            Kind.SumOverRows => (nameof(ReductionKernel.OverRows), typeof(SumReduction)),
            Kind.MaxOverRows => (nameof(ReductionKernel.OverRows), typeof(MaxReduction)),
            Kind.SumPartials => (nameof(ReductionKernel.Partials), typeof(SumReduction)),
            Kind.SumFinish => (nameof(ReductionKernel.Finish), typeof(SumReduction)),
            Kind.MaxPartials => (nameof(ReductionKernel.Partials), typeof(MaxReduction)),
            _ => (nameof(ReductionKernel.Finish), typeof(MaxReduction)),
        };
}
