namespace AutoDiffGen.Generator.Frontend;

/// <summary>Metadata names of the runtime attributes the generator reacts to.</summary>
internal static class KnownNames
{
    public const string DifferentiableAttribute = "AutoDiffGen.DifferentiableAttribute";
    public const string NoDerivativeAttribute = "AutoDiffGen.NoDerivativeAttribute";
    public const string DerivativeOfAttribute = "AutoDiffGen.DerivativeOfAttribute";
    public const string ParameterAttribute = "AutoDiffGen.ParameterAttribute";
    public const string Tensor = "AutoDiffGen.Tensor";
    public const string TensorOps = "AutoDiffGen.TensorOps";
    public const string DenseLayer = "AutoDiffGen.Nn.Dense";
}
