using System;

namespace AutoDiffGen;

/// <summary>Work captured by a device backend (a CUDA graph), replayed by <see cref="DeviceGraph"/>.</summary>
internal interface ICapturedWork : IDisposable
{
    /// <summary>How a replay runs, for <see cref="DeviceGraph.HowReplayed"/>.</summary>
    string Description { get; }

    /// <summary>Queues the captured work once more.</summary>
    void Replay();
}
