using System;

namespace AutoDiffGen;

/// <summary>
/// Supplies the derivative of a method that the generator cannot or should not differentiate itself
/// (like Swift's <c>@derivative(of:)</c> or JAX's <c>custom_vjp</c>).
/// </summary>
/// <remarks>
/// The attributed method takes exactly the primal's parameters and returns a tuple of the primal's
/// value followed by one partial derivative per differentiable (<see cref="float"/>/<see cref="double"/>,
/// not <see cref="NoDerivativeAttribute"/>) parameter, in parameter order:
/// <code>
/// static double SoftPlus(double x) => Math.Log(1 + Math.Exp(x));
///
/// [DerivativeOf(nameof(SoftPlus))]
/// static (double Value, double dx) SoftPlusDerivative(double x)
/// {
///     double e = Math.Exp(x);
///     return (Math.Log(1 + e), e / (1 + e));
/// }
/// </code>
/// Differentiated code that calls the primal then uses these partials in both forward and reverse mode.
/// The signature is checked at build time (diagnostic ADG0008).
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class DerivativeOfAttribute : Attribute
{
    /// <summary>Names a primal method declared in the same type as the derivative.</summary>
    /// <param name="primalName">The primal method's name; write it with <c>nameof</c>.</param>
    public DerivativeOfAttribute(string primalName)
    {
        PrimalName = primalName;
    }

    /// <summary>Names a primal method declared in another type (for example a library's).</summary>
    /// <param name="primalType">The type that declares the primal.</param>
    /// <param name="primalName">The primal method's name; write it with <c>nameof</c>.</param>
    public DerivativeOfAttribute(Type primalType, string primalName)
    {
        PrimalType = primalType;
        PrimalName = primalName;
    }

    /// <summary>The type that declares the primal, or <see langword="null"/> for the derivative's own type.</summary>
    public Type? PrimalType { get; }

    /// <summary>The primal method's name.</summary>
    public string PrimalName { get; }
}
