namespace AutoDiffGen.GpuCheck;

/// <summary>
/// One implementation of an MLP training step that <see cref="TrainingStepBenchmark"/> times: created for a device and
/// a batch size with its data already on the device, so a step is forward, backward and the SGD update only.
/// </summary>
internal interface ITrainingStep
{
    /// <summary>Names the implementation in the results, e.g. <c>tensor_api_hand_written</c>.</summary>
    string Name { get; }

    /// <summary>Queues one step on the device; must not wait for it.</summary>
    void Run();

    /// <summary>The mean loss of the last step (waits for the device).</summary>
    float Loss();

    /// <summary>The model's parameters, to compare implementations or devices after the same steps.</summary>
    Tensor[] Parameters { get; }

    /// <summary>How a recorded step replays (e.g. <c>a CUDA graph of 27 nodes</c>), or null for a step launched directly.</summary>
    string? Replay => null;
}
