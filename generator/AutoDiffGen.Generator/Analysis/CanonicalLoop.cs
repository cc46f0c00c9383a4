using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;
using AutoDiffGen.Generator.Transforms;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// A counting loop <c>for (i = start; i &lt; bound; i++)</c> (or <c>&lt;=</c>, or counting down with
/// <c>&gt;</c>/<c>&gt;=</c> and <c>i--</c>) whose counter nothing else writes or reads and whose bounds the
/// loop does not change. The reverse sweep runs it backwards, recomputing the counter instead of
/// storing a trip count or pushing the counter on a tape.
/// </summary>
internal sealed record CanonicalLoop(string Counter, IrExpression Start, IrExpression Bound, BinaryOperator Comparison, bool Ascending)
{
    /// <summary>The reverse sweep's loop: visits the same counter values, last first.</summary>
    public ForStatement Reversed(Block body)
    {
        var counter = Expr.Var(Counter, ScalarType.Int);
        var one = ConstantExpression.Of(1, ScalarType.Int);
        IrExpression last = Comparison switch
        {
            BinaryOperator.Less => new BinaryExpression(BinaryOperator.Subtract, Bound, one, ScalarType.Int),
            BinaryOperator.Greater => new BinaryExpression(BinaryOperator.Add, Bound, one, ScalarType.Int),
            _ => Bound,
        };
        IrExpression condition = Expr.Compare(Ascending ? BinaryOperator.GreaterOrEqual : BinaryOperator.LessOrEqual, counter, Start);
        IrExpression step = new BinaryExpression(Ascending ? BinaryOperator.Subtract : BinaryOperator.Add, counter, one, ScalarType.Int);
        return new ForStatement(
            new Block(EquatableArray.Create<IrStatement>(new AssignStatement(Counter, last))),
            condition,
            new Block(EquatableArray.Create<IrStatement>(new AssignStatement(Counter, step))),
            body);
    }

    /// <summary>Recognises a canonical loop; <paramref name="methodBody"/> is searched for other uses of the counter.</summary>
    public static CanonicalLoop? Match(ForStatement loop, Block methodBody)
    {
        if (MatchShape(loop) is not { } counting)
        {
            return null;
        }

        int writesElsewhere = 0;
        Variables.ForEachAssignment(methodBody, 0, (assign, _) => writesElsewhere += assign.Target == counting.Counter ? 1 : 0);
        return writesElsewhere != 2 || IsReadOutside(methodBody, loop, counting.Counter) ? null : counting;
    }

    /// <summary>
    /// Recognises the loop's own shape alone: a counter stepped by one towards a bound, neither of which the body
    /// assigns, so the loop visits each value from start to bound once. Unlike <see cref="Match"/> it does not ask
    /// whether the counter is used elsewhere, so it also fits the loops of a reverse sweep.
    /// </summary>
    public static CanonicalLoop? MatchShape(ForStatement loop)
    {
        if (loop.Initializer.Count != 1 || loop.Step.Count != 1
            || loop.Initializer.Statements[0] is not AssignStatement { Value.Type: ScalarType.Int } init
            || loop.Step.Statements[0] is not AssignStatement step || step.Target != init.Target
            || loop.Condition is not BinaryExpression condition)
        {
            return null;
        }

        string counter = init.Target;
        bool? ascending = step.Value switch
        {
            BinaryExpression { Operator: BinaryOperator.Add, Left: VariableExpression l, Right: ConstantExpression { Value: 1 } } when l.Name == counter => true,
            BinaryExpression { Operator: BinaryOperator.Subtract, Left: VariableExpression l, Right: ConstantExpression { Value: 1 } } when l.Name == counter => false,
            _ => null,
        };
        if (ascending is null)
        {
            return null;
        }

        // Normalise "bound > i" to "i < bound".
        (BinaryOperator comparison, IrExpression bound) = condition switch
        {
            { Left: VariableExpression l } when l.Name == counter => (condition.Operator, condition.Right),
            { Right: VariableExpression r } when r.Name == counter => (Flip(condition.Operator), condition.Left),
            _ => (BinaryOperator.Equal, condition.Left),
        };
        bool fits = ascending.Value
            ? comparison is BinaryOperator.Less or BinaryOperator.LessOrEqual
            : comparison is BinaryOperator.Greater or BinaryOperator.GreaterOrEqual;
        if (!fits || Variables.ReadBy(bound).Contains(counter) || Variables.ReadBy(init.Value).Contains(counter))
        {
            return null;
        }

        // The counter must belong to the loop, and the loop must not move its own bounds.
        var writtenInside = new HashSet<string>();
        Variables.ForEachAssignment(loop.Body, 0, (assign, _) => writtenInside.Add(assign.Target));
        if (writtenInside.Contains(counter) || Variables.ReadBy(bound).Concat(Variables.ReadBy(init.Value)).Any(writtenInside.Contains))
        {
            return null;
        }

        return new CanonicalLoop(counter, init.Value, bound, comparison, ascending.Value);
    }

    private static BinaryOperator Flip(BinaryOperator op) => op switch
    {
        BinaryOperator.Less => BinaryOperator.Greater,
        BinaryOperator.LessOrEqual => BinaryOperator.GreaterOrEqual,
        BinaryOperator.Greater => BinaryOperator.Less,
        BinaryOperator.GreaterOrEqual => BinaryOperator.LessOrEqual,
        _ => op,
    };

    private static bool IsReadOutside(Block block, ForStatement loop, string counter)
    {
        var reads = new HashSet<string>();
        foreach (IrStatement statement in block.Statements)
        {
            if (ReferenceEquals(statement, loop))
            {
                continue;
            }

            switch (statement)
            {
                case IfStatement branch:
                    Variables.CollectReads(branch.Condition, reads);
                    if (IsReadOutside(branch.Then, loop, counter) || IsReadOutside(branch.Else, loop, counter))
                    {
                        return true;
                    }

                    break;
                case WhileStatement whileLoop:
                    Variables.CollectReads(whileLoop.Condition, reads);
                    if (IsReadOutside(whileLoop.Body, loop, counter))
                    {
                        return true;
                    }

                    break;
                case DoWhileStatement doLoop:
                    Variables.CollectReads(doLoop.Condition, reads);
                    if (IsReadOutside(doLoop.Body, loop, counter))
                    {
                        return true;
                    }

                    break;
                case ForStatement other:
                    Variables.CollectReads(other.Initializer, reads);
                    Variables.CollectReads(other.Condition, reads);
                    Variables.CollectReads(other.Step, reads);
                    if (IsReadOutside(other.Body, loop, counter))
                    {
                        return true;
                    }

                    break;
                default:
                    Variables.CollectReads(new Block(EquatableArray.Create(statement)), reads);
                    break;
            }
        }

        return reads.Contains(counter);
    }
}
