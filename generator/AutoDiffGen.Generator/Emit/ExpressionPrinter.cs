using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Generator.Emit;

/// <summary>Prints IR expressions as C#, with only the parentheses precedence requires.</summary>
internal sealed class ExpressionPrinter
{
    private const int Conditional = 1, Or = 2, And = 3, Equality = 4, Relational = 5, Additive = 6, Multiplicative = 7, Unary = 8, Primary = 9;

    private readonly bool _forGpu;

    /// <param name="forGpu">Print for an ILGPU kernel: functions ILGPU cannot compile (Sign, Clamp) are written out.</param>
    public ExpressionPrinter(bool forGpu = false)
    {
        _forGpu = forGpu;
    }

    public string Print(IrExpression expression) => Print(expression, 0);

    public static string Identifier(string name) =>
        SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None ? "@" + name : name;

    public static string Literal(double value, ScalarType type)
    {
        switch (type)
        {
            case ScalarType.Bool:
                return value != 0 ? "true" : "false";
            case ScalarType.Int:
                return ((long)value).ToString(CultureInfo.InvariantCulture);
            case ScalarType.Float:
                float single = (float)value;
                if (float.IsNaN(single))
                {
                    return "float.NaN";
                }

                if (float.IsInfinity(single))
                {
                    return single > 0 ? "float.PositiveInfinity" : "float.NegativeInfinity";
                }

                return single.ToString("R", CultureInfo.InvariantCulture) + "f";
            default:
                if (double.IsNaN(value))
                {
                    return "double.NaN";
                }

                if (double.IsInfinity(value))
                {
                    return value > 0 ? "double.PositiveInfinity" : "double.NegativeInfinity";
                }

                string text = value.ToString("R", CultureInfo.InvariantCulture);
                return text.IndexOfAny(new[] { '.', 'E', 'e' }) >= 0 ? text : text + ".0";
        }
    }

    private string Print(IrExpression expression, int context)
    {
        (string text, int precedence) = Format(expression);
        return precedence < context ? $"({text})" : text;
    }

    private (string Text, int Precedence) Format(IrExpression expression)
    {
        switch (expression)
        {
            case ConstantExpression constant:
                string literal = Literal(constant.Value, constant.Type);
                return (literal, literal.StartsWith("-", System.StringComparison.Ordinal) ? Unary : Primary);
            case VariableExpression variable:
                return (Identifier(variable.Name), Primary);
            case ExternalValueExpression external:
                return (external.Code, Primary);
            case UnaryExpression unary:
                string op = unary.Operator == UnaryOperator.Negate ? "-" : "!";
                string operand = Print(unary.Operand, Unary);
                return (op + (op == "-" && operand.StartsWith("-", System.StringComparison.Ordinal) ? " " : string.Empty) + operand, Unary);
            case BinaryExpression binary:
                (string symbol, int precedence) = Operator(binary.Operator);

                // Left-associative: the right operand needs parentheses at equal precedence.
                return ($"{Print(binary.Left, precedence)} {symbol} {Print(binary.Right, precedence + 1)}", precedence);
            case CastExpression cast:
                return ($"({cast.Type.ToCSharp()}){Print(cast.Operand, Unary)}", Unary);
            case ConditionalExpression conditional:
                return ($"{Print(conditional.Condition, Or)} ? {Print(conditional.WhenTrue, Conditional + 1)} : {Print(conditional.WhenFalse, Conditional)}", Conditional);
            case IntrinsicExpression { Function: Intrinsic.Sign } sign when _forGpu:
                string value = Print(sign.Arguments[0], Relational + 1);
                string zero = Literal(0, sign.Arguments[0].Type);
                return ($"({value} > {zero} ? 1 : {value} < {zero} ? -1 : 0)", Primary);
            case IntrinsicExpression { Function: Intrinsic.Clamp } clamp when _forGpu:
                string type = clamp.Type == ScalarType.Float ? "MathF" : "Math";
                return ($"global::System.{type}.Min(global::System.{type}.Max({Print(clamp.Arguments[0], 0)}, {Print(clamp.Arguments[1], 0)}), {Print(clamp.Arguments[2], 0)})", Primary);
            case IntrinsicExpression { Function: Intrinsic.StopGradient } stop:
                // The value itself: kernels take it as is; C# keeps the marker, so the code says where the gradient stops.
                return _forGpu
                    ? (Print(stop.Arguments[0], Primary), Primary)
                    : ($"global::AutoDiffGen.AutoDiff.StopGradient({Arguments(stop.Arguments)})", Primary);
            case IntrinsicExpression intrinsic:
                return ($"{MathFunction(intrinsic)}({Arguments(intrinsic.Arguments)})", Primary);
            case CallExpression call:
                string target = call.Target.IsInstance ? Identifier(call.Target.MethodName) : $"{call.Target.TypeName}.{Identifier(call.Target.MethodName)}";
                return ($"{target}({Arguments(call.Arguments)})", Primary);
            case MemberAccessExpression member:
                return ($"{Print(member.Target, Primary)}.{Identifier(member.Member)}", Primary);
            case TapePopExpression { FromDoubleTape: true } pop:
                return ($"({pop.Type.ToCSharp()}){pop.Reader ?? pop.Tape}.Pop()", Unary);
            case TapePopExpression pop:
                return ($"{pop.Reader ?? pop.Tape}.Pop()", Primary);
            case RentArrayExpression rent:
                return ($"{rent.Scratch}.Rent({Arguments(rent.Sizes)})", Primary);
            case ElementExpression element:
                return ($"{Identifier(element.Array)}[{Arguments(element.Indices)}]", Primary);
            case LengthExpression length:
                return (length.Rank == 1 ? $"{Identifier(length.Array)}.Length" : $"{Identifier(length.Array)}.GetLength({length.Dimension})", Primary);
            case ArrayReferenceExpression array:
                return (Identifier(array.Name), Primary);
            case TupleExpression tuple:
                return ($"({Arguments(tuple.Elements)})", Primary);
            default:
                throw new System.InvalidOperationException($"Cannot print {expression.GetType().Name}.");
        }
    }

    private string Arguments(IEnumerable<IrExpression> arguments) => string.Join(", ", arguments.Select(a => Print(a, 0)));

    private static (string Symbol, int Precedence) Operator(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => ("+", Additive),
        BinaryOperator.Subtract => ("-", Additive),
        BinaryOperator.Multiply => ("*", Multiplicative),
        BinaryOperator.Divide => ("/", Multiplicative),
        BinaryOperator.Remainder => ("%", Multiplicative),
        BinaryOperator.Equal => ("==", Equality),
        BinaryOperator.NotEqual => ("!=", Equality),
        BinaryOperator.Less => ("<", Relational),
        BinaryOperator.LessOrEqual => ("<=", Relational),
        BinaryOperator.Greater => (">", Relational),
        BinaryOperator.GreaterOrEqual => (">=", Relational),
        BinaryOperator.And => ("&&", And),
        _ => ("||", Or),
    };

    private static string MathFunction(IntrinsicExpression intrinsic)
    {
        string name = intrinsic.Function switch
        {
            Intrinsic.LogWithBase => "Log",
            _ => intrinsic.Function.ToString(),
        };

        // MathF has float versions of everything here but Clamp; Math overloads cover int and float there.
        bool isFloat = intrinsic.Arguments.Count > 0 && intrinsic.Arguments[0].Type == ScalarType.Float;
        string type = isFloat && intrinsic.Function != Intrinsic.Clamp ? "MathF" : "Math";
        return $"global::System.{type}.{name}";
    }
}
