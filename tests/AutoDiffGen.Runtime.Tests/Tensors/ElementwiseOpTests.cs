using System;
using System.Collections.Generic;
using System.Linq;
using Xunit;
using static AutoDiffGen.TensorOps;

namespace AutoDiffGen.Runtime.Tests.Tensors;

public class ElementwiseOpTests
{
    public static readonly TheoryData<int[], int[]> BroadcastPairs = new()
    {
        { [7], [7] },
        { [1], [17] },
        { [33, 1], [1, 7] },
        { [2, 3, 4], [4] },
        { [3, 1, 5], [1, 4, 1] },
        { [2, 1, 3, 1], [7, 1, 17] },
        { [], [3, 2] },
        { [257], [1] },
        { [1, 257], [33, 1] },
        { [300, 257], [257] },
    };

    public static IEnumerable<object[]> BinaryCases()
    {
        foreach (string op in new[] { "Add", "Sub", "Mul", "Div", "Maximum", "Minimum" })
        {
            foreach (var pair in BroadcastPairs)
            {
                yield return [op, pair[0], pair[1]];
            }
        }
    }

    [Theory]
    [MemberData(nameof(BinaryCases))]
    public void BinaryOpsBroadcastLikeTheReference(string op, int[] shapeA, int[] shapeB)
    {
        var random = new Random(shapeA.Length + (31 * shapeB.Sum()) + op.Length);
        var a = TestData.Uniform(random, shapeA);
        var b = op == "Div" ? TestData.AwayFromZero(random, shapeB, gap: 0.5) : TestData.Uniform(random, shapeB);
        var expected = Reference.Binary(ReferenceBinary(op), RefTensor.Of(a), RefTensor.Of(b));

        TensorAssert.Close(expected, ForwardBinary(op, a, b), what: op);
        TensorAssert.Close(expected, ForwardBinary(op, TestData.Strided(a), TestData.Strided(b)), what: op + " strided");

        var destination = Tensor.Full(float.NaN, expected.Shape);
        Assert.Same(destination, ForwardBinary(op, a, b, destination));
        TensorAssert.Close(expected, destination, what: op + " destination");

        if (shapeA.SequenceEqual(expected.Shape))
        {
            var inPlace = a.Clone();
            ForwardBinary(op, inPlace, b, inPlace);
            TensorAssert.Close(expected, inPlace, what: op + " in place");
        }
    }

    [Theory]
    [InlineData("Add")]
    [InlineData("Sub")]
    [InlineData("Mul")]
    [InlineData("Div")]
    [InlineData("Maximum")]
    [InlineData("Minimum")]
    public void BinaryOpsTakeAScalarOnEitherSide(string op)
    {
        var random = new Random(op.Length);
        foreach (int[] shape in new[] { new[] { 7 }, new[] { 17, 33 }, new[] { 300, 257 } })
        {
            var x = TestData.AwayFromZero(random, shape, gap: 0.5);
            const float s = -1.75f;
            var f = ReferenceBinary(op);
            var right = Reference.Unary(v => f(v, s), RefTensor.Of(x));
            var left = Reference.Unary(v => f(s, v), RefTensor.Of(x));
            TensorAssert.Close(right, ScalarRight(op, x, s, null));
            TensorAssert.Close(left, ScalarLeft(op, s, x, null));
            TensorAssert.Close(right, ScalarRight(op, TestData.Strided(x), s, null));
            TensorAssert.Close(left, ScalarLeft(op, s, x, Tensor.Zeros(shape)));
        }
    }

    [Fact]
    public void OperatorsMatchTheNamedOps()
    {
        var random = new Random(5);
        var a = TestData.Uniform(random, [3, 4]);
        var b = TestData.AwayFromZero(random, [4], gap: 0.5);
        Assert.Equal(Add(a, b).ToArray(), (a + b).ToArray());
        Assert.Equal(Sub(a, b).ToArray(), (a - b).ToArray());
        Assert.Equal(Mul(a, b).ToArray(), (a * b).ToArray());
        Assert.Equal(Div(a, b).ToArray(), (a / b).ToArray());
        Assert.Equal(Negate(a).ToArray(), (-a).ToArray());
        Assert.Equal(Add(a, 2f).ToArray(), (a + 2f).ToArray());
        Assert.Equal(Sub(2f, a).ToArray(), (2f - a).ToArray());
        Assert.Equal(Mul(3f, a).ToArray(), (3f * a).ToArray());
        Assert.Equal(Div(a, 4f).ToArray(), (a / 4f).ToArray());
        Assert.Equal(Div(1f, b).ToArray(), (1f / b).ToArray());
    }

    public static IEnumerable<object[]> UnaryCases()
    {
        foreach (string op in new[] { "Negate", "Exp", "Log", "Sqrt", "Tanh", "Sigmoid", "Relu", "Pow2", "Pow3", "Pow0.5", "Pow-1.5" })
        {
            foreach (int[] shape in new[] { new[] { 1 }, new[] { 7 }, new[] { 33, 17 }, new[] { 2, 3, 5, 7 }, new[] { 257, 300 } })
            {
                yield return [op, shape];
            }
        }
    }

    [Theory]
    [MemberData(nameof(UnaryCases))]
    public void UnaryOpsMatchTheReference(string op, int[] shape)
    {
        var random = new Random(op.Length + shape.Sum());
        bool positive = op is "Log" or "Sqrt" || op.StartsWith("Pow", StringComparison.Ordinal);
        var x = positive ? TestData.Uniform(random, shape, 0.1, 3) : TestData.Uniform(random, shape, -6, 6);
        var expected = Reference.Unary(ReferenceUnary(op), RefTensor.Of(x));
        TensorAssert.Close(expected, ForwardUnary(op, x), what: op);
        TensorAssert.Close(expected, ForwardUnary(op, TestData.Strided(x)), what: op + " strided");
        var inPlace = x.Clone();
        ForwardUnary(op, inPlace, inPlace);
        TensorAssert.Close(expected, inPlace, what: op + " in place");
    }

    [Theory]
    [InlineData(new[] { 7 })]
    [InlineData(new[] { 33, 17 })]
    [InlineData(new[] { 300, 257 })]
    public void AddScaledMatchesTheReferenceInPlaceAndStrided(int[] shape)
    {
        var random = new Random(shape.Sum());
        var a = TestData.Uniform(random, shape);
        var b = TestData.Uniform(random, shape);
        var expected = Reference.Binary((x, y) => x - (0.3 * y), RefTensor.Of(a), RefTensor.Of(b));
        TensorAssert.Close(expected, AddScaled(a, -0.3f, b));
        TensorAssert.Close(expected, AddScaled(TestData.Strided(a), -0.3f, TestData.Strided(b)), what: "strided");
        AddScaled(a, -0.3f, b, a);
        TensorAssert.Close(expected, a, what: "in place");
        Assert.StartsWith("AddScaled: a has shape", Assert.Throws<ArgumentException>(() => AddScaled(Tensor.Zeros(3), 1f, Tensor.Zeros(1))).Message);
    }

    [Fact]
    public void CopyBroadcastsIntoTheDestinationAndFillSetsEveryElement()
    {
        var destination = Tensor.Zeros(3, 4);
        Copy(Tensor.FromArray([1f, 2, 3, 4]), destination);
        Assert.Equal([1f, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4], destination.ToArray());
        Copy(Tensor.FromArray([5f, 6, 7], 3, 1), destination.Transpose().Transpose());
        Assert.Equal([5f, 5, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7], destination.ToArray());
        Fill(destination.Transpose(), -1f);
        Assert.All(destination.ToArray(), v => Assert.Equal(-1f, v));
    }

    internal static Func<double, double, double> ReferenceBinary(string op) => op switch
    {
        "Add" => (a, b) => a + b,
        "Sub" => (a, b) => a - b,
        "Mul" => (a, b) => a * b,
        "Div" => (a, b) => a / b,
        "Maximum" => Math.Max,
        "Minimum" => Math.Min,
        _ => throw new ArgumentException(op),
    };

    internal static Tensor ForwardBinary(string op, Tensor a, Tensor b, Tensor? destination = null) => (op, destination) switch
    {
        ("Add", null) => Add(a, b),
        ("Sub", null) => Sub(a, b),
        ("Mul", null) => Mul(a, b),
        ("Div", null) => Div(a, b),
        ("Maximum", null) => Maximum(a, b),
        ("Minimum", null) => Minimum(a, b),
        ("Add", _) => Add(a, b, destination),
        ("Sub", _) => Sub(a, b, destination),
        ("Mul", _) => Mul(a, b, destination),
        ("Div", _) => Div(a, b, destination),
        ("Maximum", _) => Maximum(a, b, destination),
        ("Minimum", _) => Minimum(a, b, destination),
        _ => throw new ArgumentException(op),
    };

    private static Tensor ScalarRight(string op, Tensor a, float b, Tensor? destination) => (op, destination) switch
    {
        ("Add", null) => Add(a, b),
        ("Sub", null) => Sub(a, b),
        ("Mul", null) => Mul(a, b),
        ("Div", null) => Div(a, b),
        ("Maximum", null) => Maximum(a, b),
        ("Minimum", null) => Minimum(a, b),
        ("Add", _) => Add(a, b, destination),
        ("Sub", _) => Sub(a, b, destination),
        ("Mul", _) => Mul(a, b, destination),
        ("Div", _) => Div(a, b, destination),
        ("Maximum", _) => Maximum(a, b, destination),
        ("Minimum", _) => Minimum(a, b, destination),
        _ => throw new ArgumentException(op),
    };

    private static Tensor ScalarLeft(string op, float a, Tensor b, Tensor? destination) => (op, destination) switch
    {
        ("Add", null) => Add(a, b),
        ("Sub", null) => Sub(a, b),
        ("Mul", null) => Mul(a, b),
        ("Div", null) => Div(a, b),
        ("Maximum", null) => Maximum(a, b),
        ("Minimum", null) => Minimum(a, b),
        ("Add", _) => Add(a, b, destination),
        ("Sub", _) => Sub(a, b, destination),
        ("Mul", _) => Mul(a, b, destination),
        ("Div", _) => Div(a, b, destination),
        ("Maximum", _) => Maximum(a, b, destination),
        ("Minimum", _) => Minimum(a, b, destination),
        _ => throw new ArgumentException(op),
    };

    internal static Func<double, double> ReferenceUnary(string op) => op switch
    {
        "Negate" => x => -x,
        "Exp" => Math.Exp,
        "Log" => Math.Log,
        "Sqrt" => Math.Sqrt,
        "Tanh" => Math.Tanh,
        "Sigmoid" => x => 1 / (1 + Math.Exp(-x)),
        "Relu" => x => Math.Max(x, 0),
        _ when op.StartsWith("Pow", StringComparison.Ordinal) => x => Math.Pow(x, Exponent(op)),
        _ => throw new ArgumentException(op),
    };

    internal static float Exponent(string op) => float.Parse(op.AsSpan(3), System.Globalization.CultureInfo.InvariantCulture);

    internal static Tensor ForwardUnary(string op, Tensor x, Tensor? destination = null) => (op, destination) switch
    {
        ("Negate", null) => Negate(x),
        ("Exp", null) => Exp(x),
        ("Log", null) => Log(x),
        ("Sqrt", null) => Sqrt(x),
        ("Tanh", null) => Tanh(x),
        ("Sigmoid", null) => Sigmoid(x),
        ("Relu", null) => Relu(x),
        (_, null) => Pow(x, Exponent(op)),
        ("Negate", _) => Negate(x, destination),
        ("Exp", _) => Exp(x, destination),
        ("Log", _) => Log(x, destination),
        ("Sqrt", _) => Sqrt(x, destination),
        ("Tanh", _) => Tanh(x, destination),
        ("Sigmoid", _) => Sigmoid(x, destination),
        ("Relu", _) => Relu(x, destination),
        _ => Pow(x, Exponent(op), destination),
    };
}
