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
/// Walks one method's <see cref="IOperation"/> tree and builds IR statements. Every construct outside
/// the differentiable subset becomes a diagnostic at its exact location; lowering goes on so one build
/// reports all of them.
/// </summary>
internal sealed partial class OperationLowerer
{
    private readonly IMethodSymbol _method;
    private readonly string _displayName;
    private readonly ScalarType _returnType;
    private readonly List<DiagnosticInfo> _diagnostics;
    private readonly CancellationToken _cancellationToken;
    private readonly Dictionary<ILocalSymbol, LocalIr> _locals = new(SymbolEqualityComparer.Default);
    private readonly List<LocalIr> _localOrder = new();
    private readonly HashSet<string> _usedNames = new();

    public OperationLowerer(IMethodSymbol method, string displayName, ScalarType returnType, List<DiagnosticInfo> diagnostics, CancellationToken cancellationToken)
    {
        _method = method;
        _displayName = displayName;
        _returnType = returnType;
        _diagnostics = diagnostics;
        _cancellationToken = cancellationToken;
        foreach (IParameterSymbol parameter in method.Parameters)
        {
            _usedNames.Add(parameter.Name);
        }
    }

    /// <summary>All locals of the method, renamed apart where scopes reused a name, in declaration order.</summary>
    public EquatableArray<LocalIr> Locals => _localOrder.ToEquatableArray();

    public Block LowerBody(IOperation body) => new(LowerStatement(body).ToEquatableArray());

    private bool HasErrors => _diagnostics.Any(d => DiagnosticDescriptors.Find(d.Id)?.DefaultSeverity == DiagnosticSeverity.Error);

    private Block LowerBlock(IOperation? operation) =>
        operation is null ? Block.Empty : new Block(LowerStatement(operation).ToEquatableArray());

    private List<IrStatement> LowerStatement(IOperation operation)
    {
        _cancellationToken.ThrowIfCancellationRequested();
        var statements = new List<IrStatement>();
        switch (operation)
        {
            case IBlockOperation block:
                foreach (IOperation child in block.Operations)
                {
                    statements.AddRange(LowerStatement(child));
                }

                break;

            case IVariableDeclarationGroupOperation group:
                foreach (IVariableDeclarationOperation declaration in group.Declarations)
                {
                    foreach (IVariableDeclaratorOperation declarator in declaration.Declarators)
                    {
                        LocalIr? local = DeclareLocal(declarator.Symbol, declarator);
                        IOperation? value = declarator.Initializer?.Value ?? declaration.Initializer?.Value;
                        if (local?.Array is not null)
                        {
                            statements.AddRange(LowerArrayCreation(local, value, declarator));
                        }
                        else if (local is not null && value is not null)
                        {
                            statements.Add(new AssignStatement(local.Name, Coerce(LowerExpression(value), local.Type)));
                        }
                    }
                }

                break;

            case IExpressionStatementOperation expressionStatement:
                IrStatement? assignment = LowerAssignment(expressionStatement.Operation);
                if (assignment is not null)
                {
                    statements.Add(assignment);
                }

                break;

            case IReturnOperation returnOperation:
                statements.Add(new ReturnStatement(returnOperation.ReturnedValue is null
                    ? null
                    : Coerce(LowerExpression(returnOperation.ReturnedValue), _returnType)));
                break;

            case IConditionalOperation conditional:
                statements.Add(new IfStatement(
                    LowerCondition(conditional.Condition),
                    LowerBlock(conditional.WhenTrue),
                    LowerBlock(conditional.WhenFalse)));
                break;

            case IWhileLoopOperation loop when !loop.ConditionIsUntil:
                IrExpression condition = loop.Condition is null ? ConstantExpression.Of(1, ScalarType.Bool) : LowerCondition(loop.Condition);
                Block body = LowerBlock(loop.Body);
                statements.Add(loop.ConditionIsTop ? new WhileStatement(condition, body) : new DoWhileStatement(body, condition));
                break;

            case IForLoopOperation forLoop:
                var initializer = new List<IrStatement>();
                foreach (IOperation before in forLoop.Before)
                {
                    initializer.AddRange(LowerStatement(before));
                }

                var step = new List<IrStatement>();
                foreach (IOperation bottom in forLoop.AtLoopBottom)
                {
                    step.AddRange(LowerStatement(bottom));
                }

                statements.Add(new ForStatement(
                    new Block(initializer.ToEquatableArray()),
                    forLoop.Condition is null ? null : LowerCondition(forLoop.Condition),
                    new Block(step.ToEquatableArray()),
                    LowerBlock(forLoop.Body)));
                break;

            case IBranchOperation { BranchKind: BranchKind.Break }:
                statements.Add(new BreakStatement());
                break;

            case IBranchOperation { BranchKind: BranchKind.Continue }:
                statements.Add(new ContinueStatement());
                break;

            case IEmptyOperation:
                break;

            default:
                ReportUnsupportedStatement(operation);
                break;
        }

        return statements;
    }

    private IrStatement? LowerAssignment(IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation simple when ElementTarget(simple.Target) is { } element:
                return new ElementAssignStatement(element.Array, element.Indices, Coerce(LowerExpression(simple.Value), element.Type));

            case ICompoundAssignmentOperation compound when ElementTarget(compound.Target) is { } element:
                return LowerElementCompound(compound, element);

            case IIncrementOrDecrementOperation increment when ElementTarget(increment.Target) is { } element:
                IrExpression step = ConstantExpression.Of(increment.Kind == OperationKind.Increment ? 1 : -1, element.Type);
                return new ElementAssignStatement(element.Array, element.Indices, step, Accumulate: true);

            case ISimpleAssignmentOperation or ICompoundAssignmentOperation or IIncrementOrDecrementOperation when IsElementReference(operation.ChildOperations.First()):
                return null; // The element target was reported by ElementTarget.

            case ISimpleAssignmentOperation simple:
                if (AssignmentTarget(simple.Target) is { } target)
                {
                    return new AssignStatement(target.Name, Coerce(LowerExpression(simple.Value), target.Type));
                }

                return null;

            case ICompoundAssignmentOperation compound:
                if (AssignmentTarget(compound.Target) is { } compoundTarget)
                {
                    BinaryOperator? op = ArithmeticOperator(compound.OperatorKind);
                    if (op is null || compound.OperatorMethod is not null)
                    {
                        Report(DiagnosticDescriptors.UnsupportedExpression, compound, $"the compound operator {compound.OperatorKind} is not supported", "Use +=, -=, *= or /=.");
                        return null;
                    }

                    IrExpression value = LowerExpression(compound.Value);
                    ScalarType operationType = Wider(compoundTarget.Type, value.Type);
                    var combined = new BinaryExpression(
                        op.Value,
                        Coerce(new VariableExpression(compoundTarget.Name, compoundTarget.Type), operationType),
                        Coerce(value, operationType),
                        operationType);
                    CheckArithmetic(combined, compound);
                    return new AssignStatement(compoundTarget.Name, Coerce(combined, compoundTarget.Type));
                }

                return null;

            case IIncrementOrDecrementOperation increment:
                if (AssignmentTarget(increment.Target) is { } incrementTarget)
                {
                    var one = ConstantExpression.Of(1, incrementTarget.Type);
                    var variable = new VariableExpression(incrementTarget.Name, incrementTarget.Type);
                    BinaryOperator op = increment.Kind == OperationKind.Increment ? BinaryOperator.Add : BinaryOperator.Subtract;
                    return new AssignStatement(incrementTarget.Name, new BinaryExpression(op, variable, one, incrementTarget.Type));
                }

                return null;

            case IInvocationOperation invocation when CollectionCallAdvice(invocation.TargetMethod) is { } advice:
                Report(DiagnosticDescriptors.UnsupportedExpression, operation, advice, "A [Differentiable] method may only index arrays and spans, read their Length, and call other [Differentiable] methods");
                return null;

            default:
                Report(
                    DiagnosticDescriptors.UnsupportedStatement,
                    operation,
                    "expression",
                    "Only assignments, ++ and -- can stand alone; a [Differentiable] method must not have side effects");
                return null;
        }
    }

    /// <summary>The local or parameter an assignment writes, or null (with a diagnostic) for anything else.</summary>
    private VariableExpression? AssignmentTarget(IOperation target)
    {
        switch (target)
        {
            case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out LocalIr? ir) && ir.Array is not null:
                Report(DiagnosticDescriptors.UnsupportedExpression, target, "array variables cannot be reassigned", "Create each array once, with new T[n], and write its elements");
                return null;
            case ILocalReferenceOperation local when _locals.TryGetValue(local.Local, out LocalIr? ir):
                return new VariableExpression(ir.Name, ir.Type);
            case IParameterReferenceOperation parameter when ArrayTypes.From(parameter.Type) is not null:
                Report(DiagnosticDescriptors.UnsupportedExpression, target, "array parameters cannot be reassigned", "Copy the values into a local array");
                return null;
            case IParameterReferenceOperation parameter when ScalarTypes.From(parameter.Type) is { } type:
                return new VariableExpression(parameter.Parameter.Name, type);
            case ILocalReferenceOperation or IParameterReferenceOperation:
                return null; // Its unsupported type was already reported at the declaration.
            default:
                Report(
                    DiagnosticDescriptors.UnsupportedExpression,
                    target,
                    "only locals and parameters can be assigned",
                    "A [Differentiable] method must not write fields, properties or array elements; return the value instead.");
                return null;
        }
    }

    private LocalIr? DeclareLocal(ILocalSymbol symbol, IOperation declarator)
    {
        ArrayType? array = ScalarTypes.From(symbol.Type) is null ? ArrayTypes.From(symbol.Type) : null;
        ScalarType? type = ScalarTypes.From(symbol.Type) ?? array?.Element;
        if (type is null)
        {
            _diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedType,
                SourceSpans.From(declarator),
                $"Local '{symbol.Name}'",
                symbol.Type.ToDisplayString(),
                ArrayTypes.CollectionAdvice(symbol.Type) ?? ScalarTypes.SupportedTypesAdvice));
            return null;
        }

        if (symbol.IsRef)
        {
            Report(DiagnosticDescriptors.UnsupportedStatement, declarator, "a ref local", "Use a plain local.");
            return null;
        }

        // Locals are hoisted to method scope in generated code, so names reused in sibling scopes get a suffix.
        string name = symbol.Name;
        for (int suffix = 2; !_usedNames.Add(name); suffix++)
        {
            name = $"{symbol.Name}_{suffix}";
        }

        var local = new LocalIr(name, type.Value, array);
        _locals[symbol] = local;
        _localOrder.Add(local);
        return local;
    }

    private void ReportUnsupportedStatement(IOperation operation)
    {
        (string what, string todo) = operation.Syntax switch
        {
            ForEachStatementSyntax => ("foreach", "Use a for loop with an index."),
            SwitchStatementSyntax => ("switch", "Use if/else."),
            TryStatementSyntax => ("try", "Move error handling outside the [Differentiable] method."),
            ThrowStatementSyntax => ("throw", "Validate arguments before calling the [Differentiable] method."),
            UsingStatementSyntax => ("using", "Move resource handling outside the [Differentiable] method."),
            LockStatementSyntax => ("lock", "Move synchronisation outside the [Differentiable] method."),
            LocalFunctionStatementSyntax => ("local function", "Make it a separate [Differentiable] method."),
            GotoStatementSyntax => ("goto", "Use loops with break/continue."),
            LabeledStatementSyntax => ("labeled", "Use loops with break/continue."),
            YieldStatementSyntax => ("yield", "Return a single value."),
            _ => (operation.Kind.ToString(), "Rewrite it with assignments, if/else and loops, or move it into a method with a supplied [DerivativeOf] derivative."),
        };
        Report(DiagnosticDescriptors.UnsupportedStatement, operation, what, todo);
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
