using System;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;
using Ops = AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>Choosing devices: names, the environment variable, the override in code, and errors that name what is wrong.</summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class DeviceSelectionTests
{
    [Fact]
    public void Devices_have_stable_names_and_describe_their_hardware()
    {
        Assert.Equal("cpu", Device.Cpu.Name);
        Assert.Equal("ilgpu-cpu", Device.IlgpuCpu.Name);
        Assert.StartsWith("cpu: ", Device.Cpu.Description);
        Assert.StartsWith("ilgpu-cpu: CPU simulator", Device.IlgpuCpu.Description);
        Assert.False(Device.Cpu.IsGpu);
        Assert.False(Device.IlgpuCpu.IsGpu);
        Assert.Same(Device.IlgpuCpu, Device.IlgpuCpu);
        Assert.Same(Device.Cpu, Device.FromName(" CPU "));
        Assert.Same(Device.IlgpuCpu, Device.FromName("ilgpu-cpu"));
        Assert.Same(Device.Auto, Device.FromName("auto"));
        Assert.Equal(
            "Device.FromName: unknown device 'tpu'; use cpu, cuda, ilgpu-cpu or auto. (Parameter 'name')",
            Assert.Throws<ArgumentException>(() => Device.FromName("tpu")).Message);
    }

    [Fact]
    public void Automatic_choice_is_cuda_when_usable_and_the_cpu_otherwise()
    {
        var choice = DeviceSelection.Resolve(null);
        Assert.Equal(choice, DeviceSelection.Resolve(" auto "));
        Assert.Equal(choice, DeviceSelection.Resolve(""));
        if (Device.IsCudaAvailable)
        {
            Assert.Same(Device.Cuda, choice.Device);
            Assert.Equal("automatic: CUDA GPU found", choice.Reason);
            Assert.True(Device.Cuda.IsGpu);
        }
        else
        {
            Assert.Same(Device.Cpu, choice.Device);
            Assert.StartsWith("automatic: no usable CUDA GPU (", choice.Reason);
            Assert.Same(Device.Cpu, Device.Auto);
            var error = Assert.Throws<InvalidOperationException>(() => Device.Cuda);
            Assert.StartsWith("Device.Cuda: no usable CUDA GPU (", error.Message);

            // The reason appears once, without the device's own prefix or a period inside the parentheses.
            Assert.Equal(error.Message.IndexOf("usable CUDA GPU", StringComparison.OrdinalIgnoreCase), error.Message.LastIndexOf("usable CUDA GPU", StringComparison.OrdinalIgnoreCase));
            Assert.DoesNotContain(".)", error.Message);
        }
    }

    [Fact]
    public void The_environment_variable_names_the_device_and_bad_values_say_what_is_allowed()
    {
        Assert.Equal(new DeviceSelection.Choice(Device.Cpu, "AUTODIFFGEN_DEVICE=cpu"), DeviceSelection.Resolve("cpu"));
        Assert.Equal(new DeviceSelection.Choice(Device.IlgpuCpu, "AUTODIFFGEN_DEVICE=ILGPU-CPU"), DeviceSelection.Resolve("ILGPU-CPU"));
        Assert.Equal(
            "AUTODIFFGEN_DEVICE=gpu0: Device.FromName: unknown device 'gpu0'; use cpu, cuda, ilgpu-cpu or auto. (Parameter 'name')",
            Assert.Throws<InvalidOperationException>(() => DeviceSelection.Resolve("gpu0")).Message);
        if (!Device.IsCudaAvailable)
        {
            Assert.StartsWith(
                "AUTODIFFGEN_DEVICE=cuda: Device.Cuda: no usable CUDA GPU (",
                Assert.Throws<InvalidOperationException>(() => DeviceSelection.Resolve("cuda")).Message);
        }
    }

    [Fact]
    public void Setting_the_default_in_code_overrides_the_environment_until_reset()
    {
        var fromEnvironment = Device.Default;
        string reason = Device.DefaultSelection;
        try
        {
            Device.Default = Device.IlgpuCpu;
            Assert.Same(Device.IlgpuCpu, Device.Default);
            Assert.Equal("set in code", Device.DefaultSelection);
        }
        finally
        {
            Device.Default = null;
        }

        Assert.Same(fromEnvironment, Device.Default);
        Assert.Equal(reason, Device.DefaultSelection);
    }

    [Fact]
    public void Mixing_devices_in_one_op_names_both_and_moving_is_explicit()
    {
        var cpu = Tensor.Ones(3);
        var gpu = Tensor.Ones(Device.IlgpuCpu, 3);
        Assert.Equal(
            "Add: tensors are on different devices (cpu and ilgpu-cpu); move them to one device first.",
            Assert.Throws<ArgumentException>(() => Ops.Add(cpu, gpu)).Message);
        Assert.Equal(
            "Dense: tensors are on different devices (ilgpu-cpu and cpu); move them to one device first.",
            Assert.Throws<ArgumentException>(() => Ops.Dense(Tensor.Ones(Device.IlgpuCpu, 2, 3), Tensor.Ones(3, 4), Tensor.Ones(Device.IlgpuCpu, 4))).Message);
        Assert.Equal(
            "SoftmaxCrossEntropy: tensors are on different devices (ilgpu-cpu and cpu); move them to one device first.",
            Assert.Throws<ArgumentException>(() => TensorGradients.SoftmaxCrossEntropy(Tensor.Ones(Device.IlgpuCpu, 2), Tensor.Ones(Device.IlgpuCpu, 2, 3), Tensor.Ones(2, 3), null, Tensor.Ones(Device.IlgpuCpu, 2, 3), false)).Message);

        Assert.Equal(new float[] { 2, 2, 2 }, Ops.Add(cpu, gpu.To(Device.Cpu)).ToArray());
        Assert.Equal("Tensor[3] on ilgpu-cpu", Ops.Add(cpu.To(Device.IlgpuCpu), gpu).ToString());
    }
}
