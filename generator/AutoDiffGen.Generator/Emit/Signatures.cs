using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Emit;

/// <summary>
/// The parameter lists and result types of the generated members, in one place so the gradient,
/// pullback, tangent and Jacobian agree. Inputs come first, as written; then one derivative
/// parameter per differentiable input (<c>d{name}</c>: a scalar tangent, an array's adjoint buffer or
/// tangent); then the outputs' seeds or tangents; then the scalar seed.
/// </summary>
internal sealed class Signatures
{
    private readonly DifferentiatedMethod _method;
    private readonly Dictionary<string, string> _derivativeNames;

    public Signatures(DifferentiatedMethod method)
    {
        _method = method;
        MethodIr primal = method.Primal;
        _derivativeNames = primal.Parameters.Where(p => p.IsDifferentiable).Zip(method.TangentParameterNames, (p, n) => (p.Name, n)).ToDictionary(x => x.Name, x => x.n);
    }

    public MethodIr Primal => _method.Primal;

    public string DerivativeName(ParameterIr parameter) => _derivativeNames[parameter.Name];

    public IEnumerable<ParameterIr> ScalarGradients => Primal.Parameters.Where(p => p.IsDifferentiable && p.Array is null);

    public IEnumerable<ParameterIr> ArrayInputs => Primal.Parameters.Where(p => p.IsDifferentiable && p.Array is not null && !p.IsOutput);

    public IEnumerable<ParameterIr> Outputs => Primal.Parameters.Where(p => p.IsOutput);

    public string Modifiers => Primal.Accessibility + (Primal.IsStatic ? " static" : string.Empty);

    public string Inputs => string.Join(", ", Primal.Parameters.Select(p => $"{p.TypeCSharp} {ExpressionPrinter.Identifier(p.Name)}"));

    public string InputArguments => string.Join(", ", Primal.Parameters.Select(p => ExpressionPrinter.Identifier(p.Name)));

    /// <summary>The adjoint buffers of the array inputs, as parameters (<c>Span&lt;T&gt; dx</c>).</summary>
    public IEnumerable<string> AdjointBufferParameters => ArrayInputs.Select(p => $"{p.Array!.ShadowCSharp()} {ExpressionPrinter.Identifier(DerivativeName(p))}");

    public IEnumerable<string> AdjointBufferArguments => ArrayInputs.Select(p => ExpressionPrinter.Identifier(DerivativeName(p)));

    /// <summary>The outputs' seeds, as parameters (<c>ReadOnlySpan&lt;T&gt; dy</c>).</summary>
    public IEnumerable<string> OutputSeedParameters => Outputs.Select(p => $"{p.Array!.InputShadowCSharp()} {ExpressionPrinter.Identifier(DerivativeName(p))}");

    /// <summary>The tangents, as parameters: scalars by value, arrays read-only, outputs writable.</summary>
    public IEnumerable<string> TangentParameters => Primal.Parameters.Where(p => p.IsDifferentiable).Select(p =>
        $"{(p.Array is null ? p.Type.ToCSharp() : p.IsOutput ? p.Array.ShadowCSharp() : p.Array.InputShadowCSharp())} {ExpressionPrinter.Identifier(DerivativeName(p))}");

    /// <summary>The scalar gradient: a tuple named after the scalar parameters, the plain type for one, or null for none.</summary>
    public string? ScalarGradientType
    {
        get
        {
            var parameters = ScalarGradients.ToList();
            return parameters.Count switch
            {
                0 => null,
                1 => parameters[0].Type.ToCSharp(),
                _ => $"({string.Join(", ", parameters.Select(p => $"{p.Type.ToCSharp()} {ExpressionPrinter.Identifier(p.Name)}"))})",
            };
        }
    }

    /// <summary>What the gradient and pullback return: value and scalar gradient, whichever exist.</summary>
    public string ResultType => (Primal.ReturnsValue, ScalarGradientType) switch
    {
        (true, { } gradient) => $"({Primal.ReturnType.ToCSharp()} Value, {gradient} Gradient)",
        (true, null) => Primal.ReturnType.ToCSharp(),
        (false, { } gradient) => gradient,
        _ => "void",
    };

    public string Join(params IEnumerable<string>[] parts) => string.Join(", ", parts.SelectMany(p => p).Where(p => p.Length > 0));
}
