using BenchmarkDotNet.Running;

namespace AutoDiffGen.TorchPeer;

/// <summary>Runs the peer benchmarks picked by the command line; scripts/torch-peer.sh passes the usual arguments.</summary>
public static class Program
{
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
