namespace AutoDiffGen.GpuCheck;

/// <summary>Problem sizes of one run: the full GPU set, or tiny ones for a smoke run on the CPU simulator.</summary>
internal sealed record CheckSizes(
    int[] ElementwiseLengths,
    int[] SquareGemm,
    int[] MlpBatches,
    int[] MlpWidths,
    (int Rows, int Cols)[] SoftmaxShapes,
    int Warmups,
    int Repetitions,
    int VerifyLength,
    (int M, int N, int K)[] VerifyGemmShapes,
    (int Rows, int Cols) VerifyBinaryShape,
    (int Rows, int Cols) VerifyReductionShape,
    (int Rows, int Cols)[] VerifySoftmaxShapes)
{
    public static CheckSizes Full => new(
        ElementwiseLengths: [1 << 26, 1 << 27, 1 << 28],
        SquareGemm: [1024, 2048, 4096],
        MlpBatches: [100, 1000, 10000],
        MlpWidths: [784, 256, 256, 10],
        SoftmaxShapes: [(10000, 10), (100000, 10), (4096, 1000)],
        Warmups: 3,
        Repetitions: 10,
        VerifyLength: (1 << 20) + 3,
        // The last is wide both ways: the ILGPU kernels repack K-contiguous operands first (GemmKernels.PackingMinimumExtent).
        VerifyGemmShapes: [(257, 263, 129), (256, 264, 128), (1000, 10, 256), (256, 10, 3000), (1030, 1027, 36)],
        VerifyBinaryShape: (257, 1000),
        VerifyReductionShape: (1000, 784),
        VerifySoftmaxShapes: [(1000, 10), (64, 1000)]);

    public static CheckSizes Smoke => new(
        ElementwiseLengths: [1 << 12, 1 << 13],
        SquareGemm: [64, 96],
        MlpBatches: [8],
        MlpWidths: [28, 16, 16, 10],
        SoftmaxShapes: [(24, 10), (4, 100)],
        Warmups: 1,
        Repetitions: 2,
        VerifyLength: 1027,
        VerifyGemmShapes: [(37, 41, 19), (32, 36, 16), (37, 10, 100)],
        VerifyBinaryShape: (9, 12),
        VerifyReductionShape: (20, 33),
        VerifySoftmaxShapes: [(24, 10), (4, 100)]);
}
