using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;
using AutoDiffGen.Generator.Transforms;

namespace AutoDiffGen.Generator.Tensors;

/// <summary>
/// Fuses chains of elementwise operations (unary ops, and binary ops with a constant) whose
/// intermediate values nothing else reads into one operation: the chain becomes a synthesized scalar
/// function <c>float F(float)</c>, which the scalar pipeline differentiates and the elementwise emitter
/// turns into one forward and one backward kernel (SIMD on the CPU, one ILGPU kernel each on the GPU).
/// Intermediates are recomputed in registers instead of stored: fewer passes over memory, fewer launches.
/// </summary>
internal static class TensorFusion
{
    public static (TensorMethodIr Method, List<MethodIr> Functions) Apply(TensorMethodIr method)
    {
        var uses = new Dictionary<string, int>();
        foreach (TensorOperand argument in method.Operations.SelectMany(o => o.Arguments).Append(method.Result).Where(a => a.Kind == TensorOperandKind.Value))
        {
            uses[argument.Name] = uses.TryGetValue(argument.Name, out int count) ? count + 1 : 1;
        }

        var consumers = new Dictionary<string, TensorOpIr>();
        foreach (TensorOpIr op in method.Operations)
        {
            foreach (TensorOperand argument in op.Arguments.Where(a => a.Kind == TensorOperandKind.Value))
            {
                consumers[argument.Name] = op;
            }
        }

        var fusedAway = new HashSet<TensorOpIr>(ReferenceComparer.Instance);
        var replacements = new Dictionary<TensorOpIr, TensorOpIr>(ReferenceComparer.Instance);
        var functions = new List<MethodIr>();
        foreach (TensorOpIr start in method.Operations)
        {
            if (fusedAway.Contains(start) || TensorInput(start) is null)
            {
                continue;
            }

            var chain = new List<TensorOpIr> { start };
            TensorOpIr last = start;
            while (uses.TryGetValue(last.Result, out int count) && count == 1
                && consumers.TryGetValue(last.Result, out TensorOpIr? next)
                && TensorInput(next) is { Kind: TensorOperandKind.Value } input && input.Name == last.Result)
            {
                chain.Add(next);
                last = next;
            }

            if (chain.Count < 2)
            {
                continue;
            }

            string name = $"{method.Name}Fused{functions.Count}";
            functions.Add(Function(method, name, chain));
            foreach (TensorOpIr op in chain.Take(chain.Count - 1))
            {
                fusedAway.Add(op);
            }

            replacements[last] = new TensorOpIr(
                last.Result,
                TensorOp.Map,
                EquatableArray.Create(TensorInput(start)!),
                Function: new MethodReference(method.ContainingType.FullyQualifiedName, name, IsStatic: true),
                Span: last.Span);
        }

        if (functions.Count == 0)
        {
            return (method, functions);
        }

        var operations = method.Operations
            .Where(o => !fusedAway.Contains(o))
            .Select(o => replacements.TryGetValue(o, out TensorOpIr? fused) ? fused : o)
            .ToEquatableArray();
        return (method with { Operations = operations }, functions);
    }

    /// <summary>The one tensor argument of an elementwise operation that can join a chain, or null.</summary>
    internal static TensorOperand? TensorInput(TensorOpIr op)
    {
        switch (op.Op)
        {
            case TensorOp.Negate or TensorOp.Exp or TensorOp.Log or TensorOp.Sqrt or TensorOp.Tanh or TensorOp.Sigmoid or TensorOp.Relu:
                return op.Arguments[0];
            case TensorOp.Pow when op.Arguments[1].Kind == TensorOperandKind.Constant:
                return op.Arguments[0];
            case TensorOp.Add or TensorOp.Sub or TensorOp.Mul or TensorOp.Div or TensorOp.Maximum or TensorOp.Minimum:
                bool firstConstant = op.Arguments[0].Kind == TensorOperandKind.Constant, secondConstant = op.Arguments[1].Kind == TensorOperandKind.Constant;
                return firstConstant && op.Arguments[1].IsTensor ? op.Arguments[1] : secondConstant && op.Arguments[0].IsTensor ? op.Arguments[0] : null;
            default:
                return null;
        }
    }

    /// <summary>The chain as a scalar function of its input: <c>static float {name}(float x)</c>.</summary>
    private static MethodIr Function(TensorMethodIr method, string name, List<TensorOpIr> chain)
    {
        IrExpression value = Expr.Var("x", ScalarType.Float);
        foreach (TensorOpIr op in chain)
        {
            value = Scalar(op, value);
        }

        return new MethodIr(
            method.ContainingType,
            name,
            "private",
            IsStatic: true,
            ScalarType.Float,
            EquatableArray.Create(new ParameterIr("x", ScalarType.Float, IsDifferentiable: true, null)),
            EquatableArray<LocalIr>.Empty,
            new Block(EquatableArray.Create<IrStatement>(new ReturnStatement(value))),
            null);
    }

    private static IrExpression Scalar(TensorOpIr op, IrExpression x)
    {
        IrExpression C(double value) => Expr.Constant(value, ScalarType.Float);
        IrExpression F(Intrinsic function, params IrExpression[] arguments) => new IntrinsicExpression(function, arguments.ToEquatableArray(), ScalarType.Float, null);
        IrExpression Other() => op.Arguments.First(a => a.Kind == TensorOperandKind.Constant) is { } constant ? C(constant.Constant) : C(0);
        bool constantFirst = op.Arguments[0].Kind == TensorOperandKind.Constant;
        IrExpression Binary(BinaryOperator @operator) => constantFirst
            ? new BinaryExpression(@operator, Other(), x, ScalarType.Float)
            : new BinaryExpression(@operator, x, Other(), ScalarType.Float);
        return op.Op switch
        {
            TensorOp.Negate => new UnaryExpression(UnaryOperator.Negate, x, ScalarType.Float),
            TensorOp.Exp => F(Intrinsic.Exp, x),
            TensorOp.Log => F(Intrinsic.Log, x),
            TensorOp.Sqrt => F(Intrinsic.Sqrt, x),
            TensorOp.Tanh => F(Intrinsic.Tanh, x),
            TensorOp.Sigmoid => new BinaryExpression(BinaryOperator.Divide, C(1), new BinaryExpression(BinaryOperator.Add, C(1), F(Intrinsic.Exp, new UnaryExpression(UnaryOperator.Negate, x, ScalarType.Float)), ScalarType.Float), ScalarType.Float),
            TensorOp.Relu => F(Intrinsic.Max, x, C(0)),
            TensorOp.Pow => F(Intrinsic.Pow, x, Other()),
            TensorOp.Add => Binary(BinaryOperator.Add),
            TensorOp.Sub => Binary(BinaryOperator.Subtract),
            TensorOp.Mul => Binary(BinaryOperator.Multiply),
            TensorOp.Div => Binary(BinaryOperator.Divide),
            TensorOp.Maximum => F(Intrinsic.Max, constantFirst ? Other() : x, constantFirst ? x : Other()),
            _ => F(Intrinsic.Min, constantFirst ? Other() : x, constantFirst ? x : Other()),
        };
    }

    private sealed class ReferenceComparer : IEqualityComparer<TensorOpIr>
    {
        public static readonly ReferenceComparer Instance = new();

        public bool Equals(TensorOpIr? x, TensorOpIr? y) => ReferenceEquals(x, y);

        public int GetHashCode(TensorOpIr obj) => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj);
    }
}
