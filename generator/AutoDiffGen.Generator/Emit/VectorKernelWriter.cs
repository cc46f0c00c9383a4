using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Emit;

/// <summary>
/// Turns the straight-line body of a <c>float F(float)</c> (its primal, or its generated pullback) into
/// <c>Vector256&lt;float&gt;</c> statements that compute 8 elements at once: branches become masks and
/// <c>ConditionalSelect</c>. Returns null for anything without a faithful vector form (loops, double math,
/// calls, functions the BCL has no vector version of); callers then use a scalar loop.
/// </summary>
internal sealed class VectorKernelWriter
{
    private const string V = "global::System.Runtime.Intrinsics.Vector256";
    private const string VectorFloat = "global::System.Runtime.Intrinsics.Vector256<float>";

    private readonly List<string> _lines = new();
    private int _counter;
    private bool _failed;

    private VectorKernelWriter()
    {
    }

    /// <summary>
    /// The vector statements, and the expression holding the chosen output: the returned value, or (for
    /// a pullback) the gradient; <paramref name="inputs"/> maps scalar names to vector expressions.
    /// </summary>
    /// <param name="body">The statements.</param>
    /// <param name="inputs">Vector expressions for the scalar inputs (the parameter, the seed).</param>
    /// <param name="resultVariable">The variable holding the output at the end; null to take the gradient a pullback returns.</param>
    public static (List<string> Lines, string Result)? Translate(Block body, Dictionary<string, string> inputs, string? resultVariable)
    {
        var writer = new VectorKernelWriter();
        var environment = new Dictionary<string, string>(inputs);
        string? result = writer.Statements(body, environment, pullbackGradient: resultVariable is null);
        if (resultVariable is not null && environment.TryGetValue(resultVariable, out string? value))
        {
            result = value;
        }

        return writer._failed || result is null ? null : (writer._lines, result);
    }

    private string Fresh(string expression)
    {
        string name = "v" + (_counter++).ToString(CultureInfo.InvariantCulture);
        _lines.Add($"{VectorFloat} {name} = {expression};");
        return name;
    }

    private string? Statements(Block block, Dictionary<string, string> environment, bool pullbackGradient)
    {
        string? result = null;
        foreach (IrStatement statement in block.Statements)
        {
            switch (statement)
            {
                case CommentStatement:
                    break;
                case AssignStatement assign:
                    string value = Expression(assign.Value, environment);
                    if (assign.Accumulate)
                    {
                        value = $"{Lookup(assign.Target, environment)} + {value}";
                    }

                    environment[assign.Target] = Fresh(value);
                    break;
                case IfStatement branch:
                    string mask = Fresh(Expression(branch.Condition, environment));
                    var whenTrue = new Dictionary<string, string>(environment);
                    var whenFalse = new Dictionary<string, string>(environment);
                    Statements(branch.Then, whenTrue, pullbackGradient);
                    Statements(branch.Else, whenFalse, pullbackGradient);
                    foreach (string name in whenTrue.Keys.Concat(whenFalse.Keys).Distinct().ToList())
                    {
                        string a = whenTrue.TryGetValue(name, out string? t) ? t : Lookup(name, environment);
                        string b = whenFalse.TryGetValue(name, out string? f) ? f : Lookup(name, environment);
                        environment[name] = a == b ? a : Fresh($"{V}.ConditionalSelect({mask}, {a}, {b})");
                    }

                    break;
                case ReturnStatement { Value: TupleExpression tuple } when pullbackGradient && tuple.Elements.Count == 2:
                    result = Expression(tuple.Elements[1], environment);
                    break;
                case ReturnStatement { Value: { } returned } when !pullbackGradient:
                    result = Expression(returned, environment);
                    break;
                default:
                    _failed = true;
                    return null;
            }
        }

        return result;
    }

    private static string Lookup(string name, Dictionary<string, string> environment) =>
        environment.TryGetValue(name, out string? vector) ? vector : $"{VectorFloat}.Zero";

    private string Expression(IrExpression expression, Dictionary<string, string> environment)
    {
        if (expression.Type is not (ScalarType.Float or ScalarType.Bool))
        {
            _failed = true; // double or int arithmetic: keep the scalar code's exact numerics
            return "default";
        }

        string E(IrExpression e) => Expression(e, environment);
        switch (expression)
        {
            case ConstantExpression constant when constant.Type == ScalarType.Bool:
                return constant.Value != 0 ? $"{VectorFloat}.AllBitsSet" : $"{VectorFloat}.Zero";
            case ConstantExpression constant:
                return $"{V}.Create({ExpressionPrinter.Literal(constant.Value, ScalarType.Float)})";
            case VariableExpression variable:
                return Lookup(variable.Name, environment);
            case UnaryExpression { Operator: UnaryOperator.Negate } negate:
                return $"(-{E(negate.Operand)})";
            case UnaryExpression { Operator: UnaryOperator.Not } not:
                return $"(~{E(not.Operand)})";
            case BinaryExpression binary:
                string a = E(binary.Left), b = E(binary.Right);
                return binary.Operator switch
                {
                    BinaryOperator.Add => $"({a} + {b})",
                    BinaryOperator.Subtract => $"({a} - {b})",
                    BinaryOperator.Multiply => $"({a} * {b})",
                    BinaryOperator.Divide => $"({a} / {b})",
                    BinaryOperator.Less => $"{V}.LessThan({a}, {b})",
                    BinaryOperator.LessOrEqual => $"{V}.LessThanOrEqual({a}, {b})",
                    BinaryOperator.Greater => $"{V}.GreaterThan({a}, {b})",
                    BinaryOperator.GreaterOrEqual => $"{V}.GreaterThanOrEqual({a}, {b})",
                    BinaryOperator.Equal => $"{V}.Equals({a}, {b})",
                    BinaryOperator.NotEqual => $"(~{V}.Equals({a}, {b}))",
                    BinaryOperator.And => $"({a} & {b})",
                    BinaryOperator.Or => $"({a} | {b})",
                    _ => Fail(),
                };
            case CastExpression { Operand: IntrinsicExpression { Function: Intrinsic.Sign } sign } when sign.Arguments[0].Type == ScalarType.Float:
                return $"global::AutoDiffGen.VectorMath.Sign({E(sign.Arguments[0])})";
            case ConditionalExpression conditional:
                return $"{V}.ConditionalSelect({E(conditional.Condition)}, {E(conditional.WhenTrue)}, {E(conditional.WhenFalse)})";
            case IntrinsicExpression intrinsic:
                var args = intrinsic.Arguments.Select(E).ToList();
                return intrinsic.Function switch
                {
                    Intrinsic.Exp or Intrinsic.Log or Intrinsic.Sqrt or Intrinsic.Sin or Intrinsic.Cos or Intrinsic.Abs
                        or Intrinsic.Floor or Intrinsic.Ceiling or Intrinsic.Round or Intrinsic.Truncate or Intrinsic.Log2 =>
                        $"{V}.{intrinsic.Function}({args[0]})",
                    Intrinsic.Max or Intrinsic.Min => $"{V}.{intrinsic.Function}({args[0]}, {args[1]})",
                    Intrinsic.StopGradient => args[0],
                    Intrinsic.Clamp => $"{V}.Min({V}.Max({args[0]}, {args[1]}), {args[2]})",
                    Intrinsic.Tanh => $"global::AutoDiffGen.VectorMath.Tanh({args[0]})",
                    Intrinsic.Sign => $"global::AutoDiffGen.VectorMath.Sign({args[0]})",
                    Intrinsic.Log10 => $"({V}.Log({args[0]}) * {V}.Create(0.4342944819f))",
                    Intrinsic.Pow when intrinsic.Arguments[1] is ConstantExpression { Value: 2 } => $"({args[0]} * {args[0]})",
                    Intrinsic.Pow when intrinsic.Arguments[1] is ConstantExpression { Value: 3 } => $"({args[0]} * {args[0]} * {args[0]})",
                    _ => Fail(),
                };
            default:
                return Fail();
        }
    }

    private string Fail()
    {
        _failed = true;
        return "default";
    }
}
