using System;

namespace AutoDiffGen;

/// <summary>
/// Marks a trainable field of a model: a <see cref="Tensor"/> or a layer such as <see cref="Nn.Dense"/>.
/// For a <c>partial</c> class with such fields the generator emits the parameter list
/// (<see cref="Nn.IParameterized"/>), a matching gradient container <c>{Model}Gradients</c>, and for each
/// <c>[Differentiable]</c> method of the model a static backward pass that writes the gradient of every
/// parameter into that container.
/// </summary>
[AttributeUsage(AttributeTargets.Field, AllowMultiple = false, Inherited = false)]
public sealed class ParameterAttribute : Attribute
{
}
