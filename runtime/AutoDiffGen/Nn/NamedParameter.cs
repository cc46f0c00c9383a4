namespace AutoDiffGen.Nn;

/// <summary>A trainable tensor and its name in the model, e.g. <c>Hidden1.W</c>.</summary>
/// <param name="Name">The field path, as checkpoints store it.</param>
/// <param name="Value">The tensor, updated in place by optimizers.</param>
public readonly record struct NamedParameter(string Name, Tensor Value);
