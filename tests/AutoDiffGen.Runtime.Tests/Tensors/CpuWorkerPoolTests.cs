using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AutoDiffGen.Backends.Cpu;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public unsafe class CpuWorkerPoolTests
{
    [Fact]
    public void EveryChunkRunsExactlyOnce()
    {
        var counts = new int[1000];
        fixed (int* p = counts)
        {
            for (int repeat = 0; repeat < 50; repeat++)
            {
                CpuWorkerPool.Shared.Run(&CountChunk, p, counts.Length);
            }
        }

        Assert.All(counts, c => Assert.Equal(50, c));
    }

    [Fact]
    public void AChunksExceptionReachesTheCallerAndThePoolKeepsWorking()
    {
        var error = Assert.Throws<InvalidOperationException>(() => CpuWorkerPool.Shared.Run(&ThrowOnChunkSeven, null, 16));
        Assert.Equal("chunk 7", error.Message);

        var counts = new int[8];
        fixed (int* p = counts)
        {
            CpuWorkerPool.Shared.Run(&CountChunk, p, counts.Length);
        }

        Assert.All(counts, c => Assert.Equal(1, c));
    }

    [Fact]
    public void ConcurrentCallersGetCorrectResults()
    {
        // Above the GEMM threading threshold, so callers race for the pool; losers run their chunks inline.
        var random = new Random(9);
        var a = TestData.Uniform(random, [128, 96]);
        var b = TestData.Uniform(random, [96, 160]);
        float[] expected = MatMul(a, b).ToArray();
        Parallel.For(0, 4, _ =>
        {
            var result = Tensor.Zeros(128, 160);
            for (int i = 0; i < 50; i++)
            {
                MatMul(a, b, result);
                Assert.Equal(expected, result.ToArray());
            }
        });
    }

    private static void CountChunk(void* state, int chunk) => Interlocked.Increment(ref ((int*)state)[chunk]);

    private static void ThrowOnChunkSeven(void* state, int chunk)
    {
        if (chunk == 7)
        {
            throw new InvalidOperationException("chunk 7");
        }
    }
}
