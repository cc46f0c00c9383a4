using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Emit;

/// <summary>Prints IR statements as C#, reading the way a person would write them (<c>i++</c>, <c>x -= e</c>).</summary>
internal sealed class StatementPrinter
{
    private readonly CodeWriter _writer;
    private readonly ExpressionPrinter _expressions;
    public StatementPrinter(CodeWriter writer, bool forGpu = false)
    {
        _writer = writer;
        _expressions = new ExpressionPrinter(forGpu);
    }

    public string Expression(IrExpression expression) => _expressions.Print(expression);

    public void Block(Block block)
    {
        foreach (IrStatement statement in block.Statements)
        {
            Statement(statement);
        }
    }

    private void Statement(IrStatement statement)
    {
        switch (statement)
        {
            case AssignStatement assign:
                _writer.Line(Assignment(assign) + ";");
                break;
            case DeconstructStatement deconstruct:
                _writer.Line($"({string.Join(", ", deconstruct.Targets.Select(ExpressionPrinter.Identifier))}) = {Expression(deconstruct.Value)};");
                break;
            case DeclareStatement declare:
                _writer.Line($"{declare.Type.ToCSharp()} {ExpressionPrinter.Identifier(declare.Name)} = {Expression(declare.Initializer)};");
                break;
            case IfStatement branch:
                If(branch);
                break;
            case WhileStatement loop:
                _writer.Open($"while ({Expression(loop.Condition)})");
                Block(loop.Body);
                _writer.Close();
                break;
            case DoWhileStatement loop:
                _writer.Open("do");
                Block(loop.Body);
                _writer.Close($" while ({Expression(loop.Condition)});");
                break;
            case ForStatement loop:
                string initializer = string.Join(", ", loop.Initializer.Statements.OfType<AssignStatement>().Select(Assignment));
                string step = string.Join(", ", loop.Step.Statements.OfType<AssignStatement>().Select(Assignment));
                string condition = loop.Condition is null ? string.Empty : " " + Expression(loop.Condition);
                _writer.Open($"for ({initializer};{condition};{(step.Length == 0 ? string.Empty : " " + step)})");
                Block(loop.Body);
                _writer.Close();
                break;
            case ReturnStatement ret:
                _writer.Line(ret.Value is null ? "return;" : $"return {Expression(ret.Value)};");
                break;
            case BreakStatement:
                _writer.Line("break;");
                break;
            case ContinueStatement:
                _writer.Line("continue;");
                break;
            case CommentStatement comment:
                _writer.Line("// " + comment.Text);
                break;
            case TapePushStatement push:
                _writer.Line($"{push.Writer ?? push.Tape}.Push({Expression(push.Value)});");
                break;
            case TapeReserveStatement reserve:
                _writer.Line($"var {reserve.Writer} = {reserve.Tape}.Reserve({Expression(reserve.Count)});");
                break;
            case TapeReaderStatement reader:
                _writer.Line($"var {reader.Reader} = {reader.Tape}.Reader();");
                break;
            case TapeCommitStatement commit:
                _writer.Line($"{commit.Cursor}.Commit();");
                break;
            case TapeMarkStatement mark:
                _writer.Line($"int {mark.Mark} = {mark.Tape}.Count;");
                break;
            case TapeRewindStatement rewind:
                // The tape-size query declares {tape}Start and {tape}Peak.
                _writer.Line($"{rewind.Tape}Peak = global::System.Math.Max({rewind.Tape}Peak, {rewind.Tape}.Count - {rewind.Tape}Start);");
                _writer.Line($"{rewind.Tape}.Truncate({rewind.Mark});");
                break;
            case ElementAssignStatement element:
                string target = $"{ExpressionPrinter.Identifier(element.Array)}[{string.Join(", ", element.Indices.Select(Expression))}]";
                _writer.Line(!element.Accumulate ? $"{target} = {Expression(element.Value)};"
                    : element.Value is UnaryExpression { Operator: UnaryOperator.Negate } negated ? $"{target} -= {Expression(negated.Operand)};"
                    : $"{target} += {Expression(element.Value)};");
                break;
            case ReleaseScratchStatement release:
                _writer.Line($"{release.Scratch}.Release({release.Mark});");
                break;
            case CopyArrayStatement copy:
                _writer.Line($"{ExpressionPrinter.Identifier(copy.Source)}.CopyTo({ExpressionPrinter.Identifier(copy.Destination)});");
                break;
            case CallStatement call:
                _writer.Line($"{Expression(call.Value)};");
                break;
            default:
                throw new System.InvalidOperationException($"Cannot print {statement.GetType().Name}.");
        }
    }

    private void If(IfStatement branch)
    {
        if (branch.Then.IsEmpty && !branch.Else.IsEmpty)
        {
            If(new IfStatement(new UnaryExpression(UnaryOperator.Not, branch.Condition, ScalarType.Bool), branch.Else, Ir.Block.Empty));
            return;
        }

        _writer.Open($"if ({Expression(branch.Condition)})");
        Block(branch.Then);
        _writer.Close();
        if (branch.Else.IsEmpty)
        {
            return;
        }

        if (branch.Else.Count == 1 && branch.Else.Statements[0] is IfStatement elseIf)
        {
            _writer.Line("else");
            If(elseIf);
            return;
        }

        _writer.Open("else");
        Block(branch.Else);
        _writer.Close();
    }

    private string Assignment(AssignStatement assign)
    {
        string target = ExpressionPrinter.Identifier(assign.Target);
        if (assign.Accumulate)
        {
            return assign.Value is UnaryExpression { Operator: UnaryOperator.Negate } negated
                ? $"{target} -= {Expression(negated.Operand)}"
                : $"{target} += {Expression(assign.Value)}";
        }

        if (assign.Value is BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract, Left: VariableExpression self, Right: ConstantExpression { Value: 1 } } step
            && self.Name == assign.Target)
        {
            return target + (step.Operator == BinaryOperator.Add ? "++" : "--");
        }

        return $"{target} = {Expression(assign.Value)}";
    }
}
