using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Folds an adjoint that is only the negation of another (<c>_d_t0 = -_d_b</c>, the subtrahend of <c>b = y - t0</c>)
/// into its one use: <c>_d_x += c * _d_t0</c> becomes <c>_d_x -= c * _d_b</c> (an element addition <c>_d_a[i] += c * _d_t0</c>
/// likewise), and <c>_d_x = (x + x) * _d_t0</c> becomes <c>_d_x = -2.0 * x * _d_b</c>, as a person folds the sign
/// into a constant. A negation is one more floating-point operation on the critical path of a small gradient; the
/// folded forms give bit-for-bit the same results (negating, doubling and subtracting a product are exact).
/// </summary>
/// <remarks>
/// Applies where the negated adjoint is written once and read once in the whole method, by a later statement of the
/// same block, and nothing between the two writes what it negates. A use <c>_d_u = c * _d_t0</c> whose coefficient has
/// no constant to take the sign passes it on (<c>_d_u = -(c * _d_b)</c>) when <c>_d_u</c> is read once too, so the
/// sign reaches an addition that absorbs it; a plain copy keeps its negation.
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
            if (output[i] is not AssignStatement { Accumulate: false, Value: UnaryExpression { Operator: UnaryOperator.Negate, Operand: var negated } } definition
                || !adjoints.ContainsKey(definition.Target) || liveOut.Contains(definition.Target)
                || !mentions.TryGetValue(definition.Target, out int count) || count != 2)
            {
                continue;
            }

            string name = definition.Target;
            int use = output.FindIndex(i + 1, s => StatementUses.Of(new[] { s }).Mentions(name));
            StatementUses between = StatementUses.Of(output.Skip(i + 1).Take(Math.Max(use - i - 1, 0)));
            // What is negated moves to the use: it must read the same there, and reading it must do nothing else.
            if (use < 0 || between.HasUnknown
                || ExpressionSearch.Contains(negated, e => e is TapePopExpression or CallExpression or ExternalValueExpression)
                || Variables.ReadBy(negated).Any(v => (between[v] & (Use.Write | Use.Accumulate)) != 0))
            {
                continue;
            }

            IrStatement? folded = output[use] switch
            {
                AssignStatement assign when assign.Target != name && !Mentions(negated, assign.Target)
                    => Folded(assign.Value, assign.Accumulate, name, negated) is { } value ? assign with { Value = value }
                        // u = c * t, read once later: u takes the sign instead, for its own use to absorb.
                        : !assign.Accumulate && adjoints.ContainsKey(assign.Target) && !liveOut.Contains(assign.Target)
                            && mentions.TryGetValue(assign.Target, out int uses) && uses == 2
                            && Coefficient(assign.Value, name) is { } c
                            ? assign with { Value = Expr.Negate(Expr.Multiply(c, negated)) }
                            : null,
                ElementAssignStatement { Accumulate: true } element when !element.Indices.Any(index => Mentions(index, name))
                    => Folded(element.Value, accumulate: true, name, negated) is { } value ? element with { Value = value } : null,
                _ => null,
            };
            if (folded is null)
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

    private static IrStatement Nested(IrStatement statement, IReadOnlyDictionary<string, ScalarType> adjoints, IReadOnlyDictionary<string, int> mentions, ISet<string> liveOut) =>
        statement.MapBodies(block => new Block(Fold(block.Statements, adjoints, mentions, liveOut).ToEquatableArray()));

    /// <summary>
    /// The value a use assigns (or adds, when <paramref name="accumulate"/>) with <c>-negated</c> in place of
    /// <paramref name="name"/>, when that needs no negation of its own; else null. An addition of a negated value is
    /// printed as a subtraction.
    /// </summary>
    private static IrExpression? Folded(IrExpression value, bool accumulate, string name, IrExpression negated)
    {
        if (value is VariableExpression v && v.Name == name)
        {
            // _d_v += -e is _d_v -= e; a plain copy would keep its negation.
            return accumulate ? Expr.Negate(negated) : null;
        }

        if (Coefficient(value, name) is not { } coefficient)
        {
            return null;
        }

        return accumulate
            ? Expr.Negate(Expr.Multiply(coefficient, negated))
            : NegatedCoefficient(coefficient) is { } flipped ? Expr.Multiply(flipped, negated) : null;
    }

    /// <summary>c when <paramref name="value"/> is <c>c * name</c> or <c>name * c</c> (c free of name); else null.</summary>
    private static IrExpression? Coefficient(IrExpression value, string name)
    {
        bool IsName(IrExpression e) => e is VariableExpression v && v.Name == name;
        return value switch
        {
            BinaryExpression { Operator: BinaryOperator.Multiply } product when IsName(product.Right) && !Mentions(product.Left, name) => product.Left,
            BinaryExpression { Operator: BinaryOperator.Multiply } product when IsName(product.Left) && !Mentions(product.Right, name) => product.Right,
            _ => null,
        };
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
