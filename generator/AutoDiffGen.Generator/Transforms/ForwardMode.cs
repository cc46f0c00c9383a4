using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Derivatives;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Forward mode as an IR→IR transform: every active assignment gets a tangent assignment
/// <c>_d_x = Σ ∂op/∂aᵢ · _d_aᵢ</c> from the same rules as reverse mode. Control flow stays as written,
/// so no tape is needed. The tangents of the parameters are the method's tangent inputs.
/// </summary>
internal sealed class ForwardMode
{
    private readonly MethodIr _method;
    private readonly ActivityAnalysis _activity;
    private readonly NameAllocator _names;
    private readonly Dictionary<string, ScalarType> _types = new();
    private readonly Dictionary<string, string> _tangents = new();
    private readonly List<LocalDeclaration> _extraLocals = new();
    private readonly Dictionary<string, ArrayType> _arrays = new();
    private readonly SweepResources _resources;

    private ForwardMode(MethodIr method, ActivityAnalysis activity, NameAllocator names, IReadOnlyDictionary<string, string> tangentParameters)
    {
        _method = method;
        _activity = activity;
        _names = names;
        _resources = new SweepResources(names);
        foreach (ParameterIr parameter in method.Parameters)
        {
            _types[parameter.Name] = parameter.Type;
            if (tangentParameters.TryGetValue(parameter.Name, out string? tangent))
            {
                _tangents[parameter.Name] = tangent;
            }

            if (parameter.Array is not null)
            {
                _arrays[parameter.Name] = parameter.Array;
            }
        }

        foreach (LocalIr local in method.Locals)
        {
            _types[local.Name] = local.Type;
            if (local.Array is not null)
            {
                _arrays[local.Name] = local.Array with { Kind = ArrayKind.Array };
            }
        }
    }

    /// <summary>Builds the tangent body; <paramref name="tangentParameters"/> name the parameters' (and outputs') tangents.</summary>
    public static GeneratedBody Apply(MethodIr method, ActivityAnalysis activity, NameAllocator names, IReadOnlyDictionary<string, string> tangentParameters)
    {
        var transform = new ForwardMode(method, activity, names, tangentParameters);
        Block body = transform.TransformBlock(method.Body);
        if (!method.ReturnsValue || body.IsEmpty || body.Statements[body.Count - 1] is not ReturnStatement)
        {
            body = new Block(body.Statements.AddRange(transform._resources.Releases));
        }

        var locals = method.Locals.Select(l => new LocalDeclaration(l.Name, l.Type, LocalRole.Primal, l.Array is null ? null : transform._arrays[l.Name]))
            .Concat(transform._extraLocals)
            .Concat(transform._tangents
                .Where(t => !method.Parameters.Any(p => p.Name == t.Key))
                .Select(t => new LocalDeclaration(t.Value, transform._types[t.Key], LocalRole.Derivative, transform._arrays.TryGetValue(t.Key, out ArrayType? array) ? array : null)));
        return new GeneratedBody(locals.ToEquatableArray(), EquatableArray<TapeDeclaration>.Empty, transform._resources.Scratch, body, EquatableArray<string>.Empty, Block.Empty);
    }

    private string Tangent(string name)
    {
        if (!_tangents.TryGetValue(name, out string? tangent))
        {
            tangent = _names.Allocate("_d_" + name.TrimStart('_'));
            _tangents[name] = tangent;
        }

        return tangent;
    }

    /// <summary>The tangent of an operand: its tangent variable if it is active, else zero.</summary>
    private IrExpression TangentOf(IrExpression operand, ScalarType type) =>
        operand is VariableExpression variable && _activity.IsActive(variable.Name)
            ? Expr.Var(Tangent(variable.Name), variable.Type)
            : Expr.Constant(0, type);

    private Block TransformBlock(Block block)
    {
        var output = new List<IrStatement>();
        foreach (IrStatement statement in block.Statements)
        {
            switch (statement)
            {
                case AssignStatement assign when _activity.IsActive(assign.Target):
                    output.AddRange(TransformAssignment(assign));
                    break;
                case ElementAssignStatement element when _activity.IsActive(element.Array):
                    // The tangent element follows the value's tangent, written before the value (which it does not read).
                    output.Add(new ElementAssignStatement(Tangent(element.Array), element.Indices, Expr.Cast(TangentOf(element.Value, element.Value.Type), _types[element.Array]), element.Accumulate));
                    output.Add(element);
                    break;
                case AllocateArrayStatement allocation:
                    output.Add(new AssignStatement(allocation.Name, _resources.Rent(allocation.Type.Element, allocation.Sizes.ToArray())));
                    if (_activity.IsActive(allocation.Name))
                    {
                        output.Add(new AssignStatement(Tangent(allocation.Name), _resources.Rent(allocation.Type.Element, allocation.Sizes.ToArray())));
                    }

                    break;
                case IfStatement branch:
                    output.Add(branch with { Then = TransformBlock(branch.Then), Else = TransformBlock(branch.Else) });
                    break;
                case WhileStatement loop:
                    output.Add(loop with { Body = TransformBlock(loop.Body) });
                    break;
                case DoWhileStatement loop:
                    output.Add(loop with { Body = TransformBlock(loop.Body) });
                    break;
                case ForStatement loop:
                    output.Add(loop with { Initializer = TransformBlock(loop.Initializer), Step = TransformBlock(loop.Step), Body = TransformBlock(loop.Body) });
                    break;
                case ReturnStatement { Value: null }:
                    break;
                case ReturnStatement ret:
                    IrExpression tangent = TangentOf(ret.Value!, _method.ReturnType);
                    output.AddRange(_resources.Releases);
                    output.Add(new ReturnStatement(new TupleExpression(EquatableArray.Create(ret.Value!, tangent))));
                    break;
                default:
                    output.Add(statement);
                    break;
            }
        }

        return new Block(output.ToEquatableArray());
    }

    private IEnumerable<IrStatement> TransformAssignment(AssignStatement assign)
    {
        string target = assign.Target;
        ScalarType type = _types[target];
        string tangent = Tangent(target);
        switch (assign.Value)
        {
            case ElementExpression element:
                yield return new AssignStatement(tangent, _activity.IsActive(element.Array)
                    ? Expr.Cast(new ElementExpression(Tangent(element.Array), element.Indices, element.Type), type)
                    : Expr.Constant(0, type));
                yield return assign;
                yield break;

            case CallExpression { Target.Kind: CallKind.Differentiable } call:
            {
                // The callee's own tangent method returns its value and tangent together.
                IEnumerable<IrExpression> tangents = call.Target.Parameters
                    .Select((p, i) => (p, i))
                    .Where(x => x.p.IsDifferentiable)
                    .Select(x => x.p.Array is null
                        ? TangentOf(call.Arguments[x.i], x.p.Type)
                        : call.Arguments[x.i] is ArrayReferenceExpression array && _activity.IsActive(array.Name)
                            ? Expr.Var(Tangent(array.Name), ScalarType.Inferred)
                            : _resources.Rent(x.p.Type, SweepResources.SizesOf((ArrayReferenceExpression)call.Arguments[x.i])));
                var tangentCall = new CallExpression(
                    call.Target with { MethodName = call.Target.MethodName + "Tangent", Kind = CallKind.Generated },
                    call.Arguments.AddRange(tangents),
                    ScalarType.Inferred,
                    null);
                yield return new DeconstructStatement(EquatableArray.Create(target, tangent), tangentCall);
                yield break;
            }

            case CallExpression { Target.Kind: CallKind.SuppliedDerivative } call:
            {
                var targets = new List<string> { target };
                var terms = new List<IrExpression>();
                for (int i = 0; i < call.Arguments.Count; i++)
                {
                    if (!call.Target.Parameters[i].IsDifferentiable)
                    {
                        continue;
                    }

                    string partial = _names.Allocate($"_d{target}_d{call.Target.Parameters[i].Name}");
                    _extraLocals.Add(new LocalDeclaration(partial, call.Type, LocalRole.Primal));
                    targets.Add(partial);
                    terms.Add(Expr.Multiply(Expr.Var(partial, call.Type), TangentOf(call.Arguments[i], call.Type)));
                }

                var derivativeCall = new CallExpression(
                    call.Target with { TypeName = call.Target.Derivative!.TypeName, MethodName = call.Target.Derivative.MethodName, IsInstance = !call.Target.Derivative.IsStatic, Kind = CallKind.Generated },
                    call.Arguments,
                    ScalarType.Inferred,
                    null);
                yield return new DeconstructStatement(targets.ToEquatableArray(), derivativeCall);
                yield return new AssignStatement(tangent, Expr.Cast(Expr.Sum(terms.Where(t => t is not ConstantExpression { IsZero: true })) ?? Expr.Constant(0, type), type));
                yield break;
            }
        }

        IReadOnlyList<IrExpression> operands = DerivativeRules.Operands(assign.Value);
        IrExpression?[] partials = DerivativeRules.Partials(assign.Value, Expr.Var(target, type));
        var contributions = new List<IrExpression>();
        for (int i = 0; i < operands.Count; i++)
        {
            if (partials[i] is { } partial && operands[i] is VariableExpression operand && _activity.IsActive(operand.Name))
            {
                contributions.Add(Expr.Cast(Expr.Multiply(partial, Expr.Var(Tangent(operand.Name), operand.Type)), type));
            }
        }

        var tangentAssignment = new AssignStatement(tangent, Expr.Sum(contributions) ?? Expr.Constant(0, type));
        if (DerivativeRules.UsesResult(assign.Value))
        {
            // The partial reads the new value; three-address lowering made sure no operand is overwritten.
            yield return assign;
            yield return tangentAssignment;
        }
        else
        {
            // The tangent reads the operands' old values, so it comes first.
            yield return tangentAssignment;
            yield return assign;
        }
    }
}
