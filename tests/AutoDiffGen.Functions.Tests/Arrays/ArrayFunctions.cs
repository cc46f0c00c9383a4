using System;
using AutoDiffGen;

namespace AutoDiffGen.Functions.Tests.Arrays;

/// <summary>Array and span functions: parameters, local arrays, in-place updates, outputs, data arrays, calls.</summary>
public static partial class ArrayFunctions
{
    [Differentiable]
    public static double Dot(ReadOnlySpan<double> x, ReadOnlySpan<double> y)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * y[i];
        }

        return sum;
    }

    [Differentiable]
    public static double SumOfSines(double[] x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Sin(x[i]) * x[i];
        }

        return sum;
    }

    /// <summary>xᵀ A x with a two-dimensional array.</summary>
    [Differentiable]
    public static double QuadraticForm(double[,] a, ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < a.GetLength(1); j++)
            {
                sum += x[i] * a[i, j] * x[j];
            }
        }

        return sum;
    }

    /// <summary>A local array written once per element and read back: a linear recurrence.</summary>
    [Differentiable]
    public static double Recurrence(ReadOnlySpan<double> x, double w)
    {
        double[] state = new double[x.Length];
        state[0] = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            state[i] = state[i - 1] * w + x[i];
        }

        double sum = 0;
        for (int i = 0; i < state.Length; i++)
        {
            sum += Math.Sin(state[i]);
        }

        return sum;
    }

    /// <summary>Gauss-Seidel sweeps: every element overwritten many times in place, each update reading its neighbours.</summary>
    [Differentiable]
    public static double Smoothing(ReadOnlySpan<double> x, int sweeps)
    {
        double[] u = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            u[i] = x[i];
        }

        for (int s = 0; s < sweeps; s++)
        {
            for (int i = 1; i < u.Length - 1; i++)
            {
                u[i] = 0.25 * u[i - 1] + 0.5 * Math.Tanh(u[i]) + 0.25 * u[i + 1];
            }
        }

        double energy = 0;
        for (int i = 0; i < u.Length; i++)
        {
            energy += u[i] * u[i];
        }

        return energy;
    }

    /// <summary>stackalloc and compound element updates (+=, -=, *=, /=, ++).</summary>
    [Differentiable]
    public static double CompoundElements(ReadOnlySpan<double> x, double y)
    {
        Span<double> t = stackalloc double[3];
        for (int i = 0; i < x.Length; i++)
        {
            t[i % 3] += x[i] * y;
            t[(i + 1) % 3] -= x[i];
            t[(i + 2) % 3] *= 0.5 + y * y;
        }

        t[0] /= 1 + y * y;
        t[1]++;
        return t[0] * t[1] + t[2];
    }

    /// <summary>A stable log-sum-exp: the maximum is data, the result differentiable everywhere.</summary>
    [Differentiable]
    public static double LogSumExp(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - max);
        }

        return max + Math.Log(sum);
    }

    /// <summary>
    /// <see cref="LogSumExp"/> with its shift stopped (<see cref="AutoDiff.StopGradient(double)"/>): the same function
    /// and the same derivative, since the shift cancels; its gradient no longer replays the maximum.
    /// </summary>
    [Differentiable]
    public static double ShiftedLogSumExp(ReadOnlySpan<double> x)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        double shift = AutoDiff.StopGradient(max);
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += Math.Exp(x[i] - shift);
        }

        return shift + Math.Log(sum);
    }

    /// <summary>Int arrays are data: indices into a differentiable array.</summary>
    [Differentiable]
    public static double Gather(ReadOnlySpan<double> x, ReadOnlySpan<int> indices)
    {
        double sum = 0;
        for (int i = 0; i < indices.Length; i++)
        {
            double v = x[indices[i]];
            sum += v * v * (i + 1);
        }

        return sum;
    }

    /// <summary>A least-squares loss: weights differentiable, data marked [NoDerivative], one scalar parameter.</summary>
    [Differentiable]
    public static double LeastSquares(ReadOnlySpan<double> w, double bias, [NoDerivative] ReadOnlySpan<double> features, [NoDerivative] ReadOnlySpan<double> targets)
    {
        int dimensions = w.Length;
        double loss = 0;
        for (int row = 0; row < targets.Length; row++)
        {
            double prediction = bias;
            for (int j = 0; j < dimensions; j++)
            {
                prediction += w[j] * features[row * dimensions + j];
            }

            double error = prediction - targets[row];
            loss += error * error;
        }

        return loss / targets.Length;
    }

    [Differentiable]
    public static double Norm(ReadOnlySpan<double> x)
    {
        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            sum += x[i] * x[i];
        }

        return Math.Sqrt(sum);
    }

    /// <summary>Calls with arrays: a parameter and a local array passed to another [Differentiable] method.</summary>
    [Differentiable]
    public static double CallsWithArrays(ReadOnlySpan<double> x, double scale)
    {
        double[] scaled = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            scaled[i] = x[i] * scale;
        }

        double n = Norm(scaled);
        scaled[0] = n;
        return Norm(x) * n + Dot(scaled, x);
    }

    /// <summary>A matrix-vector product into a local array, reduced with tanh.</summary>
    [Differentiable]
    public static double MatrixVector(double[,] a, ReadOnlySpan<double> x)
    {
        double[] y = new double[a.GetLength(0)];
        for (int i = 0; i < a.GetLength(0); i++)
        {
            for (int j = 0; j < x.Length; j++)
            {
                y[i] += a[i, j] * x[j];
            }
        }

        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += Math.Tanh(y[i]);
        }

        return sum;
    }

    /// <summary>
    /// <see cref="RectifiedGroupEnergies"/> with an energy loop that skips the first element, which a term of its own
    /// reads instead. The energy loop's reverse is the first to touch the scaled values' adjoints and stores into all but
    /// element 0; element 0 is added into after it, so the generated trip must still set it back to zero for the next
    /// trip (a store over the whole array would make that zeroing unnecessary; a partial one does not).
    /// </summary>
    [Differentiable]
    public static double PartlyStoredGroupEnergies(ReadOnlySpan<double> x, int groups)
    {
        int size = x.Length / groups;
        double[] energies = new double[groups];
        double[] scaled = new double[size];
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < size; i++)
            {
                scaled[i] = x[g * size + i] * (i + 1);
            }

            double head = scaled[0] * scaled[0];
            double energy = 0;
            for (int i = 1; i < size; i++)
            {
                double v = scaled[i];
                energy += Math.Sin(v) * v;
            }

            energies[g] = energy + head - 0.5;
        }

        double total = 0;
        for (int g = 0; g < groups; g++)
        {
            total += Math.Max(energies[g], 0.0);
        }

        return total;
    }

    /// <summary>
    /// Rectified group energies: a group whose energy stays under one half gets an exact zero adjoint, so the generated
    /// reverse trip of that group only takes its values off the tape (the others run in full).
    /// </summary>
    [Differentiable]
    public static double RectifiedGroupEnergies(ReadOnlySpan<double> x, int groups)
    {
        int size = x.Length / groups;
        double[] energies = new double[groups];
        double[] scaled = new double[size];
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < size; i++)
            {
                scaled[i] = x[g * size + i] * (i + 1);
            }

            double energy = 0;
            for (int i = 0; i < size; i++)
            {
                double v = scaled[i];
                energy += Math.Sin(v) * v;
            }

            energies[g] = energy - 0.5;
        }

        double total = 0;
        for (int g = 0; g < groups; g++)
        {
            total += Math.Max(energies[g], 0.0);
        }

        return total;
    }

    /// <summary>
    /// Per group, a running product saved on the tape, then an index restarted at the group's start and stepped through
    /// it: the index is saved once per trip (its value from the group before), on the double tape, between the two loops'
    /// pushes, so one writer and one reader take all three.
    /// </summary>
    [Differentiable]
    public static double RestartedIndexGroupEnergies(ReadOnlySpan<double> x, int groups)
    {
        int size = x.Length / groups;
        double[] energies = new double[groups];
        double[] scaled = new double[size];
        int at = 0;
        for (int g = 0; g < groups; g++)
        {
            double product = 1.0;
            for (int i = 0; i < size; i++)
            {
                product *= 1.0 + 0.1 * x[g * size + i];
                scaled[i] = product;
            }

            at = g * size;
            double energy = 0;
            for (int i = 0; i < size; i++)
            {
                double v = scaled[i] * x[at];
                energy += Math.Sin(v) * v;
                at++;
            }

            energies[g] = energy - 0.5 + 0.01 * at;
        }

        double total = 0;
        for (int g = 0; g < groups; g++)
        {
            total += Math.Max(energies[g], 0.0);
        }

        return total;
    }

    /// <summary>
    /// An index stepped by a local that changes every trip (1, 0, 1, …): stepping back cannot undo that, so the index is
    /// saved, as an int on the double tape, and restored exactly.
    /// </summary>
    [Differentiable]
    public static double AlternatingStride(ReadOnlySpan<double> x)
    {
        double total = 0;
        int at = 0;
        int step = 1;
        for (int r = 0; r < x.Length; r++)
        {
            total += Math.Sin(x[at]) * x[r];
            at += step;
            step = 1 - step;
        }

        return total;
    }

    /// <summary>
    /// <see cref="RectifiedGroupEnergies"/> reading x through a running index that no trip resets: the generated reverse
    /// steps it back (<c>at--</c>) instead of taping it, and a trip skipped for its zero adjoint must still step it back,
    /// or every earlier group would read the wrong elements.
    /// </summary>
    [Differentiable]
    public static double SteppedGroupEnergies(ReadOnlySpan<double> x, int groups)
    {
        int size = x.Length / groups;
        double[] energies = new double[groups];
        double[] scaled = new double[size];
        int at = 0;
        for (int g = 0; g < groups; g++)
        {
            for (int i = 0; i < size; i++)
            {
                scaled[i] = x[at] * (i + 1);
                at++;
            }

            double energy = 0;
            for (int i = 0; i < size; i++)
            {
                double v = scaled[i];
                energy += Math.Sin(v) * v;
            }

            energies[g] = energy - 0.5;
        }

        double total = 0;
        for (int g = 0; g < groups; g++)
        {
            total += Math.Max(energies[g], 0.0);
        }

        return total;
    }

    /// <summary>
    /// Counters stepped up by a parameter (<c>offset += stride</c>) and down by one (<c>back--</c>) across nested loops,
    /// feeding indices and a product of two elements: both are stepped back in the reverse sweep, not taped.
    /// </summary>
    [Differentiable]
    public static double SteppedWalk(ReadOnlySpan<double> x, int stride)
    {
        double total = 0;
        int offset = 0;
        int back = x.Length - 1;
        for (int r = 0; r < x.Length / stride; r++)
        {
            for (int c = 0; c < stride; c++)
            {
                double a = x[offset + c];
                double b = x[back];
                total += a * Math.Sin(b) + a * a * b;
                back--;
            }

            offset += stride;
            total = total * 0.9;
        }

        return total;
    }

    /// <summary>
    /// Two loops that tape a carried value around a call whose pullback pushes and pops on the same per-thread tape:
    /// the loops must not share one tape cursor across the call, or the callee would write over values not yet committed.
    /// </summary>
    [Differentiable]
    public static double LoopsAroundACall(ReadOnlySpan<double> x)
    {
        double a = 0, b = 0;
        for (int i = 0; i < x.Length; i++)
        {
            a = Math.Sin(a + x[i]);
        }

        double h = CarriedSines(x);
        double g = SineSteps(x[0]);
        for (int i = 0; i < x.Length; i++)
        {
            b = Math.Cos(b * x[i]);
        }

        return a * b + h * a + g * b;
    }

    /// <summary>Three steps of s ← sin(s) + v: a function of one variable whose gradient, called in the forward sweep, tapes.</summary>
    [Differentiable]
    public static double SineSteps(double v)
    {
        double s = v;
        for (int k = 0; k < 3; k++)
        {
            s = Math.Sin(s) + v;
        }

        return s;
    }

    /// <summary>s ← sin(s) + v[k] over v: a carried value its own gradient tapes.</summary>
    [Differentiable]
    public static double CarriedSines(ReadOnlySpan<double> v)
    {
        double s = 0;
        for (int k = 0; k < v.Length; k++)
        {
            s = Math.Sin(s) + v[k];
        }

        return s;
    }

    /// <summary>A local array allocated in every trip of a loop, with a break.</summary>
    [Differentiable]
    public static double ArrayPerTrip(ReadOnlySpan<double> x, int trips)
    {
        double total = 0;
        for (int k = 0; k < trips; k++)
        {
            double[] window = new double[2];
            window[0] = x[k % x.Length] * (k + 1);
            window[1] = x[(k + 1) % x.Length] - window[0] * 0.5;
            total += window[0] * window[1];
            if (total > 1e6)
            {
                break;
            }
        }

        return total;
    }

    /// <summary>A vector-valued method: fills an output span; its pullback takes a seed vector.</summary>
    [Differentiable]
    public static void Softmax(ReadOnlySpan<double> x, Span<double> y)
    {
        double max = x[0];
        for (int i = 1; i < x.Length; i++)
        {
            max = Math.Max(max, x[i]);
        }

        double sum = 0;
        for (int i = 0; i < x.Length; i++)
        {
            y[i] = Math.Exp(x[i] - max);
            sum += y[i];
        }

        for (int i = 0; i < x.Length; i++)
        {
            y[i] /= sum;
        }
    }

    /// <summary>Float spans.</summary>
    [Differentiable]
    public static float FloatWeightedSum(ReadOnlySpan<float> x, float w)
    {
        float sum = 0f;
        for (int i = 0; i < x.Length; i++)
        {
            sum += MathF.Sin(x[i] * w);
        }

        return sum;
    }
    /// <summary>
    /// A likelihood-shaped sum over points: each trip fills a local array whole before reading it, so the trips are
    /// independent and each point's reverse runs right after it.
    /// </summary>
    [Differentiable]
    public static double SumOverPoints(ReadOnlySpan<double> center, double scale, int points)
    {
        int d = center.Length;
        double[] offset = new double[d];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < d; j++)
            {
                offset[j] = Math.Sin(p + j * 0.5) - center[j];
            }

            double norm = 0;
            for (int j = 0; j < d; j++)
            {
                norm += Math.Sin(offset[j]) * offset[j] * scale;
            }

            total += Math.Exp(-norm);
        }

        return total;
    }

    /// <summary>A local array sized by a local that nothing else reads: the size must survive into every generated method.</summary>
    [Differentiable]
    public static double SizedByALocal(ReadOnlySpan<double> x)
    {
        int size = x.Length + 1;
        double[] squares = new double[size];
        for (int i = 0; i < x.Length; i++)
        {
            squares[i] = x[i] * x[i];
        }

        double total = squares[size - 1];
        for (int i = 0; i < x.Length; i++)
        {
            total += Math.Sin(squares[i]) * x[i];
        }

        return total;
    }

    /// <summary>Each trip overwrites only part of a local array and reads the rest from earlier trips: not independent.</summary>
    [Differentiable]
    public static double PartlyOverwrittenPerTrip(ReadOnlySpan<double> x, int trips)
    {
        double[] state = new double[2];
        double total = 0;
        for (int k = 0; k < trips; k++)
        {
            state[k % 2] = Math.Sin(x[k % x.Length] + state[(k + 1) % 2]);
            total += state[0] * state[1];
        }

        return total;
    }

    /// <summary>
    /// A local array read in one loop and overwritten by a later one: the reverse sweep must keep the values read,
    /// since reading the array again would see the later writes.
    /// </summary>
    [Differentiable]
    public static double OverwrittenAfterTheRead(ReadOnlySpan<double> x)
    {
        double[] a = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            a[i] = Math.Exp(x[i] * 0.5);
        }

        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double v = a[i];
            s += Math.Sin(v) * v;
        }

        for (int i = 0; i < x.Length; i++)
        {
            a[i] = s * x[i];
        }

        return s + a[0];
    }

    /// <summary>
    /// A mixture-shaped sum: each trip fills a local array and takes its log-sum-exp through another [Differentiable]
    /// method, whose pullback the fused trip calls once instead of its forward sweep and then its backward core.
    /// </summary>
    [Differentiable]
    public static double SumOfLogSumExps(ReadOnlySpan<double> centers, double scale, int points)
    {
        double[] terms = new double[centers.Length];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < centers.Length; j++)
            {
                double offset = Math.Sin(p * 0.7 + j) - centers[j];
                terms[j] = -scale * offset * offset;
            }

            total += LogSumExp(terms);
        }

        return total;
    }

    /// <summary>Calls <see cref="SumOfLogSumExps"/> through its backward core, which fuses and merges the same way.</summary>
    [Differentiable]
    public static double CallsSumOfLogSumExps(ReadOnlySpan<double> centers, double scale) => Math.Tanh(SumOfLogSumExps(centers, scale, 5)) + scale * centers[0];

    /// <summary>Goes through <see cref="SizedByALocal"/>'s backward core, whose forward sweep keeps only what its reverse reads.</summary>
    [Differentiable]
    public static double CallsSizedByALocal(ReadOnlySpan<double> x) => Math.Exp(0.1 * SizedByALocal(x)) + x[0];

    /// <summary>
    /// Each trip passes its array to a call, then halves it in place: the call's reverse reads the elements as they were
    /// before the halving, so the fused trip must keep them.
    /// </summary>
    [Differentiable]
    public static double HalvedAfterTheCall(ReadOnlySpan<double> centers, int points)
    {
        double[] terms = new double[centers.Length];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < centers.Length; j++)
            {
                terms[j] = Math.Sin(p + j) - centers[j];
            }

            total += SumOfSineSquares(terms);
            for (int j = 0; j < centers.Length; j++)
            {
                terms[j] = terms[j] * 0.5;
            }

            total += terms[0] * terms[centers.Length - 1];
        }

        return total;
    }

    /// <summary>Σ sin(x[i])², read by <see cref="HalvedAfterTheCall"/> through its backward core.</summary>
    [Differentiable]
    public static double SumOfSineSquares(ReadOnlySpan<double> x)
    {
        double s = 0;
        for (int i = 0; i < x.Length; i++)
        {
            s += Math.Sin(x[i]) * Math.Sin(x[i]);
        }

        return s;
    }

    /// <summary><see cref="SumOverPoints"/> with its inner loops bounded by the local array's own Length: fused all the same.</summary>
    [Differentiable]
    public static double SumOverPointsByLength(ReadOnlySpan<double> center, double scale, int points)
    {
        double[] offset = new double[center.Length];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < offset.Length; j++)
            {
                offset[j] = Math.Sin(p + j * 0.5) - center[j];
            }

            double norm = 0;
            for (int j = 0; j < offset.Length; j++)
            {
                norm += Math.Sin(offset[j]) * offset[j] * scale;
            }

            total += Math.Exp(-norm);
        }

        return total;
    }

    /// <summary>
    /// Each trip adds into the outer sum from inside an inner loop without calls (where the sum lives in a loop-carried
    /// copy while the inner loop runs): the trips are independent all the same.
    /// </summary>
    [Differentiable]
    public static double SumInsideInnerLoops(ReadOnlySpan<double> center, double scale, int points)
    {
        double[] offset = new double[center.Length];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < offset.Length; j++)
            {
                offset[j] = Math.Sin(p + j * 0.5) - center[j];
            }

            for (int j = 0; j < offset.Length; j++)
            {
                total += offset[j] * offset[j] * scale;
            }
        }

        return total * scale;
    }

    /// <summary>As <see cref="SumInsideInnerLoops"/>, but an inner loop also reads the sum so far: the trips depend on each other.</summary>
    [Differentiable]
    public static double InnerLoopsReadTheSum(ReadOnlySpan<double> center, double scale, int points)
    {
        double[] offset = new double[center.Length];
        double total = 0;
        for (int p = 0; p < points; p++)
        {
            for (int j = 0; j < offset.Length; j++)
            {
                offset[j] = Math.Sin(p + j * 0.5) - center[j];
            }

            for (int j = 0; j < offset.Length; j++)
            {
                total += Math.Sin(offset[j] + 0.1 * total) * scale;
            }
        }

        return total * scale;
    }
}
