using BenchmarkDotNet.Running;

namespace ServerErrors.Analyzers.Benchmarks;

public static class Program
{
    /// <summary>
    /// <c>ratio …</c>: analyzer time as a share of compile time on generated corpora (docs/performance.md);
    /// anything else goes to BenchmarkDotNet (time and allocations of the older 200-file benchmarks).
    /// </summary>
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "ratio")
        {
            return RatioBenchmark.Run(args[1..]);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
