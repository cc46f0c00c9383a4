using System;
using System.Linq;

namespace AutoDiffGen.Samples.Tests.Scientific;

/// <summary>
/// ADBench's LSTM loss written independently of the sample, the way ADBench's PyTorch version states
/// it: per layer, the gate pre-activations are the vector [input, hidden, input, hidden] times the 4b
/// weights plus the 4b biases; each step makes new hidden and cell vectors rather than updating in place.
/// </summary>
internal static class StraightforwardLstm
{
    public static double Objective(int l, int c, int b, double[] mainParams, double[] extraParams, double[] state, double[][] characters)
    {
        double[][] hidden = Enumerable.Range(0, l).Select(layer => state.AsSpan(2 * layer * b, b).ToArray()).ToArray();
        double[][] cell = Enumerable.Range(0, l).Select(layer => state.AsSpan(2 * layer * b + b, b).ToArray()).ToArray();
        double[] inWeight = extraParams[..b], outWeight = extraParams[b..(2 * b)], outBias = extraParams[(2 * b)..];

        double total = 0.0;
        for (int t = 0; t + 1 < c; t++)
        {
            double[] x = characters[t].Zip(inWeight, (ch, w) => ch * w).ToArray();
            for (int layer = 0; layer < l; layer++)
            {
                double[] weight = mainParams[(8 * layer * b)..(8 * layer * b + 4 * b)];
                double[] bias = mainParams[(8 * layer * b + 4 * b)..(8 * layer * b + 8 * b)];
                double[] gates = x.Concat(hidden[layer]).Concat(x).Concat(hidden[layer])
                    .Select((g, i) => g * weight[i] + bias[i]).ToArray();
                double[] forget = gates[..b].Select(Sigmoid).ToArray();
                double[] ingate = gates[b..(2 * b)].Select(Sigmoid).ToArray();
                double[] outgate = gates[(2 * b)..(3 * b)].Select(Sigmoid).ToArray();
                double[] change = gates[(3 * b)..].Select(Math.Tanh).ToArray();

                cell[layer] = Enumerable.Range(0, b).Select(i => cell[layer][i] * forget[i] + ingate[i] * change[i]).ToArray();
                hidden[layer] = Enumerable.Range(0, b).Select(i => outgate[i] * Math.Tanh(cell[layer][i])).ToArray();
                x = hidden[layer];
            }

            double[] prediction = Enumerable.Range(0, b).Select(i => x[i] * outWeight[i] + outBias[i]).ToArray();
            double normaliser = Math.Log(prediction.Sum(Math.Exp) + 2.0);
            total += characters[t + 1].Zip(prediction, (gold, y) => gold * (y - normaliser)).Sum();
        }

        return -total / ((c - 1) * b);
    }

    private static double Sigmoid(double z) => 1.0 / (1.0 + Math.Exp(-z));
}
