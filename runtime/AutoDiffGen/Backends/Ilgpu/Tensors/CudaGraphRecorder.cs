using System;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

/// <summary>
/// <see cref="Device.Record"/> on a CUDA GPU: the ops the work queues go to a non-blocking stream under CUDA stream
/// capture instead of the default stream, and the captured graph is instantiated once. A replay launches the whole
/// graph on the default stream, so it stays ordered with every other op of the device. This saves ILGPU's host-side
/// cost per launch (several microseconds each), which is most of a small training step's time.
/// </summary>
internal static class CudaGraphRecorder
{
    private static readonly object CaptureStreamLock = new();

    public static DeviceGraph Record(IlgpuTensorDevice device, IlgpuBackend backend, Action work)
    {
        var api = CudaGraphApi.TryLoad(out string? failure);
        if (api is null)
        {
            return new DeviceGraph(device, work, $"{device.Name}: each replay runs the recorded action again, because {failure}");
        }

        var accelerator = (CudaAccelerator)backend.Kernels.Accelerator;
        accelerator.Bind();

        // Work queued before the recording is not part of it; let it finish so the capture starts from a quiet device.
        backend.DefaultStream.Synchronize();
        var stream = CaptureStream(backend, accelerator);
        IntPtr graph = IntPtr.Zero;
        IntPtr executable = IntPtr.Zero;
        api.BeginCapture(stream.StreamPtr);
        backend.RecordingStream = stream;
        backend.Kernels.Retirement.BeginRecording();
        try
        {
            work();
        }
        catch (Exception e)
        {
            backend.RecordingStream = null;
            backend.Kernels.Retirement.EndRecording();
            api.AbandonCapture(stream.StreamPtr);

            // The work's own errors (a shape mismatch, say) stay what they are; the driver's mean it broke the capture.
            if (e is not CudaException)
            {
                throw;
            }

            throw new InvalidOperationException(
                $"Device.Record on {device.Name}: the work failed while it was being captured ({e.GetType().Name}: {e.Message}). " +
                "Recorded work may only queue device work: it cannot read values back (ToScalar, ToArray, CopyTo) or wait for the device. " +
                "A generated ...GradientOnDevice method writes the loss into a tensor instead of returning it.",
                e);
        }

        backend.RecordingStream = null;
        backend.Kernels.Retirement.EndRecording();
        try
        {
            graph = api.EndCapture(stream.StreamPtr);
            executable = api.Instantiate(graph);
            int nodes = api.NodeCount(graph);
            var defaultStream = ((CudaStream)backend.DefaultStream).StreamPtr;
            return new DeviceGraph(device, new CudaGraph(api, accelerator, graph, executable, defaultStream, $"{device.Name}: a CUDA graph of {nodes} nodes"));
        }
        catch (InvalidOperationException e)
        {
            api.Destroy(executable, graph);
            throw new InvalidOperationException(
                $"Device.Record on {device.Name}: the captured work could not become a CUDA graph ({e.Message}). " +
                "Recorded work may only queue device work: it cannot read values back or wait for the device.",
                e);
        }
    }

    /// <summary>One capture stream per device, created on the first recording and reused, so its workspaces are too.</summary>
    private static CudaStream CaptureStream(IlgpuBackend backend, CudaAccelerator accelerator)
    {
        lock (CaptureStreamLock)
        {
            // Non-blocking: the capture must not be tied to the legacy default stream, which other threads may use.
            return backend.CaptureStream ??= (CudaStream)accelerator.CreateStream(StreamFlags.CU_STREAM_NON_BLOCKING);
        }
    }

    private sealed class CudaGraph(CudaGraphApi api, Accelerator accelerator, IntPtr graph, IntPtr executable, IntPtr stream, string description)
        : ICapturedWork
    {
        private IntPtr _graph = graph;
        private IntPtr _executable = executable;

        public string Description => description;

        public void Replay()
        {
            // The default stream belongs to the context that is current on this thread: make it the accelerator's.
            accelerator.Bind();
            api.Launch(_executable, stream);
        }

        public void Dispose()
        {
            accelerator.Bind();
            api.Destroy(_executable, _graph);
            _executable = IntPtr.Zero;
            _graph = IntPtr.Zero;
        }
    }
}
