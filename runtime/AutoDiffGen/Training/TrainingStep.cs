namespace AutoDiffGen.Training;

/// <summary>
/// One training step on one minibatch, as the training loop calls it: compute the cost and update the model
/// (hand-written backpropagation, a generated gradient with a manual update, or an optimizer: the loop does not care).
/// </summary>
/// <param name="features">The batch's inputs [batch, features]; the same tensor every call, refilled by the loop.</param>
/// <param name="targets">The batch's targets [batch, targets]; the same tensor every call, refilled by the loop.</param>
/// <returns>The batch's cost (e.g. the mean loss) before the update; the loop averages it over the epoch.</returns>
public delegate float TrainingStep(Tensor features, Tensor targets);
