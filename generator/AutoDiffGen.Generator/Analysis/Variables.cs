using System.Collections.Generic;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>Which variables an expression reads, and which statements assign which variables.</summary>
internal static class Variables
{
    public static HashSet<string> ReadBy(IrExpression expression)
    {
        var names = new HashSet<string>();
        CollectReads(expression, names);
        return names;
    }

    /// <summary>
    /// Adds every variable <paramref name="expression"/> reads: plain variables, arrays whose elements, length or
    /// reference it takes, and whatever the expressions inside it read (<see cref="ExpressionSearch.Children"/>:
    /// operands, arguments, indices, the sizes of rented arrays).
    /// </summary>
    public static void CollectReads(IrExpression? expression, HashSet<string> names)
    {
        switch (expression)
        {
            case null:
                return;
            case VariableExpression variable:
                names.Add(variable.Name);
                break;
            case ElementExpression element:
                names.Add(element.Array);
                break;
            case LengthExpression length:
                names.Add(length.Array);
                break;
            case ArrayReferenceExpression array:
                names.Add(array.Name);
                break;
        }

        foreach (IrExpression child in ExpressionSearch.Children(expression))
        {
            CollectReads(child, names);
        }
    }

    /// <summary>Every variable read anywhere in a block (conditions, loop headers and statements).</summary>
    public static void CollectReads(Block block, HashSet<string> names)
    {
        foreach (IrStatement statement in block.Statements)
        {
            switch (statement)
            {
                case AssignStatement assign:
                    CollectReads(assign.Value, names);
                    if (assign.Accumulate)
                    {
                        names.Add(assign.Target);
                    }

                    break;
                case DeconstructStatement deconstruct:
                    CollectReads(deconstruct.Value, names);
                    break;
                case DeclareStatement declare:
                    CollectReads(declare.Initializer, names);
                    break;
                case IfStatement branch:
                    CollectReads(branch.Condition, names);
                    CollectReads(branch.Then, names);
                    CollectReads(branch.Else, names);
                    break;
                case WhileStatement loop:
                    CollectReads(loop.Condition, names);
                    CollectReads(loop.Body, names);
                    break;
                case DoWhileStatement loop:
                    CollectReads(loop.Condition, names);
                    CollectReads(loop.Body, names);
                    break;
                case ForStatement loop:
                    CollectReads(loop.Initializer, names);
                    CollectReads(loop.Condition, names);
                    CollectReads(loop.Step, names);
                    CollectReads(loop.Body, names);
                    break;
                case ReturnStatement ret:
                    CollectReads(ret.Value, names);
                    break;
                case TapePushStatement push:
                    CollectReads(push.Value, names);
                    break;
                case TapeReserveStatement reserve:
                    CollectReads(reserve.Count, names);
                    break;
                case ElementAssignStatement element:
                    CollectReads(element.Value, names);
                    foreach (IrExpression index in element.Indices)
                    {
                        CollectReads(index, names);
                    }

                    break;
                case AllocateArrayStatement allocation:
                    foreach (IrExpression size in allocation.Sizes)
                    {
                        CollectReads(size, names);
                    }

                    break;
                case CallStatement call:
                    CollectReads(call.Value, names);
                    break;
            }
        }
    }

    /// <summary>Calls <paramref name="visit"/> for every assignment in a block, with how many loops enclose it.</summary>
    public static void ForEachAssignment(Block block, int loopDepth, System.Action<AssignStatement, int> visit) =>
        ForEachSimpleStatement(block, loopDepth, (statement, depth) =>
        {
            if (statement is AssignStatement assign)
            {
                visit(assign, depth);
            }
        });

    /// <summary>Calls <paramref name="visit"/> for every statement that is not control flow, with how many loops enclose it.</summary>
    public static void ForEachSimpleStatement(Block block, int loopDepth, System.Action<IrStatement, int> visit)
    {
        foreach (IrStatement statement in block.Statements)
        {
            switch (statement)
            {
                case IfStatement branch:
                    ForEachSimpleStatement(branch.Then, loopDepth, visit);
                    ForEachSimpleStatement(branch.Else, loopDepth, visit);
                    break;
                case WhileStatement loop:
                    ForEachSimpleStatement(loop.Body, loopDepth + 1, visit);
                    break;
                case DoWhileStatement loop:
                    ForEachSimpleStatement(loop.Body, loopDepth + 1, visit);
                    break;
                case ForStatement loop:
                    ForEachSimpleStatement(loop.Initializer, loopDepth, visit);
                    ForEachSimpleStatement(loop.Step, loopDepth + 1, visit);
                    ForEachSimpleStatement(loop.Body, loopDepth + 1, visit);
                    break;
                default:
                    visit(statement, loopDepth);
                    break;
            }
        }
    }
}
