using System.Threading.Tasks;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Frontend;
using AutoDiffGen.Generator.Ir;
using AutoDiffGen.Generator.Tests.Infrastructure;
using AutoDiffGen.Generator.Transforms;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>One test per diagnostic ID: the ID, the exact location (markup <c>{|#0:…|}</c>) and the message arguments.</summary>
public class DiagnosticTests
{
    private const string Usings = "using System;\nusing AutoDiffGen;\n";

    [Fact]
    public Task ADG0001_UnsupportedStatement() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, int n)
            {
                double y = x;
                {|#0:switch (n) { case 1: y = x * x; break; default: break; }|}
                return y;
            }
        }
        """,
        DiagnosticResult.CompilerError("ADG0001").WithLocation(0).WithArguments("switch (n) { case 1: y = x * x; break; default: break; }", "switch", "Use if/else"));

    [Fact]
    public Task ADG0002_UnsupportedExpression() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double y) => {|#0:x % y|};
        }
        """,
        DiagnosticResult.CompilerError("ADG0002").WithLocation(0).WithArguments("x % y", "the % operator on float or double is not differentiable here", "Use x - Math.Truncate(x / y) * y, whose derivative is defined"));

    [Fact]
    public Task ADG0002_CollectionOperationsOnArraysAreRefusedWithAdvice() => Verify(
        Usings + """
        using System.Linq;

        public static partial class C
        {
            [Differentiable]
            public static double F(double[] x)
            {
                double[] copy = new double[x.Length];
                {|#0:Array.Sort(copy)|};
                return {|#1:x.Sum()|};
            }
        }
        """,
        DiagnosticResult.CompilerError("ADG0002").WithLocation(0).WithArguments(
            "Array.Sort(copy)",
            "Array.Sort is not supported on differentiable values: write the loop explicitly (reordering values with Sort or Reverse has no derivative rule; sort int indices outside and pass them in as data)",
            "A [Differentiable] method may only index arrays and spans, read their Length, and call other [Differentiable] methods"),
        DiagnosticResult.CompilerError("ADG0002").WithLocation(1).WithArguments(
            "x.Sum()",
            "LINQ (Sum) is not supported on differentiable values: write a for loop over the elements",
            "A [Differentiable] method may only index arrays and spans, read their Length, and call other [Differentiable] methods"));

    [Fact]
    public Task ADG0003_ListsAreRefusedWithAdvice() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double F(System.Collections.Generic.List<double> {|#0:x|}) => 0;
        }
        """,
        DiagnosticResult.CompilerError("ADG0003").WithLocation(0).WithArguments("Parameter 'x'", "System.Collections.Generic.List<double>", "use T[] or Span<T> and index it in a for loop (List<T> cannot be differentiated)"));

    [Fact]
    public Task ADG0002_WritingAnInputArrayIsRefused() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] x)
            {
                {|#0:x[0]|} = 2;
                return x[0];
            }
        }
        """,
        DiagnosticResult.CompilerError("ADG0002").WithLocation(0).WithArguments("x[0]", "a [Differentiable] method must not modify its input arrays", "Copy the values into a local array (new T[n]) and modify that, or make the parameter a Span<T> output"));

    [Fact]
    public Task ADG0003_UnsupportedType() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, decimal {|#0:d|}) => x;
        }
        """,
        DiagnosticResult.CompilerError("ADG0003").WithLocation(0).WithArguments("Parameter 'd'", "decimal", "use float, double, int or bool, or T[], T[,], ReadOnlySpan<T> or Span<T> of them"));

    [Fact]
    public Task ADG0004_CallWithoutDerivative() => Verify(
        Usings + """
        public static partial class C
        {
            public static double Helper(double x) => x * 2;

            [Differentiable]
            public static double F(double x) => {|#0:Helper(x)|} + x;
        }
        """,
        DiagnosticResult.CompilerError("ADG0004").WithLocation(0).WithArguments("C.Helper", "Helper"));

    [Fact]
    public Task ADG0005_ContainingTypeNotPartial() => Verify(
        Usings + """
        public static class {|#0:C|}
        {
            [Differentiable]
            public static double F(double x) => x * x;
        }
        """,
        DiagnosticResult.CompilerError("ADG0005").WithLocation(0).WithArguments("C", "C.F"));

    [Fact]
    public Task ADG0006_UnsupportedMethod() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double {|#0:F|}<T>(double x) => x * x;
        }
        """,
        DiagnosticResult.CompilerError("ADG0006").WithLocation(0).WithArguments("C.F", "generic methods are not supported; write one method per element type (float or double)"));

    [Fact]
    public Task ADG0007_SuppliedDerivativeSignatureMismatch() => Verify(
        Usings + """
        public static partial class C
        {
            public static double SoftPlus(double x, double y) => Math.Log(1 + Math.Exp(x * y));

            [DerivativeOf(nameof(SoftPlus))]
            public static (double Value, double dx) {|#0:SoftPlusDerivative|}(double x, double y) => (0, 0);
        }
        """,
        DiagnosticResult.CompilerError("ADG0007").WithLocation(0).WithArguments(
            "SoftPlusDerivative",
            "C.SoftPlus",
            "it must return a tuple of the value and 2 partial derivatives, all of type double",
            "static (double Value, double dx, double dy) SoftPlusDerivative(double x, double y)"));

    [Fact]
    public Task ADG0008_SuppliedDerivativePrimalNotFound() => Verify(
        Usings + """
        public static partial class C
        {
            [DerivativeOf("Missing")]
            public static (double Value, double dx) {|#0:MissingDerivative|}(double x) => (x, 1);
        }
        """,
        DiagnosticResult.CompilerError("ADG0008").WithLocation(0).WithArguments("Missing", "C"));

    [Fact]
    public Task ADG0009_ParameterNeverAffectsResult() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double F(double x, double {|#0:limit|}) => x > limit ? x * x : x;
        }
        """,
        DiagnosticResult.CompilerWarning("ADG0009").WithLocation(0).WithArguments("C.F", "limit"));

    [Fact]
    // AutoDiff.StopGradient asks for the zero derivative, so it gets no warning.
    public Task ADG0010_NonDifferentiableOperation() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double Scale(double x, [NoDerivative] double s) => x * s;

            [Differentiable]
            public static double F(double x, double y) => x * {|#0:Math.Floor(y)|} + y + x * {|#1:(int)y|} + {|#2:Scale(x, y)|} + x * AutoDiff.StopGradient(y);
        }
        """,
        DiagnosticResult.CompilerWarning("ADG0010").WithLocation(0).WithArguments("Math.Floor", "its derivative is zero wherever it exists"),
        DiagnosticResult.CompilerWarning("ADG0010").WithLocation(1).WithArguments("A cast to int", "its derivative is zero wherever it exists"),
        DiagnosticResult.CompilerWarning("ADG0010").WithLocation(2).WithArguments("Parameter 's' of 'C.Scale'", "it is marked [NoDerivative]"));

    [Fact]
    public void ADG0011_AFailureInsideTheGeneratorBecomesADiagnosticNamingTheMethod()
    {
        // Remainder on doubles has no derivative rule; the frontend refuses it (ADG0002). IR that has it
        // anyway stands for a generator bug: it must become ADG0011 on the method, not an exception.
        var x = new VariableExpression("x", ScalarType.Double);
        var span = new SourceSpan("C.cs", 10, 1, 1, 2, 1, 3);
        var method = new MethodIr(
            new ContainingType("Demo", EquatableArray.Create(new TypeDeclaration("class", "C")), "global::Demo.C"),
            "Broken",
            "public",
            IsStatic: true,
            ScalarType.Double,
            EquatableArray.Create(new ParameterIr("x", ScalarType.Double, IsDifferentiable: true, span)),
            EquatableArray<LocalIr>.Empty,
            new Block(EquatableArray.Create<IrStatement>(new ReturnStatement(new BinaryExpression(BinaryOperator.Remainder, x, x, ScalarType.Double)))),
            span);

        DifferentiationResult result = Differentiation.Apply(new ParseResult(method, EquatableArray<DiagnosticInfo>.Empty, "C.Broken", span));

        Assert.Null(result.Method);
        DiagnosticInfo failure = Assert.Single(result.Diagnostics);
        Assert.Equal("ADG0011", failure.Id);
        Assert.Equal("C.Broken", failure.Arguments[0]);
        Assert.Equal(span, failure.Span);
    }

    [Fact]
    public Task ADG0012_GeneratedNameTaken() => Verify(
        Usings + """
        public static partial class C
        {
            [Differentiable]
            public static double {|#0:F|}(double x) => x * x;

            public static double FGradient(double x) => 2 * x;
        }
        """,
        DiagnosticResult.CompilerError("ADG0012").WithLocation(0).WithArguments("C", "FGradient", "C.F"));

    private static async Task Verify(string source, params DiagnosticResult[] expected)
    {
        var test = new CSharpSourceGeneratorTest<DifferentiableGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
            TestBehaviors = TestBehaviors.SkipGeneratedSourcesCheck,
        };
        test.TestState.Sources.Add(source);
        test.TestState.AdditionalReferences.AddRange(References.All);
        test.TestState.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }
}
