using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>
/// Reads a <c>[DerivativeOf]</c> method: finds its primal and checks the signature, which must take
/// the primal's parameters and return <c>(value, ∂/∂p₁, …)</c> over the differentiable parameters.
/// </summary>
internal static class DerivativeParser
{
    public static DerivativeParseResult Parse(GeneratorAttributeSyntaxContext context, System.Threading.CancellationToken cancellationToken)
    {
        var derivative = (IMethodSymbol)context.TargetSymbol;
        SourceSpan? span = SourceSpans.From(derivative.Locations.FirstOrDefault());
        try
        {
            return ParseCore(derivative, context.Attributes[0], span);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, span, derivative.Name, $"{exception.GetType().Name}: {exception.Message}");
            return new DerivativeParseResult(null, EquatableArray.Create(diagnostic));
        }
    }

    private static DerivativeParseResult ParseCore(IMethodSymbol derivative, AttributeData attribute, SourceSpan? span)
    {
        INamedTypeSymbol primalType = derivative.ContainingType;
        string? primalName = null;
        if (attribute.ConstructorArguments.Length == 1)
        {
            primalName = attribute.ConstructorArguments[0].Value as string;
        }
        else if (attribute.ConstructorArguments.Length == 2)
        {
            primalType = attribute.ConstructorArguments[0].Value as INamedTypeSymbol ?? primalType;
            primalName = attribute.ConstructorArguments[1].Value as string;
        }

        var candidates = primalType.GetMembers(primalName ?? string.Empty).OfType<IMethodSymbol>().ToList();
        if (candidates.Count != 1)
        {
            return Fail(DiagnosticInfo.Create(DiagnosticDescriptors.DerivativePrimalNotFound, span, primalName ?? "(null)", primalType.Name));
        }

        IMethodSymbol primal = candidates[0];
        string expected = ExpectedSignature(primal, derivative.Name);
        string? problem = Mismatch(primal, derivative);
        if (problem is not null)
        {
            return Fail(DiagnosticInfo.Create(
                DiagnosticDescriptors.DerivativeSignatureMismatch,
                span,
                derivative.Name,
                $"{primal.ContainingType.Name}.{primal.Name}",
                problem,
                expected));
        }

        var entry = new DerivativeEntry(
            primalType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat),
            primal.Name,
            primal.Parameters.Select(p => ScalarTypes.From(p.Type)!.Value).ToEquatableArray(),
            new MethodReference(derivative.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), derivative.Name, derivative.IsStatic));
        return new DerivativeParseResult(entry, EquatableArray<DiagnosticInfo>.Empty);
    }

    private static DerivativeParseResult Fail(DiagnosticInfo diagnostic) => new(null, EquatableArray.Create(diagnostic));

    private static List<IParameterSymbol> DifferentiableParameters(IMethodSymbol primal) =>
        primal.Parameters
            .Where(p => ScalarTypes.From(p.Type)?.IsDifferentiable() == true && !ScalarTypes.HasAttribute(p, KnownNames.NoDerivativeAttribute))
            .ToList();

    private static string? Mismatch(IMethodSymbol primal, IMethodSymbol derivative)
    {
        ScalarType? returnType = ScalarTypes.From(primal.ReturnType);
        if (returnType is null || !returnType.Value.IsDifferentiable())
        {
            return "the primal must return float or double";
        }

        if (primal.Parameters.Any(p => ScalarTypes.From(p.Type) is null || p.RefKind != RefKind.None))
        {
            return "the primal's parameters must be float, double, int or bool, passed by value";
        }

        if (derivative.IsStatic != primal.IsStatic)
        {
            return primal.IsStatic ? "it must be static, like the primal" : "it must be an instance method, like the primal";
        }

        if (!primal.IsStatic && !SymbolEqualityComparer.Default.Equals(derivative.ContainingType, primal.ContainingType))
        {
            return "the derivative of an instance method must be declared in the same type";
        }

        if (derivative.IsGenericMethod)
        {
            return "it must not be generic";
        }

        if (derivative.Parameters.Length != primal.Parameters.Length
            || derivative.Parameters.Zip(primal.Parameters, (d, p) => !SymbolEqualityComparer.Default.Equals(d.Type, p.Type) || d.RefKind != RefKind.None).Any(differs => differs))
        {
            return "its parameters differ from the primal's";
        }

        int partials = DifferentiableParameters(primal).Count;
        if (derivative.ReturnType is not INamedTypeSymbol { IsTupleType: true } tuple
            || tuple.TupleElements.Length != partials + 1
            || tuple.TupleElements.Any(e => !SymbolEqualityComparer.Default.Equals(e.Type, primal.ReturnType)))
        {
            return $"it must return a tuple of the value and {partials} partial derivative{(partials == 1 ? string.Empty : "s")}, all of type {primal.ReturnType.ToDisplayString()}";
        }

        return null;
    }

    private static string ExpectedSignature(IMethodSymbol primal, string name)
    {
        string type = primal.ReturnType.ToDisplayString();
        IEnumerable<string> elements = new[] { $"{type} Value" }.Concat(DifferentiableParameters(primal).Select(p => $"{type} d{p.Name}"));
        string parameters = string.Join(", ", primal.Parameters.Select(p => $"{p.Type.ToDisplayString()} {p.Name}"));
        return $"{(primal.IsStatic ? "static " : string.Empty)}({string.Join(", ", elements)}) {name}({parameters})";
    }
}
