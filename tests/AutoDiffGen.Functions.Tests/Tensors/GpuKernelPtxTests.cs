using System;
using System.Linq;
using System.Reflection;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using ILGPU;
using ILGPU.Backends.EntryPoints;
using ILGPU.Backends.PTX;
using ILGPU.Runtime.Cuda;
using Xunit;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>
/// Every generated element struct, run through the runtime's elementwise kernels, compiles for CUDA: ILGPU's PTX
/// backend needs no GPU, so this catches code a GPU cannot run before a GPU machine does (as the runtime's
/// <c>PtxCompilationTests</c> do for its own kernels). The kernels must move four floats per memory access, which is what
/// lets them reach the bandwidth of the runtime's own ops.
/// </summary>
public sealed class GpuKernelPtxTests
{
    public static TheoryData<string> ElementStructs()
    {
        var data = new TheoryData<string>();
        foreach (Type type in typeof(Activations).GetNestedTypes(BindingFlags.Public | BindingFlags.NonPublic).Where(t => t.Name.EndsWith("GpuElement", StringComparison.Ordinal)))
        {
            data.Add(type.Name);
        }

        return data;
    }

    [Fact]
    public void EveryActivationWithoutATapeHasAnElementStruct()
    {
        Assert.True(ElementStructs().Count >= 6, "The activations' element structs were not found.");
    }

    [Theory]
    [MemberData(nameof(ElementStructs))]
    public void GeneratedElementKernelsCompileToPtxWithFourFloatAccesses(string name)
    {
        Type element = typeof(Activations).GetNestedType(name, BindingFlags.Public | BindingFlags.NonPublic)!;
        // The CUDA device's settings, for an H100/H200 (sm_90), as the runtime's own PTX compilation tests use them.
        using var context = Context.Create(builder => builder.EnableAlgorithms().Optimize(OptimizationLevel.O2).PTXBackend(PTXBackendMode.Enhanced));
        using var backend = new PTXBackend(context, new CudaCapabilityContext(CudaArchitecture.SM_90), CudaArchitecture.SM_90, CudaInstructionSet.ISA_80, null);
        foreach (string kernel in new[] { nameof(ElementwiseKernel.Unary), nameof(ElementwiseKernel.UnaryGradient) })
        {
            MethodInfo method = typeof(ElementwiseKernel).GetMethod(kernel)!.MakeGenericMethod(typeof(UserFunction<>).MakeGenericType(element));
            var compiled = (PTXCompiledKernel)backend.Compile(EntryPointDescription.FromExplicitlyGroupedKernel(method), default);
            Assert.Contains("ld.global.v4.f32", compiled.PTXAssembly, StringComparison.Ordinal);
            Assert.Contains("st.global.v4.f32", compiled.PTXAssembly, StringComparison.Ordinal);

            // No calls into anything the PTX does not hold. (Local memory is allowed here: ILGPU.Algorithms' double-precision
            // atan, which ThroughDouble reaches, keeps a table there.)
            Assert.DoesNotContain(".extern", compiled.PTXAssembly, StringComparison.Ordinal);
        }
    }
}
