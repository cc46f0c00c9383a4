namespace AutoDiffGen.Generator.Ir;

internal enum CallKind
{
    /// <summary>A <c>[Differentiable]</c> method: generated pullback and tangent exist.</summary>
    Differentiable,

    /// <summary>A method whose derivative is not known yet; resolution finds a supplied derivative or reports ADG0004.</summary>
    NeedsDerivative,

    /// <summary>A primal whose derivative the user supplied with <c>[DerivativeOf]</c>.</summary>
    SuppliedDerivative,

    /// <summary>A method that only sees and returns data (ints, bools): no derivative needed.</summary>
    Data,

    /// <summary>Code the generator itself emits a call to (gradients, tangents, supplied derivatives).</summary>
    Generated,

    /// <summary>
    /// A callee's generated backward core <c>FBackward(inputs…, adjoint buffers…, seed)</c>: adds into the buffers after
    /// the callee's own parameters and returns the scalar gradient, if any.
    /// </summary>
    Backward,

    /// <summary>A callee's generated pullback, same arguments as <see cref="Backward"/>: also returns the callee's value.</summary>
    Pullback,
}

/// <summary>One parameter of a called method, as differentiation needs to see it.</summary>
internal sealed record CallParameter(string Name, ScalarType Type, bool IsDifferentiable, ArrayType? Array = null);

/// <summary>The method a <see cref="CallExpression"/> calls.</summary>
/// <param name="TypeName">Fully qualified containing type, with <c>global::</c>.</param>
/// <param name="MethodName">The method's name.</param>
/// <param name="Kind">How differentiation treats the call.</param>
/// <param name="Parameters">The callee's parameters.</param>
/// <param name="IsInstance">Called on <c>this</c>: emitted without the type name.</param>
/// <param name="Derivative">For <see cref="CallKind.SuppliedDerivative"/>, the derivative method (type and name).</param>
internal sealed record CallTarget(
    string TypeName,
    string MethodName,
    CallKind Kind,
    EquatableArray<CallParameter> Parameters,
    bool IsInstance = false,
    MethodReference? Derivative = null)
{
    public string DisplayName => $"{TypeName.Replace("global::", string.Empty)}.{MethodName}";
}

/// <summary>A method named by its fully qualified type (with <c>global::</c>) and name.</summary>
internal sealed record MethodReference(string TypeName, string MethodName, bool IsStatic);
