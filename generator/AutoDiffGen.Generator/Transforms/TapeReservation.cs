using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>Tape room a counting loop reserves before it starts, so that its pushes need no growth check.</summary>
internal static class TapeReservation
{
    /// <summary>
    /// A counting loop knows its trip count before it starts: for each tape that only the loop body's own
    /// statements push (never a nested loop or branch), reserve room for every trip up front and push without
    /// a growth check. The growth path is a call, and a call inside the loop makes the JIT keep the loop's
    /// values on the stack around it.
    /// </summary>
    public static List<IrStatement> ReserveTapeRoom(List<IrStatement> body, CanonicalLoop loop)
    {
        var reserves = new List<IrStatement>();
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
            reserves.Add(new TapeReserveStatement(tape, Expr.Multiply(ConstantExpression.Of(pushes, ScalarType.Int), trips)));
            for (int i = 0; i < body.Count; i++)
            {
                if (body[i] is TapePushStatement push && push.Tape == tape)
                {
                    body[i] = push with { Reserved = true };
                }
            }
        }

        return reserves;
    }

    /// <summary>max(0, trips) of a counting loop, from its bounds.</summary>
    private static IrExpression TripCount(CanonicalLoop loop)
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
