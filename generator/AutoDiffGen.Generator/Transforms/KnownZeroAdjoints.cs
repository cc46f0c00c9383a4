using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Where the reverse sweep's scalar adjoints are known to be zero (at the start, and where a loop body resets
/// them every trip): there the first <c>_d_a += e</c> becomes <c>_d_a = e</c>, a reset that is overwritten
/// before it is read goes, and a loop's accumulator is reset just before the loop.
/// </summary>
internal static class KnownZeroAdjoints
{
    private static Block ToBlock(List<IrStatement> statements) => new(statements.ToEquatableArray());

    /// <summary>Rewrites accumulations into adjoints known to be zero; <paramref name="zero"/> is updated to the state after the statements.</summary>
    public static List<IrStatement> AssignWhereZero(IEnumerable<IrStatement> statements, HashSet<string> zero, IReadOnlyDictionary<string, ScalarType> adjoints)
    {
        var output = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case AssignStatement assign when adjoints.ContainsKey(assign.Target):
                    bool known = zero.Remove(assign.Target);
                    if (assign.Accumulate && known)
                    {
                        output.Add(assign with { Accumulate = false });
                    }
                    else
                    {
                        output.Add(assign);
                        if (!assign.Accumulate && assign.Value is ConstantExpression { IsZero: true })
                        {
                            zero.Add(assign.Target);
                        }
                    }

                    break;
                case IfStatement branch:
                    var thenZero = new HashSet<string>(zero);
                    var elseZero = new HashSet<string>(zero);
                    Block then = ToBlock(AssignWhereZero(branch.Then.Statements, thenZero, adjoints));
                    Block otherwise = ToBlock(AssignWhereZero(branch.Else.Statements, elseZero, adjoints));
                    zero.IntersectWith(thenZero);
                    zero.IntersectWith(elseZero);
                    output.Add(new IfStatement(branch.Condition, then, otherwise));
                    break;
                case ForStatement loop:
                    output.Add(loop with { Body = LoopBody(loop, loop.Body, zero, adjoints, output, loop.Initializer, loop.Step) });
                    break;
                case WhileStatement loop:
                    output.Add(loop with { Body = LoopBody(loop, loop.Body, zero, adjoints, output) });
                    break;
                case DoWhileStatement loop:
                    output.Add(loop with { Body = LoopBody(loop, loop.Body, zero, adjoints, output) });
                    break;
                default:
                    output.Add(statement);
                    var written = new HashSet<string>();
                    Variables.ForEachAssignment(new Block(EquatableArray.Create(statement)), 0, (a, _) => written.Add(a.Target));
                    if (statement is DeconstructStatement deconstruct)
                    {
                        written.UnionWith(deconstruct.Targets);
                    }

                    zero.ExceptWith(written);
                    break;
            }
        }

        return output;
    }

    /// <summary>
    /// A loop body's adjoints known to be zero on entry are those zero before the loop and again at the end
    /// of every trip (a fixed point, reached in a few rounds); zero after the loop is the same set. An
    /// adjoint the loop accumulates across trips (zero before it, not at every trip's start) is reset just
    /// before the loop into <paramref name="output"/>: the value is already zero, but the reset ends its
    /// live range there, so the JIT keeps the accumulator in a register instead of carrying the method's
    /// initial zero across the forward sweep's calls on the stack.
    /// </summary>
    private static Block LoopBody(IrStatement loop, Block body, HashSet<string> zero, IReadOnlyDictionary<string, ScalarType> adjoints, List<IrStatement> output, Block? initializer = null, Block? step = null)
    {
        var entry = new HashSet<string>(zero);
        var header = new HashSet<string>();
        foreach (Block? part in new[] { initializer, step })
        {
            if (part is not null)
            {
                Variables.ForEachAssignment(part, 0, (a, _) => header.Add(a.Target));
            }
        }

        entry.ExceptWith(header);
        while (true)
        {
            var exit = new HashSet<string>(entry);
            AssignWhereZero(body.Statements, exit, adjoints);
            exit.ExceptWith(header);
            if (entry.IsSubsetOf(exit))
            {
                break;
            }

            entry.IntersectWith(exit);
        }

        IEnumerable<string> accumulated = UpwardExposed(new[] { loop })
            .Where(name => zero.Contains(name) && !entry.Contains(name))
            .OrderBy(name => name, System.StringComparer.Ordinal);
        foreach (string name in accumulated)
        {
            output.Add(new AssignStatement(name, Expr.Constant(0, adjoints[name])));
        }

        var final = new HashSet<string>(entry);
        Block rewritten = ToBlock(AssignWhereZero(body.Statements, final, adjoints));
        zero.IntersectWith(entry);
        return rewritten;
    }

    /// <summary>Variables the statements may read before writing them (conservatively: more rather than fewer).</summary>
    internal static HashSet<string> UpwardExposed(IEnumerable<IrStatement> statements)
    {
        var exposed = new HashSet<string>();
        var written = new HashSet<string>();
        foreach (IrStatement statement in statements)
        {
            HashSet<string> reads;
            switch (statement)
            {
                case IfStatement branch:
                    reads = Variables.ReadBy(branch.Condition);
                    reads.UnionWith(UpwardExposed(branch.Then.Statements));
                    reads.UnionWith(UpwardExposed(branch.Else.Statements));
                    break;
                case ForStatement loop:
                    // What the initializer assigns (the counter) is assigned before the condition, body or step reads it.
                    var trips = new HashSet<string>();
                    Variables.CollectReads(loop.Condition, trips);
                    trips.UnionWith(UpwardExposed(loop.Body.Statements.Concat(loop.Step.Statements)));
                    trips.ExceptWith(loop.Initializer.Statements.OfType<AssignStatement>().Where(a => !a.Accumulate).Select(a => a.Target));
                    reads = UpwardExposed(loop.Initializer.Statements);
                    reads.UnionWith(trips);
                    break;
                case WhileStatement loop:
                    reads = Variables.ReadBy(loop.Condition);
                    reads.UnionWith(UpwardExposed(loop.Body.Statements));
                    break;
                case DoWhileStatement loop:
                    reads = UpwardExposed(loop.Body.Statements);
                    Variables.CollectReads(loop.Condition, reads);
                    break;
                default:
                    reads = new HashSet<string>();
                    Variables.CollectReads(new Block(EquatableArray.Create(statement)), reads);
                    break;
            }

            reads.ExceptWith(written);
            exposed.UnionWith(reads);
            switch (statement)
            {
                case AssignStatement { Accumulate: false } assign:
                    written.Add(assign.Target);
                    break;
                case DeconstructStatement deconstruct:
                    written.UnionWith(deconstruct.Targets);
                    break;
            }
        }

        return exposed;
    }

    /// <summary>Drops <c>_d_a = 0</c> where the next statement of the block touching <c>_d_a</c> assigns it without reading it.</summary>
    public static List<IrStatement> DropOverwrittenResets(List<IrStatement> statements, IReadOnlyDictionary<string, ScalarType> adjoints)
    {
        var output = new List<IrStatement>();
        for (int i = 0; i < statements.Count; i++)
        {
            IrStatement statement = statements[i].MapBodies(block => ToBlock(DropOverwrittenResets(block.Statements.ToList(), adjoints)));
            if (statement is AssignStatement { Accumulate: false, Value: ConstantExpression { IsZero: true } } reset
                && adjoints.ContainsKey(reset.Target)
                && NextTouch(statements, i + 1, reset.Target) is AssignStatement { Accumulate: false } overwrite
                && overwrite.Target == reset.Target
                && !Variables.ReadBy(overwrite.Value).Contains(reset.Target))
            {
                continue;
            }

            output.Add(statement);
        }

        return output;
    }

    /// <summary>The first statement from <paramref name="start"/> on that reads or writes <paramref name="name"/>, if any.</summary>
    private static IrStatement? NextTouch(List<IrStatement> statements, int start, string name)
    {
        for (int i = start; i < statements.Count; i++)
        {
            var touched = new HashSet<string>();
            var single = new Block(EquatableArray.Create(statements[i]));
            Variables.CollectReads(single, touched);
            Variables.ForEachAssignment(single, 0, (a, _) => touched.Add(a.Target));
            if (statements[i] is DeconstructStatement deconstruct)
            {
                touched.UnionWith(deconstruct.Targets);
            }

            if (touched.Contains(name))
            {
                return statements[i];
            }
        }

        return null;
    }
}
