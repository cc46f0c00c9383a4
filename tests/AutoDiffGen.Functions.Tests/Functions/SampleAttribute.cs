using System;

namespace AutoDiffGen.Functions.Tests.Functions;

/// <summary>Where the gradient checks sample a function: its differentiable arguments are drawn from [Min, Max].</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class SampleAttribute : Attribute
{
    public SampleAttribute(double min, double max)
    {
        Min = min;
        Max = max;
    }

    public double Min { get; }

    public double Max { get; }

    /// <summary>
    /// A double function that computes in float inside: its gradient is checked against this twin, which
    /// computes the same in double (and is itself checked against finite differences), at float precision.
    /// Float functions default to the twin named <c>{Name}Double</c>.
    /// </summary>
    public string? Twin { get; set; }

    /// <summary>Values for int parameters, cycled through the sample points.</summary>
    public int[] Ints { get; set; } = { 4 };
}
