using System;
using AutoDiffGen.Backends.Ilgpu.Gemm;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>
/// Choosing the product library. cuBLAS itself only runs on the GPU machine (scripts/gpu-check.sh checks its products
/// against a double-precision reference there); here: the choice, its errors and the library loading's failure reports.
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class GemmLibraryTests(CpuSimulatorFixture fixture)
{
    [Fact]
    public void The_cpu_simulator_multiplies_with_the_ilgpu_kernels_and_says_why_not_cublas()
    {
        var gemm = fixture.Device.Gemm;

        Assert.Equal(GemmLibrary.IlgpuKernels, gemm.Library);
        Assert.Null(gemm.CuBlasDescription);
        Assert.Equal("cuBLAS runs on CUDA devices only", gemm.CuBlasUnavailableReason);
        Assert.DoesNotContain("cuBLAS", fixture.Device.Name, StringComparison.Ordinal);
    }

    [Fact]
    public void Asking_for_cublas_where_it_is_unavailable_throws_with_the_reason()
    {
        var gemm = fixture.Device.Gemm;

        var error = Assert.Throws<InvalidOperationException>(() => gemm.Library = GemmLibrary.CuBlas);

        Assert.Contains("cuBLAS is not available on", error.Message, StringComparison.Ordinal);
        Assert.Contains("CUDA devices only", error.Message, StringComparison.Ordinal);
        Assert.Equal(GemmLibrary.IlgpuKernels, gemm.Library);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("ilgpu", GemmLibrary.IlgpuKernels)]
    [InlineData(" ILGPU ", GemmLibrary.IlgpuKernels)]
    [InlineData("cublas", GemmLibrary.CuBlas)]
    [InlineData("cuBLAS", GemmLibrary.CuBlas)]
    public void The_environment_variable_picks_a_library_or_leaves_the_default(string? value, GemmLibrary? expected)
    {
        Assert.Equal(expected, GemmKernels.LibraryChoice(value));
    }

    [Fact]
    public void An_unknown_library_in_the_environment_variable_is_an_error_naming_it_and_the_choices()
    {
        var error = Assert.Throws<InvalidOperationException>(() => GemmKernels.LibraryChoice("mkl"));

        Assert.Contains("AUTODIFFGEN_GEMM=mkl", error.Message, StringComparison.Ordinal);
        Assert.Contains("'ilgpu' or 'cublas'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_cublas_library_is_reported_with_every_name_tried_and_the_variable_to_set()
    {
        var api = CuBlasApi.Load(["/nonexistent/libcublas.so.99", "libcublas-not-here.so"], out string? failure);

        Assert.Null(api);
        Assert.Contains("/nonexistent/libcublas.so.99, libcublas-not-here.so", failure, StringComparison.Ordinal);
        Assert.Contains("AUTODIFFGEN_CUBLAS", failure, StringComparison.Ordinal);
    }

    [Fact]
    public void A_library_without_the_cublas_functions_is_reported_as_such()
    {
        // Any library the loader finds that is not cuBLAS: the C runtime.
        string other = OperatingSystem.IsWindows() ? "kernel32.dll" : OperatingSystem.IsMacOS() ? "libSystem.dylib" : "libc.so.6";

        var api = CuBlasApi.Load([other], out string? failure);

        Assert.Null(api);
        Assert.Contains($"{other} lacks a function AutoDiffGen needs", failure, StringComparison.Ordinal);
        Assert.Contains("cublasCreate_v2", failure, StringComparison.Ordinal);
    }
}
