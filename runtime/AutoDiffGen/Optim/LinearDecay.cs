using System;

namespace AutoDiffGen.Optim;

/// <summary>
/// A learning rate that falls in a straight line from <see cref="Initial"/> at step 0 to <see cref="Final"/> at step
/// <see cref="Steps"/> and stays there: TensorFlow's <c>tf.train.polynomial_decay</c> with power 1.
/// Large steps early cover ground; small steps late settle the weights instead of hopping around a minimum.
/// </summary>
/// <example>
/// <code>
/// var schedule = new LinearDecay(initial: 0.5f, final: 0.05f, steps: epochs * trainer.BatchesPerEpoch);
/// int step = 0;
/// trainer.Run((x, y) =>
/// {
///     optimizer.LearningRate = schedule.At(step++);
///     float cost = model.LossGradient(x, y, gradients);
///     optimizer.Step(model, gradients);
///     return cost;
/// });
/// </code>
/// </example>
public sealed class LinearDecay
{
    /// <summary>Creates the schedule.</summary>
    /// <param name="initial">The rate at step 0; finite and positive.</param>
    /// <param name="final">The rate from step <paramref name="steps"/> on; finite and positive.</param>
    /// <param name="steps">How many steps the fall takes; at least 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public LinearDecay(float initial, float final, int steps)
    {
        CheckRate(initial, nameof(initial));
        CheckRate(final, nameof(final));
        if (steps < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(steps), steps, "LinearDecay: the number of steps must be at least 1.");
        }

        Initial = initial;
        Final = final;
        Steps = steps;
    }

    /// <summary>The rate at step 0.</summary>
    public float Initial { get; }

    /// <summary>The rate from step <see cref="Steps"/> on.</summary>
    public float Final { get; }

    /// <summary>How many steps the fall takes.</summary>
    public int Steps { get; }

    /// <summary>The rate for step <paramref name="step"/>, counted from 0.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="step"/> is negative.</exception>
    public float At(int step)
    {
        if (step < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(step), step, "LinearDecay: steps are counted from 0.");
        }

        double remaining = 1.0 - (double)Math.Min(step, Steps) / Steps;
        return (float)(Final + (Initial - (double)Final) * remaining);
    }

    private static void CheckRate(float rate, string name)
    {
        if (!(rate > 0f) || !float.IsFinite(rate))
        {
            throw new ArgumentOutOfRangeException(name, rate, "LinearDecay: a learning rate must be finite and positive.");
        }
    }
}
