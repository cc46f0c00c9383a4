using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Runtime.Tests;

/// <summary>A hand-made <see cref="IParameterized"/>: named tensors in a fixed order, as a generated model lists them.</summary>
internal sealed class ParameterList : IParameterized
{
    private readonly NamedParameter[] _parameters;

    public ParameterList(params (string Name, Tensor Value)[] parameters)
    {
        _parameters = parameters.Select(p => new NamedParameter(p.Name, p.Value)).ToArray();
    }

    public IReadOnlyList<NamedParameter> Parameters => _parameters;

    public Tensor this[int index] => _parameters[index].Value;

    /// <summary>Zero tensors with the same names and shapes: a gradient container.</summary>
    public ParameterList ZerosLike() => new(_parameters.Select(p => (p.Name, Tensor.ZerosLike(p.Value))).ToArray());
}
