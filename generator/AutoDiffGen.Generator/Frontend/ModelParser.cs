using System.Collections.Generic;
using System.Linq;
using System.Threading;
using AutoDiffGen.Generator.Diagnostics;
using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Frontend;

/// <summary>Reads a model: the type of a <c>[Parameter]</c> field and all of its <c>[Parameter]</c> fields.</summary>
internal static class ModelParser
{
    /// <summary>One result per [Parameter] field; results for the same type are equal, so a Collect/Distinct dedupes them.</summary>
    public static (ModelIr? Model, EquatableArray<DiagnosticInfo> Diagnostics) Parse(GeneratorAttributeSyntaxContext context, CancellationToken cancellationToken)
    {
        var field = (IFieldSymbol)context.TargetSymbol;
        INamedTypeSymbol type = field.ContainingType;
        var diagnostics = new List<DiagnosticInfo>();
        if (!(field.Type.ToDisplayString() is KnownNames.Tensor or KnownNames.DenseLayer) || field.IsStatic)
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.UnsupportedType,
                SourceSpans.From(field.Locations.FirstOrDefault()),
                $"[Parameter] field '{field.Name}'",
                field.Type.ToDisplayString() + (field.IsStatic ? " (static)" : string.Empty),
                "mark instance fields of type Tensor or Dense"));
            return (null, diagnostics.ToEquatableArray());
        }

        ContainingType? containing = MethodParser.DescribeContainingTypesOf(type, $"{type.Name}.{field.Name}", diagnostics);
        if (type.GetMembers("Gradients").Any(m => !m.IsImplicitlyDeclared) || type.GetMembers("Parameters").Any(m => !m.IsImplicitlyDeclared))
        {
            diagnostics.Add(DiagnosticInfo.Create(
                DiagnosticDescriptors.GeneratedNameTaken,
                SourceSpans.From(type.Locations.FirstOrDefault()),
                type.Name,
                "Gradients' or 'Parameters",
                $"the model {type.Name}"));
        }

        if (containing is null || diagnostics.Count > 0)
        {
            // Report once per type: from its first [Parameter] field only.
            IFieldSymbol first = ParameterFields(type).First();
            return (null, SymbolEqualityComparer.Default.Equals(first, field) ? diagnostics.ToEquatableArray() : EquatableArray<DiagnosticInfo>.Empty);
        }

        var members = ParameterFields(type)
            .Where(f => !f.IsStatic && f.Type.ToDisplayString() is KnownNames.Tensor or KnownNames.DenseLayer)
            .Select(f => new ModelMember(f.Name, f.Type.ToDisplayString() == KnownNames.DenseLayer))
            .ToEquatableArray();
        return (new ModelIr(containing, members, SourceSpans.From(type.Locations.FirstOrDefault())), EquatableArray<DiagnosticInfo>.Empty);
    }

    private static IEnumerable<IFieldSymbol> ParameterFields(INamedTypeSymbol type) =>
        type.GetMembers().OfType<IFieldSymbol>().Where(f => ScalarTypes.HasAttribute(f, KnownNames.ParameterAttribute));
}
