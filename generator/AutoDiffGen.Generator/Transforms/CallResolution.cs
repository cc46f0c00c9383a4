using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Frontend;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Binds calls to their derivatives once all <c>[DerivativeOf]</c> methods of the compilation are known:
/// a supplied derivative wins (also over a <c>[Differentiable]</c> callee); a call that has none and
/// is not <c>[Differentiable]</c> is reported (ADG0004).
/// </summary>
internal static class CallResolution
{
    public static ParseResult Apply(ParseResult parsed, EquatableArray<DerivativeEntry> derivatives)
    {
        if (parsed.Method is null)
        {
            return parsed;
        }

        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        Block body = ResolveBlock(parsed.Method.Body, derivatives, diagnostics);
        bool failed = diagnostics.Count > parsed.Diagnostics.Count;
        return parsed with
        {
            Method = failed ? null : parsed.Method with { Body = body },
            Diagnostics = diagnostics.ToEquatableArray(),
        };
    }

    private static Block ResolveBlock(Block block, EquatableArray<DerivativeEntry> derivatives, List<DiagnosticInfo> diagnostics) =>
        new(block.Statements.Select(s => ResolveStatement(s, derivatives, diagnostics)).ToList().ToEquatableArray());

    private static IrStatement ResolveStatement(IrStatement statement, EquatableArray<DerivativeEntry> derivatives, List<DiagnosticInfo> diagnostics)
    {
        IrExpression R(IrExpression e) => ResolveExpression(e, derivatives, diagnostics);
        Block B(Block b) => ResolveBlock(b, derivatives, diagnostics);
        return statement switch
        {
            AssignStatement assign => assign with { Value = R(assign.Value) },
            IfStatement branch => new IfStatement(R(branch.Condition), B(branch.Then), B(branch.Else)),
            WhileStatement loop => new WhileStatement(R(loop.Condition), B(loop.Body)),
            DoWhileStatement loop => new DoWhileStatement(B(loop.Body), R(loop.Condition)),
            ForStatement loop => new ForStatement(B(loop.Initializer), loop.Condition is null ? null : R(loop.Condition), B(loop.Step), B(loop.Body)),
            ReturnStatement { Value: { } value } => new ReturnStatement(R(value)),
            _ => statement,
        };
    }

    private static IrExpression ResolveExpression(IrExpression expression, EquatableArray<DerivativeEntry> derivatives, List<DiagnosticInfo> diagnostics)
    {
        IrExpression R(IrExpression e) => ResolveExpression(e, derivatives, diagnostics);
        switch (expression)
        {
            case CallExpression call:
                var resolved = call with { Arguments = call.Arguments.Select(R).ToList().ToEquatableArray() };
                if (call.Target.Kind is not (CallKind.Differentiable or CallKind.NeedsDerivative))
                {
                    return resolved;
                }

                DerivativeEntry? entry = derivatives.FirstOrDefault(d =>
                    d.PrimalTypeName == call.Target.TypeName
                    && d.PrimalName == call.Target.MethodName
                    && d.PrimalParameterTypes.SequenceEqual(call.Target.Parameters.Select(p => p.Type)));
                if (entry is not null)
                {
                    return resolved with { Target = resolved.Target with { Kind = CallKind.SuppliedDerivative, Derivative = entry.Derivative } };
                }

                if (call.Target.Kind == CallKind.NeedsDerivative)
                {
                    diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.CallWithoutDerivative, call.Span, call.Target.DisplayName, call.Target.MethodName));
                }

                return resolved;
            case UnaryExpression unary:
                return unary with { Operand = R(unary.Operand) };
            case BinaryExpression binary:
                return binary with { Left = R(binary.Left), Right = R(binary.Right) };
            case IntrinsicExpression intrinsic:
                return intrinsic with { Arguments = intrinsic.Arguments.Select(R).ToList().ToEquatableArray() };
            case CastExpression cast:
                return cast with { Operand = R(cast.Operand) };
            case ConditionalExpression conditional:
                return conditional with { Condition = R(conditional.Condition), WhenTrue = R(conditional.WhenTrue), WhenFalse = R(conditional.WhenFalse) };
            default:
                return expression;
        }
    }
}
