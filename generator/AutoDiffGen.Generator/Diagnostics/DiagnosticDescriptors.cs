using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Diagnostics;

/// <summary>Every diagnostic the generator reports, in one place. IDs are stable; never reuse one.</summary>
internal static class DiagnosticDescriptors
{
    private const string Category = "AutoDiffGen";

    public static readonly DiagnosticDescriptor UnsupportedStatement = new(
        "ADG0001",
        "Statement cannot be differentiated",
        "'{0}' cannot be differentiated: {1} statements are not supported in [Differentiable] methods. {2}.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedExpression = new(
        "ADG0002",
        "Expression cannot be differentiated",
        "'{0}' cannot be differentiated: {1}. {2}.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedType = new(
        "ADG0003",
        "Type cannot be differentiated",
        "{0} has type '{1}', which [Differentiable] methods do not support. Instead, {2}.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor CallWithoutDerivative = new(
        "ADG0004",
        "Called method has no derivative",
        "'{0}' is called with differentiable values but is neither [Differentiable] nor has a supplied derivative. Mark it [Differentiable], or declare a [DerivativeOf(nameof({1}))] method that returns its value and partial derivatives.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor TypeNotPartial = new(
        "ADG0005",
        "Containing type must be partial",
        "'{0}' must be declared partial so the generator can add the derivatives of '{1}' to it",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor UnsupportedMethod = new(
        "ADG0006",
        "Method cannot be differentiated",
        "'{0}' cannot be differentiated: {1}",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DerivativeSignatureMismatch = new(
        "ADG0007",
        "Supplied derivative does not match its primal",
        "'{0}' does not match the primal '{1}': {2}. Expected '{3}'.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor DerivativePrimalNotFound = new(
        "ADG0008",
        "Primal of a supplied derivative not found",
        "[DerivativeOf] names '{0}', but '{1}' declares no single method of that name. Name an existing, non-overloaded method with nameof.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor ParameterNeverAffectsResult = new(
        "ADG0009",
        "Result does not depend on a differentiable parameter",
        "The result of '{0}' never depends on parameter '{1}' through differentiable operations, so its derivative is always zero. Mark it [NoDerivative] if it is data, or suppress ADG0009.",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor NonDifferentiableOperation = new(
        "ADG0010",
        "Non-differentiable operation on a differentiable value",
        "{0} receives a value that depends on differentiable parameters, but {1}, so no gradient flows back through it. If that is intended, suppress ADG0010 (NoWarn or .editorconfig).",
        Category,
        DiagnosticSeverity.Warning,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor InternalError = new(
        "ADG0011",
        "Generator failed on a method",
        "AutoDiffGen failed to differentiate '{0}': {1}. No derivatives were generated for it; please report this with the method's source.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static readonly DiagnosticDescriptor GeneratedNameTaken = new(
        "ADG0012",
        "Generated member name already used",
        "'{0}' already declares a member named '{1}', which the generator emits for '{2}'. Rename one of them.",
        Category,
        DiagnosticSeverity.Error,
        isEnabledByDefault: true);

    public static DiagnosticDescriptor? Find(string id) => id switch
    {
        "ADG0001" => UnsupportedStatement,
        "ADG0002" => UnsupportedExpression,
        "ADG0003" => UnsupportedType,
        "ADG0004" => CallWithoutDerivative,
        "ADG0005" => TypeNotPartial,
        "ADG0006" => UnsupportedMethod,
        "ADG0007" => DerivativeSignatureMismatch,
        "ADG0008" => DerivativePrimalNotFound,
        "ADG0009" => ParameterNeverAffectsResult,
        "ADG0010" => NonDifferentiableOperation,
        "ADG0011" => InternalError,
        "ADG0012" => GeneratedNameTaken,
        _ => null,
    };
}
