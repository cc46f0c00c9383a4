using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Lets consecutive loops of one block share a tape cursor: where one loop's writer is committed and the next loop
/// reserves room on the same tape with nothing in between touching it, the first reservation takes both counts and the
/// second loop pushes through the first writer; readers in the reverse sweep are joined the same way. A mixture
/// component's trip then reserves its tape once instead of once per loop, and its reverse reads it through one reader:
/// at two or three values per loop, the cursor bookkeeping costs as much as the pushes.
/// </summary>
/// <remarks>
/// The pushes land in the same slots as before and the pops read them in the same order; only the bookkeeping between
/// the loops goes. Between the joined cursors the tape may only be pushed or popped once at a time (an integer saved
/// between two loops, say), and the joined cursor takes those too; nothing may call another method (a pullback
/// pushes and pops on the same per-thread tape, and would write over values not yet committed). A joined reservation
/// must be computable where the first one stands: the statements it moves across assign nothing its count reads.
/// </remarks>
internal static class TapeCursorMerging
{
    /// <summary>The statements with the cursors of consecutive loops joined, in every block.</summary>
    public static List<IrStatement> Apply(IReadOnlyList<IrStatement> statements)
    {
        List<IrStatement> result = statements.Select(Nested).ToList();
        JoinCursors(result);
        return result;
    }

    private static IrStatement Nested(IrStatement statement) =>
        statement.MapBodies(block => new Block(Apply(block.Statements).ToEquatableArray()));

    /// <summary>
    /// <c>var w1 = t.Reserve(a); …; w1.Commit(); …; var w2 = t.Reserve(b); …; w2.Commit();</c> becomes
    /// <c>var w1 = t.Reserve(a + b); …; …; …; w1.Commit();</c> with w2's pushes going through w1, and
    /// <c>var r1 = t.Reader(); …; r1.Commit(); …; var r2 = t.Reader(); …; r2.Commit();</c> becomes
    /// <c>var r1 = t.Reader(); …; …; …; r1.Commit();</c> with r2's pops going through r1.
    /// </summary>
    private static void JoinCursors(List<IrStatement> statements)
    {
        for (int first = 0; first < statements.Count; first++)
        {
            if (Opening(statements[first]) is not { } opening)
            {
                continue;
            }

            first = TakeSinglesBefore(statements, first, opening);
            while (true)
            {
                int commit = CommitOf(statements, first + 1, opening.Cursor);
                if (commit < 0 || AnyTouches(statements, first + 1, commit, opening.Tape))
                {
                    break;
                }

                var between = new List<int>();
                int next = NextCursor(statements, commit + 1, opening.Tape, opening.Writes, between);
                if (next < 0 || Opening(statements[next]) is not { } following || following.Writes != opening.Writes)
                {
                    TakeSinglesAfter(statements, first, commit, opening, between);
                    break;
                }

                int followingCommit = CommitOf(statements, next + 1, following.Cursor);
                if (followingCommit < 0 || AnyTouches(statements, next + 1, followingCommit, opening.Tape))
                {
                    break;
                }

                if (statements[first] is TapeReserveStatement reserve && statements[next] is TapeReserveStatement more)
                {
                    // The second count is read where the first reservation stands: nothing in between may change it.
                    if (AssignsAnyOf(statements, first + 1, next, more.Count))
                    {
                        TakeSinglesAfter(statements, first, commit, opening, between);
                        break;
                    }

                    IrExpression count = between.Count == 0 ? more.Count : Sum(more.Count, ConstantExpression.Of(between.Count, ScalarType.Int));
                    statements[first] = reserve with { Count = Sum(reserve.Count, count) };
                }

                foreach (int single in between)
                {
                    statements[single] = ThroughCursor(statements[single], opening.Cursor);
                }

                for (int i = next + 1; i <= followingCommit; i++)
                {
                    statements[i] = Rename(statements[i], following.Cursor, opening.Cursor);
                }

                statements.RemoveAt(next);
                statements.RemoveAt(commit);
            }
        }
    }

    /// <summary>
    /// Single pushes (or restores) of the cursor's tape standing before its opening, with nothing but statements that
    /// leave the tape alone and call nothing between: the opening moves up to the first of them and they go through the
    /// cursor, a reservation counting them too. Returns the opening's new index.
    /// </summary>
    private static int TakeSinglesBefore(List<IrStatement> statements, int first, (string Tape, string Cursor, bool Writes) opening)
    {
        var singles = new List<int>();
        for (int i = first - 1; i >= 0; i--)
        {
            if (IsSingle(statements[i], opening.Tape, opening.Writes))
            {
                singles.Add(i);
            }
            else if (statements[i] is TapeCommitStatement || Touches(statements[i], opening.Tape))
            {
                // A commit ends another cursor's stretch (perhaps of this tape): the opening must not move into it.
                break;
            }
        }

        if (singles.Count == 0)
        {
            return first;
        }

        int earliest = singles[singles.Count - 1];
        IrStatement openingStatement = statements[first];
        if (openingStatement is TapeReserveStatement reserve)
        {
            // The count is then read where the first single stands: nothing from there on may change it.
            if (AssignsAnyOf(statements, earliest, first, reserve.Count))
            {
                return first;
            }

            openingStatement = reserve with { Count = Sum(reserve.Count, ConstantExpression.Of(singles.Count, ScalarType.Int)) };
        }

        foreach (int single in singles)
        {
            statements[single] = ThroughCursor(statements[single], opening.Cursor);
        }

        statements.RemoveAt(first);
        statements.Insert(earliest, openingStatement);
        return earliest;
    }

    /// <summary>
    /// The single pushes (or restores) <see cref="NextCursor"/> passed over after a cursor's commit, where no cursor
    /// joins it: they go through the cursor, its commit moves down past the last of them, and a reservation counts them.
    /// </summary>
    private static void TakeSinglesAfter(
        List<IrStatement> statements, int first, int commit, (string Tape, string Cursor, bool Writes) opening, List<int> singles)
    {
        if (singles.Count == 0)
        {
            return;
        }

        if (statements[first] is TapeReserveStatement reserve)
        {
            statements[first] = reserve with { Count = Sum(reserve.Count, ConstantExpression.Of(singles.Count, ScalarType.Int)) };
        }

        foreach (int single in singles)
        {
            statements[single] = ThroughCursor(statements[single], opening.Cursor);
        }

        int last = singles[singles.Count - 1];
        IrStatement commitStatement = statements[commit];
        statements.Insert(last + 1, commitStatement);
        statements.RemoveAt(commit);
    }

    /// <summary>Whether a statement in [from, to) assigns a variable <paramref name="expression"/> reads.</summary>
    private static bool AssignsAnyOf(List<IrStatement> statements, int from, int to, IrExpression expression)
    {
        var assigned = new HashSet<string>();
        for (int i = from; i < to; i++)
        {
            StatementUses uses = StatementUses.Of(new[] { statements[i] });
            assigned.UnionWith(uses.Names.Where(n => (uses[n] & (Use.Write | Use.Accumulate)) != 0));
        }

        return Variables.ReadBy(expression).Any(assigned.Contains);
    }

    /// <summary>A writer's reservation or a reader's creation: its tape, its cursor, and which of the two it is.</summary>
    private static (string Tape, string Cursor, bool Writes)? Opening(IrStatement statement) => statement switch
    {
        TapeReserveStatement reserve => (reserve.Tape, reserve.Writer, true),
        TapeReaderStatement reader => (reader.Tape, reader.Reader, false),
        _ => null,
    };

    private static int CommitOf(List<IrStatement> statements, int start, string cursor) =>
        statements.FindIndex(start, s => s is TapeCommitStatement commit && commit.Cursor == cursor);

    /// <summary>
    /// The index of the first statement from <paramref name="start"/> on that touches <paramref name="tape"/>, if it is
    /// a reservation or a reader of it; -1 when another statement touches it (or calls anything) first, or none does.
    /// Single pushes to the tape itself (between writers) or single restores popped from it (between readers) are
    /// passed over and listed in <paramref name="singles"/>: joined, the cursor takes them too, in the same order.
    /// </summary>
    private static int NextCursor(List<IrStatement> statements, int start, string tape, bool writes, List<int> singles)
    {
        for (int i = start; i < statements.Count; i++)
        {
            if (statements[i] is TapeReserveStatement r && r.Tape == tape || statements[i] is TapeReaderStatement rd && rd.Tape == tape)
            {
                return i;
            }

            if (IsSingle(statements[i], tape, writes))
            {
                singles.Add(i);
                continue;
            }

            if (Touches(statements[i], tape))
            {
                return -1;
            }
        }

        return -1;
    }

    /// <summary>
    /// A push straight to <paramref name="tape"/> (for a writer) or a restore popped straight from it (for a reader),
    /// whose other expressions neither pop nor call.
    /// </summary>
    private static bool IsSingle(IrStatement statement, string tape, bool writes)
    {
        bool Plain(IrExpression expression) => !ExpressionSearch.Contains(expression, e => e is CallExpression or ExternalValueExpression or TapePopExpression);
        return statement switch
        {
            TapePushStatement { Writer: null } push => writes && push.Tape == tape && Plain(push.Value),
            AssignStatement { Value: TapePopExpression { Reader: null } pop } => !writes && pop.Tape == tape,
            ElementAssignStatement { Value: TapePopExpression { Reader: null } pop } element => !writes && pop.Tape == tape && element.Indices.All(Plain),
            _ => false,
        };
    }

    /// <summary>A single push or restore of <see cref="IsSingle"/>, going through <paramref name="cursor"/>.</summary>
    private static IrStatement ThroughCursor(IrStatement statement, string cursor) => statement switch
    {
        TapePushStatement push => push with { Writer = cursor },
        AssignStatement { Value: TapePopExpression pop } assign => assign with { Value = pop with { Reader = cursor } },
        ElementAssignStatement { Value: TapePopExpression pop } element => element with { Value = pop with { Reader = cursor } },
        _ => statement,
    };

    /// <summary>
    /// Whether a statement in [from, to) touches <paramref name="tape"/> other than through pushes and pops of the cursors
    /// being joined (those carry a writer or reader name), or calls anything.
    /// </summary>
    private static bool AnyTouches(List<IrStatement> statements, int from, int to, string tape)
    {
        for (int i = from; i < to; i++)
        {
            if (Touches(statements[i], tape, cursorsAllowed: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Whether a statement (or one nested in it) uses <paramref name="tape"/>, or calls a method, which may use the
    /// thread's tapes itself. With <paramref name="cursorsAllowed"/>, pushes and pops through a cursor do not count.
    /// </summary>
    internal static bool Touches(IrStatement statement, string tape, bool cursorsAllowed = false)
    {
        bool PopOrCall(IrExpression? expression) => ExpressionSearch.Contains(expression, e =>
            e is CallExpression or ExternalValueExpression
            || (e is TapePopExpression pop && pop.Tape == tape && !(cursorsAllowed && pop.Reader is not null)));
        bool InBlock(Block block) => block.Statements.Any(s => Touches(s, tape, cursorsAllowed));
        return statement switch
        {
            TapePushStatement push => (push.Tape == tape && !(cursorsAllowed && push.Writer is not null)) || PopOrCall(push.Value),
            TapeReserveStatement reserve => reserve.Tape == tape || PopOrCall(reserve.Count),
            TapeReaderStatement reader => reader.Tape == tape,
            TapeMarkStatement mark => mark.Tape == tape,
            TapeRewindStatement rewind => rewind.Tape == tape,
            TapeCommitStatement or CommentStatement or BreakStatement or ContinueStatement or ReleaseScratchStatement or CopyArrayStatement => false,
            AssignStatement assign => PopOrCall(assign.Value),
            ElementAssignStatement element => PopOrCall(element.Value) || element.Indices.Any(PopOrCall),
            AllocateArrayStatement allocation => allocation.Sizes.Any(PopOrCall),
            DeclareStatement declare => PopOrCall(declare.Initializer),
            ReturnStatement ret => PopOrCall(ret.Value),
            IfStatement branch => PopOrCall(branch.Condition) || InBlock(branch.Then) || InBlock(branch.Else),
            WhileStatement loop => PopOrCall(loop.Condition) || InBlock(loop.Body),
            DoWhileStatement loop => PopOrCall(loop.Condition) || InBlock(loop.Body),
            ForStatement loop => PopOrCall(loop.Condition) || InBlock(loop.Initializer) || InBlock(loop.Step) || InBlock(loop.Body),
            _ => true, // calls, deconstructed calls, anything not known here
        };
    }

    /// <summary><c>a + b</c>, with equal terms counted once each (<c>Max(0, d) + 2 * Max(0, d)</c> is <c>3 * Max(0, d)</c>).</summary>
    private static IrExpression Sum(IrExpression first, IrExpression second)
    {
        var terms = new List<(IrExpression Term, double Times)>();
        void Collect(IrExpression e)
        {
            if (e is BinaryExpression { Operator: BinaryOperator.Add } sum)
            {
                Collect(sum.Left);
                Collect(sum.Right);
                return;
            }

            (IrExpression term, double times) = e is BinaryExpression { Operator: BinaryOperator.Multiply, Left: ConstantExpression factor } product
                ? (product.Right, factor.Value)
                : (e, 1);
            int at = terms.FindIndex(t => t.Term.Equals(term));
            if (at < 0)
            {
                terms.Add((term, times));
            }
            else
            {
                terms[at] = (term, terms[at].Times + times);
            }
        }

        Collect(first);
        Collect(second);
        return terms
            .Select(t => Expr.Multiply(ConstantExpression.Of(t.Times, ScalarType.Int), t.Term))
            .Aggregate(Expr.Add);
    }

    /// <summary>The statement with every push, pop and commit through cursor <paramref name="from"/> going through <paramref name="to"/>.</summary>
    internal static IrStatement Rename(IrStatement statement, string from, string to)
    {
        // Pops through a reader are whole restores (x = r.Pop(), a[i] = r.Pop()), as TapeReservation writes them.
        return statement switch
        {
            TapePushStatement push when push.Writer == from => push with { Writer = to },
            TapeCommitStatement commit when commit.Cursor == from => new TapeCommitStatement(to),
            AssignStatement { Value: TapePopExpression pop } assign when pop.Reader == from => assign with { Value = pop with { Reader = to } },
            ElementAssignStatement { Value: TapePopExpression pop } element when pop.Reader == from => element with { Value = pop with { Reader = to } },
            _ => statement.MapBodies(block => new Block(block.Statements.Select(s => Rename(s, from, to)).ToEquatableArray())),
        };
    }
}
