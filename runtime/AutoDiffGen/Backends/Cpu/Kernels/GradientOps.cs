using System.Runtime.CompilerServices;

namespace AutoDiffGen.Backends.Cpu.Kernels;

/// <summary>dy · f'(v) for one unary op, where v is the forward input x or output y (whichever the op reads).</summary>
internal interface IUnaryGradient
{
    static abstract TVec Apply<TSimd, TVec>(TVec dy, TVec v)
        where TSimd : ISimd<TVec>
        where TVec : struct;
}

/// <summary>The gradient contributions dy·∂y/∂a and dy·∂y/∂b of one binary op.</summary>
internal interface IBinaryGradient
{
    static abstract TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b)
        where TSimd : ISimd<TVec>
        where TVec : struct;

    static abstract TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b)
        where TSimd : ISimd<TVec>
        where TVec : struct;
}

/// <summary>y = −x: dx = −dy.</summary>
internal readonly struct NegateGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec v) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Negate(dy);
}

/// <summary>y = eˣ: dx = dy·y.</summary>
internal readonly struct ExpGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec y) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Multiply(dy, y);
}

/// <summary>y = ln x: dx = dy / x.</summary>
internal readonly struct LogGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec x) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Divide(dy, x);
}

/// <summary>y = √x: dx = dy / (2y).</summary>
internal readonly struct SqrtGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec y) where TSimd : ISimd<TVec> where TVec : struct
        => TSimd.Divide(TSimd.Multiply(dy, TSimd.Splat(0.5f)), y);
}

/// <summary>y = tanh x: dx = dy·(1 − y²).</summary>
internal readonly struct TanhGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec y) where TSimd : ISimd<TVec> where TVec : struct
        => TSimd.Multiply(dy, TSimd.Subtract(TSimd.Splat(1f), TSimd.Multiply(y, y)));
}

/// <summary>y = σ(x): dx = dy·y·(1 − y).</summary>
internal readonly struct SigmoidGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec y) where TSimd : ISimd<TVec> where TVec : struct
        => TSimd.Multiply(TSimd.Multiply(dy, y), TSimd.Subtract(TSimd.Splat(1f), y));
}

/// <summary>y = max(x, 0): dx = dy where x &gt; 0, else 0.</summary>
internal readonly struct ReluGradient : IUnaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec Apply<TSimd, TVec>(TVec dy, TVec x) where TSimd : ISimd<TVec> where TVec : struct
        => TSimd.WhereGreaterThan(x, TSimd.Splat(0f), dy);
}

/// <summary>y = a + b.</summary>
internal readonly struct AddGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => dy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => dy;
}

/// <summary>y = a − b.</summary>
internal readonly struct SubGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => dy;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Negate(dy);
}

/// <summary>y = a · b.</summary>
internal readonly struct MulGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Multiply(dy, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Multiply(dy, a);
}

/// <summary>y = a / b: ∂a = dy / b, ∂b = −dy·a / b².</summary>
internal readonly struct DivGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.Divide(dy, b);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct
        => TSimd.Negate(TSimd.Divide(TSimd.Multiply(dy, TSimd.Divide(a, b)), b));
}

/// <summary>y = max(a, b): dy goes to a where a ≥ b (ties to a, as TensorFlow), else to b.</summary>
internal readonly struct MaximumGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.WhereGreaterOrEqual(a, b, dy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.WhereGreaterThan(b, a, dy);
}

/// <summary>y = min(a, b): dy goes to a where a ≤ b (ties to a), else to b.</summary>
internal readonly struct MinimumGradient : IBinaryGradient
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientA<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.WhereGreaterOrEqual(b, a, dy);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static TVec GradientB<TSimd, TVec>(TVec dy, TVec a, TVec b) where TSimd : ISimd<TVec> where TVec : struct => TSimd.WhereGreaterThan(a, b, dy);
}
