using System.Collections.Generic;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>How a stretch of code uses a variable; a variable may be used in several ways.</summary>
[System.Flags]
internal enum Use
{
    None = 0,

    /// <summary>Its value is read.</summary>
    Read = 1,

    /// <summary>It (or an element of it) is overwritten.</summary>
    Write = 2,

    /// <summary>Something is only added into it (<c>x += e</c>, <c>x = x + e</c>, an adjoint buffer a backward core adds into).</summary>
    Accumulate = 4,

    /// <summary>Its value is pushed on a tape, to be restored by the reverse sweep.</summary>
    Saved = 8,
}

/// <summary>
/// Every variable a list of statements reads, overwrites or only adds into, control flow included. Telling
/// additions apart from other writes is what lets a transform reorder two stretches of code that both add
/// into the same adjoint: additions commute.
/// </summary>
internal sealed class StatementUses
{
    private readonly Dictionary<string, Use> _uses = new();

    /// <summary>Whether the code holds something this analysis cannot see through (code given as text).</summary>
    public bool HasUnknown { get; private set; }

    public Use this[string name] => _uses.TryGetValue(name, out Use use) ? use : Use.None;

    public IEnumerable<string> Names => _uses.Keys;

    public bool Mentions(string name) => _uses.ContainsKey(name);

    public static StatementUses Of(IEnumerable<IrStatement> statements)
    {
        var uses = new StatementUses();
        uses.AddAll(statements);
        return uses;
    }

    /// <summary>
    /// <c>s = s + e</c>, <c>s = e + s</c> or <c>s = s - e</c> with <c>e</c> free of <c>s</c>: the part added in, else null.
    /// </summary>
    public static IrExpression? SelfAccumulation(AssignStatement assign)
    {
        if (assign.Accumulate || assign.Value is not BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } sum)
        {
            return null;
        }

        bool IsTarget(IrExpression e) => e is VariableExpression v && v.Name == assign.Target;
        bool Free(IrExpression e) => !Variables.ReadBy(e).Contains(assign.Target);
        if (IsTarget(sum.Left) && Free(sum.Right))
        {
            return sum.Right;
        }

        return sum.Operator == BinaryOperator.Add && IsTarget(sum.Right) && Free(sum.Left) ? sum.Left : null;
    }

    private void Add(string name, Use use) => _uses[name] = this[name] | use;

    private void AddAll(IEnumerable<IrStatement> statements)
    {
        foreach (IrStatement statement in statements)
        {
            AddStatement(statement);
        }
    }

    private void AddStatement(IrStatement statement)
    {
        switch (statement)
        {
            case AssignStatement assign:
                if (assign.Accumulate)
                {
                    Add(assign.Target, Use.Accumulate);
                    AddReads(assign.Value, Use.Read);
                }
                else if (SelfAccumulation(assign) is { } added)
                {
                    Add(assign.Target, Use.Accumulate);
                    AddReads(added, Use.Read);
                }
                else
                {
                    Add(assign.Target, Use.Write);
                    AddReads(assign.Value, Use.Read);
                }

                break;
            case DeconstructStatement deconstruct:
                foreach (string target in deconstruct.Targets)
                {
                    if (target != "_")
                    {
                        Add(target, Use.Write);
                    }
                }

                AddReads(deconstruct.Value, Use.Read);
                break;
            case DeclareStatement declare:
                Add(declare.Name, Use.Write);
                AddReads(declare.Initializer, Use.Read);
                break;
            case ElementAssignStatement element:
                Add(element.Array, element.Accumulate ? Use.Accumulate : Use.Write);
                foreach (IrExpression index in element.Indices)
                {
                    AddReads(index, Use.Read);
                }

                AddReads(element.Value, Use.Read);
                break;
            case AllocateArrayStatement allocation:
                Add(allocation.Name, Use.Write);
                foreach (IrExpression size in allocation.Sizes)
                {
                    AddReads(size, Use.Read);
                }

                break;
            case CallStatement call:
                AddReads(call.Value, Use.Read);
                break;
            case CopyArrayStatement copy:
                Add(copy.Source, Use.Read);
                Add(copy.Destination, Use.Write);
                break;
            case TapePushStatement push:
                AddReads(push.Value, Use.Saved);
                if (push.Writer is not null)
                {
                    Add(push.Writer, Use.Write);
                }

                break;
            case TapeReserveStatement reserve:
                AddReads(reserve.Count, Use.Read);
                Add(reserve.Writer, Use.Write);
                break;
            case TapeReaderStatement reader:
                Add(reader.Reader, Use.Write);
                break;
            case TapeCommitStatement commit:
                Add(commit.Cursor, Use.Write);
                break;
            case ReturnStatement ret:
                AddReads(ret.Value, Use.Read);
                break;
            case IfStatement branch:
                AddReads(branch.Condition, Use.Read);
                AddAll(branch.Then.Statements);
                AddAll(branch.Else.Statements);
                break;
            case WhileStatement loop:
                AddReads(loop.Condition, Use.Read);
                AddAll(loop.Body.Statements);
                break;
            case DoWhileStatement loop:
                AddAll(loop.Body.Statements);
                AddReads(loop.Condition, Use.Read);
                break;
            case ForStatement loop:
                AddAll(loop.Initializer.Statements);
                AddReads(loop.Condition, Use.Read);
                AddAll(loop.Step.Statements);
                AddAll(loop.Body.Statements);
                break;
            case CommentStatement or BreakStatement or ContinueStatement:
                break;
            default:
                HasUnknown = true;
                break;
        }
    }

    private void AddReads(IrExpression? expression, Use use)
    {
        switch (expression)
        {
            case null or ConstantExpression:
                break;
            case VariableExpression variable:
                Add(variable.Name, use);
                break;
            case ElementExpression element:
                Add(element.Array, use);
                AddChildren(element, use);
                break;
            case LengthExpression length:
                Add(length.Array, use);
                break;
            case ArrayReferenceExpression array:
                Add(array.Name, use);
                break;
            case TapePopExpression pop:
                if (pop.Reader is not null)
                {
                    Add(pop.Reader, Use.Write);
                }

                break;
            case CallExpression call:
                AddCall(call, use);
                break;
            case ExternalValueExpression:
                HasUnknown = true; // code as text: what it reads is not known
                break;
            default:
                AddChildren(expression, use);
                break;
        }
    }

    private void AddChildren(IrExpression expression, Use use)
    {
        foreach (IrExpression child in ExpressionSearch.Children(expression))
        {
            AddReads(child, use);
        }
    }

    /// <summary>
    /// A call's arguments: a backward core or pullback (<c>FBackward(inputs…, buffers…, seed)</c>) adds into the adjoint buffers
    /// after the callee's own parameters; a <c>Span</c> parameter is an output the callee fills; the rest is read.
    /// </summary>
    private void AddCall(CallExpression call, Use use)
    {
        int parameters = call.Target.Parameters.Count;
        bool backward = call.Target.Kind is CallKind.Backward or CallKind.Pullback;
        for (int i = 0; i < call.Arguments.Count; i++)
        {
            IrExpression argument = call.Arguments[i];
            string? name = argument switch
            {
                VariableExpression v => v.Name,
                ArrayReferenceExpression a => a.Name,
                _ => null,
            };
            if (i >= parameters)
            {
                if (!backward)
                {
                    HasUnknown = true;
                }
                else if (i < call.Arguments.Count - 1 && name is not null)
                {
                    Add(name, Use.Accumulate);
                    continue;
                }
            }
            else if (name is not null && call.Target.Parameters[i].Array?.Kind is ArrayKind.Span or ArrayKind.Array)
            {
                Add(name, Use.Write);
            }

            AddReads(argument, use);
        }
    }
}
