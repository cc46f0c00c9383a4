using System.Collections.Generic;
using AutoDiffGen.Backends.Ilgpu.Optimizers;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void DescentStep(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients, float learningRate)
    {
        // Dense pairs go eight to a launch; a strided one (a view) through AddScaled.
        var batch = new DescentBatch { Scale = -learningRate };
        for (int i = 0; i < parameters.Count; i++)
        {
            Tensor w = parameters[i].Value, g = gradients[i].Value;
            if (w.Length == 0)
            {
                continue;
            }

            if (!w.IsContiguous || !g.IsContiguous)
            {
                AddScaled(w, -learningRate, g, w);
                continue;
            }

            batch.Add(DenseView(w).BaseView, DenseView(g).BaseView);
            if (batch.Count == DescentBatch.Capacity)
            {
                Kernels.Optimizers.Descent(Stream, batch);
                batch = new DescentBatch { Scale = -learningRate };
            }
        }

        if (batch.Count > 0)
        {
            Kernels.Optimizers.Descent(Stream, batch);
        }
    }

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
