using System.Collections.Generic;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Smart constructors that fold constants as they build (the Simplify step of the design): derivative
/// code says <c>_d_a += _d_u</c>, not <c>_d_a += 1.0 * _d_u</c>.
/// </summary>
internal static class Expr
{
    public static ConstantExpression Constant(double value, ScalarType type) =>
        ConstantExpression.Of(type == ScalarType.Float ? (float)value : value, type);

    public static VariableExpression Var(string name, ScalarType type) => new(name, type);

    public static IrExpression Add(IrExpression left, IrExpression right)
    {
        if (left is ConstantExpression { IsZero: true })
        {
            return right;
        }

        if (right is ConstantExpression { IsZero: true })
        {
            return left;
        }

        if (right is UnaryExpression { Operator: UnaryOperator.Negate } negated)
        {
            return Subtract(left, negated.Operand);
        }

        return Fold(BinaryOperator.Add, left, right) ?? new BinaryExpression(BinaryOperator.Add, left, right, left.Type);
    }

    public static IrExpression Subtract(IrExpression left, IrExpression right)
    {
        if (right is ConstantExpression { IsZero: true })
        {
            return left;
        }

        if (left is ConstantExpression { IsZero: true })
        {
            return Negate(right);
        }

        return Fold(BinaryOperator.Subtract, left, right) ?? new BinaryExpression(BinaryOperator.Subtract, left, right, left.Type);
    }

    public static IrExpression Multiply(IrExpression left, IrExpression right)
    {
        if (left is ConstantExpression { IsOne: true })
        {
            return right;
        }

        if (right is ConstantExpression { IsOne: true })
        {
            return left;
        }

        if (left is ConstantExpression { Value: -1 })
        {
            return Negate(right);
        }

        if (right is ConstantExpression { Value: -1 })
        {
            return Negate(left);
        }

        // (c ? 1 : 0) * g reads better as c ? g : 0 (relu, max, clamp derivatives).
        if (left is ConditionalExpression conditional && IsZeroOrOne(conditional.WhenTrue) && IsZeroOrOne(conditional.WhenFalse))
        {
            return Conditional(conditional.Condition, Select(conditional.WhenTrue, right), Select(conditional.WhenFalse, right));
        }

        if (left is UnaryExpression { Operator: UnaryOperator.Negate } negatedLeft)
        {
            return Negate(Multiply(negatedLeft.Operand, right));
        }

        return Fold(BinaryOperator.Multiply, left, right) ?? new BinaryExpression(BinaryOperator.Multiply, left, right, left.Type);
    }

    public static IrExpression Divide(IrExpression left, IrExpression right)
    {
        if (right is ConstantExpression { IsOne: true })
        {
            return left;
        }

        return Fold(BinaryOperator.Divide, left, right) ?? new BinaryExpression(BinaryOperator.Divide, left, right, left.Type);
    }

    public static IrExpression Negate(IrExpression operand) => operand switch
    {
        ConstantExpression constant => Constant(-constant.Value, constant.Type),
        UnaryExpression { Operator: UnaryOperator.Negate } negated => negated.Operand,
        _ => new UnaryExpression(UnaryOperator.Negate, operand, operand.Type),
    };

    public static IrExpression Compare(BinaryOperator op, IrExpression left, IrExpression right) =>
        new BinaryExpression(op, left, right, ScalarType.Bool);

    public static IrExpression And(IrExpression left, IrExpression right) =>
        new BinaryExpression(BinaryOperator.And, left, right, ScalarType.Bool);

    public static IrExpression Not(IrExpression operand) => operand switch
    {
        UnaryExpression { Operator: UnaryOperator.Not } negated => negated.Operand,
        _ => new UnaryExpression(UnaryOperator.Not, operand, ScalarType.Bool),
    };

    public static IrExpression Conditional(IrExpression condition, IrExpression whenTrue, IrExpression whenFalse) =>
        whenTrue.Equals(whenFalse) ? whenTrue : new ConditionalExpression(condition, whenTrue, whenFalse, whenTrue.Type);

    public static IrExpression Call(Intrinsic function, ScalarType type, params IrExpression[] arguments) =>
        new IntrinsicExpression(function, arguments.ToEquatableArray(), type, null);

    public static IrExpression Cast(IrExpression operand, ScalarType type)
    {
        if (operand.Type == type)
        {
            return operand;
        }

        return operand is ConstantExpression constant && type != ScalarType.Bool
            ? Constant(constant.Value, type)
            : new CastExpression(operand, type);
    }

    /// <summary>Sums terms, skipping zeros; null when nothing is left.</summary>
    public static IrExpression? Sum(IEnumerable<IrExpression> terms)
    {
        IrExpression? total = null;
        foreach (IrExpression term in terms)
        {
            total = total is null ? term : Add(total, term);
        }

        return total;
    }

    private static bool IsZeroOrOne(IrExpression expression) => expression is ConstantExpression { Value: 0 or 1 };

    /// <summary>A 0/1 selector times a value: the value or zero.</summary>
    private static IrExpression Select(IrExpression selector, IrExpression value) =>
        selector is ConstantExpression { IsZero: true } ? Constant(0, value.Type) : value;

    private static IrExpression? Fold(BinaryOperator op, IrExpression left, IrExpression right)
    {
        if (left is not ConstantExpression a || right is not ConstantExpression b || left.Type == ScalarType.Int)
        {
            return null;
        }

        double value = op switch
        {
            BinaryOperator.Add => a.Value + b.Value,
            BinaryOperator.Subtract => a.Value - b.Value,
            BinaryOperator.Multiply => a.Value * b.Value,
            _ => a.Value / b.Value,
        };
        return Constant(value, left.Type);
    }
}
