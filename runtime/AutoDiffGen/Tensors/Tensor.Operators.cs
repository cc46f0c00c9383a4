using System;

namespace AutoDiffGen;

public sealed partial class Tensor
{
    /// <summary>The broadcast sum (allocates; see <see cref="TensorOps.Add(Tensor, Tensor)"/>).</summary>
    public static Tensor operator +(Tensor a, Tensor b) => TensorOps.Add(a, b);

    /// <summary>The sum with a scalar (allocates).</summary>
    public static Tensor operator +(Tensor a, float b) => TensorOps.Add(a, b);

    /// <summary>The sum with a scalar (allocates).</summary>
    public static Tensor operator +(float a, Tensor b) => TensorOps.Add(a, b);

    /// <summary>The broadcast difference (allocates).</summary>
    public static Tensor operator -(Tensor a, Tensor b) => TensorOps.Sub(a, b);

    /// <summary>The difference with a scalar (allocates).</summary>
    public static Tensor operator -(Tensor a, float b) => TensorOps.Sub(a, b);

    /// <summary>The difference with a scalar (allocates).</summary>
    public static Tensor operator -(float a, Tensor b) => TensorOps.Sub(a, b);

    /// <summary>The broadcast elementwise product (allocates); for the matrix product use <see cref="TensorOps.MatMul(Tensor, Tensor)"/>.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => TensorOps.Mul(a, b);

    /// <summary>The product with a scalar (allocates).</summary>
    public static Tensor operator *(Tensor a, float b) => TensorOps.Mul(a, b);

    /// <summary>The product with a scalar (allocates).</summary>
    public static Tensor operator *(float a, Tensor b) => TensorOps.Mul(a, b);

    /// <summary>The broadcast quotient (allocates).</summary>
    public static Tensor operator /(Tensor a, Tensor b) => TensorOps.Div(a, b);

    /// <summary>The quotient by a scalar (allocates).</summary>
    public static Tensor operator /(Tensor a, float b) => TensorOps.Div(a, b);

    /// <summary>The scalar divided elementwise by a tensor (allocates).</summary>
    public static Tensor operator /(float a, Tensor b) => TensorOps.Div(a, b);

    /// <summary>The elementwise negation (allocates).</summary>
    public static Tensor operator -(Tensor x) => TensorOps.Negate(x);

    /// <summary>
    /// The value of a one-element tensor, such as a loss from <see cref="TensorOps.Mean(Tensor)"/>:
    /// <c>float loss = Mean(...)</c>. Same as <see cref="ToScalar"/>; throws, naming the shape, for
    /// any other tensor.
    /// </summary>
    /// <param name="tensor">A tensor with exactly one element.</param>
    public static implicit operator float(Tensor tensor)
    {
        ArgumentNullException.ThrowIfNull(tensor);
        return tensor.ToScalar();
    }
}
