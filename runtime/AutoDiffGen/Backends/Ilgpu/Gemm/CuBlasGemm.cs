using System;
using ILGPU;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// Row-major float32 products through cuBLAS on one CUDA accelerator: a handle created in the accelerator's context and
/// a workspace of its own, so cuBLAS allocates nothing while a step is recorded and a recorded graph keeps a valid
/// workspace. Calls are serialised: a cuBLAS handle is not safe to use from two threads at once.
/// </summary>
internal sealed class CuBlasGemm : IDisposable
{
    /// <summary>The most rows <see cref="SumOverRows"/> sums: the length of its vector of ones (4 MiB).</summary>
    public const int MaxSummedRows = 1 << 20;

    /// <summary>The workspace cuBLAS recommends for Hopper GPUs (32 MiB); smaller GPUs need less, none needs more.</summary>
    private const long WorkspaceBytes = 32L << 20;

    private readonly CuBlasApi _api;
    private readonly CudaAccelerator _accelerator;
    private readonly MemoryBuffer1D<byte, Stride1D.Dense> _workspace;
    private readonly MemoryBuffer1D<float, Stride1D.Dense> _ones;
    private readonly object _lock = new();
    private IntPtr _handle;
    private IntPtr _boundStream = new(-1);

    private CuBlasGemm(
        CuBlasApi api, CudaAccelerator accelerator, IntPtr handle, MemoryBuffer1D<byte, Stride1D.Dense> workspace, MemoryBuffer1D<float, Stride1D.Dense> ones)
    {
        _api = api;
        _accelerator = accelerator;
        _handle = handle;
        _workspace = workspace;
        _ones = ones;
        Description = $"cuBLAS {FormatVersion(api.Version(handle))} ({api.LibraryName})";
    }

    /// <summary>Which cuBLAS runs the products, e.g. <c>cuBLAS 12.8.4 (libcublas.so.12)</c>.</summary>
    public string Description { get; }

    /// <summary>cuBLAS on <paramref name="accelerator"/>, or null with <paramref name="failure"/> saying why it cannot be used.</summary>
    public static CuBlasGemm? TryCreate(CudaAccelerator accelerator, out string? failure)
    {
        var api = CuBlasApi.TryLoad(out failure);
        if (api is null)
        {
            return null;
        }

        MemoryBuffer1D<byte, Stride1D.Dense>? workspace = null;
        MemoryBuffer1D<float, Stride1D.Dense>? ones = null;
        IntPtr handle = IntPtr.Zero;
        try
        {
            // The handle belongs to the context current on this thread: make it the accelerator's.
            accelerator.Bind();
            handle = api.Create();
            api.SetDefaultMath(handle);
            workspace = accelerator.Allocate1D<byte>(WorkspaceBytes);

            // Filled once here, where nothing is being recorded: a copy from the host may not join a captured graph.
            ones = accelerator.Allocate1D<float>(MaxSummedRows);
            var hostOnes = new float[MaxSummedRows];
            Array.Fill(hostOnes, 1f);
            ones.View.CopyFromCPU(accelerator.DefaultStream, hostOnes);
            accelerator.DefaultStream.Synchronize();
            var gemm = new CuBlasGemm(api, accelerator, handle, workspace, ones);
            failure = null;
            return gemm;
        }
        catch (Exception e) when (e is InvalidOperationException or CudaException or OutOfMemoryException)
        {
            workspace?.Dispose();
            ones?.Dispose();
            if (handle != IntPtr.Zero)
            {
                api.Destroy(handle);
            }

            failure = $"cuBLAS ({api.LibraryName}) could not start on {accelerator.Name}: {e.Message}";
            return null;
        }
    }

    /// <summary>
    /// C = alpha · op(A) · op(B) + beta · C with row-major A, B and C, shapes as in <see cref="GemmKernels.Gemm"/>.
    /// cuBLAS is column-major, and a row-major matrix is the column-major storage of its transpose, so it computes
    /// Cᵀ = op(B)ᵀ · op(A)ᵀ: B first, A second, and the same transpose flags.
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
        lock (_lock)
        {
            PrepareCall(stream);
            _api.Sgemm(
                _handle,
                transposeB,
                transposeA,
                n,
                m,
                k,
                alpha,
                b.BaseView.LoadEffectiveAddressAsPtr(),
                transposeB ? k : n,
                a.BaseView.LoadEffectiveAddressAsPtr(),
                transposeA ? m : k,
                beta,
                c.BaseView.LoadEffectiveAddressAsPtr(),
                n);
        }
    }

    /// <summary>
    /// output[c] = scale · Σ_r x[r, c] (+ output[c] when <paramref name="accumulate"/>) for a row-major [rows, cols] x,
    /// at most <see cref="MaxSummedRows"/> rows: the column sums as one matrix-vector product with a vector of ones,
    /// one launch where the reduction kernels take two (a bias gradient).
    /// </summary>
    public void SumOverRows(
        AcceleratorStream stream, ArrayView1D<float, Stride1D.Dense> x, ArrayView1D<float, Stride1D.Dense> output, int rows, int cols, float scale, bool accumulate)
    {
        lock (_lock)
        {
            PrepareCall(stream);

            // Row-major x is the column-major [cols, rows] matrix cuBLAS sees; times ones(rows) gives the column sums.
            _api.Sgemv(
                _handle,
                transpose: false,
                cols,
                rows,
                scale,
                x.BaseView.LoadEffectiveAddressAsPtr(),
                cols,
                _ones.View.BaseView.LoadEffectiveAddressAsPtr(),
                accumulate ? 1f : 0f,
                output.BaseView.LoadEffectiveAddressAsPtr());
        }
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        lock (_lock)
        {
            if (_handle == IntPtr.Zero)
            {
                return;
            }

            _accelerator.Bind();
            _api.Destroy(_handle);
            _handle = IntPtr.Zero;
            _workspace.Dispose();
            _ones.Dispose();
        }
    }

    // The caller holds _lock. cuBLAS uses the context current on the calling thread: the accelerator's.
    private void PrepareCall(AcceleratorStream stream)
    {
        ObjectDisposedException.ThrowIf(_handle == IntPtr.Zero, this);
        _accelerator.Bind();
        Bind(((CudaStream)stream).StreamPtr);
    }

    // cublasSetStream resets the workspace to cuBLAS's own pool, so the workspace is set again after every change.
    private void Bind(IntPtr stream)
    {
        if (stream == _boundStream)
        {
            return;
        }

        _api.SetStream(_handle, stream);
        _api.SetWorkspace(_handle, _workspace.View.BaseView.LoadEffectiveAddressAsPtr(), WorkspaceBytes);
        _boundStream = stream;
    }

    private static string FormatVersion(int version) => $"{version / 10000}.{version / 100 % 100}.{version % 100}";
}
