using System;

namespace AutoDiffGen;

public static partial class TensorOps
{
    /// <summary>
    /// a + alpha·b for two tensors of one shape, in a single pass: the form of a parameter update
    /// (<c>AddScaled(w, -learningRate, dw, w)</c>), which reads and writes each element once instead of twice.
    /// </summary>
    /// <exception cref="ArgumentException">The shapes differ or the tensors are on different devices.</exception>
    public static Tensor AddScaled(Tensor a, float alpha, Tensor b) => AddScaledCore(a, alpha, b, null);

    /// <summary>a + alpha·b written into <paramref name="destination"/> (the same shape; it may be a).</summary>
    public static Tensor AddScaled(Tensor a, float alpha, Tensor b, Tensor destination) => AddScaledCore(a, alpha, b, destination ?? throw new ArgumentNullException(nameof(destination)));

    private static Tensor AddScaledCore(Tensor a, float alpha, Tensor b, Tensor? destination)
    {
        const string op = nameof(AddScaled);
        OpChecks.NotNull(op, a, nameof(a));
        OpChecks.NotNull(op, b, nameof(b));
        OpChecks.SameShape(op, a, nameof(a), b, nameof(b));
        OpChecks.SameDevice(op, a, b, destination);
        if (destination is null)
        {
            destination = Tensor.Zeros(a.Device, a.Shape);
        }
        else
        {
            OpChecks.Destination(op, destination, a.Shape);
        }

        a.Backend.AddScaled(a, alpha, b, destination);
        return destination;
    }
}
