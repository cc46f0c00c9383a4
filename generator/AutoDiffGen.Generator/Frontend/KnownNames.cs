namespace AutoDiffGen.Generator.Frontend;

/// <summary>Metadata names of the runtime attributes the generator reacts to.</summary>
internal static class KnownNames
{
    public const string DifferentiableAttribute = "AutoDiffGen.DifferentiableAttribute";
    public const string NoDerivativeAttribute = "AutoDiffGen.NoDerivativeAttribute";
    public const string DerivativeOfAttribute = "AutoDiffGen.DerivativeOfAttribute";
}
