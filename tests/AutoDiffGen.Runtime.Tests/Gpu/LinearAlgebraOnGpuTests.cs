using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;
using Grad = AutoDiffGen.TensorGradients;
using Ops = AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// Matrix products on ILGPU's CPU accelerator against the SIMD CPU device: every transpose combination, bias, beta,
/// batches (shared operands, summed products), transposed views read in place and strided views copied first.
/// Tolerance 1e-5 relative plus 1e-5 absolute for sums of up to 70 products of values in [-1, 1].
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class LinearAlgebraOnGpuTests
{
    [Theory]
    [InlineData(false, false)]
    [InlineData(false, true)]
    [InlineData(true, false)]
    [InlineData(true, true)]
    public void Gemm_with_each_transpose_matches_the_cpu(bool transposeA, bool transposeB)
    {
        Same(place =>
        {
            const int m = 37, n = 41, k = 19;
            var a = place(Uniform(20, transposeA ? [k, m] : [m, k]));
            var b = place(Uniform(21, transposeB ? [n, k] : [k, n]));
            var overwrite = Ops.Fill(Tensor.Zeros(a.Device, m, n), float.NaN);
            Ops.Gemm(transposeA, transposeB, 0.5f, a, b, 0f, overwrite);
            var blend = place(Uniform(22, [m, n]));
            Ops.Gemm(transposeA, transposeB, -1f, a, b, 0.75f, blend);
            return [overwrite, blend];
        }, relative: 1e-5, absolute: 1e-5);
    }

    [Fact]
    public void Dense_matmul_and_their_gradients_match_the_cpu_on_views_and_batches()
    {
        foreach (bool strided in new[] { false, true })
        {
            Same(place =>
            {
                var x = place(Uniform(23, [9, 70]));
                var w = place(Uniform(24, [70, 12]));
                var bias = place(Uniform(25, [12]));
                var y = Ops.Dense(x, w, bias);
                var dy = place(Uniform(26, [9, 12]));
                var dx = Tensor.ZerosLike(x);
                var dw = Ops.Fill(Tensor.ZerosLike(w), 1f);
                var db = Ops.Fill(Tensor.ZerosLike(bias), 1f);
                Grad.Dense(dy, x, w, dx, dw, db, accumulate: false);
                Grad.Dense(dy, x, w, null, dw, db, accumulate: true);

                // Transposed views go to the kernel in place with the transpose flag flipped.
                var product = Ops.MatMul(w.Transpose(), x.Transpose());
                var batch = place(Uniform(27, [3, 9, 70]));
                var batched = Ops.MatMul(batch, w);
                var dBatch = Tensor.ZerosLike(batch);
                var dShared = Tensor.ZerosLike(w);
                Grad.MatMul(place(Uniform(28, [3, 9, 12])), batch, w, dBatch, dShared, accumulate: false);
                return [y, dx, dw, db, product, batched, dBatch, dShared];
            }, strided, relative: 1e-5, absolute: 1e-5);
        }
    }

    [Theory]
    [InlineData(9, 70, 40)]    // the 128 × 128 tile kernel
    [InlineData(37, 19, 10)]   // the narrow kernel
    public void DenseRelu_matches_the_cpu_and_is_relu_of_dense_to_the_bit(int rows, int inputs, int outputs)
    {
        Same(place =>
        {
            var x = place(Uniform(32, [rows, inputs]));
            var w = place(Uniform(33, [inputs, outputs]));
            var bias = place(Uniform(34, [outputs]));
            var fused = Ops.DenseRelu(x, w, bias);
            Assert.Equal(Ops.Relu(Ops.Dense(x, w, bias)).ToArray(), fused.ToArray());
            return [fused];
        }, relative: 1e-5, absolute: 1e-5);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]   // views: the strided kernels, one op at a time
    public void ReluAndBias_matches_the_cpu_launch_after_launch(bool strided)
    {
        Same(place =>
        {
            // 70 columns in three tiles of 32, 300 rows in chunks: several groups, the last of which adds the partials.
            var y = Ops.Relu(place(Uniform(35, [300, 70])));
            var dy = place(Uniform(36, [300, 70]));
            var dz = Ops.Fill(Tensor.ZerosLike(y), float.NaN);
            var db = Ops.Fill(Tensor.Zeros(y.Device, 70), float.NaN);
            Grad.ReluAndBias(dy, y, dz, db, accumulateBias: false);

            // Again, adding into the sums: the count of finished groups must be back at zero for the second launch.
            var twice = db.Clone();
            Grad.ReluAndBias(dy, y, dz, twice, accumulateBias: true);
            var expected = Tensor.ZerosLike(y);
            Grad.Relu(dy, y, null, expected, accumulate: false);
            Assert.Equal(expected.ToArray(), dz.ToArray());
            return [dz, db, twice];
        }, strided, relative: 1e-5, absolute: 1e-5);
    }

    [Fact]
    public void The_fused_ops_take_a_batch_of_no_rows() => AutoDiffGen.Runtime.Tests.Tensors.EmptyTensorTests.FusedOpsOnEmptyBatches(UnderTest);

    [Fact]
    public void A_strided_slice_operand_and_an_empty_inner_dimension_match_the_cpu()
    {
        Same(place =>
        {
            // A batch whose matrices have rows 30 floats apart but 10 long: neither row- nor column-major, so the
            // backend gathers it into scratch before the product.
            var a = place(Uniform(29, [6, 3, 10])).Transpose(1, 0, 2);
            var b = place(Uniform(30, [10, 4]));
            var product = Ops.MatMul(a, b);
            var empty = Ops.Dense(Tensor.Zeros(b.Device, 3, 0), Tensor.Zeros(b.Device, 0, 4), place(Uniform(31, [4])));
            return [product, empty];
        }, relative: 1e-5, absolute: 1e-5);
    }
}
