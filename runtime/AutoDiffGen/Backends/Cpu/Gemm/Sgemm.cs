using System;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiffGen.Backends.Cpu.Gemm;

/// <summary>
/// Single-precision C = alpha·op(A)·op(B) + beta·C (+ a bias row), blocked like BLIS/GotoBLAS: for each
/// KC-deep slice, B is packed into NR-wide micro-panels that stay in L1 while the micro-kernel sweeps the MR-tall
/// micro-panels of an MC×KC block of A held in L2 (packed, or read in place for small row-major A). Threads split C
/// into independent rectangles.
/// </summary>
internal static unsafe class Sgemm
{
    /// <summary>Below this many flops (2·M·N·K) one thread does the whole product: waking a second costs more than it saves.</summary>
    internal const long ParallelThreshold = 1L << 20;

    /// <summary>The micro-kernel variants, each with its own register tile.</summary>
    internal enum KernelKind
    {
        /// <summary>4×24, AVX2 + FMA.</summary>
        Avx2Fma,

        /// <summary>12×32, 512-bit vectors.</summary>
        Vector512,

        /// <summary>6×16, 128-bit vectors (any processor).</summary>
        Vector128,
    }

    /// <summary>The best micro-kernel this processor runs.</summary>
    internal static KernelKind Detected { get; } =
        Vector512.IsHardwareAccelerated ? KernelKind.Vector512
            : Fma.IsSupported && Avx2.IsSupported ? KernelKind.Avx2Fma
            : KernelKind.Vector128;

    /// <summary>
    /// C = alpha·op(A)·op(B) + beta·C + bias, where op(A) is M×K with element (i, p) at
    /// <c>a.Data[i·a.RowStride + p·a.ColumnStride]</c>, op(B) likewise K×N, and C is row-major with leading dimension
    /// <paramref name="ldc"/>. Each operand must have a unit stride along one axis. <paramref name="bias"/> (N floats) may
    /// be null. beta = 0 never reads C. <paramref name="kernel"/> is normally <see cref="Detected"/>; tests pass others.
    /// </summary>
    public static void Multiply(int m, int n, int k, float alpha, Matrix a, Matrix b, float beta, float* c, nint ldc, float* bias, KernelKind kernel, bool allowThreads = true)
    {
        if (m == 0 || n == 0)
        {
            return;
        }

        var problem = new Problem
        {
            M = m,
            N = n,
            K = k,
            Alpha = alpha,
            Beta = beta,
            A = a,
            B = b,
            C = c,
            Ldc = ldc,
            Bias = bias,
            Config = BlockConfig.For(kernel),
        };

        int threads = allowThreads ? CpuWorkerPool.Shared.ThreadCount : 1;
        if (threads == 1 || 2L * m * n * k < ParallelThreshold)
        {
            RunRange(ref problem, 0, m, 0, n);
            return;
        }

        // Split whichever side makes each thread re-pack the smaller operand: splitting N duplicates the packing of
        // A (M×K), splitting M that of B (K×N). Columns are dealt in steps of 8 where a narrow last-panel kernel
        // exists, so two threads get 128 columns each of 256 rather than 5 and 6 panels of 24.
        int rowUnit = problem.Config.MR;
        int columnUnit = problem.Config.Kernel8 != null ? 8 : problem.Config.NR;
        int rowUnits = (m + rowUnit - 1) / rowUnit, columnUnits = (n + columnUnit - 1) / columnUnit;
        problem.SplitColumns = m <= n ? columnUnits >= 2 : rowUnits < 2;
        problem.SplitUnit = problem.SplitColumns ? columnUnit : rowUnit;
        problem.Chunks = Math.Min(threads, problem.SplitColumns ? columnUnits : rowUnits);
        if (problem.Chunks == 1)
        {
            RunRange(ref problem, 0, m, 0, n);
            return;
        }

        CpuWorkerPool.Shared.Run(&RunChunk, &problem, problem.Chunks);
    }

    private static void RunChunk(void* state, int chunk)
    {
        ref Problem problem = ref *(Problem*)state;
        bool columns = problem.SplitColumns;
        int unit = problem.SplitUnit;
        int extent = columns ? problem.N : problem.M;
        int tiles = (extent + unit - 1) / unit;
        int start = (int)((long)tiles * chunk / problem.Chunks) * unit;
        int end = Math.Min((int)((long)tiles * (chunk + 1) / problem.Chunks) * unit, extent);
        if (columns)
        {
            RunRange(ref problem, 0, problem.M, start, end);
        }
        else
        {
            RunRange(ref problem, start, end, 0, problem.N);
        }
    }

    private static void RunRange(ref Problem p, int m0, int m1, int n0, int n1)
    {
        BlockConfig config = p.Config;
        int mr = config.MR, nr = config.NR;

        // Split K into equal slices no deeper than KC (784 = 4 × 196 rather than 3 × 256 + 16).
        int kBlocks = Math.Max(1, (p.K + config.KC - 1) / config.KC);
        int kcStep = (p.K + kBlocks - 1) / kBlocks;
        int ncMax = Math.Min(config.NC, RoundUp(n1 - n0, nr));
        int mcMax = Math.Min(config.MC, RoundUp(m1 - m0, mr));

        // Small products read row-major A in place (4-row kernels take a leading dimension): with few row panels
        // there is little reuse to pay for packing. Larger ones pack, which also avoids strided TLB and set pressure.
        bool inPlaceA = config.ReadsRowMajorA && p.A.ColumnStride == 1 && p.A.RowStride > 0 && m1 - m0 <= config.MC;
        var scratch = SgemmScratch.Current;
        scratch.Reserve((nuint)mcMax * (nuint)kcStep, (nuint)ncMax * (nuint)kcStep, (nuint)kcStep);
        float* tile = stackalloc float[mr * nr];

        for (int jc = n0; jc < n1; jc += config.NC)
        {
            int nc = Math.Min(config.NC, n1 - jc);
            for (int block = 0, pc = 0; block < kBlocks; block++, pc += kcStep)
            {
                int kc = Math.Min(kcStep, p.K - pc);
                float beta = block == 0 ? p.Beta : 1f;
                float* bias = block == 0 && p.Bias != null ? p.Bias + jc : null;
                PackB(ref p, pc, kc, jc, nc, nr, scratch);
                for (int ic = m0; ic < m1; ic += config.MC)
                {
                    int mc = Math.Min(config.MC, m1 - ic);
                    PackA(ref p, ic, mc, pc, kc, mr, scratch, partialOnly: inPlaceA);
                    for (int jr = 0; jr < nc; jr += nr)
                    {
                        int width = Math.Min(nr, nc - jr);
                        int panel = config.PanelFor(width, out var kernel);

                        // Panels before this one are all full, so its offset is the same for a narrower last panel.
                        float* packedB = scratch.PackedB + ((nint)(jr / nr) * kc * nr);
                        float* tileBias = bias == null ? null : bias + jr;
                        for (int ir = 0; ir < mc; ir += mr)
                        {
                            int height = Math.Min(mr, mc - ir);
                            float* packedA = scratch.PackedA + ((nint)(ir / mr) * kc * mr);
                            nint lda = 0;
                            if (inPlaceA && height == mr)
                            {
                                packedA = p.A.Data + ((nint)(ic + ir) * p.A.RowStride) + pc;
                                lda = p.A.RowStride;
                            }

                            float* cTile = p.C + ((nint)(ic + ir) * p.Ldc) + jc + jr;
                            if (height == mr && width == panel)
                            {
                                kernel(kc, packedA, lda, packedB, cTile, p.Ldc, p.Alpha, beta, tileBias);
                            }
                            else
                            {
                                // Edge tile: compute the full tile into a buffer, then write only the part inside C.
                                kernel(kc, packedA, lda, packedB, tile, panel, 1f, 0f, null);
                                for (int i = 0; i < height; i++)
                                {
                                    float* cRow = cTile + (i * p.Ldc);
                                    float* tRow = tile + (i * panel);
                                    for (int j = 0; j < width; j++)
                                    {
                                        float value = p.Alpha * tRow[j];
                                        if (beta != 0f)
                                        {
                                            value += beta * cRow[j];
                                        }

                                        if (tileBias != null)
                                        {
                                            value += tileBias[j];
                                        }

                                        cRow[j] = value;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// <summary>Packs the row panels of an MC×KC block of A; with <paramref name="partialOnly"/>, only a last panel shorter than MR.</summary>
    private static void PackA(ref Problem p, int ic, int mc, int pc, int kc, int mr, SgemmScratch scratch, bool partialOnly)
    {
        Matrix a = p.A;
        for (int ir = partialOnly ? mc / mr * mr : 0; ir < mc; ir += mr)
        {
            int height = Math.Min(mr, mc - ir);
            float* destination = scratch.PackedA + ((nint)(ir / mr) * kc * mr);
            float* origin = a.Data + ((nint)(ic + ir) * a.RowStride) + ((nint)pc * a.ColumnStride);
            if (a.ColumnStride == 1)
            {
                SgemmPacking.PackTransposed(origin, a.RowStride, kc, height, mr, destination, scratch.Zeros);
            }
            else
            {
                SgemmPacking.PackCopy(origin, a.ColumnStride, kc, height, mr, destination);
            }
        }
    }

    private static void PackB(ref Problem p, int pc, int kc, int jc, int nc, int nr, SgemmScratch scratch)
    {
        Matrix b = p.B;
        for (int jr = 0; jr < nc; jr += nr)
        {
            int width = Math.Min(nr, nc - jr);
            int panel = p.Config.PanelFor(width, out _);
            float* destination = scratch.PackedB + ((nint)(jr / nr) * kc * nr);
            float* origin = b.Data + ((nint)pc * b.RowStride) + ((nint)(jc + jr) * b.ColumnStride);
            if (b.ColumnStride == 1)
            {
                SgemmPacking.PackCopy(origin, b.RowStride, kc, width, panel, destination);
            }
            else
            {
                SgemmPacking.PackTransposed(origin, b.ColumnStride, kc, width, panel, destination, scratch.Zeros);
            }
        }
    }

    private static int RoundUp(int value, int multiple) => (value + multiple - 1) / multiple * multiple;

    /// <summary>A strided matrix operand: element (i, j) at <c>Data[i·RowStride + j·ColumnStride]</c>.</summary>
    internal readonly struct Matrix(float* data, nint rowStride, nint columnStride)
    {
        public float* Data { get; } = data;

        public nint RowStride { get; } = rowStride;

        public nint ColumnStride { get; } = columnStride;
    }

    private struct Problem
    {
        public int M, N, K;
        public float Alpha, Beta;
        public Matrix A, B;
        public float* C;
        public nint Ldc;
        public float* Bias;
        public BlockConfig Config;
        public bool SplitColumns;
        public int SplitUnit;
        public int Chunks;
    }

    /// <summary>A micro-kernel and the block sizes that suit its register tile and the caches.</summary>
    private readonly struct BlockConfig
    {
        public delegate*<int, float*, nint, float*, float*, nint, float, float, float*, void> Kernel { get; init; }

        public int MR { get; init; }

        public int NR { get; init; }

        public int MC { get; init; }

        public int KC { get; init; }

        public int NC { get; init; }

        /// <summary>Whether the kernels also read row-major A in place (a non-zero lda).</summary>
        public bool ReadsRowMajorA { get; init; }

        /// <summary>A narrower kernel for a last column panel of at most 16 (or 8) columns; null when there is none.</summary>
        public delegate*<int, float*, nint, float*, float*, nint, float, float, float*, void> Kernel16 { get; init; }

        /// <inheritdoc cref="Kernel16"/>
        public delegate*<int, float*, nint, float*, float*, nint, float, float, float*, void> Kernel8 { get; init; }

        /// <summary>The packed width for a column panel holding <paramref name="columns"/> columns, and its kernel.</summary>
        public int PanelFor(int columns, out delegate*<int, float*, nint, float*, float*, nint, float, float, float*, void> kernel)
        {
            if (columns <= 8 && Kernel8 != null)
            {
                kernel = Kernel8;
                return 8;
            }

            if (columns <= 16 && Kernel16 != null)
            {
                kernel = Kernel16;
                return 16;
            }

            kernel = Kernel;
            return NR;
        }

        public static BlockConfig For(KernelKind kind) => kind switch
        {
            // KC·NR·4 bytes of B (24 KiB) stay in a 32 KiB L1; MC·KC·4 bytes of A (128 KiB) in L2.
            KernelKind.Avx2Fma => new BlockConfig
            {
                Kernel = &SgemmKernels.Avx2Fma4x24,
                Kernel16 = &SgemmKernels.Avx2Fma4x16,
                Kernel8 = &SgemmKernels.Avx2Fma4x8,
                ReadsRowMajorA = true,
                MR = 4,
                NR = 24,
                MC = 128,
                KC = 256,
                NC = 4080,
            },
            KernelKind.Vector512 => new BlockConfig
            {
                Kernel = &SgemmKernels.Vector512x12x32,
                Kernel16 = &SgemmKernels.Vector512x12x16,
                MR = 12,
                NR = 32,
                MC = 192,
                KC = 256,
                NC = 4096,
            },
            _ => new BlockConfig { Kernel = &SgemmKernels.Vector128x6x16, MR = 6, NR = 16, MC = 144, KC = 256, NC = 4080 },
        };
    }
}
