using System;
using AutoDiffGen.Backends.Ilgpu.Elementwise;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Ilgpu;

[Collection(CpuSimulatorCollection.Name)]
public sealed class ElementwiseKernelsTests(CpuSimulatorFixture fixture)
{
    // Forward values come from MathF (CPU simulator) or our tanh: within 2e-6 relative of the double result.
    private const double ForwardTolerance = 2e-6;

    // Gradients built from the float forward output (1 - y*y, y*(1 - y)) cancel near saturation, so
    // they are compared against the size of dy (order 1) rather than their own size.
    private const double GradientTolerance = 2e-6;

    // 1037 = 4 * 259 + 1: float4 body plus a one-element tail, and several grid-stride turns.
    private const int Length = 1037;

    public static TheoryData<global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp, bool> UnaryCases()
    {
        var data = new TheoryData<global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp, bool>();
        foreach (var op in Enum.GetValues<global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp>())
        {
            data.Add(op, true);
            data.Add(op, false);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void Unary_forward_and_gradient_match_reference(global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp op, bool aligned)
    {
        const float p = 1.7f;
        bool positiveDomain = op is global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Log or global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Sqrt or global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Pow;
        var x = positiveDomain ? Reference.Random(Length, seed: 11, low: 0.1f, high: 3f) : Reference.Random(Length, seed: 11, low: -4f, high: 4f);
        var dy = Reference.Random(Length, seed: 12);
        var dxStart = Reference.Random(Length, seed: 13);

        // An offset of one float makes every view unaligned and forces the scalar path.
        int offset = aligned ? 0 : 1;
        using var xb = fixture.Upload(Shifted(x, offset));
        using var yb = fixture.Device.Allocate(Length + offset);
        using var dyb = fixture.Upload(Shifted(dy, offset));
        using var dxb = fixture.Upload(Shifted(dxStart, offset));
        var xv = xb.View.SubView(offset, Length);
        var yv = yb.View.SubView(offset, Length);
        var dyv = dyb.View.SubView(offset, Length);
        var dxv = dxb.View.SubView(offset, Length);

        fixture.Device.Elementwise.Unary(fixture.Stream, op, xv, yv, p);
        var expectedY = new double[Length];
        var expectedDx = new double[Length];
        var expectedAccumulated = new double[Length];
        for (int i = 0; i < Length; i++)
        {
            (expectedY[i], double derivative) = UnaryReference(op, x[i], p);
            expectedDx[i] = derivative * dy[i];
            expectedAccumulated[i] = dxStart[i] + derivative * dy[i];
        }

        Reference.Close(expectedY, fixture.Download(yv), ForwardTolerance, floor: 1e-6, what: $"{op} forward");

        fixture.Device.Elementwise.UnaryGradient(fixture.Stream, op, xv, yv, dyv, dxv, accumulate: true, p);
        Reference.Close(expectedAccumulated, fixture.Download(dxv), GradientTolerance, what: $"{op} gradient, accumulated");

        fixture.Device.Elementwise.UnaryGradient(fixture.Stream, op, xv, yv, dyv, dxv, accumulate: false, p);
        Reference.Close(expectedDx, fixture.Download(dxv), GradientTolerance, what: $"{op} gradient");
    }

    [Fact]
    public void Tanh_is_accurate_for_tiny_and_large_inputs()
    {
        var x = new[] { 1e-8f, -3e-5f, 0.01f, 0.1249f, 0.1251f, -0.7f, 5f, -9.5f, 20f, -100f };
        using var xb = fixture.Upload(x);
        using var yb = fixture.Device.Allocate(x.Length);
        fixture.Device.Elementwise.Unary(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Tanh, xb.View, yb.View);
        Reference.Close(Array.ConvertAll(x, v => Math.Tanh(v)), fixture.Download(yb.View), 1e-6, floor: 1e-30, what: "tanh");
    }

    [Fact]
    public void UnaryGradient_rejects_a_missing_forward_input()
    {
        using var dy = fixture.Device.Allocate(8);
        using var dx = fixture.Device.Allocate(8);
        var e = Assert.Throws<ArgumentException>(() =>
            fixture.Device.Elementwise.UnaryGradient(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Log, default, default, dy.View, dx.View, accumulate: false));
        Assert.Contains("LogGradient", e.Message);
        Assert.Contains("'x' has 0 elements", e.Message);
    }

    public static TheoryData<global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp, int, int, int> BinaryCases()
    {
        var data = new TheoryData<global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp, int, int, int>();
        const int rows = 9;
        foreach (var op in Enum.GetValues<global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp>())
        {
            // cols = 12 takes the float4 path (row vectors too); cols = 13 the scalar one.
            data.Add(op, 12, rows * 12, rows * 12);
            data.Add(op, 12, rows * 12, 12);
            data.Add(op, 13, 13, rows * 13);
            data.Add(op, 13, 1, rows * 13);
            if (op is global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Subtract or global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Divide)
            {
                data.Add(op, 12, rows * 12, 1);
                data.Add(op, 13, rows * 13, 13);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void Binary_forward_and_gradients_match_reference_with_broadcasting(global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp op, int cols, int lengthA, int lengthB)
    {
        const int rows = 9;
        int n = rows * cols;
        var a = Reference.Random(lengthA, seed: 21, low: -2f, high: 2f);
        var b = op == global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Divide ? Reference.Random(lengthB, seed: 22, low: 0.5f, high: 2f) : Reference.Random(lengthB, seed: 22, low: -2f, high: 2f);
        var dc = Reference.Random(n, seed: 23);
        var start = Reference.Random(n, seed: 24);
        using var ab = fixture.Upload(a);
        using var bb = fixture.Upload(b);
        using var cb = fixture.Device.Allocate(n);
        using var dcb = fixture.Upload(dc);
        using var dab = fixture.Upload(start);
        using var dbb = fixture.Device.Allocate(n);

        fixture.Device.Elementwise.Binary(fixture.Stream, op, ab.View, bb.View, cb.View, rows, cols);
        fixture.Device.Elementwise.BinaryGradient(fixture.Stream, op, BinaryOperand.A, ab.View, bb.View, dcb.View, dab.View, rows, cols, accumulate: true);
        fixture.Device.Elementwise.BinaryGradient(fixture.Stream, op, BinaryOperand.B, ab.View, bb.View, dcb.View, dbb.View, rows, cols, accumulate: false);

        var expectedC = new double[n];
        var expectedDa = new double[n];
        var expectedDb = new double[n];
        for (int i = 0; i < n; i++)
        {
            double av = a[lengthA == n ? i : lengthA == cols ? i % cols : 0];
            double bv = b[lengthB == n ? i : lengthB == cols ? i % cols : 0];
            var (value, ga, gb) = BinaryReference(op, av, bv);
            expectedC[i] = value;
            expectedDa[i] = start[i] + ga * dc[i];
            expectedDb[i] = gb * dc[i];
        }

        string what = $"{op} [{rows}, {cols}] a:{lengthA} b:{lengthB}";
        Reference.Close(expectedC, fixture.Download(cb.View), ForwardTolerance, floor: 1e-6, what: what);
        Reference.Close(expectedDa, fixture.Download(dab.View), GradientTolerance, what: what + " da");
        Reference.Close(expectedDb, fixture.Download(dbb.View), GradientTolerance, what: what + " db");
    }

    [Fact]
    public void Maximum_and_minimum_give_ties_to_a_and_propagate_nan()
    {
        var a = new[] { 1f, 2f, float.NaN, 3f };
        var b = new[] { 1f, 5f, 0f, float.NaN };
        using var ab = fixture.Upload(a);
        using var bb = fixture.Upload(b);
        using var cb = fixture.Device.Allocate(4);
        using var ones = fixture.Upload([1f, 1f, 1f, 1f]);
        using var da = fixture.Device.Allocate(4);

        fixture.Device.Elementwise.Binary(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Maximum, ab.View, bb.View, cb.View, 1, 4);
        var max = fixture.Download(cb.View);
        Assert.Equal(1f, max[0]);
        Assert.Equal(5f, max[1]);
        Assert.True(float.IsNaN(max[2]) && float.IsNaN(max[3]));

        fixture.Device.Elementwise.BinaryGradient(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Maximum, BinaryOperand.A, ab.View, bb.View, ones.View, da.View, 1, 4, accumulate: false);
        Assert.Equal(new[] { 1f, 0f }, fixture.Download(da.View)[..2]);

        fixture.Device.Elementwise.BinaryGradient(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Minimum, BinaryOperand.A, ab.View, bb.View, ones.View, da.View, 1, 4, accumulate: false);
        Assert.Equal(new[] { 1f, 1f }, fixture.Download(da.View)[..2]);
    }

    [Fact]
    public void Binary_rejects_an_input_that_does_not_broadcast()
    {
        using var a = fixture.Device.Allocate(12);
        using var b = fixture.Device.Allocate(5);
        using var c = fixture.Device.Allocate(12);
        var e = Assert.Throws<ArgumentException>(() =>
            fixture.Device.Elementwise.Binary(fixture.Stream, global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Add, a.View, b.View, c.View, 3, 4));
        Assert.Contains("Add: 'b' has 5 elements; for output [3, 4] it must have 12 (same shape), 4 (row vector) or 1 (scalar)", e.Message);
    }

    private static float[] Shifted(float[] values, int offset)
    {
        var shifted = new float[values.Length + offset];
        values.CopyTo(shifted, offset);
        return shifted;
    }

    private static (double Value, double Derivative) UnaryReference(global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp op, double x, double p) => op switch
    {
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Negate => (-x, -1),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Exp => (Math.Exp(x), Math.Exp(x)),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Log => (Math.Log(x), 1 / x),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Sqrt => (Math.Sqrt(x), 0.5 / Math.Sqrt(x)),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Pow => (Math.Pow(x, p), p * Math.Pow(x, p - 1)),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Tanh => (Math.Tanh(x), 1 - Math.Tanh(x) * Math.Tanh(x)),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Sigmoid => (1 / (1 + Math.Exp(-x)), Math.Exp(-x) / ((1 + Math.Exp(-x)) * (1 + Math.Exp(-x)))),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Relu => (Math.Max(x, 0), x > 0 ? 1 : 0),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.UnaryOp.Scale => (p * x, p),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static (double Value, double GradA, double GradB) BinaryReference(global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp op, double a, double b) => op switch
    {
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Add => (a + b, 1, 1),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Subtract => (a - b, 1, -1),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Multiply => (a * b, b, a),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Divide => (a / b, 1 / b, -a / (b * b)),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Maximum => (Math.Max(a, b), a >= b ? 1 : 0, a >= b ? 0 : 1),
        global::AutoDiffGen.Backends.Ilgpu.Elementwise.BinaryOp.Minimum => (Math.Min(a, b), a <= b ? 1 : 0, a <= b ? 0 : 1),
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };
}
