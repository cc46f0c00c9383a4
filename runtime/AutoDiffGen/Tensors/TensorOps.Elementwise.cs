using System;

namespace AutoDiffGen;

/// <summary>
/// The forward tensor ops. Every op has an allocating form <c>X(inputs)</c> and a destination form
/// <c>X(inputs, destination)</c> that checks the destination's shape, writes the result into it, allocates nothing
/// and returns it. Binary elementwise ops broadcast like NumPy: shapes align at the last axis, and an axis of size 1
/// (or a missing leading axis) repeats to match the other operand. An elementwise destination may be one of the inputs
/// when it has the result's shape (in place). Gradients are in <see cref="TensorGradients"/>.
/// </summary>
/// <remarks>Import with <c>using static AutoDiffGen.TensorOps;</c> to write <c>Relu(MatMul(x, w))</c>.</remarks>
public static partial class TensorOps
{
    /// <summary>The broadcast sum a + b, in a new tensor.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Add(Tensor a, Tensor b) => Binary(nameof(Add), BinaryOp.Add, a, b, null);

    /// <summary>The broadcast sum a + b, written into <paramref name="destination"/> (which must have the broadcast shape).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination has another shape, or the tensors are on different devices.</exception>
    public static Tensor Add(Tensor a, Tensor b, Tensor destination) => Binary(nameof(Add), BinaryOp.Add, a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The sum a + b with the scalar b, in a new tensor.</summary>
    public static Tensor Add(Tensor a, float b) => BinaryScalar(nameof(Add), BinaryOp.Add, a, b, scalarFirst: false, null);

    /// <summary>The sum a + b with the scalar b, written into <paramref name="destination"/> (a's shape).</summary>
    public static Tensor Add(Tensor a, float b, Tensor destination) => BinaryScalar(nameof(Add), BinaryOp.Add, a, b, scalarFirst: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The sum a + b with the scalar a, in a new tensor.</summary>
    public static Tensor Add(float a, Tensor b) => BinaryScalar(nameof(Add), BinaryOp.Add, b, a, scalarFirst: true, null);

    /// <summary>The sum a + b with the scalar a, written into <paramref name="destination"/> (b's shape).</summary>
    public static Tensor Add(float a, Tensor b, Tensor destination) => BinaryScalar(nameof(Add), BinaryOp.Add, b, a, scalarFirst: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The broadcast difference a − b, in a new tensor.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Sub(Tensor a, Tensor b) => Binary(nameof(Sub), BinaryOp.Sub, a, b, null);

    /// <summary>The broadcast difference a − b, written into <paramref name="destination"/> (which must have the broadcast shape).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination has another shape, or the tensors are on different devices.</exception>
    public static Tensor Sub(Tensor a, Tensor b, Tensor destination) => Binary(nameof(Sub), BinaryOp.Sub, a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The difference a − b with the scalar b, in a new tensor.</summary>
    public static Tensor Sub(Tensor a, float b) => BinaryScalar(nameof(Sub), BinaryOp.Sub, a, b, scalarFirst: false, null);

    /// <summary>The difference a − b with the scalar b, written into <paramref name="destination"/> (a's shape).</summary>
    public static Tensor Sub(Tensor a, float b, Tensor destination) => BinaryScalar(nameof(Sub), BinaryOp.Sub, a, b, scalarFirst: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The difference a − b with the scalar a, in a new tensor.</summary>
    public static Tensor Sub(float a, Tensor b) => BinaryScalar(nameof(Sub), BinaryOp.Sub, b, a, scalarFirst: true, null);

    /// <summary>The difference a − b with the scalar a, written into <paramref name="destination"/> (b's shape).</summary>
    public static Tensor Sub(float a, Tensor b, Tensor destination) => BinaryScalar(nameof(Sub), BinaryOp.Sub, b, a, scalarFirst: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The broadcast elementwise product a · b, in a new tensor.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Mul(Tensor a, Tensor b) => Binary(nameof(Mul), BinaryOp.Mul, a, b, null);

    /// <summary>The broadcast elementwise product a · b, written into <paramref name="destination"/> (which must have the broadcast shape).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination has another shape, or the tensors are on different devices.</exception>
    public static Tensor Mul(Tensor a, Tensor b, Tensor destination) => Binary(nameof(Mul), BinaryOp.Mul, a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The elementwise product a · b with the scalar b, in a new tensor.</summary>
    public static Tensor Mul(Tensor a, float b) => BinaryScalar(nameof(Mul), BinaryOp.Mul, a, b, scalarFirst: false, null);

    /// <summary>The elementwise product a · b with the scalar b, written into <paramref name="destination"/> (a's shape).</summary>
    public static Tensor Mul(Tensor a, float b, Tensor destination) => BinaryScalar(nameof(Mul), BinaryOp.Mul, a, b, scalarFirst: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The elementwise product a · b with the scalar a, in a new tensor.</summary>
    public static Tensor Mul(float a, Tensor b) => BinaryScalar(nameof(Mul), BinaryOp.Mul, b, a, scalarFirst: true, null);

    /// <summary>The elementwise product a · b with the scalar a, written into <paramref name="destination"/> (b's shape).</summary>
    public static Tensor Mul(float a, Tensor b, Tensor destination) => BinaryScalar(nameof(Mul), BinaryOp.Mul, b, a, scalarFirst: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The broadcast quotient a / b, in a new tensor.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Div(Tensor a, Tensor b) => Binary(nameof(Div), BinaryOp.Div, a, b, null);

    /// <summary>The broadcast quotient a / b, written into <paramref name="destination"/> (which must have the broadcast shape).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination has another shape, or the tensors are on different devices.</exception>
    public static Tensor Div(Tensor a, Tensor b, Tensor destination) => Binary(nameof(Div), BinaryOp.Div, a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The quotient a / b with the scalar b, in a new tensor.</summary>
    public static Tensor Div(Tensor a, float b) => BinaryScalar(nameof(Div), BinaryOp.Div, a, b, scalarFirst: false, null);

    /// <summary>The quotient a / b with the scalar b, written into <paramref name="destination"/> (a's shape).</summary>
    public static Tensor Div(Tensor a, float b, Tensor destination) => BinaryScalar(nameof(Div), BinaryOp.Div, a, b, scalarFirst: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The quotient a / b with the scalar a, in a new tensor.</summary>
    public static Tensor Div(float a, Tensor b) => BinaryScalar(nameof(Div), BinaryOp.Div, b, a, scalarFirst: true, null);

    /// <summary>The quotient a / b with the scalar a, written into <paramref name="destination"/> (b's shape).</summary>
    public static Tensor Div(float a, Tensor b, Tensor destination) => BinaryScalar(nameof(Div), BinaryOp.Div, b, a, scalarFirst: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The broadcast elementwise maximum (NaN if either is NaN) max(a, b), in a new tensor.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Maximum(Tensor a, Tensor b) => Binary(nameof(Maximum), BinaryOp.Maximum, a, b, null);

    /// <summary>The broadcast elementwise maximum (NaN if either is NaN) max(a, b), written into <paramref name="destination"/> (which must have the broadcast shape).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination has another shape, or the tensors are on different devices.</exception>
    public static Tensor Maximum(Tensor a, Tensor b, Tensor destination) => Binary(nameof(Maximum), BinaryOp.Maximum, a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The elementwise maximum (NaN if either is NaN) max(a, b) with the scalar b, in a new tensor.</summary>
    public static Tensor Maximum(Tensor a, float b) => BinaryScalar(nameof(Maximum), BinaryOp.Maximum, a, b, scalarFirst: false, null);

    /// <summary>The elementwise maximum (NaN if either is NaN) max(a, b) with the scalar b, written into <paramref name="destination"/> (a's shape).</summary>
    public static Tensor Maximum(Tensor a, float b, Tensor destination) => BinaryScalar(nameof(Maximum), BinaryOp.Maximum, a, b, scalarFirst: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The elementwise maximum (NaN if either is NaN) max(a, b) with the scalar a, in a new tensor.</summary>
    public static Tensor Maximum(float a, Tensor b) => BinaryScalar(nameof(Maximum), BinaryOp.Maximum, b, a, scalarFirst: true, null);

    /// <summary>The elementwise maximum (NaN if either is NaN) max(a, b) with the scalar a, written into <paramref name="destination"/> (b's shape).</summary>
    public static Tensor Maximum(float a, Tensor b, Tensor destination) => BinaryScalar(nameof(Maximum), BinaryOp.Maximum, b, a, scalarFirst: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The broadcast elementwise minimum (NaN if either is NaN) min(a, b), in a new tensor.</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, or the tensors are on different devices.</exception>
    public static Tensor Minimum(Tensor a, Tensor b) => Binary(nameof(Minimum), BinaryOp.Minimum, a, b, null);

    /// <summary>The broadcast elementwise minimum (NaN if either is NaN) min(a, b), written into <paramref name="destination"/> (which must have the broadcast shape).</summary>
    /// <exception cref="ArgumentException">The shapes do not broadcast, the destination has another shape, or the tensors are on different devices.</exception>
    public static Tensor Minimum(Tensor a, Tensor b, Tensor destination) => Binary(nameof(Minimum), BinaryOp.Minimum, a, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The elementwise minimum (NaN if either is NaN) min(a, b) with the scalar b, in a new tensor.</summary>
    public static Tensor Minimum(Tensor a, float b) => BinaryScalar(nameof(Minimum), BinaryOp.Minimum, a, b, scalarFirst: false, null);

    /// <summary>The elementwise minimum (NaN if either is NaN) min(a, b) with the scalar b, written into <paramref name="destination"/> (a's shape).</summary>
    public static Tensor Minimum(Tensor a, float b, Tensor destination) => BinaryScalar(nameof(Minimum), BinaryOp.Minimum, a, b, scalarFirst: false, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>The elementwise minimum (NaN if either is NaN) min(a, b) with the scalar a, in a new tensor.</summary>
    public static Tensor Minimum(float a, Tensor b) => BinaryScalar(nameof(Minimum), BinaryOp.Minimum, b, a, scalarFirst: true, null);

    /// <summary>The elementwise minimum (NaN if either is NaN) min(a, b) with the scalar a, written into <paramref name="destination"/> (b's shape).</summary>
    public static Tensor Minimum(float a, Tensor b, Tensor destination) => BinaryScalar(nameof(Minimum), BinaryOp.Minimum, b, a, scalarFirst: true, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise −x, in a new tensor.</summary>
    public static Tensor Negate(Tensor x) => Unary(nameof(Negate), UnaryOp.Negate, x, 0f, null);

    /// <summary>Elementwise −x, written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Negate(Tensor x, Tensor destination) => Unary(nameof(Negate), UnaryOp.Negate, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise eˣ, in a new tensor.</summary>
    public static Tensor Exp(Tensor x) => Unary(nameof(Exp), UnaryOp.Exp, x, 0f, null);

    /// <summary>Elementwise eˣ, written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Exp(Tensor x, Tensor destination) => Unary(nameof(Exp), UnaryOp.Exp, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise the natural logarithm ln x, in a new tensor.</summary>
    public static Tensor Log(Tensor x) => Unary(nameof(Log), UnaryOp.Log, x, 0f, null);

    /// <summary>Elementwise the natural logarithm ln x, written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Log(Tensor x, Tensor destination) => Unary(nameof(Log), UnaryOp.Log, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise the square root √x, in a new tensor.</summary>
    public static Tensor Sqrt(Tensor x) => Unary(nameof(Sqrt), UnaryOp.Sqrt, x, 0f, null);

    /// <summary>Elementwise the square root √x, written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Sqrt(Tensor x, Tensor destination) => Unary(nameof(Sqrt), UnaryOp.Sqrt, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise the hyperbolic tangent tanh x, in a new tensor.</summary>
    public static Tensor Tanh(Tensor x) => Unary(nameof(Tanh), UnaryOp.Tanh, x, 0f, null);

    /// <summary>Elementwise the hyperbolic tangent tanh x, written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Tanh(Tensor x, Tensor destination) => Unary(nameof(Tanh), UnaryOp.Tanh, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise the logistic sigmoid 1 / (1 + e⁻ˣ), in a new tensor.</summary>
    public static Tensor Sigmoid(Tensor x) => Unary(nameof(Sigmoid), UnaryOp.Sigmoid, x, 0f, null);

    /// <summary>Elementwise the logistic sigmoid 1 / (1 + e⁻ˣ), written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Sigmoid(Tensor x, Tensor destination) => Unary(nameof(Sigmoid), UnaryOp.Sigmoid, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise the rectifier max(x, 0), in a new tensor.</summary>
    public static Tensor Relu(Tensor x) => Unary(nameof(Relu), UnaryOp.Relu, x, 0f, null);

    /// <summary>Elementwise the rectifier max(x, 0), written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Relu(Tensor x, Tensor destination) => Unary(nameof(Relu), UnaryOp.Relu, x, 0f, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Elementwise xᵖ, in a new tensor.</summary>
    public static Tensor Pow(Tensor x, float exponent) => Unary(nameof(Pow), UnaryOp.Pow, x, exponent, null);

    /// <summary>Elementwise xᵖ, written into <paramref name="destination"/> (x's shape).</summary>
    /// <exception cref="ArgumentException">The destination has another shape or is on another device.</exception>
    public static Tensor Pow(Tensor x, float exponent, Tensor destination) => Unary(nameof(Pow), UnaryOp.Pow, x, exponent, destination ?? throw new ArgumentNullException(nameof(destination)));

    /// <summary>Copies <paramref name="source"/> into <paramref name="destination"/>, broadcasting it to the destination's shape; returns the destination.</summary>
    /// <exception cref="ArgumentException">The source does not broadcast to the destination's shape, or they are on different devices.</exception>
    public static Tensor Copy(Tensor source, Tensor destination)
    {
        OpChecks.NotNull(nameof(Copy), source, nameof(source));
        OpChecks.NotNull(nameof(Copy), destination, nameof(destination));
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        int rank = Shapes.Broadcast(nameof(Copy), source.Shape, destination.Shape, shape);
        OpChecks.Destination(nameof(Copy), destination, shape[..rank]);
        OpChecks.SameDevice(nameof(Copy), source, destination);
        destination.Backend.Copy(source, destination);
        return destination;
    }

    /// <summary>Sets every element of <paramref name="destination"/> to <paramref name="value"/>; returns the destination.</summary>
    public static Tensor Fill(Tensor destination, float value)
    {
        OpChecks.NotNull(nameof(Fill), destination, nameof(destination));
        destination.Backend.Fill(destination, value);
        return destination;
    }

    private static Tensor Binary(string name, BinaryOp op, Tensor a, Tensor b, Tensor? destination)
    {
        OpChecks.NotNull(name, a, nameof(a));
        OpChecks.NotNull(name, b, nameof(b));
        Span<int> shape = stackalloc int[Tensor.MaxRank];
        shape = shape[..Shapes.Broadcast(name, a.Shape, b.Shape, shape)];
        OpChecks.SameDevice(name, a, b, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(a.Device, shape);
        }
        else
        {
            OpChecks.Destination(name, destination, shape);
        }

        a.Backend.Binary(op, a, b, destination);
        return destination;
    }

    private static Tensor BinaryScalar(string name, BinaryOp op, Tensor tensor, float scalar, bool scalarFirst, Tensor? destination)
    {
        OpChecks.NotNull(name, tensor, scalarFirst ? "b" : "a");
        OpChecks.SameDevice(name, tensor, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(tensor.Device, tensor.Shape);
        }
        else
        {
            OpChecks.Destination(name, destination, tensor.Shape);
        }

        tensor.Backend.BinaryScalar(op, tensor, scalar, scalarFirst, destination);
        return destination;
    }

    private static Tensor Unary(string name, UnaryOp op, Tensor x, float parameter, Tensor? destination)
    {
        OpChecks.NotNull(name, x, nameof(x));
        OpChecks.SameDevice(name, x, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(x.Device, x.Shape);
        }
        else
        {
            OpChecks.Destination(name, destination, x.Shape);
        }

        x.Backend.Unary(op, x, parameter, destination);
        return destination;
    }
}
