using System;

namespace AutoDiffGen.Nn;

/// <summary>Every element one value; see <see cref="Initializer.Zeros"/> and <see cref="Initializer.Constant"/>.</summary>
internal sealed class ConstantInitializer : Initializer
{
    private readonly float _value;

    public ConstantInitializer(float value)
    {
        _value = value;
    }

    public override string ToString() => _value == 0f && !float.IsNegative(_value) ? "Zeros" : $"Constant({_value})";

    protected override Tensor CreateCore(ReadOnlySpan<int> shape, int length, ulong seed, Device device) =>
        Tensor.Full(device, _value, shape);
}
