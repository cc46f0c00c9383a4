using System;
using System.Collections.Generic;
using System.Globalization;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Optim;

/// <summary>
/// Stochastic gradient descent, as <c>tf.train.GradientDescentOptimizer</c> (the talk's slide 51) or, with momentum,
/// <c>tf.train.MomentumOptimizer</c>: w −= lr·g, or v = μ·v + g and w −= lr·v.
/// </summary>
/// <remarks>
/// Plain descent keeps no state. With momentum the velocities are made on the first <see cref="Step"/>, zero-filled
/// and shaped like the parameters; later steps allocate nothing. Use one instance per model.
/// </remarks>
public sealed class Sgd : IOptimizer
{
    private float _learningRate;
    private string[]? _names;
    private Tensor[]? _velocities;

    /// <summary>Creates the optimizer.</summary>
    /// <param name="learningRate">The step size; finite and positive.</param>
    /// <param name="momentum">μ in [0, 1); 0 is plain gradient descent.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Sgd(float learningRate, float momentum = 0f)
    {
        LearningRate = learningRate;
        if (!(momentum >= 0f && momentum < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "Sgd: momentum must be in [0, 1).");
        }

        Momentum = momentum;
    }

    /// <summary>The step size; may be changed between steps (a learning-rate schedule).</summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is not finite and positive.</exception>
    public float LearningRate
    {
        get => _learningRate;
        set
        {
            if (!(value > 0f) || !float.IsFinite(value))
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "Sgd: the learning rate must be finite and positive.");
            }

            _learningRate = value;
        }
    }

    /// <summary>The momentum μ; 0 for plain gradient descent.</summary>
    public float Momentum { get; }

    /// <inheritdoc/>
    public void Step(IParameterized model, IParameterized gradients)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gradients);
        const string op = "Sgd.Step";
        IReadOnlyList<NamedParameter> parameters = model.Parameters;
        IReadOnlyList<NamedParameter> grads = gradients.Parameters;
        ParameterMatching.Check(op, parameters, grads);

        if (Momentum == 0f)
        {
            if (OnOneDevice(parameters, grads) is { } device)
            {
                // One launch for the whole model on a GPU, where a launch per tensor would cost more than the update.
                device.Backend.DescentStep(parameters, grads, _learningRate);
                return;
            }

            // Mixed devices: pair by pair, so the first mismatched pair throws with both devices named.
            for (int i = 0; i < parameters.Count; i++)
            {
                Tensor w = parameters[i].Value;
                TensorOps.AddScaled(w, -_learningRate, grads[i].Value, w);
            }

            return;
        }

        if (_velocities is null)
        {
            _names = ParameterMatching.Names(parameters);
            _velocities = ParameterMatching.ZerosLike(parameters);
        }
        else
        {
            ParameterMatching.CheckState(op, parameters, _names!, _velocities);
        }

        for (int i = 0; i < parameters.Count; i++)
        {
            Tensor w = parameters[i].Value;
            w.Backend.MomentumStep(w, grads[i].Value, _velocities[i], _learningRate, Momentum);
        }
    }

    /// <summary>The device every parameter and gradient lives on, or null when they are not all on one.</summary>
    private static Device? OnOneDevice(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients)
    {
        Device? device = parameters.Count > 0 ? parameters[0].Value.Device : null;
        for (int i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Value.Device != device || gradients[i].Value.Device != device)
            {
                return null;
            }
        }

        return device;
    }

    /// <summary>Describes the settings, e.g. <c>Sgd(learningRate: 0.1, momentum: 0.9)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Sgd(learningRate: {_learningRate}, momentum: {Momentum})");
}
