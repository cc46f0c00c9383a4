using System;
using System.Threading;

namespace AutoDiffGen;

/// <summary>
/// Resolves <see cref="Device.Default"/>: a device set in code wins, then the <c>AUTODIFFGEN_DEVICE</c> environment
/// variable (read once), then the automatic choice. Thread-safe; resolving the environment and probing for CUDA
/// happen once.
/// </summary>
internal static class DeviceSelection
{
    /// <summary>The environment variable that names the default device.</summary>
    public const string EnvironmentVariable = "AUTODIFFGEN_DEVICE";

    private static readonly Lazy<Choice> s_fromEnvironment = new(
        () => Resolve(Environment.GetEnvironmentVariable(EnvironmentVariable)),
        LazyThreadSafetyMode.ExecutionAndPublication);

    private static Choice? s_override;

    public static Choice Current => Volatile.Read(ref s_override) ?? s_fromEnvironment.Value;

    public static void Override(Device? device)
    {
        // Device and reason change together in one reference write.
        Volatile.Write(ref s_override, device is null ? null : new Choice(device, "set in code"));
    }

    /// <summary>The default device for an environment variable value (null or empty when unset).</summary>
    /// <exception cref="InvalidOperationException">The value names no device, or CUDA when none is usable.</exception>
    public static Choice Resolve(string? setting)
    {
        if (string.IsNullOrWhiteSpace(setting) || setting.Trim().Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            var cuda = Backends.Ilgpu.Tensors.IlgpuDevices.TryGetCuda(out string? failure);
            return cuda is not null
                ? new Choice(cuda, "automatic: CUDA GPU found")
                : new Choice(Device.Cpu, $"automatic: no usable CUDA GPU ({failure})");
        }

        try
        {
            return new Choice(Device.FromName(setting), $"{EnvironmentVariable}={setting.Trim()}");
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{EnvironmentVariable}={setting}: {e.Message}", e);
        }
    }

    /// <summary>A device and why it was chosen.</summary>
    public sealed record Choice(Device Device, string Reason);
}
