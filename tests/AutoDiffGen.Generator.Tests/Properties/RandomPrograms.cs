using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using CsCheck;

namespace AutoDiffGen.Generator.Tests.Properties;

/// <summary>
/// Random programs in the differentiable subset: expressions, branches, loops (for, while) with break,
/// continue and early return, calls of another [Differentiable] method, sums over trips that each compute
/// a value of their own (independent trips, whose reverse the generator runs right after each trip), and local
/// arrays (heap or stack, sized by a local) filled, updated in place, reduced by a loop, an element read or a call of
/// a [Differentiable] span method, sometimes once per trip of an outer loop; each program may call the one printed
/// before it, so generated backward cores of random programs run too. Every program takes a differentiable array
/// <c>w</c> of <see cref="WeightCount"/> elements besides x, y and z, read by expressions and array fills. Generated
/// as a small tree, then printed as C# with fresh names. Values stay bounded (inputs in [-1, 1], bounded functions, guarded
/// division) so finite differences are meaningful.
/// </summary>
internal static class RandomPrograms
{
    public abstract record Expression;
    public sealed record Variable(string Name) : Expression;
    public sealed record Literal(double Value) : Expression;

    /// <summary><c>w[Index]</c>: an element of the programs' differentiable array parameter.</summary>
    public sealed record WeightRead(int Index) : Expression;
    public sealed record Binary(string Operator, Expression Left, Expression Right) : Expression;
    public sealed record GuardedDivide(Expression Numerator, Expression Denominator) : Expression;
    public sealed record Function(string Format, Expression Argument) : Expression;
    public sealed record Ternary(Condition Condition, Expression WhenTrue, Expression WhenFalse) : Expression;
    public sealed record HelperCall(Expression First, Expression Second) : Expression;
    public sealed record SumHelperCall(Expression First, Expression Second) : Expression;

    /// <summary><c>Math.Tanh(F{i-1}(First, Second, 0.5, n))</c>: the program printed before this one, through its backward core.</summary>
    public sealed record PreviousProgramCall(Expression First, Expression Second) : Expression;

    public sealed record Condition(Expression Left, string Operator, Expression Right);

    public abstract record Statement;
    public sealed record Assign(string Target, string Operator, Expression Value) : Statement;
    public sealed record If(Condition Condition, Statement[] Then, Statement[] Else) : Statement;
    public sealed record For(Statement[] Body) : Statement;
    public sealed record While(Statement[] Body) : Statement;
    public sealed record Break(Condition Condition) : Statement;
    public sealed record Continue(Condition Condition) : Statement;
    public sealed record Return(Condition Condition, Expression Value) : Statement;

    /// <summary>
    /// <c>double s = 0; for (…) { double t = sin(Local + i/4); if (Guard) t = Reassigned * t; s += t * Term; }</c>,
    /// after the body; the result adds half of each sum.
    /// </summary>
    public sealed record SumLoop(Expression Local, Condition? Guard, Expression Reassigned, Expression Term);

    /// <summary>How an array block changes its array after filling it, before reducing it.</summary>
    public enum ArrayUpdate
    {
        /// <summary>No change.</summary>
        None,

        /// <summary><c>v[j] = v[j] * tanh(Value)</c>: an in-place overwrite that reads the old element.</summary>
        Scale,

        /// <summary><c>v[j] += 0.5 * v[j - 1]</c>: each element reads the one the trip before updated.</summary>
        Carry,

        /// <summary>
        /// After the reduction, a call of the span method, then <c>v[j] = v[j] * tanh(Value)</c> and a read of the result:
        /// the call's reverse needs the elements from before the overwrite.
        /// </summary>
        AfterCall,
    }

    /// <summary>
    /// <c>int m = n + 2; double[] v = new double[m]</c> (or <c>stackalloc</c>), then, once or for every trip of an outer
    /// loop: fill <c>v[j] = sin(Fill + 0.3 j)</c>, apply the update, and add the reduction into <c>Target</c>: a, b, c, or
    /// <see cref="FreshSum"/>, a new local that only sums (so an outer loop's trips stay independent) and that the
    /// result adds half of.
    /// </summary>
    public sealed record ArrayBlock(bool Stack, bool PerTrip, Expression Fill, ArrayUpdate Update, Expression UpdateValue, Expression Weight, int Reduction, string Target);

    public sealed record Program(Statement[] Body, Expression Result, SumLoop[] Sums, ArrayBlock[] Arrays);

    /// <summary>The target of an array block that sums into a local of its own.</summary>
    public const string FreshSum = "fresh";

    /// <summary>The length of <c>w</c>, the array every program takes besides x, y, z and n.</summary>
    public const int WeightCount = 3;

    private static readonly string[] Readable = { "x", "y", "z", "a", "b", "c" };
    private static readonly string[] Writable = { "x", "a", "b", "c" };
    private static readonly string[] Functions =
    {
        "Math.Sin({0})", "Math.Cos({0})", "Math.Tanh({0})", "Math.Atan({0})", "Math.Exp(Math.Sin({0}))",
        "Math.Sqrt(1 + {0} * {0})", "Math.Log(2 + Math.Cos({0}))", "Math.Abs({0})", "Math.Max({0}, 0.25)",
        "Math.Min({0}, -0.5)", "Math.Pow(1.5 + Math.Sin({0}), 1.5)", "Math.Cbrt(2 + Math.Sin({0}))",
        "Math.Clamp({0}, -0.75, 0.75)", "Math.Sinh(Math.Sin({0}))", "Math.Atan2({0}, 1.5)", "(-({0}))",
        "Math.Log2(3 + Math.Tanh({0}))", "Math.Log10(3 + {0} * {0})", "Math.Asin(0.5 * Math.Sin({0}))",
    };

    public static Gen<Expression> Expressions(int depth)
    {
        Gen<Expression> leaf = Gen.Frequency(
            (3, Gen.OneOf(Readable).Select(n => (Expression)new Variable(n))),
            (1, Gen.Int[0, WeightCount - 1].Select(k => (Expression)new WeightRead(k))),
            (1, Gen.Double[-2, 2].Select(v => (Expression)new Literal(System.Math.Round(v, 3)))));
        if (depth == 0)
        {
            return leaf;
        }

        Gen<Expression> sub = Expressions(depth - 1);
        return Gen.Frequency(
            (3, leaf),
            (4, Gen.Select(Gen.OneOf("+", "-", "*"), sub, sub, (op, l, r) => (Expression)new Binary(op, l, r))),
            (1, Gen.Select(sub, sub, (n, d) => (Expression)new GuardedDivide(n, d))),
            (3, Gen.Select(Gen.OneOf(Functions), sub, (f, a) => (Expression)new Function(f, a))),
            (1, Gen.Select(Conditions(depth - 1), sub, sub, (c, t, f) => (Expression)new Ternary(c, t, f))),
            (1, Gen.Select(sub, sub, (a, b) => (Expression)new HelperCall(a, b))),
            (1, Gen.Select(sub, sub, (a, b) => (Expression)new SumHelperCall(a, b))),
            (1, Gen.Select(sub, sub, (a, b) => (Expression)new PreviousProgramCall(a, b))));
    }

    public static Gen<Condition> Conditions(int depth) =>
        Gen.Select(Expressions(depth), Gen.OneOf("<", ">", "<=", ">="), Expressions(depth), (l, op, r) => new Condition(l, op, r));

    public static Gen<Statement[]> Statements(int depth, bool inLoop) =>
        StatementOf(depth, inLoop).Array[1, 4];

    private static Gen<Statement> StatementOf(int depth, bool inLoop)
    {
        Gen<Statement> assign = Gen.Select(
            Gen.OneOf(Writable),
            Gen.OneOf("=", "=", "+=", "-="),
            Expressions(2),
            (t, op, v) => (Statement)new Assign(t, op, v));
        Gen<Statement> scale = Gen.Select(Gen.OneOf(Writable), Expressions(1), (t, v) => (Statement)new Assign(t, "*=", new Function("Math.Tanh({0})", v)));
        var options = new List<(int, IGen<Statement>)> { (6, assign), (2, scale) };
        options.Add((1, Gen.Select(Conditions(1), Expressions(1), (c, v) => (Statement)new Return(c, v))));
        if (inLoop)
        {
            options.Add((1, Conditions(1).Select(c => (Statement)new Break(c))));
            options.Add((1, Conditions(1).Select(c => (Statement)new Continue(c))));
        }

        if (depth > 0)
        {
            Gen<Statement[]> inner = Statements(depth - 1, inLoop);
            options.Add((2, Gen.Select(Conditions(1), inner, inner, (c, t, e) => (Statement)new If(c, t, e))));
            Gen<Statement[]> loopBody = Statements(depth - 1, inLoop: true);
            options.Add((2, loopBody.Select(b => (Statement)new For(b))));
            options.Add((1, loopBody.Select(b => (Statement)new While(b))));
        }

        return Gen.Frequency(options.ToArray());
    }

    private static readonly Gen<SumLoop> SumLoops = Gen.Select(
        Expressions(1),
        Gen.Frequency((1, Conditions(1).Select(c => (Condition?)c)), (1, Gen.Const((Condition?)null))),
        Expressions(1),
        Expressions(2),
        (local, guard, reassigned, term) => new SumLoop(local, guard, reassigned, term));

    private static readonly Gen<ArrayBlock> ArrayBlocks = Gen.Select(
        Gen.Select(Gen.Bool, Gen.Bool, Expressions(1), (stack, perTrip, fill) => (stack, perTrip, fill)),
        Gen.Select(Gen.Enum<ArrayUpdate>(), Expressions(1), (update, value) => (update, value)),
        Gen.Select(Expressions(1), Gen.Int[0, 2], Gen.OneOf("a", "b", "c", FreshSum, FreshSum), (weight, reduction, target) => (weight, reduction, target)),
        (a, u, r) => new ArrayBlock(a.stack, a.perTrip, a.fill, u.update, u.value, r.weight, r.reduction, r.target));

    public static readonly Gen<Program> Programs = Gen.Select(
        Statements(2, inLoop: false), Expressions(2), SumLoops.Array[0, 2], ArrayBlocks.Array[0, 2], (b, r, sums, arrays) => new Program(b, r, sums, arrays));

    /// <summary>Prints programs as [Differentiable] methods F0, F1, … of one class, with the helper they call.</summary>
    public static string Print(IReadOnlyList<Program> programs, string className)
    {
        var text = new StringBuilder();
        text.AppendLine("using System;\nusing AutoDiffGen;\n");
        text.AppendLine($"public static partial class {className}\n{{");
        text.AppendLine("    [Differentiable]\n    public static double Helper(double p, double q) => Math.Sin(p) * q + p * 0.5;\n");

        // A sum over independent trips: callers go through its backward core, with the trips' reverse fused.
        text.AppendLine("""
                [Differentiable]
                public static double SumHelper(double p, double q, int n)
                {
                    double s = 0;
                    for (int k = 0; k < n; k++)
                    {
                        double u = Math.Tanh(p * (k + 1) + q);
                        s += u * u * q;
                    }

                    return s * p;
                }

            """);

        // A method over a span: callers pass their local arrays and go through its backward core.
        text.AppendLine("""
                [Differentiable]
                public static double SpanHelper(ReadOnlySpan<double> v, double p)
                {
                    double s = 0;
                    for (int k = 0; k < v.Length; k++)
                    {
                        s += Math.Sin(v[k] * p) * v[k];
                    }

                    return s;
                }

            """);
        for (int i = 0; i < programs.Count; i++)
        {
            text.AppendLine($"    [Differentiable]\n    public static double F{i}(double x, double y, double z, double[] w, int n)\n    {{");
            text.AppendLine("        double a = x * 0.5, b = y + 0.25, c = z;");
            var printer = new Printer(text, i > 0 ? $"F{i - 1}" : null);
            printer.Statements(programs[i].Body, 2);
            List<string> sums = programs[i].Arrays.Select(block => printer.Array(block, 2)).OfType<string>().ToList();
            sums.AddRange(programs[i].Sums.Select(sum => printer.Sum(sum, 2)));
            string result = printer.Expression(programs[i].Result) + string.Concat(sums.Select(name => $" + 0.5 * {name}"));
            text.AppendLine($"        return {result};\n    }}\n");

            // Reflection cannot pass spans: these take and return arrays for the checker.
            text.AppendLine($$"""
                    public static double[] G{{i}}(double x, double y, double z, double[] w, int n)
                    {
                        double[] dw = new double[w.Length];
                        var (value, gradient) = F{{i}}Gradient(x, y, z, w, n, dw);
                        return new[] { value, gradient.x, gradient.y, gradient.z, dw[0], dw[1], dw[2] };
                    }

                    public static double T{{i}}(double x, double y, double z, double[] w, int n, double[] t) =>
                        F{{i}}Tangent(x, y, z, w, n, t[0], t[1], t[2], new ReadOnlySpan<double>(t, 3, w.Length)).Tangent;

                """);
        }

        text.AppendLine("}");
        return text.ToString();
    }

    private sealed class Printer
    {
        private readonly StringBuilder _text;
        private readonly string? _previous;
        private int _names;

        public Printer(StringBuilder text, string? previous)
        {
            _text = text;
            _previous = previous;
        }

        public void Statements(IEnumerable<Statement> statements, int indent)
        {
            foreach (Statement statement in statements)
            {
                Statement(statement, indent);
            }
        }

        private void Line(int indent, string line) => _text.Append(' ', indent * 4).AppendLine(line);

        private void Statement(Statement statement, int indent)
        {
            switch (statement)
            {
                case Assign assign:
                    Line(indent, $"{assign.Target} {assign.Operator} {Expression(assign.Value)};");
                    break;
                case If branch:
                    Line(indent, $"if ({Condition(branch.Condition)})");
                    Line(indent, "{");
                    Statements(branch.Then, indent + 1);
                    Line(indent, "}");
                    Line(indent, "else");
                    Line(indent, "{");
                    Statements(branch.Else, indent + 1);
                    Line(indent, "}");
                    break;
                case For loop:
                    string i = $"i{_names++}";
                    Line(indent, $"for (int {i} = 0; {i} < n; {i}++)");
                    Line(indent, "{");
                    Statements(loop.Body, indent + 1);
                    Line(indent, "}");
                    break;
                case While loop:
                    string w = $"w{_names++}";
                    Line(indent, $"int {w} = 0;");
                    Line(indent, $"while ({w} < n)");
                    Line(indent, "{");
                    Line(indent + 1, $"{w}++;");
                    Statements(loop.Body, indent + 1);
                    Line(indent, "}");
                    break;
                case Break b:
                    Line(indent, $"if ({Condition(b.Condition)}) break;");
                    break;
                case Continue c:
                    Line(indent, $"if ({Condition(c.Condition)}) continue;");
                    break;
                case Return r:
                    Line(indent, $"if ({Condition(r.Condition)}) return {Expression(r.Value)};");
                    break;
            }
        }

        /// <summary>Prints an array block (see <see cref="ArrayBlock"/>); returns the name of its fresh sum, if it has one.</summary>
        public string? Array(ArrayBlock block, int indent)
        {
            int id = _names++;
            string size = $"m{id}", array = $"v{id}", j = $"j{id}", trip = $"k{id}";
            string? fresh = block.Target == FreshSum ? $"r{id}" : null;
            string target = fresh ?? block.Target;
            if (fresh is not null)
            {
                Line(indent, $"double {fresh} = 0;");
            }

            Line(indent, $"int {size} = n + 2;");
            Line(indent, block.Stack ? $"Span<double> {array} = stackalloc double[{size}];" : $"double[] {array} = new double[{size}];");
            if (block.PerTrip)
            {
                Line(indent, $"for (int {trip} = 0; {trip} < n; {trip}++)");
                Line(indent, "{");
                indent++;
            }

            // The loops run to the array's Length: the size local is read by the allocation alone.
            string shift = block.PerTrip ? $" + 0.1 * {trip}" : string.Empty;
            string length = $"{array}.Length";
            Line(indent, $"for (int {j} = 0; {j} < {length}; {j}++)");
            Line(indent, "{");
            Line(indent + 1, $"{array}[{j}] = Math.Sin({Expression(block.Fill)} + 0.3 * {j}{shift}) + 0.25 * w[{j} % w.Length];");
            Line(indent, "}");
            switch (block.Update)
            {
                case ArrayUpdate.Scale:
                    Line(indent, $"for (int {j} = 0; {j} < {length}; {j}++)");
                    Line(indent, "{");
                    Line(indent + 1, $"{array}[{j}] = {array}[{j}] * Math.Tanh({Expression(block.UpdateValue)});");
                    Line(indent, "}");
                    break;
                case ArrayUpdate.Carry:
                    Line(indent, $"for (int {j} = 1; {j} < {length}; {j}++)");
                    Line(indent, "{");
                    Line(indent + 1, $"{array}[{j}] += 0.5 * {array}[{j} - 1];");
                    Line(indent, "}");
                    break;
            }

            if (block.Update == ArrayUpdate.AfterCall)
            {
                Line(indent, $"{target} += 0.5 * SpanHelper({array}, {Expression(block.Weight)});");
                Line(indent, $"for (int {j} = 0; {j} < {length}; {j}++)");
                Line(indent, "{");
                Line(indent + 1, $"{array}[{j}] = {array}[{j}] * Math.Tanh({Expression(block.UpdateValue)});");
                Line(indent, "}");
            }

            switch (block.Reduction)
            {
                case 0:
                    Line(indent, $"for (int {j} = 0; {j} < {length}; {j}++)");
                    Line(indent, "{");
                    Line(indent + 1, $"{target} += {array}[{j}] * ({Expression(block.Weight)});");
                    Line(indent, "}");
                    break;
                case 1:
                    Line(indent, $"{target} += 0.25 * {array}[{length} - 1] * ({Expression(block.Weight)});");
                    break;
                default:
                    Line(indent, $"{target} += 0.5 * SpanHelper({array}, {Expression(block.Weight)});");
                    break;
            }

            if (block.PerTrip)
            {
                indent--;
                Line(indent, "}");
            }

            return fresh;
        }

        /// <summary>Prints a sum over trips; returns the sum's name.</summary>
        public string Sum(SumLoop sum, int indent)
        {
            int id = _names++;
            string total = $"s{id}", counter = $"i{id}", local = $"t{id}";
            Line(indent, $"double {total} = 0;");
            Line(indent, $"for (int {counter} = 0; {counter} < n; {counter}++)");
            Line(indent, "{");
            Line(indent + 1, $"double {local} = Math.Sin({Expression(sum.Local)} + 0.25 * {counter});");
            if (sum.Guard is not null)
            {
                Line(indent + 1, $"if ({Condition(sum.Guard)}) {local} = {Expression(sum.Reassigned)} * {local};");
            }

            Line(indent + 1, $"{total} += {local} * ({Expression(sum.Term)});");
            Line(indent, "}");
            return total;
        }

        private string Condition(Condition condition) => $"{Expression(condition.Left)} {condition.Operator} {Expression(condition.Right)}";

        public string Expression(Expression expression) => expression switch
        {
            Variable v => v.Name,
            Literal l => l.Value.ToString("0.0##", CultureInfo.InvariantCulture),
            WeightRead r => $"w[{r.Index}]",
            Binary b => $"({Expression(b.Left)} {b.Operator} {Expression(b.Right)})",
            GuardedDivide d => $"({Expression(d.Numerator)} / (1.5 + {Expression(d.Denominator)} * {Expression(d.Denominator)}))",
            Function f => string.Format(CultureInfo.InvariantCulture, f.Format, Expression(f.Argument)),
            Ternary t => $"({Condition(t.Condition)} ? {Expression(t.WhenTrue)} : {Expression(t.WhenFalse)})",
            HelperCall h => $"Helper({Expression(h.First)}, {Expression(h.Second)})",
            SumHelperCall h => $"SumHelper({Expression(h.First)}, {Expression(h.Second)}, n)",
            PreviousProgramCall h when _previous is not null => $"Math.Tanh({_previous}({Expression(h.First)}, {Expression(h.Second)}, 0.5, w, n))",
            PreviousProgramCall h => $"Helper({Expression(h.First)}, {Expression(h.Second)})",
            _ => "0.0",
        };
    }
}
