using System.Collections.Generic;
using System.Threading;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Decides what happens to a workspace or scratch buffer that an op outgrew. Normally it is freed once the work queued
/// on it has finished. But a recorded graph (<see cref="DeviceGraph"/>) keeps the addresses of the buffers it was
/// recorded with: those are kept alive for the device's lifetime instead, and nothing waits for the device while a
/// recording is under way (waiting would break the capture).
/// </summary>
internal sealed class BufferRetirement
{
    private readonly object _lock = new();
    private readonly HashSet<MemoryBuffer> _recorded = new(ReferenceEqualityComparer.Instance);
    private readonly List<MemoryBuffer> _kept = [];
    private int _recordings;

    /// <summary>Whether work is being recorded into a graph now.</summary>
    public bool IsRecording => Volatile.Read(ref _recordings) > 0;

    public void BeginRecording() => Interlocked.Increment(ref _recordings);

    public void EndRecording() => Interlocked.Decrement(ref _recordings);

    /// <summary>Notes that an op handed out <paramref name="buffer"/>; while recording, a graph will use it.</summary>
    public void Used(MemoryBuffer buffer)
    {
        if (IsRecording)
        {
            lock (_lock)
            {
                _recorded.Add(buffer);
            }
        }
    }

    /// <summary>Frees <paramref name="old"/>, which its owner has replaced by a larger buffer, or keeps it for the graphs that use it.</summary>
    public void Retire(AcceleratorStream stream, MemoryBuffer old)
    {
        lock (_lock)
        {
            if (IsRecording || _recorded.Contains(old))
            {
                _kept.Add(old);
                return;
            }
        }

        // Work queued earlier may still use the old buffer.
        stream.Synchronize();
        old.Dispose();
    }

    /// <summary>Frees the buffers kept for graphs; the device is going away.</summary>
    public void Dispose()
    {
        lock (_lock)
        {
            foreach (var buffer in _kept)
            {
                buffer.Dispose();
            }

            _kept.Clear();
            _recorded.Clear();
        }
    }
}
