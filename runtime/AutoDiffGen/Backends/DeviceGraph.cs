using System;

namespace AutoDiffGen;

/// <summary>
/// Device work recorded once and replayed: a whole training step (forward, backward, update) queued with one call
/// instead of one launch per op. On CUDA it is a CUDA graph captured from the device's stream, which removes the
/// per-launch host cost that dominates small batches; on the other devices <see cref="Replay"/> runs the recorded
/// action again, so the same program runs everywhere. Create one with <see cref="Device.Record"/>.
/// </summary>
/// <remarks>
/// A replay repeats exactly the work that was queued while recording: the same kernels, over the same tensors' memory,
/// with the same scalar arguments (a learning rate, a seed). New data goes in by copying it into the recorded tensors
/// (<see cref="Tensor.CopyFrom(ReadOnlySpan{float})"/>) before a replay; a scalar that changes from step to step needs a
/// new recording. Tensors the recorded work uses must stay alive, and keep their shapes, as long as the graph does.
/// </remarks>
public sealed class DeviceGraph : IDisposable
{
    private readonly Action? _action;
    private readonly ICapturedWork? _captured;
    private bool _disposed;

    internal DeviceGraph(Device device, Action action, string howReplayed)
    {
        Device = device;
        _action = action;
        HowReplayed = howReplayed;
    }

    internal DeviceGraph(Device device, ICapturedWork captured)
    {
        Device = device;
        _captured = captured;
        HowReplayed = captured.Description;
    }

    /// <summary>The device the work runs on.</summary>
    public Device Device { get; }

    /// <summary>True when the work was captured as a device-side graph; false when a replay runs the action again.</summary>
    public bool IsCaptured => _captured is not null;

    /// <summary>How a replay runs, for logs: e.g. <c>CUDA graph of 31 launches</c>, or why the action runs again instead.</summary>
    public string HowReplayed { get; }

    /// <summary>Queues the recorded work once more. Like any device work, it runs asynchronously; reading a tensor waits for it.</summary>
    /// <exception cref="ObjectDisposedException">The graph was disposed.</exception>
    public void Replay()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_captured is not null)
        {
            _captured.Replay();
        }
        else
        {
            _action!();
        }
    }

    /// <summary>Releases the captured graph (nothing to release when the action is replayed).</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _captured?.Dispose();
    }
}
