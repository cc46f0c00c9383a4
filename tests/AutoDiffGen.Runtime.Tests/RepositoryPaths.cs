using System;
using System.IO;

namespace AutoDiffGen.Runtime.Tests;

/// <summary>Finds files checked into the repository (shipped data, test fixtures) from the test binaries.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> s_root = new(FindRoot);

    /// <summary>The folder that holds AutoDiffGen.sln.</summary>
    public static string Root => s_root.Value;

    /// <summary>A path below the repository root, given with forward slashes.</summary>
    public static string Combine(string relative) => Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar));

    private static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "AutoDiffGen.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"No AutoDiffGen.sln above '{AppContext.BaseDirectory}'.");
    }
}
