using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>What the generated code keeps for its reverse sweep: only what it must (to-be-recorded analysis, recomputation).</summary>
public class GeneratedCodeTests
{
    private static string Generated(string source, string method)
    {
        GeneratorRun run = GeneratorRun.Run("using System;\nusing AutoDiffGen;\n" + source);
        Assert.Empty(run.CompilerErrors);
        return run.Result.Results.Single().GeneratedSources.Single(s => s.HintName.Contains("." + method + "(", System.StringComparison.Ordinal)).SourceText.ToString();
    }

    /// <summary>The generated file up to F's backward core: the value-and-gradient and pullback methods.</summary>
    private static string PullbackOfF(string code) => code.Substring(0, code.IndexOf("FBackward(", System.StringComparison.Ordinal));

    [Fact]
    public void AnAccumulatorIsNotTapedWhenOnlyItsFinalValueIsRead()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x)
                {
                    double sum = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        sum += Math.Exp(x[i]);
                    }

                    return Math.Log(sum);
                }
            }
            """, "F");
        Assert.DoesNotContain("Push(sum)", code);
        Assert.Contains("1.0 / sum", code);
    }

    [Fact]
    public void ElementsOfArraysTheMethodNeverWritesAreReadAgainInsteadOfTaped()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
                {
                    double s = 0;
                    for (int i = 0; i < a.Length; i++)
                    {
                        s += a[i] * b[i];
                    }

                    return s;
                }
            }
            """, "Dot");
        Assert.DoesNotContain("Tape<", code);
        Assert.Contains("b[i] * _d_", code);
        Assert.Contains("a[i] * _d_", code);
    }

    [Fact]
    public void AValueReadBeforeItIsOverwrittenInALoopIsTaped()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double Power(double x, int n)
                {
                    double p = 1;
                    for (int i = 0; i < n; i++)
                    {
                        p = p * x;
                    }

                    return p;
                }
            }
            """, "Power");
        // A counting loop reserves room for its n pushes before it starts, then pushes through a writer without a
        // growth check and pops through a reader, both locals; the value it carries from trip to trip lives in a
        // local of its own while it runs.
        Assert.Contains("var _doubleTapeWriter0 = _doubleTape.Reserve(global::System.Math.Max(0, n));", code);
        Assert.Contains("p_loop = 1.0;", code);
        Assert.Contains("_doubleTapeWriter0.Push(p_loop);", code);
        Assert.Contains("_doubleTapeWriter0.Commit();", code);
        Assert.Contains("var _doubleTapeReader0 = _doubleTape.Reader();", code);
        Assert.Contains("p = _doubleTapeReader0.Pop();", code);
        Assert.Contains("_doubleTapeReader0.Commit();", code);
        Assert.DoesNotContain("_doubleTape.Pop()", code);
    }

    [Fact]
    public void ALoopsLocalsTakeTheirFirstValuesAfterTheLastCallBeforeTheLoop()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double LogisticMap(double r, double s0, int n)
                {
                    double s = s0;
                    for (int i = 0; i < n; i++)
                    {
                        s = r * s * (1 - s);
                    }

                    return Math.Sin(s) * r;
                }
            }
            """, "LogisticMap");
        // The adjoints of s and r enter the reverse loop computed straight into its locals, the one with a call
        // first: a value computed before Math.Cos would live on the stack, and the JIT kept it there in the loop.
        string[] lines = code.Split('\n').Select(line => line.Trim()).ToArray();
        int loop = System.Array.IndexOf(lines, "for (i = n - 1; i >= 0; i--)");
        Assert.True(loop > 2, code);
        Assert.Equal(
            ["_d_s_loop = global::System.Math.Cos(s) * _d_t3;", "_d_r_loop = _t3 * _d_t2;"],
            lines[(loop - 2)..loop]);
    }

    [Fact]
    public void ALoopWhoseTripCountIsNotKnownUpFrontPushesWithGrowthChecks()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double Halve(double x)
                {
                    double p = x;
                    while (p > 1)
                    {
                        p = p * 0.5 + 0.1 * p * p;
                    }

                    return p;
                }
            }
            """, "Halve");
        Assert.DoesNotContain(".Reserve(", code);
        Assert.DoesNotContain("Writer", code);
        Assert.Contains("_doubleTape.Push(p);", code);
    }

    [Fact]
    public void TheBackwardCoreKeepsOnlyTheForwardWorkItsReverseSweepReads()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double Row(ReadOnlySpan<double> m, ReadOnlySpan<double> v, int row, int n)
                {
                    double r = 0;
                    for (int j = 0; j < n; j++)
                    {
                        r += m[row * n + j] * v[j];
                    }

                    return r;
                }
            }
            """, "Row");
        string backward = code.Substring(code.IndexOf("RowBackward(", System.StringComparison.Ordinal));
        backward = backward.Substring(0, backward.IndexOf("// Reverse sweep.", System.StringComparison.Ordinal));
        Assert.DoesNotContain("r = ", backward.Substring(backward.IndexOf("// Forward sweep", System.StringComparison.Ordinal)));
    }

    private const string FusedNote = "each trip's reverse runs right after it";

    [Fact]
    public void IndependentTripsRunTheirReverseRightAfterThemselves()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y, int n)
                {
                    double sum = 0;
                    for (int i = 0; i < n; i++)
                    {
                        double t = Math.Sin(x * i + y);
                        sum += t * t * y;
                    }

                    return sum * x;
                }
            }
            """, "F");
        string pullback = PullbackOfF(code);
        Assert.Contains(FusedNote, pullback);

        // The sum's adjoint is computed once, before the loop, and no loop runs backwards.
        string forward = pullback.Substring(pullback.IndexOf("// Forward sweep", System.StringComparison.Ordinal));
        forward = forward.Substring(0, forward.IndexOf("// Reverse sweep", System.StringComparison.Ordinal));
        Assert.Contains("_d_sum = x * ", forward);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(pullback, @"\n\s*_d_sum = "));
        Assert.DoesNotContain("i >= 0; i--", pullback);

        // t's start-of-trip value is never read, so nothing saves and restores it: no tape at all.
        Assert.DoesNotContain("Tape", pullback);

        // x's contribution after the loop adds to what the trips gave.
        Assert.Contains("_d_x += sum * ", pullback);
    }

    [Fact]
    public void AFusedTripKeepsOnTheTapeWhatItsInnerLoopsOverwrite()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, double w, int points)
                {
                    double total = 0;
                    for (int p = 0; p < points; p++)
                    {
                        double s = 0;
                        for (int j = 0; j < x.Length; j++)
                        {
                            double u = Math.Sin(x[j] * w + p);
                            s += u * u;
                        }

                        total += Math.Exp(-s);
                    }

                    return total;
                }
            }
            """, "F");
        string pullback = PullbackOfF(code);
        Assert.Contains(FusedNote, pullback);

        // The inner loop's values go on the tape and come back inside the same trip of the outer loop.
        string forward = pullback.Substring(pullback.IndexOf("// Forward sweep", System.StringComparison.Ordinal));
        forward = forward.Substring(0, forward.IndexOf("// Reverse sweep", System.StringComparison.Ordinal));
        Assert.Contains(".Push(u", forward);
        Assert.Contains(".Pop();", forward);
        Assert.DoesNotContain("p >= 0; p--", pullback);

        // The tape-size query rewinds after every trip and reports the peak.
        Assert.Contains("_doubleTape.Truncate(_doubleTapeTripStart", code);
        Assert.Contains("_doubleTapePeak", code);
    }

    [Theory]
    [InlineData("""
        double sum = 0;
        double t = x;
        for (int i = 0; i < n; i++)
        {
            sum += t * t;
            t = Math.Sin(t + x);
        }

        return sum;
        """)]
    [InlineData("""
        double sum = 0;
        double t = x;
        for (int i = 0; i < n; i++)
        {
            if (i % 2 == 0)
            {
                t = Math.Sin(x * (i + 1));
            }

            sum += t * t;
        }

        return sum;
        """)]
    [InlineData("""
        double sum = 0;
        for (int i = 0; i < n; i++)
        {
            double t = Math.Exp(x * i);
            sum += t * t;
        }

        return Math.Log(sum);
        """)]
    [InlineData("""
        double[] state = new double[2];
        double total = 0;
        for (int k = 0; k < n; k++)
        {
            state[k % 2] = Math.Sin(x * k + state[(k + 1) % 2]);
            total += state[0] * state[1];
        }

        return total;
        """)]
    [InlineData("""
        double[] state = new double[n];
        double total = 0;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < k; j++)
            {
                state[j] = Math.Sin(x * j);
            }

            total += state[0] * state[n - 1];
        }

        return total;
        """)]
    [InlineData("""
        double total = 0;
        for (int k = 0; k < n; k++)
        {
            for (int j = 0; j < 3; j++)
            {
                total += Math.Sin(x * j + 0.1 * total);
            }
        }

        return total * x;
        """)]
    public void TripsThatReadAnEarlierTripsValuesOrNeedTheFinalSumStayApart(string body)
    {
        string code = Generated($$"""
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, int n)
                {
                    {{body}}
                }
            }
            """, "F");
        Assert.DoesNotContain(FusedNote, code);
    }

    [Fact]
    public void ElementsOfAnArrayNoLongerWrittenAreReadAgainInsteadOfTaped()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> x, double y)
                {
                    double[] scaled = new double[x.Length];
                    for (int i = 0; i < x.Length; i++)
                    {
                        scaled[i] = Math.Exp(x[i]);
                    }

                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        double v = scaled[i];
                        s += Math.Sin(v * y);
                    }

                    return s;
                }
            }
            """, "F");
        Assert.Contains("Recomputed in the reverse sweep instead of stored (v)", code);
        Assert.DoesNotContain("Push(v", code);
    }

    [Fact]
    public void AFusedTripCallsAnArrayMethodsPullbackOnce()
    {
        string code = Generated("""
            public static partial class C
            {
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

                [Differentiable]
                public static double F(ReadOnlySpan<double> centers, int points)
                {
                    double[] terms = new double[centers.Length];
                    double total = 0;
                    for (int p = 0; p < points; p++)
                    {
                        for (int j = 0; j < centers.Length; j++)
                        {
                            double offset = Math.Sin(p + j) - centers[j];
                            terms[j] = -offset * offset;
                        }

                        total += LogSumExp(terms);
                    }

                    return total;
                }
            }
            """, "F");
        string pullback = PullbackOfF(code);
        Assert.Contains(FusedNote, pullback);
        Assert.Contains("calls the callee's pullback once", pullback);
        Assert.Contains("= global::C.LogSumExpPullback(terms, _d_terms, ", pullback);
        Assert.DoesNotContain("LogSumExpBackward(", pullback);
        Assert.DoesNotContain("= global::C.LogSumExp(terms)", pullback);

        // Each trip fills terms before reading it, and nothing reads what a trip's reverse would put back.
        Assert.DoesNotContain("Push(terms[", pullback);
        Assert.DoesNotContain("terms[j] = _doubleTape", pullback);
    }

    [Fact]
    public void ALoopToTheArraysLengthFillsItWhole()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(ReadOnlySpan<double> center, double scale, int points)
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
            }
            """, "F");
        string pullback = PullbackOfF(code);

        // Each trip reads only the elements it stored, as with a bound equal to the rented size.
        Assert.Contains(FusedNote, pullback);
        Assert.DoesNotContain("Push(offset[", pullback);
    }

    [Fact]
    public void AFusedTripKeepsTheOldElementsItsReverseReadsAgain()
    {
        string code = Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double SumOfSines(ReadOnlySpan<double> x)
                {
                    double s = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        s += Math.Sin(x[i]);
                    }

                    return s;
                }

                [Differentiable]
                public static double F(ReadOnlySpan<double> centers, int points)
                {
                    double[] terms = new double[centers.Length];
                    double total = 0;
                    for (int p = 0; p < points; p++)
                    {
                        for (int j = 0; j < centers.Length; j++)
                        {
                            terms[j] = Math.Sin(p + j) - centers[j];
                        }

                        total += SumOfSines(terms);
                        for (int j = 0; j < centers.Length; j++)
                        {
                            terms[j] = terms[j] * 0.5;
                        }

                        total += terms[0] * terms[0];
                    }

                    return total;
                }
            }
            """, "F");
        string pullback = PullbackOfF(code);
        Assert.Contains(FusedNote, pullback);

        // The reverse of the call reads terms as the call saw them, after the halving's reverse has put them back.
        Assert.Contains("Push(terms[", pullback);
    }

    [Fact]
    public void ASubtrahendsAdjointTakesItsSignIntoItsOneUseInsteadOfANegation()
    {
        string pullback = PullbackOfF(Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double x, double y)
                {
                    double a = 1 - x;
                    double b = y - x * x;
                    return a * a + 100 * b * b;
                }
            }
            """, "F"));

        // d(y - x²)/dx folded with the sign: -2.0 * x times b's adjoint, no negated temporary.
        Assert.Contains("_d_x = -2.0 * x * _d_b;", pullback);
        Assert.DoesNotContain("= -_d_b", pullback);
        Assert.Contains("_d_x -= _d_a;", pullback);
    }

    [Fact]
    public void ANegatedAdjointAddedIntoAnotherIsSubtractedInstead()
    {
        string pullback = PullbackOfF(Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double y) => y - Math.Exp(y);
            }
            """, "F"));

        Assert.DoesNotContain("= -_d_", pullback);
        Assert.Matches(@"_d_y -= \w+ \* _d_\w+;", pullback);
    }

    [Fact]
    public void ANegatedAdjointAddedIntoAnArrayGradientIsSubtractedInstead()
    {
        string pullback = PullbackOfF(Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x) => 1.0 - Math.Exp(x[0]);
            }
            """, "F"));

        Assert.DoesNotContain("= -_d_", pullback);
        Assert.Matches(@"dx\[0\] -= ", pullback);
    }

    private const string GroupEnergies = """
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] x, int groups, int size)
            {
                double[] energies = new double[groups];
                double[] scaled = new double[size];
                for (int g = 0; g < groups; g++)
                {
                    FILL
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
        }
        """;

    /// <summary><see cref="GroupEnergies"/> reading x through one running index across all groups.</summary>
    private static readonly string RunningIndexGroupEnergies = GroupEnergies
        .Replace("double[] energies = new double[groups];", "double[] energies = new double[groups];\n        int at = 0;")
        .Replace("FILL", "for (int i = 0; i < size; i++) { scaled[i] = x[at] * (i + 1); at++; }");

    /// <summary><see cref="GroupEnergies"/> reading x through an index that starts afresh at each group's first element.</summary>
    private static readonly string RestartedIndexGroupEnergies = GroupEnergies
        .Replace("FILL", "int at = g * size;\n for (int i = 0; i < size; i++) { scaled[i] = x[at] * (i + 1); at++; }");

    /// <summary>
    /// The branch a group's reverse trip takes when its incoming adjoint is exactly zero; <paramref name="end"/> is where
    /// the other branch starts.
    /// </summary>
    private static string SkippedGroup(string pullback, out int end)
    {
        System.Text.RegularExpressions.Match test = System.Text.RegularExpressions.Regex.Match(pullback, @"_d_energies\[g\] = 0\.0;\s*if \(_d_\w+ == 0\.0\)");
        Assert.True(test.Success, pullback);
        end = pullback.IndexOf("else", test.Index, System.StringComparison.Ordinal);
        return pullback.Substring(test.Index + test.Length, end - test.Index - test.Length);
    }

    [Fact]
    public void AReverseTripWhoseIncomingAdjointIsExactlyZeroOnlyPops()
    {
        string pullback = PullbackOfF(Generated(GroupEnergies.Replace("FILL", "for (int i = 0; i < size; i++) { scaled[i] = x[g * size + i] * (i + 1); }"), "F"));

        // The test sits right after the group's adjoint is taken; its branch keeps the pops, not the adjoint arithmetic.
        string skipped = SkippedGroup(pullback, out _);
        Assert.Contains(".Pop()", skipped);
        Assert.DoesNotContain("_d_scaled", skipped);
        Assert.DoesNotContain("dx[", skipped);
    }

    [Fact]
    public void TheFirstLoopAddingIntoAnAdjointArrayZeroAtEveryTripStoresInsteadAndTheZeroingGoes()
    {
        // _d_scaled is zero whenever a group's reverse starts (rented zero-filled, zeroed at the end of every trip), and
        // the energy loop's reverse is the first to touch it, once per element: its additions are plain stores.
        string pullback = PullbackOfF(Generated(GroupEnergies.Replace("FILL", "for (int i = 0; i < size; i++) { scaled[i] = x[g * size + i] * (i + 1); }"), "F"));
        SkippedGroup(pullback, out int end);
        string full = pullback.Substring(end);
        Assert.Matches(@"_d_scaled\[i_2\] = _d_\w+;", full);
        Assert.DoesNotMatch(@"_d_scaled\[i_2\] \+=", full);
        // Those stores cover the whole array, so the next trip needs no zeros: the later loop reads each element and
        // no longer sets it back.
        Assert.Matches(@"= _d_scaled\[i\];", full);
        Assert.DoesNotMatch(@"_d_scaled\[i\] = 0\.0;", full);
    }

    [Fact]
    public void ASkippedTripStillStepsBackARunningIndexTheEarlierTripsRead()
    {
        // at runs over x across all groups; the reverse steps it back (no tape), and a skipped group must too.
        string pullback = PullbackOfF(Generated(RunningIndexGroupEnergies, "F"));
        Assert.DoesNotContain("Tape<int>", pullback);
        string skipped = SkippedGroup(pullback, out _);
        Assert.Matches(@"\bat(_loop_\d+)?--;", skipped);
        Assert.DoesNotContain("dx[", skipped);
    }

    [Fact]
    public void ARunningIndexLivesInALoopLocalWhileItsLoopRuns()
    {
        // at is live across the whole method; inside the loops that step it, a local of the loop's own keeps it in a
        // register (the JIT gave the method-wide variable a stack slot: a load, a step and a store every trip).
        string pullback = PullbackOfF(Generated(RunningIndexGroupEnergies, "F"));
        Assert.Matches(@"(at_loop\w*) = at;\s*for \(\w+ = 0;", pullback);
        Assert.Matches(@"x\[at_loop\w*\]", pullback);
        Assert.Matches(@"\bat = at_loop\w*;", pullback);
        Assert.Matches(@"dx\[at_loop\w*\] \+=", pullback);
        // A for loop's own counter is left as it is.
        Assert.DoesNotMatch(@"\bi_loop\w* = i;", pullback);
    }

    [Fact]
    public void ASkippedTripDropsTheStepsOfAnIndexItsTapeRestores()
    {
        // at starts afresh in every group, so the trip's reverse pops its old value after stepping it back: a skipped
        // trip needs the pop, not the steps (nor their loop, nor the copies in and out of its loop local).
        string pullback = PullbackOfF(Generated(RestartedIndexGroupEnergies, "F"));
        string skipped = SkippedGroup(pullback, out int end);
        Assert.Matches(@"\bat = \(int\)_doubleTape\w*\.Pop\(\);", skipped);
        Assert.DoesNotContain("at_loop", skipped);
        Assert.DoesNotMatch(@"for \(i = ", skipped);
        Assert.Matches(@"dx\[at_loop\w*\] \+=", pullback.Substring(end));
    }

    [Fact]
    public void ALengthLocalRecomputedInTheTripStillMakesItsScratchArrayZeroedWhole()
    {
        // size is a local the reverse sweep recomputes as x.Length / groups in its loop bounds; the rent says size.
        string source = GroupEnergies
            .Replace("int groups, int size)", "int groups)")
            .Replace("double[] energies = new double[groups];", "int size = x.Length / groups;\n        double[] energies = new double[groups];")
            .Replace("FILL", "for (int i = 0; i < size; i++) { scaled[i] = x[g * size + i] * (i + 1); }");
        string pullback = PullbackOfF(Generated(source, "F"));
        Assert.Matches(@"_d_energies\[g\] = 0\.0;\s*if \(_d_\w+ == 0\.0\)", pullback);
    }

    [Fact]
    public void IntegersSteppedByAConstantOrAParameterAreSteppedBackInsteadOfTaped()
    {
        string pullback = PullbackOfF(Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double F(double[] x, int stride)
                {
                    double total = 0;
                    int offset = 0;
                    int back = x.Length - 1;
                    for (int r = 0; r < x.Length / stride; r++)
                    {
                        for (int c = 0; c < stride; c++)
                        {
                            total += x[offset + c] * x[back] * x[back];
                            back--;
                        }

                        offset += stride;
                    }

                    return total;
                }
            }
            """, "F"));
        Assert.DoesNotContain("Tape<int>", pullback);
        Assert.DoesNotContain("_saved_", pullback);
        // The running indices may be stepped through loop-local copies (back_loop_2++): the JIT keeps those in registers.
        Assert.Matches(@"\bback(_loop_\d+)?\+\+;", pullback);
        Assert.Matches(@"\b(offset(_loop_\d+)?) = \1 - stride;|\boffset(_loop_\d+)? -= stride;", pullback);
        Assert.Contains("stepped back in the reverse sweep", pullback);
    }

    /// <summary>An index stepped by a local that changes every trip (1, 0, 1): stepping back cannot undo it, so it is saved.</summary>
    private const string AlternatingStride = """
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] x)
            {
                double total = 0;
                int at = 0;
                int step = 1;
                for (int r = 0; r < 3; r++)
                {
                    total += x[at] * x[at];
                    at += step;
                    step = 1 - step;
                }

                return total;
            }
        }
        """;

    [Fact]
    public void AnIntegerStepByALocalIsStillTaped()
    {
        // step is assigned in the loop: subtracting its current value would not undo an earlier step.
        string pullback = PullbackOfF(Generated(AlternatingStride, "F"));
        Assert.Matches(@"\bat = \(int\)_doubleTape\w*\.Pop\(\);", pullback);
        Assert.DoesNotContain("stepped back", pullback);
    }

    [Fact]
    public void EveryTripOfACountingLoopWritesAndReadsThroughOneCursorMadeBeforeTheLoop()
    {
        // Each group's trip pushed through a reservation of its own and popped through a reader of its own (one in each
        // branch of the zero-adjoint test); the same room for every trip is reserved once, for all trips.
        string pullback = PullbackOfF(Generated(GroupEnergies.Replace("FILL", "for (int i = 0; i < size; i++) { scaled[i] = x[g * size + i] * (i + 1); }"), "F"));
        Assert.Matches(@"var (_doubleTapeWriter\d+) = _doubleTape\.Reserve\(global::System\.Math\.Max\(0, groups\) \* \(2 \* global::System\.Math\.Max\(0, size\)\)\);\s*for \(g = 0; g < groups; g\+\+\)", pullback);
        Assert.Matches(@"var (_doubleTapeReader\d+) = _doubleTape\.Reader\(\);\s*for \(g = groups - 1; g >= 0; g--\)", pullback);
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(pullback, @"\.Reserve\("));
        Assert.Single(System.Text.RegularExpressions.Regex.Matches(pullback, @"\.Reader\(\)"));
        Assert.Equal(2, System.Text.RegularExpressions.Regex.Matches(pullback, @"\.Commit\(\)").Count);

        // A call in the trip may push and pop on the same tape: the cursors stay in the trip, committed before it.
        string withCall = PullbackOfF(Generated("""
            public static partial class C
            {
                [Differentiable]
                public static double Cube(double v)
                {
                    double c = v;
                    for (int r = 0; r < 2; r++)
                    {
                        c *= v;
                    }

                    return c;
                }

                [Differentiable]
                public static double F(double[] x, int groups, int size)
                {
                    double total = 0;
                    for (int g = 0; g < groups; g++)
                    {
                        double product = 1;
                        for (int i = 0; i < size; i++)
                        {
                            product *= x[g * size + i];
                        }

                        total += Cube(product);
                    }

                    return total;
                }
            }
            """, "F"));
        int trip = withCall.IndexOf("for (g = 0; g < groups; g++)", System.StringComparison.Ordinal);
        int reserve = withCall.IndexOf("_doubleTape.Reserve(global::System.Math.Max(0, size));", System.StringComparison.Ordinal);
        int call = withCall.IndexOf("CubeGradient(product)", System.StringComparison.Ordinal);
        Assert.True(trip >= 0 && reserve > trip && call > reserve, withCall);
        Assert.Matches(@"(_doubleTapeWriter\d+)\.Commit\(\);\s*\(_t\d+, _d_\w+\) = global::C\.CubeGradient\(product\);", withCall);
    }

    [Fact]
    public void AnIntegerSavedInALoopGoesOnTheDoubleTapeThroughTheCursorOfTheValuesAroundIt()
    {
        // at is saved once per group, just before a loop that pushes doubles. On a tape of its own it needed a writer and
        // a reader more (four live registers in the loop for one value); on the double tape, where every int is exact,
        // the group's one reservation and one reader take it.
        string pullback = PullbackOfF(Generated(RestartedIndexGroupEnergies, "F"));
        Assert.DoesNotContain("Tape<int>", pullback);
        Assert.Matches(@"var (_doubleTapeWriter\d+) = _doubleTape\.Reserve\(global::System\.Math\.Max\(0, groups\) \* \(2 \* global::System\.Math\.Max\(0, size\) \+ 1\)\);\s*for \(g = 0; g < groups; g\+\+\)\s*\{\s*\1\.Push\(at\);", pullback);
        Assert.Matches(@"\bat = \(int\)_doubleTapeReader\d+\.Pop\(\);", pullback);
        Assert.DoesNotContain("_doubleTape.Push(", pullback);
        Assert.DoesNotContain("_doubleTape.Pop(", pullback);

        // A method computing in float has no double tape: its integers keep a tape of their own.
        string inFloat = PullbackOfF(Generated(AlternatingStride.Replace("double", "float"), "F"));
        Assert.Matches(@"\bat = _intTape\w*\.Pop\(\);", inFloat);
        Assert.DoesNotContain("Tape<double>", inFloat);
    }

    private const string ThreeTapedLoops = """
        public static partial class C
        {
            [Differentiable]
            public static double F(double[] x, int rounds)
            {
                double total = 0;
                for (int r = 0; r < rounds; r++)
                {
                    double a = 0, b = 0, c = 0;
                    for (int i = 0; i < x.Length; i++)
                    {
                        a = Math.Sin(a + x[i]);
                    }

                    BETWEEN
                    for (int i = 0; i < x.Length; i++)
                    {
                        b = Math.Cos(b * x[i]);
                    }

                    for (int i = 1; i < x.Length; i++)
                    {
                        c = Math.Exp(c - x[i]);
                    }

                    total += a * b * c;
                }

                return total;
            }

            [Differentiable]
            public static double H(double[] v)
            {
                double s = 0;
                for (int k = 0; k < v.Length; k++)
                {
                    s = Math.Sin(s) + v[k];
                }

                return s;
            }
        }
        """;

    [Fact]
    public void ConsecutiveLoopsShareOneTapeReservationAndOneReader()
    {
        // Three loops each tape a carried value: one reservation covers all three per round, one reader pops them.
        string pullback = PullbackOfF(Generated(ThreeTapedLoops.Replace("BETWEEN", ""), "F"));
        Assert.Equal(1, Occurrences(pullback, ".Reserve("));
        Assert.Equal(1, Occurrences(pullback, ".Reader()"));
        Assert.Contains("Reserve(2 * global::System.Math.Max(0, x.Length) + global::System.Math.Max(0, x.Length - 1))", pullback);
    }

    [Fact]
    public void ACallBetweenLoopsKeepsTheirTapeCursorsApart()
    {
        // The callee's pullback pushes and pops on the same per-thread tape: values not yet committed must not sit
        // under it, so the loops around the call keep cursors of their own.
        string pullback = PullbackOfF(Generated(ThreeTapedLoops.Replace("BETWEEN", "total += H(x);"), "F"));
        Assert.Equal(2, Occurrences(pullback, ".Reserve("));
        Assert.Equal(2, Occurrences(pullback, ".Reader()"));
    }

    private static int Occurrences(string text, string part) =>
        (text.Length - text.Replace(part, "", System.StringComparison.Ordinal).Length) / part.Length;

    [Fact]
    public void AnAdjointArrayNotClearedEveryTripKeepsTheFullReverse()
    {
        // Only the first element is written per group: the rest of scaled (and its adjoint) carries from trip to trip,
        // so a skipped trip could leave a nonzero adjoint behind; no zero test is emitted.
        string pullback = PullbackOfF(Generated(GroupEnergies.Replace("FILL", "scaled[0] = x[g * size];"), "F"));
        Assert.DoesNotContain("== 0.0)", pullback);
    }
}
