using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading.Tasks;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>
/// The generated code, file by file, against checked-in expected files in Baselines/&lt;case&gt;/:
/// Input.cs.txt is the user's code, every other file one expected generated file (its hint name plus
/// .txt). After an intended change to the generated code, refresh them with
/// <c>AUTODIFFGEN_UPDATE_BASELINES=1 dotnet test tests/AutoDiffGen.Generator.Tests --filter BaselineTests</c>
/// and review the diff like any other code change.
/// </summary>
public class BaselineTests
{
    public static IEnumerable<object[]> Cases() =>
        Directory.GetDirectories(Path.Combine(AppContext.BaseDirectory, "Baselines"))
            .Select(d => new object[] { Path.GetFileName(d) })
            .OrderBy(c => (string)c[0], StringComparer.Ordinal);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task GeneratedCodeMatchesBaseline(string name)
    {
        string caseDirectory = Path.Combine(AppContext.BaseDirectory, "Baselines", name);
        string input = File.ReadAllText(Path.Combine(caseDirectory, "Input.cs.txt"));
        if (Environment.GetEnvironmentVariable("AUTODIFFGEN_UPDATE_BASELINES") == "1")
        {
            UpdateBaseline(name, input);
            caseDirectory = SourceBaselineDirectory(name);
        }

        var test = new CSharpSourceGeneratorTest<DifferentiableGenerator, DefaultVerifier>
        {
            ReferenceAssemblies = new ReferenceAssemblies("net10.0"),
        };
        test.TestState.Sources.Add(("Input.cs", input));
        test.TestState.AdditionalReferences.AddRange(References.All);
        foreach (string expected in Directory.GetFiles(caseDirectory).Where(f => !f.EndsWith("Input.cs.txt", StringComparison.Ordinal)).OrderBy(f => f, StringComparer.Ordinal))
        {
            string hintName = Path.GetFileName(expected)[..^".txt".Length];
            test.TestState.GeneratedSources.Add((typeof(DifferentiableGenerator), hintName, SourceText.From(File.ReadAllText(expected), Encoding.UTF8)));
        }

        await test.RunAsync();
    }

    private static void UpdateBaseline(string name, string input)
    {
        string directory = SourceBaselineDirectory(name);
        foreach (string stale in Directory.GetFiles(directory).Where(f => !f.EndsWith("Input.cs.txt", StringComparison.Ordinal)))
        {
            File.Delete(stale);
        }

        foreach (GeneratedSourceResult source in GeneratorRun.Run(input).Result.Results.Single().GeneratedSources)
        {
            File.WriteAllText(Path.Combine(directory, source.HintName + ".txt"), source.SourceText.ToString());
        }
    }

    private static string SourceBaselineDirectory(string name, [CallerFilePath] string thisFile = "") =>
        Path.Combine(Path.GetDirectoryName(thisFile)!, "Baselines", name);
}
