namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void MomentumStep(Tensor parameter, Tensor gradient, Tensor velocity, float learningRate, float momentum)
    {
        if (parameter.Length == 0)
        {
            return;
        }

        // The kernels run over dense buffers; a strided operand goes through scratch and its new value is scattered back.
        lock (_scratch.Lock)
        {
            var p = DenseInput(parameter, 0);
            var v = DenseInput(velocity, 2);
            Kernels.Optimizers.Momentum(Stream, p, DenseInput(gradient, 1), v, learningRate, momentum);
            FinishOutput(p, parameter, accumulate: false);
            FinishOutput(v, velocity, accumulate: false);
        }
    }

    public void AdamStep(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment, in AdamCoefficients coefficients)
    {
        if (parameter.Length == 0)
        {
            return;
        }

        lock (_scratch.Lock)
        {
            var p = DenseInput(parameter, 0);
            var m = DenseInput(firstMoment, 2);
            var v = DenseInput(secondMoment, 3);
            Kernels.Optimizers.Adam(Stream, p, DenseInput(gradient, 1), m, v, coefficients);
            FinishOutput(p, parameter, accumulate: false);
            FinishOutput(m, firstMoment, accumulate: false);
            FinishOutput(v, secondMoment, accumulate: false);
        }
    }
}
