using System;

namespace AutoDiffGen;

/// <summary>
/// The backward (vector-Jacobian) kernels of the ops in <see cref="TensorOps"/>, for generated reverse-mode code. Each
/// takes the upstream gradient dy, the forward inputs (and output y where the formula reads it), and writes into
/// caller-provided gradient tensors: with <c>accumulate</c> false it overwrites them, with true it adds into them, so
/// generated code never zero-fills. A null gradient destination skips that gradient. Nothing allocates in steady state.
/// </summary>
/// <remarks>
/// Gradient destinations must not share storage with any input, except that an elementwise unary gradient may be
/// written over dy (in place). Gradients of broadcast operands are summed over the axes along which they repeated,
/// so each has its operand's shape.
/// </remarks>
public static partial class TensorGradients
{
    /// <summary>Backward of y = a + b (broadcasting): ∂a = dy, ∂b = dy, each summed back to its operand's shape.</summary>
    /// <exception cref="ArgumentException">A shape does not match its operand, dy is not the broadcast shape, or the tensors are on different devices.</exception>
    public static void Add(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
        => Binary(nameof(Add), BinaryOp.Add, dy, a, b, da, db, accumulate);

    /// <summary>Backward of y = a + b with the scalar b: the gradient of the tensor a (elementwise; da may be dy).</summary>
    public static void Add(Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
        => BinaryScalar(nameof(Add), BinaryOp.Add, dy, a, b, scalarFirst: false, da, accumulate);

    /// <summary>Backward of y = a + b with the scalar a: the gradient of the tensor b (elementwise; db may be dy).</summary>
    public static void Add(Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
        => BinaryScalar(nameof(Add), BinaryOp.Add, dy, b, a, scalarFirst: true, db, accumulate);

    /// <summary>Backward of y = a − b (broadcasting): ∂a = dy, ∂b = −dy, each summed back to its operand's shape.</summary>
    /// <exception cref="ArgumentException">A shape does not match its operand, dy is not the broadcast shape, or the tensors are on different devices.</exception>
    public static void Sub(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
        => Binary(nameof(Sub), BinaryOp.Sub, dy, a, b, da, db, accumulate);

    /// <summary>Backward of y = a − b with the scalar b: the gradient of the tensor a (elementwise; da may be dy).</summary>
    public static void Sub(Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
        => BinaryScalar(nameof(Sub), BinaryOp.Sub, dy, a, b, scalarFirst: false, da, accumulate);

    /// <summary>Backward of y = a − b with the scalar a: the gradient of the tensor b (elementwise; db may be dy).</summary>
    public static void Sub(Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
        => BinaryScalar(nameof(Sub), BinaryOp.Sub, dy, b, a, scalarFirst: true, db, accumulate);

    /// <summary>Backward of y = a · b (broadcasting): ∂a = dy·b, ∂b = dy·a, each summed back to its operand's shape.</summary>
    /// <exception cref="ArgumentException">A shape does not match its operand, dy is not the broadcast shape, or the tensors are on different devices.</exception>
    public static void Mul(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
        => Binary(nameof(Mul), BinaryOp.Mul, dy, a, b, da, db, accumulate);

    /// <summary>Backward of y = a · b with the scalar b: the gradient of the tensor a (elementwise; da may be dy).</summary>
    public static void Mul(Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
        => BinaryScalar(nameof(Mul), BinaryOp.Mul, dy, a, b, scalarFirst: false, da, accumulate);

    /// <summary>Backward of y = a · b with the scalar a: the gradient of the tensor b (elementwise; db may be dy).</summary>
    public static void Mul(Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
        => BinaryScalar(nameof(Mul), BinaryOp.Mul, dy, b, a, scalarFirst: true, db, accumulate);

    /// <summary>Backward of y = a / b (broadcasting): ∂a = dy / b, ∂b = −dy·a / b², each summed back to its operand's shape.</summary>
    /// <exception cref="ArgumentException">A shape does not match its operand, dy is not the broadcast shape, or the tensors are on different devices.</exception>
    public static void Div(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
        => Binary(nameof(Div), BinaryOp.Div, dy, a, b, da, db, accumulate);

    /// <summary>Backward of y = a / b with the scalar b: the gradient of the tensor a (elementwise; da may be dy).</summary>
    public static void Div(Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
        => BinaryScalar(nameof(Div), BinaryOp.Div, dy, a, b, scalarFirst: false, da, accumulate);

    /// <summary>Backward of y = a / b with the scalar a: the gradient of the tensor b (elementwise; db may be dy).</summary>
    public static void Div(Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
        => BinaryScalar(nameof(Div), BinaryOp.Div, dy, b, a, scalarFirst: true, db, accumulate);

    /// <summary>Backward of y = max(a, b) (broadcasting): dy flows to a where a ≥ b (ties go to a, as in TensorFlow) and to b elsewhere, each summed back to its operand's shape.</summary>
    /// <exception cref="ArgumentException">A shape does not match its operand, dy is not the broadcast shape, or the tensors are on different devices.</exception>
    public static void Maximum(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
        => Binary(nameof(Maximum), BinaryOp.Maximum, dy, a, b, da, db, accumulate);

    /// <summary>Backward of y = max(a, b) with the scalar b: the gradient of the tensor a (elementwise; da may be dy).</summary>
    public static void Maximum(Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
        => BinaryScalar(nameof(Maximum), BinaryOp.Maximum, dy, a, b, scalarFirst: false, da, accumulate);

    /// <summary>Backward of y = max(a, b) with the scalar a: the gradient of the tensor b (elementwise; db may be dy).</summary>
    public static void Maximum(Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
        => BinaryScalar(nameof(Maximum), BinaryOp.Maximum, dy, b, a, scalarFirst: true, db, accumulate);

    /// <summary>Backward of y = min(a, b) (broadcasting): dy flows to a where a ≤ b (ties go to a) and to b elsewhere, each summed back to its operand's shape.</summary>
    /// <exception cref="ArgumentException">A shape does not match its operand, dy is not the broadcast shape, or the tensors are on different devices.</exception>
    public static void Minimum(Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
        => Binary(nameof(Minimum), BinaryOp.Minimum, dy, a, b, da, db, accumulate);

    /// <summary>Backward of y = min(a, b) with the scalar b: the gradient of the tensor a (elementwise; da may be dy).</summary>
    public static void Minimum(Tensor dy, Tensor a, float b, Tensor da, bool accumulate)
        => BinaryScalar(nameof(Minimum), BinaryOp.Minimum, dy, a, b, scalarFirst: false, da, accumulate);

    /// <summary>Backward of y = min(a, b) with the scalar a: the gradient of the tensor b (elementwise; db may be dy).</summary>
    public static void Minimum(Tensor dy, float a, Tensor b, Tensor db, bool accumulate)
        => BinaryScalar(nameof(Minimum), BinaryOp.Minimum, dy, b, a, scalarFirst: true, db, accumulate);

    /// <summary>Backward of y = −x: dx = −dy; reads neither x nor y. dx may be dy (in place).</summary>
    public static void Negate(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Negate), UnaryOp.Negate, 0f, dy, x, y, dx, accumulate, readsX: false, readsY: false);

    /// <summary>Backward of y = eˣ: dx = dy·y; reads y. dx may be dy (in place).</summary>
    public static void Exp(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Exp), UnaryOp.Exp, 0f, dy, x, y, dx, accumulate, readsX: false, readsY: true);

    /// <summary>Backward of y = ln x: dx = dy / x; reads x. dx may be dy (in place).</summary>
    public static void Log(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Log), UnaryOp.Log, 0f, dy, x, y, dx, accumulate, readsX: true, readsY: false);

    /// <summary>Backward of y = √x: dx = dy / (2y); reads y. dx may be dy (in place).</summary>
    public static void Sqrt(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Sqrt), UnaryOp.Sqrt, 0f, dy, x, y, dx, accumulate, readsX: false, readsY: true);

    /// <summary>Backward of y = tanh x: dx = dy·(1 − y²); reads y. dx may be dy (in place).</summary>
    public static void Tanh(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Tanh), UnaryOp.Tanh, 0f, dy, x, y, dx, accumulate, readsX: false, readsY: true);

    /// <summary>Backward of y = σ(x): dx = dy·y·(1 − y); reads y. dx may be dy (in place).</summary>
    public static void Sigmoid(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Sigmoid), UnaryOp.Sigmoid, 0f, dy, x, y, dx, accumulate, readsX: false, readsY: true);

    /// <summary>Backward of y = max(x, 0): dx = dy where x &gt; 0, else 0; reads x. dx may be dy (in place).</summary>
    public static void Relu(Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate)
        => Unary(nameof(Relu), UnaryOp.Relu, 0f, dy, x, y, dx, accumulate, readsX: true, readsY: false);

    /// <summary>Backward of y = xᵖ: dx = dy·p·xᵖ⁻¹; reads x. dx may be dy (in place).</summary>
    public static void Pow(Tensor dy, Tensor x, Tensor? y, float exponent, Tensor dx, bool accumulate)
        => Unary(nameof(Pow), UnaryOp.Pow, exponent, dy, x, y, dx, accumulate, readsX: true, readsY: false);

    /// <summary>Backward of y = a + alpha·b (<see cref="TensorOps.AddScaled(Tensor, float, Tensor)"/>): ∂a = dy, ∂b = alpha·dy. da may be dy.</summary>
    public static void AddScaled(Tensor dy, Tensor a, float alpha, Tensor b, Tensor? da, Tensor? db, bool accumulate)
    {
        const string name = nameof(AddScaled);
        OpChecks.NotNull(name, dy, nameof(dy));
        OpChecks.NotNull(name, a, nameof(a));
        OpChecks.NotNull(name, b, nameof(b));
        OpChecks.SameShape(name, a, nameof(a), b, nameof(b));
        OpChecks.Destination(name, dy, a.Shape, nameof(dy));
        OpChecks.SameDevice(name, dy, a, b, da, db);
        if (da is not null)
        {
            OpChecks.Destination(name, da, a.Shape, nameof(da));
        }

        if (db is not null)
        {
            OpChecks.Destination(name, db, b.Shape, nameof(db));
            OpChecks.NoSharedStorage(name, db, nameof(db), dy, nameof(dy));
            if (da is not null)
            {
                OpChecks.NoSharedStorage(name, db, nameof(db), da, nameof(da));
            }
        }

        // db first: da may be written over dy, which db still reads.
        if (db is not null)
        {
            if (accumulate)
            {
                dy.Backend.AddScaled(db, alpha, dy, db);
            }
            else
            {
                dy.Backend.BinaryScalar(BinaryOp.Mul, dy, alpha, scalarFirst: false, db);
            }
        }

        if (da is not null)
        {
            if (accumulate)
            {
                dy.Backend.AddScaled(da, 1f, dy, da);
            }
            else if (!ReferenceEquals(da, dy))
            {
                dy.Backend.Copy(dy, da);
            }
        }
    }

    private static void Binary(string name, BinaryOp op, Tensor dy, Tensor a, Tensor b, Tensor? da, Tensor? db, bool accumulate)
    {
        OpChecks.NotNull(name, dy, nameof(dy));
        OpChecks.NotNull(name, a, nameof(a));
        OpChecks.NotNull(name, b, nameof(b));
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..Shapes.Broadcast(name, a.Shape, b.Shape, shape)];
        OpChecks.Destination(name, dy, shape, nameof(dy));
        OpChecks.SameDevice(name, dy, a, b, da, db);
        CheckGradient(name, da, nameof(da), a, nameof(a), dy, a, b);
        CheckGradient(name, db, nameof(db), b, nameof(b), dy, a, b);
        if (da is not null && db is not null)
        {
            OpChecks.NoSharedStorage(name, db, nameof(db), da, nameof(da));
        }

        dy.Backend.BinaryBackward(op, dy, a, b, da, db, accumulate);
    }

    private static void BinaryScalar(string name, BinaryOp op, Tensor dy, Tensor tensor, float scalar, bool scalarFirst, Tensor gradient, bool accumulate)
    {
        string tensorName = scalarFirst ? "b" : "a", gradientName = scalarFirst ? "db" : "da";
        OpChecks.NotNull(name, dy, nameof(dy));
        OpChecks.NotNull(name, tensor, tensorName);
        OpChecks.NotNull(name, gradient, gradientName);
        OpChecks.SameShape(name, dy, nameof(dy), tensor, tensorName);
        OpChecks.SameDevice(name, dy, tensor, gradient);
        OpChecks.Destination(name, gradient, tensor.Shape, gradientName);
        dy.Backend.BinaryScalarBackward(op, dy, tensor, scalar, scalarFirst, gradient, accumulate);
    }

    private static void Unary(string name, UnaryOp op, float parameter, Tensor dy, Tensor? x, Tensor? y, Tensor dx, bool accumulate, bool readsX, bool readsY)
    {
        OpChecks.NotNull(name, dy, nameof(dy));
        OpChecks.NotNull(name, dx, nameof(dx));
        if (readsX)
        {
            OpChecks.NotNull(name, x, nameof(x));
        }

        if (readsY)
        {
            OpChecks.NotNull(name, y, nameof(y));
        }

        OpChecks.SameDevice(name, dy, x, y, dx);
        OpChecks.Destination(name, dx, dy.Shape, nameof(dx));
        if (readsX)
        {
            OpChecks.SameShape(name, dy, nameof(dy), x!, nameof(x));
        }

        if (readsY)
        {
            OpChecks.SameShape(name, dy, nameof(dy), y!, nameof(y));
        }

        dy.Backend.UnaryBackward(op, parameter, dy, readsX ? x : null, readsY ? y : null, dx, accumulate);
    }

    /// <summary>Checks an optional gradient destination: its operand's shape, and no storage shared with the inputs.</summary>
    private static void CheckGradient(string name, Tensor? gradient, string gradientName, Tensor operand, string operandName, Tensor dy, Tensor a, Tensor b)
    {
        if (gradient is null)
        {
            return;
        }

        if (!Shapes.Equal(gradient.Shape, operand.Shape))
        {
            throw new ArgumentException($"{name}: {gradientName} has shape {gradient.ShapeText} but {operandName} has shape {operand.ShapeText}; they must match.", gradientName);
        }

        OpChecks.NoSharedStorage(name, gradient, gradientName, dy, nameof(dy));
        OpChecks.NoSharedStorage(name, gradient, gradientName, a, nameof(a));
        OpChecks.NoSharedStorage(name, gradient, gradientName, b, nameof(b));
    }
}
