using System.Collections.Generic;
using AutoDiffGen.Backends.Ilgpu.Optimizers;
using AutoDiffGen.Nn;

namespace AutoDiffGen.Backends.Ilgpu.Tensors;

internal sealed partial class IlgpuBackend
{
    public void DescentStep(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients, float learningRate)
    {
        // Dense pairs go eight to a launch; a strided one (a view) through AddScaled. The updates must come out as if
        // made one after another, so a pair that shares storage with a waiting one (tied weights), and a strided pair,
        // first launch what waits.
        var batch = new DescentBatch { Scale = -learningRate };
        int waitingFrom = 0;
        for (int i = 0; i < parameters.Count; i++)
        {
            Tensor w = parameters[i].Value, g = gradients[i].Value;
            if (w.Length == 0)
            {
                continue;
            }

            bool dense = w.IsContiguous && g.IsContiguous;
            if (batch.Count > 0 && (!dense || batch.Count == DescentBatch.Capacity || SharesStorage(parameters, gradients, waitingFrom, i)))
            {
                Kernels.Optimizers.Descent(Stream, batch);
                batch = new DescentBatch { Scale = -learningRate };
            }

            if (!dense)
            {
                AddScaled(w, -learningRate, g, w);
                continue;
            }

            if (batch.Count == 0)
            {
                waitingFrom = i;
            }

            batch.Add(DenseView(w).BaseView, DenseView(g).BaseView);
        }

        if (batch.Count > 0)
        {
            Kernels.Optimizers.Descent(Stream, batch);
        }
    }

    /// <summary>Whether pair <paramref name="i"/> writes what a waiting pair (from <paramref name="first"/>) reads or writes, or reads what one writes.</summary>
    private static bool SharesStorage(IReadOnlyList<NamedParameter> parameters, IReadOnlyList<NamedParameter> gradients, int first, int i)
    {
        object weights = parameters[i].Value.Storage, gradient = gradients[i].Value.Storage;
        for (int k = first; k < i; k++)
        {
            object earlierWeights = parameters[k].Value.Storage;
            if (ReferenceEquals(weights, earlierWeights) || ReferenceEquals(weights, gradients[k].Value.Storage) || ReferenceEquals(gradient, earlierWeights))
            {
                return true;
            }
        }

        return false;
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
