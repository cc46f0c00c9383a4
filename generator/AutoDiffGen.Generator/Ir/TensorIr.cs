namespace AutoDiffGen.Generator.Ir;

/// <summary>The tensor operations the generator differentiates, each with one forward call and one adjoint rule.</summary>
internal enum TensorOp
{
    Dense,

    /// <summary>max(0, x·W + b): a dense layer with its ReLU, written by the user or folded from <c>Relu(Dense(…))</c>.</summary>
    DenseRelu,
    MatMul,
    Add,
    Sub,
    Mul,
    Div,
    Maximum,
    Minimum,
    Negate,
    Exp,
    Log,
    Sqrt,
    Tanh,
    Sigmoid,
    Relu,
    Pow,
    Sum,
    Mean,
    Max,
    Softmax,
    LogSoftmax,
    SoftmaxCrossEntropy,

    /// <summary>A rank-0 tensor's value as a float (<c>t.ToScalar()</c>).</summary>
    ToScalar,

    /// <summary>A user's <c>[Differentiable]</c> float function applied to every element (<c>TensorOps.Map</c>).</summary>
    Map,
}

internal enum TensorOperandKind
{
    /// <summary>A tensor argument of the method.</summary>
    Input,

    /// <summary>A model tensor: a <c>[Parameter]</c> field, or a layer's W or B (path <c>Hidden.W</c>).</summary>
    Parameter,

    /// <summary>The result of an earlier operation.</summary>
    Value,

    /// <summary>A float constant.</summary>
    Constant,

    /// <summary>A float argument of the method (data).</summary>
    ScalarInput,
}

/// <summary>An argument of a tensor operation.</summary>
internal sealed record TensorOperand(TensorOperandKind Kind, string Name, double Constant = 0)
{
    public bool IsTensor => Kind is TensorOperandKind.Input or TensorOperandKind.Parameter or TensorOperandKind.Value;
}

/// <summary>
/// One operation: <c>Result = Op(Arguments)</c>. <see cref="Axis"/> is the reduction axis (−1 for all),
/// <see cref="Function"/> the mapped function for <see cref="TensorOp.Map"/>.
/// </summary>
internal sealed record TensorOpIr(
    string Result,
    TensorOp Op,
    EquatableArray<TensorOperand> Arguments,
    int Axis = -1,
    bool KeepDims = false,
    MethodReference? Function = null,
    SourceSpan? Span = null);

/// <summary>An argument of a tensor method: a tensor, a float or an int (the last two are data).</summary>
internal sealed record TensorInputIr(string Name, string TypeCSharp, bool IsTensor, bool IsDifferentiable);

/// <summary>
/// A <c>[Differentiable]</c> method over tensors, lowered to a straight-line list of tensor operations
/// (calls of other <c>[Differentiable]</c> tensor methods inlined). The cache boundary of the tensor path.
/// </summary>
internal sealed record TensorMethodIr(
    ContainingType ContainingType,
    string Name,
    string Accessibility,
    bool IsStatic,
    bool ReturnsScalar,
    EquatableArray<TensorInputIr> Inputs,
    EquatableArray<TensorOpIr> Operations,
    TensorOperand Result,
    EquatableArray<string> ModelParameters,
    SourceSpan? Span)
{
    public string Signature => $"{Name}({string.Join(", ", System.Linq.Enumerable.Select(Inputs, i => i.TypeCSharp.Replace("global::AutoDiffGen.", string.Empty)))})";
}

/// <summary>One argument of an operation that receives a gradient, and whether it is the first contribution to it.</summary>
internal sealed record TensorGradientTarget(int Argument, bool IsFirst);

/// <summary>The adjoint rule applied to one operation in the backward pass, with its gradient targets.</summary>
internal sealed record TensorBackwardStep(TensorOpIr Operation, EquatableArray<TensorGradientTarget> Targets);

/// <summary>
/// The static backward pass of a tensor method: which values need adjoint buffers and, in execution
/// order, the adjoint rule of each operation on the path from the differentiable leaves to the result.
/// </summary>
/// <param name="Method">The method after fusion: the operations the generated code runs.</param>
/// <param name="Fused">Synthesized scalar functions for fused elementwise chains, differentiated like user functions.</param>
/// <param name="AsWritten">The method before fusion: the graph the user reads shows these operations.</param>
internal sealed record TensorPlan(
    TensorMethodIr Method,
    EquatableArray<string> ActiveValues,
    EquatableArray<TensorBackwardStep> Backward,
    EquatableArray<string> UntouchedParameters,
    EquatableArray<DifferentiatedMethod> Fused,
    TensorMethodIr AsWritten);
