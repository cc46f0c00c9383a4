using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>
/// Statement-level preaccumulation of a reverse loop's body. Between two changes of primal state (a pop, a
/// primal assignment, a call, a branch or a loop) every adjoint statement is linear in the adjoints, so a run
/// of them is one linear map: <c>_d_t0 = (1 - s) * _d_s; _d_t1 = r * s * _d_s; _d_s = -_d_t1; _d_r += s * _d_t0;
/// _d_s += r * _d_t0</c> is <c>_d_r += s * (1 - s) * _d_s; _d_s = (r * (1 - s) - r * s) * _d_s</c>. Emitting
/// the map instead of the steps takes the temporaries' adjoints off the critical path: a loop-carried adjoint
/// waits on one multiply per trip, as in a hand-written gradient, not on a chain of them. The coefficients are
/// the same partials, multiplied in another order, so results can differ in the last bits.
/// </summary>
internal static class AdjointPreaccumulation
{
    /// <summary>The longest a run's coefficients may grow (operations) before the run is left as it is.</summary>
    private const int MaxCoefficientOperations = 24;

    /// <summary>
    /// Rewrites each run of linear adjoint statements inside loops. Straight-line code outside loops keeps its
    /// step-by-step adjoints: there nothing waits on a chain trip after trip, and the steps read better.
    /// </summary>
    public static List<IrStatement> Apply(List<IrStatement> statements, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays) =>
        Apply(statements, adjoints, adjointArrays, insideLoop: false);

    private static List<IrStatement> Apply(List<IrStatement> statements, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays, bool insideLoop)
    {
        var output = new List<IrStatement>();
        var run = new List<IrStatement>();
        foreach (IrStatement statement in statements)
        {
            if (insideLoop && IsLinearStep(statement, adjoints, adjointArrays))
            {
                run.Add(statement);
                continue;
            }

            output.AddRange(Rewrite(run, adjoints, adjointArrays));
            run.Clear();
            output.Add(statement switch
            {
                IfStatement branch => new IfStatement(branch.Condition, Nested(branch.Then, adjoints, adjointArrays, insideLoop), Nested(branch.Else, adjoints, adjointArrays, insideLoop)),
                ForStatement loop => loop with { Body = Nested(loop.Body, adjoints, adjointArrays, insideLoop: true) },
                WhileStatement loop => loop with { Body = Nested(loop.Body, adjoints, adjointArrays, insideLoop: true) },
                DoWhileStatement loop => loop with { Body = Nested(loop.Body, adjoints, adjointArrays, insideLoop: true) },
                _ => statement,
            });
        }

        output.AddRange(Rewrite(run, adjoints, adjointArrays));
        return output;
    }

    private static Block Nested(Block block, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays, bool insideLoop) =>
        new(Apply(block.Statements.ToList(), adjoints, adjointArrays, insideLoop).ToEquatableArray());

    /// <summary><c>_d_a = e</c>, <c>_d_a += e</c> or <c>_d_arr[i] += e</c> with e linear in scalar adjoints.</summary>
    private static bool IsLinearStep(IrStatement statement, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays) => statement switch
    {
        AssignStatement assign => adjoints.ContainsKey(assign.Target) && Linear(assign.Value, adjoints, adjointArrays) is not null,
        ElementAssignStatement { Accumulate: true } element => adjointArrays.Contains(element.Array)
            && element.Indices.All(i => IsPrimal(i, adjoints, adjointArrays))
            && Linear(element.Value, adjoints, adjointArrays) is not null,
        _ => false,
    };

    /// <summary>The run as one linear map, or the run unchanged when that would not be simpler.</summary>
    private static IEnumerable<IrStatement> Rewrite(List<IrStatement> run, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays)
    {
        if (run.Count < 2)
        {
            return run.ToList();
        }

        // Each adjoint's value as a combination of the values the adjoints had when the run began.
        var current = new Dictionary<string, Dictionary<string, IrExpression>>();
        var order = new List<string>();
        var sinks = new List<(ElementAssignStatement Statement, Dictionary<string, IrExpression> Value)>();
        Dictionary<string, IrExpression> Get(string name) =>
            current.TryGetValue(name, out Dictionary<string, IrExpression>? form) ? form : Identity(name, adjoints[name]);
        Dictionary<string, IrExpression> Compose(Dictionary<string, IrExpression> form)
        {
            var result = new Dictionary<string, IrExpression>();
            foreach (KeyValuePair<string, IrExpression> term in form)
            {
                AddInto(result, Scale(Get(term.Key), term.Value));
            }

            return result;
        }

        foreach (IrStatement statement in run)
        {
            switch (statement)
            {
                case AssignStatement assign:
                    Dictionary<string, IrExpression> value = Compose(Linear(assign.Value, adjoints, adjointArrays)!);
                    if (assign.Accumulate)
                    {
                        var sum = new Dictionary<string, IrExpression>(Get(assign.Target));
                        AddInto(sum, value);
                        value = sum;
                    }

                    if (!current.ContainsKey(assign.Target))
                    {
                        order.Add(assign.Target);
                    }

                    current[assign.Target] = value;
                    break;
                case ElementAssignStatement element:
                    sinks.Add((element, Compose(Linear(element.Value, adjoints, adjointArrays)!)));
                    break;
            }
        }

        if (current.Values.Concat(sinks.Select(s => s.Value)).SelectMany(f => f.Values).Any(c => Operations(c) > MaxCoefficientOperations))
        {
            return run.ToList();
        }

        // New values read old ones: overwrite an adjoint only once no other pending new value reads it.
        var changed = order.Where(name => !IsIdentity(name, current[name])).ToList();
        var emitted = new List<string>();
        var pending = new List<string>(changed);
        while (pending.Count > 0)
        {
            string? next = pending.FirstOrDefault(name => pending.All(other => other == name || !current[other].ContainsKey(name)));
            if (next is null)
            {
                return run.ToList(); // adjoints that read each other: keep the steps
            }

            pending.Remove(next);
            emitted.Add(next);
        }

        var output = new List<IrStatement>();
        foreach ((ElementAssignStatement statement, Dictionary<string, IrExpression> value) in sinks)
        {
            IrExpression? sum = Combination(value, statement.Value.Type);
            if (sum is not null)
            {
                output.Add(statement with { Value = sum });
            }
        }

        foreach (string name in emitted)
        {
            ScalarType type = adjoints[name];
            Dictionary<string, IrExpression> form = current[name];
            if (form.TryGetValue(name, out IrExpression? own) && own is ConstantExpression { IsOne: true } && form.Count > 1)
            {
                var rest = form.Where(t => t.Key != name).ToDictionary(t => t.Key, t => t.Value);
                output.Add(new AssignStatement(name, Combination(rest, type)!, Accumulate: true));
            }
            else
            {
                output.Add(new AssignStatement(name, Combination(form, type) ?? Expr.Constant(0, type)));
            }
        }

        return output;
    }

    private static Dictionary<string, IrExpression> Identity(string name, ScalarType type) =>
        new() { [name] = Expr.Constant(1, type) };

    private static bool IsIdentity(string name, Dictionary<string, IrExpression> form) =>
        form.Count == 1 && form.TryGetValue(name, out IrExpression? coefficient) && coefficient is ConstantExpression { IsOne: true };

    private static IrExpression? Combination(Dictionary<string, IrExpression> form, ScalarType type) =>
        Expr.Sum(form.Select(term => Expr.Cast(Expr.Multiply(term.Value, Expr.Var(term.Key, term.Value.Type)), type)));

    private static Dictionary<string, IrExpression> Scale(Dictionary<string, IrExpression> form, IrExpression factor) =>
        form.ToDictionary(t => t.Key, t => Expr.Multiply(factor, t.Value));

    private static void AddInto(Dictionary<string, IrExpression> sum, Dictionary<string, IrExpression> terms)
    {
        foreach (KeyValuePair<string, IrExpression> term in terms)
        {
            sum[term.Key] = sum.TryGetValue(term.Key, out IrExpression? existing) ? Expr.Add(existing, term.Value) : term.Value;
        }
    }

    /// <summary>
    /// An expression as Σ coefficient · adjoint, the coefficients reading primal values only; null when it is
    /// not of that form (it reads an adjoint array's element, multiplies two adjoints, or calls something).
    /// </summary>
    private static Dictionary<string, IrExpression>? Linear(IrExpression expression, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays)
    {
        if (IsPrimal(expression, adjoints, adjointArrays))
        {
            return expression is ConstantExpression { IsZero: true } ? new Dictionary<string, IrExpression>() : null;
        }

        switch (expression)
        {
            case VariableExpression variable when adjoints.ContainsKey(variable.Name):
                return Identity(variable.Name, variable.Type);
            case UnaryExpression { Operator: UnaryOperator.Negate } negate:
                return Linear(negate.Operand, adjoints, adjointArrays) is { } negated ? Scale(negated, Expr.Constant(-1, expression.Type)) : null;
            case BinaryExpression { Operator: BinaryOperator.Add or BinaryOperator.Subtract } binary:
                Dictionary<string, IrExpression>? left = Linear(binary.Left, adjoints, adjointArrays);
                Dictionary<string, IrExpression>? right = Linear(binary.Right, adjoints, adjointArrays);
                if (left is null || right is null)
                {
                    return null;
                }

                var sum = new Dictionary<string, IrExpression>(left);
                AddInto(sum, binary.Operator == BinaryOperator.Add ? right : Scale(right, Expr.Constant(-1, expression.Type)));
                return sum;
            case BinaryExpression { Operator: BinaryOperator.Multiply } product when IsPrimal(product.Left, adjoints, adjointArrays):
                return Linear(product.Right, adjoints, adjointArrays) is { } scaledRight ? Scale(scaledRight, product.Left) : null;
            case BinaryExpression { Operator: BinaryOperator.Multiply } product when IsPrimal(product.Right, adjoints, adjointArrays):
                return Linear(product.Left, adjoints, adjointArrays) is { } scaledLeft ? Scale(scaledLeft, product.Right) : null;
            case BinaryExpression { Operator: BinaryOperator.Divide } quotient when IsPrimal(quotient.Right, adjoints, adjointArrays):
                return Linear(quotient.Left, adjoints, adjointArrays) is { } dividend
                    ? dividend.ToDictionary(t => t.Key, t => Expr.Divide(t.Value, quotient.Right))
                    : null;
            case ConditionalExpression conditional when IsPrimal(conditional.Condition, adjoints, adjointArrays):
                Dictionary<string, IrExpression>? whenTrue = Linear(conditional.WhenTrue, adjoints, adjointArrays);
                Dictionary<string, IrExpression>? whenFalse = Linear(conditional.WhenFalse, adjoints, adjointArrays);
                if (whenTrue is null || whenFalse is null)
                {
                    return null;
                }

                IrExpression zero = Expr.Constant(0, expression.Type);
                return whenTrue.Keys.Union(whenFalse.Keys).ToDictionary(
                    key => key,
                    key => Expr.Conditional(
                        conditional.Condition,
                        whenTrue.TryGetValue(key, out IrExpression? t) ? t : zero,
                        whenFalse.TryGetValue(key, out IrExpression? f) ? f : zero));
            default:
                return null;
        }
    }

    /// <summary>Reads no adjoint, scalar or array, and calls nothing.</summary>
    private static bool IsPrimal(IrExpression expression, IReadOnlyDictionary<string, ScalarType> adjoints, ISet<string> adjointArrays) =>
        !Variables.ReadBy(expression).Any(name => adjoints.ContainsKey(name) || adjointArrays.Contains(name)) && !ContainsCall(expression);

    private static bool ContainsCall(IrExpression expression) =>
        ExpressionSearch.Contains(expression, e => e is CallExpression or TapePopExpression);

    private static int Operations(IrExpression expression) => expression switch
    {
        UnaryExpression unary => 1 + Operations(unary.Operand),
        BinaryExpression binary => 1 + Operations(binary.Left) + Operations(binary.Right),
        CastExpression cast => Operations(cast.Operand),
        ConditionalExpression conditional => 1 + Operations(conditional.Condition) + Operations(conditional.WhenTrue) + Operations(conditional.WhenFalse),
        IntrinsicExpression intrinsic => 1 + intrinsic.Arguments.Sum(Operations),
        ElementExpression element => 1 + element.Indices.Sum(Operations),
        _ => 0,
    };
}
