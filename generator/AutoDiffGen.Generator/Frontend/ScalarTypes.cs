using AutoDiffGen.Generator.Ir;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Frontend;

internal static class ScalarTypes
{
    /// <summary>The IR type of a Roslyn type, or null when the differentiable subset has none.</summary>
    public static ScalarType? From(ITypeSymbol? type) => type?.SpecialType switch
    {
        SpecialType.System_Single => ScalarType.Float,
        SpecialType.System_Double => ScalarType.Double,
        SpecialType.System_Int32 => ScalarType.Int,
        SpecialType.System_Boolean => ScalarType.Bool,
        _ => null,
    };

    public const string SupportedTypesAdvice = "use float, double, int or bool, or T[], T[,], ReadOnlySpan<T> or Span<T> of them";

    public static bool HasAttribute(ISymbol symbol, string metadataName)
    {
        foreach (AttributeData attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass?.ToDisplayString() == metadataName)
            {
                return true;
            }
        }

        return false;
    }
}
