using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AutoDiffGen.Generator;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Benchmarks.Differentiation;

/// <summary>
/// What the generator adds to a build: compiling a file with 200 [Differentiable] methods with and
/// without the generator (baseline), and the incremental re-run after editing one of the methods.
/// Every iteration binds a fresh compilation, as a build does.
/// </summary>
[MemoryDiagnoser]
public class GeneratorCostBenchmarks
{
    private const int Methods = 200;
    private SyntaxTree[] _trees = Array.Empty<SyntaxTree>();
    private MetadataReference[] _references = Array.Empty<MetadataReference>();
    private GeneratorDriver _warmDriver = null!;
    private CSharpCompilation _edited = null!;
    private readonly CSharpParseOptions _parseOptions = new(LanguageVersion.Latest);

    [GlobalSetup]
    public void Setup()
    {
        string source = Source(editedMethod: -1);
        _trees = new[] { CSharpSyntaxTree.ParseText(source, _parseOptions, "Methods.cs") };
        string paths = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        _references = paths.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location))
            .ToArray();

        CSharpCompilation compilation = NewCompilation(_trees);
        _warmDriver = NewDriver().RunGenerators(compilation);
        int generated = _warmDriver.GetRunResult().GeneratedTrees.Length;
        if (generated != Methods)
        {
            throw new InvalidOperationException($"Expected {Methods} generated files, got {generated}.");
        }

        SyntaxTree edited = _trees[0].WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Source(editedMethod: Methods / 2)));
        _edited = compilation.ReplaceSyntaxTree(_trees[0], edited);
    }

    [Benchmark(Baseline = true, Description = "compile 200 methods, no generator")]
    public int CompileWithoutGenerator() => Emit(NewCompilation(_trees));

    [Benchmark(Description = "compile 200 methods with the generator")]
    public int CompileWithGenerator()
    {
        NewDriver().RunGeneratorsAndUpdateCompilation(NewCompilation(_trees), out Compilation output, out _);
        return Emit(output);
    }

    [Benchmark(Description = "generator re-run after editing one method")]
    public int IncrementalRerunAfterEditingOneMethod() =>
        _warmDriver.RunGenerators(_edited).GetRunResult().GeneratedTrees.Length;

    private CSharpCompilation NewCompilation(IEnumerable<SyntaxTree> trees) =>
        CSharpCompilation.Create("Methods", trees, _references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));

    private GeneratorDriver NewDriver() =>
        CSharpGeneratorDriver.Create(new[] { new DifferentiableGenerator().AsSourceGenerator() }, parseOptions: _parseOptions);

    private static int Emit(Compilation compilation)
    {
        using var stream = new MemoryStream();
        var result = compilation.Emit(stream);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(5)));
        }

        return (int)stream.Length;
    }

    /// <summary>200 methods in three shapes: straight-line with Math calls, a loop with a tape, and calls.</summary>
    private static string Source(int editedMethod)
    {
        var text = new StringBuilder("using System;\nusing AutoDiffGen;\n\nnamespace Bench;\n\npublic static partial class Methods\n{\n");
        for (int i = 0; i < Methods; i++)
        {
            string constant = i == editedMethod ? "0.75" : "0.5";
            text.Append((i % 3) switch
            {
                0 => $"    [Differentiable]\n    public static double M{i}(double x, double y)\n    {{\n        double u = Math.Sin(x * y) + {constant} * x;\n        double v = Math.Exp(u) / (1 + y * y);\n        return Math.Max(u * v, 0) + Math.Sqrt(1 + x * x);\n    }}\n\n",
                1 => $"    [Differentiable]\n    public static double M{i}(double x, double y, int n)\n    {{\n        double s = x;\n        for (int k = 0; k < n; k++)\n        {{\n            s = s * y + Math.Tanh(s) * {constant};\n            if (s > 10) break;\n        }}\n        return s;\n    }}\n\n",
                _ => $"    [Differentiable]\n    public static double M{i}(double x, double y) => M{i - 2}(x * {constant}, y) + Math.Log(1 + x * x) * y;\n\n",
            });
        }

        return text.Append("}\n").ToString();
    }
}
