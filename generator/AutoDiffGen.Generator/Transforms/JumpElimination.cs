using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Rewrites early <c>return</c>, <c>break</c> and <c>continue</c> into flag variables and guarded blocks,
/// so that the method ends in its one <c>return</c> and loops leave only through their condition. The
/// reverse sweep then only has to replay if/else and loop trip counts. Methods without early jumps
/// (the common case) pass through unchanged.
/// </summary>
internal sealed class JumpElimination
{
    private readonly MethodIr _method;
    private readonly NameAllocator _names;
    private readonly List<LocalIr> _addedLocals = new();
    private string? _result;
    private string? _returned;

    private JumpElimination(MethodIr method, NameAllocator names)
    {
        _method = method;
        _names = names;
    }

    public static MethodIr Apply(MethodIr method, NameAllocator names)
    {
        if (HasOnlyTailReturn(method.Body) || (!method.ReturnsValue && !method.Body.Statements.Any(ContainsJump)))
        {
            return method;
        }

        return new JumpElimination(method, names).Run();
    }

    private static bool HasOnlyTailReturn(Block body)
    {
        if (body.IsEmpty || body.Statements[body.Count - 1] is not ReturnStatement)
        {
            return false;
        }

        return !body.Statements.Take(body.Count - 1).Any(ContainsJump);
    }

    private static bool ContainsJump(IrStatement statement) => statement switch
    {
        ReturnStatement or BreakStatement or ContinueStatement => true,
        IfStatement branch => branch.Then.Statements.Any(ContainsJump) || branch.Else.Statements.Any(ContainsJump),
        WhileStatement loop => loop.Body.Statements.Any(ContainsJump),
        DoWhileStatement loop => loop.Body.Statements.Any(ContainsJump),
        ForStatement loop => loop.Body.Statements.Any(ContainsJump),
        _ => false,
    };

    private MethodIr Run()
    {
        if (_method.ReturnsValue)
        {
            _result = _names.Allocate("_result");
            _addedLocals.Add(new LocalIr(_result, _method.ReturnType));
        }

        Block body = TransformBlock(_method.Body, null, out _);
        if (_result is not null)
        {
            body = new Block(body.Statements.Add(new ReturnStatement(Expr.Var(_result, _method.ReturnType))));
        }

        // Drop flags nothing reads (e.g. `if (c) return a; else return b;` needs no "returned" flag).
        var reads = new HashSet<string>();
        Variables.CollectReads(body, reads);
        var unread = new HashSet<string>(_addedLocals.Where(l => l.Type == ScalarType.Bool && !reads.Contains(l.Name)).Select(l => l.Name));
        body = RemoveAssignments(body, unread);
        var locals = _method.Locals.Concat(_addedLocals.Where(l => !unread.Contains(l.Name))).ToEquatableArray();
        return _method with { Body = body, Locals = locals };
    }

    private sealed class LoopFlags
    {
        public string? Break;
        public string? Continue;
    }

    private Block TransformBlock(Block block, LoopFlags? loop, out HashSet<string> flags)
    {
        var output = new List<IrStatement>();
        flags = new HashSet<string>();
        for (int i = 0; i < block.Count; i++)
        {
            var statementFlags = new HashSet<string>();
            output.AddRange(TransformStatement(block.Statements[i], loop, statementFlags));
            flags.UnionWith(statementFlags);
            if (statementFlags.Count > 0 && i + 1 < block.Count)
            {
                // Whatever follows a statement that may have jumped runs only if it did not.
                Block rest = TransformBlock(new Block(block.Statements.Skip(i + 1).ToEquatableArray()), loop, out HashSet<string> restFlags);
                flags.UnionWith(restFlags);
                if (!rest.IsEmpty)
                {
                    output.Add(new IfStatement(NoneSet(statementFlags), rest, Block.Empty));
                }

                break;
            }
        }

        return new Block(output.ToEquatableArray());
    }

    private IEnumerable<IrStatement> TransformStatement(IrStatement statement, LoopFlags? loop, HashSet<string> flags)
    {
        switch (statement)
        {
            case ReturnStatement ret:
                _returned ??= AddFlag("_returned");
                flags.Add(_returned);
                return ret.Value is null
                    ? new IrStatement[] { SetFlag(_returned, true) }
                    : new IrStatement[] { new AssignStatement(_result!, ret.Value), SetFlag(_returned, true) };

            case BreakStatement:
                loop!.Break ??= AddFlag("_break");
                flags.Add(loop.Break);
                return new[] { SetFlag(loop.Break, true) };

            case ContinueStatement:
                loop!.Continue ??= AddFlag("_continue");
                flags.Add(loop.Continue);
                return new[] { SetFlag(loop.Continue, true) };

            case IfStatement branch:
                Block then = TransformBlock(branch.Then, loop, out HashSet<string> thenFlags);
                Block otherwise = TransformBlock(branch.Else, loop, out HashSet<string> elseFlags);
                flags.UnionWith(thenFlags);
                flags.UnionWith(elseFlags);
                return new[] { new IfStatement(branch.Condition, then, otherwise) };

            case WhileStatement whileLoop:
                return TransformLoop(whileLoop.Condition, whileLoop.Body, flags, (condition, body) => new WhileStatement(condition, body));

            case DoWhileStatement doLoop:
                return TransformLoop(doLoop.Condition, doLoop.Body, flags, (condition, body) => new DoWhileStatement(body, condition));

            case ForStatement forLoop:
                return TransformFor(forLoop, flags);

            default:
                return new[] { statement };
        }
    }

    private IEnumerable<IrStatement> TransformLoop(
        IrExpression condition,
        Block body,
        HashSet<string> flags,
        System.Func<IrExpression, Block, IrStatement> rebuild)
    {
        var loop = new LoopFlags();
        Block newBody = TransformBlock(body, loop, out HashSet<string> bodyFlags);
        var output = new List<IrStatement>();
        newBody = ResetContinue(loop, newBody);
        List<string> exits = Exits(loop, bodyFlags);
        if (loop.Break is not null)
        {
            output.Add(SetFlag(loop.Break, false));
        }

        output.Add(rebuild(exits.Count == 0 ? condition : AndAlso(NoneSet(exits), condition), newBody));
        PropagateReturn(bodyFlags, flags);
        return output;
    }

    private IEnumerable<IrStatement> TransformFor(ForStatement forLoop, HashSet<string> flags)
    {
        var loop = new LoopFlags();
        Block body = TransformBlock(forLoop.Body, loop, out HashSet<string> bodyFlags);
        body = ResetContinue(loop, body);
        List<string> exits = Exits(loop, bodyFlags);
        PropagateReturn(bodyFlags, flags);
        if (exits.Count == 0)
        {
            return new[] { forLoop with { Body = body } };
        }

        // A break or return must skip the step, as in C#: the for loop becomes a while loop.
        var output = new List<IrStatement>(forLoop.Initializer.Statements);
        if (loop.Break is not null)
        {
            output.Add(SetFlag(loop.Break, false));
        }

        IrExpression condition = forLoop.Condition is null ? NoneSet(exits) : AndAlso(NoneSet(exits), forLoop.Condition);
        if (!forLoop.Step.IsEmpty)
        {
            body = new Block(body.Statements.Add(new IfStatement(NoneSet(exits), forLoop.Step, Block.Empty)));
        }

        output.Add(new WhileStatement(condition, body));
        return output;
    }

    private static Block ResetContinue(LoopFlags loop, Block body) =>
        loop.Continue is null ? body : new Block(new IrStatement[] { SetFlag(loop.Continue, false) }.Concat(body.Statements).ToEquatableArray());

    private List<string> Exits(LoopFlags loop, HashSet<string> bodyFlags) =>
        new[] { loop.Break, _returned }.Where(f => f is not null && bodyFlags.Contains(f)).Select(f => f!).ToList();

    private void PropagateReturn(HashSet<string> bodyFlags, HashSet<string> flags)
    {
        if (_returned is not null && bodyFlags.Contains(_returned))
        {
            flags.Add(_returned);
        }
    }

    private string AddFlag(string preferred)
    {
        string name = _names.Allocate(preferred);
        _addedLocals.Add(new LocalIr(name, ScalarType.Bool));
        return name;
    }

    private static AssignStatement SetFlag(string flag, bool value) =>
        new(flag, ConstantExpression.Of(value ? 1 : 0, ScalarType.Bool));

    private static IrExpression NoneSet(IEnumerable<string> flags) =>
        flags.OrderBy(f => f, System.StringComparer.Ordinal)
            .Select(f => Expr.Not(Expr.Var(f, ScalarType.Bool)))
            .Aggregate(AndAlso);

    private static IrExpression AndAlso(IrExpression left, IrExpression right) =>
        right is ConstantExpression { Value: 1, Type: ScalarType.Bool } ? left : Expr.And(left, right);

    private static Block RemoveAssignments(Block block, HashSet<string> targets)
    {
        var output = new List<IrStatement>();
        foreach (IrStatement statement in block.Statements)
        {
            IrStatement? kept = statement switch
            {
                AssignStatement assign when targets.Contains(assign.Target) => null,
                IfStatement branch => branch with { Then = RemoveAssignments(branch.Then, targets), Else = RemoveAssignments(branch.Else, targets) },
                WhileStatement loop => loop with { Body = RemoveAssignments(loop.Body, targets) },
                DoWhileStatement loop => loop with { Body = RemoveAssignments(loop.Body, targets) },
                ForStatement loop => loop with { Body = RemoveAssignments(loop.Body, targets) },
                _ => statement,
            };
            if (kept is not null)
            {
                output.Add(kept);
            }
        }

        return new Block(output.ToEquatableArray());
    }
}
