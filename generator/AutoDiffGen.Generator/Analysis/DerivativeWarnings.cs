using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Derivatives;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Warnings about gradients that are zero by construction: a differentiable parameter the result does
/// not depend on (ADG0009), and a piecewise-constant operation applied to a differentiable value (ADG0010).
/// </summary>
internal static class DerivativeWarnings
{
    public static IEnumerable<DiagnosticInfo> Find(MethodIr method, ActivityAnalysis activity, string displayName)
    {
        foreach (ParameterIr parameter in method.Parameters.Where(p => p.IsDifferentiable && !activity.Useful.Contains(p.Name)))
        {
            yield return DiagnosticInfo.Create(DiagnosticDescriptors.ParameterNeverAffectsResult, parameter.Span, displayName, parameter.Name);
        }

        var reported = new HashSet<SourceSpan>();
        var findings = new List<(string What, string Why, SourceSpan Span)>();
        Variables.ForEachAssignment(method.Body, 0, (assign, _) => FindZeroingOperations(assign.Value, activity, findings));
        foreach ((string what, string why, SourceSpan span) in findings)
        {
            if (reported.Add(span))
            {
                yield return DiagnosticInfo.Create(DiagnosticDescriptors.NonDifferentiableOperation, span, what, why);
            }
        }
    }

    private static void FindZeroingOperations(IrExpression expression, ActivityAnalysis activity, List<(string, string, SourceSpan)> findings)
    {
        bool IsVaried(IrExpression e) => Variables.ReadBy(e).Any(activity.Varied.Contains);
        switch (expression)
        {
            case IntrinsicExpression intrinsic:
                // StopGradient asks for the zero; the others give it silently, which deserves a warning.
                if (DerivativeRules.IsPiecewiseConstant(intrinsic.Function) && intrinsic.Function != Intrinsic.StopGradient
                    && intrinsic.Span is not null && intrinsic.Arguments.Any(IsVaried))
                {
                    findings.Add(($"Math.{intrinsic.Function}", "its derivative is zero wherever it exists", intrinsic.Span));
                }

                foreach (IrExpression argument in intrinsic.Arguments)
                {
                    FindZeroingOperations(argument, activity, findings);
                }

                break;
            case CastExpression cast:
                if (cast.Type == ScalarType.Int && cast.Operand.Type.IsDifferentiable() && cast.Span is not null && IsVaried(cast.Operand))
                {
                    findings.Add(("A cast to int", "its derivative is zero wherever it exists", cast.Span));
                }

                FindZeroingOperations(cast.Operand, activity, findings);
                break;
            case UnaryExpression unary:
                FindZeroingOperations(unary.Operand, activity, findings);
                break;
            case BinaryExpression binary:
                FindZeroingOperations(binary.Left, activity, findings);
                FindZeroingOperations(binary.Right, activity, findings);
                break;
            case CallExpression call:
                for (int i = 0; i < call.Arguments.Count; i++)
                {
                    CallParameter parameter = call.Target.Parameters[i];
                    if (parameter.Type.IsDifferentiable() && !parameter.IsDifferentiable && call.Span is not null && IsVaried(call.Arguments[i]))
                    {
                        findings.Add(($"Parameter '{parameter.Name}' of '{call.Target.DisplayName}'", "it is marked [NoDerivative]", call.Span));
                    }

                    FindZeroingOperations(call.Arguments[i], activity, findings);
                }

                break;
            case ConditionalExpression conditional:
                FindZeroingOperations(conditional.WhenTrue, activity, findings);
                FindZeroingOperations(conditional.WhenFalse, activity, findings);
                break;
        }
    }
}
