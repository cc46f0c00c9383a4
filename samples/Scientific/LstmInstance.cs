using System;

namespace Scientific;

/// <summary>An LSTM problem: sizes, parameters, initial state and a character sequence, in <see cref="Lstm"/>'s layouts.</summary>
public sealed class LstmInstance
{
    private LstmInstance(int l, int b, int c, double[] mainParams, double[] extraParams, double[] state, int[] sequence)
    {
        L = l;
        B = b;
        C = c;
        MainParams = mainParams;
        ExtraParams = extraParams;
        State = state;
        Sequence = sequence;
    }

    /// <summary>Number of layers.</summary>
    public int L { get; }

    /// <summary>Hidden size and character code length.</summary>
    public int B { get; }

    /// <summary>Number of characters.</summary>
    public int C { get; }

    /// <summary>Gate weights and biases [2·L·4·B].</summary>
    public double[] MainParams { get; }

    /// <summary>Input weights, output weights, output biases [3·B].</summary>
    public double[] ExtraParams { get; }

    /// <summary>Initial hidden and cell vectors [2·L·B].</summary>
    public double[] State { get; }

    /// <summary>The characters, one-hot [C·B].</summary>
    public int[] Sequence { get; }

    /// <summary>
    /// A reproducible random instance: parameters and state uniform in [0, 1) as ADBench's data
    /// generator draws them, and C characters drawn from an alphabet of B, one-hot coded.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">l or b is below 1, or c is below 2.</exception>
    public static LstmInstance Random(int l, int b, int c, int seed)
    {
        if (l < 1 || b < 1 || c < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(l), $"An LSTM instance needs l ≥ 1, b ≥ 1, c ≥ 2; got l = {l}, b = {b}, c = {c}.");
        }

        var random = new Random(seed);
        double[] mainParams = Uniform(random, 2 * l * 4 * b);
        double[] extraParams = Uniform(random, 3 * b);
        double[] state = Uniform(random, 2 * l * b);
        var sequence = new int[c * b];
        for (int t = 0; t < c; t++)
        {
            sequence[t * b + random.Next(b)] = 1;
        }

        return new LstmInstance(l, b, c, mainParams, extraParams, state, sequence);
    }

    /// <summary>The objective at this instance.</summary>
    public double Objective() => Lstm.Objective(L, C, B, MainParams, ExtraParams, State, Sequence);

    private static double[] Uniform(Random random, int count)
    {
        var values = new double[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = random.NextDouble();
        }

        return values;
    }
}
