using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Gives a call-free loop's carried floating-point values locals of their own for the loop's duration
/// (<c>s_loop = s; for (...) { ... s_loop ... } s = s_loop;</c>). A value that is also live across a call
/// elsewhere in the method gets a stack home from the JIT (x64 has no callee-saved vector registers on Linux),
/// and the JIT then sends it through memory on every trip; a local that lives only inside the loop stays in
/// a register.
/// </summary>
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
                    output.AddRange(carried.Select(name => new AssignStatement(renames[name], Expr.Var(name, types[name]))));
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

    private static Block Nested(Block block, Func<string, string> declare, IReadOnlyDictionary<string, ScalarType> types) =>
        new(Apply(block.Statements.ToList(), declare, types).ToEquatableArray());

    /// <summary>Floating-point scalars the loop assigns whose value flows in from before it or from trip to trip.</summary>
    private static List<string> Carried(IrStatement loop, IReadOnlyDictionary<string, ScalarType> types)
    {
        var assigned = new HashSet<string>();
        Variables.ForEachAssignment(new Block(EquatableArray.Create(loop)), 0, (assign, _) => assigned.Add(assign.Target));
        HashSet<string> exposed = KnownZeroAdjoints.UpwardExposed(new[] { loop });
        return assigned
            .Where(name => exposed.Contains(name) && types.TryGetValue(name, out ScalarType type) && type is ScalarType.Float or ScalarType.Double)
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
                TapePushStatement push => !push.Reserved || Calls(push.Value),
                AssignStatement assign => Calls(assign.Value),
                ElementAssignStatement element => Calls(element.Value) || element.Indices.Any(Calls),
                AllocateArrayStatement or CallStatement or DeconstructStatement or TapeReserveStatement or ReleaseScratchStatement or CopyArrayStatement => true,
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
            || e is IntrinsicExpression { Function: not (Intrinsic.Abs or Intrinsic.Max or Intrinsic.Min or Intrinsic.Sqrt or Intrinsic.Floor or Intrinsic.Ceiling or Intrinsic.Truncate) });

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
