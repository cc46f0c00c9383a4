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
/// the loops goes. Nothing between the joined cursors may use the tape, and nothing may call another method (a pullback
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

            while (true)
            {
                int commit = CommitOf(statements, first + 1, opening.Cursor);
                if (commit < 0 || AnyTouches(statements, first + 1, commit, opening.Tape))
                {
                    break;
                }

                int next = NextCursor(statements, commit + 1, opening.Tape);
                if (next < 0 || Opening(statements[next]) is not { } following || following.Writes != opening.Writes)
                {
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
                    var assigned = new HashSet<string>();
                    for (int i = first + 1; i < next; i++)
                    {
                        StatementUses uses = StatementUses.Of(new[] { statements[i] });
                        assigned.UnionWith(uses.Names.Where(n => (uses[n] & (Use.Write | Use.Accumulate)) != 0));
                    }

                    if (Variables.ReadBy(more.Count).Any(assigned.Contains))
                    {
                        break;
                    }

                    statements[first] = reserve with { Count = Sum(reserve.Count, more.Count) };
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
    /// </summary>
    private static int NextCursor(List<IrStatement> statements, int start, string tape)
    {
        for (int i = start; i < statements.Count; i++)
        {
            if (statements[i] is TapeReserveStatement r && r.Tape == tape || statements[i] is TapeReaderStatement rd && rd.Tape == tape)
            {
                return i;
            }

            if (Touches(statements[i], tape))
            {
                return -1;
            }
        }

        return -1;
    }

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
    private static bool Touches(IrStatement statement, string tape, bool cursorsAllowed = false)
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
    private static IrStatement Rename(IrStatement statement, string from, string to)
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
