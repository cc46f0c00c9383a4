namespace AutoDiffGen.Generator;

/// <summary>Names of the pipeline steps, for incrementality tests and generator diagnostics.</summary>
internal static class TrackingNames
{
    public const string Frontend = nameof(Frontend);
    public const string SuppliedDerivatives = nameof(SuppliedDerivatives);
    public const string Resolve = nameof(Resolve);
    public const string Differentiate = nameof(Differentiate);
    public const string Emit = nameof(Emit);
    public const string Models = nameof(Models);
}
