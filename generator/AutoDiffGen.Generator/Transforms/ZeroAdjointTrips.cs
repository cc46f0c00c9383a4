using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Skips the adjoint work of a reverse loop's trip whose only incoming adjoint is exactly zero, as a hand-written
/// gradient skips a mixture component whose softmax weight underflowed: the trip then only takes its saved values off
/// the tape. A reverse sweep is linear in the adjoints, so with every adjoint it reads at zero it adds nothing anywhere.
/// </summary>
/// <remarks>
/// <para>A reverse loop qualifies when its body starts by taking one adjoint element (<c>_d_t = _d_a[i]; _d_a[i] = 0;</c>,
/// the reverse of <c>a[i] = t</c>), the rest holds a loop (so the skipped work outweighs the test), calls nothing, and
/// every other adjoint it reads is known to be zero at the start of each trip:</para>
/// <list type="bullet">
/// <item>a scalar adjoint is assigned within the trip before it is read, and mentioned nowhere outside the loop;</item>
/// <item>an adjoint array is only added into (a gradient buffer: skipping adds zero), or is a scratch array rented
/// zero-filled, mentioned outside the loop only by its rent, and set back to zero element by element by a loop over its
/// whole length at the end of every trip.</item>
/// </list>
/// <para>The skipping branch keeps the trip's tape readers, pops, commits, the copies that restore primal values and
/// the steps that move integer counters back (<c>i = i - 1</c>), in their loops, so the tape and the primal state are
/// where the full trip would leave them. The results are those of the full trip except where a skipped product would
/// have been 0·∞ or 0·NaN: those gave NaN, which the skip does not (an underflowed weight of a component at infinite
/// distance contributes nothing).</para>
/// </remarks>
internal static class ZeroAdjointTrips
{
    /// <summary>What the rewrite needs to know about the whole method.</summary>
    /// <param name="ScalarAdjoints">The scalar adjoints (and their loop copies).</param>
    /// <param name="AdjointArrays">Adjoint arrays and the gradient buffers of array parameters.</param>
    /// <param name="Method">Every statement of the method (forward and reverse sweeps), for uses outside a loop.</param>
    /// <param name="LiveOut">Names read after the statements (the returned gradient).</param>
    /// <param name="LoopCopies">The locals a loop works on in place of a carried value (<c>i_loop</c> for <c>i</c>).</param>
    public sealed record Context(
        IReadOnlyDictionary<string, ScalarType> ScalarAdjoints, ISet<string> AdjointArrays, IReadOnlyList<IrStatement> Method, ISet<string> LiveOut,
        ISet<string> LoopCopies);

    /// <summary>The statements with every qualifying reverse loop rewritten.</summary>
    public static List<IrStatement> Apply(IReadOnlyList<IrStatement> statements, Context context) =>
        statements.Select(s => Rewrite(s, context)).ToList();

    private static IrStatement Rewrite(IrStatement statement, Context context)
    {
        IrStatement nested = statement.MapBodies(block => new Block(Apply(block.Statements, context).ToEquatableArray()));
        return statement is ForStatement loop ? TrySkip(loop, (ForStatement)nested, context) ?? nested : nested;
    }

    /// <summary>The loop with its zero test, or null. <paramref name="original"/> is the loop as the method holds it (found
    /// there by reference); <paramref name="loop"/> the same loop with its inner loops already rewritten.</summary>
    private static ForStatement? TrySkip(ForStatement original, ForStatement loop, Context context)
    {
        IReadOnlyList<IrStatement> body = loop.Body.Statements;
        if (body.Count < 3
            || body[0] is not AssignStatement { Accumulate: false, Value: ElementExpression taken } take
            || !context.ScalarAdjoints.ContainsKey(take.Target) || !context.AdjointArrays.Contains(taken.Array)
            || body[1] is not ElementAssignStatement { Accumulate: false, Value: ConstantExpression { IsZero: true } } reset
            || reset.Array != taken.Array || !reset.Indices.Equals(taken.Indices)
            || context.LiveOut.Contains(take.Target))
        {
            return null;
        }

        List<IrStatement> rest = body.Skip(2).ToList();
        StatementUses restUses = StatementUses.Of(rest);
        if (!rest.Any(IsLoop) || restUses.HasUnknown || rest.Any(HasCallOrTapeWrite))
        {
            return null;
        }

        // What the skipping branch keeps, and what it leaves out.
        if (TapeWork(rest, context) is not { } kept)
        {
            return null;
        }

        StatementUses keptUses = StatementUses.Of(kept);
        var dropped = new HashSet<string>(restUses.Names.Where(n => (restUses[n] & (Use.Write | Use.Accumulate)) != 0));
        dropped.ExceptWith(keptUses.Names.Where(n => (keptUses[n] & (Use.Write | Use.Accumulate)) != 0));
        if (keptUses.Names.Any(n => dropped.Contains(n) || context.ScalarAdjoints.ContainsKey(n) || context.AdjointArrays.Contains(n)))
        {
            return null;
        }

        List<IrStatement> outsideStatements = Outside(context.Method, original);
        StatementUses outside = StatementUses.Of(outsideStatements);
        var zeroed = new List<(string Name, List<IrExpression> Lengths)>();
        foreach (string name in dropped)
        {
            if (context.AdjointArrays.Contains(name))
            {
                // A gradient buffer only added into takes nothing from a skipped trip; another adjoint array must be
                // zero whenever a trip starts.
                if (restUses[name] == Use.Accumulate)
                {
                    continue;
                }

                if (!ZeroedEveryTrip(name, rest, outsideStatements, context.Method, out List<IrExpression> lengths))
                {
                    return null;
                }

                zeroed.Add((name, lengths));
            }
            else if (context.LiveOut.Contains(name)
                || (outside.Mentions(name) && (context.ScalarAdjoints.ContainsKey(name) || !OnlyCounts(name, outsideStatements))))
            {
                // A scalar the trip computes must mean nothing outside the loop (a loop counter there is reassigned).
                return null;
            }
        }

        // Every scalar the full trip computes is assigned before it is read, so a skipped trip leaves nothing stale.
        var scalars = new HashSet<string>(dropped.Where(n => !context.AdjointArrays.Contains(n)));
        if (!AssignedBeforeRead(rest, scalars, new HashSet<string> { take.Target }))
        {
            return null;
        }

        var skipped = new List<IrStatement>
        {
            new CommentStatement("An exact zero: nothing flows back through this trip (a hand-written gradient skips an underflowed weight the same way); only its saved values come off the tape."),
        };
        // A loop copy the skipping branch copies in is read only there (by its loop and the copy-out after it).
        var deadAfter = new HashSet<string>(kept.OfType<AssignStatement>().Select(a => a.Target).Where(context.LoopCopies.Contains));
        skipped.AddRange(WithoutOverwrittenSteps(kept, deadAfter, context));
        var branch = new IfStatement(
            Expr.Compare(BinaryOperator.Equal, Expr.Var(take.Target, context.ScalarAdjoints[take.Target]), Expr.Constant(0, context.ScalarAdjoints[take.Target])),
            new Block(skipped.ToEquatableArray()),
            new Block(AssignFirstWrites(rest, zeroed).ToEquatableArray()));
        return loop with { Body = new Block(EquatableArray.Create<IrStatement>(take, reset, branch)) };
    }

    private static bool IsLoop(IrStatement statement) => statement is ForStatement or WhileStatement or DoWhileStatement;

    /// <summary>
    /// The trip with the first additions into each array of <paramref name="zeroed"/> (zero whenever a trip starts)
    /// made plain stores: where the first statement of the trip touching the array is a counting loop that adds into
    /// it once per pass, at the loop's own counter (<c>_d_z[i] += 2 * z * _d_n</c>), every element it adds into is
    /// still zero, so <c>_d_z[i] = 2 * z * _d_n</c> is the same and reads nothing. Where that loop stores into every
    /// element, the zeroing at the end of the trip goes too: the next trip stores before it reads, and nothing after
    /// the loop reads the array (a skipped trip does not touch it).
    /// </summary>
    private static List<IrStatement> AssignFirstWrites(List<IrStatement> rest, List<(string Name, List<IrExpression> Lengths)> zeroed)
    {
        var result = new List<IrStatement>(rest);
        foreach ((string name, List<IrExpression> lengths) in zeroed)
        {
            int first = result.FindIndex(s => StatementUses.Of(new[] { s }).Mentions(name));
            if (first < 0 || result[first] is not ForStatement loop || CanonicalLoop.MatchShape(loop)?.Counter is not { } counter
                || Any(loop, s => s is BreakStatement or ContinueStatement))
            {
                continue;
            }

            List<IrStatement> body = loop.Body.Statements.ToList();
            List<int> touching = Enumerable.Range(0, body.Count).Where(i => StatementUses.Of(new[] { body[i] }).Mentions(name)).ToList();
            if (touching.Count != 1
                || body[touching[0]] is not ElementAssignStatement { Accumulate: true } add
                || add.Array != name
                || !add.Indices.Equals(EquatableArray.Create<IrExpression>(Expr.Var(counter, ScalarType.Int)))
                || ExpressionSearch.Contains(add.Value, e => e is ElementExpression element && element.Array == name))
            {
                continue;
            }

            body[touching[0]] = add with { Accumulate = false };
            result[first] = loop with { Body = new Block(body.ToEquatableArray()) };

            // The zeroing loop is the trip's last statement touching the array (ZeroedEveryTrip checked that).
            int last = result.FindLastIndex(s => StatementUses.Of(new[] { s }).Mentions(name));
            if (last > first && lengths.Any(l => CountsOver(loop, l) == counter) && result[last] is ForStatement reset)
            {
                result[last] = reset with
                {
                    Body = new Block(reset.Body.Statements
                        .Where(s => !(s is ElementAssignStatement { Accumulate: false, Value: ConstantExpression { IsZero: true } } zeroing && zeroing.Array == name))
                        .ToEquatableArray()),
                };
            }
        }

        return result;
    }

    private static bool HasCallOrTapeWrite(IrStatement statement) => Any(statement, s =>
        s is CallStatement or DeconstructStatement or TapePushStatement or TapeReserveStatement or TapeMarkStatement
            or TapeRewindStatement or ReleaseScratchStatement or CopyArrayStatement or AllocateArrayStatement or ReturnStatement
        || (s is AssignStatement assign && ExpressionSearch.Contains(assign.Value, e => e is CallExpression or RentArrayExpression)));

    /// <summary>Whether any simple statement in <paramref name="statement"/> (itself, or nested at any depth) matches.</summary>
    private static bool Any(IrStatement statement, System.Func<IrStatement, bool> match)
    {
        bool found = false;
        Variables.ForEachSimpleStatement(new Block(EquatableArray.Create(statement)), 0, (s, _) => found |= match(s));
        return found;
    }

    /// <summary>
    /// The tape work of a trip: readers, pops, commits and the plain copies that restore primal values, in the loops
    /// that hold pops. Null when tape work sits where it cannot be kept alone (in a branch).
    /// </summary>
    private static List<IrStatement>? TapeWork(IEnumerable<IrStatement> statements, Context context)
    {
        var kept = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case TapeReaderStatement or TapeCommitStatement:
                case AssignStatement { Value: TapePopExpression }:
                case ElementAssignStatement { Value: TapePopExpression }:
                    kept.Add(statement);
                    break;
                case AssignStatement { Accumulate: false, Value: VariableExpression source } copy
                    when !context.ScalarAdjoints.ContainsKey(copy.Target) && !context.ScalarAdjoints.ContainsKey(source.Name):
                    kept.Add(statement);
                    break;
                case AssignStatement stepBack when IsStepBack(stepBack, context):
                    kept.Add(statement);
                    break;
                case ForStatement loop:
                    if (TapeWork(loop.Body.Statements, context) is not { } body)
                    {
                        return null;
                    }

                    if (body.Any(s => HoldsPop(s) || Any(s, n => n is AssignStatement step && IsStepBack(step, context))))
                    {
                        kept.Add(loop with { Body = new Block(body.ToEquatableArray()) });
                    }

                    break;
                default:
                    if (HoldsTapeWork(statement))
                    {
                        return null;
                    }

                    break;
            }
        }

        return kept;
    }

    /// <summary>
    /// The statements without the steps back of a counter that a later statement overwrites before anything reads it
    /// (<c>i = i - 1</c> in a loop, then <c>i = pop()</c>): the full trip needs those steps for its indices, the
    /// skipping branch has no index to compute. Loops left with nothing to do go too.
    /// </summary>
    /// <param name="statements">A block of the skipping branch.</param>
    /// <param name="overwrittenAfter">Names the code after the block overwrites before reading them.</param>
    /// <param name="context">The method.</param>
    private static List<IrStatement> WithoutOverwrittenSteps(IReadOnlyList<IrStatement> statements, ISet<string> overwrittenAfter, Context context)
    {
        var overwritten = new HashSet<string>(overwrittenAfter);
        var kept = new List<IrStatement>();
        for (int i = statements.Count - 1; i >= 0; i--)
        {
            IrStatement statement = statements[i];
            if (statement is AssignStatement step && IsStepBack(step, context) && overwritten.Contains(step.Target))
            {
                continue;
            }

            // A loop copy's copy-in or copy-out whose target is overwritten before anything reads it
            // (i = i_loop; i = r.Pop();) goes too, so the steps it would have carried go with it.
            if (statement is AssignStatement { Accumulate: false, Value: VariableExpression source } copy && overwritten.Contains(copy.Target)
                && (context.LoopCopies.Contains(copy.Target) || context.LoopCopies.Contains(source.Name)))
            {
                continue;
            }

            if (statement is ForStatement loop)
            {
                // A name overwritten after the loop and read in it only by its own steps back stays overwritten inside.
                var inLoop = new HashSet<string>(overwritten.Where(n => !ReadBesidesSteps(loop, n, context)));
                List<IrStatement> body = WithoutOverwrittenSteps(loop.Body.Statements, inLoop, context);
                if (body.Count == 0)
                {
                    continue;
                }

                statement = loop with { Body = new Block(body.ToEquatableArray()) };
            }

            kept.Insert(0, statement);
            StatementUses uses = StatementUses.Of(new[] { statement });
            if (statement is AssignStatement { Accumulate: false } assign)
            {
                overwritten.Add(assign.Target);
            }

            overwritten.ExceptWith(uses.Names.Where(n => (uses[n] & (Use.Read | Use.Accumulate)) != 0));
        }

        return kept;
    }

    private static bool ReadBesidesSteps(ForStatement loop, string name, Context context)
    {
        IrStatement WithoutSteps(IrStatement statement) => statement is ForStatement inner
            ? inner with
            {
                Body = new Block(inner.Body.Statements
                    .Where(s => !(s is AssignStatement step && IsStepBack(step, context) && step.Target == name))
                    .Select(WithoutSteps).ToEquatableArray()),
            }
            : statement;
        return (StatementUses.Of(new[] { WithoutSteps(loop) })[name] & (Use.Read | Use.Accumulate)) != 0;
    }

    /// <summary>
    /// <c>i = i - c</c> (or <c>+ c</c>): the reverse sweep stepping a primal integer back instead of popping it. Like a
    /// pop, it restores primal state the rest of the sweep reads, so the skipping branch keeps it.
    /// </summary>
    private static bool IsStepBack(AssignStatement assign, Context context) =>
        assign is { Accumulate: false, Value: BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract, Type: ScalarType.Int, Left: VariableExpression left } }
        && left.Name == assign.Target && !context.ScalarAdjoints.ContainsKey(assign.Target);

    private static bool HoldsTapeWork(IrStatement statement) => Any(statement, s =>
        s is TapeReaderStatement or TapeCommitStatement
        || (s is AssignStatement assign && ExpressionSearch.Contains(assign.Value, e => e is TapePopExpression))
        || (s is ElementAssignStatement element && ExpressionSearch.Contains(element.Value, e => e is TapePopExpression)));

    private static bool HoldsPop(IrStatement statement) =>
        Any(statement, s => s is AssignStatement { Value: TapePopExpression } or ElementAssignStatement { Value: TapePopExpression });

    /// <summary>The method's statements with <paramref name="loop"/> left out (found by reference, at any depth).</summary>
    private static List<IrStatement> Outside(IReadOnlyList<IrStatement> statements, ForStatement loop)
    {
        Block Without(Block block) => new(Outside(block.Statements, loop).ToEquatableArray());
        var result = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            if (ReferenceEquals(statement, loop))
            {
                continue;
            }

            result.Add(statement.MapBodies(Without));
        }

        return result;
    }

    /// <summary>
    /// Whether <paramref name="name"/> is only ever a loop counter in <paramref name="statements"/>: every mention is in
    /// a loop that counts with it, so it is assigned before any read there.
    /// </summary>
    private static bool OnlyCounts(string name, IReadOnlyList<IrStatement> statements)
    {
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case ForStatement f when f.Initializer.Count == 1 && f.Initializer.Statements[0] is AssignStatement { Target: var counter } && counter == name:
                    break;
                case ForStatement f:
                    if (StatementUses.Of(f.Initializer.Statements.Concat(f.Step.Statements)).Mentions(name)
                        || (f.Condition is not null && Variables.ReadBy(f.Condition).Contains(name))
                        || !OnlyCounts(name, f.Body.Statements))
                    {
                        return false;
                    }

                    break;
                case IfStatement branch:
                    if (Variables.ReadBy(branch.Condition).Contains(name) || !OnlyCounts(name, branch.Then.Statements) || !OnlyCounts(name, branch.Else.Statements))
                    {
                        return false;
                    }

                    break;
                default:
                    if (StatementUses.Of(new[] { statement }).Mentions(name))
                    {
                        return false;
                    }

                    break;
            }
        }

        return true;
    }

    /// <summary>
    /// Whether adjoint array <paramref name="name"/> is zero whenever a trip starts: rented zero-filled once and
    /// otherwise untouched outside the loop, and set to zero over its whole length by a counting loop at the end of
    /// the trip, each element at the loop's own index, with nothing writing it after that.
    /// </summary>
    private static bool ZeroedEveryTrip(
        string name, List<IrStatement> rest, List<IrStatement> outside, IReadOnlyList<IrStatement> method, out List<IrExpression> lengths)
    {
        lengths = new List<IrExpression>();
        List<IrStatement> mentioning = Flatten(outside).Where(s => StatementUses.Of(new[] { s }).Mentions(name)).ToList();
        if (mentioning.Count != 1 || mentioning[0] is not AssignStatement { Value: RentArrayExpression { Sizes.Count: 1 } rent } rented
            || rented.Target != name)
        {
            return false;
        }

        // The length must read the same at the rent and in every trip: each variable in it is a parameter nothing
        // assigns, or a local assigned once, outside any loop.
        IrExpression length = rent.Sizes[0];
        var assignments = new Dictionary<string, (int Count, int Depth)>();
        Variables.ForEachSimpleStatement(new Block(method.ToEquatableArray()), 0, (s, depth) =>
        {
            StatementUses uses = StatementUses.Of(new[] { s });
            foreach (string written in uses.Names.Where(n => (uses[n] & (Use.Write | Use.Accumulate)) != 0))
            {
                assignments[written] = assignments.TryGetValue(written, out var seen) ? (seen.Count + 1, System.Math.Max(seen.Depth, depth)) : (1, depth);
            }
        });
        bool Fixed(IrExpression e) => !Variables.ReadBy(e).Any(v => assignments.TryGetValue(v, out var a) && (a.Count > 1 || a.Depth > 0));
        if (!Fixed(length))
        {
            return false;
        }

        // A length local (size = x.Length / groups) may appear in the trip as its definition, recomputed there.
        lengths.Add(length);
        if (length is VariableExpression local)
        {
            List<AssignStatement> definitions = Flatten(method).OfType<AssignStatement>().Where(a => a.Target == local.Name).ToList();
            if (definitions.Count == 1 && !definitions[0].Accumulate && Fixed(definitions[0].Value))
            {
                lengths.Add(definitions[0].Value);
            }
        }

        // The last statement of the trip that mentions the array is a loop that zeroes all of it.
        int last = rest.FindLastIndex(s => StatementUses.Of(new[] { s }).Mentions(name));
        return last >= 0 && rest[last] is ForStatement reset && lengths.Any(l => ZeroesWhole(reset, name, l));
    }

    /// <summary>
    /// The counter of a loop that visits every index of [0, <paramref name="length"/>) once, counting up or down;
    /// else null.
    /// </summary>
    private static string? CountsOver(ForStatement loop, IrExpression length)
    {
        if (CanonicalLoop.MatchShape(loop) is not { } counting)
        {
            return null;
        }

        var zero = ConstantExpression.Of(0, ScalarType.Int);
        var last = new BinaryExpression(BinaryOperator.Subtract, length, ConstantExpression.Of(1, ScalarType.Int), ScalarType.Int);
        bool up = counting.Ascending && counting.Start.Equals(zero) && counting.Comparison == BinaryOperator.Less && counting.Bound.Equals(length);
        bool down = !counting.Ascending && counting.Start.Equals(last) && counting.Comparison == BinaryOperator.GreaterOrEqual && counting.Bound.Equals(zero);
        return up || down ? counting.Counter : null;
    }

    private static bool ZeroesWhole(ForStatement loop, string name, IrExpression length)
    {
        if (CountsOver(loop, length) is not { } counter)
        {
            return false;
        }

        var index = Expr.Var(counter, ScalarType.Int);

        // Every element access at the counter; the zeroing is unconditional, and nothing writes the array after it.
        var atCounter = EquatableArray.Create<IrExpression>(index);
        bool elsewhere = false;
        Variables.ForEachSimpleStatement(loop.Body, 0, (s, _) =>
        {
            IEnumerable<IrExpression> expressions = s switch
            {
                AssignStatement a => new[] { a.Value },
                ElementAssignStatement e => e.Indices.Append(e.Value),
                _ => System.Array.Empty<IrExpression>(),
            };
            elsewhere |= s is ElementAssignStatement written && written.Array == name && !written.Indices.Equals(atCounter);
            elsewhere |= expressions.Any(x => ExpressionSearch.Contains(x, y => y is ElementExpression el && el.Array == name && !el.Indices.Equals(atCounter)));
        });
        int zeroing = loop.Body.Statements.ToList().FindIndex(s =>
            s is ElementAssignStatement { Accumulate: false, Value: ConstantExpression { IsZero: true } } e && e.Array == name);
        return !elsewhere && zeroing >= 0
            && !loop.Body.Statements.Skip(zeroing + 1).Any(s => (StatementUses.Of(new[] { s })[name] & (Use.Write | Use.Accumulate)) != 0);
    }

    /// <summary>Every simple statement, at any depth.</summary>
    private static List<IrStatement> Flatten(IEnumerable<IrStatement> statements)
    {
        var all = new List<IrStatement>();
        Variables.ForEachSimpleStatement(new Block(statements.ToEquatableArray()), 0, (s, _) => all.Add(s));
        return all;
    }

    /// <summary>
    /// Whether every read of <paramref name="names"/> in <paramref name="statements"/> comes after an assignment in them
    /// (in a loop body, an earlier assignment in the same trip; after a branch, one made on both sides).
    /// </summary>
    private static bool AssignedBeforeRead(IEnumerable<IrStatement> statements, ISet<string> names, HashSet<string> assigned)
    {
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case ForStatement loop:
                    if (!AssignedBeforeRead(loop.Initializer.Statements, names, assigned)
                        || !ReadsAssigned(loop.Condition, names, assigned))
                    {
                        return false;
                    }

                    var inLoop = new HashSet<string>(assigned);
                    if (!AssignedBeforeRead(loop.Body.Statements, names, inLoop) || !AssignedBeforeRead(loop.Step.Statements, names, inLoop))
                    {
                        return false;
                    }

                    break;
                case IfStatement branch:
                    if (!ReadsAssigned(branch.Condition, names, assigned))
                    {
                        return false;
                    }

                    var then = new HashSet<string>(assigned);
                    var otherwise = new HashSet<string>(assigned);
                    if (!AssignedBeforeRead(branch.Then.Statements, names, then) || !AssignedBeforeRead(branch.Else.Statements, names, otherwise))
                    {
                        return false;
                    }

                    then.IntersectWith(otherwise);
                    assigned.UnionWith(then);
                    break;
                case WhileStatement or DoWhileStatement:
                    return false;
                default:
                    StatementUses uses = StatementUses.Of(new[] { statement });
                    if (uses.Names.Any(n => names.Contains(n) && !assigned.Contains(n) && (uses[n] & (Use.Read | Use.Accumulate)) != 0))
                    {
                        return false;
                    }

                    assigned.UnionWith(uses.Names.Where(n => uses[n] == Use.Write));
                    break;
            }
        }

        return true;
    }

    private static bool ReadsAssigned(IrExpression? expression, ISet<string> names, ISet<string> assigned) =>
        expression is null || Variables.ReadBy(expression).All(n => !names.Contains(n) || assigned.Contains(n));
}
