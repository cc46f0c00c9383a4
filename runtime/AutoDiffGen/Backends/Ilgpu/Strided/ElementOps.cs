using AutoDiffGen.Backends.Ilgpu.Elementwise;
using ILGPU;

namespace AutoDiffGen.Backends.Ilgpu.Strided;

/// <summary>
/// What a strided elementwise launch computes per element, from up to three operands at the given offsets. Each op
/// reads only the operands it needs; the others may be any valid view.
/// </summary>
internal interface IElementOp
{
    float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout);
}

/// <summary>output = Scalar · first: a copy (Scalar 1), broadcasting through zero strides, or a reduction's backward.</summary>
internal struct ScaledCopyOp : IElementOp
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout) =>
        layout.Scalar * first[a];
}

/// <summary>output = Scalar.</summary>
internal struct FillOp : IElementOp
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout) =>
        layout.Scalar;
}

/// <summary>output = first + Scalar · second.</summary>
internal struct AddScaledOp : IElementOp
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout) =>
        first[a] + (layout.Scalar * second[b]);
}

/// <summary>output = f(first).</summary>
internal struct MapOp<TFunction> : IElementOp
    where TFunction : struct, IUnaryFunction
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout) =>
        default(TFunction).Forward(first[a], layout.Parameter);
}

/// <summary>output = f′ · dy with x = first, y = second, dy = third; the function loads only what its formula reads.</summary>
internal struct MapGradientOp<TFunction> : IElementOp
    where TFunction : struct, IUnaryFunction
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout) =>
        default(TFunction).Backward(first[a], second[b], third[c], layout.Parameter);
}

/// <summary>output = f(first, second), either operand possibly the scalar.</summary>
internal struct CombineOp<TFunction> : IElementOp
    where TFunction : struct, IBinaryFunction
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout) =>
        default(TFunction).Forward(Operands.Load(first, a, 1, layout), Operands.Load(second, b, 2, layout));
}

/// <summary>output = ∂f/∂(first or second) · dy with dy = third; either operand possibly the scalar.</summary>
internal struct CombineGradientOp<TFunction> : IElementOp
    where TFunction : struct, IBinaryFunction
{
    public float Compute(ArrayView<float> first, int a, ArrayView<float> second, int b, ArrayView<float> third, int c, ElementwiseLayout layout)
    {
        float left = Operands.Load(first, a, 1, layout);
        float right = Operands.Load(second, b, 2, layout);
        var f = default(TFunction);
        return layout.Operand == 0 ? f.GradientA(left, right, third[c]) : f.GradientB(left, right, third[c]);
    }
}

/// <summary>Reads a binary operand, which may be the layout's scalar instead of a tensor.</summary>
internal static class Operands
{
    public static float Load(ArrayView<float> view, int at, int slot, ElementwiseLayout layout) =>
        layout.ScalarOperand == slot ? layout.Scalar : view[at];
}
