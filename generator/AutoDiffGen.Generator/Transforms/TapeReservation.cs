using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Tape room a counting loop reserves before it starts, and the writer and reader locals that push and pop its values
/// (<c>var _doubleTapeWriter0 = _doubleTape.Reserve(n); for (...) { _doubleTapeWriter0.Push(s); } _doubleTapeWriter0.Commit();</c>).
/// </summary>
internal static class TapeReservation
{
    /// <summary>
    /// A counting loop knows its trip count before it starts: for each tape that only the loop body's own
    /// statements push (never a nested loop or branch), reserve room for every trip up front and push through a
    /// writer, without a growth check. The growth path is a call, and a call inside the loop makes the JIT keep the
    /// loop's values on the stack around it; the writer's position is a local, where the tape's count is a field
    /// that every push would store and the next load again.
    /// </summary>
    /// <param name="body">The loop body's forward statements; its pushes to the reserved tapes are rewritten in place.</param>
    /// <param name="loop">The loop's bounds.</param>
    /// <param name="name">Hands out a fresh local name for a prefix.</param>
    /// <returns>The statements before the loop, those after it, and each reserved tape with its pushes per trip.</returns>
    public static (List<IrStatement> Before, List<IrStatement> After, List<(string Tape, int Pushes)> Tapes) ReserveTapeRoom(
        List<IrStatement> body, CanonicalLoop loop, Func<string, string> name)
    {
        var before = new List<IrStatement>();
        var after = new List<IrStatement>();
        var nested = new HashSet<string>();
        foreach (IrStatement statement in body.Where(s => s is not TapePushStatement))
        {
            CollectTapes(statement, nested);
        }

        List<(string Tape, int Pushes)> tapes = body.OfType<TapePushStatement>()
            .GroupBy(push => push.Tape)
            .Where(group => !nested.Contains(group.Key))
            .Select(group => (group.Key, group.Count()))
            .ToList();
        IrExpression trips = TripCount(loop);
        foreach ((string tape, int pushes) in tapes)
        {
            string writer = name(tape + "Writer");
            before.Add(new TapeReserveStatement(tape, Expr.Multiply(ConstantExpression.Of(pushes, ScalarType.Int), trips), writer));
            after.Add(new TapeCommitStatement(writer));
            for (int i = 0; i < body.Count; i++)
            {
                if (body[i] is TapePushStatement push && push.Tape == tape)
                {
                    body[i] = push with { Writer = writer };
                }
            }
        }

        return (before, after, tapes);
    }

    /// <summary>
    /// The reverse loop's side of <see cref="ReserveTapeRoom"/>: its body pops the reserved tapes through reader locals,
    /// made before the loop and committed after it. A tape whose pops are not all in the body's own statements (as
    /// many as the forward body pushed) keeps popping the tape itself.
    /// </summary>
    /// <param name="body">The reverse loop body; its pops of the reserved tapes are rewritten in place.</param>
    /// <param name="tapes">The reserved tapes and their pushes per trip.</param>
    /// <param name="name">Hands out a fresh local name for a prefix.</param>
    /// <returns>The statements before the reverse loop and those after it.</returns>
    public static (List<IrStatement> Before, List<IrStatement> After) ReadReservedTapes(
        List<IrStatement> body, List<(string Tape, int Pushes)> tapes, Func<string, string> name)
    {
        var before = new List<IrStatement>();
        var after = new List<IrStatement>();
        foreach ((string tape, int pushes) in tapes)
        {
            var pops = new List<int>();
            for (int i = 0; i < body.Count; i++)
            {
                if (PopOf(body[i]) is { } pop && pop.Tape == tape)
                {
                    pops.Add(i);
                }
            }

            var everywhere = new HashSet<string>();
            foreach (IrStatement statement in body.Where(s => PopOf(s) is null))
            {
                CollectPops(statement, everywhere);
            }

            if (pops.Count != pushes || everywhere.Contains(tape))
            {
                continue;
            }

            string reader = name(tape + "Reader");
            before.Add(new TapeReaderStatement(tape, reader));
            after.Add(new TapeCommitStatement(reader));
            foreach (int i in pops)
            {
                body[i] = body[i] switch
                {
                    AssignStatement assign => assign with { Value = ((TapePopExpression)assign.Value) with { Reader = reader } },
                    ElementAssignStatement element => element with { Value = ((TapePopExpression)element.Value) with { Reader = reader } },
                    var other => other,
                };
            }
        }

        return (before, after);
    }

    /// <summary>The pop a restore statement (<c>x = tape.Pop()</c>, <c>a[i] = tape.Pop()</c>) takes its value from, or null.</summary>
    private static TapePopExpression? PopOf(IrStatement statement) => statement switch
    {
        AssignStatement { Value: TapePopExpression pop } => pop,
        ElementAssignStatement { Value: TapePopExpression pop } => pop,
        _ => null,
    };

    /// <summary>The tapes popped anywhere in a statement or the statements nested in it.</summary>
    private static void CollectPops(IrStatement statement, HashSet<string> tapes) =>
        Variables.ForEachSimpleStatement(new Block(EquatableArray.Create(statement)), 0, (simple, _) =>
        {
            IrExpression? value = simple switch
            {
                AssignStatement assign => assign.Value,
                ElementAssignStatement element => element.Value,
                _ => null,
            };
            if (value is not null)
            {
                ExpressionSearch.Contains(value, e =>
                {
                    if (e is TapePopExpression pop)
                    {
                        tapes.Add(pop.Tape);
                    }

                    return false;
                });
            }
        });

    /// <summary>max(0, trips) of a counting loop, from its bounds.</summary>
    internal static IrExpression TripCount(CanonicalLoop loop)
    {
        IrExpression span = loop.Ascending ? Expr.Subtract(loop.Bound, loop.Start) : Expr.Subtract(loop.Start, loop.Bound);
        if (loop.Comparison is BinaryOperator.LessOrEqual or BinaryOperator.GreaterOrEqual)
        {
            span = Expr.Add(span, ConstantExpression.Of(1, ScalarType.Int));
        }

        return Expr.Call(Intrinsic.Max, ScalarType.Int, ConstantExpression.Of(0, ScalarType.Int), span);
    }

    /// <summary>The tapes a statement, or any statement nested in it, pushes to or reserves on.</summary>
    private static void CollectTapes(IrStatement statement, HashSet<string> tapes) =>
        Variables.ForEachSimpleStatement(new Block(EquatableArray.Create(statement)), 0, (simple, _) =>
        {
            switch (simple)
            {
                case TapePushStatement push:
                    tapes.Add(push.Tape);
                    break;
                case TapeReserveStatement reserve:
                    tapes.Add(reserve.Tape);
                    break;
            }
        });
}
