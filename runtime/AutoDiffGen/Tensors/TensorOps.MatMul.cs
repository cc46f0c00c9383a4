using System;

namespace AutoDiffGen;

public static partial class TensorOps
{
    /// <summary>
    /// The matrix product: [M,K]·[K,N] → [M,N], or batched with 3-D operands, where a 2-D operand or a batch of 1 is
    /// shared by every batch item ([B,M,K]·[K,N] → [B,M,N]).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The inner dimensions differ (e.g. "MatMul: shapes [100,784] and [256,10] do not match (784 != 256)"), an operand is
    /// not 2-D or 3-D, the batch sizes do not broadcast, or the tensors are on different devices.
    /// </exception>
    public static Tensor MatMul(Tensor a, Tensor b) => MatMulCore(a, b, null);

    /// <summary>The matrix product (see <see cref="MatMul(Tensor, Tensor)"/>), written into <paramref name="destination"/>, which must not share storage with a or b.</summary>
    public static Tensor MatMul(Tensor a, Tensor b, Tensor destination) => MatMulCore(a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>
    /// The general matrix product c = alpha·op(a)·op(b) + beta·c, where op transposes its operand when asked
    /// (as a view, never a copy). a, b and c are 2-D, or 3-D batches where a 2-D operand or a batch of 1 is shared by
    /// every batch item; when c is 2-D but a or b is a batch, the batch's products are summed into c. beta = 0 ignores
    /// c's old contents (even NaN). This serves both MatMul's forward and its backward (da = dy·bᵀ, db = aᵀ·dy).
    /// </summary>
    /// <exception cref="ArgumentException">
    /// The shapes do not match, c shares storage with a or b, or the tensors are on different devices.
    /// </exception>
    public static void Gemm(bool transposeA, bool transposeB, float alpha, Tensor a, Tensor b, float beta, Tensor c)
    {
        const string op = nameof(Gemm);
        OpChecks.NotNull(op, a, nameof(a));
        OpChecks.NotNull(op, b, nameof(b));
        OpChecks.NotNull(op, c, nameof(c));
        CheckMatrixOrBatch(op, a, "a");
        CheckMatrixOrBatch(op, b, "b");
        CheckMatrixOrBatch(op, c, "c");
        int m = transposeA ? a.Shape[^1] : a.Shape[^2];
        int k = transposeA ? a.Shape[^2] : a.Shape[^1];
        int k2 = transposeB ? b.Shape[^1] : b.Shape[^2];
        int n = transposeB ? b.Shape[^2] : b.Shape[^1];
        if (k != k2)
        {
            throw new ArgumentException($"{op}: op(a) is [{m},{k}] (a {a.ShapeText}{(transposeA ? ", transposed" : "")}) and op(b) is [{k2},{n}] (b {b.ShapeText}{(transposeB ? ", transposed" : "")}); they do not match ({k} != {k2}).");
        }

        if (c.Shape[^2] != m || c.Shape[^1] != n)
        {
            throw new ArgumentException($"{op}: c has shape {c.ShapeText} but op(a)·op(b) is [{m},{n}].");
        }

        int batchA = a.Rank == 3 ? a.Shape[0] : 1, batchB = b.Rank == 3 ? b.Shape[0] : 1, batchC = c.Rank == 3 ? c.Shape[0] : 1;
        int count = Math.Max(batchA, Math.Max(batchB, batchC));
        if ((batchA != 1 && batchA != count) || (batchB != 1 && batchB != count) || (batchC != 1 && batchC != count))
        {
            throw new ArgumentException($"{op}: the batch sizes of a {a.ShapeText}, b {b.ShapeText} and c {c.ShapeText} do not broadcast.");
        }

        OpChecks.SameDevice(op, a, b, c);
        OpChecks.NoSharedStorage(op, c, "c", a, "a");
        OpChecks.NoSharedStorage(op, c, "c", b, "b");
        c.Backend.Gemm(transposeA, transposeB, alpha, a, b, beta, c, null);
    }

    /// <summary>
    /// A fully connected layer, x·W + b, with the bias added as the product is written (no second pass):
    /// x [N,In], W [In,Out], b [Out] → [N,Out].
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match or the tensors are on different devices.</exception>
    public static Tensor Dense(Tensor x, Tensor w, Tensor b) => DenseCore(nameof(Dense), x, w, b, null, relu: false);

    /// <summary>x·W + b (see <see cref="Dense(Tensor, Tensor, Tensor)"/>), written into <paramref name="destination"/> [N,Out], which must not share storage with the inputs.</summary>
    public static Tensor Dense(Tensor x, Tensor w, Tensor b, Tensor destination) => DenseCore(nameof(Dense), x, w, b, destination ?? throw new ArgumentNullException(nameof(destination)), relu: false);

    /// <summary>
    /// A fully connected layer with its ReLU, max(0, x·W + b), applied as the product is written: one pass where
    /// <c>Relu(Dense(x, W, b))</c> takes two (on a GPU one kernel launch fewer, and no buffer for x·W + b), with the
    /// same values (to the bit on the CPU and with the ILGPU kernels; cuBLAS may sum in another order). x [N,In], W [In,Out], b [Out] → [N,Out]. The generator uses it for
    /// <c>Relu(Dense(…))</c> and <c>Relu(layer.Apply(…))</c> whose pre-activation nothing else reads; its gradient reads
    /// the output (ReLU passes the adjoint exactly where the output is positive).
    /// </summary>
    /// <exception cref="ArgumentException">The shapes do not match or the tensors are on different devices.</exception>
    public static Tensor DenseRelu(Tensor x, Tensor w, Tensor b) => DenseCore(nameof(DenseRelu), x, w, b, null, relu: true);

    /// <summary>max(0, x·W + b) (see <see cref="DenseRelu(Tensor, Tensor, Tensor)"/>), written into <paramref name="destination"/> [N,Out], which must not share storage with the inputs.</summary>
    public static Tensor DenseRelu(Tensor x, Tensor w, Tensor b, Tensor destination)
        => DenseCore(nameof(DenseRelu), x, w, b, destination ?? throw new ArgumentNullException(nameof(destination)), relu: true);

    private static Tensor MatMulCore(Tensor a, Tensor b, Tensor? destination)
    {
        const string op = nameof(MatMul);
        OpChecks.NotNull(op, a, nameof(a));
        OpChecks.NotNull(op, b, nameof(b));
        Span<int> shape = stackalloc int[3];
        shape = shape[..MatMulShape(op, a, b, shape)];
        OpChecks.SameDevice(op, a, b, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(a.Device, shape);
        }
        else
        {
            OpChecks.Destination(op, destination, shape);
            OpChecks.NoSharedStorage(op, destination, "destination", a, "a");
            OpChecks.NoSharedStorage(op, destination, "destination", b, "b");
        }

        destination.Backend.Gemm(false, false, 1f, a, b, 0f, destination, null);
        return destination;
    }

    /// <summary>Writes the shape of a·b and returns its rank; throws naming both shapes when they do not match.</summary>
    internal static int MatMulShape(string op, Tensor a, Tensor b, Span<int> shape)
    {
        if (a.Rank is < 2 or > 3 || b.Rank is < 2 or > 3)
        {
            throw new ArgumentException($"{op}: shapes {a.ShapeText} and {b.ShapeText} cannot be multiplied; operands must be 2-D matrices or 3-D batches of matrices.");
        }

        if (a.Shape[^1] != b.Shape[^2])
        {
            throw new ArgumentException($"{op}: shapes {a.ShapeText} and {b.ShapeText} do not match ({a.Shape[^1]} != {b.Shape[^2]}).");
        }

        int batchA = a.Rank == 3 ? a.Shape[0] : 1, batchB = b.Rank == 3 ? b.Shape[0] : 1;
        if (batchA != batchB && batchA != 1 && batchB != 1)
        {
            throw new ArgumentException($"{op}: shapes {a.ShapeText} and {b.ShapeText} have batch sizes that do not broadcast ({batchA} != {batchB}).");
        }

        int rank = 0;
        if (a.Rank == 3 || b.Rank == 3)
        {
            shape[rank++] = Math.Max(batchA, batchB);
        }

        shape[rank++] = a.Shape[^2];
        shape[rank++] = b.Shape[^1];
        return rank;
    }

    private static Tensor DenseCore(string op, Tensor x, Tensor w, Tensor b, Tensor? destination, bool relu)
    {
        OpChecks.NotNull(op, x, nameof(x));
        OpChecks.NotNull(op, w, nameof(w));
        OpChecks.NotNull(op, b, nameof(b));
        CheckDenseShapes(op, x, w, b);
        OpChecks.SameDevice(op, x, w, b, destination);
        Span<int> shape = [x.Shape[0], w.Shape[1]];
        if (destination is null)
        {
            destination = Tensor.Zeros(x.Device, shape);
        }
        else
        {
            OpChecks.Destination(op, destination, shape);
            OpChecks.NoSharedStorage(op, destination, "destination", x, "x");
            OpChecks.NoSharedStorage(op, destination, "destination", w, "w");
            OpChecks.NoSharedStorage(op, destination, "destination", b, "b");
        }

        destination.Backend.Gemm(false, false, 1f, x, w, 0f, destination, b, relu);
        return destination;
    }

    /// <summary>Throws unless x is [N,In], W is [In,Out] and b is [Out].</summary>
    internal static void CheckDenseShapes(string op, Tensor x, Tensor w, Tensor? b)
    {
        if (x.Rank != 2 || w.Rank != 2)
        {
            throw new ArgumentException($"{op}: shapes {x.ShapeText} and {w.ShapeText} must both be 2-D (x [N,In], W [In,Out]).");
        }

        if (x.Shape[1] != w.Shape[0])
        {
            throw new ArgumentException($"{op}: shapes {x.ShapeText} and {w.ShapeText} do not match ({x.Shape[1]} != {w.Shape[0]}).");
        }

        if (b is not null && (b.Rank != 1 || b.Shape[0] != w.Shape[1]))
        {
            throw new ArgumentException($"{op}: bias has shape {b.ShapeText} but W {w.ShapeText} has {w.Shape[1]} outputs; the bias must be [{w.Shape[1]}].");
        }
    }

    private static void CheckMatrixOrBatch(string op, Tensor tensor, string name)
    {
        if (tensor.Rank is < 2 or > 3)
        {
            throw new ArgumentException($"{op}: {name} has shape {tensor.ShapeText} but must be a 2-D matrix or a 3-D batch of matrices.");
        }
    }
}
