using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Derivatives;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Flattens differentiable (float/double) expressions so every assignment applies one operation to
/// operands that are variables, constants or data-only expressions: <c>y = sin(x * w) + b</c> becomes
/// <c>_t0 = x * w; _t1 = sin(_t0); y = _t1 + b</c>. Each operation then gets exactly one derivative rule.
/// Differentiable conditionals (<c>c ? a : b</c>) become if/else, so only the taken branch is evaluated
/// and differentiated. Conditions and int/bool expressions stay as they are: no derivative flows through them.
/// </summary>
internal sealed class ThreeAddressLowering
{
    private readonly NameAllocator _names;
    private readonly List<LocalIr> _temporaries = new();

    private ThreeAddressLowering(NameAllocator names)
    {
        _names = names;
    }

    public static MethodIr Apply(MethodIr method, NameAllocator names)
    {
        var lowering = new ThreeAddressLowering(names);
        Block body = lowering.LowerBlock(method.Body);
        return method with { Body = body, Locals = method.Locals.Concat(lowering._temporaries).ToEquatableArray() };
    }

    /// <summary>True when an expression involves no differentiable variable: it is data, kept as a tree.</summary>
    public static bool IsData(IrExpression expression) => expression switch
    {
        _ when !expression.Type.IsDifferentiable() => true,
        ConstantExpression or ExternalValueExpression or CallExpression { Target.Kind: CallKind.Data } => true,
        VariableExpression or CallExpression or TapePopExpression or ElementExpression => false,
        CastExpression cast => IsData(cast.Operand),
        UnaryExpression unary => IsData(unary.Operand),
        BinaryExpression binary => IsData(binary.Left) && IsData(binary.Right),
        IntrinsicExpression intrinsic => intrinsic.Arguments.All(IsData),
        ConditionalExpression conditional => IsData(conditional.WhenTrue) && IsData(conditional.WhenFalse),
        _ => false,
    };

    private Block LowerBlock(Block block)
    {
        var output = new List<IrStatement>();
        foreach (IrStatement statement in block.Statements)
        {
            LowerStatement(statement, output);
        }

        return new Block(output.ToEquatableArray());
    }

    private void LowerStatement(IrStatement statement, List<IrStatement> output)
    {
        switch (statement)
        {
            case AssignStatement assign when assign.Value.Type.IsDifferentiable():
                LowerInto(assign.Target, assign.Value, output);
                break;
            case ElementAssignStatement element when element.Value.Type.IsDifferentiable():
                output.Add(element with { Value = ToOperand(element.Value, output) });
                break;
            case IfStatement branch:
                output.Add(branch with { Then = LowerBlock(branch.Then), Else = LowerBlock(branch.Else) });
                break;
            case WhileStatement loop:
                output.Add(loop with { Body = LowerBlock(loop.Body) });
                break;
            case DoWhileStatement loop:
                output.Add(loop with { Body = LowerBlock(loop.Body) });
                break;
            case ForStatement loop:
                output.Add(loop with { Initializer = LowerBlock(loop.Initializer), Step = LowerBlock(loop.Step), Body = LowerBlock(loop.Body) });
                break;
            case ReturnStatement { Value: { } value } when value.Type.IsDifferentiable():
                output.Add(new ReturnStatement(ToOperand(value, output)));
                break;
            default:
                output.Add(statement);
                break;
        }
    }

    /// <summary>Emits <c>target = expression</c> as one operation on flattened operands.</summary>
    private void LowerInto(string target, IrExpression expression, List<IrStatement> output)
    {
        if (expression is ConditionalExpression conditional && !IsData(conditional))
        {
            var whenTrue = new List<IrStatement>();
            var whenFalse = new List<IrStatement>();
            LowerInto(target, conditional.WhenTrue, whenTrue);
            LowerInto(target, conditional.WhenFalse, whenFalse);
            output.Add(new IfStatement(conditional.Condition, new Block(whenTrue.ToEquatableArray()), new Block(whenFalse.ToEquatableArray())));
            return;
        }

        IrExpression operation = FlattenOperands(expression, output);

        // A rule that reads the result must not have it overwrite one of its own operands in place.
        if (DerivativeRules.UsesResult(operation) && DerivativeRules.Operands(operation).Any(o => o is VariableExpression v && v.Name == target))
        {
            string temporary = NewTemporary(operation.Type);
            output.Add(new AssignStatement(temporary, operation));
            operation = Expr.Var(temporary, operation.Type);
        }

        output.Add(new AssignStatement(target, operation));
    }

    /// <summary>Returns the expression with each operand flattened to a variable, constant or data tree.</summary>
    private IrExpression FlattenOperands(IrExpression expression, List<IrStatement> output)
    {
        if (IsData(expression))
        {
            return expression;
        }

        switch (expression)
        {
            case BinaryExpression binary:
                IrExpression left = ToOperand(binary.Left, output);
                return binary with { Left = left, Right = ToOperand(binary.Right, output) };
            case UnaryExpression unary:
                return unary with { Operand = ToOperand(unary.Operand, output) };
            case CastExpression cast:
                return cast with { Operand = ToOperand(cast.Operand, output) };
            case IntrinsicExpression intrinsic:
                return intrinsic with { Arguments = intrinsic.Arguments.Select(a => ToOperand(a, output)).ToList().ToEquatableArray() };
            case CallExpression call:
                return call with { Arguments = call.Arguments.Select(a => ToOperand(a, output)).ToList().ToEquatableArray() };
            default:
                return expression;
        }
    }

    /// <summary>A variable, constant or data tree holding the expression's value, emitting temporaries as needed.</summary>
    private IrExpression ToOperand(IrExpression expression, List<IrStatement> output)
    {
        if (expression is VariableExpression || IsData(expression))
        {
            return expression;
        }

        string temporary = NewTemporary(expression.Type);
        LowerInto(temporary, expression, output);
        return Expr.Var(temporary, expression.Type);
    }

    private string NewTemporary(ScalarType type)
    {
        string name = _names.AllocateNumbered("_t");
        _temporaries.Add(new LocalIr(name, type));
        return name;
    }
}
