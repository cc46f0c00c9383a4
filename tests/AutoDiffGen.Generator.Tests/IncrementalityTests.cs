using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>The pipeline caches what it should, and its models hold plain data only.</summary>
public class IncrementalityTests
{
    private const string Differentiable = """
        using System;
        using AutoDiffGen;

        namespace Demo;

        public static partial class Graph
        {
            [Differentiable]
            public static double Activation(double x, double w, double b) => Math.Max(w * x + b, 0);

            [Differentiable]
            public static double Loop(double x, int n)
            {
                double s = 0;
                for (int i = 0; i < n; i++)
                {
                    s = s * x + Math.Sin(x);
                }

                return s;
            }
        }
        """;

    private const string Unrelated = """
        namespace Demo;

        public static class Unrelated
        {
            public static int Answer() => 42;
        }
        """;

    private static readonly string[] DownstreamSteps = { TrackingNames.Resolve, TrackingNames.Differentiate, TrackingNames.Emit };

    [Fact]
    public void EditingAnUnrelatedFileLeavesDifferentiationAndEmissionCached()
    {
        CSharpCompilation compilation = GeneratorRun.Compile(Differentiable, Unrelated);
        GeneratorDriver driver = GeneratorRun.NewDriver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree unrelated = compilation.SyntaxTrees.Last();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            unrelated,
            unrelated.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Unrelated.Replace("42", "43"))));
        GeneratorRunResult rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        foreach (string step in DownstreamSteps)
        {
            IncrementalGeneratorRunStep[] runs = rerun.TrackedSteps[step].ToArray();
            Assert.Equal(2, runs.Length);
            foreach (IncrementalGeneratorRunStep run in runs)
            {
                Assert.All(run.Outputs, output => Assert.True(
                    output.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
                    $"{step} re-ran ({output.Reason}) after an unrelated edit."));
            }
        }

    }

    [Fact]
    public void EditingOneMethodRegeneratesOnlyThatMethod()
    {
        CSharpCompilation compilation = GeneratorRun.Compile(Differentiable);
        GeneratorDriver driver = GeneratorRun.NewDriver(trackSteps: true).RunGenerators(compilation);

        SyntaxTree tree = compilation.SyntaxTrees.Single();
        CSharpCompilation edited = compilation.ReplaceSyntaxTree(
            tree,
            tree.WithChangedText(Microsoft.CodeAnalysis.Text.SourceText.From(Differentiable.Replace("Math.Sin(x)", "Math.Cos(x)"))));
        GeneratorRunResult rerun = driver.RunGenerators(edited).GetRunResult().Results.Single();

        var reasons = rerun.TrackedSteps[TrackingNames.Emit].SelectMany(s => s.Outputs).Select(o => o.Reason).ToList();
        Assert.Equal(1, reasons.Count(r => r == IncrementalStepRunReason.Modified));
        Assert.Equal(1, reasons.Count(r => r is IncrementalStepRunReason.Unchanged or IncrementalStepRunReason.Cached));
    }

    [Fact]
    public void PipelineModelsHoldNoRoslynObjects()
    {
        CSharpCompilation compilation = GeneratorRun.Compile(Differentiable, Baselines("CallsAndSuppliedDerivative"));
        GeneratorRunResult result = GeneratorRun.NewDriver(trackSteps: true).RunGenerators(compilation).GetRunResult().Results.Single();

        int walked = 0;
        string[] ourSteps = { TrackingNames.Frontend, TrackingNames.SuppliedDerivatives, TrackingNames.Resolve, TrackingNames.Differentiate, TrackingNames.Emit };
        foreach (KeyValuePair<string, System.Collections.Immutable.ImmutableArray<IncrementalGeneratorRunStep>> step in result.TrackedSteps.Where(s => ourSteps.Contains(s.Key)))
        {
            foreach ((object value, IncrementalStepRunReason _) in step.Value.SelectMany(s => s.Outputs))
            {
                Walk(value, step.Key, new HashSet<object>(ReferenceEqualityComparer.Instance));
                walked++;
            }
        }

        Assert.True(walked >= 8, $"Walked only {walked} step outputs.");
    }

    private static string Baselines(string name) =>
        System.IO.File.ReadAllText(System.IO.Path.Combine(AppContext.BaseDirectory, "Baselines", name, "Input.cs.txt"));

    private static readonly Type[] Forbidden = { typeof(ISymbol), typeof(SyntaxNode), typeof(Location), typeof(Compilation), typeof(SemanticModel), typeof(SyntaxTree) };

    private static void Walk(object? value, string path, HashSet<object> seen)
    {
        if (value is null || value is string || value.GetType().IsPrimitive || value.GetType().IsEnum || !seen.Add(value))
        {
            return;
        }

        Type type = value.GetType();
        Assert.False(Forbidden.Any(f => f.IsAssignableFrom(type)), $"{path} holds a {type.FullName}.");
        if (value is IEnumerable sequence)
        {
            int index = 0;
            foreach (object? item in sequence)
            {
                Walk(item, $"{path}[{index++}]", seen);
            }

            return;
        }

        foreach (FieldInfo field in AllFields(type))
        {
            Walk(field.GetValue(value), $"{path}.{field.Name}", seen);
        }
    }

    private static IEnumerable<FieldInfo> AllFields(Type type)
    {
        for (Type? t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (FieldInfo field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                yield return field;
            }
        }
    }
}
