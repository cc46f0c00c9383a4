namespace AutoDiffGen;

/// <summary>Markers that <see cref="DifferentiableAttribute"/> methods use to steer their generated derivatives.</summary>
public static class AutoDiff
{
    /// <summary>
    /// Returns <paramref name="value"/> unchanged, and tells the generator that no derivative flows through it (TensorFlow's
    /// <c>tf.stop_gradient</c>, JAX's <c>lax.stop_gradient</c>): generated gradients and tangents treat the result as a
    /// constant, so nothing that only feeds it is taped or replayed.
    /// </summary>
    /// <remarks>
    /// Use it where the result provably does not depend on the value, as the shift of a log-sum-exp:
    /// <c>m + log Σ exp(xᵢ − m)</c> equals <c>log Σ exp(xᵢ)</c> for any <c>m</c>, so <c>m = StopGradient(max)</c> keeps the
    /// exact derivative and drops the maximum's replay. Anywhere else the generated derivative is the derivative of a
    /// different function, on purpose.
    /// </remarks>
    /// <param name="value">Any value.</param>
    /// <returns><paramref name="value"/>.</returns>
    public static double StopGradient(double value) => value;

    /// <inheritdoc cref="StopGradient(double)"/>
    public static float StopGradient(float value) => value;
}
