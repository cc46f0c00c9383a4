namespace Mnist;

/// <summary>The talk's three ways to train the MLP (slides 48, 50 and 51).</summary>
public enum TrainingVariant
{
    /// <summary>(a) Backpropagation written by hand, then a manual update (slide 48).</summary>
    HandWritten,

    /// <summary>(b) The generated gradient (<c>tf.gradients</c>), then a manual update loop (slide 50).</summary>
    Generated,

    /// <summary>(c) The generated gradient, then <c>optimizer.Step</c> (<c>optimizer.minimize</c>, slide 51).</summary>
    Optimizer,
}
