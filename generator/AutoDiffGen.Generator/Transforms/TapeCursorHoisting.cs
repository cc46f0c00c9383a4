using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// One tape cursor for all the trips of a counting loop, where each trip opened its own: a trip that reserves the same
/// room on a tape every time reserves it once for all trips before the loop (trips × room), and a reverse loop whose
/// trips each make a reader (in either branch of a test, say) reads through one reader made before it. A mixture
/// component's trip then costs no reservation and no commit of its own; at a few values per trip those cost as much as
/// the pushes.
/// </summary>
/// <remarks>
/// The values land in the same slots and are popped in the same order: a trip's cursor started where the trip before
/// left the tape, which is where the shared cursor stands. So the loop body may use the tape only through that cursor
/// (nested loops may push or pop through it), call nothing (a callee's pullback uses the thread's tapes), and a
/// writer's room per trip must not depend on anything the body assigns. Loops are taken innermost first, so a cursor
/// moves out as far as the calls allow.
/// </remarks>
internal static class TapeCursorHoisting
{
    /// <summary>The statements with the cursors of counting loops' trips moved out of the loops, in every block.</summary>
    public static List<IrStatement> Apply(IReadOnlyList<IrStatement> statements)
    {
        var result = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            IrStatement inner = statement.MapBodies(block => new Block(Apply(block.Statements).ToEquatableArray()));
            if (inner is ForStatement loop && CanonicalLoop.MatchShape(loop) is { } counting)
            {
                result.AddRange(Hoist(loop, counting));
            }
            else
            {
                result.Add(inner);
            }
        }

        return result;
    }

    /// <summary>The loop with its trips' cursors moved out, one tape at a time, and the statements around it.</summary>
    private static List<IrStatement> Hoist(ForStatement loop, CanonicalLoop counting)
    {
        var before = new List<IrStatement>();
        var after = new List<IrStatement>();
        List<IrStatement> body = loop.Body.Statements.ToList();
        var tapes = new HashSet<string>();
        foreach (IrStatement statement in body)
        {
            CollectOpenings(statement, tapes);
        }

        foreach (string tape in tapes.OrderBy(t => t, System.StringComparer.Ordinal))
        {
            if (HoistWriter(body, tape, counting) is { } writer)
            {
                before.Add(writer);
                after.Insert(0, new TapeCommitStatement(writer.Writer));
            }
            else if (HoistReaders(body, tape) is { } reader)
            {
                before.Add(reader);
                after.Insert(0, new TapeCommitStatement(reader.Reader));
            }
        }

        before.Add(loop with { Body = new Block(body.ToEquatableArray()) });
        before.AddRange(after);
        return before;
    }

    /// <summary>
    /// Where the body's only use of <paramref name="tape"/> is one reservation at its top level, pushes through it and its
    /// commit: removes the reservation and the commit from <paramref name="body"/> and returns the reservation for all trips.
    /// </summary>
    private static TapeReserveStatement? HoistWriter(List<IrStatement> body, string tape, CanonicalLoop counting)
    {
        int opening = body.FindIndex(s => s is TapeReserveStatement r && r.Tape == tape);
        if (opening < 0)
        {
            return null;
        }

        var reserve = (TapeReserveStatement)body[opening];
        int commit = body.FindIndex(s => s is TapeCommitStatement c && c.Cursor == reserve.Writer);
        if (commit < opening)
        {
            return null;
        }

        for (int i = 0; i < body.Count; i++)
        {
            if (i != opening && i != commit && TapeCursorMerging.Touches(body[i], tape, cursorsAllowed: true))
            {
                return null;
            }
        }

        // The room is reserved before the first trip: it must be the same for every trip.
        var assigned = new HashSet<string> { counting.Counter };
        Variables.ForEachAssignment(new Block(body.ToEquatableArray()), 0, (assign, _) => assigned.Add(assign.Target));
        if (Variables.ReadBy(reserve.Count).Any(assigned.Contains))
        {
            return null;
        }

        body.RemoveAt(commit);
        body.RemoveAt(opening);
        return reserve with { Count = Expr.Multiply(TapeReservation.TripCount(counting), reserve.Count) };
    }

    /// <summary>
    /// Where the body uses <paramref name="tape"/> only through readers it makes (at its top level or in the branches of
    /// a test) and commits in the same block: removes them and their commits from <paramref name="body"/>, sends every pop
    /// through the first reader, and returns that reader, to be made before the loop.
    /// </summary>
    private static TapeReaderStatement? HoistReaders(List<IrStatement> body, string tape)
    {
        var readers = new List<TapeReaderStatement>();
        if (!OnlyThroughOwnReaders(body, tape, readers) || readers.Count == 0)
        {
            return null;
        }

        string shared = readers[0].Reader;
        var names = new HashSet<string>(readers.Select(r => r.Reader));
        List<IrStatement> rewritten = WithoutReaders(body, tape, names, shared);
        body.Clear();
        body.AddRange(rewritten);
        return readers[0];
    }

    /// <summary>
    /// Whether the statements touch <paramref name="tape"/> only by making readers of it (collected in
    /// <paramref name="readers"/>), committing them, and popping through cursors, and call nothing.
    /// </summary>
    private static bool OnlyThroughOwnReaders(IReadOnlyList<IrStatement> statements, string tape, List<TapeReaderStatement> readers)
    {
        var made = new HashSet<string>();
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case TapeReaderStatement reader when reader.Tape == tape:
                    readers.Add(reader);
                    made.Add(reader.Reader);
                    break;
                case TapeCommitStatement commit when readers.Any(r => r.Reader == commit.Cursor):
                    // Committed in the block that made it, so no path carries a reader of an earlier trip on.
                    if (!made.Remove(commit.Cursor))
                    {
                        return false;
                    }

                    break;
                case IfStatement branch:
                    if (ExpressionSearch.Contains(branch.Condition, e => e is CallExpression or ExternalValueExpression or TapePopExpression)
                        || !OnlyThroughOwnReaders(branch.Then.Statements, tape, readers)
                        || !OnlyThroughOwnReaders(branch.Else.Statements, tape, readers))
                    {
                        return false;
                    }

                    break;
                default:
                    if (TapeCursorMerging.Touches(statement, tape, cursorsAllowed: true))
                    {
                        return false;
                    }

                    break;
            }
        }

        return made.Count == 0;
    }

    /// <summary>The statements without the readers of <paramref name="names"/> and their commits, popping through <paramref name="shared"/>.</summary>
    private static List<IrStatement> WithoutReaders(IReadOnlyList<IrStatement> statements, string tape, HashSet<string> names, string shared)
    {
        var result = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case TapeReaderStatement reader when reader.Tape == tape && names.Contains(reader.Reader):
                case TapeCommitStatement commit when names.Contains(commit.Cursor):
                    break;
                case IfStatement branch:
                    result.Add(branch with
                    {
                        Then = new Block(WithoutReaders(branch.Then.Statements, tape, names, shared).ToEquatableArray()),
                        Else = new Block(WithoutReaders(branch.Else.Statements, tape, names, shared).ToEquatableArray()),
                    });
                    break;
                default:
                    IrStatement renamed = statement;
                    foreach (string name in names.Where(n => n != shared))
                    {
                        renamed = TapeCursorMerging.Rename(renamed, name, shared);
                    }

                    result.Add(renamed);
                    break;
            }
        }

        return result;
    }

    /// <summary>The tapes a statement reserves room on or makes a reader of, outside nested loops.</summary>
    private static void CollectOpenings(IrStatement statement, HashSet<string> tapes)
    {
        switch (statement)
        {
            case TapeReserveStatement reserve:
                tapes.Add(reserve.Tape);
                break;
            case TapeReaderStatement reader:
                tapes.Add(reader.Tape);
                break;
            case IfStatement branch:
                foreach (IrStatement inner in branch.Then.Statements.Concat(branch.Else.Statements))
                {
                    CollectOpenings(inner, tapes);
                }

                break;
        }
    }
}
