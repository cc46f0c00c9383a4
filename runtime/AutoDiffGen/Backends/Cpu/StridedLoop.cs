using System;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.Backends.Cpu;

/// <summary>
/// Walks up to four strided operands together over one shape of rank ≤ 4, calling a row kernel for each
/// innermost row. Axes along which every operand is dense are merged first (a contiguous tensor becomes one long
/// row), size-1 axes are dropped, and a broadcast operand has stride 0 along the axes it repeats.
/// </summary>
internal unsafe struct StridedLoop
{
    private Dims4 _shape;
    private Dims4 _stride0;
    private Dims4 _stride1;
    private Dims4 _stride2;
    private Dims4 _stride3;
    private float* _p0;
    private float* _p1;
    private float* _p2;
    private float* _p3;

    /// <summary>The number of elements visited.</summary>
    public readonly long Count => (long)_shape[0] * _shape[1] * _shape[2] * _shape[3];

    /// <summary>
    /// Prepares a walk over <paramref name="shape"/>. Each operand gives a base pointer and its strides aligned to
    /// <paramref name="shape"/> (one per axis, 0 where it is broadcast); unused operands pass null and default.
    /// </summary>
    public static StridedLoop Create(
        ReadOnlySpan<int> shape,
        float* p0, ReadOnlySpan<int> strides0,
        float* p1 = null, ReadOnlySpan<int> strides1 = default,
        float* p2 = null, ReadOnlySpan<int> strides2 = default,
        float* p3 = null, ReadOnlySpan<int> strides3 = default)
    {
        var loop = new StridedLoop { _p0 = p0, _p1 = p1, _p2 = p2, _p3 = p3 };

        // Fill from the innermost axis outwards, skipping size-1 axes and merging an axis into the one inside it
        // when every operand steps over that inner axis exactly once per step of the outer one.
        int filled = 0;
        for (int axis = shape.Length - 1; axis >= 0; axis--)
        {
            int size = shape[axis];
            if (size == 1)
            {
                continue;
            }

            int s0 = Get(strides0, axis), s1 = Get(strides1, axis), s2 = Get(strides2, axis), s3 = Get(strides3, axis);
            if (filled > 0)
            {
                int inner = 4 - filled;
                int innerSize = loop._shape[inner];
                if (s0 == loop._stride0[inner] * innerSize && s1 == loop._stride1[inner] * innerSize
                    && s2 == loop._stride2[inner] * innerSize && s3 == loop._stride3[inner] * innerSize)
                {
                    loop._shape[inner] = innerSize * size;
                    continue;
                }
            }

            filled++;
            int slot = 4 - filled;
            loop._shape[slot] = size;
            loop._stride0[slot] = s0;
            loop._stride1[slot] = s1;
            loop._stride2[slot] = s2;
            loop._stride3[slot] = s3;
        }

        if (filled == 0)
        {
            // One element (rank 0, or every axis of size 1): a row of one with unit strides. Left at 0, the strides
            // would read to the row kernels as an operand broadcast along the row, which gradient kernels sum into
            // instead of overwriting.
            loop._shape[3] = 1;
            loop._stride0[3] = loop._stride1[3] = loop._stride2[3] = loop._stride3[3] = 1;
            filled = 1;
        }

        for (int slot = 3 - filled; slot >= 0; slot--)
        {
            loop._shape[slot] = 1;
        }

        return loop;

        static int Get(ReadOnlySpan<int> strides, int axis) => strides.IsEmpty ? 0 : strides[axis];
    }

    /// <summary>Visits every row on the calling thread.</summary>
    public readonly void Run<TKernel>(ref TKernel kernel)
        where TKernel : unmanaged, IRowKernel
    {
        long rows = (long)_shape[0] * _shape[1] * _shape[2];
        if (rows == 0 || _shape[3] == 0)
        {
            return;
        }

        RunRange(ref kernel, 0, (int)rows, 0, _shape[3]);
    }

    /// <summary>
    /// Visits every row, split across the worker pool when there are at least <paramref name="minimumPerChunk"/>
    /// elements per thread. Only for kernels whose writes never collide (no operand written through a stride of 0).
    /// </summary>
    public readonly void RunParallel<TKernel>(ref TKernel kernel, long minimumPerChunk = 1 << 15)
        where TKernel : unmanaged, IRowKernel
    {
        long rows = (long)_shape[0] * _shape[1] * _shape[2];
        int columns = _shape[3];
        long count = rows * columns;
        if (count == 0)
        {
            return;
        }

        int chunks = (int)Math.Min(CpuWorkerPool.Shared.ThreadCount, count / minimumPerChunk);
        if (chunks <= 1)
        {
            RunRange(ref kernel, 0, (int)rows, 0, columns);
            return;
        }

        var work = new ParallelWork<TKernel>
        {
            Loop = (StridedLoop*)Unsafe.AsPointer(ref Unsafe.AsRef(in this)),
            Kernel = (TKernel*)Unsafe.AsPointer(ref kernel),
            Chunks = chunks,
        };
        CpuWorkerPool.Shared.Run(&RunChunk<TKernel>, &work, chunks);
    }

    private static void RunChunk<TKernel>(void* state, int chunk)
        where TKernel : unmanaged, IRowKernel
    {
        var work = (ParallelWork<TKernel>*)state;
        StridedLoop* loop = work->Loop;
        int rows = loop->_shape[0] * loop->_shape[1] * loop->_shape[2];
        int columns = loop->_shape[3];
        int chunks = work->Chunks;

        // Split rows when there are enough of them, else cut the single long row into pieces.
        if (rows >= chunks)
        {
            int start = (int)((long)rows * chunk / chunks), end = (int)((long)rows * (chunk + 1) / chunks);
            loop->RunRange(ref *work->Kernel, start, end, 0, columns);
        }
        else
        {
            int start = (int)((long)columns * chunk / chunks) & ~15, end = chunk == chunks - 1 ? columns : (int)((long)columns * (chunk + 1) / chunks) & ~15;
            loop->RunRange(ref *work->Kernel, 0, rows, start, end);
        }
    }

    private readonly void RunRange<TKernel>(ref TKernel kernel, int firstRow, int endRow, int firstColumn, int endColumn)
        where TKernel : unmanaged, IRowKernel
    {
        int n2 = _shape[2], n1 = _shape[1];
        int length = endColumn - firstColumn;
        if (length <= 0)
        {
            return;
        }

        for (int row = firstRow; row < endRow; row++)
        {
            int i2 = row % n2;
            int rest = row / n2;
            int i1 = rest % n1;
            int i0 = rest / n1;
            kernel.Run(
                length,
                _p0 + Offset(_stride0, i0, i1, i2, firstColumn), _stride0[3],
                _p1 + Offset(_stride1, i0, i1, i2, firstColumn), _stride1[3],
                _p2 + Offset(_stride2, i0, i1, i2, firstColumn), _stride2[3],
                _p3 + Offset(_stride3, i0, i1, i2, firstColumn), _stride3[3]);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static nint Offset(in Dims4 strides, int i0, int i1, int i2, int i3)
        => ((nint)i0 * strides[0]) + ((nint)i1 * strides[1]) + ((nint)i2 * strides[2]) + ((nint)i3 * strides[3]);

    private struct ParallelWork<TKernel>
        where TKernel : unmanaged, IRowKernel
    {
        public StridedLoop* Loop;
        public TKernel* Kernel;
        public int Chunks;
    }
}

/// <summary>Four ints held inline (shape or strides of one operand after merging).</summary>
[InlineArray(4)]
internal struct Dims4
{
    private int _element;
}

/// <summary>
/// The body of a <see cref="StridedLoop"/>: processes <c>n</c> elements of one row, where operand k starts at
/// <c>pk</c> and steps by <c>sk</c> elements (0 for a broadcast operand). Unused operands are null.
/// </summary>
internal unsafe interface IRowKernel
{
    void Run(int n, float* p0, nint s0, float* p1, nint s1, float* p2, nint s2, float* p3, nint s3);
}
