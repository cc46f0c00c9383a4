using System;
using ILGPU.Backends.EntryPoints;
using ILGPU.Runtime;

namespace AutoDiffGen.Backends.Ilgpu;

/// <summary>
/// Compiles one instantiation of a generic kernel method (specialised on op or loader structs) and
/// returns its launcher, whose first two parameters are the stream and the launch configuration.
/// Callers cache the launcher: compiling is slow, launching is not.
/// </summary>
internal static class KernelLoading
{
    public static TLauncher Load<TLauncher>(Accelerator accelerator, Type kernelHost, string kernelName, params Type[] typeArguments)
        where TLauncher : Delegate
        => Load<TLauncher>(accelerator, KernelSpecialization.Empty, kernelHost, kernelName, typeArguments).Launcher;

    /// <summary>
    /// Compiles with a <paramref name="specialization"/> (e.g. a minimum of resident groups per multiprocessor, which
    /// caps registers), and also returns the loaded kernel, to ask the accelerator about its occupancy.
    /// </summary>
    public static (TLauncher Launcher, Kernel Kernel) Load<TLauncher>(
        Accelerator accelerator, KernelSpecialization specialization, Type kernelHost, string kernelName, params Type[] typeArguments)
        where TLauncher : Delegate
    {
        var method = kernelHost.GetMethod(kernelName)
            ?? throw new MissingMethodException(kernelHost.FullName, kernelName);
        if (typeArguments.Length > 0)
        {
            method = method.MakeGenericMethod(typeArguments);
        }

        var compiled = accelerator.CompileKernel(EntryPointDescription.FromExplicitlyGroupedKernel(method), specialization);
        var kernel = accelerator.LoadKernel(compiled);
        return (kernel.CreateLauncherDelegate<TLauncher>(), kernel);
    }
}
