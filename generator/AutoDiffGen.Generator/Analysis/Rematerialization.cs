using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Derivatives;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Chooses values the reverse sweep recomputes instead of keeping on the tape (Enzyme's cache-or-recompute
/// by cost). Two kinds qualify:
/// <list type="bullet">
/// <item>Stable values: a local assigned exactly once, whose value is an element of an array the method never
/// writes or a cheap int expression, over inputs that cannot change while the value is in use (unassigned
/// parameters, counters of canonical loops, other stable values), and read only later in the same block.
/// Reading <c>icf[k]</c> again costs a load; keeping it costs a push, a pop and tape memory.</item>
/// <item>Step temporaries: inside a loop, a local assigned exactly once by a little arithmetic (<c>r * s</c>,
/// <c>1 - s</c>) and read only by later plain assignments of the same block, whose inputs nothing assigns in
/// between. The reverse sweep restores those inputs anyway, so it recomputes the temporary from them where
/// it is read. When the reading assignment overwrites one of the inputs (<c>s = _t0 * _t1</c>), its reverse
/// restores the old value first, then takes the partials: the loop then tapes only <c>s</c>, as a person
/// writing the gradient by hand would.</item>
/// </list>
/// </summary>
internal static class Rematerialization
{
    /// <summary>The most operations a step temporary may cost to recompute, after substitution.</summary>
    private const int MaxStepOperations = 4;

    /// <summary>What the reverse sweep recomputes, and which assignments restore their target before their partials.</summary>
    public sealed class Plan
    {
        /// <summary>Each recomputed local and its defining expression.</summary>
        public Dictionary<string, IrExpression> Chosen { get; } = new();

        /// <summary>The step temporaries among <see cref="Chosen"/>.</summary>
        public HashSet<string> StepTemporaries { get; } = new();

        /// <summary>Assignments whose reverse restores the overwritten value before computing partials.</summary>
        public HashSet<AssignStatement> RestoreFirst { get; } = new(ReferenceComparer<AssignStatement>.Instance);
    }

    public static Plan Find(MethodIr method, ISet<string> inductionVariables)
    {
        var assignments = new Dictionary<string, int>();
        var written = new HashSet<string>(method.Parameters.Where(p => p.IsOutput).Select(p => p.Name));
        Variables.ForEachSimpleStatement(method.Body, 0, (statement, _) =>
        {
            switch (statement)
            {
                case AssignStatement assign:
                    assignments[assign.Target] = assignments.TryGetValue(assign.Target, out int count) ? count + 1 : 1;
                    break;
                case ElementAssignStatement element:
                    written.Add(element.Array);
                    break;
                case AllocateArrayStatement allocation:
                    assignments[allocation.Name] = 2; // a fresh array each time it runs: never stable
                    break;
                case DeconstructStatement deconstruct:
                    foreach (string target in deconstruct.Targets)
                    {
                        assignments[target] = 2;
                    }

                    break;
            }
        });

        // Where each written array is written last, by top-level statement: a read in a later top-level statement
        // sees the final contents, and so does the reverse sweep (the restores of those writes come after it).
        var lastWrite = new Dictionary<string, int>();
        for (int top = 0; top < method.Body.Count; top++)
        {
            int position = top;
            Variables.ForEachSimpleStatement(new Block(EquatableArray.Create(method.Body.Statements[top])), 0, (statement, _) =>
            {
                foreach (string array in ArraysWrittenBy(statement))
                {
                    lastWrite[array] = position;
                }
            });
        }

        foreach (string output in method.Parameters.Where(p => p.IsOutput).Select(p => p.Name))
        {
            lastWrite[output] = int.MaxValue;
        }

        var parameters = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var plan = new Plan();
        var stable = new HashSet<string>();
        var firstPosition = new Dictionary<string, int>();
        bool Stable(string name) =>
            (parameters.Contains(name) && !assignments.ContainsKey(name)) || inductionVariables.Contains(name) || stable.Contains(name);

        void Visit(Block block, int loopDepth, int top)
        {
            for (int p = 0; p < block.Count; p++)
            {
                IrStatement statement = block.Statements[p];
                int position = ReferenceEquals(block, method.Body) ? p : top;
                bool WrittenOnlyBefore(string array) => written.Contains(array) && lastWrite.TryGetValue(array, out int last) && last < position;
                if (statement is AssignStatement { Accumulate: false, Value: var value } assign
                    && !parameters.Contains(assign.Target)
                    && assignments.TryGetValue(assign.Target, out int count) && count == 1)
                {
                    if (IsCheap(value, written, WrittenOnlyBefore)
                        && Variables.ReadBy(value).All(n => Stable(n) || (value is ElementExpression e && n == e.Array && WrittenOnlyBefore(n)))
                        && !IsReadElsewhere(method.Body, assign.Target, block, p))
                    {
                        plan.Chosen[assign.Target] = value;
                        stable.Add(assign.Target);
                    }
                    else if (loopDepth > 0 && value.Type.IsDifferentiable() && IsArithmetic(value, written))
                    {
                        TryChooseStepTemporary(method, block, p, assign, plan, firstPosition);
                    }
                }

                foreach ((Block nested, int depth) in Nested(statement, loopDepth))
                {
                    Visit(nested, depth, position);
                }
            }
        }

        Visit(method.Body, 0, 0);
        return plan;
    }

    /// <summary>
    /// Chooses the step temporary assigned at <paramref name="p"/> if every statement that reads it is a later
    /// plain assignment of the same block, none of its inputs is assigned between its definition and that
    /// read, and a read that overwrites an input can restore it before taking its partials.
    /// </summary>
    private static void TryChooseStepTemporary(MethodIr method, Block block, int p, AssignStatement assign, Plan plan, Dictionary<string, int> firstPosition)
    {
        string name = assign.Target;
        IrExpression definition = Substitute(assign.Value, plan.Chosen);
        if (Operations(definition) > MaxStepOperations || IsReadElsewhere(method.Body, name, block, p))
        {
            return;
        }

        // The earliest definition the recomputation reaches back to: inputs must hold still from there on.
        int first = Variables.ReadBy(assign.Value).Where(firstPosition.ContainsKey).Select(n => firstPosition[n]).DefaultIfEmpty(p).Min();
        first = System.Math.Min(first, p);
        HashSet<string> inputs = Variables.ReadBy(definition);
        var restoreFirst = new List<AssignStatement>();
        var assignedSince = new HashSet<string>();
        for (int q = first + 1; q < block.Count; q++)
        {
            IrStatement reader = block.Statements[q];
            if (q > p && ReadsOf(reader).Contains(name))
            {
                if (reader is not AssignStatement use)
                {
                    return;
                }

                // Only a reverse that reads the temporary (a partial of `a * _t0`, not of `a - _t0`) recomputes it,
                // and there its inputs must still hold the values they had when it was defined.
                if (ReverseReads(use).Contains(name))
                {
                    if (assignedSince.Overlaps(inputs))
                    {
                        return;
                    }

                    if (inputs.Contains(use.Target) && !plan.RestoreFirst.Contains(use))
                    {
                        if (!CanRestoreFirst(use))
                        {
                            return;
                        }

                        restoreFirst.Add(use);
                    }
                }
            }

            Variables.ForEachSimpleStatement(new Block(EquatableArray.Create(reader)), 0, (statement, _) =>
            {
                switch (statement)
                {
                    case AssignStatement a: assignedSince.Add(a.Target); break;
                    case ElementAssignStatement e: assignedSince.Add(e.Array); break;
                    case AllocateArrayStatement a: assignedSince.Add(a.Name); break;
                    case DeconstructStatement d: assignedSince.UnionWith(d.Targets); break;
                }
            });
        }

        plan.Chosen[name] = assign.Value;
        plan.StepTemporaries.Add(name);
        plan.RestoreFirst.UnionWith(restoreFirst);
        firstPosition[name] = first;
    }

    /// <summary>
    /// Whether an assignment's reverse may restore the value it overwrote before taking its partials: its
    /// partials read only its operands (an operand it does not overwrite), never its own result.
    /// </summary>
    private static bool CanRestoreFirst(AssignStatement assign)
    {
        if (assign.Accumulate || assign.Value is not (BinaryExpression or UnaryExpression or CastExpression or IntrinsicExpression or VariableExpression))
        {
            return false;
        }

        var result = new VariableExpression(assign.Target, assign.Value.Type);
        var reads = new HashSet<string>();
        foreach (IrExpression? partial in DerivativeRules.Partials(assign.Value, result))
        {
            Variables.CollectReads(partial, reads);
        }

        return !reads.Contains(assign.Target) && !Variables.ReadBy(assign.Value).Contains(assign.Target);
    }

    /// <summary>What the reverse sweep of an assignment may read: its partials, an element's indices, a callee's arguments.</summary>
    private static HashSet<string> ReverseReads(AssignStatement assign)
    {
        var reads = new HashSet<string>();
        switch (assign.Value)
        {
            case BinaryExpression or UnaryExpression or CastExpression or IntrinsicExpression or VariableExpression or ConstantExpression:
                foreach (IrExpression? partial in DerivativeRules.Partials(assign.Value, new VariableExpression(assign.Target, assign.Value.Type)))
                {
                    Variables.CollectReads(partial, reads);
                }

                break;
            default:
                // Calls, element reads and anything else: assume the reverse reads every operand.
                Variables.CollectReads(assign.Value, reads);
                break;
        }

        return reads;
    }

    private static HashSet<string> ReadsOf(IrStatement statement)
    {
        var reads = new HashSet<string>();
        Variables.CollectReads(new Block(EquatableArray.Create(statement)), reads);
        return reads;
    }

    /// <summary>A little arithmetic: + - * / and negation over locals, constants and elements of arrays the method never writes.</summary>
    private static bool IsArithmetic(IrExpression value, HashSet<string> written) => value switch
    {
        VariableExpression or ConstantExpression => true,
        UnaryExpression { Operator: UnaryOperator.Negate } unary => IsArithmetic(unary.Operand, written),
        BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide } binary
            => IsArithmetic(binary.Left, written) && IsArithmetic(binary.Right, written),
        CastExpression cast => IsArithmetic(cast.Operand, written),
        ElementExpression element => !written.Contains(element.Array) && element.Indices.All(i => i.Type == ScalarType.Int && !ContainsCall(i)),
        _ => false,
    };

    private static int Operations(IrExpression expression) => expression switch
    {
        UnaryExpression unary => 1 + Operations(unary.Operand),
        BinaryExpression binary => 1 + Operations(binary.Left) + Operations(binary.Right),
        CastExpression cast => Operations(cast.Operand),
        ElementExpression element => 1 + element.Indices.Sum(Operations),
        _ => 0,
    };

    /// <summary>Replaces recomputed variables by their defining expressions, recursively.</summary>
    public static IrExpression Substitute(IrExpression expression, IReadOnlyDictionary<string, IrExpression> chosen)
    {
        if (chosen.Count == 0)
        {
            return expression;
        }

        IrExpression S(IrExpression e) => Substitute(e, chosen);
        return expression switch
        {
            VariableExpression variable when chosen.TryGetValue(variable.Name, out IrExpression? definition) => S(definition),
            UnaryExpression unary => unary with { Operand = S(unary.Operand) },
            BinaryExpression binary => binary with { Left = S(binary.Left), Right = S(binary.Right) },
            IntrinsicExpression intrinsic => intrinsic with { Arguments = intrinsic.Arguments.Select(S).ToList().ToEquatableArray() },
            CallExpression call => call with { Arguments = call.Arguments.Select(S).ToList().ToEquatableArray() },
            CastExpression cast => cast with { Operand = S(cast.Operand) },
            ConditionalExpression conditional => conditional with { Condition = S(conditional.Condition), WhenTrue = S(conditional.WhenTrue), WhenFalse = S(conditional.WhenFalse) },
            MemberAccessExpression member => member with { Target = S(member.Target) },
            ElementExpression element => element with { Indices = element.Indices.Select(S).ToList().ToEquatableArray() },
            TupleExpression tuple => tuple with { Elements = tuple.Elements.Select(S).ToList().ToEquatableArray() },
            _ => expression,
        };
    }

    /// <summary>Substitutes in every expression of a statement list (the reverse sweep).</summary>
    public static Block Substitute(Block block, IReadOnlyDictionary<string, IrExpression> chosen)
    {
        if (chosen.Count == 0)
        {
            return block;
        }

        IrExpression S(IrExpression e) => Substitute(e, chosen);
        Block B(Block b) => Substitute(b, chosen);
        return new Block(block.Statements.Select(statement => statement switch
        {
            AssignStatement assign => assign with { Value = S(assign.Value) },
            ElementAssignStatement element => element with { Indices = element.Indices.Select(S).ToList().ToEquatableArray(), Value = S(element.Value) },
            DeclareStatement declare => declare with { Initializer = S(declare.Initializer) },
            CallStatement call => call with { Value = S(call.Value) },
            IfStatement branch => new IfStatement(S(branch.Condition), B(branch.Then), B(branch.Else)),
            WhileStatement loop => new WhileStatement(S(loop.Condition), B(loop.Body)),
            DoWhileStatement loop => new DoWhileStatement(B(loop.Body), S(loop.Condition)),
            ForStatement loop => new ForStatement(B(loop.Initializer), loop.Condition is null ? null : S(loop.Condition), B(loop.Step), B(loop.Body)),
            TapePushStatement push => push with { Value = S(push.Value) },
            TapeReserveStatement reserve => reserve with { Count = S(reserve.Count) },
            ReturnStatement { Value: { } value } ret => ret with { Value = S(value) },
            _ => statement,
        }).ToList().ToEquatableArray());
    }

    /// <summary>Arrays a statement writes: element stores, allocations, and arrays a call fills through a Span or array parameter.</summary>
    private static IEnumerable<string> ArraysWrittenBy(IrStatement statement)
    {
        switch (statement)
        {
            case ElementAssignStatement element:
                yield return element.Array;
                break;
            case AllocateArrayStatement allocation:
                yield return allocation.Name;
                break;
            case AssignStatement assign:
                yield return assign.Target; // an array variable pointed elsewhere
                break;
        }

        static IEnumerable<CallExpression> CallsIn(IrExpression? expression) => expression is null
            ? Enumerable.Empty<CallExpression>()
            : ExpressionSearch.Children(expression).SelectMany(CallsIn).Concat(expression is CallExpression call ? new[] { call } : Enumerable.Empty<CallExpression>());

        IrExpression? value = statement switch
        {
            AssignStatement assign => assign.Value,
            DeconstructStatement deconstruct => deconstruct.Value,
            CallStatement call => call.Value,
            _ => null,
        };
        foreach (CallExpression call in CallsIn(value))
        {
            for (int i = 0; i < call.Arguments.Count && i < call.Target.Parameters.Count; i++)
            {
                if (call.Arguments[i] is ArrayReferenceExpression array && call.Target.Parameters[i].Array?.Kind is ArrayKind.Span or ArrayKind.Array)
                {
                    yield return array.Name;
                }
            }
        }
    }

    /// <summary>
    /// An element of an array nothing writes from here on (never written, or <paramref name="writtenOnlyBefore"/>: only
    /// by earlier top-level statements), or a call-free int expression.
    /// </summary>
    private static bool IsCheap(IrExpression value, HashSet<string> written, System.Func<string, bool> writtenOnlyBefore) => value switch
    {
        ElementExpression element => !written.Contains(element.Array) || writtenOnlyBefore(element.Array),
        _ => value.Type == ScalarType.Int && !ContainsCall(value),
    };

    private static bool ContainsCall(IrExpression expression) =>
        ExpressionSearch.Contains(expression, e => e is CallExpression or IntrinsicExpression);

    /// <summary>Whether <paramref name="name"/> is read anywhere but in the statements after index <paramref name="p"/> of <paramref name="home"/>.</summary>
    private static bool IsReadElsewhere(Block body, string name, Block home, int p)
    {
        bool found = false;
        void Visit(Block block)
        {
            for (int q = 0; q < block.Count && !found; q++)
            {
                IrStatement statement = block.Statements[q];
                if (ReferenceEquals(block, home) && q > p)
                {
                    continue;
                }

                var reads = new HashSet<string>();
                Variables.CollectReads(new Block(EquatableArray.Create(WithoutNested(statement))), reads);
                found |= reads.Contains(name);
                foreach (Block nested in Nested(statement))
                {
                    Visit(nested);
                }
            }
        }

        Visit(body);
        return found;
    }

    private static IEnumerable<Block> Nested(IrStatement statement) => Nested(statement, 0).Select(n => n.Block);

    private static IEnumerable<(Block Block, int LoopDepth)> Nested(IrStatement statement, int loopDepth) => statement switch
    {
        IfStatement branch => new[] { (branch.Then, loopDepth), (branch.Else, loopDepth) },
        WhileStatement loop => new[] { (loop.Body, loopDepth + 1) },
        DoWhileStatement loop => new[] { (loop.Body, loopDepth + 1) },
        ForStatement loop => new[] { (loop.Initializer, loopDepth), (loop.Step, loopDepth + 1), (loop.Body, loopDepth + 1) },
        _ => Enumerable.Empty<(Block, int)>(),
    };

    /// <summary>A compound statement with its nested blocks emptied: only its own conditions are read.</summary>
    private static IrStatement WithoutNested(IrStatement statement) => statement switch
    {
        IfStatement branch => branch with { Then = Block.Empty, Else = Block.Empty },
        WhileStatement loop => loop with { Body = Block.Empty },
        DoWhileStatement loop => loop with { Body = Block.Empty },
        ForStatement loop => loop with { Initializer = Block.Empty, Step = Block.Empty, Body = Block.Empty },
        _ => statement,
    };
}
