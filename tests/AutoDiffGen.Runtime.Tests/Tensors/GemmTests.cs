using System;
using System.Linq;
using AutoDiffGen.Backends.Cpu.Gemm;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class GemmTests
{
    // A float product's rounding error grows with the sum of |a_ik·b_kj| it accumulates; 1e-6 of that (about eight
    // float epsilons) bounds the blocked summation for the depths used here with room to spare.
    private const double ProductTolerance = 1e-6;

    public static readonly TheoryData<int, int, int> OddShapes = new()
    {
        { 1, 1, 1 },
        { 7, 17, 33 },
        { 33, 7, 1 },
        { 17, 1, 257 },
        { 1, 257, 17 },
        { 257, 33, 17 },
        { 6, 16, 256 },
        { 13, 300, 513 },
    };

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void MatMulMatchesTheReference(int m, int n, int k)
    {
        var random = new Random(m + (7 * n) + (13 * k));
        var a = TestData.Uniform(random, [m, k]);
        var b = TestData.Uniform(random, [k, n]);
        var expected = Reference.MatMul(RefTensor.Of(a), RefTensor.Of(b));
        var scale = Reference.MatMulMagnitude(RefTensor.Of(a), RefTensor.Of(b));
        TensorAssert.CloseScaled(expected, MatMul(a, b), scale, ProductTolerance);
        TensorAssert.CloseScaled(expected, MatMul(TestData.Strided(a), TestData.Strided(b)), scale, ProductTolerance, "strided");
        var destination = Tensor.Full(float.NaN, m, n);
        MatMul(a, b, destination);
        TensorAssert.CloseScaled(expected, destination, scale, ProductTolerance, "destination");
    }

    [Theory]
    [MemberData(nameof(OddShapes))]
    public void GemmHandlesEveryTransposeAlphaAndBeta(int m, int n, int k)
    {
        var random = new Random(m + (3 * n) + (5 * k));
        foreach (bool transposeA in new[] { false, true })
        {
            foreach (bool transposeB in new[] { false, true })
            {
                var a = TestData.Uniform(random, transposeA ? [k, m] : [m, k]);
                var b = TestData.Uniform(random, transposeB ? [n, k] : [k, n]);
                var product = Reference.MatMul(RefTensor.Of(a), RefTensor.Of(b), transposeA, transposeB);
                var scale = Reference.MatMulMagnitude(RefTensor.Of(a), RefTensor.Of(b), transposeA, transposeB);

                // beta = 0 must ignore the old contents, even NaN.
                var c = Tensor.Full(float.NaN, m, n);
                Gemm(transposeA, transposeB, 1.5f, a, b, 0f, c);
                TensorAssert.CloseScaled(Reference.Unary(v => 1.5 * v, product), c, Reference.Unary(v => 1.5 * v, scale), ProductTolerance, $"ta={transposeA} tb={transposeB} beta=0");

                var old = TestData.Uniform(random, [m, n]);
                c = old.Clone();
                Gemm(transposeA, transposeB, -0.5f, a, b, 0.25f, c);
                var expected = Reference.Binary((p, o) => (-0.5 * p) + (0.25 * o), product, RefTensor.Of(old));
                TensorAssert.CloseScaled(expected, c, Reference.Binary((s, o) => (0.5 * s) + Math.Abs(o), scale, RefTensor.Of(old)), ProductTolerance, $"ta={transposeA} tb={transposeB} beta=0.25");
            }
        }
    }

    [Theory]
    [InlineData("Avx2Fma")]
    [InlineData("Vector512")]
    [InlineData("Vector128")]
    public unsafe void EveryMicroKernelMatchesTheReference(string kernelName)
    {
        var kernel = Enum.Parse<Sgemm.KernelKind>(kernelName);
        if (kernel == Sgemm.KernelKind.Avx2Fma && !(System.Runtime.Intrinsics.X86.Fma.IsSupported && System.Runtime.Intrinsics.X86.Avx2.IsSupported))
        {
            return;
        }

        // The 512-bit kernel runs emulated where AVX-512 is missing, so it is checked everywhere; one shape is above
        // the threading threshold, the others exercise edge tiles in both directions.
        var random = new Random((int)kernel);
        foreach (var (m, n, k) in new[] { (13, 37, 29), (12, 32, 8), (1, 70, 3), (70, 1, 300), (100, 70, 300) })
        {
            foreach (bool transposeA in new[] { false, true })
            {
                foreach (bool transposeB in new[] { false, true })
                {
                    foreach (bool threads in new[] { false, true })
                    {
                        float[] a = TestData.Values(random, m * k, -1, 1), b = TestData.Values(random, k * n, -1, 1);
                        float[] c = TestData.Values(random, m * n, -1, 1), bias = TestData.Values(random, n, -1, 1);
                        var refA = new RefTensor(a.Select(v => (double)v).ToArray(), transposeA ? [k, m] : [m, k]);
                        var refB = new RefTensor(b.Select(v => (double)v).ToArray(), transposeB ? [n, k] : [k, n]);
                        var refC = new RefTensor(c.Select(v => (double)v).ToArray(), [m, n]);
                        var product = Reference.MatMul(refA, refB, transposeA, transposeB);
                        var expected = Reference.Binary((p, o) => (2 * p) + (0.5 * o), product, refC);
                        expected = Reference.Binary((v, s) => v + s, expected, new RefTensor(bias.Select(v => (double)v).ToArray(), [n]));
                        fixed (float* pa = a, pb = b, pc = c, pbias = bias)
                        {
                            var matrixA = transposeA ? new Sgemm.Matrix(pa, 1, m) : new Sgemm.Matrix(pa, k, 1);
                            var matrixB = transposeB ? new Sgemm.Matrix(pb, 1, k) : new Sgemm.Matrix(pb, n, 1);
                            Sgemm.Multiply(m, n, k, 2f, matrixA, matrixB, 0.5f, pc, n, pbias, kernel, threads);
                        }

                        var scale = Reference.Binary((s, o) => (2 * s) + Math.Abs(o) + 1, Reference.MatMulMagnitude(refA, refB, transposeA, transposeB), refC);
                        TensorAssert.CloseScaled(expected, Tensor.FromArray(c, m, n), scale, ProductTolerance, $"{kernel} {m}x{n}x{k} ta={transposeA} tb={transposeB} threads={threads}");
                    }
                }
            }
        }
    }

    [Theory]
    [InlineData(new[] { 3, 5, 7 }, new[] { 7, 4 })]
    [InlineData(new[] { 5, 7 }, new[] { 3, 7, 4 })]
    [InlineData(new[] { 1, 5, 7 }, new[] { 3, 7, 4 })]
    [InlineData(new[] { 3, 5, 7 }, new[] { 3, 7, 4 })]
    [InlineData(new[] { 4, 33, 17 }, new[] { 1, 17, 9 })]
    public void BatchedMatMulSharesABroadcastOperand(int[] shapeA, int[] shapeB)
    {
        var random = new Random(shapeA.Sum() + shapeB.Sum());
        var a = TestData.Uniform(random, shapeA);
        var b = TestData.Uniform(random, shapeB);
        var expected = Reference.MatMul(RefTensor.Of(a), RefTensor.Of(b));
        var scale = Reference.MatMulMagnitude(RefTensor.Of(a), RefTensor.Of(b));
        TensorAssert.CloseScaled(expected, MatMul(a, b), scale, ProductTolerance);
        TensorAssert.CloseScaled(expected, MatMul(TestData.Strided(a), TestData.Strided(b)), scale, ProductTolerance, "strided");
    }

    [Fact]
    public void GemmSumsABatchIntoATwoDimensionalC()
    {
        var random = new Random(11);
        var a = TestData.Uniform(random, [3, 5, 7]);
        var b = TestData.Uniform(random, [3, 7, 4]);
        var old = TestData.Uniform(random, [5, 4]);
        var c = old.Clone();
        Gemm(false, false, 1f, a, b, 0.5f, c);
        var batched = Reference.MatMul(RefTensor.Of(a), RefTensor.Of(b));
        var expected = Reference.Binary((s, o) => s + (0.5 * o), Reference.SumToShape(batched, [5, 4]), RefTensor.Of(old));
        TensorAssert.Close(expected, c, 1e-5, 1e-5);
    }

    [Fact]
    public void GemmWritesIntoATransposedDestination()
    {
        var random = new Random(12);
        var a = TestData.Uniform(random, [9, 20]);
        var b = TestData.Uniform(random, [20, 18]);
        var storage = Tensor.Full(float.NaN, 18, 9);
        Gemm(false, false, 1f, a, b, 0f, storage.Transpose());
        var expected = Reference.MatMul(RefTensor.Of(a), RefTensor.Of(b));
        TensorAssert.CloseScaled(expected, storage.Transpose(), Reference.MatMulMagnitude(RefTensor.Of(a), RefTensor.Of(b)), ProductTolerance);
    }

    [Fact]
    public void AnEmptyInnerDimensionLeavesBetaTimesC()
    {
        var c = Tensor.FromArray([1f, 2, 3, 4, 5, 6], 2, 3);
        Gemm(false, false, 1f, Tensor.Zeros(2, 0), Tensor.Zeros(0, 3), 0.5f, c);
        Assert.Equal([0.5f, 1, 1.5f, 2, 2.5f, 3], c.ToArray());
        Assert.Equal([0f, 0, 0], Dense(Tensor.Zeros(1, 0), Tensor.Zeros(0, 3), Tensor.Zeros(3)).ToArray());
    }

    [Theory]
    [InlineData(100, 784, 256)]
    [InlineData(100, 256, 10)]
    [InlineData(7, 33, 17)]
    public void DenseAddsTheBiasInTheProduct(int rows, int inputs, int outputs)
    {
        var random = new Random(rows + inputs + outputs);
        var x = TestData.Uniform(random, [rows, inputs]);
        var w = TestData.Uniform(random, [inputs, outputs]);
        var b = TestData.Uniform(random, [outputs]);
        var expected = Reference.Binary((p, s) => p + s, Reference.MatMul(RefTensor.Of(x), RefTensor.Of(w)), RefTensor.Of(b));
        var scale = Reference.Binary((p, s) => p + Math.Abs(s), Reference.MatMulMagnitude(RefTensor.Of(x), RefTensor.Of(w)), RefTensor.Of(b));
        TensorAssert.CloseScaled(expected, Dense(x, w, b), scale, ProductTolerance);
        var destination = Tensor.Full(float.NaN, rows, outputs);
        Dense(TestData.Strided(x), TestData.Strided(w), b, destination);
        TensorAssert.CloseScaled(expected, destination, scale, ProductTolerance, "strided into destination");
    }

    [Theory]
    [InlineData(100, 784, 256)]
    [InlineData(7, 33, 17)]
    public void DenseReluIsReluOfDenseToTheBit(int rows, int inputs, int outputs)
    {
        var random = new Random(rows * inputs + outputs);
        var x = TestData.Uniform(random, [rows, inputs]);
        var w = TestData.Uniform(random, [inputs, outputs]);
        var b = TestData.Uniform(random, [outputs]);
        float[] expected = Relu(Dense(x, w, b)).ToArray();
        Assert.InRange(expected.Count(v => v == 0f), expected.Length / 4, 3 * expected.Length / 4);
        Assert.Equal(expected, DenseRelu(x, w, b).ToArray());

        // A column-major destination goes through a dense buffer and is copied back, ReLU included.
        var columnMajor = Tensor.Full(float.NaN, outputs, rows).Transpose();
        DenseRelu(TestData.Strided(x), w, b, columnMajor);
        Assert.Equal(expected, columnMajor.ToArray());
    }

    [Fact]
    public void ReluAndBiasIsTheReluGradientAndItsColumnSums()
    {
        var random = new Random(3);
        var y = Relu(TestData.Uniform(random, [50, 33]));
        var dy = TestData.Uniform(random, [50, 33]);
        var expectedDz = Tensor.ZerosLike(y);
        TensorGradients.Relu(dy, y, null, expectedDz, accumulate: false);
        float[] columnSums = Sum(expectedDz, 0).ToArray();
        Assert.Contains(expectedDz.ToArray(), v => v == 0f);

        var dz = Tensor.Full(float.NaN, 50, 33);
        var db = Tensor.Full(1f, 33);
        TensorGradients.ReluAndBias(dy, y, dz, db, accumulateBias: true);
        Assert.Equal(expectedDz.ToArray(), dz.ToArray());
        float[] added = db.ToArray();
        for (int c = 0; c < columnSums.Length; c++)
        {
            // Adding into db sums in another order than a fresh sum plus one: equal up to rounding.
            Assert.Equal(columnSums[c] + 1f, added[c], 1e-5f);
        }

        TensorGradients.ReluAndBias(dy, y, dz, db, accumulateBias: false);
        Assert.Equal(columnSums, db.ToArray());
    }

    [Theory]
    [InlineData(100, 256, 784, true, false)]
    [InlineData(784, 256, 100, true, false)]
    [InlineData(100, 784, 256, false, true)]
    [InlineData(256, 256, 100, true, false)]
    [InlineData(100, 256, 256, false, true)]
    [InlineData(256, 10, 100, true, false)]
    [InlineData(100, 256, 10, false, true)]
    public void TheMlpTrainingShapesMatchTheReference(int m, int n, int k, bool transposeA, bool transposeB)
    {
        var random = new Random(m + n + k);
        var a = TestData.Uniform(random, transposeA ? [k, m] : [m, k]);
        var b = TestData.Uniform(random, transposeB ? [n, k] : [k, n]);
        var c = Tensor.Zeros(m, n);
        Gemm(transposeA, transposeB, 1f, a, b, 0f, c);
        TensorAssert.CloseScaled(
            Reference.MatMul(RefTensor.Of(a), RefTensor.Of(b), transposeA, transposeB),
            c,
            Reference.MatMulMagnitude(RefTensor.Of(a), RefTensor.Of(b), transposeA, transposeB),
            ProductTolerance);
    }
}
