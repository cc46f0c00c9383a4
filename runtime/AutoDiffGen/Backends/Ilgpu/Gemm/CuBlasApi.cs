using System;
using System.Collections.Generic;
using System.Runtime.InteropServices;

namespace AutoDiffGen.Backends.Ilgpu.Gemm;

/// <summary>
/// The cuBLAS entry points float32 products need, resolved from the cuBLAS library at first use. Bound by hand
/// rather than through ILGPU.Algorithms' <c>CuBlas</c>: that binding knows library names up to cuBLAS 12 only and has no
/// <c>cublasSetWorkspace</c>, without which cuBLAS may allocate its own workspace while a step is being recorded into
/// a CUDA graph. When the library or a function is missing, <see cref="TryLoad"/> says which and the ILGPU kernels
/// multiply instead.
/// </summary>
internal sealed unsafe class CuBlasApi
{
    /// <summary>An environment variable naming the cuBLAS library file to load (a full path), for machines where it is not on the loader's path.</summary>
    public const string LibraryVariable = "AUTODIFFGEN_CUBLAS";

    private static readonly object LoadLock = new();
    private static CuBlasApi? _loaded;
    private static string? _loadFailure;

    private readonly delegate* unmanaged<IntPtr*, int> _create;
    private readonly delegate* unmanaged<IntPtr, int> _destroy;
    private readonly delegate* unmanaged<IntPtr, int*, int> _getVersion;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int> _setStream;
    private readonly delegate* unmanaged<IntPtr, IntPtr, nuint, int> _setWorkspace;
    private readonly delegate* unmanaged<IntPtr, int, int> _setMathMode;
    private readonly delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int> _sgemm;
    private readonly delegate* unmanaged<IntPtr, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int> _sgemv;
    private readonly delegate* unmanaged<int, byte*> _statusName;

    private CuBlasApi(IntPtr library, string libraryName)
    {
        LibraryName = libraryName;
        _create = (delegate* unmanaged<IntPtr*, int>)NativeLibrary.GetExport(library, "cublasCreate_v2");
        _destroy = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "cublasDestroy_v2");
        _getVersion = (delegate* unmanaged<IntPtr, int*, int>)NativeLibrary.GetExport(library, "cublasGetVersion_v2");
        _setStream = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(library, "cublasSetStream_v2");
        _setWorkspace = (delegate* unmanaged<IntPtr, IntPtr, nuint, int>)NativeLibrary.GetExport(library, "cublasSetWorkspace_v2");
        _setMathMode = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(library, "cublasSetMathMode");
        _sgemm = (delegate* unmanaged<IntPtr, int, int, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int>)
            NativeLibrary.GetExport(library, "cublasSgemm_v2");
        _sgemv = (delegate* unmanaged<IntPtr, int, int, int, float*, IntPtr, int, IntPtr, int, float*, IntPtr, int, int>)
            NativeLibrary.GetExport(library, "cublasSgemv_v2");
        _statusName = NativeLibrary.TryGetExport(library, "cublasGetStatusName", out var statusName)
            ? (delegate* unmanaged<int, byte*>)statusName
            : null;
    }

    /// <summary>The file name (or path) the library was loaded from.</summary>
    public string LibraryName { get; }

    /// <summary>
    /// cuBLAS, from <see cref="LibraryVariable"/> when set, else the newest of the names the CUDA installers and the
    /// <c>nvidia-cublas</c> Python wheels use that the loader finds; null with <paramref name="failure"/> saying why not.
    /// </summary>
    public static CuBlasApi? TryLoad(out string? failure)
    {
        lock (LoadLock)
        {
            if (_loaded is null && _loadFailure is null)
            {
                _loaded = Load(CandidateNames(), out _loadFailure);
            }

            failure = _loadFailure;
            return _loaded;
        }
    }

    /// <summary>The first of <paramref name="names"/> the loader finds, if it has every function; else null and why.</summary>
    internal static CuBlasApi? Load(IEnumerable<string> names, out string? failure)
    {
        var tried = new List<string>();
        foreach (var name in names)
        {
            tried.Add(name);
            if (!NativeLibrary.TryLoad(name, out var library))
            {
                continue;
            }

            try
            {
                failure = null;
                return new CuBlasApi(library, name);
            }
            catch (EntryPointNotFoundException e)
            {
                failure = $"{name} lacks a function AutoDiffGen needs ({e.Message}); cuBLAS 11.4 or newer is required";
                return null;
            }
        }

        failure = $"no cuBLAS library found (tried {string.Join(", ", tried)}); set {LibraryVariable} to the path of libcublas";
        return null;
    }

    private static IEnumerable<string> CandidateNames()
    {
        if (Environment.GetEnvironmentVariable(LibraryVariable) is { Length: > 0 } path)
        {
            yield return path;
            yield break;
        }

        foreach (var major in new[] { 13, 12, 11 })
        {
            yield return OperatingSystem.IsWindows() ? $"cublas64_{major}.dll" : $"libcublas.so.{major}";
        }

        if (!OperatingSystem.IsWindows())
        {
            yield return "libcublas.so";
        }
    }

    public IntPtr Create()
    {
        IntPtr handle;
        Check(_create(&handle), "cublasCreate");
        return handle;
    }

    public void Destroy(IntPtr handle) => _destroy(handle);

    /// <summary>The library's version as cuBLAS encodes it: major × 10000 + minor × 100 + patch (e.g. 120804).</summary>
    public int Version(IntPtr handle)
    {
        int version;
        Check(_getVersion(handle, &version), "cublasGetVersion");
        return version;
    }

    public void SetStream(IntPtr handle, IntPtr stream) => Check(_setStream(handle, stream), "cublasSetStream");

    public void SetWorkspace(IntPtr handle, IntPtr workspace, long bytes) =>
        Check(_setWorkspace(handle, workspace, (nuint)bytes), "cublasSetWorkspace");

    /// <summary>CUBLAS_DEFAULT_MATH: float32 products in float32, never TensorFloat-32 (which keeps 10 mantissa bits).</summary>
    public void SetDefaultMath(IntPtr handle) => Check(_setMathMode(handle, 0), "cublasSetMathMode");

    /// <summary>cublasSgemm in cuBLAS's own terms: column-major, alpha and beta read from host memory.</summary>
    public void Sgemm(
        IntPtr handle, bool transposeA, bool transposeB, int m, int n, int k, float alpha, IntPtr a, int lda, IntPtr b, int ldb, float beta, IntPtr c, int ldc)
    {
        // cublasOperation_t: CUBLAS_OP_N = 0, CUBLAS_OP_T = 1.
        int status = _sgemm(handle, transposeA ? 1 : 0, transposeB ? 1 : 0, m, n, k, &alpha, a, lda, b, ldb, &beta, c, ldc);
        if (status != 0)
        {
            throw new InvalidOperationException(
                $"cublasSgemm (m = {m}, n = {n}, k = {k}, transa = {transposeA}, transb = {transposeB}) failed: {StatusName(status)}. " +
                "Set AUTODIFFGEN_GEMM=ilgpu to multiply with AutoDiffGen's own kernels instead.");
        }
    }

    /// <summary>cublasSgemv, y = alpha · op(A) · x + beta · y, column-major, unit strides, alpha and beta from host memory.</summary>
    public void Sgemv(IntPtr handle, bool transpose, int m, int n, float alpha, IntPtr a, int lda, IntPtr x, float beta, IntPtr y)
    {
        int status = _sgemv(handle, transpose ? 1 : 0, m, n, &alpha, a, lda, x, 1, &beta, y, 1);
        if (status != 0)
        {
            throw new InvalidOperationException(
                $"cublasSgemv (m = {m}, n = {n}, trans = {transpose}) failed: {StatusName(status)}. " +
                "Set AUTODIFFGEN_GEMM=ilgpu to use AutoDiffGen's own kernels instead.");
        }
    }

    private void Check(int status, string function)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"{function} failed: {StatusName(status)}.");
        }
    }

    private string StatusName(int status)
    {
        string? name = _statusName is null ? null : Marshal.PtrToStringAnsi((IntPtr)_statusName(status));
        return $"{name ?? "cuBLAS status"} ({status})";
    }
}
