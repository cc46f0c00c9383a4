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
}
