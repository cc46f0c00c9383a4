using System;

namespace AutoDiffGen.Training;

/// <summary>What one epoch of <see cref="Trainer.Run(TrainingStep)"/> measured.</summary>
/// <param name="Epoch">The epoch number, from 1 as printed.</param>
/// <param name="AverageCost">The mean of the batches' costs, as slide 49's <c>avg_cost</c>.</param>
/// <param name="Batches">How many batches the epoch ran.</param>
/// <param name="Elapsed">The wall time of the epoch's steps (gathering batches included, the <see cref="TrainingOptions.AfterEpoch"/> callback not).</param>
public readonly record struct EpochResult(int Epoch, float AverageCost, int Batches, TimeSpan Elapsed);
