namespace AutoDiffGen.Backends.Cpu;

/// <summary>CPU tensor memory: a managed array, pinned only for the duration of each kernel call.</summary>
internal sealed class CpuStorage : TensorStorage
{
    public CpuStorage(int length)
    {
        Data = new float[length];
    }

    public float[] Data { get; }

    public override Device Device => CpuDevice.Instance;

    public override int Length => Data.Length;
}
