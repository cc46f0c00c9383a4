using System;
using System.Collections.Generic;

namespace AutoDiffGen.Nn;

/// <summary>
/// A fully connected layer, y = x·W + b, like <c>tf.layers.dense</c> without the activation: W is
/// [inputs, outputs], b is [outputs]. As a <c>[Parameter]</c> field of a model, <see cref="Apply"/> inside a
/// <c>[Differentiable]</c> method is differentiated as one fused dense op.
/// </summary>
public sealed class Dense : IParameterized
{
    private readonly NamedParameter[] _parameters;

    /// <summary>A layer with the given tensors (shapes checked).</summary>
    /// <param name="w">Weights [inputs, outputs].</param>
    /// <param name="b">Bias [outputs].</param>
    public Dense(Tensor w, Tensor b)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(b);
        if (w.Rank != 2 || b.Rank != 1 || b.Shape[0] != w.Shape[1])
        {
            throw new ArgumentException($"Dense: weights {Shapes.Format(w.Shape)} and bias {Shapes.Format(b.Shape)} do not fit: expected [inputs, outputs] and [outputs].", nameof(b));
        }

        W = w;
        B = b;
        _parameters = new[] { new NamedParameter(nameof(W), w), new NamedParameter(nameof(B), b) };
    }

    /// <summary>
    /// A new layer with weights [<paramref name="inputs"/>, <paramref name="outputs"/>] and bias [<paramref name="outputs"/>]
    /// made by the given initializers, as <c>tf.layers.dense(..., kernel_initializer=..., bias_initializer=...)</c>.
    /// </summary>
    /// <param name="inputs">Features per example coming in; at least 1.</param>
    /// <param name="outputs">Units of the layer; at least 1.</param>
    /// <param name="weights">Makes the weights, e.g. <see cref="Initializer.TruncatedNormal"/> or <see cref="Initializer.GlorotUniform"/>.</param>
    /// <param name="bias">Makes the bias, usually <see cref="Initializer.Zeros"/>.</param>
    /// <param name="seed">Fixes the weights; the bias uses a seed derived from it, so the two never draw the same numbers.</param>
    /// <param name="device">Where the tensors live; the CPU when null.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="inputs"/> or <paramref name="outputs"/> is below 1.</exception>
    public static Dense Create(int inputs, int outputs, Initializer weights, Initializer bias, ulong seed, Device? device = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(bias);
        return new Dense(weights.Create([inputs, outputs], seed, device), bias.Create([outputs], BiasSeed(seed), device));
    }

    /// <summary>The weights [inputs, outputs].</summary>
    public Tensor W { get; }

    /// <summary>The bias [outputs].</summary>
    public Tensor B { get; }

    /// <summary>Number of inputs.</summary>
    public int Inputs => W.Shape[0];

    /// <summary>Number of outputs.</summary>
    public int Outputs => W.Shape[1];

    /// <inheritdoc/>
    public IReadOnlyList<NamedParameter> Parameters => _parameters;

    /// <summary>A layer whose tensors are zeros shaped like this one's: a gradient container for it.</summary>
    public Dense ZerosLike() => new(Tensor.ZerosLike(W), Tensor.ZerosLike(B));

    /// <summary>x·W + b for a batch x of shape [n, inputs].</summary>
    public Tensor Apply(Tensor x) => TensorOps.Dense(x, W, B);

    /// <summary>A seed for the bias that differs from the weights' (one SplitMix64 step: nearby seeds land far apart).</summary>
    private static ulong BiasSeed(ulong seed) => Data.Xoshiro256StarStar.SplitMix64(ref seed);
}
