using System;
using System.IO;
using System.Reflection;

namespace AutoDiffGen.Samples.Tests;

/// <summary>Runs a sample's entry point in process and captures what it prints.</summary>
internal static class SampleOutput
{
    private static readonly object ConsoleLock = new();

    public static string Run(Assembly sample, params string[] args)
    {
        lock (ConsoleLock)
        {
            TextWriter original = Console.Out;
            using var captured = new StringWriter();
            Console.SetOut(captured);
            try
            {
                MethodInfo entryPoint = sample.EntryPoint ?? throw new InvalidOperationException($"{sample.GetName().Name} has no entry point.");
                object? result = entryPoint.Invoke(null, entryPoint.GetParameters().Length == 0 ? null : new object[] { args });
                if (result is int exitCode && exitCode != 0)
                {
                    throw new InvalidOperationException($"{sample.GetName().Name} exited with {exitCode}:\n{captured}");
                }
            }
            finally
            {
                Console.SetOut(original);
            }

            return captured.ToString();
        }
    }
}
