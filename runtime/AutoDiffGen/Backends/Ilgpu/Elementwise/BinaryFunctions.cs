namespace AutoDiffGen.Backends.Ilgpu.Elementwise;

/// <summary>Kernel-side form of a <see cref="BinaryOp"/>, with the partial derivatives of each input times dc.</summary>
internal interface IBinaryFunction
{
    float Forward(float a, float b);

    float GradientA(float a, float b, float dc);

    float GradientB(float a, float b, float dc);
}

internal struct AddFunction : IBinaryFunction
{
    public float Forward(float a, float b) => a + b;

    public float GradientA(float a, float b, float dc) => dc;

    public float GradientB(float a, float b, float dc) => dc;
}

internal struct SubtractFunction : IBinaryFunction
{
    public float Forward(float a, float b) => a - b;

    public float GradientA(float a, float b, float dc) => dc;

    public float GradientB(float a, float b, float dc) => -dc;
}

internal struct MultiplyFunction : IBinaryFunction
{
    public float Forward(float a, float b) => a * b;

    public float GradientA(float a, float b, float dc) => dc * b;

    public float GradientB(float a, float b, float dc) => dc * a;
}

internal struct DivideFunction : IBinaryFunction
{
    public float Forward(float a, float b) => a / b;

    public float GradientA(float a, float b, float dc) => dc / b;

    public float GradientB(float a, float b, float dc) => -dc * a / (b * b);
}

// Comparisons written out rather than MathF.Max/Min so that NaN handling is the same on the GPU
// (PTX max.f32 drops NaNs) and on the CPU simulator.
internal struct MaximumFunction : IBinaryFunction
{
    public float Forward(float a, float b) => a >= b || float.IsNaN(a) ? a : b;

    public float GradientA(float a, float b, float dc) => a >= b ? dc : 0f;

    // b gets the gradient only where it is strictly larger, as on the CPU: ties (and NaNs) go to a or nowhere.
    public float GradientB(float a, float b, float dc) => b > a ? dc : 0f;
}

internal struct MinimumFunction : IBinaryFunction
{
    public float Forward(float a, float b) => a <= b || float.IsNaN(a) ? a : b;

    public float GradientA(float a, float b, float dc) => a <= b ? dc : 0f;

    public float GradientB(float a, float b, float dc) => b < a ? dc : 0f;
}
