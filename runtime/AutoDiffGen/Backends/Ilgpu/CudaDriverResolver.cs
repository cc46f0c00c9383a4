using System;
using System.Reflection;
using System.Runtime.InteropServices;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Lets ILGPU find the CUDA driver on Linux machines that ship only <c>libcuda.so.1</c> (the
/// versioned name the driver installs) and not the unversioned development link ILGPU asks for.
/// </summary>
internal static class CudaDriverResolver
{
    private static readonly string[] DriverFileNames = ["libcuda.so.1", "libcuda.so"];
    private static int _installed;

    /// <summary>Installs the resolver on ILGPU's assembly once per process.</summary>
    public static void EnsureInstalled()
    {
        if (System.Threading.Interlocked.Exchange(ref _installed, 1) != 0)
        {
            return;
        }

        try
        {
            NativeLibrary.SetDllImportResolver(typeof(ILGPU.Context).Assembly, Resolve);
        }
        catch (InvalidOperationException)
        {
            // The host application installed its own resolver for ILGPU first; it wins.
        }
    }

    private static IntPtr Resolve(string libraryName, Assembly assembly, DllImportSearchPath? searchPath)
    {
        // Default probing first, so this only ever acts as a fallback.
        if (NativeLibrary.TryLoad(libraryName, assembly, searchPath, out var handle))
        {
            return handle;
        }

        if (!OperatingSystem.IsLinux() || !libraryName.Contains("cuda", StringComparison.OrdinalIgnoreCase))
        {
            return IntPtr.Zero;
        }

        foreach (var fileName in DriverFileNames)
        {
            if (NativeLibrary.TryLoad(fileName, out handle))
            {
                return handle;
            }
        }

        return IntPtr.Zero;
    }
}
