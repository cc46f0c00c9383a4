using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator;

/// <summary>Pipeline wiring only: Frontend → Analysis/Transforms → Emit.</summary>
[Generator(LanguageNames.CSharp)]
public sealed class DifferentiableGenerator : IIncrementalGenerator
{
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
    }
}
