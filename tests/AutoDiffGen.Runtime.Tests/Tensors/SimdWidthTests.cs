using System;
using System.Runtime.Intrinsics;
using AutoDiffGen.Backends.Cpu;
using AutoDiffGen.Backends.Cpu.Kernels;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>
/// Runs the gradient kernels' dense loops at every vector width, the 512-bit one included (emulated where AVX-512 is
/// missing), and checks each against the scalar formula: the widths this machine does not pick are still verified.
/// </summary>
public unsafe class SimdWidthTests
{
    private const int Length = 53;

    [Fact]
    public void UnaryGradientLoopsAgreeAtEveryWidth()
    {
        Check<ExpGradient>();
        Check<LogGradient>();
        Check<SqrtGradient>();
        Check<TanhGradient>();
        Check<SigmoidGradient>();
        Check<ReluGradient>();
        Check<NegateGradient>();

        static void Check<TOp>()
            where TOp : IUnaryGradient
        {
            var random = new Random(typeof(TOp).Name.Length);
            float[] dy = TestData.Values(random, Length, -1, 1), v = TestData.Values(random, Length, 0.1, 2);
            foreach (bool accumulate in new[] { false, true })
            {
                var kernel = new UnaryGradientKernel<TOp> { Accumulate = accumulate };
                float[] expected = TestData.Values(new Random(1), Length, -1, 1);
                float[] start = (float[])expected.Clone();
                fixed (float* pdy = dy, pv = v, pe = expected)
                {
                    kernel.Dense<ScalarSimd, float>(0, Length, pe, pdy, pv);
                }

                AssertWidth(start, expected, (pdx, pdy, pv, n) => Finish(kernel, kernel.Dense<Simd512, Vector512<float>>(0, n, pdx, pdy, pv), n, pdx, pdy, pv), dy, v, typeof(TOp).Name + " 512");
                AssertWidth(start, expected, (pdx, pdy, pv, n) => Finish(kernel, kernel.Dense<Simd256, Vector256<float>>(0, n, pdx, pdy, pv), n, pdx, pdy, pv), dy, v, typeof(TOp).Name + " 256");
                AssertWidth(start, expected, (pdx, pdy, pv, n) => Finish(kernel, kernel.Dense<Simd128, Vector128<float>>(0, n, pdx, pdy, pv), n, pdx, pdy, pv), dy, v, typeof(TOp).Name + " 128");
            }

            static void Finish(UnaryGradientKernel<TOp> kernel, int done, int n, float* pdx, float* pdy, float* pv)
            {
                Assert.True(done > 0 && done <= n);
                kernel.Dense<ScalarSimd, float>(done, n, pdx, pdy, pv);
            }
        }
    }

    [Fact]
    public void BinaryGradientLoopsAgreeAtEveryWidth()
    {
        Check<AddGradient>();
        Check<SubGradient>();
        Check<MulGradient>();
        Check<DivGradient>();
        Check<MaximumGradient>();
        Check<MinimumGradient>();

        static void Check<TOp>()
            where TOp : IBinaryGradient
        {
            var random = new Random(typeof(TOp).Name.Length);
            float[] dy = TestData.Values(random, Length, -1, 1), a = TestData.Values(random, Length, 0.5, 2), b = TestData.Values(random, Length, 0.5, 2);
            foreach (bool second in new[] { false, true })
            {
                foreach (nint bStride in new nint[] { 1, 0 })
                {
                    var kernel = new BinaryGradientKernel<TOp> { Accumulate = true, SecondOperand = second };
                    float[] expected = new float[Length];
                    float expectedSum = 0f;
                    fixed (float* pdy = dy, pa = a, pb = b, pe = expected)
                    {
                        kernel.Dense<ScalarSimd, float>(0, Length, pe, pdy, pa, 1, pb, bStride);
                        kernel.SumRow<ScalarSimd, float>(0, Length, ref expectedSum, pdy, pa, 1, pb, bStride);
                    }

                    string what = $"{typeof(TOp).Name} second={second} bStride={bStride}";
                    Compare<Simd512, Vector512<float>>(kernel, what + " 512");
                    Compare<Simd256, Vector256<float>>(kernel, what + " 256");
                    Compare<Simd128, Vector128<float>>(kernel, what + " 128");

                    void Compare<TSimd, TVec>(BinaryGradientKernel<TOp> k, string label)
                        where TSimd : ISimd<TVec>
                        where TVec : struct
                    {
                        float[] actual = new float[Length];
                        float sum = 0f;
                        fixed (float* pdy = dy, pa = a, pb = b, pact = actual)
                        {
                            int done = k.Dense<TSimd, TVec>(0, Length, pact, pdy, pa, 1, pb, bStride);
                            k.Dense<ScalarSimd, float>(done, Length, pact, pdy, pa, 1, pb, bStride);
                            done = k.SumRow<TSimd, TVec>(0, Length, ref sum, pdy, pa, 1, pb, bStride);
                            k.SumRow<ScalarSimd, float>(done, Length, ref sum, pdy, pa, 1, pb, bStride);
                        }

                        for (int i = 0; i < Length; i++)
                        {
                            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * (1 + Math.Abs(expected[i])), $"{label} element {i}: {expected[i]} vs {actual[i]}");
                        }

                        Assert.True(Math.Abs(expectedSum - sum) <= 1e-5f * (1 + Math.Abs(expectedSum)), $"{label} sum: {expectedSum} vs {sum}");
                    }
                }
            }
        }
    }

    private static void AssertWidth(float[] start, float[] expected, Run run, float[] dy, float[] v, string what)
    {
        float[] actual = (float[])start.Clone();
        fixed (float* pdx = actual, pdy = dy, pv = v)
        {
            run(pdx, pdy, pv, Length);
        }

        for (int i = 0; i < Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-6f * (1 + Math.Abs(expected[i])), $"{what} element {i}: {expected[i]} vs {actual[i]}");
        }
    }

    private delegate void Run(float* dx, float* dy, float* v, int n);
}
