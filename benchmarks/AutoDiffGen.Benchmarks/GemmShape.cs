namespace AutoDiffGen.Benchmarks;

/// <summary>One C = op(A)·op(B) problem (C is M×N, inner dimension K) and, once asked for, its operands.</summary>
public sealed class GemmShape(string name, int m, int n, int k, bool transposeA, bool transposeB)
{
    private Tensor? _a, _b, _c;

    public string Name { get; } = name;

    public int M { get; } = m;

    public int N { get; } = n;

    public int K { get; } = k;

    public bool TransposeA { get; } = transposeA;

    public bool TransposeB { get; } = transposeB;

    public double Flops => 2.0 * M * N * K;

    public Tensor A => _a ??= Tensor.RandomNormal(TransposeA ? [K, M] : [M, K], seed: 1);

    public Tensor B => _b ??= Tensor.RandomNormal(TransposeB ? [N, K] : [K, N], seed: 2);

    public Tensor C => _c ??= Tensor.Zeros(M, N);

    /// <summary>Shown in the benchmark table's argument column.</summary>
    public override string ToString()
        => $"{Name} {M}x{N}x{K}{(TransposeA ? " At" : string.Empty)}{(TransposeB ? " Bt" : string.Empty)}";
}
