using System.Collections.Generic;
using AutoDiffGen;
using AutoDiffGen.Nn;
using AutoDiffGen.Optim;
using AutoDiffGen.Training;
using static AutoDiffGen.TensorOps;

namespace Mnist;

/// <summary>
/// One training step of the MLP, three ways side by side as in the talk. Each returns the batch's cost and updates the
/// model in place by plain gradient descent, with the step size that a <see cref="LinearDecay"/> schedule gives for the
/// step's number; the training loop (<see cref="Trainer"/>) is the same for all three.
/// </summary>
public static class TrainingSteps
{
    /// <summary>The step for <paramref name="variant"/>, with its buffers made for batches of <paramref name="batchSize"/>.</summary>
    public static TrainingStep Create(TrainingVariant variant, Mlp model, LinearDecay schedule, int batchSize) => variant switch
    {
        TrainingVariant.HandWritten => HandWritten(model, schedule, batchSize),
        TrainingVariant.Generated => Generated(model, schedule),
        _ => WithOptimizer(model, new Sgd(schedule.Initial), schedule),
    };

    /// <summary>(a) Slide 48: hand-written backpropagation, then one assignment per parameter (<c>tf.assign</c>).</summary>
    public static TrainingStep HandWritten(Mlp model, LinearDecay schedule, int batchSize)
    {
        var backprop = new HandWrittenBackprop(model, batchSize);
        Mlp.Gradients g = model.CreateGradients();
        int step = 0;
        return (x, y) =>
        {
            float learningRate = schedule.At(step++);
            float cost = backprop.Gradient(x, y, g);
            AddScaled(model.Hidden1.W, -learningRate, g.Hidden1.W, model.Hidden1.W);
            AddScaled(model.Hidden1.B, -learningRate, g.Hidden1.B, model.Hidden1.B);
            AddScaled(model.Hidden2.W, -learningRate, g.Hidden2.W, model.Hidden2.W);
            AddScaled(model.Hidden2.B, -learningRate, g.Hidden2.B, model.Hidden2.B);
            AddScaled(model.Output.W, -learningRate, g.Output.W, model.Output.W);
            AddScaled(model.Output.B, -learningRate, g.Output.B, model.Output.B);
            return cost;
        };
    }

    /// <summary>(b) Slide 50: the generated gradient (<c>tf.gradients</c>), then a loop of assignments over the parameters.</summary>
    public static TrainingStep Generated(Mlp model, LinearDecay schedule)
    {
        Mlp.Gradients gradients = model.CreateGradients();
        int step = 0;
        return (x, y) =>
        {
            float learningRate = schedule.At(step++);
            float cost = model.LossGradient(x, y, gradients);
            IReadOnlyList<NamedParameter> parameters = model.Parameters, slopes = gradients.Parameters;
            for (int i = 0; i < parameters.Count; i++)
            {
                Tensor w = parameters[i].Value;
                AddScaled(w, -learningRate, slopes[i].Value, w);
            }

            return cost;
        };
    }

    /// <summary>
    /// (c) Slide 51: the generated gradient and an optimizer (<c>optimizer.minimize(cost)</c>); the schedule, when given,
    /// sets the optimizer's rate before each step.
    /// </summary>
    public static TrainingStep WithOptimizer(Mlp model, Sgd optimizer, LinearDecay? schedule = null)
    {
        Mlp.Gradients gradients = model.CreateGradients();
        int step = 0;
        return (x, y) =>
        {
            if (schedule is not null)
            {
                optimizer.LearningRate = schedule.At(step++);
            }

            float cost = model.LossGradient(x, y, gradients);
            optimizer.Step(model, gradients);
            return cost;
        };
    }
}
