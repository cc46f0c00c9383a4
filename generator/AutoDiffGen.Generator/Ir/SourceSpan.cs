namespace AutoDiffGen.Generator.Ir;

/// <summary>
/// Where a construct sits in the user's source: plain data, so pipeline models never hold a Roslyn
/// <c>Location</c> (which would defeat incremental caching). Diagnostics rebuild the Location from it.
/// </summary>
internal sealed record SourceSpan(
    string FilePath,
    int Start,
    int Length,
    int StartLine,
    int StartCharacter,
    int EndLine,
    int EndCharacter);
