using System;
using System.Runtime.InteropServices;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// The few CUDA driver entry points that stream capture and graph replay need, which ILGPU 1.5 does not wrap. Resolved
/// from the driver library at first use; when any is missing (an old driver, no driver), <see cref="TryLoad"/> says which
/// and graphs are not used.
/// </summary>
internal sealed unsafe class CudaGraphApi
{
    /// <summary>cudaStreamCaptureModeRelaxed: the captured work may allocate (buffers grown on first use) while it records.</summary>
    private const int CaptureModeRelaxed = 2;

    private static readonly object LoadLock = new();
    private static CudaGraphApi? _loaded;
    private static string? _loadFailure;

    private readonly delegate* unmanaged<IntPtr, int, int> _beginCapture;
    private readonly delegate* unmanaged<IntPtr, IntPtr*, int> _endCapture;
    private readonly delegate* unmanaged<IntPtr*, IntPtr, ulong, int> _instantiate;
    private readonly delegate* unmanaged<IntPtr, IntPtr, int> _launch;
    private readonly delegate* unmanaged<IntPtr, int> _destroyExec;
    private readonly delegate* unmanaged<IntPtr, int> _destroyGraph;
    private readonly delegate* unmanaged<IntPtr, IntPtr*, nuint*, int> _getNodes;
    private readonly delegate* unmanaged<int, byte**, int> _errorName;
    private readonly delegate* unmanaged<IntPtr, int*, int> _isCapturing;

    private CudaGraphApi(IntPtr library)
    {
        _beginCapture = (delegate* unmanaged<IntPtr, int, int>)NativeLibrary.GetExport(library, "cuStreamBeginCapture_v2");
        _endCapture = (delegate* unmanaged<IntPtr, IntPtr*, int>)NativeLibrary.GetExport(library, "cuStreamEndCapture");
        _instantiate = (delegate* unmanaged<IntPtr*, IntPtr, ulong, int>)NativeLibrary.GetExport(library, "cuGraphInstantiateWithFlags");
        _launch = (delegate* unmanaged<IntPtr, IntPtr, int>)NativeLibrary.GetExport(library, "cuGraphLaunch");
        _destroyExec = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "cuGraphExecDestroy");
        _destroyGraph = (delegate* unmanaged<IntPtr, int>)NativeLibrary.GetExport(library, "cuGraphDestroy");
        _getNodes = (delegate* unmanaged<IntPtr, IntPtr*, nuint*, int>)NativeLibrary.GetExport(library, "cuGraphGetNodes");
        _errorName = (delegate* unmanaged<int, byte**, int>)NativeLibrary.GetExport(library, "cuGetErrorName");
        _isCapturing = (delegate* unmanaged<IntPtr, int*, int>)NativeLibrary.GetExport(library, "cuStreamIsCapturing");
    }

    /// <summary>The driver's graph functions, or null with <paramref name="failure"/> saying what is missing.</summary>
    public static CudaGraphApi? TryLoad(out string? failure)
    {
        lock (LoadLock)
        {
            if (_loaded is null && _loadFailure is null)
            {
                try
                {
                    string name = OperatingSystem.IsWindows() ? "nvcuda.dll" : "libcuda.so.1";
                    _loaded = new CudaGraphApi(NativeLibrary.Load(name));
                }
                catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException or BadImageFormatException)
                {
                    _loadFailure = $"the CUDA driver has no graph API here ({e.Message})";
                }
            }

            failure = _loadFailure;
            return _loaded;
        }
    }

    public void BeginCapture(IntPtr stream) => Check(_beginCapture(stream, CaptureModeRelaxed), "cuStreamBeginCapture");

    /// <summary>Ends the capture; returns the captured graph, or throws when the capture was invalidated.</summary>
    public IntPtr EndCapture(IntPtr stream)
    {
        IntPtr graph;
        Check(_endCapture(stream, &graph), "cuStreamEndCapture");
        return graph;
    }

    /// <summary>Ends a capture that failed part-way, so the stream can be used again; whatever was captured is dropped.</summary>
    public void AbandonCapture(IntPtr stream)
    {
        IntPtr graph;
        if (_endCapture(stream, &graph) == 0 && graph != IntPtr.Zero)
        {
            _destroyGraph(graph);
        }
    }

    public IntPtr Instantiate(IntPtr graph)
    {
        IntPtr executable;
        Check(_instantiate(&executable, graph, 0), "cuGraphInstantiateWithFlags");
        return executable;
    }

    /// <summary>How many nodes (kernels, copies, memsets) the graph holds.</summary>
    public int NodeCount(IntPtr graph)
    {
        nuint count = 0;
        Check(_getNodes(graph, null, &count), "cuGraphGetNodes");
        return (int)count;
    }

    /// <summary>Whether work queued on <paramref name="stream"/> now is being captured into a graph rather than run.</summary>
    public bool IsCapturing(IntPtr stream)
    {
        int status = 0;
        Check(_isCapturing(stream, &status), "cuStreamIsCapturing");

        // CU_STREAM_CAPTURE_STATUS_ACTIVE = 1 (0: none, 2: invalidated).
        return status == 1;
    }

    public void Launch(IntPtr executable, IntPtr stream) => Check(_launch(executable, stream), "cuGraphLaunch");

    public void Destroy(IntPtr executable, IntPtr graph)
    {
        if (executable != IntPtr.Zero)
        {
            _destroyExec(executable);
        }

        if (graph != IntPtr.Zero)
        {
            _destroyGraph(graph);
        }
    }

    private void Check(int status, string function)
    {
        if (status != 0)
        {
            throw new InvalidOperationException($"{function} failed: {ErrorName(status)} ({status}).");
        }
    }

    private string ErrorName(int status)
    {
        byte* name = null;
        return _errorName(status, &name) == 0 && name != null ? Marshal.PtrToStringAnsi((IntPtr)name) ?? "unknown" : "unknown";
    }
}
