using System;
using AutoDiffGen;

namespace Scientific;

/// <summary>
/// The ADBench LSTM objective (Microsoft's ADBench <c>lstm_objective</c>): l stacked LSTM layers of
/// hidden size b read a character sequence and predict each next character; the loss is the mean
/// log-softmax prediction error over the sequence.
/// </summary>
/// <remarks>
/// Layouts, as in ADBench:
/// <list type="bullet">
/// <item><c>mainParams</c> [2·l·4·b]: per layer, 8b entries: the weights of the forget, input, output
/// and cell gates (b each), then their biases in the same order.</item>
/// <item><c>extraParams</c> [3·b]: input weights, output weights, output biases.</item>
/// <item><c>state</c> [2·l·b]: per layer, the hidden vector then the cell vector.</item>
/// <item><c>sequence</c> [c·b]: character t is the 0/1 vector <c>sequence[t·b .. t·b + b − 1]</c>:
/// a one-hot code, or the b-bit binary code ADBench's data files use.</item>
/// </list>
/// ADBench's model is elementwise: gate i of a layer sees only entry i of the layer input (forget and
/// output gates) or of the layer's previous hidden vector (input and cell gates).
/// </remarks>
public static partial class Lstm
{
    /// <summary>
    /// The loss: −(1 / ((c − 1)·b)) Σₜ Σᵢ sequence[t + 1]ᵢ · (ŷₜᵢ − log(2 + Σⱼ exp ŷₜⱼ)), where ŷₜ is the
    /// prediction after reading characters 0 … t, starting from <paramref name="state"/>.
    /// </summary>
    /// <param name="l">Number of layers.</param>
    /// <param name="c">Number of characters, at least 2.</param>
    /// <param name="b">Hidden size, equal to the number of entries coding one character.</param>
    /// <param name="mainParams">Gate weights and biases [2·l·4·b].</param>
    /// <param name="extraParams">Input weights, output weights, output biases [3·b].</param>
    /// <param name="state">Initial hidden and cell vectors [2·l·b]; read, not changed.</param>
    /// <param name="sequence">The characters, b entries of 0 or 1 each [c·b].</param>
    [Differentiable]
    public static double Objective(
        int l, int c, int b,
        ReadOnlySpan<double> mainParams, ReadOnlySpan<double> extraParams,
        [NoDerivative] ReadOnlySpan<double> state, ReadOnlySpan<int> sequence)
    {
        // The state evolves along the sequence, and parameters cannot be written: work on a copy
        // (ADBench passes the state by value for the same reason).
        double[] layerStates = new double[2 * l * b];
        for (int i = 0; i < 2 * l * b; i++)
        {
            layerStates[i] = state[i];
        }

        double[] prediction = new double[b];
        double total = 0.0;
        int count = 0;
        for (int t = 0; t < c - 1; t++)
        {
            // ADBench's lstm_predict. The scaled input goes into `prediction`, which then serves as the
            // first layer's input, as ADBench's output buffer does.
            for (int i = 0; i < b; i++)
            {
                prediction[i] = sequence[t * b + i] * extraParams[i];
            }

            for (int layer = 0; layer < l; layer++)
            {
                int hiddenStart = 2 * layer * b;
                int cellStart = hiddenStart + b;
                int paramsStart = 8 * layer * b;
                for (int i = 0; i < b; i++)
                {
                    // A layer reads the one below it; ADBench switches a pointer, the subset indexes.
                    double input = layer == 0 ? prediction[i] : layerStates[hiddenStart - 2 * b + i];
                    double cell = NextCell(mainParams, paramsStart, b, i, input, layerStates[hiddenStart + i], layerStates[cellStart + i]);
                    layerStates[cellStart + i] = cell;
                    layerStates[hiddenStart + i] = NextHidden(mainParams, paramsStart, b, i, input, cell);
                }
            }

            int lastHiddenStart = 2 * (l - 1) * b;
            for (int i = 0; i < b; i++)
            {
                prediction[i] = layerStates[lastHiddenStart + i] * extraParams[b + i] + extraParams[2 * b + i];
            }

            double logNormalizer = LogSumExpPlusTwo(prediction);
            for (int i = 0; i < b; i++)
            {
                total += sequence[(t + 1) * b + i] * (prediction[i] - logNormalizer);
            }

            count += b;
        }

        return -total / count;
    }

    /// <summary>
    /// Entry i of a layer's next cell vector (ADBench's <c>lstm_model</c>, one entry):
    /// cell·σ(wf·input + bf) + σ(wi·hidden + bi)·tanh(wc·hidden + bc).
    /// </summary>
    /// <param name="mainParams">All layers' parameters.</param>
    /// <param name="paramsStart">Where this layer's 8b parameters start.</param>
    /// <param name="b">Hidden size.</param>
    /// <param name="i">The entry.</param>
    /// <param name="input">Entry i of the layer's input.</param>
    /// <param name="hidden">Entry i of the layer's previous hidden vector.</param>
    /// <param name="cell">Entry i of the layer's previous cell vector.</param>
    [Differentiable]
    public static double NextCell(ReadOnlySpan<double> mainParams, int paramsStart, int b, int i, double input, double hidden, double cell)
    {
        int biases = paramsStart + 4 * b;
        double forget = Sigmoid(input * mainParams[paramsStart + i] + mainParams[biases + i]);
        double ingate = Sigmoid(hidden * mainParams[paramsStart + b + i] + mainParams[biases + b + i]);
        double change = Math.Tanh(hidden * mainParams[paramsStart + 3 * b + i] + mainParams[biases + 3 * b + i]);
        return cell * forget + ingate * change;
    }

    /// <summary>
    /// Entry i of a layer's next hidden vector, given the entry's next cell value:
    /// σ(wo·input + bo)·tanh(cell).
    /// </summary>
    /// <param name="mainParams">All layers' parameters.</param>
    /// <param name="paramsStart">Where this layer's 8b parameters start.</param>
    /// <param name="b">Hidden size.</param>
    /// <param name="i">The entry.</param>
    /// <param name="input">Entry i of the layer's input.</param>
    /// <param name="cell">Entry i of the layer's next cell vector.</param>
    [Differentiable]
    public static double NextHidden(ReadOnlySpan<double> mainParams, int paramsStart, int b, int i, double input, double cell)
    {
        double outgate = Sigmoid(input * mainParams[paramsStart + 2 * b + i] + mainParams[paramsStart + 6 * b + i]);
        return outgate * Math.Tanh(cell);
    }

    /// <summary>The logistic function 1 / (1 + e⁻ˣ).</summary>
    [Differentiable]
    public static double Sigmoid(double x)
    {
        return 1.0 / (1.0 + Math.Exp(-x));
    }

    /// <summary>
    /// log(2 + Σᵢ exp(values[i])): ADBench's LSTM normaliser, kept exactly as every ADBench
    /// implementation computes it.
    /// </summary>
    /// <remarks>
    /// The 2 comes from ADBench's Python version, <c>sum(torch.exp(ypred), 2)</c>, where Python's built-in
    /// <c>sum</c> takes 2 as its start value; ADBench's C++ adds it explicitly, so we do too, to compute
    /// the benchmark's function. Not shifted by the maximum either, as in ADBench: a prediction is
    /// bounded by |output weight| + |output bias| because |hidden| &lt; 1.
    /// </remarks>
    [Differentiable]
    public static double LogSumExpPlusTwo(ReadOnlySpan<double> values)
    {
        double sum = 0.0;
        for (int i = 0; i < values.Length; i++)
        {
            sum += Math.Exp(values[i]);
        }

        return Math.Log(sum + 2.0);
    }
}
