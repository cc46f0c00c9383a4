using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Drops the resets of scalar adjoints (<c>_d_t0 = 0.0;</c>) that nothing reads before the adjoint is assigned again
/// or the method returns: each reverse step resets the adjoints it consumed, and where a temporary is recomputed
/// instead of taped, or a step's adjoints were preaccumulated, most of those resets are never read.
/// </summary>
/// <remarks>
/// A backward liveness pass over the structured reverse sweep; loops go to a fixed point, so a reset that the next
/// trip reads stays. Only resets are dropped: every other statement stays and keeps what it reads live.
/// </remarks>
internal static class DeadAdjointResets
{
    /// <summary>The statements without their dead resets; <paramref name="liveOut"/> are the names read after them.</summary>
    public static List<IrStatement> Drop(List<IrStatement> statements, IReadOnlyDictionary<string, ScalarType> adjoints, IEnumerable<string> liveOut) =>
        Live(statements, adjoints, new HashSet<string>(liveOut));

    /// <summary>On entry <paramref name="live"/> holds the names live after the statements; on return, those live before them.</summary>
    private static List<IrStatement> Live(IReadOnlyList<IrStatement> statements, IReadOnlyDictionary<string, ScalarType> adjoints, HashSet<string> live)
    {
        var kept = new List<IrStatement>();
        for (int i = statements.Count - 1; i >= 0; i--)
        {
            IrStatement statement = statements[i];
            switch (statement)
            {
                case AssignStatement { Accumulate: false, Value: ConstantExpression { IsZero: true } } reset
                    when adjoints.ContainsKey(reset.Target) && !live.Contains(reset.Target):
                    continue;
                case AssignStatement assign:
                    if (!assign.Accumulate)
                    {
                        live.Remove(assign.Target);
                    }

                    Variables.CollectReads(new Block(EquatableArray.Create<IrStatement>(assign)), live);
                    kept.Add(assign);
                    break;
                case IfStatement branch:
                    var whenTrue = new HashSet<string>(live);
                    var whenFalse = new HashSet<string>(live);
                    Block then = new(Live(branch.Then.Statements, adjoints, whenTrue).ToEquatableArray());
                    Block otherwise = new(Live(branch.Else.Statements, adjoints, whenFalse).ToEquatableArray());
                    live.UnionWith(whenTrue);
                    live.UnionWith(whenFalse);
                    Variables.CollectReads(branch.Condition, live);
                    kept.Add(new IfStatement(branch.Condition, then, otherwise));
                    break;
                case ForStatement loop:
                    Block forBody = Loop(loop.Body, adjoints, live, loop.Condition, loop.Step);
                    Variables.CollectReads(loop.Initializer, live);
                    kept.Add(loop with { Body = forBody });
                    break;
                case WhileStatement loop:
                    kept.Add(loop with { Body = Loop(loop.Body, adjoints, live, loop.Condition, Block.Empty) });
                    break;
                case DoWhileStatement loop:
                    kept.Add(loop with { Body = Loop(loop.Body, adjoints, live, loop.Condition, Block.Empty) });
                    break;
                default:
                    // Anything else stays; what it writes is kept live too (fewer resets dropped, never a wrong one).
                    Variables.CollectReads(new Block(EquatableArray.Create(statement)), live);
                    kept.Add(statement);
                    break;
            }
        }

        kept.Reverse();
        return kept;
    }

    /// <summary>
    /// A loop body without its dead resets. <paramref name="live"/> goes from the names live after the loop to those
    /// live before it: the loop may run no trip, and what a trip reads may have been written by the trip before.
    /// </summary>
    private static Block Loop(Block body, IReadOnlyDictionary<string, ScalarType> adjoints, HashSet<string> live, IrExpression? condition, Block step)
    {
        var around = new HashSet<string>(live);
        Variables.CollectReads(condition, around);
        Variables.CollectReads(step, around);
        while (true)
        {
            var entry = new HashSet<string>(around);
            Live(body.Statements, adjoints, entry);
            int before = around.Count;
            around.UnionWith(entry);
            if (around.Count == before)
            {
                break;
            }
        }

        var final = new HashSet<string>(around);
        List<IrStatement> kept = Live(body.Statements, adjoints, final);
        live.UnionWith(around);
        return new Block(kept.ToEquatableArray());
    }
}
