using System;

namespace AutoDiffGen;

/// <summary>
/// Marks a static method of a <c>partial</c> type for compile-time differentiation. The AutoDiffGen
/// source generator emits, next to the method, readable C# for its value and gradient
/// (<c>{Method}Gradient</c>), its pullback (<c>{Method}Pullback</c>, a vector-Jacobian product) and its
/// forward-mode tangent (<c>{Method}Tangent</c>, a Jacobian-vector product).
/// </summary>
/// <remarks>
/// Every <see cref="float"/> or <see cref="double"/> parameter (and array or span of them) is
/// differentiable unless it carries <see cref="NoDerivativeAttribute"/>; <see cref="int"/> and
/// <see cref="bool"/> parameters are data. In methods over <see cref="Tensor"/>s, gradients are taken
/// with respect to the model's <see cref="ParameterAttribute"/> fields and to tensor arguments that
/// carry <c>[Differentiable]</c> themselves; other tensor arguments are inputs (data).
/// Constructs the generator cannot differentiate are reported at build time with an <c>ADG</c> diagnostic.
/// </remarks>
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Parameter, AllowMultiple = false, Inherited = false)]
public sealed class DifferentiableAttribute : Attribute
{
}
