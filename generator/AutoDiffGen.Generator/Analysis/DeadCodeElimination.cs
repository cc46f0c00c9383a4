using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Removes forward-sweep statements whose results the reverse sweep never reads (a backward liveness
/// pass). Generated callers use a pullback only for its adjoints, so its forward sweep needs to keep
/// just what the reverse sweep reads: with values recomputed in the reverse sweep, often nothing.
/// Tape pushes always stay (their pops are in the reverse sweep).
/// </summary>
internal static class DeadCodeElimination
{
    public static Block Apply(Block forward, HashSet<string> liveOut)
    {
        var live = new HashSet<string>(liveOut);
        return Eliminate(forward, live);
    }

    /// <summary>Keeps what is live after <paramref name="block"/>; on return, <paramref name="live"/> is what is live before it.</summary>
    private static Block Eliminate(Block block, HashSet<string> live)
    {
        var kept = new List<IrStatement>();
        for (int i = block.Count - 1; i >= 0; i--)
        {
            IrStatement? statement = Eliminate(block.Statements[i], live);
            if (statement is not null)
            {
                kept.Add(statement);
            }
        }

        kept.Reverse();
        return new Block(kept.ToEquatableArray());
    }

    private static IrStatement? Eliminate(IrStatement statement, HashSet<string> live)
    {
        switch (statement)
        {
            case AssignStatement assign:
                if (!live.Contains(assign.Target) && !HasSideEffects(assign.Value))
                {
                    return null;
                }

                if (!assign.Accumulate)
                {
                    live.Remove(assign.Target); // x += e adds to the x before it, which stays live
                }

                Variables.CollectReads(assign.Value, live);
                return assign;
            case DeconstructStatement deconstruct:
                if (!deconstruct.Targets.Any(live.Contains))
                {
                    return null;
                }

                foreach (string target in deconstruct.Targets)
                {
                    live.Remove(target);
                }

                Variables.CollectReads(deconstruct.Value, live);
                return deconstruct;
            case ElementAssignStatement element:
                if (!live.Contains(element.Array) && !HasSideEffects(element.Value))
                {
                    return null;
                }

                Read(statement, live);
                return element;
            case TapePushStatement push:
                Variables.CollectReads(push.Value, live);
                return push;
            case TapeReserveStatement reserve:
                Variables.CollectReads(reserve.Count, live);
                return reserve;
            case IfStatement branch:
            {
                var whenTrue = new HashSet<string>(live);
                var whenFalse = new HashSet<string>(live);
                Block then = Eliminate(branch.Then, whenTrue);
                Block otherwise = Eliminate(branch.Else, whenFalse);
                if (then.IsEmpty && otherwise.IsEmpty)
                {
                    return null;
                }

                live.UnionWith(whenTrue);
                live.UnionWith(whenFalse);
                Variables.CollectReads(branch.Condition, live);
                return new IfStatement(branch.Condition, then, otherwise);
            }

            case WhileStatement loop:
            {
                Block? body = Loop(loop.Body, live, new[] { loop.Condition }, Block.Empty);
                return body is null ? null : new WhileStatement(loop.Condition, body);
            }

            case DoWhileStatement loop:
            {
                Block? body = Loop(loop.Body, live, new[] { loop.Condition }, Block.Empty);
                return body is null ? null : new DoWhileStatement(body, loop.Condition);
            }

            case ForStatement loop:
            {
                Block? body = Loop(loop.Body, live, loop.Condition is null ? new IrExpression[0] : new[] { loop.Condition }, loop.Step);
                if (body is null)
                {
                    return null;
                }

                Read(new ForStatement(loop.Initializer, null, Block.Empty, Block.Empty), live);
                return loop with { Body = body };
            }

            case CommentStatement or ReturnStatement:
                return null;
            default:
                Read(statement, live);
                return statement;
        }
    }

    /// <summary>
    /// A loop body kept to a fixed point (values live around the back edge stay), or null when nothing
    /// in it is live. The loop's condition and step are kept with it.
    /// </summary>
    private static Block? Loop(Block body, HashSet<string> live, IrExpression[] conditions, Block step)
    {
        var liveAround = new HashSet<string>(live);
        Block result;
        while (true)
        {
            var liveIn = new HashSet<string>(liveAround);
            result = Eliminate(body, liveIn);
            if (result.IsEmpty)
            {
                return null;
            }

            foreach (IrExpression condition in conditions)
            {
                Variables.CollectReads(condition, liveIn);
            }

            Variables.CollectReads(step, liveIn);
            int before = liveAround.Count;
            liveAround.UnionWith(liveIn);
            if (liveAround.Count == before)
            {
                break;
            }
        }

        live.UnionWith(liveAround);
        return result;
    }

    /// <summary>
    /// A pop stays even when its value is dead: the pops after it must find their values on top. So does a pullback
    /// call in a fused loop's trip: it also adds into adjoint buffers.
    /// </summary>
    private static bool HasSideEffects(IrExpression value) =>
        value is TapePopExpression
        || value is CallExpression { Target.Kind: CallKind.Pullback };

    private static void Read(IrStatement statement, HashSet<string> live) =>
        Variables.CollectReads(new Block(EquatableArray.Create(statement)), live);
}
