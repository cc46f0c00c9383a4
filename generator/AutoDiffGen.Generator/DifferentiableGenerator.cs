using System;
using System.Linq;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Emit;
using AutoDiffGen.Generator.Frontend;
using AutoDiffGen.Generator.Ir;
using AutoDiffGen.Generator.Tensors;
using AutoDiffGen.Generator.Transforms;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace AutoDiffGen.Generator;

/// <summary>
/// The AutoDiffGen source generator. Pipeline wiring only: Frontend (Roslyn → IR) → Resolve (bind
/// supplied derivatives) → Differentiate (analysis and transforms, IR → IR) → Emit (IR → C#). Every
/// model past the frontend is equatable data, so editing an unrelated file re-runs nothing downstream.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<DerivativeParseResult> supplied = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.DerivativeOfAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                DerivativeParser.Parse)
            .WithTrackingName(TrackingNames.SuppliedDerivatives);

        IncrementalValueProvider<EquatableArray<DerivativeEntry>> derivativeIndex = supplied
            .Select(static (result, _) => result.Entry)
            .Where(static entry => entry is not null)
            .Collect()
            .Select(static (entries, _) => entries
                .Select(e => e!)
                .OrderBy(e => e.PrimalTypeName, StringComparer.Ordinal)
                .ThenBy(e => e.PrimalName, StringComparer.Ordinal)
                .ToEquatableArray());

        IncrementalValuesProvider<ParseResult> parsed = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.DifferentiableAttribute,
                static (node, _) => node is MethodDeclarationSyntax,
                MethodParser.Parse)
            .WithTrackingName(TrackingNames.Frontend);

        IncrementalValuesProvider<DifferentiationResult> differentiated = parsed
            .Combine(derivativeIndex)
            .Select(static (pair, _) => CallResolution.Apply(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Resolve)
            .Select(static (resolved, _) => Differentiation.Apply(resolved))
            .WithTrackingName(TrackingNames.Differentiate);

        IncrementalValuesProvider<EmittedFile> emitted = differentiated
            .Where(static result => result.Method is not null || result.Tensor is not null)
            .Select(static (result, _) => result.Tensor is not null ? TensorEmitter.EmitFile(result.Tensor) : SourceEmitter.EmitFile(result.Method!))
            .WithTrackingName(TrackingNames.Emit);

        // Models: one file per type with [Parameter] fields (every field reports the same model; keep one).
        IncrementalValuesProvider<(ModelIr? Model, EquatableArray<DiagnosticInfo> Diagnostics)> models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                KnownNames.ParameterAttribute,
                static (node, _) => node is VariableDeclaratorSyntax,
                ModelParser.Parse)
            .WithTrackingName(TrackingNames.Models);
        context.RegisterSourceOutput(
            models.Select(static (m, _) => m.Diagnostics).Combine(context.CompilationProvider),
            static (spc, pair) => Report(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(
            models.Where(static m => m.Model is not null).Select(static (m, _) => m.Model!).Collect(),
            static (spc, all) =>
            {
                foreach (ModelIr model in all.Distinct())
                {
                    spc.AddSource(ModelEmitter.HintName(model), ModelEmitter.Emit(model));
                }
            });

        // Reporting looks up each diagnostic's syntax tree, so it pairs the (cached) diagnostics with the
        // compilation; only this cheap last step re-runs when the compilation changes.
        context.RegisterSourceOutput(
            supplied.Select(static (result, _) => result.Diagnostics).Combine(context.CompilationProvider),
            static (spc, pair) => Report(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(
            differentiated.Select(static (result, _) => result.Diagnostics).Combine(context.CompilationProvider),
            static (spc, pair) => Report(spc, pair.Left, pair.Right));
        context.RegisterSourceOutput(emitted, static (spc, file) =>
        {
            if (file.Failure is not null)
            {
                spc.ReportDiagnostic(file.Failure.ToDiagnostic());
            }
            else
            {
                spc.AddSource(file.HintName, file.Text);
            }
        });
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics, Compilation compilation)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic(compilation));
        }
    }
}
