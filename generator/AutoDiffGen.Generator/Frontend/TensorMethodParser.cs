using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>
/// The frontend of <c>[Differentiable]</c> methods over tensors: lowers the body to a straight-line list
/// of <see cref="TensorOp"/>s. Operations are <c>TensorOps</c> calls, tensor operators, <c>Dense.Apply</c>
/// of a layer field and calls of other <c>[Differentiable]</c> tensor methods of the type (inlined).
/// </summary>
internal sealed class TensorMethodParser
{
    private const int MaximumInlineDepth = 8;

    private static readonly Dictionary<string, TensorOp> Ops = new()
    {
        ["Dense"] = TensorOp.Dense,
        ["DenseRelu"] = TensorOp.DenseRelu,
        ["MatMul"] = TensorOp.MatMul,
        ["Add"] = TensorOp.Add,
        ["Sub"] = TensorOp.Sub,
        ["Mul"] = TensorOp.Mul,
        ["Div"] = TensorOp.Div,
        ["Maximum"] = TensorOp.Maximum,
        ["Minimum"] = TensorOp.Minimum,
        ["Negate"] = TensorOp.Negate,
        ["Exp"] = TensorOp.Exp,
        ["Log"] = TensorOp.Log,
        ["Sqrt"] = TensorOp.Sqrt,
        ["Tanh"] = TensorOp.Tanh,
        ["Sigmoid"] = TensorOp.Sigmoid,
        ["Relu"] = TensorOp.Relu,
        ["Pow"] = TensorOp.Pow,
        ["Sum"] = TensorOp.Sum,
        ["Mean"] = TensorOp.Mean,
        ["Max"] = TensorOp.Max,
        ["Softmax"] = TensorOp.Softmax,
        ["LogSoftmax"] = TensorOp.LogSoftmax,
        ["SoftmaxCrossEntropy"] = TensorOp.SoftmaxCrossEntropy,
        ["Map"] = TensorOp.Map,
    };

    private readonly IMethodSymbol _method;
    private readonly string _displayName;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private readonly List<TensorOpIr> _operations = new();
    private readonly HashSet<string> _names = new();
    private readonly Stack<IMethodSymbol> _inlining = new();

    private TensorMethodParser(IMethodSymbol method, string displayName, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        _method = method;
        _displayName = displayName;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
    }

    public static bool IsTensorMethod(IMethodSymbol method) =>
        IsTensor(method.ReturnType) || method.Parameters.Any(p => IsTensor(p.Type));

    private static bool IsTensor(ITypeSymbol? type) => type?.ToDisplayString() == KnownNames.Tensor;

    public static ParseResult Parse(
        IMethodSymbol method,
        MethodDeclarationSyntax syntax,
        SemanticModel semanticModel,
        string displayName,
        SourceSpan? methodSpan,
        CancellationToken cancellationToken)
    {
        var diagnostics = new List<DiagnosticInfo>();
        ContainingType? containingType = MethodParser.DescribeContainingTypes(method, displayName, diagnostics);
        MethodParser.CheckMethodShape(method, syntax, displayName, methodSpan, diagnostics);
        MethodParser.CheckGeneratedNamesAreFree(method, displayName, methodSpan, diagnostics);

        bool returnsScalar = method.ReturnType.SpecialType == SpecialType.System_Single;
        if (!returnsScalar && !IsTensor(method.ReturnType))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedType,
                SourceSpans.From(syntax.ReturnType),
                $"The return value of '{displayName}'",
                method.ReturnType.ToDisplayString(),
                "return a Tensor, or a float loss (for example Mean(...).ToScalar())"));
        }

        var inputs = new List<TensorInputIr>();
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            bool isTensor = IsTensor(parameter.Type);
            bool isScalar = parameter.Type.SpecialType is SpecialType.System_Single or SpecialType.System_Int32 or SpecialType.System_Boolean;
            if ((!isTensor && !isScalar) || parameter.RefKind != RefKind.None)
            {
                diagnostics.Add(DiagnosticInfo.Create(
                    DiagnosticDescriptors.UnsupportedType,
                    SourceSpans.From(parameter.Locations.FirstOrDefault()),
                    $"Parameter '{parameter.Name}'",
                    parameter.Type.ToDisplayString(),
                    "tensor methods take Tensor arguments, and float, int or bool data passed by value"));
                continue;
            }

            bool differentiable = isTensor && ScalarTypes.HasAttribute(parameter, KnownNames.DifferentiableAttribute);
            inputs.Add(new TensorInputIr(parameter.Name, isTensor ? "global::AutoDiffGen.Tensor" : parameter.Type.ToDisplayString(), isTensor, differentiable));
        }

        var parser = new TensorMethodParser(method, displayName, diagnostics, cancellationToken);
        TensorOperand? result = null;
        if (semanticModel.GetOperation(syntax, cancellationToken) is IMethodBodyOperation body && diagnostics.Count == 0)
        {
            var environment = new Dictionary<ISymbol, TensorOperand>(SymbolEqualityComparer.Default);
            foreach (IParameterSymbol parameter in method.Parameters)
            {
                environment[parameter] = IsTensor(parameter.Type)
                    ? new TensorOperand(TensorOperandKind.Input, parameter.Name)
                    : new TensorOperand(TensorOperandKind.ScalarInput, parameter.Name);
                parser._names.Add(parameter.Name);
            }

            result = parser.LowerBody(body.BlockBody ?? body.ExpressionBody!, environment);
        }

        bool hasErrors = diagnostics.Any(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error);
        if (!hasErrors && result is not null && returnsScalar != (result.Kind is TensorOperandKind.Constant or TensorOperandKind.ScalarInput || parser.IsScalarValue(result)))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedMethod,
                methodSpan,
                displayName,
                returnsScalar ? "a float result must come from ToScalar() of a one-element tensor" : "the returned value is not a tensor"));
            hasErrors = true;
        }

        if (!hasErrors && !method.IsStatic && parser._operations.Count == 0)
        {
            hasErrors = true;
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedMethod, methodSpan, displayName, "it performs no tensor operation"));
        }

        if (hasErrors || containingType is null || result is null)
        {
            return new ParseResult(null, diagnostics.ToEquatableArray(), displayName, methodSpan);
        }

        var ir = new TensorMethodIr(
            containingType,
            method.Name,
            MethodParser.Accessibility(method.DeclaredAccessibility),
            method.IsStatic,
            returnsScalar,
            inputs.ToEquatableArray(),
            parser._operations.ToEquatableArray(),
            result,
            ModelParameters(method.ContainingType).ToEquatableArray(),
            methodSpan);
        return new ParseResult(null, diagnostics.ToEquatableArray(), displayName, methodSpan, ir);
    }

    private bool IsScalarValue(TensorOperand operand) =>
        operand.Kind == TensorOperandKind.Value && _operations.Any(o => o.Result == operand.Name && o.Op == TensorOp.ToScalar);

    private TensorOperand? LowerBody(IOperation body, Dictionary<ISymbol, TensorOperand> environment)
    {
        TensorOperand? result = null;
        foreach (IOperation statement in body is IBlockOperation block ? block.Operations : (IEnumerable<IOperation>)new[] { body })
        {
            _cancellationToken.ThrowIfCancellationRequested();
            switch (statement)
            {
                case IVariableDeclarationGroupOperation group:
                    foreach (IVariableDeclaratorOperation declarator in group.Declarations.SelectMany(d => d.Declarators))
                    {
                        IOperation? value = declarator.Initializer?.Value;
                        if (value is null)
                        {
                            Report(DiagnosticDescriptors.UnsupportedStatement, declarator, "uninitialised local", "Give every tensor local its value where it is declared");
                            continue;
                        }

                        TensorOperand? lowered = Lower(value, environment, declarator.Symbol.Name);
                        if (lowered is not null)
                        {
                            environment[declarator.Symbol] = lowered;
                        }
                    }

                    break;
                case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment }:
                    TensorOperand? reassigned = Lower(assignment.Value, environment, local.Local.Name);
                    if (reassigned is not null)
                    {
                        environment[local.Local] = reassigned;
                    }

                    break;
                case IReturnOperation { ReturnedValue: { } returned }:
                    result = Lower(returned, environment, null);
                    break;
                case IEmptyOperation:
                    break;
                default:
                    Report(
                        DiagnosticDescriptors.UnsupportedStatement,
                        statement,
                        statement.Syntax is IfStatementSyntax or ForStatementSyntax or WhileStatementSyntax or ForEachStatementSyntax ? "control-flow" : statement.Kind.ToString(),
                        "Tensor methods are straight-line: declare locals, call tensor operations and return; put loops in the training code that calls them");
                    break;
            }
        }

        return result;
    }

    /// <summary>Lowers an expression; <paramref name="name"/> names the value it produces (a local's name).</summary>
    private TensorOperand? Lower(IOperation operation, Dictionary<ISymbol, TensorOperand> environment, string? name)
    {
        if (operation.ConstantValue.HasValue && operation.ConstantValue.Value is IConvertible constant && operation.Type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double or SpecialType.System_Int32)
        {
            return new TensorOperand(TensorOperandKind.Constant, string.Empty, constant.ToDouble(System.Globalization.CultureInfo.InvariantCulture));
        }

        switch (operation)
        {
            case IConversionOperation conversion when conversion.OperatorMethod is null:
                return Lower(conversion.Operand, environment, name);
            case IConversionOperation { OperatorMethod.ContainingType: var owner } conversion
                when owner.ToDisplayString() == KnownNames.Tensor && conversion.Type?.SpecialType == SpecialType.System_Single:
                // float loss = Mean(...): the implicit conversion is ToScalar().
                return Emit(TensorOp.ToScalar, conversion, name, environment, conversion.Operand);
            case IParameterReferenceOperation parameter when environment.TryGetValue(parameter.Parameter, out TensorOperand? bound):
                return bound;
            case ILocalReferenceOperation local when environment.TryGetValue(local.Local, out TensorOperand? bound):
                return bound;
            case IFieldReferenceOperation field when IsTensor(field.Type) && IsParameterField(field.Field):
                return new TensorOperand(TensorOperandKind.Parameter, field.Field.Name);
            case IPropertyReferenceOperation { Property.Name: "W" or "B" } property
                when property.Property.ContainingType.ToDisplayString() == KnownNames.DenseLayer && property.Instance is IFieldReferenceOperation layer && IsParameterField(layer.Field):
                return new TensorOperand(TensorOperandKind.Parameter, $"{layer.Field.Name}.{property.Property.Name}");
            case IBinaryOperation binary when binary.OperatorMethod?.ContainingType.ToDisplayString() == KnownNames.Tensor:
                TensorOp? op = binary.OperatorKind switch
                {
                    BinaryOperatorKind.Add => TensorOp.Add,
                    BinaryOperatorKind.Subtract => TensorOp.Sub,
                    BinaryOperatorKind.Multiply => TensorOp.Mul,
                    BinaryOperatorKind.Divide => TensorOp.Div,
                    _ => null,
                };
                return op is null
                    ? Unsupported(binary, $"the tensor operator {binary.OperatorKind} is not supported", "Use + - * / or a TensorOps function")
                    : Emit(op.Value, binary, name, environment, binary.LeftOperand, binary.RightOperand);
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Minus } negation when negation.OperatorMethod?.ContainingType.ToDisplayString() == KnownNames.Tensor:
                return Emit(TensorOp.Negate, negation, name, environment, negation.Operand);
            case IInvocationOperation invocation:
                return LowerInvocation(invocation, environment, name);
            case IFieldReferenceOperation field:
                return Unsupported(field, $"the field '{field.Field.Name}' is not a [Parameter]", "Mark trainable tensors and layers [Parameter]; pass other tensors as arguments");
            case IBinaryOperation or IUnaryOperation when operation.Type?.SpecialType is SpecialType.System_Single or SpecialType.System_Double:
                return Unsupported(operation, "float arithmetic is not differentiated in tensor methods", "Keep values as tensors (a loss is a one-element tensor) and call ToScalar() once, at the end");
            default:
                return Unsupported(operation, $"{operation.Kind} expressions are not supported in tensor methods", "Use TensorOps functions, tensor operators, layers' Apply and other [Differentiable] tensor methods");
        }
    }

    private static bool IsParameterField(IFieldSymbol field) => ScalarTypes.HasAttribute(field, KnownNames.ParameterAttribute);

    /// <summary>Every trainable tensor of the type, as paths: <c>W1</c>, or <c>Hidden.W</c> and <c>Hidden.B</c> for a layer.</summary>
    internal static IEnumerable<string> ModelParameters(INamedTypeSymbol type)
    {
        foreach (IFieldSymbol field in type.GetMembers().OfType<IFieldSymbol>().Where(IsParameterField))
        {
            if (field.Type.ToDisplayString() == KnownNames.DenseLayer)
            {
                yield return field.Name + ".W";
                yield return field.Name + ".B";
            }
            else if (IsTensor(field.Type))
            {
                yield return field.Name;
            }
        }
    }

    private TensorOperand? LowerInvocation(IInvocationOperation invocation, Dictionary<ISymbol, TensorOperand> environment, string? name)
    {
        IMethodSymbol target = invocation.TargetMethod;
        string type = target.ContainingType.ToDisplayString();
        IOperation[] arguments = invocation.Arguments.OrderBy(a => a.Parameter?.Ordinal ?? 0).Select(a => a.Value).ToArray();

        if (type == KnownNames.TensorOps && Ops.TryGetValue(target.Name, out TensorOp op))
        {
            if (target.Parameters.Any(p => p.Name == "destination" || p.Name == "softmaxDestination"))
            {
                return Unsupported(invocation, $"the destination form of TensorOps.{target.Name} is not supported", "Call the form that returns a new tensor; the generated code plans the buffers itself");
            }

            return op switch
            {
                TensorOp.Sum or TensorOp.Mean or TensorOp.Max => LowerReduction(op, invocation, arguments, environment, name),
                TensorOp.Pow => Emit(op, invocation, name, environment, arguments[0], arguments[1]),
                TensorOp.Map => LowerMap(invocation, arguments, environment, name),
                _ => Emit(op, invocation, name, environment, arguments),
            };
        }

        if (target.Name == "ToScalar" && type == KnownNames.Tensor && invocation.Instance is { } scalarSource)
        {
            return Emit(TensorOp.ToScalar, invocation, name, environment, scalarSource);
        }

        if (target.Name == "Apply" && type == KnownNames.DenseLayer && invocation.Instance is IFieldReferenceOperation layer && IsParameterField(layer.Field))
        {
            TensorOperand? input = Lower(arguments[0], environment, null);
            if (input is null)
            {
                return null;
            }

            return Add(TensorOp.Dense, invocation, name, new[]
            {
                input,
                new TensorOperand(TensorOperandKind.Parameter, $"{layer.Field.Name}.W"),
                new TensorOperand(TensorOperandKind.Parameter, $"{layer.Field.Name}.B"),
            });
        }

        if (ScalarTypes.HasAttribute(target, KnownNames.DifferentiableAttribute) && IsTensorMethod(target)
            && SymbolEqualityComparer.Default.Equals(target.ContainingType, _method.ContainingType)
            && (target.IsStatic || invocation.Instance is IInstanceReferenceOperation))
        {
            return Inline(invocation, target, arguments, environment, name);
        }

        return Unsupported(
            invocation,
            $"'{target.ContainingType.Name}.{target.Name}' is not a tensor operation the generator knows",
            "Use TensorOps functions, tensor operators, a [Parameter] layer's Apply, ToScalar() and other [Differentiable] tensor methods of this type");
    }

    private TensorOperand? LowerReduction(TensorOp op, IInvocationOperation invocation, IOperation[] arguments, Dictionary<ISymbol, TensorOperand> environment, string? name)
    {
        int axis = -1;
        bool keepDims = false;
        if (arguments.Length >= 2)
        {
            if (arguments[1].ConstantValue is not { HasValue: true, Value: int constantAxis } || constantAxis < 0)
            {
                return Unsupported(arguments[1], "the reduction axis must be a non-negative int constant", "Write the axis as a literal or const");
            }

            axis = constantAxis;
            if (arguments.Length >= 3)
            {
                if (arguments[2].ConstantValue is not { HasValue: true, Value: bool constantKeep })
                {
                    return Unsupported(arguments[2], "keepDims must be a bool constant", "Write true or false");
                }

                keepDims = constantKeep;
            }
        }

        TensorOperand? input = Lower(arguments[0], environment, null);
        return input is null ? null : Add(op, invocation, name, new[] { input }, axis, keepDims);
    }

    private TensorOperand? LowerMap(IInvocationOperation invocation, IOperation[] arguments, Dictionary<ISymbol, TensorOperand> environment, string? name)
    {
        // Map(x, F): F must be a method group naming a [Differentiable] static float(float) method.
        IMethodSymbol? function = (arguments[1] as IDelegateCreationOperation)?.Target is IMethodReferenceOperation reference ? reference.Method : null;
        if (function is null || !function.IsStatic || !ScalarTypes.HasAttribute(function, KnownNames.DifferentiableAttribute)
            || function.Parameters.Length != 1 || function.Parameters[0].Type.SpecialType != SpecialType.System_Single
            || function.ReturnType.SpecialType != SpecialType.System_Single)
        {
            return Unsupported(arguments[1], "Map needs a [Differentiable] static float(float) method, named directly", "Write Map(x, MyFunction) with MyFunction marked [Differentiable]");
        }

        TensorOperand? input = Lower(arguments[0], environment, null);
        if (input is null)
        {
            return null;
        }

        var reference2 = new MethodReference(function.ContainingType.ToDisplayString(SymbolDisplayFormat.FullyQualifiedFormat), function.Name, IsStatic: true);
        return Add(TensorOp.Map, invocation, name, new[] { input }, function: reference2);
    }

    private TensorOperand? Inline(IInvocationOperation invocation, IMethodSymbol target, IOperation[] arguments, Dictionary<ISymbol, TensorOperand> environment, string? name)
    {
        if (_inlining.Count >= MaximumInlineDepth || _inlining.Contains(target, SymbolEqualityComparer.Default) || SymbolEqualityComparer.Default.Equals(target, _method))
        {
            return Unsupported(invocation, "recursive tensor methods are not supported", "Tensor methods are inlined into their callers; break the cycle");
        }

        if (target.DeclaringSyntaxReferences.FirstOrDefault()?.GetSyntax(_cancellationToken) is not MethodDeclarationSyntax declaration)
        {
            return Unsupported(invocation, $"the body of '{target.Name}' is not available", "Declare it in this project");
        }

        var calleeEnvironment = new Dictionary<ISymbol, TensorOperand>(SymbolEqualityComparer.Default);
        for (int i = 0; i < target.Parameters.Length; i++)
        {
            TensorOperand? argument = Lower(arguments[i], environment, null);
            if (argument is null)
            {
                return null;
            }

            calleeEnvironment[target.Parameters[i]] = argument;
        }

        SemanticModel model = invocation.SemanticModel!.Compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetOperation(declaration, _cancellationToken) is not IMethodBodyOperation body)
        {
            return null;
        }

        _inlining.Push(target);
        TensorOperand? result = LowerBody(body.BlockBody ?? body.ExpressionBody!, calleeEnvironment);
        _inlining.Pop();
        return result;
    }

    private TensorOperand? Emit(TensorOp op, IOperation operation, string? name, Dictionary<ISymbol, TensorOperand> environment, params IOperation[] arguments)
    {
        var lowered = new List<TensorOperand>();
        foreach (IOperation argument in arguments)
        {
            TensorOperand? operand = Lower(argument, environment, null);
            if (operand is null)
            {
                return null;
            }

            lowered.Add(operand);
        }

        return Add(op, operation, name, lowered);
    }

    private TensorOperand Add(TensorOp op, IOperation operation, string? name, IReadOnlyList<TensorOperand> arguments, int axis = -1, bool keepDims = false, MethodReference? function = null)
    {
        string preferred = name ?? char.ToLowerInvariant(op.ToString()[0]) + op.ToString().Substring(1);
        string result = preferred;
        for (int suffix = 2; !_names.Add(result); suffix++)
        {
            result = $"{preferred}{suffix}";
        }

        _operations.Add(new TensorOpIr(result, op, arguments.ToEquatableArray(), axis, keepDims, function, SourceSpans.From(operation)));
        return new TensorOperand(TensorOperandKind.Value, result);
    }

    private TensorOperand? Unsupported(IOperation operation, string what, string todo)
    {
        Report(DiagnosticDescriptors.UnsupportedExpression, operation, what, todo);
        return null;
    }

    private void Report(DiagnosticDescriptor descriptor, IOperation operation, string what, string todo)
    {
        string code = operation.Syntax.ToString();
        if (code.Length > 60)
        {
            code = code.Substring(0, 57) + "...";
        }

        _diagnostics.Add(DiagnosticInfo.Create(descriptor, SourceSpans.From(operation), code, what, todo.TrimEnd('.')));
    }
}
