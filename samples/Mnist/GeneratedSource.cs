using System;
using System.IO;
using System.Linq;

namespace Mnist;

/// <summary>Finds the backward pass the generator wrote for <see cref="Mlp.Loss"/>, to show it.</summary>
public static class GeneratedSource
{
    /// <summary>The generated file's name: one file per differentiated method.</summary>
    public const string FileName = "Mnist.Mlp.Loss(Tensor,Tensor).g.cs";

    /// <summary>Where the file lies below a project folder when <c>EmitCompilerGeneratedFiles</c> is on.</summary>
    public const string RelativeFolder = "obj/<configuration>/net10.0/generated/AutoDiffGen.Generator/AutoDiffGen.Generator.DifferentiableGenerator";

    /// <summary>The generated file of this build, searched under the project's obj folder; null when the app runs from elsewhere.</summary>
    public static string? Find()
    {
        // bin/<configuration>/net10.0 → the project folder.
        string obj = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "obj"));
        return Directory.Exists(obj)
            ? Directory.EnumerateFiles(obj, FileName, SearchOption.AllDirectories).OrderByDescending(File.GetLastWriteTimeUtc).FirstOrDefault()
            : null;
    }

    /// <summary>The backward half of the generated training step: one adjoint call per operation, last first.</summary>
    public static string[] BackwardPass(string path)
    {
        string[] lines = File.ReadAllLines(path);
        int start = Array.FindIndex(lines, l => l.TrimStart().StartsWith("// Backward:", StringComparison.Ordinal));
        if (start < 0)
        {
            return [];
        }

        int end = Array.FindIndex(lines, start, l => l.TrimStart().StartsWith("return ", StringComparison.Ordinal));
        return lines[start..(end < 0 ? lines.Length : end)]
            .Select(l => l.Trim().Replace("global::AutoDiffGen.", string.Empty, StringComparison.Ordinal))
            .ToArray();
    }
}
