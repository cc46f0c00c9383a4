using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Derivatives;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Activity analysis (as in Enzyme and Tapenade): a variable is <em>varied</em> when it depends on a
/// differentiable parameter through differentiable operations, <em>useful</em> when the result depends
/// on it, and <em>active</em> when both. Only active variables get adjoints and tangents. Flow-insensitive,
/// so it is conservative: it may call a variable active that is not, never the other way round.
/// </summary>
internal sealed class ActivityAnalysis
{
    private ActivityAnalysis(HashSet<string> varied, HashSet<string> useful)
    {
        Varied = varied;
        Useful = useful;
    }

    public HashSet<string> Varied { get; }

    public HashSet<string> Useful { get; }

    public bool IsActive(string name) => Varied.Contains(name) && Useful.Contains(name);

    public bool IsActive(IrExpression operand) => operand is VariableExpression variable && IsActive(variable.Name);

    /// <summary>Analyses a method in three-address form whose one return is its last statement.</summary>
    public static ActivityAnalysis Analyze(MethodIr method)
    {
        // Each write, as (target, value): element writes count as writes of their whole array.
        var assignments = new List<(string Target, IrExpression Value)>();
        Variables.ForEachSimpleStatement(method.Body, 0, (statement, _) =>
        {
            switch (statement)
            {
                case AssignStatement assign:
                    assignments.Add((assign.Target, assign.Value));
                    break;
                case ElementAssignStatement element:
                    assignments.Add((element.Array, element.Value));
                    break;
            }
        });

        var varied = new HashSet<string>(method.Parameters.Where(p => p.IsDifferentiable).Select(p => p.Name));
        bool changed = true;
        while (changed)
        {
            changed = false;
            foreach ((string target, IrExpression value) in assignments)
            {
                if (value.Type.IsDifferentiable() && !varied.Contains(target) && DifferentiableOperands(value).Any(varied.Contains))
                {
                    changed |= varied.Add(target);
                }
            }
        }

        var useful = new HashSet<string>(method.Parameters.Where(p => p.IsOutput).Select(p => p.Name));
        if (method.Body.Statements.LastOrDefault() is ReturnStatement { Value: VariableExpression returned })
        {
            useful.Add(returned.Name);
        }

        changed = true;
        while (changed)
        {
            changed = false;
            foreach ((string target, IrExpression value) in assignments)
            {
                if (useful.Contains(target))
                {
                    foreach (string operand in DifferentiableOperands(value))
                    {
                        changed |= useful.Add(operand);
                    }
                }
            }
        }

        return new ActivityAnalysis(varied, useful);
    }

    /// <summary>The variables a derivative can flow from into the value of <paramref name="expression"/>.</summary>
    public static IEnumerable<string> DifferentiableOperands(IrExpression expression)
    {
        if (expression is ArrayReferenceExpression { ArrayType.IsDifferentiable: true } array)
        {
            yield return array.Name;
            yield break;
        }

        if (!expression.Type.IsDifferentiable())
        {
            yield break;
        }

        switch (expression)
        {
            case VariableExpression variable:
                yield return variable.Name;
                break;
            case ElementExpression element:
                yield return element.Array;
                break;
            case BinaryExpression binary:
                foreach (string name in DifferentiableOperands(binary.Left).Concat(DifferentiableOperands(binary.Right)))
                {
                    yield return name;
                }

                break;
            case UnaryExpression unary:
                foreach (string name in DifferentiableOperands(unary.Operand))
                {
                    yield return name;
                }

                break;
            case CastExpression cast:
                foreach (string name in DifferentiableOperands(cast.Operand))
                {
                    yield return name;
                }

                break;
            case IntrinsicExpression intrinsic when !DerivativeRules.IsPiecewiseConstant(intrinsic.Function):
                foreach (string name in intrinsic.Arguments.SelectMany(DifferentiableOperands))
                {
                    yield return name;
                }

                break;
            case CallExpression call when call.Target.Kind is CallKind.Differentiable or CallKind.SuppliedDerivative:
                for (int i = 0; i < call.Arguments.Count; i++)
                {
                    if (call.Target.Parameters[i].IsDifferentiable)
                    {
                        foreach (string name in DifferentiableOperands(call.Arguments[i]))
                        {
                            yield return name;
                        }
                    }
                }

                break;
            case ConditionalExpression conditional:
                foreach (string name in DifferentiableOperands(conditional.WhenTrue).Concat(DifferentiableOperands(conditional.WhenFalse)))
                {
                    yield return name;
                }

                break;
        }
    }
}
