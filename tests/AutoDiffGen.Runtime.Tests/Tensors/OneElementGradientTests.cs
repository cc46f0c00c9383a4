using Xunit;
using Grad = AutoDiffGen.TensorGradients;

namespace AutoDiffGen.Runtime.Tests.Tensors;

/// <summary>
/// Gradients of one-element tensors (a loss is one: <c>Mean(a) + Sum(b)</c> adds two scalars) overwrite their
/// destination when not accumulating, like every other gradient. The CPU's strided loop once gave such a tensor a
/// stride of 0, which the gradient kernels read as "broadcast along the row: sum into it", so a generated method that
/// added two scalars returned its gradient times the number of calls so far.
/// </summary>
public sealed class OneElementGradientTests
{
    public static TheoryData<int[]> OneElementShapes => new() { System.Array.Empty<int>(), new[] { 1 }, new[] { 1, 1 } };

    [Theory]
    [MemberData(nameof(OneElementShapes))]
    public void Binary_gradients_of_one_element_overwrite_when_not_accumulating(int[] shape)
    {
        Tensor dy = Tensor.Full(2f, shape), a = Tensor.Full(3f, shape), b = Tensor.Full(5f, shape);
        Tensor da = Tensor.Full(100f, shape), db = Tensor.Full(100f, shape);
        for (int call = 0; call < 3; call++)
        {
            Grad.Add(dy, a, b, da, db, accumulate: false);
        }

        Assert.Equal(2f, da.ToArray()[0]);
        Assert.Equal(2f, db.ToArray()[0]);

        Grad.Mul(dy, a, b, da, db, accumulate: false);
        Grad.Mul(dy, a, b, da, db, accumulate: false);
        Assert.Equal(10f, da.ToArray()[0]);
        Assert.Equal(6f, db.ToArray()[0]);

        Grad.Sub(dy, a, b, da, db, accumulate: true);
        Assert.Equal(12f, da.ToArray()[0]);
        Assert.Equal(4f, db.ToArray()[0]);
    }

    [Theory]
    [MemberData(nameof(OneElementShapes))]
    public void Gradients_with_a_scalar_operand_of_one_element_overwrite_when_not_accumulating(int[] shape)
    {
        Tensor dy = Tensor.Full(2f, shape), a = Tensor.Full(3f, shape), da = Tensor.Full(100f, shape);
        Grad.Mul(dy, a, 4f, da, accumulate: false);
        Grad.Mul(dy, a, 4f, da, accumulate: false);
        Assert.Equal(8f, da.ToArray()[0]);

        Grad.Sub(dy, 1f, a, da, accumulate: false);
        Assert.Equal(-2f, da.ToArray()[0]);
    }
}
