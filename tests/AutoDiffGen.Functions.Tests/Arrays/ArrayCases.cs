using System;
using System.Collections.Generic;
using System.Linq;

namespace AutoDiffGen.Functions.Tests.Arrays;

/// <summary>Every scalar-valued array function of <see cref="ArrayFunctions"/>, wrapped for the checker.</summary>
internal static class ArrayCases
{
    private static readonly double[] Features = Enumerable.Range(0, 12).Select(i => Math.Sin(i * 1.7)).ToArray();
    private static readonly double[] Targets = { 0.5, -0.25, 1.5, 0.75 };
    private static readonly int[] Indices = { 3, 0, 3, 1, 4 };

    private static double[,] Matrix(double[] flat, int rows)
    {
        int columns = flat.Length / rows;
        var matrix = new double[rows, columns];
        Buffer.BlockCopy(flat, 0, matrix, 0, flat.Length * sizeof(double));
        return matrix;
    }

    private static double[] Flatten(double[,] matrix)
    {
        var flat = new double[matrix.Length];
        Buffer.BlockCopy(matrix, 0, flat, 0, flat.Length * sizeof(double));
        return flat;
    }

    public static readonly IReadOnlyList<ArrayCase> All = new ArrayCase[]
    {
        new("Dot", new[] { 5, 5 }, 0,
            (a, s) => ArrayFunctions.Dot(a[0], a[1]),
            (a, s, d) => (ArrayFunctions.DotGradient(a[0], a[1], d[0], d[1]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.DotTangent(a[0], a[1], t[0], t[1])),
        new("SumOfSines", new[] { 6 }, 0,
            (a, s) => ArrayFunctions.SumOfSines(a[0]),
            (a, s, d) => (ArrayFunctions.SumOfSinesGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.SumOfSinesTangent(a[0], t[0])),
        new("QuadraticForm", new[] { 9, 3 }, 0,
            (a, s) => ArrayFunctions.QuadraticForm(Matrix(a[0], 3), a[1]),
            (a, s, d) =>
            {
                var dm = new double[3, 3];
                double value = ArrayFunctions.QuadraticFormGradient(Matrix(a[0], 3), a[1], dm, d[1]);
                Array.Copy(Flatten(dm), d[0], 9);
                return (value, new double[0]);
            },
            (a, s, t, ts) => ArrayFunctions.QuadraticFormTangent(Matrix(a[0], 3), a[1], Matrix(t[0], 3), t[1])),
        new("Recurrence", new[] { 7 }, 1,
            (a, s) => ArrayFunctions.Recurrence(a[0], s[0]),
            (a, s, d) => { var r = ArrayFunctions.RecurrenceGradient(a[0], s[0], d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.RecurrenceTangent(a[0], s[0], t[0], ts[0])),
        new("Smoothing", new[] { 8 }, 0,
            (a, s) => ArrayFunctions.Smoothing(a[0], 3),
            (a, s, d) => (ArrayFunctions.SmoothingGradient(a[0], 3, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.SmoothingTangent(a[0], 3, t[0])),
        new("CompoundElements", new[] { 7 }, 1,
            (a, s) => ArrayFunctions.CompoundElements(a[0], s[0]),
            (a, s, d) => { var r = ArrayFunctions.CompoundElementsGradient(a[0], s[0], d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.CompoundElementsTangent(a[0], s[0], t[0], ts[0])),
        new("LogSumExp", new[] { 6 }, 0,
            (a, s) => ArrayFunctions.LogSumExp(a[0]),
            (a, s, d) => (ArrayFunctions.LogSumExpGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.LogSumExpTangent(a[0], t[0]),
            Low: -3,
            High: 3),
        new("Gather", new[] { 5 }, 0,
            (a, s) => ArrayFunctions.Gather(a[0], Indices),
            (a, s, d) => (ArrayFunctions.GatherGradient(a[0], Indices, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.GatherTangent(a[0], Indices, t[0])),
        new("LeastSquares", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.LeastSquares(a[0], s[0], Features, Targets),
            (a, s, d) => { var r = ArrayFunctions.LeastSquaresGradient(a[0], s[0], Features, Targets, d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.LeastSquaresTangent(a[0], s[0], Features, Targets, t[0], ts[0])),
        new("CallsWithArrays", new[] { 5 }, 1,
            (a, s) => ArrayFunctions.CallsWithArrays(a[0], s[0]),
            (a, s, d) => { var r = ArrayFunctions.CallsWithArraysGradient(a[0], s[0], d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.CallsWithArraysTangent(a[0], s[0], t[0], ts[0]),
            Low: 0.2,
            High: 1),
        new("MatrixVector", new[] { 12, 4 }, 0,
            (a, s) => ArrayFunctions.MatrixVector(Matrix(a[0], 3), a[1]),
            (a, s, d) =>
            {
                var dm = new double[3, 4];
                double value = ArrayFunctions.MatrixVectorGradient(Matrix(a[0], 3), a[1], dm, d[1]);
                Array.Copy(Flatten(dm), d[0], 12);
                return (value, new double[0]);
            },
            (a, s, t, ts) => ArrayFunctions.MatrixVectorTangent(Matrix(a[0], 3), a[1], Matrix(t[0], 3), t[1])),
        new("RectifiedGroupEnergies", new[] { 12 }, 0,
            (a, s) => ArrayFunctions.RectifiedGroupEnergies(a[0], 4),
            (a, s, d) => (ArrayFunctions.RectifiedGroupEnergiesGradient(a[0], 4, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.RectifiedGroupEnergiesTangent(a[0], 4, t[0])),
        new("PartlyStoredGroupEnergies", new[] { 12 }, 0,
            (a, s) => ArrayFunctions.PartlyStoredGroupEnergies(a[0], 4),
            (a, s, d) => (ArrayFunctions.PartlyStoredGroupEnergiesGradient(a[0], 4, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.PartlyStoredGroupEnergiesTangent(a[0], 4, t[0])),
        new("SteppedGroupEnergies", new[] { 12 }, 0,
            (a, s) => ArrayFunctions.SteppedGroupEnergies(a[0], 4),
            (a, s, d) => (ArrayFunctions.SteppedGroupEnergiesGradient(a[0], 4, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.SteppedGroupEnergiesTangent(a[0], 4, t[0])),
        new("RestartedIndexGroupEnergies", new[] { 12 }, 0,
            (a, s) => ArrayFunctions.RestartedIndexGroupEnergies(a[0], 4),
            (a, s, d) => (ArrayFunctions.RestartedIndexGroupEnergiesGradient(a[0], 4, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.RestartedIndexGroupEnergiesTangent(a[0], 4, t[0])),
        new("AlternatingStride", new[] { 9 }, 0,
            (a, s) => ArrayFunctions.AlternatingStride(a[0]),
            (a, s, d) => (ArrayFunctions.AlternatingStrideGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.AlternatingStrideTangent(a[0], t[0])),
        new("SteppedWalk", new[] { 12 }, 0,
            (a, s) => ArrayFunctions.SteppedWalk(a[0], 3),
            (a, s, d) => (ArrayFunctions.SteppedWalkGradient(a[0], 3, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.SteppedWalkTangent(a[0], 3, t[0])),
        new("LoopsAroundACall", new[] { 5 }, 0,
            (a, s) => ArrayFunctions.LoopsAroundACall(a[0]),
            (a, s, d) => (ArrayFunctions.LoopsAroundACallGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.LoopsAroundACallTangent(a[0], t[0])),
        new("ArrayPerTrip", new[] { 4 }, 0,
            (a, s) => ArrayFunctions.ArrayPerTrip(a[0], 6),
            (a, s, d) => (ArrayFunctions.ArrayPerTripGradient(a[0], 6, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.ArrayPerTripTangent(a[0], 6, t[0])),
        new("SumOverPoints", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.SumOverPoints(a[0], s[0], 7),
            (a, s, d) => { var r = ArrayFunctions.SumOverPointsGradient(a[0], s[0], 7, d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.SumOverPointsTangent(a[0], s[0], 7, t[0], ts[0])),
        new("PartlyOverwrittenPerTrip", new[] { 3 }, 0,
            (a, s) => ArrayFunctions.PartlyOverwrittenPerTrip(a[0], 5),
            (a, s, d) => (ArrayFunctions.PartlyOverwrittenPerTripGradient(a[0], 5, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.PartlyOverwrittenPerTripTangent(a[0], 5, t[0])),
        new("OverwrittenAfterTheRead", new[] { 4 }, 0,
            (a, s) => ArrayFunctions.OverwrittenAfterTheRead(a[0]),
            (a, s, d) => (ArrayFunctions.OverwrittenAfterTheReadGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.OverwrittenAfterTheReadTangent(a[0], t[0])),
        new("ShiftedLogSumExp", new[] { 6 }, 0,
            (a, s) => ArrayFunctions.ShiftedLogSumExp(a[0]),
            (a, s, d) => (ArrayFunctions.ShiftedLogSumExpGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.ShiftedLogSumExpTangent(a[0], t[0])),
        new("SumOfLogSumExps", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.SumOfLogSumExps(a[0], s[0], 6),
            (a, s, d) => { var r = ArrayFunctions.SumOfLogSumExpsGradient(a[0], s[0], 6, d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.SumOfLogSumExpsTangent(a[0], s[0], 6, t[0], ts[0])),
        new("CallsSumOfLogSumExps", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.CallsSumOfLogSumExps(a[0], s[0]),
            (a, s, d) => { var r = ArrayFunctions.CallsSumOfLogSumExpsGradient(a[0], s[0], d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.CallsSumOfLogSumExpsTangent(a[0], s[0], t[0], ts[0])),
        new("SizedByALocal", new[] { 4 }, 0,
            (a, s) => ArrayFunctions.SizedByALocal(a[0]),
            (a, s, d) => (ArrayFunctions.SizedByALocalGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.SizedByALocalTangent(a[0], t[0])),
        new("CallsSizedByALocal", new[] { 4 }, 0,
            (a, s) => ArrayFunctions.CallsSizedByALocal(a[0]),
            (a, s, d) => (ArrayFunctions.CallsSizedByALocalGradient(a[0], d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.CallsSizedByALocalTangent(a[0], t[0])),
        new("HalvedAfterTheCall", new[] { 3 }, 0,
            (a, s) => ArrayFunctions.HalvedAfterTheCall(a[0], 4),
            (a, s, d) => (ArrayFunctions.HalvedAfterTheCallGradient(a[0], 4, d[0]), new double[0]),
            (a, s, t, ts) => ArrayFunctions.HalvedAfterTheCallTangent(a[0], 4, t[0])),
        new("SumOverPointsByLength", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.SumOverPointsByLength(a[0], s[0], 7),
            (a, s, d) => { var r = ArrayFunctions.SumOverPointsByLengthGradient(a[0], s[0], 7, d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.SumOverPointsByLengthTangent(a[0], s[0], 7, t[0], ts[0])),
        new("SumInsideInnerLoops", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.SumInsideInnerLoops(a[0], s[0], 7),
            (a, s, d) => { var r = ArrayFunctions.SumInsideInnerLoopsGradient(a[0], s[0], 7, d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.SumInsideInnerLoopsTangent(a[0], s[0], 7, t[0], ts[0])),
        new("InnerLoopsReadTheSum", new[] { 3 }, 1,
            (a, s) => ArrayFunctions.InnerLoopsReadTheSum(a[0], s[0], 7),
            (a, s, d) => { var r = ArrayFunctions.InnerLoopsReadTheSumGradient(a[0], s[0], 7, d[0]); return (r.Value, new[] { r.Gradient }); },
            (a, s, t, ts) => ArrayFunctions.InnerLoopsReadTheSumTangent(a[0], s[0], 7, t[0], ts[0])),
    };
}
