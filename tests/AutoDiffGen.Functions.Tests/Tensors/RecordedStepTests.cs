using System;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Functions.Tests.Tensors;

/// <summary>
/// A training step that stays on the device: the generated <c>LossGradientOnDevice</c> writes the loss into a tensor
/// instead of reading it back, so the step (gradient plus SGD update) can be recorded once with
/// <see cref="Device.Record"/> and replayed. On the CPU devices a replay runs the action again; on CUDA it is a graph,
/// which the GPU check script compares against the direct step.
/// </summary>
public sealed class RecordedStepTests
{
    public static TheoryData<string> Devices => new() { "cpu", "ilgpu-cpu" };

    [Theory]
    [MemberData(nameof(Devices))]
    public void The_on_device_gradient_matches_the_returned_one(string deviceName)
    {
        var device = Device.FromName(deviceName);
        var (model, x, labels) = Problem(device);
        var returned = model.CreateGradients();
        var onDevice = model.CreateGradients();
        Tensor loss = Tensor.Zeros(device);

        float expected = model.LossGradient(x, labels, returned);
        model.LossGradientOnDevice(x, labels, onDevice, loss);

        Assert.Equal(expected, loss.ToScalar());
        foreach (var (r, d) in returned.Parameters.Zip(onDevice.Parameters))
        {
            Assert.Equal(r.Value.ToArray(), d.Value.ToArray());
        }

        // A rank-0 value gets the mean straight from the forward pass; other one-element shapes get a copy of it.
        foreach (int[] shape in new[] { new[] { 1 }, new[] { 1, 1 } })
        {
            Tensor other = Tensor.Full(device, -9f, shape);
            model.LossGradientOnDevice(x, labels, onDevice, other);
            Assert.Equal(expected, other.ToArray()[0]);
        }

        // The float-returning call afterwards still reads its own planned value, not the last value passed in.
        Tensor stale = Tensor.Full(device, 123f);
        model.LossGradientOnDevice(x, labels, onDevice, stale);
        Assert.Equal(expected, model.LossGradient(x, labels, returned));
        Assert.Equal(expected, stale.ToScalar());
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void A_recorded_step_replays_like_direct_steps_and_recording_runs_nothing(string deviceName)
    {
        var device = Device.FromName(deviceName);
        var (direct, x, labels) = Problem(device);
        var (recorded, _, _) = Problem(device);
        var directGradients = direct.CreateGradients();
        var recordedGradients = recorded.CreateGradients();
        Tensor loss = Tensor.Zeros(device);

        // Warm up (buffers planned, kernels compiled), as Record asks; the recorded model takes this step too.
        direct.LossGradientOnDevice(x, labels, directGradients, loss);
        Step(direct, directGradients);
        recorded.LossGradientOnDevice(x, labels, recordedGradients, loss);
        Step(recorded, recordedGradients);
        float[] afterWarmUp = recorded.Wout.ToArray();

        using DeviceGraph graph = device.Record(() =>
        {
            recorded.LossGradientOnDevice(x, labels, recordedGradients, loss);
            Step(recorded, recordedGradients);
        });
        Assert.Equal(afterWarmUp, recorded.Wout.ToArray());
        Assert.False(graph.IsCaptured);
        Assert.Contains(device.Name, graph.HowReplayed);

        var losses = new float[4];
        for (int i = 0; i < losses.Length; i++)
        {
            graph.Replay();
            losses[i] = loss.ToScalar();
            float expected = direct.LossGradient(x, labels, directGradients);
            Step(direct, directGradients);
            Assert.Equal(expected, losses[i]);
        }

        Assert.True(losses[^1] < losses[0], $"losses {string.Join(", ", losses)} did not fall");
        foreach (var (d, r) in direct.Parameters.Zip(recorded.Parameters))
        {
            Assert.Equal(d.Value.ToArray(), r.Value.ToArray());
        }

        graph.Dispose();
        Assert.Throws<ObjectDisposedException>(graph.Replay);
    }

    [Theory]
    [MemberData(nameof(Devices))]
    public void A_static_method_gets_the_on_device_form_too(string deviceName)
    {
        var device = Device.FromName(deviceName);
        Tensor x = Tensor.RandomNormal([3, 4], 81).To(device), weights = Tensor.RandomNormal([4], 82).To(device);
        Tensor returnedGradient = Tensor.Zeros(device, 3, 4), onDeviceGradient = Tensor.Full(device, 7f, 3, 4);
        Tensor value = Tensor.Zeros(device, 1);

        float expected = TensorFunctions.EnergyGradient(x, weights, returnedGradient);
        TensorFunctions.EnergyGradientOnDevice(x, weights, onDeviceGradient, value);

        // A one-element value of shape [1] works as well as a scalar; the gradient is overwritten, as LossGradient's is.
        Assert.Equal(expected, value.ToArray()[0]);
        Assert.Equal(returnedGradient.ToArray(), onDeviceGradient.ToArray());
    }

    [Fact]
    public void The_on_device_value_must_be_given()
    {
        var (model, x, labels) = Problem(Device.Cpu);
        Assert.Throws<ArgumentNullException>(() => model.LossGradientOnDevice(x, labels, model.CreateGradients(), null!));
    }

    private static (SmallMlp Model, Tensor X, Tensor Labels) Problem(Device device)
    {
        var model = new SmallMlp(inputs: 12, hidden: 8, classes: 4, seed: 71);
        model.Hidden1 = new AutoDiffGen.Nn.Dense(model.Hidden1.W.To(device), model.Hidden1.B.To(device));
        model.Hidden2 = new AutoDiffGen.Nn.Dense(model.Hidden2.W.To(device), model.Hidden2.B.To(device));
        model.Wout = model.Wout.To(device);
        model.Bout = model.Bout.To(device);
        var random = new Random(72);
        Tensor x = Tensor.RandomNormal([6, 12], 73).To(device);
        Tensor labels = OneHot(Enumerable.Range(0, 6).Select(_ => random.Next(4)).ToArray(), 4).To(device);
        return (model, x, labels);
    }

    private static void Step(SmallMlp model, SmallMlp.Gradients gradients)
    {
        foreach (var (p, g) in model.Parameters.Zip(gradients.Parameters))
        {
            AddScaled(p.Value, -0.3f, g.Value, p.Value);
        }
    }
}
