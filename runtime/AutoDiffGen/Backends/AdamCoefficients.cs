namespace AutoDiffGen;

/// <summary>
/// The scalars of one Adam step: the hyperparameters and the bias corrections 1 / (1 − β1^t) and 1 / (1 − β2^t)
/// for step t, computed once per step rather than per element.
/// </summary>
internal readonly record struct AdamCoefficients(float LearningRate, float Beta1, float Beta2, float Epsilon, float Correction1, float Correction2);
