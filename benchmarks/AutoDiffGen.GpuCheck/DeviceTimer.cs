using System;
using System.Collections.Generic;
using System.Diagnostics;
using ILGPU.Runtime;

namespace AutoDiffGen.GpuCheck;

/// <summary>
/// Times work queued on one stream: warm-up launches first, then several repetitions, each timed on
/// the device between two profiling markers (CUDA events on a GPU) around a batch of launches, so
/// launch latency on the host does not count. Reports the median over repetitions.
/// </summary>
internal sealed class DeviceTimer(AcceleratorStream stream, int warmups, int repetitions)
{
    /// <summary>Median seconds per call of <paramref name="work"/>, which must only queue work on the stream.</summary>
    public double MedianSeconds(Action work, int callsPerRepetition = 1)
    {
        for (int i = 0; i < warmups; i++)
        {
            work();
        }

        stream.Synchronize();
        var samples = new List<double>(repetitions);
        for (int r = 0; r < repetitions; r++)
        {
            using var start = stream.AddProfilingMarker();
            for (int i = 0; i < callsPerRepetition; i++)
            {
                work();
            }

            using var end = stream.AddProfilingMarker();
            end.Synchronize();
            samples.Add(end.MeasureFrom(start).TotalSeconds / callsPerRepetition);
        }

        samples.Sort();
        return samples[samples.Count / 2];
    }

    /// <summary>Host bytes allocated per call of <paramref name="work"/> after warm-up (the steady state).</summary>
    public long AllocatedBytesPerCall(Action work, int calls = 20)
    {
        work();
        stream.Synchronize();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < calls; i++)
        {
            work();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        stream.Synchronize();
        return allocated / calls;
    }

    /// <summary>Wall-clock seconds of a one-off action (e.g. compiling kernels), synchronised at the end.</summary>
    public double WallSeconds(Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        stream.Synchronize();
        return watch.Elapsed.TotalSeconds;
    }
}
