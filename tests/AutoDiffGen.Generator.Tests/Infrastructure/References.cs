using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoDiffGen;
using Microsoft.CodeAnalysis;

namespace AutoDiffGen.Generator.Tests.Infrastructure;

/// <summary>
/// Metadata references for in-memory compilations, taken offline from the running .NET and the
/// AutoDiffGen runtime (no reference-assembly packages to download).
/// </summary>
internal static class References
{
    public static readonly IReadOnlyList<MetadataReference> All = Build();

    private static IReadOnlyList<MetadataReference> Build()
    {
        string paths = (string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!;
        var references = paths.Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) == "netstandard.dll" || Path.GetFileName(p) == "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();
        references.Add(MetadataReference.CreateFromFile(typeof(DifferentiableAttribute).Assembly.Location));

        // Generated elementwise kernels name ILGPU types.
        references.Add(MetadataReference.CreateFromFile(typeof(ILGPU.Index1D).Assembly.Location));
        return references;
    }
}
