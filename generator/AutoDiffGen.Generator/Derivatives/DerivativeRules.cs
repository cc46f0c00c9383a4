using System;
using System.Collections.Generic;
using AutoDiffGen.Generator.Ir;
using AutoDiffGen.Generator.Transforms;

namespace AutoDiffGen.Generator.Derivatives;

/// <summary>
/// The one table of derivative rules: for each operation of the three-address IR, its partial
/// derivative with respect to each operand. Reverse mode multiplies them by the result's adjoint,
/// forward mode by the operands' tangents; adding an operation means adding one case here.
/// </summary>
internal static class DerivativeRules
{
    /// <summary>The operands an operation's partials refer to, in order.</summary>
    public static IReadOnlyList<IrExpression> Operands(IrExpression operation) => operation switch
    {
        BinaryExpression binary => new[] { binary.Left, binary.Right },
        UnaryExpression unary => new[] { unary.Operand },
        CastExpression cast => new[] { cast.Operand },
        IntrinsicExpression intrinsic => intrinsic.Arguments,
        CallExpression call => call.Arguments,
        _ => new[] { operation },
    };

    /// <summary>Whether the partials read the operation's own result (so it must not overwrite an operand in place).</summary>
    public static bool UsesResult(IrExpression operation) =>
        operation is IntrinsicExpression { Function: Intrinsic.Tan or Intrinsic.Tanh or Intrinsic.Exp or Intrinsic.Sqrt or Intrinsic.Cbrt or Intrinsic.Pow };

    /// <summary>Functions whose derivative is zero wherever it exists: no gradient flows through them.</summary>
    public static bool IsPiecewiseConstant(Intrinsic function) =>
        function is Intrinsic.Sign or Intrinsic.Floor or Intrinsic.Ceiling or Intrinsic.Round or Intrinsic.Truncate or Intrinsic.StopGradient;

    /// <summary>
    /// ∂operation/∂operand for each operand (null where it is zero or the operand is data), expressed
    /// in the operands and <paramref name="result"/>, the operation's value.
    /// </summary>
    public static IrExpression?[] Partials(IrExpression operation, IrExpression result)
    {
        ScalarType type = operation.Type;
        IrExpression One() => Expr.Constant(1, type);
        IrExpression C(double value) => Expr.Constant(value, type);

        if (ThreeAddressLowering.IsData(operation))
        {
            // A value computed from data alone (e.g. `c > 0 ? 1.0 : 2.0`): nothing to differentiate.
            return new IrExpression?[DerivativeRules.Operands(operation).Count];
        }

        switch (operation)
        {
            case BinaryExpression binary:
                IrExpression a = binary.Left, b = binary.Right;
                return binary.Operator switch
                {
                    BinaryOperator.Add => new[] { One(), One() },
                    BinaryOperator.Subtract => new[] { One(), C(-1) },
                    BinaryOperator.Multiply => new[] { b, a },
                    BinaryOperator.Divide => new[] { Expr.Divide(One(), b), Expr.Negate(Expr.Divide(a, Expr.Multiply(b, b))) },
                    _ => throw new InvalidOperationException($"No derivative rule for the operator {binary.Operator}."),
                };

            case UnaryExpression { Operator: UnaryOperator.Negate }:
                return new[] { C(-1) };

            case CastExpression cast:
                return new[] { cast.Operand.Type.IsDifferentiable() && type.IsDifferentiable() ? One() : null };

            case IntrinsicExpression intrinsic:
                return IntrinsicPartials(intrinsic, result, type);

            case VariableExpression or ConstantExpression or ExternalValueExpression:
                return new[] { One() };

            default:
                throw new InvalidOperationException($"No derivative rule for {operation.GetType().Name}.");
        }
    }

    private static IrExpression?[] IntrinsicPartials(IntrinsicExpression intrinsic, IrExpression result, ScalarType type)
    {
        IReadOnlyList<IrExpression> args = intrinsic.Arguments;
        IrExpression x = args[0];
        IrExpression C(double value) => Expr.Constant(value, type);
        IrExpression F(Intrinsic function, params IrExpression[] arguments) => Expr.Call(function, type, arguments);
        IrExpression Square(IrExpression e) => Expr.Multiply(e, e);
        IrExpression Zero() => C(0);

        switch (intrinsic.Function)
        {
            case Intrinsic.Sin: return new[] { F(Intrinsic.Cos, x) };
            case Intrinsic.Cos: return new[] { Expr.Negate(F(Intrinsic.Sin, x)) };
            case Intrinsic.Tan: return new[] { Expr.Add(C(1), Square(result)) };
            case Intrinsic.Asin: return new[] { Expr.Divide(C(1), F(Intrinsic.Sqrt, Expr.Subtract(C(1), Square(x)))) };
            case Intrinsic.Acos: return new[] { Expr.Negate(Expr.Divide(C(1), F(Intrinsic.Sqrt, Expr.Subtract(C(1), Square(x))))) };
            case Intrinsic.Atan: return new[] { Expr.Divide(C(1), Expr.Add(C(1), Square(x))) };
            case Intrinsic.Atan2:
            {
                // atan2(y, x): ∂/∂y = x / (x² + y²), ∂/∂x = -y / (x² + y²).
                IrExpression y = args[0], x2 = args[1];
                IrExpression radius = Expr.Add(Square(x2), Square(y));
                return new[] { Expr.Divide(x2, radius), Expr.Negate(Expr.Divide(y, radius)) };
            }

            case Intrinsic.Sinh: return new[] { F(Intrinsic.Cosh, x) };
            case Intrinsic.Cosh: return new[] { F(Intrinsic.Sinh, x) };
            case Intrinsic.Tanh: return new[] { Expr.Subtract(C(1), Square(result)) };
            case Intrinsic.Exp: return new[] { result };
            case Intrinsic.Log: return new[] { Expr.Divide(C(1), x) };
            case Intrinsic.LogWithBase:
            {
                // log_b(a) = ln a / ln b.
                IrExpression logBase = F(Intrinsic.Log, args[1]);
                return new[]
                {
                    Expr.Divide(C(1), Expr.Multiply(x, logBase)),
                    Expr.Negate(Expr.Divide(F(Intrinsic.Log, x), Expr.Multiply(args[1], Square(logBase)))),
                };
            }

            case Intrinsic.Log2: return new[] { Expr.Divide(C(1), Expr.Multiply(x, C(0.69314718055994530942))) };
            case Intrinsic.Log10: return new[] { Expr.Divide(C(1), Expr.Multiply(x, C(2.30258509299404568402))) };
            case Intrinsic.Sqrt: return new[] { Expr.Divide(C(0.5), result) };
            case Intrinsic.Cbrt: return new[] { Expr.Divide(C(1), Expr.Multiply(C(3), Square(result))) };
            case Intrinsic.Pow:
            {
                IrExpression exponent = args[1];
                IrExpression baseDerivative = exponent is ConstantExpression constant
                    ? Expr.Multiply(exponent, PowerOf(x, constant.Value - 1, type))
                    : Expr.Multiply(exponent, F(Intrinsic.Pow, x, Expr.Subtract(exponent, C(1))));

                // ∂/∂b a^b = a^b ln a; its limit at a = 0 is 0, and a < 0 has no real derivative in b.
                IrExpression exponentDerivative = Expr.Conditional(
                    Expr.Compare(BinaryOperator.Greater, x, C(0)),
                    Expr.Multiply(result, F(Intrinsic.Log, x)),
                    Zero());
                return new[] { baseDerivative, exponentDerivative };
            }

            case Intrinsic.Abs: return new[] { Expr.Cast(new IntrinsicExpression(Intrinsic.Sign, EquatableArray.Create(x), ScalarType.Int, null), type) };
            case Intrinsic.Max:
            {
                // Ties send the gradient to the second argument, so relu = Max(v, 0) has derivative 0 at 0 (as TensorFlow).
                IrExpression firstWins = Expr.Compare(BinaryOperator.Greater, x, args[1]);
                return new[] { Expr.Conditional(firstWins, C(1), Zero()), Expr.Conditional(firstWins, Zero(), C(1)) };
            }

            case Intrinsic.Min:
            {
                IrExpression firstWins = Expr.Compare(BinaryOperator.Less, x, args[1]);
                return new[] { Expr.Conditional(firstWins, C(1), Zero()), Expr.Conditional(firstWins, Zero(), C(1)) };
            }

            case Intrinsic.Clamp:
            {
                IrExpression low = args[1], high = args[2];
                IrExpression belowLow = Expr.Compare(BinaryOperator.Less, x, low);
                IrExpression aboveHigh = Expr.Compare(BinaryOperator.Greater, x, high);
                return new[]
                {
                    Expr.Conditional(Expr.And(Expr.Not(belowLow), Expr.Not(aboveHigh)), C(1), Zero()),
                    Expr.Conditional(belowLow, C(1), Zero()),
                    Expr.Conditional(aboveHigh, C(1), Zero()),
                };
            }

            default:
                // Sign, Floor, Ceiling, Round, Truncate: piecewise constant; StopGradient: zero by request.
                return new IrExpression?[args.Count];
        }
    }

    /// <summary>x^n for a constant n, written as x or x * x where that is clearer and exact.</summary>
    private static IrExpression PowerOf(IrExpression x, double exponent, ScalarType type) => exponent switch
    {
        0 => Expr.Constant(1, type),
        1 => x,
        2 => Expr.Multiply(x, x),
        _ => Expr.Call(Intrinsic.Pow, type, x, Expr.Constant(exponent, type)),
    };
}
