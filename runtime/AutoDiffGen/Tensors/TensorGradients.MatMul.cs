using System;

namespace AutoDiffGen;

public static partial class TensorGradients
{
    /// <summary>
    /// Backward of y = a·b (2-D or batched, see <see cref="TensorOps.MatMul(Tensor, Tensor)"/>): da = dy·bᵀ and
    /// db = aᵀ·dy, each summed over the batch items that shared a broadcast operand. Both run through
    /// <see cref="TensorOps.Gemm"/> on transposed views, so nothing is copied.
    /// </summary>
    /// <exception cref="ArgumentException">dy is not the product's shape, a gradient is not its operand's shape, or the tensors are on different devices.</exception>
    public static void MatMul(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
    {
        const string op = nameof(MatMul);
        OpChecks.NotNull(op, dy, nameof(dy));
        OpChecks.NotNull(op, a, nameof(a));
        OpChecks.NotNull(op, b, nameof(b));
        Span<int> shape = stackalloc int[3];
        shape = shape[..TensorOps.MatMulShape(op, a, b, shape)];
        OpChecks.Destination(op, dy, shape, nameof(dy));
        OpChecks.SameDevice(op, dy, a, b, da, db);
        CheckGradient(op, da, nameof(da), a, nameof(a), dy, a, b);
        CheckGradient(op, db, nameof(db), b, nameof(b), dy, a, b);
        float beta = accumulate ? 1f : 0f;
        if (da is not null)
        {
            dy.Backend.Gemm(false, true, 1f, dy, b, beta, da, null);
        }

        if (db is not null)
        {
            dy.Backend.Gemm(true, false, 1f, a, dy, beta, db, null);
        }
    }

    /// <summary>
    /// Backward of y = x·W + b (<see cref="TensorOps.Dense(Tensor, Tensor, Tensor)"/>): dx = dy·Wᵀ, dW = xᵀ·dy and
    /// db = the column sums of dy. Pass null for a gradient that is not needed (typically dx of the first layer).
    /// </summary>
    /// <exception cref="ArgumentException">A shape does not match or the tensors are on different devices.</exception>
    public static void Dense(Tensor dy, Tensor x, Tensor w, Tensor? dx, Tensor? dw, Tensor? db, bool accumulate)
    {
        const string op = nameof(Dense);
        OpChecks.NotNull(op, dy, nameof(dy));
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, w, nameof(w));
        TensorOps.CheckDenseShapes(op, x, w, null);
        OpChecks.Destination(op, dy, [x.Shape[0], w.Shape[1]], nameof(dy));
        OpChecks.SameDevice(op, dy, x, w, dx, dw, db);
        CheckGradient(op, dx, nameof(dx), x, nameof(x), dy, x, w);
        CheckGradient(op, dw, nameof(dw), w, nameof(w), dy, x, w);
        if (db is not null)
        {
            OpChecks.Destination(op, db, [w.Shape[1]], nameof(db));
            OpChecks.NoSharedStorage(op, db, nameof(db), dy, nameof(dy));
        }

        float beta = accumulate ? 1f : 0f;
        if (dx is not null)
        {
            dy.Backend.Gemm(false, true, 1f, dy, w, beta, dx, null);
        }

        if (dw is not null)
        {
            dy.Backend.Gemm(true, false, 1f, x, dy, beta, dw, null);
        }

        if (db is not null)
        {
            dy.Backend.Reduce(ReduceOp.Sum, dy, axesMask: 1, db, accumulate);
        }
    }

    /// <summary>
    /// Backward of the ReLU and the bias of y = <see cref="TensorOps.DenseRelu(Tensor, Tensor, Tensor)"/>, from the layer's
    /// output: dz = dy ⊙ [y &gt; 0], the adjoint of x·W + b (overwritten), and db (+)= the column sums of dz. Pass dz to
    /// <see cref="Dense"/> (without db) for dx and dW. On an ILGPU device one kernel launch where the ReLU's gradient and
    /// the bias gradient take two or more.
    /// </summary>
    /// <param name="dy">[N,Out] adjoint of the layer's output.</param>
    /// <param name="y">[N,Out] the layer's output: positive exactly where x·W + b is.</param>
    /// <param name="dz">[N,Out] the pre-activation's adjoint (overwritten).</param>
    /// <param name="db">[Out] the bias gradient.</param>
    /// <param name="accumulateBias">Add into <paramref name="db"/> instead of overwriting it.</param>
    /// <exception cref="ArgumentException">A shape does not match, buffers overlap, or the tensors are on different devices.</exception>
    public static void ReluAndBias(Tensor dy, Tensor y, Tensor dz, Tensor db, bool accumulateBias)
    {
        const string op = nameof(ReluAndBias);
        OpChecks.NotNull(op, dy, nameof(dy));
        OpChecks.NotNull(op, y, nameof(y));
        OpChecks.NotNull(op, dz, nameof(dz));
        OpChecks.NotNull(op, db, nameof(db));
        OpChecks.Rank(op, y, nameof(y), 2);
        OpChecks.SameShape(op, dy, nameof(dy), y, nameof(y));
        OpChecks.Destination(op, dz, y.Shape, nameof(dz));
        OpChecks.Destination(op, db, [y.Shape[1]], nameof(db));
        OpChecks.SameDevice(op, dy, y, dz, db);
        OpChecks.NoSharedStorage(op, dz, nameof(dz), y, nameof(y));
        OpChecks.NoSharedStorage(op, db, nameof(db), dz, nameof(dz));
        OpChecks.NoSharedStorage(op, db, nameof(db), dy, nameof(dy));
        OpChecks.NoSharedStorage(op, db, nameof(db), y, nameof(y));
        dy.Backend.ReluGradientWithColumnSums(dy, y, dz, db, accumulateBias);
    }
}
