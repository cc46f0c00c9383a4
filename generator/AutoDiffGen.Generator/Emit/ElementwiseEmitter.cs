using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Analysis;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Emit;

/// <summary>
/// For a <c>[Differentiable]</c> <c>static float F(float)</c>, writes its tensor versions: <c>FMap</c> (F on
/// every element) and <c>FMapBackward</c>, with SIMD span kernels translated from F's own code and its
/// generated pullback (8 elements per step), a scalar loop for the tail or for bodies with no vector form.
/// </summary>
internal static class ElementwiseEmitter
{
    private const string Tensor = "global::AutoDiffGen.Tensor";
    private const string V = "global::System.Runtime.Intrinsics.Vector256";
    private const string GeneratedCodeAttribute = "[global::System.CodeDom.Compiler.GeneratedCode(\"AutoDiffGen\", \"0.1.0\")]";

    public static bool Applies(MethodIr method) =>
        method.IsStatic
        && method.ReturnType == ScalarType.Float
        && method.Parameters.Count == 1
        && method.Parameters[0] is { Type: ScalarType.Float, Array: null, IsDifferentiable: true };

    public static void Emit(CodeWriter writer, DifferentiatedMethod differentiated)
    {
        MethodIr method = differentiated.Primal;
        string name = method.Name;
        string x = method.Parameters[0].Name;
        bool pure = differentiated.Pullback.Tapes.Count == 0 && differentiated.Pullback.Scratch.Count == 0;
        var forward = pure ? VectorKernelWriter.Translate(differentiated.Pullback.ValueSweep, new Dictionary<string, string> { [x] = "x8" }, "_value") : null;
        var backward = pure ? VectorKernelWriter.Translate(differentiated.Pullback.Body, new Dictionary<string, string> { [x] = "x8", [differentiated.SeedName] = "dy8" }, null) : null;
        string kind = forward is not null && backward is not null ? "SIMD (8 floats per step)" : forward is not null ? "SIMD forward, scalar backward" : "scalar";

        writer.Line($"/// <summary>{name} applied to every element of <paramref name=\"x\"/>: the elementwise tensor operation (kernels: {kind}).</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Line($"{method.Accessibility} static {Tensor} {name}Map({Tensor} x) => {name}Elementwise.Apply(x);");
        writer.Line();
        writer.Line($"/// <summary>{name} applied to every element of <paramref name=\"x\"/>, into <paramref name=\"destination\"/>.</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Line($"{method.Accessibility} static {Tensor} {name}Map({Tensor} x, {Tensor} destination) => {name}Elementwise.Apply(x, destination);");
        writer.Line();
        writer.Line($"/// <summary>The backward pass of <see cref=\"{name}Map({Tensor})\"/>: dx = {name}′(x)·dy, written (or added, when <paramref name=\"accumulate\"/>) into <paramref name=\"dx\"/>.</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Line($"{method.Accessibility} static void {name}MapBackward({Tensor} dy, {Tensor} x, {Tensor} dx, bool accumulate) => {name}Elementwise.Backward(dy, x, dx, accumulate);");
        writer.Line();
        writer.Line($"/// <summary>{name}'s span kernels, found by <c>TensorOps.Map(x, {name})</c> too.</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Line(pure
            ? $"internal static readonly global::AutoDiffGen.ElementwiseFunction {name}Elementwise = global::AutoDiffGen.ElementwiseFunction.Create<{name}GpuElement>(\"{name}\", {name}ForwardSpan, {name}BackwardSpan);"
            : $"internal static readonly global::AutoDiffGen.ElementwiseFunction {name}Elementwise = new(\"{name}\", {name}ForwardSpan, {name}BackwardSpan);");
        writer.Line();

        writer.Line(GeneratedCodeAttribute);
        writer.Open($"private static void {name}ForwardSpan(global::System.ReadOnlySpan<float> x, global::System.Span<float> y)");
        writer.Line("int i = 0;");
        if (forward is { } f)
        {
            VectorLoop(writer, "x", new string[0], f.Lines, $"{V}.StoreUnsafe({f.Result}, ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(y), (nuint)i);");
        }

        writer.Open("for (; i < x.Length; i++)");
        writer.Line($"y[i] = {name}(x[i]);");
        writer.Close();
        writer.Close();
        writer.Line();

        writer.Line(GeneratedCodeAttribute);
        writer.Open($"private static void {name}BackwardSpan(global::System.ReadOnlySpan<float> x, global::System.ReadOnlySpan<float> dy, global::System.Span<float> dx, bool accumulate)");
        writer.Line("int i = 0;");
        if (backward is { } b)
        {
            string store = $"{V}.StoreUnsafe(accumulate ? {b.Result} + {V}.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dx), (nuint)i) : {b.Result}, ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference(dx), (nuint)i);";
            VectorLoop(writer, "x", new[] { "dy" }, b.Lines, store);
        }

        writer.Open("for (; i < x.Length; i++)");
        writer.Line($"float gradient = {name}Pullback(x[i], dy[i]).Gradient;");
        writer.Line("dx[i] = accumulate ? dx[i] + gradient : gradient;");
        writer.Close();
        writer.Close();

        if (pure)
        {
            writer.Line();
            EmitGpuKernels(writer, differentiated);
        }
    }

    /// <summary>
    /// The function and its pullback at one element, as a struct the runtime's GPU kernels run (grid-stride, four
    /// floats per access): the forward sweep and the pullback written out inline, since GPU code cannot call the
    /// tape-free pullback through a tuple. Emitted only for bodies without tapes or scratch arrays.
    /// </summary>
    private static void EmitGpuKernels(CodeWriter writer, DifferentiatedMethod differentiated)
    {
        MethodIr method = differentiated.Primal;
        string name = method.Name;
        string parameter = ExpressionPrinter.Identifier(method.Parameters[0].Name);
        string seed = ExpressionPrinter.Identifier(differentiated.SeedName);
        GeneratedBody pullback = differentiated.Pullback;

        writer.Line($"/// <summary>{name} and its pullback at one element, for the GPU kernels that map it over a tensor (ILGPU compiles this struct).</summary>");
        writer.Line(GeneratedCodeAttribute);
        writer.Line("[global::System.ComponentModel.EditorBrowsable(global::System.ComponentModel.EditorBrowsableState.Never)]");
        writer.Open($"internal readonly struct {name}GpuElement : global::AutoDiffGen.IElementwiseKernelFunction");
        writer.Line($"/// <summary>{name}({parameter}).</summary>");
        writer.Open($"public float Forward(float {parameter})");
        DeclareKernelLocals(writer, pullback, pullback.ValueSweep, null);
        new StatementPrinter(writer, forGpu: true).Block(pullback.ValueSweep);
        writer.Line("return _value;");
        writer.Close();
        writer.Line();
        writer.Line($"/// <summary>The adjoint of {parameter}: {name}′({parameter})·{seed}.</summary>");
        writer.Open($"public float Backward(float {parameter}, float {seed})");
        IrExpression? gradientValue = pullback.Body.Statements.OfType<ReturnStatement>().Single().Value is TupleExpression { Elements.Count: 2 } tuple
            ? tuple.Elements[1]
            : null;

        // As in the backward core: of the forward sweep, only what the reverse sweep and the gradient read.
        Block statements = new(pullback.Body.Statements.Where(s => s is not ReturnStatement).ToList().ToEquatableArray());
        if (pullback.Reverse is { } reverse)
        {
            var reads = new HashSet<string>();
            Variables.CollectReads(reverse, reads);
            Variables.CollectReads(gradientValue, reads);
            statements = new Block(new IrStatement[] { new CommentStatement("Forward sweep: only what the reverse sweep reads.") }
                .Concat(DeadCodeElimination.Apply(pullback.Forward, reads).Statements)
                .Append(new CommentStatement("Reverse sweep."))
                .Concat(reverse.Statements)
                .ToEquatableArray());
        }

        DeclareKernelLocals(writer, pullback, statements, gradientValue);
        new StatementPrinter(writer, forGpu: true).Block(statements);
        string gradient = gradientValue is null ? "0f" : new ExpressionPrinter(forGpu: true).Print(gradientValue);
        writer.Line($"return {gradient};");
        writer.Close();
        writer.Close();
    }

    /// <summary>Declares the locals of <paramref name="body"/> that <paramref name="code"/> or <paramref name="result"/> use.</summary>
    private static void DeclareKernelLocals(CodeWriter writer, GeneratedBody body, Block code, IrExpression? result)
    {
        var used = new HashSet<string>(StatementUses.Of(code.Statements).Names);
        Variables.CollectReads(result, used);
        foreach (LocalDeclaration local in body.Locals.Where(l => used.Contains(l.Name)))
        {
            writer.Line($"{local.Type.ToCSharp()} {ExpressionPrinter.Identifier(local.Name)} = {ExpressionPrinter.Literal(0, local.Type)};");
        }
    }

    private static void VectorLoop(CodeWriter writer, string input, IEnumerable<string> others, List<string> body, string store)
    {
        writer.Open($"if ({V}.IsHardwareAccelerated)");
        writer.Open($"for (; i <= {input}.Length - 8; i += 8)");
        writer.Line($"global::System.Runtime.Intrinsics.Vector256<float> {input}8 = {V}.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({input}), (nuint)i);");
        foreach (string other in others)
        {
            writer.Line($"global::System.Runtime.Intrinsics.Vector256<float> {other}8 = {V}.LoadUnsafe(ref global::System.Runtime.InteropServices.MemoryMarshal.GetReference({other}), (nuint)i);");
        }

        foreach (string line in body)
        {
            writer.Line(line);
        }

        writer.Line(store);
        writer.Close();
        writer.Close();
    }
}
