using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using AutoDiffGen.Backends.Ilgpu;
using ILGPU;
using ILGPU.Algorithms;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

/// <summary>
/// Compiles the kernels to PTX for an H100/H200 (sm_90) without a GPU, with the settings the CUDA
/// device uses, so that a kernel ILGPU cannot lower for CUDA, or one whose registers spill to local
/// memory, fails here rather than on the rare runs that have a GPU.
/// </summary>
public sealed class PtxCompilationTests : IDisposable
{
    private readonly Context _context = Context.Create(builder => builder
        .EnableAlgorithms()
        .Optimize(OptimizationLevel.O2)
        .PTXBackend(PTXBackendMode.Enhanced));

    private readonly PTXBackend _backend;

    public PtxCompilationTests()
    {
        _backend = new PTXBackend(_context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
    }

    public static TheoryData<string> KernelNames()
    {
        var data = new TheoryData<string>();
        foreach (var method in CheckedKernels())
        {
            data.Add(NameOf(method));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(KernelNames))]
    public void Kernel_compiles_to_ptx_without_local_memory_or_external_calls(string name)
    {
        string ptx = Compile(name);
        Assert.DoesNotContain(".local", ptx);
        Assert.DoesNotContain(".extern", ptx);
    }

    [Fact]
    public void Gemm_reads_shared_and_global_memory_as_float4()
    {
        string ptx = Compile("GemmKernel.Run<DepthContiguousVectorLoader,OuterContiguousVectorLoader>");

        // Per k-slab: 8 steps x 4 float4 reads, and one float4 global read per operand.
        Assert.True(Count(ptx, @"ld\.shared\.v4\.f32") >= 32, "expected at least 32 ld.shared.v4.f32");
        Assert.True(Count(ptx, @"ld\.global\.v4\.f32") >= 2, "expected float4 global loads for A and B");
        Assert.True(Count(ptx, @"st\.global\.v4\.f32") >= 16, "expected float4 stores of C");
        Assert.True(Count(ptx, @"(fma\.rn|mul)\.f32") >= 512, "expected the 8 x 64 multiply-adds of a k-slab unrolled");
    }

    [Fact]
    public void Gemm_compiled_for_two_resident_groups_asks_the_assembler_for_them()
    {
        // GemmKernels.MinGroupsPerMultiprocessor = 2: ptxas then caps registers at 65536 / (2 x 256) = 128 per thread.
        string ptx = Compile("GemmKernel.Run<DepthContiguousVectorLoader,OuterContiguousVectorLoader>", new KernelSpecialization(256, 2), "_two_groups");
        Assert.Matches(@"\.maxntid 256, 1, 1", ptx);
        Assert.Matches(@"\.minnctapersm 2", ptx);
        Assert.DoesNotContain(".local", ptx);
    }

    [Fact]
    public void Elementwise_kernels_use_float4_global_access()
    {
        string ptx = Compile("ElementwiseKernel.UnaryGradient<SigmoidFunction>");
        Assert.True(Count(ptx, @"ld\.global\.v4\.f32") >= 2);
        Assert.True(Count(ptx, @"st\.global\.v4\.f32") >= 1);
    }

    public void Dispose()
    {
        _backend.Dispose();
        _context.Dispose();
    }

    // Every loader appears as A and as B; all other kernels are checked in full.
    private static IEnumerable<MethodInfo> CheckedKernels() =>
        IlgpuDevice.KernelMethods().Where(m =>
            m.DeclaringType?.Name != "GemmKernel"
            || NameOf(m) is "GemmKernel.Run<DepthContiguousVectorLoader,OuterContiguousVectorLoader>"
                or "GemmKernel.Run<DepthContiguousScalarLoader,OuterContiguousScalarLoader>"
                or "GemmKernel.Run<OuterContiguousVectorLoader,DepthContiguousVectorLoader>"
                or "GemmKernel.Run<OuterContiguousScalarLoader,DepthContiguousScalarLoader>");

    private static string NameOf(MethodInfo method) =>
        method.IsGenericMethod
            ? $"{method.DeclaringType!.Name}.{method.Name}<{string.Join(",", method.GetGenericArguments().Select(TypeName))}>"
            : $"{method.DeclaringType!.Name}.{method.Name}";

    // Op structs are generic over functions (MapOp<ReluFunction>): spell the arguments out so every name is unique.
    private static string TypeName(Type type) =>
        type.IsGenericType
            ? $"{type.Name[..type.Name.IndexOf('`')]}<{string.Join(",", type.GetGenericArguments().Select(TypeName))}>"
            : type.Name;

    private string Compile(string name, KernelSpecialization? specialization = null, string variant = "")
    {
        var method = IlgpuDevice.KernelMethods().Single(m => NameOf(m) == name);
        var entry = EntryPointDescription.FromExplicitlyGroupedKernel(method);
        var compiled = (PTXCompiledKernel)_backend.Compile(entry, specialization ?? KernelSpecialization.Empty);

        // AUTODIFFGEN_PTX_DUMP=<folder> keeps each kernel's PTX, e.g. for `ptxas -v -arch=sm_90` (registers, spills)
        // on a machine with CUDA's compiler; scripts/gpu-check.sh runs that on the GPU machine.
        if (Environment.GetEnvironmentVariable("AUTODIFFGEN_PTX_DUMP") is { Length: > 0 } folder)
        {
            System.IO.Directory.CreateDirectory(folder);
            System.IO.File.WriteAllText(System.IO.Path.Combine(folder, Regex.Replace(name, "[^A-Za-z0-9.]+", "_") + variant + ".ptx"), compiled.PTXAssembly);
        }

        return compiled.PTXAssembly;
    }

    private static int Count(string text, string pattern) => Regex.Matches(text, pattern).Count;
}
