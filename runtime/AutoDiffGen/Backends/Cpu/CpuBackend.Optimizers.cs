using System.Collections.Generic;
using AutoDiffGen.Backends.Cpu.Kernels;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Backends.Cpu;

internal sealed unsafe partial class CpuBackend
{
    public void DescentStep(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients, float learningRate)
    {
        // Each update already runs on all cores; there are no launches to save.
        for (int i = 0; i < parameters.Count; i++)
        {
            Tensor w = parameters[i].Value;
            AddScaled(w, -learningRate, gradients[i].Value, w);
        }
    }

    public void MomentumStep(Tensor parameter, Tensor gradient, Tensor velocity, float learningRate, float momentum)
    {
        fixed (float* pw = Data(parameter))
        fixed (float* pg = Data(gradient))
        fixed (float* pv = Data(velocity))
        {
            var loop = StridedLoop.Create(
                parameter.Shape, pw + parameter.Offset, parameter.Strides, pg + gradient.Offset, gradient.Strides, pv + velocity.Offset, velocity.Strides);
            var kernel = new MomentumKernel { LearningRate = learningRate, Momentum = momentum };
            loop.RunParallel(ref kernel);
        }
    }

    public void AdamStep(Tensor parameter, Tensor gradient, Tensor firstMoment, Tensor secondMoment, in AdamCoefficients coefficients)
    {
        fixed (float* pw = Data(parameter))
        fixed (float* pg = Data(gradient))
        fixed (float* pm = Data(firstMoment))
        fixed (float* pv = Data(secondMoment))
        {
            var loop = StridedLoop.Create(
                parameter.Shape,
                pw + parameter.Offset, parameter.Strides,
                pg + gradient.Offset, gradient.Strides,
                pm + firstMoment.Offset, firstMoment.Strides,
                pv + secondMoment.Offset, secondMoment.Strides);
            var kernel = new AdamKernel
            {
                LearningRate = coefficients.LearningRate,
                Beta1 = coefficients.Beta1,
                Beta2 = coefficients.Beta2,
                Epsilon = coefficients.Epsilon,
                Correction1 = coefficients.Correction1,
                Correction2 = coefficients.Correction2,
            };
            loop.RunParallel(ref kernel);
        }
    }
}
