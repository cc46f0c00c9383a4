using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Gives a call-free loop's carried floating-point and integer values locals of their own for the loop's duration
/// (<c>s_loop = s; for (...) { ... s_loop ... } s = s_loop;</c>). A value that is also live across a call
/// elsewhere in the method gets a stack home from the JIT (x64 has no callee-saved vector registers on Linux,
/// and a gradient has more live integers than the five callee-saved general registers), and the JIT then sends it
/// through memory on every trip; a local that lives only inside the loop stays in a register. A running index such
/// as the GMM's <c>lowerIndex++</c> (stepped back by <c>lowerIndex--</c> in the reverse sweep) was a load, a
/// decrement and a store per trip of the triangle's inner loop before it got its own local.
/// </summary>
/// <remarks>
/// Where the statements just before the loop compute a carried value last (<c>_d_r = _t3 * _d_t2; ... _d_r_loop = _d_r;</c>),
/// that computation moves into the copy-in (<c>_d_r_loop = _t3 * _d_t2;</c>), and copy-ins that call a math function come
/// first. Then no call separates a carried value's definition from the loop: a value defined before a call has a
/// stack home, and the JIT kept it there for the whole loop.
/// </remarks>
internal static class LoopCarriedLocals
{
    /// <summary>
    /// Rewrites the outermost call-free loops of <paramref name="statements"/>; <paramref name="declare"/> declares the
    /// loop's local for a variable and returns its name.
    /// </summary>
    public static List<IrStatement> Apply(List<IrStatement> statements, Func<string, string> declare, IReadOnlyDictionary<string, ScalarType> types)
    {
        var output = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            switch (statement)
            {
                case ForStatement or WhileStatement or DoWhileStatement when !ContainsCall(statement):
                    var carried = Carried(statement, types);
                    if (carried.Count == 0)
                    {
                        output.Add(statement);
                        break;
                    }

                    var renames = carried.ToDictionary(name => name, name => declare(name));
                    output.AddRange(CopyIns(output, carried, renames, types));
                    output.Add(Rename(statement, renames, types));
                    output.AddRange(carried.Select(name => new AssignStatement(name, Expr.Var(renames[name], types[name]))));
                    break;
                case ForStatement loop:
                    output.Add(loop with { Body = Nested(loop.Body, declare, types) });
                    break;
                case WhileStatement loop:
                    output.Add(loop with { Body = Nested(loop.Body, declare, types) });
                    break;
                case DoWhileStatement loop:
                    output.Add(loop with { Body = Nested(loop.Body, declare, types) });
                    break;
                case IfStatement branch:
                    output.Add(new IfStatement(branch.Condition, Nested(branch.Then, declare, types), Nested(branch.Else, declare, types)));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }

        return output;
    }

    /// <summary>
    /// The assignments that give the loop's locals their first values, in order. A carried variable's last definition
    /// in <paramref name="before"/> moves into its copy-in (and out of <paramref name="before"/>) when only plain
    /// assignments follow it that neither mention the variable nor change what the definition reads, and it reads
    /// only scalars (no element, pop or method call, which could not move). The definitions that call a math function
    /// come first, then the plain copies, then the other definitions.
    /// </summary>
    private static IEnumerable<IrStatement> CopyIns(List<IrStatement> before, List<string> carried, Dictionary<string, string> renames, IReadOnlyDictionary<string, ScalarType> types)
    {
        var moved = new Dictionary<string, IrExpression>();
        foreach (string name in carried)
        {
            int definition = before.FindLastIndex(s => s is AssignStatement { Accumulate: false } assign && assign.Target == name);
            if (definition < 0)
            {
                continue;
            }

            IrExpression value = ((AssignStatement)before[definition]).Value;
            HashSet<string> reads = Variables.ReadBy(value);
            // A definition that moved already may read this variable: then this one stays where it is.
            bool movable = IsScalarArithmetic(value) && !reads.Contains(name) && !moved.Values.Any(m => Variables.ReadBy(m).Contains(name)) && before.Skip(definition + 1).All(later => later switch
            {
                AssignStatement assign => assign.Target != name && !reads.Contains(assign.Target) && !Variables.ReadBy(assign.Value).Contains(name),
                TapeReserveStatement reserve => !Variables.ReadBy(reserve.Count).Contains(name),
                CommentStatement or TapeReaderStatement => true,
                _ => false,
            });
            if (movable)
            {
                moved[name] = value;
                before.RemoveAt(definition);
            }
        }

        IrStatement CopyIn(string name) => new AssignStatement(renames[name], moved.TryGetValue(name, out IrExpression? value) ? value : Expr.Var(name, types[name]));
        return carried.Where(name => moved.TryGetValue(name, out IrExpression? value) && Calls(value))
            .Concat(carried.Where(name => !moved.ContainsKey(name)))
            .Concat(carried.Where(name => moved.TryGetValue(name, out IrExpression? value) && !Calls(value)))
            .Select(CopyIn)
            .ToList();
    }

    /// <summary>Whether an expression reads only scalar variables and constants through operators and math functions.</summary>
    private static bool IsScalarArithmetic(IrExpression expression) =>
        !ExpressionSearch.Contains(expression, e => e is not (ConstantExpression or VariableExpression or UnaryExpression or BinaryExpression
            or IntrinsicExpression or CastExpression or ConditionalExpression));

    private static Block Nested(Block block, Func<string, string> declare, IReadOnlyDictionary<string, ScalarType> types) =>
        new(Apply(block.Statements.ToList(), declare, types).ToEquatableArray());

    /// <summary>
    /// Floating-point and integer scalars the loop assigns whose value flows in from before it or from trip to trip;
    /// not an integer counter a for loop's own step moves (<c>_trips0--</c>), which the JIT keeps in a register as it is.
    /// </summary>
    private static List<string> Carried(IrStatement loop, IReadOnlyDictionary<string, ScalarType> types)
    {
        var assigned = new HashSet<string>();
        Variables.ForEachAssignment(new Block(EquatableArray.Create(loop)), 0, (assign, _) => assigned.Add(assign.Target));
        if (loop is ForStatement counting)
        {
            assigned.ExceptWith(counting.Step.Statements.OfType<AssignStatement>()
                .Where(step => types.TryGetValue(step.Target, out ScalarType type) && type == ScalarType.Int)
                .Select(step => step.Target));
        }

        HashSet<string> exposed = KnownZeroAdjoints.UpwardExposed(new[] { loop });
        return assigned
            .Where(name => exposed.Contains(name) && types.TryGetValue(name, out ScalarType type) && type is ScalarType.Float or ScalarType.Double or ScalarType.Int)
            .OrderBy(name => name, StringComparer.Ordinal)
            .ToList();
    }

    /// <summary>Whether the loop calls anything that returns: a method, a math function, a growing push, a rent.</summary>
    private static bool ContainsCall(IrStatement loop)
    {
        bool found = false;
        Variables.ForEachSimpleStatement(new Block(EquatableArray.Create(loop)), 0, (statement, _) =>
        {
            found |= statement switch
            {
                TapePushStatement push => push.Writer is null || Calls(push.Value),
                AssignStatement assign => Calls(assign.Value),
                ElementAssignStatement element => Calls(element.Value) || element.Indices.Any(Calls),
                AllocateArrayStatement or CallStatement or DeconstructStatement or TapeReserveStatement or TapeReaderStatement or TapeCommitStatement
                    or ReleaseScratchStatement or CopyArrayStatement => true,
                _ => false,
            };
        });
        return found || Conditions(loop).Any(Calls);
    }

    private static IEnumerable<IrExpression> Conditions(IrStatement statement) => statement switch
    {
        ForStatement { Condition: { } condition } loop => new[] { condition }.Concat(loop.Body.Statements.SelectMany(Conditions)),
        ForStatement loop => loop.Body.Statements.SelectMany(Conditions),
        WhileStatement loop => new[] { loop.Condition }.Concat(loop.Body.Statements.SelectMany(Conditions)),
        DoWhileStatement loop => new[] { loop.Condition }.Concat(loop.Body.Statements.SelectMany(Conditions)),
        IfStatement branch => new[] { branch.Condition }.Concat(branch.Then.Statements.Concat(branch.Else.Statements).SelectMany(Conditions)),
        _ => Enumerable.Empty<IrExpression>(),
    };

    /// <summary>Math functions the JIT turns into instructions are not calls; the others are.</summary>
    private static bool Calls(IrExpression expression) =>
        ExpressionSearch.Contains(expression, e => e is CallExpression
            || e is IntrinsicExpression { Function: not (Intrinsic.Abs or Intrinsic.Max or Intrinsic.Min or Intrinsic.Sqrt or Intrinsic.Floor or Intrinsic.Ceiling or Intrinsic.Truncate or Intrinsic.StopGradient) });

    /// <summary>The loop with every read and assignment of a renamed variable pointing at its new local.</summary>
    private static IrStatement Rename(IrStatement statement, Dictionary<string, string> renames, IReadOnlyDictionary<string, ScalarType> types)
    {
        var substitutions = renames.ToDictionary(r => r.Key, r => (IrExpression)Expr.Var(r.Value, types[r.Key]));
        Block substituted = Rematerialization.Substitute(new Block(EquatableArray.Create(statement)), substitutions);
        return RenameTargets(substituted, renames).Statements[0];
    }

    private static Block RenameTargets(Block block, Dictionary<string, string> renames) =>
        new(block.Statements.Select(statement => statement switch
        {
            AssignStatement assign when renames.TryGetValue(assign.Target, out string? target) => assign with { Target = target },
            IfStatement branch => new IfStatement(branch.Condition, RenameTargets(branch.Then, renames), RenameTargets(branch.Else, renames)),
            ForStatement loop => loop with { Initializer = RenameTargets(loop.Initializer, renames), Step = RenameTargets(loop.Step, renames), Body = RenameTargets(loop.Body, renames) },
            WhileStatement loop => loop with { Body = RenameTargets(loop.Body, renames) },
            DoWhileStatement loop => loop with { Body = RenameTargets(loop.Body, renames) },
            _ => statement,
        }).ToList().ToEquatableArray());
}
