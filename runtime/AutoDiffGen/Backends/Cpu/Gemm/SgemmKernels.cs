using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace AutoDiffGen.Backends.Cpu.Gemm;

/// <summary>
/// The register-tiled inner loops of <see cref="Sgemm"/>. Each computes one MR×NR tile of C from an A micro-panel and
/// a packed B micro-panel (for each k, NR values of a row of B), keeping the whole tile in registers for all kc steps,
/// then writes c = alpha·acc + beta·c + bias (beta = 0 never reads c; bias may be null).
/// A is packed (for each k, MR values of a column of A) when <c>lda</c> is 0. The 4-row AVX2 kernels also read A in
/// place, row-major with leading dimension <c>lda</c>, which spares small products the cost of packing A.
/// </summary>
internal static unsafe class SgemmKernels
{
    /// <summary>
    /// 4×24 with AVX2 and FMA: 12 accumulators + 3 B vectors + 1 broadcast fill the 16 ymm registers. Per k it issues
    /// 12 FMAs against only 4 broadcasts; on Zen 3 a 6×16 tile (6 broadcasts per 12 FMAs) reached about 75% of the
    /// FMA peak in isolation and this one about 90%.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2Fma4x24(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        Vector256<float> c00 = default, c01 = default, c02 = default, c10 = default, c11 = default, c12 = default;
        Vector256<float> c20 = default, c21 = default, c22 = default, c30 = default, c31 = default, c32 = default;
        RowPointers(a, lda, out float* a0, out float* a1, out float* a2, out float* a3, out nint step);
        for (nint k = 0, at = 0; k < kc; k++, at += step)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> b2 = Avx.LoadVector256(b + 16);
            Vector256<float> ak = Vector256.Create(a0[at]);
            c00 = Fma.MultiplyAdd(ak, b0, c00);
            c01 = Fma.MultiplyAdd(ak, b1, c01);
            c02 = Fma.MultiplyAdd(ak, b2, c02);
            ak = Vector256.Create(a1[at]);
            c10 = Fma.MultiplyAdd(ak, b0, c10);
            c11 = Fma.MultiplyAdd(ak, b1, c11);
            c12 = Fma.MultiplyAdd(ak, b2, c12);
            ak = Vector256.Create(a2[at]);
            c20 = Fma.MultiplyAdd(ak, b0, c20);
            c21 = Fma.MultiplyAdd(ak, b1, c21);
            c22 = Fma.MultiplyAdd(ak, b2, c22);
            ak = Vector256.Create(a3[at]);
            c30 = Fma.MultiplyAdd(ak, b0, c30);
            c31 = Fma.MultiplyAdd(ak, b1, c31);
            c32 = Fma.MultiplyAdd(ak, b2, c32);
            b += 24;
        }

        Vector256<float> va = Vector256.Create(alpha);
        Vector256<float> bias0 = bias == null ? default : Avx.LoadVector256(bias);
        Vector256<float> bias1 = bias == null ? default : Avx.LoadVector256(bias + 8);
        Vector256<float> bias2 = bias == null ? default : Avx.LoadVector256(bias + 16);
        if (beta == 0f)
        {
            Store(c, va, c00, c01, c02, bias0, bias1, bias2);
            Store(c + ldc, va, c10, c11, c12, bias0, bias1, bias2);
            Store(c + (2 * ldc), va, c20, c21, c22, bias0, bias1, bias2);
            Store(c + (3 * ldc), va, c30, c31, c32, bias0, bias1, bias2);
        }
        else
        {
            Vector256<float> vb = Vector256.Create(beta);
            Update(c, va, vb, c00, c01, c02, bias0, bias1, bias2);
            Update(c + ldc, va, vb, c10, c11, c12, bias0, bias1, bias2);
            Update(c + (2 * ldc), va, vb, c20, c21, c22, bias0, bias1, bias2);
            Update(c + (3 * ldc), va, vb, c30, c31, c32, bias0, bias1, bias2);
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Store(float* row, Vector256<float> va, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> bias0, Vector256<float> bias1, Vector256<float> bias2)
        {
            Avx.Store(row, Fma.MultiplyAdd(va, r0, bias0));
            Avx.Store(row + 8, Fma.MultiplyAdd(va, r1, bias1));
            Avx.Store(row + 16, Fma.MultiplyAdd(va, r2, bias2));
        }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Update(float* row, Vector256<float> va, Vector256<float> vb, Vector256<float> r0, Vector256<float> r1, Vector256<float> r2, Vector256<float> bias0, Vector256<float> bias1, Vector256<float> bias2)
        {
            Avx.Store(row, Fma.MultiplyAdd(va, r0, Fma.MultiplyAdd(vb, Avx.LoadVector256(row), bias0)));
            Avx.Store(row + 8, Fma.MultiplyAdd(va, r1, Fma.MultiplyAdd(vb, Avx.LoadVector256(row + 8), bias1)));
            Avx.Store(row + 16, Fma.MultiplyAdd(va, r2, Fma.MultiplyAdd(vb, Avx.LoadVector256(row + 16), bias2)));
        }
    }

    /// <summary>4×16 with AVX2 and FMA, for the last column panel when at most 16 columns remain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2Fma4x16(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        Vector256<float> c00 = default, c01 = default, c10 = default, c11 = default;
        Vector256<float> c20 = default, c21 = default, c30 = default, c31 = default;
        RowPointers(a, lda, out float* a0, out float* a1, out float* a2, out float* a3, out nint step);
        for (nint k = 0, at = 0; k < kc; k++, at += step)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            Vector256<float> ak = Vector256.Create(a0[at]);
            c00 = Fma.MultiplyAdd(ak, b0, c00);
            c01 = Fma.MultiplyAdd(ak, b1, c01);
            ak = Vector256.Create(a1[at]);
            c10 = Fma.MultiplyAdd(ak, b0, c10);
            c11 = Fma.MultiplyAdd(ak, b1, c11);
            ak = Vector256.Create(a2[at]);
            c20 = Fma.MultiplyAdd(ak, b0, c20);
            c21 = Fma.MultiplyAdd(ak, b1, c21);
            ak = Vector256.Create(a3[at]);
            c30 = Fma.MultiplyAdd(ak, b0, c30);
            c31 = Fma.MultiplyAdd(ak, b1, c31);
            b += 16;
        }

        WriteRow256(c, c00, alpha, beta, bias);
        WriteRow256(c + 8, c01, alpha, beta, bias == null ? null : bias + 8);
        WriteRow256(c + ldc, c10, alpha, beta, bias);
        WriteRow256(c + ldc + 8, c11, alpha, beta, bias == null ? null : bias + 8);
        WriteRow256(c + (2 * ldc), c20, alpha, beta, bias);
        WriteRow256(c + (2 * ldc) + 8, c21, alpha, beta, bias == null ? null : bias + 8);
        WriteRow256(c + (3 * ldc), c30, alpha, beta, bias);
        WriteRow256(c + (3 * ldc) + 8, c31, alpha, beta, bias == null ? null : bias + 8);
    }

    /// <summary>4×8 with AVX2 and FMA, for the last column panel when at most 8 columns remain.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Avx2Fma4x8(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        // Two independent accumulators per row (even and odd k) keep eight FMAs in flight.
        Vector256<float> c0 = default, c1 = default, c2 = default, c3 = default;
        Vector256<float> d0 = default, d1 = default, d2 = default, d3 = default;
        RowPointers(a, lda, out float* a0, out float* a1, out float* a2, out float* a3, out nint step);
        nint k = 0, at = 0;
        for (; k + 1 < kc; k += 2, at += 2 * step)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            Vector256<float> b1 = Avx.LoadVector256(b + 8);
            c0 = Fma.MultiplyAdd(Vector256.Create(a0[at]), b0, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(a1[at]), b0, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(a2[at]), b0, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(a3[at]), b0, c3);
            d0 = Fma.MultiplyAdd(Vector256.Create(a0[at + step]), b1, d0);
            d1 = Fma.MultiplyAdd(Vector256.Create(a1[at + step]), b1, d1);
            d2 = Fma.MultiplyAdd(Vector256.Create(a2[at + step]), b1, d2);
            d3 = Fma.MultiplyAdd(Vector256.Create(a3[at + step]), b1, d3);
            b += 16;
        }

        if (k < kc)
        {
            Vector256<float> b0 = Avx.LoadVector256(b);
            c0 = Fma.MultiplyAdd(Vector256.Create(a0[at]), b0, c0);
            c1 = Fma.MultiplyAdd(Vector256.Create(a1[at]), b0, c1);
            c2 = Fma.MultiplyAdd(Vector256.Create(a2[at]), b0, c2);
            c3 = Fma.MultiplyAdd(Vector256.Create(a3[at]), b0, c3);
        }

        WriteRow256(c, Avx.Add(c0, d0), alpha, beta, bias);
        WriteRow256(c + ldc, Avx.Add(c1, d1), alpha, beta, bias);
        WriteRow256(c + (2 * ldc), Avx.Add(c2, d2), alpha, beta, bias);
        WriteRow256(c + (3 * ldc), Avx.Add(c3, d3), alpha, beta, bias);
    }

    /// <summary>
    /// Where the four rows of an A micro-panel start and how far apart consecutive k are: packed (lda = 0) rows are
    /// interleaved four to a k; in-place rows are lda apart with consecutive k adjacent.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void RowPointers(float* a, nint lda, out float* a0, out float* a1, out float* a2, out float* a3, out nint step)
    {
        nint row = lda == 0 ? 1 : lda;
        step = lda == 0 ? 4 : 1;
        a0 = a;
        a1 = a + row;
        a2 = a + (2 * row);
        a3 = a + (3 * row);
    }

    /// <summary>row[0..8) = alpha·acc + beta·row + bias (beta = 0 does not read row; bias may be null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void WriteRow256(float* row, Vector256<float> acc, float alpha, float beta, float* bias)
    {
        Vector256<float> add = bias == null ? default : Avx.LoadVector256(bias);
        if (beta != 0f)
        {
            add = Fma.MultiplyAdd(Vector256.Create(beta), Avx.LoadVector256(row), add);
        }

        Avx.Store(row, Fma.MultiplyAdd(Vector256.Create(alpha), acc, add));
    }

    /// <summary>
    /// 12×32 with 512-bit vectors: 24 accumulators + 2 B vectors + 1 broadcast of the 32 zmm registers. Written
    /// with the cross-platform <see cref="Vector512"/> API so that tests can run it (emulated) on machines without
    /// AVX-512; <see cref="Sgemm"/> selects it only where <see cref="Vector512.IsHardwareAccelerated"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector512x12x32(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        Debug.Assert(lda == 0, "This kernel reads packed A only.");
        Vector512<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
        Vector512<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
        Vector512<float> c60 = default, c61 = default, c70 = default, c71 = default, c80 = default, c81 = default;
        Vector512<float> c90 = default, c91 = default, ca0 = default, ca1 = default, cb0 = default, cb1 = default;
        for (int k = 0; k < kc; k++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            Vector512<float> b1 = Vector512.Load(b + 16);
            Vector512<float> ak = Vector512.Create(a[0]);
            c00 = Vector512.FusedMultiplyAdd(ak, b0, c00);
            c01 = Vector512.FusedMultiplyAdd(ak, b1, c01);
            ak = Vector512.Create(a[1]);
            c10 = Vector512.FusedMultiplyAdd(ak, b0, c10);
            c11 = Vector512.FusedMultiplyAdd(ak, b1, c11);
            ak = Vector512.Create(a[2]);
            c20 = Vector512.FusedMultiplyAdd(ak, b0, c20);
            c21 = Vector512.FusedMultiplyAdd(ak, b1, c21);
            ak = Vector512.Create(a[3]);
            c30 = Vector512.FusedMultiplyAdd(ak, b0, c30);
            c31 = Vector512.FusedMultiplyAdd(ak, b1, c31);
            ak = Vector512.Create(a[4]);
            c40 = Vector512.FusedMultiplyAdd(ak, b0, c40);
            c41 = Vector512.FusedMultiplyAdd(ak, b1, c41);
            ak = Vector512.Create(a[5]);
            c50 = Vector512.FusedMultiplyAdd(ak, b0, c50);
            c51 = Vector512.FusedMultiplyAdd(ak, b1, c51);
            ak = Vector512.Create(a[6]);
            c60 = Vector512.FusedMultiplyAdd(ak, b0, c60);
            c61 = Vector512.FusedMultiplyAdd(ak, b1, c61);
            ak = Vector512.Create(a[7]);
            c70 = Vector512.FusedMultiplyAdd(ak, b0, c70);
            c71 = Vector512.FusedMultiplyAdd(ak, b1, c71);
            ak = Vector512.Create(a[8]);
            c80 = Vector512.FusedMultiplyAdd(ak, b0, c80);
            c81 = Vector512.FusedMultiplyAdd(ak, b1, c81);
            ak = Vector512.Create(a[9]);
            c90 = Vector512.FusedMultiplyAdd(ak, b0, c90);
            c91 = Vector512.FusedMultiplyAdd(ak, b1, c91);
            ak = Vector512.Create(a[10]);
            ca0 = Vector512.FusedMultiplyAdd(ak, b0, ca0);
            ca1 = Vector512.FusedMultiplyAdd(ak, b1, ca1);
            ak = Vector512.Create(a[11]);
            cb0 = Vector512.FusedMultiplyAdd(ak, b0, cb0);
            cb1 = Vector512.FusedMultiplyAdd(ak, b1, cb1);
            a += 12;
            b += 32;
        }

        Vector512<float> va = Vector512.Create(alpha);
        Vector512<float> vb = Vector512.Create(beta);
        Vector512<float> bias0 = bias == null ? default : Vector512.Load(bias);
        Vector512<float> bias1 = bias == null ? default : Vector512.Load(bias + 16);
        bool readC = beta != 0f;
        Write(c, c00, c01, readC, va, vb, bias0, bias1);
        Write(c + ldc, c10, c11, readC, va, vb, bias0, bias1);
        Write(c + (2 * ldc), c20, c21, readC, va, vb, bias0, bias1);
        Write(c + (3 * ldc), c30, c31, readC, va, vb, bias0, bias1);
        Write(c + (4 * ldc), c40, c41, readC, va, vb, bias0, bias1);
        Write(c + (5 * ldc), c50, c51, readC, va, vb, bias0, bias1);
        Write(c + (6 * ldc), c60, c61, readC, va, vb, bias0, bias1);
        Write(c + (7 * ldc), c70, c71, readC, va, vb, bias0, bias1);
        Write(c + (8 * ldc), c80, c81, readC, va, vb, bias0, bias1);
        Write(c + (9 * ldc), c90, c91, readC, va, vb, bias0, bias1);
        Write(c + (10 * ldc), ca0, ca1, readC, va, vb, bias0, bias1);
        Write(c + (11 * ldc), cb0, cb1, readC, va, vb, bias0, bias1);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Write(float* row, Vector512<float> left, Vector512<float> right, bool readC, Vector512<float> va, Vector512<float> vb, Vector512<float> bias0, Vector512<float> bias1)
        {
            Vector512<float> add0 = readC ? Vector512.FusedMultiplyAdd(vb, Vector512.Load(row), bias0) : bias0;
            Vector512<float> add1 = readC ? Vector512.FusedMultiplyAdd(vb, Vector512.Load(row + 16), bias1) : bias1;
            Vector512.FusedMultiplyAdd(va, left, add0).Store(row);
            Vector512.FusedMultiplyAdd(va, right, add1).Store(row + 16);
        }
    }

    /// <summary>
    /// 12×16 with 512-bit vectors, for a last column panel of at most 16 columns (the MLP's ten classes): one accumulator
    /// per row where the 12×32 kernel would compute 32 columns for ten. Same packed A as <see cref="Vector512x12x32"/>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector512x12x16(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        Debug.Assert(lda == 0, "This kernel reads packed A only.");
        Vector512<float> c0 = default, c1 = default, c2 = default, c3 = default, c4 = default, c5 = default;
        Vector512<float> c6 = default, c7 = default, c8 = default, c9 = default, ca = default, cb = default;
        for (int k = 0; k < kc; k++)
        {
            Vector512<float> b0 = Vector512.Load(b);
            c0 = Vector512.FusedMultiplyAdd(Vector512.Create(a[0]), b0, c0);
            c1 = Vector512.FusedMultiplyAdd(Vector512.Create(a[1]), b0, c1);
            c2 = Vector512.FusedMultiplyAdd(Vector512.Create(a[2]), b0, c2);
            c3 = Vector512.FusedMultiplyAdd(Vector512.Create(a[3]), b0, c3);
            c4 = Vector512.FusedMultiplyAdd(Vector512.Create(a[4]), b0, c4);
            c5 = Vector512.FusedMultiplyAdd(Vector512.Create(a[5]), b0, c5);
            c6 = Vector512.FusedMultiplyAdd(Vector512.Create(a[6]), b0, c6);
            c7 = Vector512.FusedMultiplyAdd(Vector512.Create(a[7]), b0, c7);
            c8 = Vector512.FusedMultiplyAdd(Vector512.Create(a[8]), b0, c8);
            c9 = Vector512.FusedMultiplyAdd(Vector512.Create(a[9]), b0, c9);
            ca = Vector512.FusedMultiplyAdd(Vector512.Create(a[10]), b0, ca);
            cb = Vector512.FusedMultiplyAdd(Vector512.Create(a[11]), b0, cb);
            a += 12;
            b += 16;
        }

        Vector512<float> va = Vector512.Create(alpha);
        Vector512<float> vb = Vector512.Create(beta);
        Vector512<float> bias0 = bias == null ? default : Vector512.Load(bias);
        bool readC = beta != 0f;
        Write(c, c0, readC, va, vb, bias0);
        Write(c + ldc, c1, readC, va, vb, bias0);
        Write(c + (2 * ldc), c2, readC, va, vb, bias0);
        Write(c + (3 * ldc), c3, readC, va, vb, bias0);
        Write(c + (4 * ldc), c4, readC, va, vb, bias0);
        Write(c + (5 * ldc), c5, readC, va, vb, bias0);
        Write(c + (6 * ldc), c6, readC, va, vb, bias0);
        Write(c + (7 * ldc), c7, readC, va, vb, bias0);
        Write(c + (8 * ldc), c8, readC, va, vb, bias0);
        Write(c + (9 * ldc), c9, readC, va, vb, bias0);
        Write(c + (10 * ldc), ca, readC, va, vb, bias0);
        Write(c + (11 * ldc), cb, readC, va, vb, bias0);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        static void Write(float* row, Vector512<float> sum, bool readC, Vector512<float> va, Vector512<float> vb, Vector512<float> bias0)
        {
            Vector512<float> add = readC ? Vector512.FusedMultiplyAdd(vb, Vector512.Load(row), bias0) : bias0;
            Vector512.FusedMultiplyAdd(va, sum, add).Store(row);
        }
    }

    /// <summary>
    /// 6×16 with 128-bit vectors, for processors without AVX2+FMA (or Arm, where 24 accumulators fit its 32 vector
    /// registers). Uses <see cref="Vector128.MultiplyAddEstimate(Vector128{float}, Vector128{float}, Vector128{float})"/>, which fuses where the hardware can.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Vector128x6x16(int kc, float* a, nint lda, float* b, float* c, nint ldc, float alpha, float beta, float* bias)
    {
        Debug.Assert(lda == 0, "This kernel reads packed A only.");
        for (int half = 0; half < 2; half++)
        {
            // Two passes of 6×8 keep 12 accumulators, which fit the 16 registers of SSE.
            float* bh = b + (8 * half);
            float* ch = c + (8 * half);
            float* biasHalf = bias == null ? null : bias + (8 * half);
            float* ak = a;
            Vector128<float> c00 = default, c01 = default, c10 = default, c11 = default, c20 = default, c21 = default;
            Vector128<float> c30 = default, c31 = default, c40 = default, c41 = default, c50 = default, c51 = default;
            for (int k = 0; k < kc; k++)
            {
                Vector128<float> b0 = Vector128.Load(bh);
                Vector128<float> b1 = Vector128.Load(bh + 4);
                Vector128<float> v = Vector128.Create(ak[0]);
                c00 = Vector128.MultiplyAddEstimate(v, b0, c00);
                c01 = Vector128.MultiplyAddEstimate(v, b1, c01);
                v = Vector128.Create(ak[1]);
                c10 = Vector128.MultiplyAddEstimate(v, b0, c10);
                c11 = Vector128.MultiplyAddEstimate(v, b1, c11);
                v = Vector128.Create(ak[2]);
                c20 = Vector128.MultiplyAddEstimate(v, b0, c20);
                c21 = Vector128.MultiplyAddEstimate(v, b1, c21);
                v = Vector128.Create(ak[3]);
                c30 = Vector128.MultiplyAddEstimate(v, b0, c30);
                c31 = Vector128.MultiplyAddEstimate(v, b1, c31);
                v = Vector128.Create(ak[4]);
                c40 = Vector128.MultiplyAddEstimate(v, b0, c40);
                c41 = Vector128.MultiplyAddEstimate(v, b1, c41);
                v = Vector128.Create(ak[5]);
                c50 = Vector128.MultiplyAddEstimate(v, b0, c50);
                c51 = Vector128.MultiplyAddEstimate(v, b1, c51);
                ak += 6;
                bh += 16;
            }

            Vector128<float> va = Vector128.Create(alpha);
            Vector128<float> vb = Vector128.Create(beta);
            Vector128<float> bias0 = biasHalf == null ? default : Vector128.Load(biasHalf);
            Vector128<float> bias1 = biasHalf == null ? default : Vector128.Load(biasHalf + 4);
            bool readC = beta != 0f;
            Write(ch, c00, c01, readC, va, vb, bias0, bias1);
            Write(ch + ldc, c10, c11, readC, va, vb, bias0, bias1);
            Write(ch + (2 * ldc), c20, c21, readC, va, vb, bias0, bias1);
            Write(ch + (3 * ldc), c30, c31, readC, va, vb, bias0, bias1);
            Write(ch + (4 * ldc), c40, c41, readC, va, vb, bias0, bias1);
            Write(ch + (5 * ldc), c50, c51, readC, va, vb, bias0, bias1);

            [MethodImpl(MethodImplOptions.AggressiveInlining)]
            static void Write(float* row, Vector128<float> left, Vector128<float> right, bool readC, Vector128<float> va, Vector128<float> vb, Vector128<float> bias0, Vector128<float> bias1)
            {
                Vector128<float> add0 = readC ? Vector128.MultiplyAddEstimate(vb, Vector128.Load(row), bias0) : bias0;
                Vector128<float> add1 = readC ? Vector128.MultiplyAddEstimate(vb, Vector128.Load(row + 4), bias1) : bias1;
                Vector128.MultiplyAddEstimate(va, left, add0).Store(row);
                Vector128.MultiplyAddEstimate(va, right, add1).Store(row + 4);
            }
        }
    }
}
