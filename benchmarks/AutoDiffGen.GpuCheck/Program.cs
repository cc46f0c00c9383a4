using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using AutoDiffGen;
using Device = AutoDiffGen.Device;
using AutoDiffGen.Backends.Ilgpu;
using AutoDiffGen.GpuCheck;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;

// Usage: AutoDiffGen.GpuCheck [--smoke] <results.json>
//   --smoke: tiny sizes, for proving the pipeline on the CPU simulator.
bool smoke = Array.IndexOf(args, "--smoke") >= 0;
string? output = Array.Find(args, a => !a.StartsWith("--", StringComparison.Ordinal));
if (output is null)
{
    Console.Error.WriteLine("usage: AutoDiffGen.GpuCheck [--smoke] <results.json>");
    return 2;
}

var sizes = smoke ? CheckSizes.Smoke : CheckSizes.Full;
var report = new JsonRecord();
var sections = new JsonRecord();
bool failed = false;
var started = DateTime.UtcNow;

using var device = IlgpuDevice.Create(IlgpuDeviceKind.Auto, profiling: true);
Console.WriteLine($"Device: {device.Name}");
if (device.FallbackReason is not null)
{
    Console.WriteLine($"  (no GPU: {device.FallbackReason})");
}

report.Add("device", DeviceInfo(device)).Add("smoke", smoke)
    .Add("gemm_library", device.Gemm.Library.ToString())
    .Add("cublas", device.Gemm.CuBlasDescription)
    .Add("cublas_unavailable_reason", device.Gemm.CuBlasUnavailableReason);
Console.WriteLine($"Products: {device.Gemm.CuBlasDescription ?? "ILGPU kernels only (" + device.Gemm.CuBlasUnavailableReason + ")"}");
if (!smoke && !device.IsGpu)
{
    // The full sizes would take hours on the CPU simulator: report why there is no GPU and stop.
    report.Add("error", "no CUDA GPU: " + device.FallbackReason);
    Write();
    Console.Error.WriteLine("No CUDA GPU; run with --smoke to exercise the pipeline on the CPU simulator.");
    return 3;
}

// The Tensor API's GPU device: CUDA on the GPU machine, ILGPU's CPU accelerator in a smoke run.
var tensorDevice = device.IsGpu ? Device.Cuda : Device.IlgpuCpu;
report.Add("tensor_device", tensorDevice.Description);
Console.WriteLine($"Tensor device: {tensorDevice.Description}");

var stream = device.Accelerator.DefaultStream;
var timer = new DeviceTimer(stream, sizes.Warmups, sizes.Repetitions);
var fill = new DeviceFill(device.Accelerator);

void Section(string name, Func<object> run)
{
    Console.WriteLine($"== {name}");
    try
    {
        sections.Add(name, run());
    }
    catch (Exception e)
    {
        failed = true;
        Console.WriteLine($"  FAILED: {e}");
        sections.Add(name, new JsonRecord().Add("error", e.ToString()));
    }

    // Rewritten after every section, so a run cut short still leaves what it measured.
    Write();
}

void Write()
{
    using var file = File.Create(output);
    using var writer = new Utf8JsonWriter(file, new JsonWriterOptions { Indented = true });
    var snapshot = new JsonRecord();
    snapshot.Add("report", report).Add("sections", sections).Add("elapsed_s", (DateTime.UtcNow - started).TotalSeconds);
    snapshot.WriteTo(writer);
}

Section("compile", () => new JsonRecord().Add("all_kernels_s", timer.WallSeconds(device.CompileAll)));
Section("correctness", () =>
{
    var checks = new CorrectnessChecks(device, fill, sizes);
    var results = checks.Run();
    failed |= !checks.AllPassed;
    return new JsonRecord().Add("all_passed", checks.AllPassed).Add("checks", results);
});
Section("tensor_correctness", () =>
{
    var checks = new TensorDeviceChecks(tensorDevice, sizes);
    var results = checks.Run();
    failed |= !checks.AllPassed;
    return new JsonRecord().Add("all_passed", checks.AllPassed).Add("checks", results);
});
Section("allocations", () => Allocations(device, timer, smoke ? 16 : 256));
Section("mlp_step", () => TrainingStepBenchmark.Run(tensorDevice, sizes));
Section("step_breakdown", () => StepBreakdown.Run(tensorDevice, sizes));
Section("elementwise", () => ElementwiseBenchmark.Run(device, fill, timer, sizes));
Section("user_kernels", () => UserKernelBenchmark.Run(tensorDevice, sizes));
Section("gemm", () => GemmBenchmark.Square(device, fill, timer, sizes));
Section("mlp_gemm", () => GemmBenchmark.Mlp(device, fill, timer, sizes));
Section("gemm_split_sweep", () => GemmBenchmark.SplitSweep(device, fill, timer, sizes));
Section("softmax_cross_entropy", () => SoftmaxBenchmark.Run(device, fill, timer, sizes));

Console.WriteLine($"Results written to {output} ({(DateTime.UtcNow - started).TotalSeconds:F1} s){(failed ? "; some checks FAILED" : "")}");
return failed ? 1 : 0;

static JsonRecord DeviceInfo(IlgpuDevice device)
{
    var info = new JsonRecord()
        .Add("name", device.Name)
        .Add("is_gpu", device.IsGpu)
        .Add("fallback_reason", device.FallbackReason)
        .Add("multiprocessors", device.Accelerator.NumMultiprocessors)
        .Add("max_threads_per_multiprocessor", device.Accelerator.MaxNumThreadsPerMultiprocessor)
        .Add("memory_bytes", device.Accelerator.MemorySize)
        .Add("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    if (device.Accelerator is CudaAccelerator cuda)
    {
        info.Add("architecture", cuda.Architecture.ToString())
            .Add("instruction_set", cuda.InstructionSet.ToString())
            .Add("driver_version", cuda.DriverVersion.ToString())
            .Add("clock_khz", cuda.ClockRate)
            .Add("memory_clock_khz", cuda.MemoryClockRate)
            .Add("memory_bus_bits", cuda.MemoryBusWidth)
            .Add("l2_bytes", cuda.L2CacheSize);
    }

    return info;
}

// Host bytes allocated per call once warm: the op layer adds nothing to ILGPU's own launch cost.
static JsonRecord Allocations(IlgpuDevice device, DeviceTimer timer, int size)
{
    var stream = device.Accelerator.DefaultStream;
    using var a = device.Allocate(size * size);
    using var b = device.Allocate(size * size);
    using var c = device.Allocate(size * size);
    using var loss = device.Allocate(size);
    return new JsonRecord()
        .Add("gemm_bytes_per_call", timer.AllocatedBytesPerCall(() => device.Gemm.Gemm(stream, false, true, size, size, size, 1f, a.View, b.View, 0f, c.View)))
        .Add("binary_bytes_per_call", timer.AllocatedBytesPerCall(() => device.Elementwise.Binary(stream, AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Add, a.View, b.View, c.View, size, size)))
        .Add("sum_bytes_per_call", timer.AllocatedBytesPerCall(() => device.Reductions.Sum(stream, a.View, loss.View.SubView(0, 1))))
        .Add("softmax_xent_bytes_per_call", timer.AllocatedBytesPerCall(() => device.Softmax.SoftmaxCrossEntropy(stream, a.View, b.View, loss.View, size, size)));
}
