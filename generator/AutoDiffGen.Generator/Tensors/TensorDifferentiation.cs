using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Frontend;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Tensors;

/// <summary>
/// Reverse mode for tensor methods, at the level of operations: activity analysis over the op list,
/// then the adjoint steps in reverse order, marking each gradient buffer's first contribution so the
/// backward kernels overwrite it instead of needing a zero fill.
/// </summary>
internal static class TensorDifferentiation
{
    public static DifferentiationResult Apply(ParseResult parsed)
    {
        var diagnostics = new List<DiagnosticInfo>(parsed.Diagnostics);
        try
        {
            (TensorMethodIr method, List<MethodIr> chains) = TensorFusion.Apply(DenseReluFusion.Apply(parsed.Tensor!));
            var fused = new List<DifferentiatedMethod>();
            foreach (MethodIr chain in chains)
            {
                DifferentiationResult result = Transforms.Differentiation.Apply(new ParseResult(chain, EquatableArray<DiagnosticInfo>.Empty, chain.Name, parsed.Span));
                diagnostics.AddRange(result.Diagnostics);
                if (result.Method is not null)
                {
                    fused.Add(result.Method);
                }
            }

            TensorPlan plan = Differentiate(method, diagnostics, parsed.DisplayName) with { Fused = fused.ToEquatableArray(), AsWritten = parsed.Tensor! };
            bool failed = diagnostics.Any(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error);
            return new DifferentiationResult(null, diagnostics.ToEquatableArray(), failed ? null : plan);
        }
        catch (System.Exception exception) when (exception is not System.OperationCanceledException)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.InternalError, parsed.Span, parsed.DisplayName, $"{exception.GetType().Name}: {exception.Message}"));
            return new DifferentiationResult(null, diagnostics.ToEquatableArray());
        }
    }

    /// <summary>The leaves a gradient is taken for: model parameters and [Differentiable] tensor arguments.</summary>
    public static bool IsLeaf(TensorMethodIr method, TensorOperand operand) =>
        operand.Kind == TensorOperandKind.Parameter
        || (operand.Kind == TensorOperandKind.Input && method.Inputs.Any(i => i.Name == operand.Name && i.IsDifferentiable));

    private static TensorPlan Differentiate(TensorMethodIr method, List<DiagnosticInfo> diagnostics, string displayName)
    {
        // Varied: depends on a leaf. Useful: the result depends on it.
        var varied = new HashSet<string>();
        foreach (TensorOpIr op in method.Operations)
        {
            if (op.Arguments.Any(a => IsLeaf(method, a) || (a.Kind == TensorOperandKind.Value && varied.Contains(a.Name))))
            {
                varied.Add(op.Result);
            }
        }

        var useful = new HashSet<string>();
        if (method.Result.Kind == TensorOperandKind.Value)
        {
            useful.Add(method.Result.Name);
        }

        foreach (TensorOpIr op in method.Operations.Reverse())
        {
            if (useful.Contains(op.Result))
            {
                foreach (TensorOperand argument in op.Arguments.Where(a => a.Kind == TensorOperandKind.Value))
                {
                    useful.Add(argument.Name);
                }
            }
        }

        bool Active(string value) => varied.Contains(value) && useful.Contains(value);
        bool Receives(TensorOperand operand) => IsLeaf(method, operand) || (operand.Kind == TensorOperandKind.Value && Active(operand.Name));

        var steps = new List<TensorBackwardStep>();
        var contributed = new HashSet<string>();
        foreach (TensorOpIr op in method.Operations.Reverse().Where(o => Active(o.Result)))
        {
            var targets = new List<TensorGradientTarget>();
            for (int i = 0; i < op.Arguments.Count; i++)
            {
                TensorOperand argument = op.Arguments[i];
                if (!Receives(argument) || !HasAdjointRule(op.Op, i))
                {
                    continue;
                }

                if (op.Op == TensorOp.SoftmaxCrossEntropy && i == 1)
                {
                    diagnostics.Add(DiagnosticInfo.Create(
                        DiagnosticDescriptors.UnsupportedExpression,
                        op.Span,
                        "SoftmaxCrossEntropy",
                        "its labels are data: no gradient flows to them",
                        "Pass labels that do not depend on [Parameter]s or [Differentiable] arguments"));
                    continue;
                }

                string key = $"{argument.Kind}:{argument.Name}";
                targets.Add(new TensorGradientTarget(i, contributed.Add(key)));
            }

            if (targets.Count > 0)
            {
                steps.Add(new TensorBackwardStep(op, targets.ToEquatableArray()));
            }
        }

        var touched = new HashSet<string>(steps.SelectMany(s => s.Targets.Select(t => s.Operation.Arguments[t.Argument]))
            .Where(a => a.Kind == TensorOperandKind.Parameter).Select(a => a.Name));
        if (!method.IsStatic && steps.Count == 0)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ParameterNeverAffectsResult, method.Span, displayName, "any [Parameter]"));
        }

        return new TensorPlan(
            method,
            method.Operations.Select(o => o.Result).Where(Active).ToEquatableArray(),
            steps.ToEquatableArray(),
            method.ModelParameters.Where(p => !touched.Contains(p)).ToEquatableArray(),
            EquatableArray<DifferentiatedMethod>.Empty,
            method);
    }

    /// <summary>Which arguments of an operation have an adjoint rule (scalars and labels do not).</summary>
    private static bool HasAdjointRule(TensorOp op, int argument) => op switch
    {
        TensorOp.Pow => argument == 0,
        TensorOp.SoftmaxCrossEntropy => argument <= 1,
        _ => true,
    };
}
