using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Folds an adjoint that is only the negation of another (<c>_d_t0 = -_d_b</c>, the subtrahend of <c>b = y - t0</c>)
/// into its one use: <c>_d_x += c * _d_t0</c> becomes <c>_d_x -= c * _d_b</c>, and <c>_d_x = (x + x) * _d_t0</c>
/// becomes <c>_d_x = -2.0 * x * _d_b</c>, as a person folds the sign into a constant. A negation is one more
/// floating-point operation on the critical path of a small gradient; the folded forms give bit-for-bit the same
/// results (negating, doubling and subtracting a product are exact).
/// </summary>
/// <remarks>
/// Applies where the negated adjoint is written once and read once in the whole method, by a later assignment
/// of the same block, and nothing between the two writes the adjoint it negates. A use that would still need a
/// negation (<c>_d_x = _d_t0</c>, or a coefficient with no constant to take the sign) is left as it is.
/// </remarks>
internal static class NegatedAdjoints
{
    /// <summary>The statements with each foldable negation folded.</summary>
    /// <param name="statements">One sweep (the reverse sweep, or a forward sweep holding fused trips' reverses).</param>
    /// <param name="adjoints">The scalar adjoints (only these are folded).</param>
    /// <param name="mentions">How many statements mention each name in the whole method (<see cref="CountMentions"/>).</param>
    /// <param name="liveOut">Names read after the method's statements (the returned gradient).</param>
    public static List<IrStatement> Fold(
        IReadOnlyList<IrStatement> statements, IReadOnlyDictionary<string, ScalarType> adjoints,
        IReadOnlyDictionary<string, int> mentions, ISet<string> liveOut)
    {
        var output = new List<IrStatement>(statements.Select(s => Nested(s, adjoints, mentions, liveOut)));
        for (int i = 0; i < output.Count; i++)
        {
            if (output[i] is not AssignStatement { Accumulate: false, Value: UnaryExpression { Operator: UnaryOperator.Negate, Operand: VariableExpression negated } } definition
                || !adjoints.ContainsKey(definition.Target) || liveOut.Contains(definition.Target)
                || !mentions.TryGetValue(definition.Target, out int count) || count != 2)
            {
                continue;
            }

            string name = definition.Target;
            int use = output.FindIndex(i + 1, s => StatementUses.Of(new[] { s }).Mentions(name));
            StatementUses between = StatementUses.Of(output.Skip(i + 1).Take(Math.Max(use - i - 1, 0)));
            if (use < 0 || output[use] is not AssignStatement assign || assign.Target == name
                || between.HasUnknown || (between[negated.Name] & (Use.Write | Use.Accumulate)) != 0
                || Folded(assign, name, negated) is not { } folded)
            {
                continue;
            }

            output[use] = folded;
            output.RemoveAt(i);
            i--;
        }

        return output;
    }

    /// <summary>How many statements mention each name: simple statements, and the headers of branches and loops.</summary>
    public static Dictionary<string, int> CountMentions(IEnumerable<IrStatement> statements)
    {
        var counts = new Dictionary<string, int>();
        Count(statements, counts);
        return counts;
    }

    private static void Count(IEnumerable<IrStatement> statements, Dictionary<string, int> counts)
    {
        void Mention(IEnumerable<string> names)
        {
            foreach (string name in names)
            {
                counts[name] = counts.TryGetValue(name, out int count) ? count + 1 : 1;
            }
        }

        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case IfStatement branch:
                    Mention(Variables.ReadBy(branch.Condition));
                    Count(branch.Then.Statements, counts);
                    Count(branch.Else.Statements, counts);
                    break;
                case WhileStatement loop:
                    Mention(Variables.ReadBy(loop.Condition));
                    Count(loop.Body.Statements, counts);
                    break;
                case DoWhileStatement loop:
                    Mention(Variables.ReadBy(loop.Condition));
                    Count(loop.Body.Statements, counts);
                    break;
                case ForStatement loop:
                    Count(loop.Initializer.Statements, counts);
                    if (loop.Condition is not null)
                    {
                        Mention(Variables.ReadBy(loop.Condition));
                    }

                    Count(loop.Step.Statements, counts);
                    Count(loop.Body.Statements, counts);
                    break;
                default:
                    Mention(StatementUses.Of(new[] { statement }).Names);
                    break;
            }
        }
    }

    private static IrStatement Nested(IrStatement statement, IReadOnlyDictionary<string, ScalarType> adjoints, IReadOnlyDictionary<string, int> mentions, ISet<string> liveOut)
    {
        Block Fold(Block block) => new(NegatedAdjoints.Fold(block.Statements, adjoints, mentions, liveOut).ToEquatableArray());
        return statement switch
        {
            IfStatement branch => new IfStatement(branch.Condition, Fold(branch.Then), Fold(branch.Else)),
            ForStatement loop => loop with { Body = Fold(loop.Body) },
            WhileStatement loop => loop with { Body = Fold(loop.Body) },
            DoWhileStatement loop => loop with { Body = Fold(loop.Body) },
            _ => statement,
        };
    }

    /// <summary>The use with <c>-negated</c> in place of <paramref name="name"/>, when that needs no negation; else null.</summary>
    private static AssignStatement? Folded(AssignStatement use, string name, VariableExpression negated)
    {
        bool IsName(IrExpression e) => e is VariableExpression v && v.Name == name;
        IrExpression? coefficient = use.Value switch
        {
            BinaryExpression { Operator: BinaryOperator.Multiply } product when IsName(product.Right) && !Mentions(product.Left, name) => product.Left,
            BinaryExpression { Operator: BinaryOperator.Multiply } product when IsName(product.Left) && !Mentions(product.Right, name) => product.Right,
            _ => null,
        };
        if (IsName(use.Value))
        {
            // _d_v += -_d_e is _d_v -= _d_e; a plain copy would keep its negation.
            return use.Accumulate ? use with { Value = Expr.Negate(negated) } : null;
        }

        if (coefficient is null)
        {
            return null;
        }

        if (use.Accumulate)
        {
            // Printed as _d_v -= c * _d_e.
            return use with { Value = Expr.Negate(Expr.Multiply(coefficient, negated)) };
        }

        return NegatedCoefficient(coefficient) is { } flipped ? use with { Value = Expr.Multiply(flipped, negated) } : null;
    }

    /// <summary>−c without a negation of its own: a constant, a constant factor, or v + v as −2·v; else null.</summary>
    private static IrExpression? NegatedCoefficient(IrExpression coefficient) => coefficient switch
    {
        ConstantExpression constant => Expr.Constant(-constant.Value, constant.Type),
        UnaryExpression { Operator: UnaryOperator.Negate } negation => negation.Operand,
        BinaryExpression { Operator: BinaryOperator.Multiply, Left: ConstantExpression factor } product
            => Expr.Multiply(Expr.Constant(-factor.Value, factor.Type), product.Right),
        BinaryExpression { Operator: BinaryOperator.Multiply, Right: ConstantExpression factor } product
            => Expr.Multiply(product.Left, Expr.Constant(-factor.Value, factor.Type)),
        BinaryExpression { Operator: BinaryOperator.Add } sum when sum.Left.Equals(sum.Right) && sum.Type != ScalarType.Int
            => Expr.Multiply(Expr.Constant(-2, sum.Type), sum.Left),
        _ => null,
    };

    private static bool Mentions(IrExpression expression, string name) => Variables.ReadBy(expression).Contains(name);
}
