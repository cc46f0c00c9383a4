using AutoDiffGen.Nn;

namespace AutoDiffGen.Optim;

/// <summary>
/// Updates a model's parameters in place from their gradients, like TensorFlow's <c>optimizer.apply_gradients</c>
/// (the update half of <c>optimizer.minimize</c>).
/// </summary>
/// <example>
/// <code>
/// var optimizer = new Sgd(learningRate: 0.1f);
/// Mlp.Gradients gradients = model.CreateGradients();
/// float cost = model.LossGradient(x, y, gradients);
/// optimizer.Step(model, gradients);
/// </code>
/// </example>
public interface IOptimizer
{
    /// <summary>
    /// Moves every parameter of <paramref name="model"/> against its gradient in <paramref name="gradients"/>, in place.
    /// The two lists are matched by position and must agree in count, names and shapes (a generated
    /// <c>Model.Gradients</c> always does). Any state the optimizer keeps (momentum, moments) is created on the first
    /// step; later steps allocate nothing.
    /// </summary>
    /// <exception cref="System.ArgumentException">
    /// The lists differ in count, or a gradient's name, shape or device differs from its parameter's; the message names
    /// the parameter. Also when the model's parameters no longer match the state made on the first step.
    /// </exception>
    void Step(IParameterized model, IParameterized gradients);
}
