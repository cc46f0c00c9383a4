using System.Collections.Generic;

namespace AutoDiffGen.Nn;

/// <summary>
/// Something with trainable tensors in a fixed order: a model (its <c>[Parameter]</c> fields, listed by
/// generated code) or its gradient container (the same names and shapes, in the same order).
/// </summary>
public interface IParameterized
{
    /// <summary>The tensors, in declaration order; layers contribute theirs as <c>Layer.W</c>, <c>Layer.B</c>.</summary>
    IReadOnlyList<NamedParameter> Parameters { get; }
}
