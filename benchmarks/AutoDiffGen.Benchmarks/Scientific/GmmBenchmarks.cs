using BenchmarkDotNet.Attributes;
using Scientific;
using Scientific.Reference;

namespace AutoDiffGen.Benchmarks.Scientific;

/// <summary>
/// The ADBench GMM objective at the sizes: the primal (baseline), the generated gradient and
/// the hand-derived gradient, all in the same run.
/// </summary>
[MemoryDiagnoser]
public class GmmBenchmarks
{
    private GmmInstance _gmm = null!;
    private double[] _dAlphas = null!, _dMeans = null!, _dIcf = null!, _scratch = null!;

    /// <summary>d, K, n.</summary>
    [Params("2,5,1000", "10,25,1000", "64,100,1000")]
    public string Size { get; set; } = "2,5,1000";

    [GlobalSetup]
    public void Setup()
    {
        int[] s = System.Array.ConvertAll(Size.Split(','), int.Parse);
        _gmm = GmmInstance.Random(s[0], s[1], s[2], seed: 1);
        _dAlphas = new double[_gmm.Alphas.Length];
        _dMeans = new double[_gmm.Means.Length];
        _dIcf = new double[_gmm.Icf.Length];
        _scratch = new double[GmmHandWrittenGradient.ScratchLength(_gmm.D, _gmm.K)];
    }

    [Benchmark(Baseline = true)]
    public double Primal() => GaussianMixture.Objective(_gmm.D, _gmm.K, _gmm.N, _gmm.Alphas, _gmm.Means, _gmm.Icf, _gmm.X, _gmm.WishartGamma, _gmm.WishartM);

    [Benchmark]
    public double GeneratedGradient() => GaussianMixture.ObjectiveGradient(
        _gmm.D, _gmm.K, _gmm.N, _gmm.Alphas, _gmm.Means, _gmm.Icf, _gmm.X, _gmm.WishartGamma, _gmm.WishartM, _dAlphas, _dMeans, _dIcf);

    [Benchmark]
    public double HandWrittenGradient() => GmmHandWrittenGradient.ValueAndGradient(
        _gmm.D, _gmm.K, _gmm.N, _gmm.Alphas, _gmm.Means, _gmm.Icf, _gmm.X, _gmm.WishartGamma, _gmm.WishartM, _dAlphas, _dMeans, _dIcf, _scratch);
}

/// <summary>The ADBench LSTM objective over 1024 characters: primal (baseline) and generated gradient.</summary>
[MemoryDiagnoser]
public class LstmBenchmarks
{
    private LstmInstance _lstm = null!;
    private double[] _dMain = null!, _dExtra = null!;

    [Params(2, 4)]
    public int Layers { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // ADBench's LSTM sizes: hidden size b = 14 (the alphabet), c = 1024 characters.
        _lstm = LstmInstance.Random(Layers, b: 14, c: 1024, seed: 1);
        _dMain = new double[_lstm.MainParams.Length];
        _dExtra = new double[_lstm.ExtraParams.Length];
    }

    [Benchmark(Baseline = true)]
    public double Primal() => _lstm.Objective();

    [Benchmark]
    public double GeneratedGradient() => Lstm.ObjectiveGradient(_lstm.L, _lstm.C, _lstm.B, _lstm.MainParams, _lstm.ExtraParams, _lstm.State, _lstm.Sequence, _dMain, _dExtra);
}
