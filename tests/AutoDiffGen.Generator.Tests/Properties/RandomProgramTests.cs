using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Generator.Tests.Infrastructure;
using CsCheck;
using Microsoft.CodeAnalysis;
using Xunit;

namespace AutoDiffGen.Generator.Tests.Properties;

/// <summary>
/// Property-based tests: random programs in the supported subset, compiled through the generator,
/// have gradients that match finite differences and forward mode that matches reverse mode; random
/// programs with an unsupported construct get a diagnostic on that method and never crash the generator.
/// </summary>
public class RandomProgramTests
{
    private static readonly string[] Unsupported =
    {
        "switch (n) { default: a = 1; break; }",
        "try { a = x; } finally { b = y; }",
        "a = x % y;",
        "foreach (var q in new int[2]) { a += q; }",
        "Console.WriteLine(a);",
        "a = NotDifferentiable(a);",
        "decimal m = 1m;",
        "Func<double, double> f = t => t * t;",
        "var values = new System.Collections.Generic.List<double>();",
        "double[] pair = { a, b };",
        "double[] copy = new double[2]; Array.Sort(copy);",
        "a = Math.IEEERemainder(a, 2);",
        "a = (double)n.GetHashCode();",
        "while (a > 0) { a -= 1; goto Done; } Done: b = a;",
        "a = State;",
        "State = a;",
    };

    [Fact]
    public void GradientsOfRandomProgramsMatchFiniteDifferencesAndForwardMode()
    {
        int checkedEntries = 0, skippedEntries = 0, fusedLoops = 0, weightEntries = 0;
        RandomPrograms.Programs.Array[10].Sample(
            programs =>
            {
                string source = RandomPrograms.Print(programs, "P");
                GeneratorRun run = GeneratorRun.Run(source);
                Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Severity == DiagnosticSeverity.Error);
                Assert.True(!run.CompilerErrors.Any(), string.Join("\n", run.CompilerErrors) + "\n" + source);
                fusedLoops += run.Result.Results.Single().GeneratedSources
                    .Where(g => !g.HintName.Contains("SumHelper", StringComparison.Ordinal))
                    .Count(g => g.SourceText.ToString().Contains("each trip's reverse runs right after it", StringComparison.Ordinal));
                Type type = run.Load().GetType("P")!;
                var random = new Random(programs.Length * 7919 + source.Length);
                for (int i = 0; i < programs.Length; i++)
                {
                    (int c, int s, int w) = CheckProgram(type, $"F{i}", random, source);
                    checkedEntries += c;
                    skippedEntries += s;
                    weightEntries += w;
                }
            },
            iter: 8,
            threads: 1);

        // Points within a step of a branch boundary are skipped; they must stay rare.
        Assert.True(skippedEntries * 5 < checkedEntries, $"Skipped {skippedEntries} of {checkedEntries + skippedEntries} gradient entries.");

        // The array parameter's gradients were compared, not only x, y and z's.
        Assert.True(weightEntries >= 20, $"Only {weightEntries} nonzero gradient entries of w were checked.");

        // The sums over independent trips must have exercised the fused reverse, not only the plain one.
        Assert.True(fusedLoops >= 8, $"Only {fusedLoops} generated methods ran trips' reverses inside the forward sweep.");
    }

    [Fact]
    public void RandomProgramsWithAnUnsupportedConstructGetADiagnosticAndNeverCrashTheGenerator()
    {
        Gen<(RandomPrograms.Program Program, int Construct, int Position)> cases =
            Gen.Select(RandomPrograms.Programs, Gen.Int[0, Unsupported.Length - 1], Gen.Int[0, 3], (p, c, i) => (p, c, i));
        cases.Array[6].Sample(
            batch =>
            {
                // Each batch: F0 stays valid; every other program gets one unsupported construct.
                string source = RandomPrograms.Print(batch.Select(b => b.Program).ToArray(), "P");
                var broken = new List<string>();
                for (int i = 1; i < batch.Length; i++)
                {
                    string signature = $"public static double F{i}(double x, double y, double z, double[] w, int n)\n    {{\n        double a = x * 0.5, b = y + 0.25, c = z;\n";
                    int at = source.IndexOf(signature, StringComparison.Ordinal) + signature.Length;
                    source = source.Insert(at, "        " + Unsupported[batch[i].Construct] + "\n");
                    broken.Add($"F{i}");
                }

                source = source.Replace("public static partial class P\n{", "public static partial class P\n{\n    public static double State;\n    public static double NotDifferentiable(double v) => v;\n");
                GeneratorRun run = GeneratorRun.Run(source);

                Assert.DoesNotContain(run.GeneratorDiagnostics, d => d.Id is "ADG0011" or "CS8785");
                var hints = run.Result.Results.Single().GeneratedSources.Select(s => s.HintName).ToList();
                Assert.Contains(hints, h => h.Contains(".F0(", StringComparison.Ordinal));
                foreach (string method in broken)
                {
                    Assert.DoesNotContain(hints, h => h.Contains($".{method}(", StringComparison.Ordinal));
                    Assert.True(
                        run.GeneratorDiagnostics.Any(d =>
                            d.Severity == DiagnosticSeverity.Error
                            && d.Id.StartsWith("ADG", StringComparison.Ordinal)
                            && d.Location.IsInSource
                            && MethodAt(source, d.Location.SourceSpan.Start) == method),
                        $"No error in {method}:\n{string.Join("\n", run.GeneratorDiagnostics)}\n{source}");
                }
            },
            iter: 6,
            threads: 1);
    }

    private static string MethodAt(string source, int position)
    {
        int start = source.LastIndexOf("public static double F", position, StringComparison.Ordinal);
        int end = source.IndexOf('(', start);
        return source.Substring(start + "public static double ".Length, end - start - "public static double ".Length);
    }

    private static (int Checked, int Skipped, int NonzeroWeights) CheckProgram(Type type, string name, Random random, string source)
    {
        // F(x, y, z, w, n) through its array-taking wrappers: G returns the value and every partial (x, y, z, then w),
        // T the directional derivative along t.
        string index = name.Substring(1);
        MethodInfo primal = type.GetMethod(name)!;
        MethodInfo gradient = type.GetMethod("G" + index)!;
        MethodInfo tangent = type.GetMethod("T" + index)!;
        const int inputs = 3 + RandomPrograms.WeightCount;
        int checkedEntries = 0, skipped = 0, nonzeroWeights = 0;
        for (int point = 0; point < 3; point++)
        {
            double[] at = Enumerable.Range(0, inputs).Select(_ => random.NextDouble() * 2 - 1).ToArray();
            int n = point;
            double F(double[] v) => (double)primal.Invoke(null, new object[] { v[0], v[1], v[2], v.Skip(3).ToArray(), n })!;
            double value = F(at);
            if (!double.IsFinite(value) || Math.Abs(value) > 1e6)
            {
                continue;
            }

            var result = (double[])gradient.Invoke(null, new object[] { at[0], at[1], at[2], at.Skip(3).ToArray(), n })!;
            Assert.Equal(value, result[0]);
            for (int k = 0; k < inputs; k++)
            {
                double g = result[1 + k];
                var direction = new double[inputs];
                direction[k] = 1.0;
                double t = (double)tangent.Invoke(null, new object[] { at[0], at[1], at[2], at.Skip(3).ToArray(), n, direction })!;
                Assert.True(Math.Abs(t - g) <= 1e-9 * Math.Max(1, Math.Abs(g)), $"{name} (n={n}) ∂/∂#{k}: reverse {g:R}, forward {t:R}\n{source}");

                double Difference(double h)
                {
                    double[] plus = (double[])at.Clone(), minus = (double[])at.Clone();
                    plus[k] += h;
                    minus[k] -= h;
                    return (F(plus) - F(minus)) / (2 * h);
                }

                double coarse = Difference(1e-5), fine = Difference(5e-6);
                double scale = Math.Max(1, Math.Abs(fine));
                if (Math.Abs(coarse - fine) > 1e-5 * scale)
                {
                    skipped++; // a branch boundary or kink lies within the step
                    continue;
                }

                checkedEntries++;
                nonzeroWeights += k >= 3 && g != 0 ? 1 : 0;
                Assert.True(Math.Abs(g - fine) <= 1e-5 * scale, $"{name} (n={n}) at ({string.Join(", ", at)}) ∂/∂#{k}: generated {g:R}, finite difference {fine:R}\n{source}");
            }
        }

        return (checkedEntries, skipped, nonzeroWeights);
    }
}
