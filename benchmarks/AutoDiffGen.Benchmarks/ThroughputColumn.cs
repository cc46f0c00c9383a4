using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace AutoDiffGen.Benchmarks;

/// <summary>
/// GFLOP/s of each benchmark row from its fastest measured iteration, or that as a percentage of the peak row
/// (<see cref="GemmBenchmarks.FmaPeak"/>, or <see cref="GemmBenchmarks.FmaPeakOneThread"/> for single-thread rows; also
/// its fastest iteration) measured in the same run.
/// </summary>
internal sealed class ThroughputColumn(bool fractionOfPeak) : IColumn
{
    public string Id => fractionOfPeak ? "PercentOfPeak" : "GFlops";

    public string ColumnName => fractionOfPeak ? "% of peak" : "GFLOP/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => fractionOfPeak ? 1 : 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => fractionOfPeak
        ? "Throughput as a percentage of the FmaPeak row of the same run"
        : "Billions of floating-point operations per second in the fastest iteration (a multiply-add counts as two)";

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        double? gflops = Throughput(summary, benchmarkCase);
        if (gflops is null)
        {
            return "-";
        }

        if (!fractionOfPeak)
        {
            return gflops.Value.ToString("F1", CultureInfo.InvariantCulture);
        }

        // Single-thread rows compare with the single-thread peak, the others with the all-threads peak.
        string peakMethod = benchmarkCase.Descriptor.WorkloadMethod.Name.EndsWith("OneThread", System.StringComparison.Ordinal)
            ? nameof(GemmBenchmarks.FmaPeakOneThread)
            : nameof(GemmBenchmarks.FmaPeak);
        var peakCase = summary.BenchmarksCases.FirstOrDefault(c => c.Descriptor.WorkloadMethod.Name == peakMethod);
        double? peak = peakCase is null ? null : Throughput(summary, peakCase);
        return peak is null ? "-" : (100 * gflops.Value / peak.Value).ToString("F1", CultureInfo.InvariantCulture);
    }

    private static double? Throughput(Summary summary, BenchmarkCase benchmarkCase)
    {
        var statistics = summary[benchmarkCase]?.ResultStatistics;
        if (statistics is null)
        {
            return null;
        }

        double flops = benchmarkCase.Descriptor.WorkloadMethod.Name switch
        {
            nameof(GemmBenchmarks.FmaPeak) => GemmBenchmarks.PeakFlops,
            nameof(GemmBenchmarks.FmaPeakOneThread) => GemmBenchmarks.OneThreadPeakFlops,
            _ => benchmarkCase.Parameters.Items.Select(p => p.Value).OfType<GemmShape>().Single().Flops,
        };
        return flops / statistics.Min;
    }
}
