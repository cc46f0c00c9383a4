using System;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Frontend;

internal sealed partial class OperationLowerer
{
    /// <summary>Stands in for a construct already reported, so lowering can go on and find more errors.</summary>
    private static readonly ConstantExpression Invalid = ConstantExpression.Of(0, ScalarType.Double);

    private IrExpression LowerCondition(IOperation operation)
    {
        IrExpression condition = LowerExpression(operation);
        if (condition.Type != ScalarType.Bool && !ReferenceEquals(condition, Invalid))
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, operation, "a condition must be a bool", "Compare the value explicitly.");
        }

        return condition;
    }

    private IrExpression LowerExpression(IOperation operation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        ScalarType? type = ScalarTypes.From(operation.Type);
        if (operation.ConstantValue.HasValue && type is not null)
        {
            object? value = operation.ConstantValue.Value;
            return value switch
            {
                bool flag => ConstantExpression.Of(flag ? 1 : 0, ScalarType.Bool),
                IConvertible convertible => ConstantExpression.Of(convertible.ToDouble(System.Globalization.CultureInfo.InvariantCulture), type.Value),
                _ => Unsupported(operation, "this constant has no numeric value", "Use a numeric literal."),
            };
        }

        if (operation.Type is IErrorTypeSymbol || operation is IInvalidOperation)
        {
            return Invalid; // The compiler reports it; another error here would only be noise.
        }

        if (IsElementReference(operation))
        {
            ElementReference? element = ElementOf(operation);
            return element is null ? Invalid : new ElementExpression(element.Array, element.Indices, element.Type);
        }

        if (LengthOf(operation) is { } length)
        {
            return length;
        }

        if (type is null && operation is not IInvocationOperation)
        {
            _diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedType,
                SourceSpans.From(operation),
                $"The expression '{operation.Syntax}'",
                operation.Type?.ToDisplayString() ?? "(none)",
                ArrayTypes.CollectionAdvice(operation.Type) ?? ScalarTypes.SupportedTypesAdvice));
            return Invalid;
        }

        switch (operation)
        {
            case ILocalReferenceOperation local:
                return _locals.TryGetValue(local.Local, out LocalIr? ir) ? new VariableExpression(ir.Name, ir.Type) : Invalid;

            case IParameterReferenceOperation parameter:
                return new VariableExpression(parameter.Parameter.Name, type!.Value);

            case IFieldReferenceOperation field when field.Field.IsStatic && field.Field.IsReadOnly:
                return new ExternalValueExpression(
                    $"{field.Field.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat)}.{field.Field.Name}",
                    type!.Value);

            case IFieldReferenceOperation field when !field.Field.IsStatic && field.Instance is IInstanceReferenceOperation && field.Field.IsReadOnly:
                return new ExternalValueExpression($"this.{field.Field.Name}", type!.Value);

            case IFieldReferenceOperation:
                return Unsupported(operation, "a mutable field is shared state", "Make the field readonly or const, or pass the value as a parameter.");

            case IConversionOperation conversion:
                return LowerConversion(conversion, type!.Value);

            case IBinaryOperation binary:
                return LowerBinary(binary, type!.Value);

            case IUnaryOperation unary:
                return LowerUnary(unary, type!.Value);

            case IConditionalOperation conditional when conditional.WhenFalse is not null:
                return new ConditionalExpression(
                    LowerCondition(conditional.Condition),
                    Coerce(LowerExpression(conditional.WhenTrue), type!.Value),
                    Coerce(LowerExpression(conditional.WhenFalse), type.Value),
                    type.Value);

            case IInvocationOperation invocation:
                return LowerInvocation(invocation);

            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation:
                return Unsupported(operation, "an assignment inside an expression", "Write the assignment as its own statement.");

            case IAnonymousFunctionOperation or IDelegateCreationOperation:
                return Unsupported(operation, "lambdas are not supported", "Make the lambda a separate [Differentiable] method.");

            case IPropertyReferenceOperation:
                return Unsupported(operation, "property reads are not supported", "Read the value into a parameter first.");

            default:
                return Unsupported(operation, $"{operation.Kind} expressions are not supported", "Rewrite it with arithmetic, Math functions and calls of [Differentiable] methods.");
        }
    }

    private IrExpression LowerConversion(IConversionOperation conversion, ScalarType type)
    {
        if (conversion.OperatorMethod is not null)
        {
            return Unsupported(conversion, "user-defined conversions are not supported", "Convert with a plain numeric cast.");
        }

        IrExpression operand = LowerExpression(conversion.Operand);
        if (conversion.Conversion.IsIdentity || operand.Type == type)
        {
            return operand;
        }

        if (!conversion.Conversion.IsNumeric || operand.Type == ScalarType.Bool || type == ScalarType.Bool)
        {
            return Unsupported(conversion, $"a conversion from {operand.Type.ToCSharp()} to {type.ToCSharp()} is not supported", "Use numeric casts among float, double and int.");
        }

        return new CastExpression(operand, type, SourceSpans.From(conversion));
    }

    private IrExpression LowerBinary(IBinaryOperation binary, ScalarType type)
    {
        if (binary.OperatorMethod is not null)
        {
            return Unsupported(binary, "user-defined operators are not supported on scalars", "Use float or double arithmetic.");
        }

        BinaryOperator? op = binary.OperatorKind switch
        {
            BinaryOperatorKind.Equals => BinaryOperator.Equal,
            BinaryOperatorKind.NotEquals => BinaryOperator.NotEqual,
            BinaryOperatorKind.LessThan => BinaryOperator.Less,
            BinaryOperatorKind.LessThanOrEqual => BinaryOperator.LessOrEqual,
            BinaryOperatorKind.GreaterThan => BinaryOperator.Greater,
            BinaryOperatorKind.GreaterThanOrEqual => BinaryOperator.GreaterOrEqual,
            BinaryOperatorKind.ConditionalAnd => BinaryOperator.And,
            BinaryOperatorKind.ConditionalOr => BinaryOperator.Or,
            BinaryOperatorKind.And when type == ScalarType.Bool => BinaryOperator.And,
            BinaryOperatorKind.Or when type == ScalarType.Bool => BinaryOperator.Or,
            _ => ArithmeticOperator(binary.OperatorKind),
        };
        if (op is null)
        {
            return Unsupported(binary, $"the operator {binary.OperatorKind} is not supported", "Use + - * / % on numbers, comparisons, && and ||.");
        }

        IrExpression left = LowerExpression(binary.LeftOperand);
        IrExpression right = LowerExpression(binary.RightOperand);
        ScalarType operandType = op.Value is BinaryOperator.And or BinaryOperator.Or ? ScalarType.Bool : Wider(left.Type, right.Type);
        var result = new BinaryExpression(op.Value, Coerce(left, operandType), Coerce(right, operandType), type);
        CheckArithmetic(result, binary);
        return result;
    }

    private void CheckArithmetic(BinaryExpression expression, IOperation operation)
    {
        if (expression.Operator == BinaryOperator.Remainder && expression.Type.IsDifferentiable())
        {
            Report(DiagnosticDescriptors.UnsupportedExpression, operation, "the % operator on float or double is not differentiable here", "Use x - Math.Truncate(x / y) * y, whose derivative is defined.");
        }
    }

    private IrExpression LowerUnary(IUnaryOperation unary, ScalarType type)
    {
        if (unary.OperatorMethod is not null)
        {
            return Unsupported(unary, "user-defined operators are not supported on scalars", "Use float or double arithmetic.");
        }

        IrExpression operand = Coerce(LowerExpression(unary.Operand), type);
        return unary.OperatorKind switch
        {
            UnaryOperatorKind.Plus => operand,
            UnaryOperatorKind.Minus => new UnaryExpression(UnaryOperator.Negate, operand, type),
            UnaryOperatorKind.Not => new UnaryExpression(UnaryOperator.Not, operand, type),
            _ => Unsupported(unary, $"the unary operator {unary.OperatorKind} is not supported", "Use unary minus or !."),
        };
    }

    private IrExpression LowerInvocation(IInvocationOperation invocation)
    {
        IMethodSymbol target = invocation.TargetMethod;
        if (CollectionCallAdvice(target) is { } advice)
        {
            return Unsupported(invocation, advice, "A [Differentiable] method may only index arrays and spans, read their Length, and call other [Differentiable] methods");
        }

        ScalarType? returnType = ScalarTypes.From(target.ReturnType);
        bool parametersSupported = target.Parameters.All(p => p.RefKind == RefKind.None && (ScalarTypes.From(p.Type) is not null || ArrayTypes.From(p.Type) is { Kind: not ArrayKind.Span }));
        if (returnType is null || !parametersSupported || target.IsGenericMethod)
        {
            return Unsupported(
                invocation,
                $"'{target.ContainingType.Name}.{target.Name}' takes or returns values other than float, double, int and bool (and input arrays of them)",
                "Call it outside the [Differentiable] method and pass its result in.");
        }

        IrExpression[] arguments = new IrExpression[target.Parameters.Length];
        foreach (IArgumentOperation argument in invocation.Arguments)
        {
            if (argument.Parameter is null || argument.ArgumentKind == ArgumentKind.ParamArray)
            {
                return Unsupported(invocation, "params arguments are not supported", "Pass the values as ordinary arguments.");
            }

            if (ArrayTypes.From(argument.Parameter.Type) is { } parameterArray)
            {
                if (ArrayOf(argument.Value) is not { } passed)
                {
                    return Unsupported(argument, "array arguments must be parameters or local arrays, passed whole", "Pass the array itself and an int offset instead of a slice");
                }

                arguments[argument.Parameter.Ordinal] = new ArrayReferenceExpression(passed.Name, passed.Type);
                continue;
            }

            arguments[argument.Parameter.Ordinal] = Coerce(LowerExpression(argument.Value), ScalarTypes.From(argument.Parameter.Type)!.Value);
        }

        SourceSpan? span = SourceSpans.From(invocation);
        if (IntrinsicResolver.IsStopGradient(target))
        {
            return new IntrinsicExpression(Intrinsic.StopGradient, arguments.ToEquatableArray(), returnType.Value, span);
        }

        if (IntrinsicResolver.IsMathType(target.ContainingType))
        {
            Intrinsic? intrinsic = IntrinsicResolver.Resolve(target);
            if (intrinsic is null)
            {
                return Unsupported(
                    invocation,
                    $"{target.ContainingType.Name}.{target.Name} has no derivative rule",
                    "Wrap it in a method of your own and supply its derivative with [DerivativeOf].");
            }

            return new IntrinsicExpression(intrinsic.Value, arguments.ToEquatableArray(), returnType.Value, span);
        }

        bool onThis = invocation.Instance is IInstanceReferenceOperation;
        if (!target.IsStatic && !onThis)
        {
            return Unsupported(invocation, "calls on other objects are not supported", "Call static methods, or methods of this instance.");
        }

        bool isDifferentiable = ScalarTypes.HasAttribute(target, KnownNames.DifferentiableAttribute);
        var parameters = target.Parameters
            .Select(p =>
            {
                ArrayType? array = ArrayTypes.From(p.Type);
                ScalarType element = array?.Element ?? ScalarTypes.From(p.Type)!.Value;
                return new CallParameter(p.Name, element, element.IsDifferentiable() && !ScalarTypes.HasAttribute(p, KnownNames.NoDerivativeAttribute), array);
            })
            .ToEquatableArray();
        // A method that sees only data (ints, bools, int arrays) returns data, whatever its type.
        bool onlyData = parameters.All(p => !p.Type.IsDifferentiable());
        CallKind kind = isDifferentiable ? CallKind.Differentiable : onlyData ? CallKind.Data : CallKind.NeedsDerivative;
        string typeName = target.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat);
        return new CallExpression(new CallTarget(typeName, target.Name, kind, parameters, IsInstance: !target.IsStatic), arguments.ToEquatableArray(), returnType.Value, span);
    }

    private IrExpression Unsupported(IOperation operation, string what, string todo)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, operation, what, todo);
        return Invalid;
    }

    private static BinaryOperator? ArithmeticOperator(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.Add => BinaryOperator.Add,
        BinaryOperatorKind.Subtract => BinaryOperator.Subtract,
        BinaryOperatorKind.Multiply => BinaryOperator.Multiply,
        BinaryOperatorKind.Divide => BinaryOperator.Divide,
        BinaryOperatorKind.Remainder => BinaryOperator.Remainder,
        _ => null,
    };

    private static ScalarType Wider(ScalarType left, ScalarType right)
    {
        if (left == ScalarType.Double || right == ScalarType.Double)
        {
            return ScalarType.Double;
        }

        if (left == ScalarType.Float || right == ScalarType.Float)
        {
            return ScalarType.Float;
        }

        return left;
    }

    /// <summary>Makes an operand the given type: constants are retyped, everything else is cast.</summary>
    internal static IrExpression Coerce(IrExpression expression, ScalarType type)
    {
        if (expression.Type == type || ReferenceEquals(expression, Invalid))
        {
            return expression;
        }

        return expression is ConstantExpression constant && type != ScalarType.Bool && constant.Type != ScalarType.Bool
            ? ConstantExpression.Of(type == ScalarType.Int ? Math.Truncate(constant.Value) : type == ScalarType.Float ? (float)constant.Value : constant.Value, type)
            : new CastExpression(expression, type);
    }
}
