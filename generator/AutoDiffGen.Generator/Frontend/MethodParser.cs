using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>
/// The frontend: the only stage that touches Roslyn. Checks a <c>[Differentiable]</c> method's shape
/// and lowers its body (through <see cref="OperationLowerer"/>) into <see cref="MethodIr"/>.
/// </summary>
internal static class MethodParser
{
    public static readonly string[] GeneratedSuffixes = { "Gradient", "Pullback", "Tangent" };

    public static ParseResult Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var method = (IMethodSymbol)context.TargetSymbol;
        string displayName = $"{method.ContainingType.Name}.{method.Name}";
        SourceSpan? methodSpan = SourceSpans.From(method.Locations.FirstOrDefault());
        try
        {
            return ParseCore(method, (MethodDeclarationSyntax)context.TargetNode, context.SemanticModel, displayName, methodSpan, cancellationToken);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            // Never crash the compiler: report the failure on the method and generate nothing for it.
            var diagnostic = DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, methodSpan, displayName, $"{exception.GetType().Name}: {exception.Message}");
            return new ParseResult(null, EquatableArray.Create(diagnostic), displayName, methodSpan);
        }
    }

    private static ParseResult ParseCore(
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        SemanticModel semanticModel,
        string displayName,
        SourceSpan? methodSpan,
        CancellationToken cancellationToken)
    {
        if (TensorMethodParser.IsTensorMethod(method))
        {
            return TensorMethodParser.Parse(method, syntax, semanticModel, displayName, methodSpan, cancellationToken);
        }

        var diagnostics = new List<DiagnosticInfo>();
        ContainingType? containingType = DescribeContainingTypes(method, displayName, diagnostics);
        CheckMethodShape(method, syntax, displayName, methodSpan, diagnostics);
        CheckGeneratedNamesAreFree(method, displayName, methodSpan, diagnostics);

        var parameters = new List<ParameterIr>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            SourceSpan? span = SourceSpans.From(parameter.Locations.FirstOrDefault());
            ScalarType? scalar = ScalarTypes.From(parameter.Type);
            ArrayType? array = scalar is null ? ArrayTypes.From(parameter.Type) : null;
            ScalarType? type = scalar ?? array?.Element;
            if (type is null)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedType,
                    span,
                    $"Parameter '{parameter.Name}'",
                    parameter.Type.ToDisplayString(),
                    ArrayTypes.CollectionAdvice(parameter.Type) ?? ScalarTypes.SupportedTypesAdvice));
                continue;
            }

            if (array is { Kind: ArrayKind.Span } && !array.IsDifferentiable)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedType,
                    span,
                    $"Output parameter '{parameter.Name}'",
                    parameter.Type.ToDisplayString(),
                    "make outputs Span<float> or Span<double>, and pass int data as ReadOnlySpan<int>"));
                continue;
            }

            if (parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedMethod,
                    span,
                    displayName,
                    $"parameter '{parameter.Name}' is passed by reference ({parameter.RefKind.ToString().ToLowerInvariant()}); pass it by value and return results instead"));
            }

            bool isDifferentiable = type.Value.IsDifferentiable() && !ScalarTypes.HasAttribute(parameter, KnownNames.NoDerivativeAttribute);
            parameters.Add(new ParameterIr(parameter.Name, type.Value, isDifferentiable, span, array));
        }

        ScalarType? returnType = method.ReturnsVoid && parameters.Any(p => p.IsOutput) ? ScalarType.Void : ScalarTypes.From(method.ReturnType);
        if (returnType is null || !(returnType.Value.IsDifferentiable() || returnType == ScalarType.Void))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedType,
                SourceSpans.From(syntax.ReturnType),
                $"The return value of '{displayName}'",
                method.ReturnType.ToDisplayString(),
                "return float or double, or return void and fill a Span<float> or Span<double> output parameter"));
        }

        if (diagnostics.Count == 0 && !parameters.Any(p => p.IsDifferentiable))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedMethod,
                methodSpan,
                displayName,
                "it has no differentiable parameter; give it a float or double parameter without [NoDerivative]"));
        }

        IOperation? bodyOperation = semanticModel.GetOperation(syntax, cancellationToken);
        Block body = Block.Empty;
        EquatableArray<LocalIr> locals = EquatableArray<LocalIr>.Empty;
        if (bodyOperation is IMethodBodyOperation methodBody && returnType is not null)
        {
            var lowerer = new OperationLowerer(method, displayName, returnType.Value, diagnostics, cancellationToken);
            body = lowerer.LowerBody(methodBody.BlockBody ?? methodBody.ExpressionBody!);
            locals = lowerer.Locals;
        }

        EquatableArray<DiagnosticInfo> reported = diagnostics.ToEquatableArray();
        bool hasErrors = diagnostics.Any(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error);
        if (hasErrors || containingType is null || returnType is null)
        {
            return new ParseResult(null, reported, displayName, methodSpan);
        }

        var methodIr = new MethodIr(
            containingType,
            method.Name,
            Accessibility(method.DeclaredAccessibility),
            method.IsStatic,
            returnType.Value,
            parameters.ToEquatableArray(),
            locals,
            body,
            methodSpan);
        return new ParseResult(methodIr, reported, displayName, methodSpan);
    }

    internal static void CheckMethodShape(IMethodSymbol method, MethodDeclarationSyntax syntax, string displayName, SourceSpan? span, List<DiagnosticInfo> diagnostics)
    {
        string? problem = null;
        if (method.IsGenericMethod)
        {
            problem = "generic methods are not supported; write one method per element type (float or double)";
        }
        else if (method.IsAsync)
        {
            problem = "async methods are not supported";
        }
        else if (method.ReturnsByRef || method.ReturnsByRefReadonly)
        {
            problem = "ref returns are not supported; return the value";
        }
        else if (syntax.Body is null && syntax.ExpressionBody is null)
        {
            problem = "it has no body to differentiate; supply its derivative with [DerivativeOf] on another method instead";
        }

        if (problem is not null)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, span, displayName, problem));
        }
    }

    internal static void CheckGeneratedNamesAreFree(IMethodSymbol method, string displayName, SourceSpan? span, List<DiagnosticInfo> diagnostics)
    {
        foreach (string suffix in GeneratedSuffixes)
        {
            string name = method.Name + suffix;
            if (method.ContainingType.GetMembers(name).Any(m => !m.IsImplicitlyDeclared && m.Locations.Any(l => l.IsInSource)))
            {
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.GeneratedNameTaken, span, method.ContainingType.Name, name, displayName));
            }
        }
    }

    internal static ContainingType? DescribeContainingTypes(IMethodSymbol method, string displayName, List<DiagnosticInfo> diagnostics) =>
        DescribeContainingTypesOf(method.ContainingType, displayName, diagnostics);

    /// <summary>The declarations around (and of) a type, outermost first; reports any that is not partial.</summary>
    internal static ContainingType? DescribeContainingTypesOf(INamedTypeSymbol innermost, string displayName, List<DiagnosticInfo> diagnostics)
    {
        var declarations = new List<TypeDeclaration>();
        bool allPartial = true;
        for (INamedTypeSymbol? type = innermost; type is not null; type = type.ContainingType)
        {
            TypeDeclarationSyntax? declaration = type.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax())
                .OfType<TypeDeclarationSyntax>()
                .FirstOrDefault();
            if (declaration is null || !type.DeclaringSyntaxReferences.All(r => r.GetSyntax() is TypeDeclarationSyntax t && t.Modifiers.Any(SyntaxKind.PartialKeyword)))
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.TypeNotPartial,
                    SourceSpans.From(declaration?.Identifier.GetLocation() ?? type.Locations.FirstOrDefault()),
                    type.Name,
                    displayName));
                allPartial = false;
                continue;
            }

            string keyword = declaration switch
            {
                RecordDeclarationSyntax record when record.ClassOrStructKeyword.IsKind(SyntaxKind.StructKeyword) => "record struct",
                RecordDeclarationSyntax => "record",
                StructDeclarationSyntax => "struct",
                InterfaceDeclarationSyntax => "interface",
                _ => "class",
            };
            string name = type.TypeParameters.Length == 0
                ? type.Name
                : $"{type.Name}<{string.Join(", ", type.TypeParameters.Select(p => p.Name))}>";
            declarations.Insert(0, new TypeDeclaration(keyword, name));
        }

        if (!allPartial)
        {
            return null;
        }

        INamespaceSymbol ns = innermost.ContainingNamespace;
        return new ContainingType(
            ns.IsGlobalNamespace ? string.Empty : ns.ToDisplayString(),
            declarations.ToEquatableArray(),
            innermost.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat));
    }

    internal static string Accessibility(Accessibility accessibility) => accessibility switch
    {
        Microsoft.CodeAnalysis.Accessibility.Public => "public",
        Microsoft.CodeAnalysis.Accessibility.Internal => "internal",
        Microsoft.CodeAnalysis.Accessibility.Protected => "protected",
        Microsoft.CodeAnalysis.Accessibility.ProtectedOrInternal => "protected internal",
        Microsoft.CodeAnalysis.Accessibility.ProtectedAndInternal => "private protected",
        _ => "private",
    };
}
