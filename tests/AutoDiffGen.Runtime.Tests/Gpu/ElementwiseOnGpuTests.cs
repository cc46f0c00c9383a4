using System;
using AutoDiffGen.Runtime.Tests.Ilgpu;
using Xunit;
using static AutoDiffGen.Runtime.Tests.Gpu.DeviceComparison;
using Grad = AutoDiffGen.TensorGradients;
using Ops = AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Gpu;

/// <summary>
/// Elementwise ops and their gradients on ILGPU's CPU accelerator against the SIMD CPU device: contiguous tensors
/// (the dense float4 kernels) and transposed views (the strided kernels), every broadcast pattern, overwrite and
/// accumulate. Tolerance: 1e-5 relative plus 1e-6 absolute (the devices' exp/log/tanh differ in the last bits).
/// </summary>
[Collection(CpuSimulatorCollection.Name)]
public sealed class ElementwiseOnGpuTests
{
    [Theory]
    [InlineData("Negate", false)]
    [InlineData("Exp", false)]
    [InlineData("Log", false)]
    [InlineData("Sqrt", true)]
    [InlineData("Pow", false)]
    [InlineData("Tanh", true)]
    [InlineData("Sigmoid", false)]
    [InlineData("Relu", true)]
    [InlineData("Exp", true)]
    [InlineData("Pow", true)]
    public void Unary_forward_and_backward_match_the_cpu(string op, bool strided)
    {
        Same(place =>
        {
            // Positive inputs keep Log, Sqrt and Pow real; Relu sees both signs.
            var x = place(op == "Relu" || op == "Negate" || op == "Tanh" ? AwayFromZero(1, [6, 9]) : Uniform(1, [6, 9], 0.2, 2));
            var dy = place(Uniform(2, [6, 9]));
            var y = Forward(op, x);
            var dx = Ops.Fill(Tensor.ZerosLike(x), 0.5f);
            var overwrite = Tensor.ZerosLike(x);
            Backward(op, dy, x, y, dx, accumulate: true);
            Backward(op, dy, x, y, overwrite, accumulate: false);
            return [y, dx, overwrite];
        }, strided);
    }

    [Theory]
    [InlineData("Add", "5x8", "5x8")]
    [InlineData("Sub", "5x8", "8")]
    [InlineData("Mul", "5x8", "5x1")]
    [InlineData("Div", "1", "5x8")]
    [InlineData("Maximum", "3x1x8", "4x1")]
    [InlineData("Minimum", "5x8", "1x8")]
    [InlineData("Mul", "2x3x4", "3x1")]
    [InlineData("Add", "8", "5x8")]
    public void Binary_forward_and_both_gradients_match_the_cpu(string op, string shapeA, string shapeB)
    {
        foreach (bool strided in new[] { false, true })
        {
            Same(place =>
            {
                var a = place(AwayFromZero(3, Shape(shapeA)));
                var b = place(op == "Div" ? Uniform(4, Shape(shapeB), 0.5, 2) : AwayFromZero(4, Shape(shapeB)));
                var y = Binary(op, a, b);
                var dy = place(Uniform(5, y.Shape.ToArray()));
                var da = Ops.Fill(Tensor.ZerosLike(a), 0.25f);
                var db = Ops.Fill(Tensor.ZerosLike(b), 0.25f);
                BinaryBackward(op, dy, a, b, da, db, accumulate: true);
                var da2 = Tensor.ZerosLike(a);
                var db2 = Tensor.ZerosLike(b);
                BinaryBackward(op, dy, a, b, da2, db2, accumulate: false);
                return [y, da, db, da2, db2];
            }, strided);
        }
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    public void Binary_with_a_scalar_and_its_gradient_match_the_cpu(string op)
    {
        Same(place =>
        {
            var a = place(Uniform(6, [4, 7], 0.5, 2));
            var dy = place(Uniform(7, [4, 7]));
            var right = BinaryScalar(op, a, 1.25f, scalarFirst: false);
            var left = BinaryScalar(op, a, 1.25f, scalarFirst: true);
            var dRight = Tensor.ZerosLike(a);
            var dLeft = Ops.Fill(Tensor.ZerosLike(a), 1f);
            BinaryScalarBackward(op, dy, a, 1.25f, scalarFirst: false, dRight, accumulate: false);
            BinaryScalarBackward(op, dy, a, 1.25f, scalarFirst: true, dLeft, accumulate: true);
            return [right, left, dRight, dLeft];
        }, strided: true);
    }

    [Fact]
    public void AddScaled_copy_fill_and_in_place_updates_match_the_cpu()
    {
        foreach (bool strided in new[] { false, true })
        {
            Same(place =>
            {
                var w = place(Uniform(8, [7, 5]));
                var g = place(Uniform(9, [7, 5]));
                var stepped = Ops.AddScaled(w, -0.1f, g);
                Ops.AddScaled(w, 0.5f, g, w);
                var da = Tensor.ZerosLike(w);
                var db = Ops.Fill(Tensor.ZerosLike(w), 2f);
                Grad.AddScaled(g, w, 0.5f, stepped, da, db, accumulate: true);
                var row = place(Uniform(10, [5]));
                var broadcast = Ops.Copy(row, Tensor.Zeros(w.Device, 7, 5));
                var filled = Ops.Fill(Tensor.Zeros(w.Device, 3, 2), -3.5f);
                var inPlace = Ops.Relu(Ops.Mul(w, 2f), Tensor.Zeros(w.Device, 7, 5));
                Ops.Exp(inPlace, inPlace);
                return [stepped, w, da, db, broadcast, filled, inPlace];
            }, strided);
        }
    }

    [Fact]
    public void Values_move_between_devices_through_views_and_the_indexer()
    {
        var source = Uniform(11, [3, 4, 5]);
        var onGpu = source.To(UnderTest);
        Assert.Same(UnderTest, onGpu.Device);
        Assert.Same(onGpu, onGpu.To(UnderTest));
        Assert.Equal(source.ToArray(), onGpu.ToArray());

        // A permuted view reads back in its own row-major order; writing through it writes the underlying storage.
        var view = onGpu.Transpose(2, 0, 1);
        Assert.Equal(source.Transpose(2, 0, 1).ToArray(), view.ToArray());
        float[] replacement = Uniform(12, [5, 3, 4]).ToArray();
        view.CopyFrom(replacement);
        var expected = source.Clone();
        expected.Transpose(2, 0, 1).CopyFrom(replacement);
        Assert.Equal(expected.ToArray(), onGpu.ToArray());
        Assert.Equal(expected.To(Device.Cpu).ToArray(), onGpu.To(Device.Cpu).ToArray());

        onGpu[1, 2, 3] = 42f;
        Assert.Equal(42f, onGpu[1, 2, 3]);
        Assert.Equal(42f, onGpu.Transpose(2, 0, 1)[3, 1, 2]);
        Assert.Equal(7f, Tensor.Scalar(UnderTest, 7f).ToScalar());
        Assert.Equal(new float[6], Tensor.Zeros(UnderTest, 2, 3).ToArray());
        Assert.Empty(Tensor.Zeros(UnderTest, 0, 3).ToArray());
    }

    private static Tensor Forward(string op, Tensor x) => op switch
    {
        "Negate" => Ops.Negate(x),
        "Exp" => Ops.Exp(x),
        "Log" => Ops.Log(x),
        "Sqrt" => Ops.Sqrt(x),
        "Pow" => Ops.Pow(x, 2.5f),
        "Tanh" => Ops.Tanh(x),
        "Sigmoid" => Ops.Sigmoid(x),
        "Relu" => Ops.Relu(x),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static void Backward(string op, Tensor dy, Tensor x, Tensor y, Tensor dx, bool accumulate)
    {
        switch (op)
        {
            case "Negate": Grad.Negate(dy, x, y, dx, accumulate); break;
            case "Exp": Grad.Exp(dy, x, y, dx, accumulate); break;
            case "Log": Grad.Log(dy, x, y, dx, accumulate); break;
            case "Sqrt": Grad.Sqrt(dy, x, y, dx, accumulate); break;
            case "Pow": Grad.Pow(dy, x, y, 2.5f, dx, accumulate); break;
            case "Tanh": Grad.Tanh(dy, x, y, dx, accumulate); break;
            case "Sigmoid": Grad.Sigmoid(dy, x, y, dx, accumulate); break;
            case "Relu": Grad.Relu(dy, x, y, dx, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static Tensor Binary(string op, Tensor a, Tensor b) => op switch
    {
        "Add" => Ops.Add(a, b),
        "Sub" => Ops.Sub(a, b),
        "Mul" => Ops.Mul(a, b),
        "Div" => Ops.Div(a, b),
        "Maximum" => Ops.Maximum(a, b),
        "Minimum" => Ops.Minimum(a, b),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static void BinaryBackward(string op, Tensor dy, Tensor a, Tensor b, Tensor da, Tensor db, bool accumulate)
    {
        switch (op)
        {
            case "Add": Grad.Add(dy, a, b, da, db, accumulate); break;
            case "Sub": Grad.Sub(dy, a, b, da, db, accumulate); break;
            case "Mul": Grad.Mul(dy, a, b, da, db, accumulate); break;
            case "Div": Grad.Div(dy, a, b, da, db, accumulate); break;
            case "Maximum": Grad.Maximum(dy, a, b, da, db, accumulate); break;
            case "Minimum": Grad.Minimum(dy, a, b, da, db, accumulate); break;
            default: throw new ArgumentOutOfRangeException(nameof(op));
        }
    }

    private static Tensor BinaryScalar(string op, Tensor a, float s, bool scalarFirst) => (op, scalarFirst) switch
    {
        ("Add", false) => Ops.Add(a, s),
        ("Add", true) => Ops.Add(s, a),
        ("Sub", false) => Ops.Sub(a, s),
        ("Sub", true) => Ops.Sub(s, a),
        ("Mul", false) => Ops.Mul(a, s),
        ("Mul", true) => Ops.Mul(s, a),
        ("Div", false) => Ops.Div(a, s),
        ("Div", true) => Ops.Div(s, a),
        ("Maximum", false) => Ops.Maximum(a, s),
        ("Maximum", true) => Ops.Maximum(s, a),
        ("Minimum", false) => Ops.Minimum(a, s),
        _ => Ops.Minimum(s, a),
    };

    private static void BinaryScalarBackward(string op, Tensor dy, Tensor a, float s, bool scalarFirst, Tensor da, bool accumulate)
    {
        switch ((op, scalarFirst))
        {
            case ("Add", false): Grad.Add(dy, a, s, da, accumulate); break;
            case ("Add", true): Grad.Add(dy, s, a, da, accumulate); break;
            case ("Sub", false): Grad.Sub(dy, a, s, da, accumulate); break;
            case ("Sub", true): Grad.Sub(dy, s, a, da, accumulate); break;
            case ("Mul", false): Grad.Mul(dy, a, s, da, accumulate); break;
            case ("Mul", true): Grad.Mul(dy, s, a, da, accumulate); break;
            case ("Div", false): Grad.Div(dy, a, s, da, accumulate); break;
            case ("Div", true): Grad.Div(dy, s, a, da, accumulate); break;
            case ("Maximum", false): Grad.Maximum(dy, a, s, da, accumulate); break;
            case ("Maximum", true): Grad.Maximum(dy, s, a, da, accumulate); break;
            case ("Minimum", false): Grad.Minimum(dy, a, s, da, accumulate); break;
            default: Grad.Minimum(dy, s, a, da, accumulate); break;
        }
    }
}
