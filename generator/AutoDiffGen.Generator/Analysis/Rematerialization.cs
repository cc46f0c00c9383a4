using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Chooses values the reverse sweep recomputes instead of keeping on the tape (Enzyme's cache-or-recompute
/// by cost): a local assigned exactly once, whose value is an element of an array the method never writes
/// or a cheap int expression, over inputs that cannot change while the value is in use (unassigned
/// parameters, counters of canonical loops, other recomputed values), and read only later in the same
/// block. Reading <c>icf[k]</c> again costs a load; keeping it costs a push, a pop and tape memory.
/// </summary>
internal static class Rematerialization
{
    public static Dictionary<string, IrExpression> Find(MethodIr method, ISet<string> inductionVariables)
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
            }
        });

        var parameters = new HashSet<string>(method.Parameters.Select(p => p.Name));
        var chosen = new Dictionary<string, IrExpression>();
        bool Stable(string name) =>
            (parameters.Contains(name) && !assignments.ContainsKey(name)) || inductionVariables.Contains(name) || chosen.ContainsKey(name);

        void Visit(Block block)
        {
            for (int p = 0; p < block.Count; p++)
            {
                IrStatement statement = block.Statements[p];
                if (statement is AssignStatement { Value: var value } assign
                    && !parameters.Contains(assign.Target)
                    && assignments.TryGetValue(assign.Target, out int count) && count == 1
                    && IsCheap(value, written)
                    && Variables.ReadBy(value).All(Stable)
                    && !IsReadElsewhere(method.Body, assign.Target, block, p))
                {
                    chosen[assign.Target] = value;
                }

                foreach (Block nested in Nested(statement))
                {
                    Visit(nested);
                }
            }
        }

        Visit(method.Body);
        return chosen;
    }

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
            ReturnStatement { Value: { } value } ret => ret with { Value = S(value) },
            _ => statement,
        }).ToList().ToEquatableArray());
    }

    private static bool IsCheap(IrExpression value, HashSet<string> written) => value switch
    {
        ElementExpression element => !written.Contains(element.Array),
        _ => value.Type == ScalarType.Int && !ContainsCall(value),
    };

    private static bool ContainsCall(IrExpression expression) => expression switch
    {
        CallExpression or IntrinsicExpression => true,
        UnaryExpression unary => ContainsCall(unary.Operand),
        BinaryExpression binary => ContainsCall(binary.Left) || ContainsCall(binary.Right),
        CastExpression cast => ContainsCall(cast.Operand),
        ConditionalExpression conditional => ContainsCall(conditional.Condition) || ContainsCall(conditional.WhenTrue) || ContainsCall(conditional.WhenFalse),
        _ => false,
    };

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

    private static IEnumerable<Block> Nested(IrStatement statement) => statement switch
    {
        IfStatement branch => new[] { branch.Then, branch.Else },
        WhileStatement loop => new[] { loop.Body },
        DoWhileStatement loop => new[] { loop.Body },
        ForStatement loop => new[] { loop.Initializer, loop.Step, loop.Body },
        _ => Enumerable.Empty<Block>(),
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
