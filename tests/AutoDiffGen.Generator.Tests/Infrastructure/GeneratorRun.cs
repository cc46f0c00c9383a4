using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>Runs the generator on source text in memory, as the compiler would.</summary>
internal sealed class GeneratorRun
{
    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    private GeneratorRun(CSharpCompilation input, Compilation output, GeneratorDriver driver, ImmutableArray<Diagnostic> generatorDiagnostics)
    {
        Input = input;
        Output = output;
        Driver = driver;
        GeneratorDiagnostics = generatorDiagnostics;
    }

    public CSharpCompilation Input { get; }

    public Compilation Output { get; }

    public GeneratorDriver Driver { get; }

    /// <summary>Diagnostics the generator reported (not the compiler's).</summary>
    public ImmutableArray<Diagnostic> GeneratorDiagnostics { get; }

    public GeneratorDriverRunResult Result => Driver.GetRunResult();

    public IEnumerable<Diagnostic> CompilerErrors => Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error);

    public static CSharpCompilation Compile(params string[] sources) =>
        CSharpCompilation.Create(
            "Generated" + System.Guid.NewGuid().ToString("N"),
            sources.Select((s, i) => CSharpSyntaxTree.ParseText(s, ParseOptions, path: $"Source{i}.cs")),
            References.All,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    public static GeneratorDriver NewDriver(bool trackSteps = false) =>
        CSharpGeneratorDriver.Create(
            new[] { new DifferentiableGenerator().AsSourceGenerator() },
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    public static GeneratorRun Run(params string[] sources)
    {
        CSharpCompilation input = Compile(sources);
        GeneratorDriver driver = NewDriver().RunGeneratorsAndUpdateCompilation(input, out Compilation output, out ImmutableArray<Diagnostic> diagnostics);
        return new GeneratorRun(input, output, driver, diagnostics);
    }

    /// <summary>Emits the output compilation and loads it into a collectible context.</summary>
    public Assembly Load()
    {
        using var stream = new MemoryStream();
        var emit = Output.Emit(stream);
        if (!emit.Success)
        {
            throw new System.InvalidOperationException("Compilation failed:\n" + string.Join("\n", emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        return new AssemblyLoadContext(null, isCollectible: true).LoadFromStream(stream);
    }
}
