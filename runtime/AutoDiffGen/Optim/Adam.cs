using System;
using System.Collections.Generic;
using System.Globalization;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Optim;

/// <summary>
/// Adam (Kingma and Ba, 2015, Algorithm 1), as <c>torch.optim.Adam</c> and <c>tf.train.AdamOptimizer</c>: per parameter
/// element, m = β1·m + (1 − β1)·g, v = β2·v + (1 − β2)·g², and w −= lr·m̂ / (√v̂ + ε) with the bias-corrected
/// m̂ = m / (1 − β1^t), v̂ = v / (1 − β2^t) at step t.
/// </summary>
/// <remarks>
/// The moments are made on the first <see cref="Step"/>, zero-filled and shaped like the parameters; each step is one
/// fused SIMD pass per parameter and allocates nothing. Use one instance per model.
/// </remarks>
public sealed class Adam : IOptimizer
{
    private float _learningRate;
    private string[]? _names;
    private Tensor[]? _firstMoments;
    private Tensor[]? _secondMoments;

    /// <summary>Creates the optimizer; the defaults are the paper's.</summary>
    /// <param name="learningRate">The step size; finite and positive.</param>
    /// <param name="beta1">Decay of the first moment, in [0, 1).</param>
    /// <param name="beta2">Decay of the second moment, in [0, 1).</param>
    /// <param name="epsilon">Added to √v̂ to keep the division finite; finite and positive.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public Adam(float learningRate = 1e-3f, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
    {
        LearningRate = learningRate;
        if (!(beta1 >= 0f && beta1 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta1), beta1, "Adam: beta1 must be in [0, 1).");
        }

        if (!(beta2 >= 0f && beta2 < 1f))
        {
            throw new ArgumentOutOfRangeException(nameof(beta2), beta2, "Adam: beta2 must be in [0, 1).");
        }

        if (!(epsilon > 0f) || !float.IsFinite(epsilon))
        {
            throw new ArgumentOutOfRangeException(nameof(epsilon), epsilon, "Adam: epsilon must be finite and positive.");
        }

        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
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
                throw new ArgumentOutOfRangeException(nameof(value), value, "Adam: the learning rate must be finite and positive.");
            }

            _learningRate = value;
        }
    }

    /// <summary>Decay of the first moment (the mean of the gradients).</summary>
    public float Beta1 { get; }

    /// <summary>Decay of the second moment (the mean of the squared gradients).</summary>
    public float Beta2 { get; }

    /// <summary>The term that keeps the update finite where v̂ is zero.</summary>
    public float Epsilon { get; }

    /// <summary>How many steps have been taken: t of the last step.</summary>
    public long StepCount { get; private set; }

    /// <inheritdoc/>
    public void Step(IParameterized model, IParameterized gradients)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(gradients);
        const string op = "Adam.Step";
        IReadOnlyList<NamedParameter> parameters = model.Parameters;
        IReadOnlyList<NamedParameter> grads = gradients.Parameters;
        ParameterMatching.Check(op, parameters, grads);
        if (parameters.Count > 0 && parameters[0].Value.Device.IsRecording)
        {
            // A CUDA graph keeps the scalars it was recorded with: every replay would apply step 1's bias correction.
            throw new InvalidOperationException(
                $"{op}: its bias corrections change every step, so it cannot be recorded with Device.Record on {parameters[0].Value.Device.Name}. " +
                "Call Adam.Step after DeviceGraph.Replay instead, or record Sgd, whose update is the same every step.");
        }
        if (_firstMoments is null || _secondMoments is null)
        {
            _names = ParameterMatching.Names(parameters);
            _firstMoments = ParameterMatching.ZerosLike(parameters);
            _secondMoments = ParameterMatching.ZerosLike(parameters);
        }
        else
        {
            ParameterMatching.CheckState(op, parameters, _names!, _firstMoments);
        }

        long t = StepCount + 1;
        // The corrections in double: β^t underflows gracefully and 1 − β2^t is tiny for small t.
        var coefficients = new AdamCoefficients(
            _learningRate,
            Beta1,
            Beta2,
            Epsilon,
            (float)(1.0 / (1.0 - Math.Pow(Beta1, t))),
            (float)(1.0 / (1.0 - Math.Pow(Beta2, t))));
        for (int i = 0; i < parameters.Count; i++)
        {
            Tensor w = parameters[i].Value;
            w.Backend.AdamStep(w, grads[i].Value, _firstMoments[i], _secondMoments[i], coefficients);
        }

        StepCount = t;
    }

    /// <summary>Describes the settings, e.g. <c>Adam(learningRate: 0.001, beta1: 0.9, beta2: 0.999, epsilon: 1E-08)</c>.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"Adam(learningRate: {_learningRate}, beta1: {Beta1}, beta2: {Beta2}, epsilon: {Epsilon})");
}
