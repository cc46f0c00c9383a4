namespace AutoDiffGen;

/// <summary>
/// One element of a function of one float and of its pullback, in the form GPU kernels run: the generator
/// implements it as a struct for every <c>[Differentiable] static float F(float)</c> whose body needs no tape,
/// and <see cref="ElementwiseFunction.Create{TKernel}"/> runs it over tensors on ILGPU devices.
/// </summary>
/// <remarks>
/// The runtime owns the kernel around it: a grid-stride loop that moves four floats per memory access
/// where the views are 16-byte aligned, then finishes the tail one element at a time. Implementations must be
/// code ILGPU compiles: no allocation, no exceptions, no calls through interfaces or delegates.
/// </remarks>
public interface IElementwiseKernelFunction
{
    /// <summary>The function's value at <paramref name="x"/>.</summary>
    /// <param name="x">The element.</param>
    /// <returns>F(x).</returns>
    float Forward(float x);

    /// <summary>The pullback at <paramref name="x"/>: F′(x)·<paramref name="dy"/>.</summary>
    /// <param name="x">The element.</param>
    /// <param name="dy">The adjoint of F(x).</param>
    /// <returns>The adjoint of <paramref name="x"/>.</returns>
    float Backward(float x, float dy);
}
