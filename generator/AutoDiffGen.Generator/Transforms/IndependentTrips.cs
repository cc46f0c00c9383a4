using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Runs the reverse of each trip of a loop right after the trip itself, in the forward sweep, when the trips are
/// independent: the tape then holds one trip's values at a time instead of every trip's. This is what a careful
/// hand-written gradient of a likelihood does: for each data point, compute the point's terms, then its gradient.
/// </summary>
/// <remarks>
/// <para>A top-level counting loop F of the forward sweep and its reverse R qualify when (checked here, else the
/// loop is left alone):</para>
/// <list type="bullet">
/// <item>No trip reads what an earlier trip wrote, except accumulators (<c>s = s + e</c>, nothing else touches
/// <c>s</c>): every other value a trip reads is an input, or written earlier in the same trip. A local array counts
/// as written once a counting loop over its whole length stores every element.</item>
/// <item>What F and R write is used nowhere else, except additions into adjoints, which commute: R's additions may
/// move before the code between F and R, as long as that code only adds into the same adjoints too.</item>
/// <item>The adjoints R reads are known before F runs: the code between F and R computes them with plain
/// assignments from the seed and from values F does not change (typically <c>_d_sum = seed</c> for a sum over
/// trips). Those assignments are copied before F.</item>
/// </list>
/// <para>Only loops whose forward trips push onto a tape are fused: that is where the memory goes.</para>
/// </remarks>
internal static class IndependentTrips
{
    /// <summary>
    /// A fused loop: its counter, its forward trips alone, the tapes they push onto, and the statements put before it
    /// (the copied adjoint assignments, under a comment), which the forward sweep alone leaves out.
    /// </summary>
    public sealed record Fused(string Counter, ForStatement Original, IReadOnlyList<string> Tapes, IReadOnlyList<IrStatement> Hoisted);

    /// <summary>
    /// Fuses every qualifying loop, first to last. Returns the new forward sweep (fused loops, with the copied adjoint
    /// assignments before them), the reverse sweep without the fused reverse loops, and what was fused.
    /// </summary>
    /// <param name="forward">The forward sweep.</param>
    /// <param name="reverse">The reverse sweep, seeds first.</param>
    /// <param name="liveOut">Names read after the reverse sweep (the returned gradient).</param>
    /// <param name="primalOf">Each scalar adjoint's primal variable.</param>
    public static (List<IrStatement> Forward, List<IrStatement> Reverse, List<Fused> Fused) Apply(
        List<IrStatement> forward, List<IrStatement> reverse, IEnumerable<string> liveOut, IReadOnlyDictionary<string, string> primalOf)
    {
        var fused = new List<Fused>();
        var after = new List<IrStatement> { new ReturnStatement(new TupleExpression(liveOut.Select(n => (IrExpression)Expr.Var(n, ScalarType.Inferred)).ToEquatableArray())) };
        for (int i = 0; i < forward.Count; i++)
        {
            if (forward[i] is not ForStatement loop || Counter(loop) is not { } counter
                || forward.Count(s => s is ForStatement other && Counter(other) == counter) != 1)
            {
                continue;
            }

            int r = reverse.FindIndex(s => s is ForStatement reversed && Counter(reversed) == counter);
            if (r < 0 || reverse.FindLastIndex(s => s is ForStatement reversed && Counter(reversed) == counter) != r)
            {
                continue;
            }

            // Room reserved for the trips' pushes, and the reader of the reverse loop, hold every trip: a fused trip
            // pushes and pops on its own instead.
            List<IrStatement> candidateForward = forward, candidateReverse = reverse;
            int f = i;
            var cursors = new HashSet<string>(
                forward.Take(i).OfType<TapeReserveStatement>().Select(w => w.Writer)
                    .Concat(reverse.Take(r).OfType<TapeReaderStatement>().Select(rd => rd.Reader))
                    .Where(c => StatementUses.Of(new[] { forward[i], reverse[r] }).Mentions(c)));
            if (cursors.Count > 0)
            {
                bool Cursor(IrStatement s) => s switch
                {
                    TapeReserveStatement w => cursors.Contains(w.Writer),
                    TapeReaderStatement rd => cursors.Contains(rd.Reader),
                    TapeCommitStatement c => cursors.Contains(c.Cursor),
                    _ => false,
                };
                f = i - forward.Take(i).Count(Cursor);
                r -= reverse.Take(r).Count(Cursor);
                IrStatement? Plain(IrStatement s) => Cursor(s) ? null : WithoutCursor(s, cursors);
                candidateForward = Map(forward, Plain);
                candidateReverse = Map(reverse, Plain);
            }

            if (TryFuse(candidateForward, f, candidateReverse, r, after, primalOf) is not { } plan)
            {
                continue;
            }

            forward = candidateForward;
            reverse = candidateReverse;
            i = f;
            loop = (ForStatement)forward[i];
            var reversedLoop = (ForStatement)reverse[r];

            var hoisted = new List<IrStatement>();
            if (plan.Hoisted.Count > 0)
            {
                hoisted.Add(new CommentStatement($"What the loop over {counter}'s reverse reads, known before the loop runs."));
                hoisted.AddRange(plan.Hoisted);
            }

            (List<IrStatement> trip, List<IrStatement> tripReverse) = WithoutDeadRestores(
                loop.Body.Statements.ToList(), reversedLoop.Body.Statements.ToList(), plan.Locals);
            loop = loop with { Body = new Block(trip.ToEquatableArray()) };

            var tapes = new List<string>();
            ForEachSimple(loop.Body.Statements, s =>
            {
                if (s is TapePushStatement push && !tapes.Contains(push.Tape))
                {
                    tapes.Add(push.Tape);
                }
            });
            fused.Add(new Fused(counter, loop, tapes, hoisted));
            var thisTripsReverse = new CommentStatement("This trip's reverse, right after it: no other trip reads what it wrote.");
            (trip, tripReverse) = CallPullbacksOnce(trip, tripReverse);
            forward[i] = loop with { Body = new Block(trip.Append(thisTripsReverse).Concat(tripReverse).ToEquatableArray()) };
            forward.InsertRange(i, hoisted);
            i += hoisted.Count;

            // The copied assignments leave the reverse sweep where nothing there reads their targets earlier.
            reverse.RemoveAt(r);
            foreach (int moved in plan.Moved.OrderByDescending(m => m))
            {
                reverse.RemoveAt(moved);
                r--;
            }

            reverse = AddInto(reverse.Take(r), plan.AddedInto).Concat(reverse.Skip(r)).ToList();
        }

        return (forward, reverse, fused);
    }

    /// <summary>
    /// The forward sweep alone, for the tape-size query: each fused loop as it was, with every trip's pushes taken
    /// back after it (as its reverse would pop them) once the peak is recorded.
    /// </summary>
    /// <param name="forward">The forward sweep with the fused loops, as <see cref="Apply"/> returned it.</param>
    public static List<IrStatement> ForwardAlone(List<IrStatement> forward, IReadOnlyList<Fused> fused, System.Func<string, string> allocateMark)
    {
        var copied = new HashSet<IrStatement>(fused.SelectMany(f => f.Hoisted), ReferenceComparer<IrStatement>.Instance);
        var measured = forward.Where(s => !copied.Contains(s)).ToList();
        foreach (Fused loop in fused)
        {
            int i = measured.FindIndex(s => s is ForStatement f && Counter(f) == loop.Counter);
            var marks = loop.Tapes.Select(t => (Tape: t, Mark: allocateMark(t + "TripStart"))).ToList();
            var body = new List<IrStatement>();
            body.AddRange(marks.Select(m => (IrStatement)new TapeMarkStatement(m.Tape, m.Mark)));
            body.AddRange(loop.Original.Body.Statements);
            body.AddRange(marks.Select(m => (IrStatement)new TapeRewindStatement(m.Tape, m.Mark)));
            measured[i] = loop.Original with { Body = new Block(body.ToEquatableArray()) };
        }

        return measured;
    }

    /// <summary>
    /// A fusion's plan: the assignments to copy before the loop, and the adjoints R adds into whose first
    /// contributions between F and R were plain assignments (<c>_d_x = e</c>, where <c>_d_x</c> was still zero): once
    /// R's trips have run first they must add (<c>_d_x += e</c>), and a reset of the still-zero value goes.
    /// </summary>
    /// <param name="Hoisted">The assignments to copy before the loop.</param>
    /// <param name="Moved">Their indices in the reverse sweep, when they can move rather than be copied.</param>
    /// <param name="AddedInto">Adjoints whose plain assignments between F and R must add instead.</param>
    /// <param name="Locals">What the fused trips write that nothing else sees.</param>
    private sealed record Plan(List<IrStatement> Hoisted, List<int> Moved, HashSet<string> AddedInto, HashSet<string> Locals);

    /// <summary>The plan when the loop can be fused, else null.</summary>
    private static Plan? TryFuse(List<IrStatement> forward, int f, List<IrStatement> reverse, int r, List<IrStatement> afterReverse, IReadOnlyDictionary<string, string> primalOf)
    {
        var loop = (ForStatement)forward[f];
        var reversed = (ForStatement)reverse[r];
        string counter = Counter(loop)!;
        bool pushes = false;
        ForEachSimple(loop.Body.Statements, s => pushes |= s is TapePushStatement);
        if (!pushes)
        {
            return null;
        }

        List<IrStatement> before = forward.Take(f).ToList();
        List<IrStatement> between = forward.Skip(f + 1).Concat(reverse.Take(r)).ToList();
        StatementUses loopUses = StatementUses.Of(new[] { loop });
        StatementUses reverseUses = StatementUses.Of(reversed.Body.Statements);
        StatementUses beforeUses = StatementUses.Of(before);
        StatementUses betweenUses = StatementUses.Of(between);
        StatementUses afterUses = StatementUses.Of(reverse.Skip(r + 1).Concat(afterReverse));
        if (loopUses.HasUnknown || reverseUses.HasUnknown || betweenUses.HasUnknown || afterUses.HasUnknown
            || reverseUses[counter].HasFlag(Use.Write))
        {
            return null;
        }

        // Accumulators: only added into by F's trips, untouched by R.
        var accumulators = new HashSet<string>(loopUses.Names.Where(n => loopUses[n] == Use.Accumulate && !reverseUses.Mentions(n)));

        // What the fused trips write must not be seen elsewhere; R's additions into adjoints may meet other additions only.
        var locals = new HashSet<string>();
        var addedInto = new HashSet<string>();
        foreach (string name in loopUses.Names.Concat(reverseUses.Names).Distinct())
        {
            if (accumulators.Contains(name))
            {
                continue;
            }

            Use inLoop = loopUses[name];
            Use inReverse = reverseUses[name];
            bool writtenInLoop = (inLoop & (Use.Write | Use.Accumulate)) != 0;
            if (!writtenInLoop && inReverse == Use.Accumulate)
            {
                Use otherwise = betweenUses[name] & ~Use.Accumulate;
                if (otherwise == Use.None)
                {
                    continue;
                }

                // A plain assignment between F and R is a first contribution (or a reset of a zero) only where nothing
                // between assigns the primal: its reverse is what resets an adjoint that held something.
                if (otherwise != Use.Write
                    || !primalOf.TryGetValue(name, out string? primal)
                    || ((loopUses[primal] | reverseUses[primal] | betweenUses[primal]) & (Use.Write | Use.Accumulate)) != 0
                    || !OnlyScalarAssignments(between, name))
                {
                    return null;
                }

                addedInto.Add(name);
            }
            else if (writtenInLoop || (inReverse & (Use.Write | Use.Accumulate)) != 0)
            {
                if (betweenUses.Mentions(name) || afterUses.Mentions(name))
                {
                    return null;
                }

                locals.Add(name);
            }
            else if ((betweenUses[name] & (Use.Write | Use.Accumulate)) != 0 && loopUses.Mentions(name))
            {
                return null; // an input of F that changes before R would have read it
            }
        }

        // Trips are independent: nothing a trip reads comes from an earlier trip.
        var lengths = ArrayLengths(before, forward.Concat(reverse));
        if (!new TripScan(locals, accumulators, lengths).Independent(loop.Body.Statements, new HashSet<string> { counter }))
        {
            return null;
        }

        // R's inputs that the code between computes: copy those assignments (and what they need) before F.
        var hoisted = new SortedDictionary<int, IrStatement>();
        var pending = new Stack<string>(reverseUses.Names.Where(n =>
            (reverseUses[n] & (Use.Write | Use.Accumulate)) == 0 && (betweenUses[n] & (Use.Write | Use.Accumulate)) != 0));
        var visited = new HashSet<string>();
        while (pending.Count > 0)
        {
            string name = pending.Pop();
            if (!visited.Add(name))
            {
                continue;
            }

            List<int> writers = Enumerable.Range(0, between.Count)
                .Where(i => (StatementUses.Of(new[] { between[i] })[name] & (Use.Write | Use.Accumulate)) != 0)
                .ToList();
            if (writers.Count != 1
                || between[writers[0]] is not AssignStatement { Accumulate: false } assign
                || assign.Target != name
                || !IsPure(assign.Value)
                || beforeUses.Mentions(name))
            {
                return null;
            }

            hoisted[writers[0]] = assign;
            foreach (string read in Variables.ReadBy(assign.Value))
            {
                if ((betweenUses[read] & (Use.Write | Use.Accumulate)) != 0)
                {
                    pending.Push(read);
                }
                else if (locals.Contains(read) || accumulators.Contains(read) || reverseUses.Mentions(read) && reverseUses[read] != Use.Read)
                {
                    return null; // F or R changes it: its value before F is not the one the code between reads
                }
            }
        }

        // Moving (not copying) is right when nothing between reads or writes a moved target before its assignment.
        int forwardAfter = forward.Count - f - 1;
        bool movable = hoisted.All(h => h.Key >= forwardAfter
            && !StatementUses.Of(between.Take(h.Key)).Mentions(((AssignStatement)h.Value).Target));
        List<int> moved = movable ? hoisted.Keys.Select(k => k - forwardAfter).ToList() : new List<int>();
        return new Plan(hoisted.Values.ToList(), moved, addedInto, locals);
    }

    /// <summary>
    /// A call of another <c>[Differentiable]</c> method whose backward core the same trip's reverse calls with the same
    /// arguments becomes one call of its pullback, which returns the value and adds into the buffers: the callee's
    /// forward sweep then runs once per trip instead of twice (<c>_t = F(a)</c> … <c>FBackward(a, _d_a, _d_t)</c> becomes
    /// <c>_d_t = …; _t = FPullback(a, _d_a, _d_t);</c>).
    /// </summary>
    /// <remarks>
    /// Only for calls at the top level of the trip, of callees with no scalar gradient and no output span; the arguments
    /// must not change in between, nothing in between may touch the buffers, and the seed must be a constant or a local
    /// assigned once in the reverse, from values the trip does not change, before the backward call.
    /// </remarks>
    private static (List<IrStatement> Trip, List<IrStatement> Reverse) CallPullbacksOnce(List<IrStatement> trip, List<IrStatement> reverse)
    {
        for (int i = 0; i < trip.Count; i++)
        {
            if (trip[i] is not AssignStatement { Accumulate: false, Value: CallExpression { Target.Kind: CallKind.Differentiable } call } assign
                || call.Target.Parameters.Any(p => p.Array?.Kind == ArrayKind.Span))
            {
                continue;
            }

            int parameters = call.Arguments.Count;
            int j = reverse.FindIndex(st => st is CallStatement { Value: CallExpression back }
                && back.Target.Kind == CallKind.Backward
                && back.Target.TypeName == call.Target.TypeName
                && back.Target.MethodName == call.Target.MethodName + "Backward"
                && back.Arguments.Count > parameters
                && back.Arguments.Take(parameters).SequenceEqual(call.Arguments));
            if (j < 0)
            {
                continue;
            }

            var backward = (CallExpression)((CallStatement)reverse[j]).Value;
            IrExpression seed = backward.Arguments[backward.Arguments.Count - 1];
            List<IrExpression> buffers = backward.Arguments.Skip(parameters).Take(backward.Arguments.Count - parameters - 1).ToList();
            List<IrStatement> inBetween = trip.Skip(i + 1).Concat(reverse.Take(j)).ToList();
            StatementUses between = StatementUses.Of(inBetween);
            // The pullback checks that no buffer shares memory with an input or another buffer; the backward core does not.
            var bufferNames = buffers.OfType<VariableExpression>().Select(b => b.Name).ToList();
            var inputNames = new HashSet<string>(call.Arguments.SelectMany(Variables.ReadBy));
            if (buffers.Any(b => b is not (VariableExpression or RentArrayExpression))
                || bufferNames.Distinct().Count() != bufferNames.Count
                || bufferNames.Any(inputNames.Contains)
                || inputNames.Any(n => (between[n] & (Use.Write | Use.Accumulate)) != 0)
                || bufferNames.Any(between.Mentions))
            {
                continue;
            }

            // The seed's value must be known at the forward call: a constant, or a local assigned once from inputs.
            int seedDefinition = -1;
            if (seed is VariableExpression seedVariable)
            {
                List<int> definitions = Enumerable.Range(0, j)
                    .Where(q => StatementUses.Of(new[] { reverse[q] }).Mentions(seedVariable.Name)).ToList();
                if (definitions.Count != 1
                    || reverse[definitions[0]] is not AssignStatement { Accumulate: false } definition
                    || definition.Target != seedVariable.Name
                    || !IsPure(definition.Value)
                    || StatementUses.Of(trip).Mentions(seedVariable.Name)
                    || Variables.ReadBy(definition.Value).Any(n => StatementUses.Of(trip.Concat(reverse.Take(definitions[0])))[n] != Use.None))
                {
                    continue;
                }

                seedDefinition = definitions[0];
            }
            else if (seed is not ConstantExpression)
            {
                continue;
            }

            var pullback = new CallExpression(
                call.Target with { MethodName = call.Target.MethodName + "Pullback", Kind = CallKind.Pullback },
                call.Arguments.AddRange(buffers).Add(seed),
                call.Type,
                call.Span);
            trip = new List<IrStatement>(trip);
            trip[i] = assign with { Value = pullback };
            if (seedDefinition >= 0)
            {
                trip.Insert(i, reverse[seedDefinition]);
                i++;
            }

            reverse = reverse.Where((_, q) => q != j && q != seedDefinition).ToList();
        }

        return (trip, reverse);
    }

    /// <summary>
    /// Drops the pushes that save a trip-local value's start-of-trip contents, with the pops at the trip's end that
    /// restore it: no trip reads that value, and nothing after the loop does.
    /// </summary>
    /// <remarks>
    /// <para>Scalars: pushes at the top level of the trip pair, last first, with the plain pops at the top level of its
    /// reverse (nested pushes are popped inside the nested reverse). A pair goes when the push is the first write of
    /// its variable in the trip and the reverse reads the variable nowhere after the pop.</para>
    /// <para>Arrays (<see cref="WithoutDeadElementRestores"/>): the saved old elements of a trip-local array, at any
    /// depth.</para>
    /// </remarks>
    private static (List<IrStatement> Trip, List<IrStatement> Reverse) WithoutDeadRestores(
        List<IrStatement> trip, List<IrStatement> reverse, HashSet<string> locals)
    {
        var dropTrip = new HashSet<int>();
        var dropReverse = new HashSet<int>();
        foreach (string tape in trip.OfType<TapePushStatement>().Select(p => p.Tape).Distinct().ToList())
        {
            List<int> pushes = Enumerable.Range(0, trip.Count)
                .Where(i => trip[i] is TapePushStatement { Writer: null } push && push.Tape == tape).ToList();
            List<int> pops = Enumerable.Range(0, reverse.Count)
                .Where(i => reverse[i] is AssignStatement { Value: TapePopExpression { Reader: null } pop } && pop.Tape == tape).ToList();
            if (pushes.Count != pops.Count)
            {
                continue;
            }

            for (int k = 0; k < pushes.Count; k++)
            {
                int push = pushes[k], pop = pops[pops.Count - 1 - k];
                if (trip[push] is TapePushStatement { Value: VariableExpression saved }
                    && ((AssignStatement)reverse[pop]).Target == saved.Name
                    && locals.Contains(saved.Name)
                    && (StatementUses.Of(trip.Take(push))[saved.Name] & (Use.Write | Use.Accumulate)) == 0
                    && !StatementUses.Of(reverse.Skip(pop + 1)).Mentions(saved.Name))
                {
                    dropTrip.Add(push);
                    dropReverse.Add(pop);
                }
            }
        }

        return WithoutDeadElementRestores(
            trip.Where((_, i) => !dropTrip.Contains(i)).ToList(), reverse.Where((_, i) => !dropReverse.Contains(i)).ToList(), locals);
    }

    /// <summary>
    /// Drops the pushes of a trip-local array's old elements (<c>Push(a[i])</c> before <c>a[i] = e</c>, at any depth of
    /// the trip) with the pops that put them back (<c>a[i] = Pop()</c> in the trip's reverse), when nothing reads them
    /// back: the array is one of the fusion's <paramref name="locals"/> (nothing outside the loop and its reverse
    /// mentions it, and a trip reads it only after filling it, so a later trip never sees what a pop restored), and
    /// the trip's reverse reads it only in top-level statements before the first pop (a loop that pops may read a
    /// restored element on its next turn). The GMM's per-point main terms were saved and restored for every component
    /// of every point, for nothing.
    /// </summary>
    private static (List<IrStatement> Trip, List<IrStatement> Reverse) WithoutDeadElementRestores(
        List<IrStatement> trip, List<IrStatement> reverse, HashSet<string> locals)
    {
        foreach (string array in locals)
        {
            bool IsSave(IrStatement s) => s is TapePushStatement { Value: ElementExpression saved } && saved.Array == array;
            bool IsRestore(IrStatement s) => s is ElementAssignStatement { Value: TapePopExpression } restore && restore.Array == array;
            var saves = new List<TapePushStatement>();
            var restores = new List<ElementAssignStatement>();
            ForEachSimple(trip, s =>
            {
                if (IsSave(s))
                {
                    saves.Add((TapePushStatement)s);
                }
            });
            ForEachSimple(reverse, s =>
            {
                if (IsRestore(s))
                {
                    restores.Add((ElementAssignStatement)s);
                }
            });

            // Each save pairs with the restore of the same element on the same tape (the reverse mirrors the trip).
            bool paired = saves.Count > 0 && saves.Count == restores.Count
                && saves.All(save => restores.Count(restore => !restore.Accumulate
                    && restore.Indices.Equals(((ElementExpression)save.Value).Indices) && ((TapePopExpression)restore.Value).Tape == save.Tape) == 1);
            if (!paired || (StatementUses.Of(trip)[array] & Use.Accumulate) != 0)
            {
                continue;
            }

            int firstRestore = reverse.FindIndex(top => Contains(top, IsRestore));
            if ((StatementUses.Of(reverse.Skip(firstRestore))[array] & Use.Read) != 0)
            {
                continue;
            }

            // Room a loop reserved for its pushes shrinks with them; a writer left without pushes goes, with its reader.
            List<IrStatement> newTrip = Map(trip, s => IsSave(s) ? null : s);
            var resized = new Dictionary<string, IrStatement?>();
            bool shrinkable = true;
            foreach (string writer in saves.Select(save => save.Writer).OfType<string>().Distinct())
            {
                int pushesBefore = 0, pushesAfter = 0;
                TapeReserveStatement? reserve = null;
                ForEachSimple(trip, s =>
                {
                    pushesBefore += s is TapePushStatement push && push.Writer == writer ? 1 : 0;
                    reserve = s is TapeReserveStatement r && r.Writer == writer ? r : reserve;
                });
                ForEachSimple(newTrip, s => pushesAfter += s is TapePushStatement push && push.Writer == writer ? 1 : 0);
                shrinkable = TryShrink(reserve, pushesBefore, pushesAfter, out IrStatement? shrunk);
                if (!shrinkable)
                {
                    break;
                }

                resized[writer] = shrunk;
            }

            if (!shrinkable)
            {
                continue;
            }

            List<IrStatement> newReverse = Map(reverse, s => IsRestore(s) ? null : s);
            var emptied = new HashSet<string>(resized.Where(r => r.Value is null).Select(r => r.Key));
            foreach (string reader in restores.Select(restore => ((TapePopExpression)restore.Value).Reader).OfType<string>().Distinct())
            {
                bool popsLeft = false;
                ForEachSimple(newReverse, s => popsLeft |= s is not TapeReaderStatement && s is not TapeCommitStatement && StatementUses.Of(new[] { s }).Mentions(reader));
                if (!popsLeft)
                {
                    emptied.Add(reader);
                }
            }

            trip = Map(newTrip, s => s switch
            {
                TapeReserveStatement reserve when resized.TryGetValue(reserve.Writer, out IrStatement? replacement) => replacement,
                TapeCommitStatement commit when emptied.Contains(commit.Cursor) => null,
                _ => s,
            });
            reverse = Map(newReverse, s => s switch
            {
                TapeReaderStatement reader when emptied.Contains(reader.Reader) => null,
                TapeCommitStatement commit when emptied.Contains(commit.Cursor) => null,
                _ => s,
            });
        }

        return (trip, reverse);
    }

    /// <summary>
    /// The reservation of a loop whose trips push <paramref name="after"/> values each where they pushed
    /// <paramref name="before"/> (its count is <c>before × trips</c>, as <see cref="TapeReservation"/> writes it); null
    /// when none are left. False when the reservation is missing or its count has another form.
    /// </summary>
    private static bool TryShrink(TapeReserveStatement? reserve, int before, int after, out IrStatement? shrunk)
    {
        IrExpression? trips = before == 1 ? reserve?.Count
            : reserve?.Count is BinaryExpression { Operator: BinaryOperator.Multiply, Left: ConstantExpression perTrip } product && perTrip.Value == before ? product.Right
            : null;
        shrunk = trips is null || after == 0 ? null : reserve! with { Count = Expr.Multiply(ConstantExpression.Of(after, ScalarType.Int), trips) };
        return trips is not null;
    }

    /// <summary>Whether <paramref name="statement"/> is, or holds at any depth, a simple statement that matches.</summary>
    private static bool Contains(IrStatement statement, System.Func<IrStatement, bool> match)
    {
        bool found = false;
        ForEachSimple(new[] { statement }, s => found |= match(s));
        return found;
    }

    /// <summary>
    /// The statements with each simple statement, at any depth, replaced by what <paramref name="replace"/> returns for
    /// it (null drops it); compound statements are rebuilt around their new blocks.
    /// </summary>
    private static List<IrStatement> Map(IEnumerable<IrStatement> statements, System.Func<IrStatement, IrStatement?> replace)
    {
        Block Inside(Block block) => new(Map(block.Statements, replace).ToEquatableArray());
        var mapped = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            IrStatement? result = statement switch
            {
                IfStatement branch => branch with { Then = Inside(branch.Then), Else = Inside(branch.Else) },
                ForStatement loop => loop with { Body = Inside(loop.Body) },
                WhileStatement loop => loop with { Body = Inside(loop.Body) },
                DoWhileStatement loop => loop with { Body = Inside(loop.Body) },
                _ => replace(statement),
            };
            if (result is not null)
            {
                mapped.Add(result);
            }
        }

        return mapped;
    }

    /// <summary>Whether every statement that writes <paramref name="name"/> is a plain scalar assignment.</summary>
    private static bool OnlyScalarAssignments(IEnumerable<IrStatement> statements, string name)
    {
        bool only = true;
        ForEachSimple(statements, s =>
        {
            if (s is not AssignStatement && (StatementUses.Of(new[] { s })[name] & Use.Write) != 0)
            {
                only = false;
            }
        });
        return only;
    }

    /// <summary><c>_d_x = e</c> becomes <c>_d_x += e</c> for the named adjoints, and <c>_d_x = 0</c> goes.</summary>
    private static IEnumerable<IrStatement> AddInto(IEnumerable<IrStatement> statements, HashSet<string> names)
    {
        if (names.Count == 0)
        {
            return statements;
        }

        Block Rewrite(Block block) => new(AddInto(block.Statements, names).ToEquatableArray());
        var rewritten = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case AssignStatement { Accumulate: false } assign when names.Contains(assign.Target):
                    if (assign.Value is not ConstantExpression { IsZero: true })
                    {
                        rewritten.Add(assign with { Accumulate = true });
                    }

                    break;
                case IfStatement branch:
                    rewritten.Add(branch with { Then = Rewrite(branch.Then), Else = Rewrite(branch.Else) });
                    break;
                case ForStatement loop:
                    rewritten.Add(loop with { Body = Rewrite(loop.Body) });
                    break;
                case WhileStatement loop:
                    rewritten.Add(loop with { Body = Rewrite(loop.Body) });
                    break;
                case DoWhileStatement loop:
                    rewritten.Add(loop with { Body = Rewrite(loop.Body) });
                    break;
                default:
                    rewritten.Add(statement);
                    break;
            }
        }

        return rewritten;
    }

    /// <summary>
    /// A simple statement with a push through one of the given writers, or a pop through one of the given readers, made
    /// plain; any other statement stays the same instance (the copied adjoint assignments are found by reference).
    /// </summary>
    private static IrStatement WithoutCursor(IrStatement statement, HashSet<string> cursors)
    {
        bool Cursored(IrExpression value) => value is TapePopExpression { Reader: { } reader } && cursors.Contains(reader);
        IrExpression Plain(IrExpression value) => ((TapePopExpression)value) with { Reader = null };
        return statement switch
        {
            TapePushStatement { Writer: { } writer } push when cursors.Contains(writer) => push with { Writer = null },
            AssignStatement assign when Cursored(assign.Value) => assign with { Value = Plain(assign.Value) },
            ElementAssignStatement element when Cursored(element.Value) => element with { Value = Plain(element.Value) },
            _ => statement,
        };
    }

    /// <summary>The counter of a <c>for (i = …; …; …)</c> loop, else null.</summary>
    private static string? Counter(ForStatement loop) =>
        loop.Initializer.Count == 1 && loop.Initializer.Statements[0] is AssignStatement { Accumulate: false } init ? init.Target : null;

    /// <summary>
    /// Arrays rented once, before the loop, with a size that does not change afterwards (its variables are assigned
    /// once, before the rent, or never): name → length.
    /// </summary>
    private static Dictionary<string, IrExpression> ArrayLengths(List<IrStatement> before, IEnumerable<IrStatement> all)
    {
        // Whole-variable assignments only: storing an element leaves an array's length alone.
        var writes = new Dictionary<string, int>();
        void Count(string name) => writes[name] = writes.TryGetValue(name, out int count) ? count + 1 : 1;
        ForEachSimple(all, s =>
        {
            switch (s)
            {
                case AssignStatement assign:
                    Count(assign.Target);
                    break;
                case DeclareStatement declare:
                    Count(declare.Name);
                    break;
                case DeconstructStatement deconstruct:
                    foreach (string target in deconstruct.Targets)
                    {
                        Count(target);
                    }

                    break;
                case AllocateArrayStatement allocation:
                    Count(allocation.Name);
                    break;
            }
        });

        var lengths = new Dictionary<string, IrExpression>();
        var assignedSoFar = new HashSet<string>();
        foreach (IrStatement statement in before)
        {
            if (statement is AssignStatement { Accumulate: false, Value: RentArrayExpression { Sizes.Count: 1 } rent } assign
                && writes.TryGetValue(assign.Target, out int rents) && rents == 1
                && Variables.ReadBy(rent.Sizes[0]).All(n => !writes.ContainsKey(n) || (writes[n] == 1 && assignedSoFar.Contains(n))))
            {
                lengths[assign.Target] = rent.Sizes[0];
            }

            if (statement is AssignStatement plain)
            {
                assignedSoFar.Add(plain.Target);
            }
        }

        return lengths;
    }

    /// <summary>Arithmetic on variables and constants only: no calls, no tape, no array reads.</summary>
    private static bool IsPure(IrExpression expression) => expression switch
    {
        ConstantExpression or VariableExpression => true,
        UnaryExpression unary => IsPure(unary.Operand),
        BinaryExpression binary => IsPure(binary.Left) && IsPure(binary.Right),
        CastExpression cast => IsPure(cast.Operand),
        IntrinsicExpression intrinsic => intrinsic.Arguments.All(IsPure),
        _ => false,
    };

    /// <summary>Every statement that is not control flow, nested ones and loop headers included.</summary>
    private static void ForEachSimple(IEnumerable<IrStatement> statements, System.Action<IrStatement> visit) =>
        Variables.ForEachSimpleStatement(new Block(statements.ToEquatableArray()), 0, (statement, _) => visit(statement));

    /// <summary>
    /// Walks one trip's code in order, keeping the set of variables the trip has certainly written so far; a read
    /// of a variable some trip writes, before this trip wrote it, would read the previous trip's value.
    /// </summary>
    private sealed class TripScan
    {
        private readonly HashSet<string> _carried;
        private readonly HashSet<string> _accumulators;
        private readonly Dictionary<string, IrExpression> _lengths;

        public TripScan(HashSet<string> carried, HashSet<string> accumulators, Dictionary<string, IrExpression> lengths)
        {
            _carried = carried;
            _accumulators = accumulators;
            _lengths = lengths;
        }

        /// <summary>Whether the statements read nothing carried before writing it; <paramref name="written"/> grows as they run.</summary>
        public bool Independent(IEnumerable<IrStatement> statements, HashSet<string> written)
        {
            foreach (IrStatement statement in statements)
            {
                if (!Independent(statement, written))
                {
                    return false;
                }
            }

            return true;
        }

        private bool Independent(IrStatement statement, HashSet<string> written)
        {
            switch (statement)
            {
                case AssignStatement assign:
                    if (_accumulators.Contains(assign.Target))
                    {
                        return Reads(assign.Accumulate ? assign.Value : StatementUses.SelfAccumulation(assign)!, written);
                    }

                    if (!Reads(assign.Value, written) || (assign.Accumulate && !Read(assign.Target, written)))
                    {
                        return false;
                    }

                    written.Add(assign.Target);
                    return true;
                case ElementAssignStatement element:
                    return element.Indices.All(i => Reads(i, written)) && Reads(element.Value, written)
                        && (!element.Accumulate || _accumulators.Contains(element.Array) || Read(element.Array, written));
                case DeconstructStatement deconstruct:
                    if (!Reads(deconstruct.Value, written))
                    {
                        return false;
                    }

                    written.UnionWith(deconstruct.Targets);
                    return true;
                case DeclareStatement declare:
                    if (!Reads(declare.Initializer, written))
                    {
                        return false;
                    }

                    written.Add(declare.Name);
                    return true;
                case TapeReserveStatement reserve:
                    written.Add(reserve.Writer);
                    return Reads(reserve.Count, written);
                case TapeReaderStatement reader:
                    written.Add(reader.Reader);
                    return true;
                case TapePushStatement or TapeCommitStatement or CommentStatement:
                    return true; // a push saves whatever is there; the trip's reverse restores it and never uses it
                case CallStatement call:
                    return Reads(call.Value, written);
                case IfStatement branch:
                {
                    if (!Reads(branch.Condition, written))
                    {
                        return false;
                    }

                    var whenTrue = new HashSet<string>(written);
                    var whenFalse = new HashSet<string>(written);
                    if (!Independent(branch.Then.Statements, whenTrue) || !Independent(branch.Else.Statements, whenFalse))
                    {
                        return false;
                    }

                    whenTrue.IntersectWith(whenFalse);
                    written.UnionWith(whenTrue);
                    return true;
                }

                case ForStatement loop:
                {
                    if (!Independent(loop.Initializer.Statements, written) || !Reads(loop.Condition, written))
                    {
                        return false;
                    }

                    var inside = new HashSet<string>(written);
                    if (!Independent(loop.Body.Statements, inside) || !Independent(loop.Step.Statements, inside))
                    {
                        return false;
                    }

                    written.UnionWith(FilledArrays(loop));
                    return true;
                }

                case WhileStatement loop:
                    return Reads(loop.Condition, written) && Independent(loop.Body.Statements, new HashSet<string>(written));
                case DoWhileStatement loop:
                {
                    var inside = new HashSet<string>(written);
                    return Independent(loop.Body.Statements, inside) && Reads(loop.Condition, inside);
                }

                default:
                    return false;
            }
        }

        private bool Read(string name, HashSet<string> written) => !_carried.Contains(name) || written.Contains(name);

        // What Variables.CollectReads counts as read, except the length of an array rented once with a fixed size: that is
        // the same on every trip, so reading it reads nothing a trip carried.
        private bool Reads(IrExpression? expression, HashSet<string> written) => expression switch
        {
            null => true,
            VariableExpression variable => Read(variable.Name, written),
            LengthExpression length => _lengths.ContainsKey(length.Array) || Read(length.Array, written),
            ArrayReferenceExpression array => Read(array.Name, written),
            ElementExpression element => Read(element.Array, written) && element.Indices.All(index => Reads(index, written)),
            _ => ExpressionSearch.Children(expression).All(child => Reads(child, written)),
        };

        /// <summary>
        /// Local arrays a counting loop <c>for (i = 0; i &lt; n; i++)</c> fills whole: its body stores <c>a[i]</c> on
        /// every trip, <c>a</c> has length n (n is its rented size, or <c>a.Length</c>), and the loop reads no element of <c>a</c>.
        /// </summary>
        private IEnumerable<string> FilledArrays(ForStatement loop)
        {
            if (loop.Initializer.Count != 1 || loop.Step.Count != 1
                || loop.Initializer.Statements[0] is not AssignStatement { Value: ConstantExpression { IsZero: true } } init
                || loop.Condition is not BinaryExpression { Operator: BinaryOperator.Less, Left: VariableExpression counter } condition
                || counter.Name != init.Target
                || loop.Step.Statements[0] is not AssignStatement { Value: BinaryExpression { Operator: BinaryOperator.Add, Left: VariableExpression stepped, Right: ConstantExpression { Value: 1 } } } step
                || step.Target != init.Target || stepped.Name != init.Target)
            {
                yield break;
            }

            // Reads and additions of the array would see elements this trip has not stored yet; pushes only save them.
            StatementUses inLoop = StatementUses.Of(loop.Body.Statements);
            foreach (IrStatement statement in loop.Body.Statements)
            {
                if (statement is ElementAssignStatement { Accumulate: false } store
                    && store.Indices.Count == 1 && store.Indices[0] is VariableExpression index && index.Name == init.Target
                    && _lengths.TryGetValue(store.Array, out IrExpression? length)
                    && (length.Equals(condition.Right) || condition.Right is LengthExpression { Dimension: 0 } bound && bound.Array == store.Array)
                    && (inLoop[store.Array] & (Use.Read | Use.Accumulate)) == 0)
                {
                    yield return store.Array;
                }
            }
        }
    }
}
