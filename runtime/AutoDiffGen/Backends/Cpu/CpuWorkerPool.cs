using System;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace AutoDiffGen.Backends.Cpu;

/// <summary>
/// A small persistent pool that splits one kernel call into chunks run by the calling thread and
/// <see cref="Environment.ProcessorCount"/> − 1 worker threads. Unlike <c>Parallel.For</c> it allocates nothing
/// per call: the work is a function pointer plus a pointer to the caller's state, which stays on the caller's stack
/// because <see cref="Run"/> returns only when every chunk has finished.
/// </summary>
/// <remarks>
/// Workers spin briefly after each call (training steps issue kernels back to back, and waking a sleeping thread
/// costs tens of microseconds), then sleep on a semaphore. One call runs at a time; a second thread that calls
/// while the pool is busy runs its chunks alone instead of waiting.
/// </remarks>
internal sealed unsafe class CpuWorkerPool
{
    // A chunk is claimed by a compare-exchange on one 64-bit ticket: the generation in the high half and the next
    // chunk index in the low half. A worker that read an old generation's work can therefore never claim a chunk of
    // a newer call. While a call is being published the low half reads Closed, so nothing is claimed half-written.
    private const uint Closed = uint.MaxValue;
    private static readonly long SpinTicks = System.Diagnostics.Stopwatch.Frequency / 5000; // 200 µs

    private readonly Worker[] _workers;
    private readonly object _callLock = new();
    private long _ticket = Closed;
    private delegate*<void*, int, void> _body;
    private void* _state;
    private int _chunkCount;
    private int _unfinished;
    private Exception? _failure;

    private CpuWorkerPool(int threadCount)
    {
        _workers = new Worker[Math.Max(threadCount - 1, 0)];
        for (int i = 0; i < _workers.Length; i++)
        {
            _workers[i] = new Worker(this, i + 1);
        }
    }

    /// <summary>The process-wide pool, one thread per processor including the caller.</summary>
    public static CpuWorkerPool Shared { get; } = new(Environment.ProcessorCount);

    /// <summary>How many threads run chunks of one call, the caller included.</summary>
    public int ThreadCount => _workers.Length + 1;

    /// <summary>
    /// Runs <c>body(state, chunk)</c> for every chunk in [0, <paramref name="chunkCount"/>) across the pool and returns
    /// when all have finished. Chunks must be independent. The first exception a chunk throws is rethrown here.
    /// </summary>
    public void Run(delegate*<void*, int, void> body, void* state, int chunkCount)
    {
        if (chunkCount <= 0)
        {
            return;
        }

        if (chunkCount == 1 || _workers.Length == 0 || !Monitor.TryEnter(_callLock))
        {
            for (int chunk = 0; chunk < chunkCount; chunk++)
            {
                body(state, chunk);
            }

            return;
        }

        try
        {
            long generation = (Interlocked.Exchange(ref _ticket, Closed) >> 32) + 1;
            _body = body;
            _state = state;
            _chunkCount = chunkCount;
            _unfinished = chunkCount;
            _failure = null;

            // A full fence (not just a release): the wake-up check below must not read a worker's state before
            // this store is visible, or a worker going to sleep at that moment could miss the call. The ticket
            // starts at chunk 1: chunk 0 is always the caller's own, so every thread-local scratch buffer a call
            // needs on the calling thread is made by its first call (the warm-up), whichever chunks the workers take.
            Interlocked.Exchange(ref _ticket, (generation << 32) | 1);
            foreach (var worker in _workers)
            {
                worker.Wake();
            }

            RunChunk(body, state, 0);
            RunChunks(generation << 32);

            var spinner = default(SpinWait);
            while (Volatile.Read(ref _unfinished) != 0)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            Interlocked.Exchange(ref _ticket, (generation << 32) | Closed);
            if (_failure is { } failure)
            {
                _failure = null;
                ExceptionDispatchInfo.Throw(failure);
            }
        }
        finally
        {
            Monitor.Exit(_callLock);
        }
    }

    /// <summary>Claims and runs chunks of the call whose ticket was <paramref name="seen"/> until none are left.</summary>
    private void RunChunks(long seen)
    {
        while (true)
        {
            long ticket = Volatile.Read(ref _ticket);
            if ((ticket >> 32) != (seen >> 32) || (uint)ticket == Closed)
            {
                return;
            }

            var body = _body;
            void* state = _state;
            int count = _chunkCount;
            int chunk = (int)(uint)ticket;
            if (chunk >= count)
            {
                return;
            }

            // The compare-exchange succeeds only if the ticket did not move since it was read, so body, state and
            // count above belong to this call: a new call closes the ticket before it writes them.
            if (Interlocked.CompareExchange(ref _ticket, ticket + 1, ticket) != ticket)
            {
                continue;
            }

            RunChunk(body, state, chunk);
        }
    }

    private void RunChunk(delegate*<void*, int, void> body, void* state, int chunk)
    {
        try
        {
            body(state, chunk);
        }
        catch (Exception exception)
        {
            Interlocked.CompareExchange(ref _failure, exception, null);
        }
        finally
        {
            Interlocked.Decrement(ref _unfinished);
        }
    }

    private sealed class Worker
    {
        private const int Awake = 0;
        private const int Sleeping = 1;

        private readonly CpuWorkerPool _pool;
        private readonly SemaphoreSlim _signal = new(0);
        private int _state = Awake;

        public Worker(CpuWorkerPool pool, int index)
        {
            _pool = pool;
            var thread = new Thread(Loop)
            {
                IsBackground = true,
                Name = $"AutoDiffGen CPU worker {index}",
            };
            thread.Start();
        }

        public void Wake()
        {
            if (Volatile.Read(ref _state) == Sleeping && Interlocked.CompareExchange(ref _state, Awake, Sleeping) == Sleeping)
            {
                _signal.Release();
            }
        }

        private void Loop()
        {
            long lastGeneration = Volatile.Read(ref _pool._ticket) >> 32;
            while (true)
            {
                long ticket = WaitForNewCall(lastGeneration);
                lastGeneration = ticket >> 32;
                _pool.RunChunks(ticket);
            }
        }

        private long WaitForNewCall(long lastGeneration)
        {
            while (true)
            {
                long deadline = System.Diagnostics.Stopwatch.GetTimestamp() + SpinTicks;
                do
                {
                    for (int spin = 0; spin < 64; spin++)
                    {
                        long ticket = Volatile.Read(ref _pool._ticket);
                        if ((ticket >> 32) != lastGeneration && (uint)ticket != Closed)
                        {
                            return ticket;
                        }

                        Thread.SpinWait(1);
                    }
                }
                while (System.Diagnostics.Stopwatch.GetTimestamp() < deadline);

                // Announce sleep, then look once more: a call published in between either sees Sleeping and
                // releases the semaphore, or is seen here. A wake-up that races with our own CAS back to Awake
                // leaves a release behind, which only costs one extra empty pass through the loop.
                Interlocked.Exchange(ref _state, Sleeping);
                long latest = Volatile.Read(ref _pool._ticket);
                if ((latest >> 32) != lastGeneration && (uint)latest != Closed)
                {
                    if (Interlocked.CompareExchange(ref _state, Awake, Sleeping) != Sleeping)
                    {
                        _signal.Wait();
                    }

                    return latest;
                }

                _signal.Wait();
            }
        }
    }
}
