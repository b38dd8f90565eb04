using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace ServerErrors.Analyzers.Benchmarks;

/// <summary>
/// The cost of the analyzers as a share of compile time: the analyzer driver's per-analyzer execution time
/// (<c>logAnalyzerExecutionTime: true</c>, <c>GetAnalyzerTelemetryInfoAsync</c>) divided by the time of the compiler's
/// own <c>GetDiagnostics()</c> on the same corpus, in the same process, each on a fresh clone of the compilation so no
/// per-compilation cache carries over. Also writes the diagnostics (id + location) so that an optimisation can prove
/// it changed none (<c>--compare</c>).
/// </summary>
public static class RatioBenchmark
{
    private const string Usage = """
        ratio [options]
          --corpus NAME      dense | realistic | console | business | all (default all); repeatable
          --runs N           measured runs per corpus after warm-up (default 5)
          --warmup N         warm-up runs per corpus (default 1)
          --scale X          multiply every corpus's file count by X (default 1; linearity check)
          --concurrent       concurrent compiler and analyzer driver (default: both sequential, so CPU time compares with CPU time)
          --alone            also run each analyzer alone (shows what shared caches hide)
          --rules            the ten rule analyzers, each as an analyzer of its own, instead of the two shipped families
                             (a row per rule; the driver's per-analyzer cost is then paid ten times, as before issue 10)
          --pair N           after the main run, N rounds of (the two families, then the ten rule analyzers), each a
                             fresh measurement in this process: what the families change, without the drift between processes
          --floor-run        per run, also a driver run with only the trivial analyzer: its GC pauses and allocations
                             are what the driver costs without us
          --only A,B         only the analyzers whose type names contain one of these
          --out FILE         where to write the diagnostics (default ratio-diagnostics.txt in the current directory)
          --compare FILE     compare the diagnostics with FILE (written by an earlier run); exit code 1 when they differ
        """;

    private static bool s_floorRun;

    public static int Run(string[] args)
    {
        var corpora = new List<string>();
        int runs = 5, warmup = 1, pairs = 0;
        double scale = 1.0;
        bool concurrent = false, alone = false, rules = false;
        string? only = null, compare = null;
        var output = "ratio-diagnostics.txt";
        for (var k = 0; k < args.Length; k++)
        {
            string Next() => k + 1 < args.Length ? args[++k] : throw new ArgumentException($"{args[k]} needs a value");
            switch (args[k])
            {
                case "--corpus": corpora.Add(Next()); break;
                case "--runs": runs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--warmup": warmup = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--scale": scale = double.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--concurrent": concurrent = true; break;
                case "--alone": alone = true; break;
                case "--rules": rules = true; break;
                case "--floor-run": s_floorRun = true; break;
                case "--pair": pairs = int.Parse(Next(), CultureInfo.InvariantCulture); break;
                case "--only": only = Next(); break;
                case "--out": output = Next(); break;
                case "--compare": compare = Next(); break;
                case "-h" or "--help": Console.WriteLine(Usage); return 0;
                default: Console.Error.WriteLine($"unknown option {args[k]}\n{Usage}"); return 2;
            }
        }

        if (corpora.Count == 0 || corpora.Contains("all"))
        {
            corpora = Corpora.Names.ToList();
        }

        var analyzers = rules ? AnalyzerBenchmarks.Rules : AnalyzerBenchmarks.Analyzers;
        if (only is not null)
        {
            var parts = only.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            analyzers = analyzers.Where(a => parts.Any(p => a.GetType().Name.Contains(p, StringComparison.OrdinalIgnoreCase))).ToImmutableArray();
        }

        var load = File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";
        Console.WriteLine($"ServerErrors.Analyzers ratio benchmark — {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores, load average {load}");
        Console.WriteLine($"Roslyn {typeof(CSharpCompilation).Assembly.GetName().Version}, {(concurrent ? "concurrent" : "sequential")} compiler and driver, {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")} GC, {warmup} warm-up + {runs} runs, scale {scale.ToString(CultureInfo.InvariantCulture)}");
        Console.WriteLine($"{analyzers.Length} analyzers: {string.Join(", ", analyzers.Select(a => a.GetType().Name))}");

        var diagnostics = new StringBuilder();
        var exceptions = 0;
        foreach (var name in corpora)
        {
            var compilation = Corpora.Create(name, scale, concurrent);
            var lines = compilation.SyntaxTrees.Sum(t => t.GetText().Lines.Count);
            Console.WriteLine();
            Console.WriteLine($"== {name}: {compilation.SyntaxTrees.Length} files, {lines} lines");

            var compilerErrors = compilation.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
            if (compilerErrors > 0)
            {
                // A corpus that does not compile measures error recovery, not the rules.
                foreach (var error in compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Take(10))
                {
                    Console.Error.WriteLine(error);
                }

                Console.Error.WriteLine($"corpus {name} has {compilerErrors} compiler errors");
                return 3;
            }

            var result = Measure(compilation, analyzers, warmup, runs, concurrent);
            exceptions += result.Exceptions;
            Print(result, analyzers);
            if (ProbeReport(runs) is { Length: > 0 } probes)
            {
                Console.WriteLine("  probes (analyzers built with -p:AnalyzerProbes=true), ms per measured run:");
                Console.Write(probes);
            }
            foreach (var line in result.Diagnostics)
            {
                diagnostics.Append(name).Append(' ').AppendLine(line);
            }

            for (var round = 1; round <= pairs; round++)
            {
                foreach (var (what, set) in new[] { ("families", AnalyzerBenchmarks.Analyzers), ("rules", AnalyzerBenchmarks.Rules) })
                {
                    var paired = Measure(compilation, set, warmup: 1, runs, concurrent);
                    exceptions += paired.Exceptions;
                    Console.WriteLine($"  pair {round} {what,-8}  compile min {paired.Compile.Min(),8:0.0} ms  ours min {paired.Total.Min(),7:0.0} / median {Median(paired.Total),7:0.0} ms  ratio min {Ratio(paired.Total.Min(), paired.Compile.Min())}  median {Ratio(Median(paired.Total), Median(paired.Compile))}");
                }
            }

            if (alone && analyzers.Length > 1)
            {
                Console.WriteLine("  each analyzer alone (own driver run; shared per-compilation caches no longer split between them):");
                foreach (var analyzer in analyzers)
                {
                    var single = Measure(compilation, ImmutableArray.Create(analyzer), warmup: 1, runs, concurrent);
                    exceptions += single.Exceptions;
                    var times = single.PerAnalyzer[0];
                    Console.WriteLine($"    {analyzer.GetType().Name,-48} min {Ratio(times.Min(), single.Compile.Min())}  median {Ratio(Median(times), Median(single.Compile))}");
                }
            }
        }

        File.WriteAllText(output, diagnostics.ToString());
        Console.WriteLine();
        Console.WriteLine($"diagnostics written to {Path.GetFullPath(output)}");
        if (exceptions > 0)
        {
            Console.Error.WriteLine($"{exceptions} analyzer exceptions (AD0001) were reported");
        }

        if (compare is not null)
        {
            return Compare(compare, diagnostics.ToString()) && exceptions == 0 ? 0 : 1;
        }

        return exceptions == 0 ? 0 : 1;
    }

    private sealed record Result(
        List<double> Compile,
        List<double>[] PerAnalyzer,
        List<double> Total,
        List<double> Floor,
        List<double> Replay,
        List<double> Wall,
        List<double> CompilePauses,
        List<double> DriverPauses,
        List<double> FloorPauses,
        List<double> DriverAllocated,
        List<double> FloorAllocated,
        ImmutableArray<string> Diagnostics,
        Dictionary<string, int> Counts,
        int Exceptions);

    private static Result Measure(CSharpCompilation compilation, ImmutableArray<DiagnosticAnalyzer> analyzers, int warmup, int runs, bool concurrent)
    {
        var compile = new List<double>();
        var perAnalyzer = analyzers.Select(_ => new List<double>()).ToArray();
        var total = new List<double>();
        var floor = new List<double>();
        var wall = new List<double>();
        var compilePauses = new List<double>();
        var driverPauses = new List<double>();
        var floorPauses = new List<double>();
        var driverAllocated = new List<double>();
        var floorAllocated = new List<double>();
        var floorAnalyzer = new EmptyOperationAnalyzer();
        var withFloor = analyzers.Add(floorAnalyzer);
        ReplayAnalyzer? replay = null;
        var replayTimes = new List<double>();
        ImmutableArray<string> lines = default;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var exceptions = 0;
        for (var run = 0; run < warmup + runs; run++)
        {
            if (run == warmup)
            {
                ProbeReport(1); // the warm-up's timings are dropped
            }

            Settle();
            var clone = compilation.Clone();
            var compileGc = GcMark.Now();
            var watch = Stopwatch.StartNew();
            clone.GetDiagnostics();
            watch.Stop();
            var compileMs = watch.Elapsed.TotalMilliseconds;
            var compilePausedMs = compileGc.PausedMs();

            Settle();
            var errors = 0;
            var options = new CompilationWithAnalyzersOptions(
                new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
                (exception, analyzer, diagnostic) =>
                {
                    Interlocked.Increment(ref errors);
                    Console.Error.WriteLine($"AD0001 in {analyzer.GetType().Name}: {exception.GetType().Name}: {exception.Message}");
                },
                concurrentAnalysis: concurrent,
                logAnalyzerExecutionTime: true,
                reportSuppressedDiagnostics: false);
            var withAnalyzers = compilation.Clone().WithAnalyzers(withFloor, options);
            var driverGc = GcMark.Now();
            watch.Restart();
            var all = withAnalyzers.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            watch.Stop();
            var driverPausedMs = driverGc.PausedMs();
            var driverAllocatedMb = driverGc.AllocatedMb();

            // With --floor-run, the same driver run with only the trivial analyzer: what binding and the operation
            // trees allocate and pause anyway, without us.
            double floorPausedMs = 0, floorAllocatedMb = 0;
            if (s_floorRun)
            {
                Settle();
                var floorOnly = compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new EmptyOperationAnalyzer()), options);
                var floorGc = GcMark.Now();
                floorOnly.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
                floorPausedMs = floorGc.PausedMs();
                floorAllocatedMb = floorGc.AllocatedMb();
            }
            var found = all.RemoveAll(d => d.Id == "BENCH001");
            exceptions += errors;
            // A reference analyzer, in a driver run of its own, reports the same diagnostics at the same places: what
            // the driver charges for reporting them (the per-file generated-code scan paid by the first diagnostic of a
            // file, suppression checks), whoever reports them.
            replay ??= new ReplayAnalyzer(found);
            var replayRun = compilation.Clone().WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(replay), options);
            replayRun.GetAnalyzerDiagnosticsAsync().GetAwaiter().GetResult();
            if (run >= warmup)
            {
                replayTimes.Add(replayRun.GetAnalyzerTelemetryInfoAsync(replay, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds);
            }

            if (run < warmup)
            {
                continue;
            }

            compile.Add(compileMs);
            wall.Add(watch.Elapsed.TotalMilliseconds);
            compilePauses.Add(compilePausedMs);
            driverPauses.Add(driverPausedMs);
            floorPauses.Add(floorPausedMs);
            driverAllocated.Add(driverAllocatedMb);
            floorAllocated.Add(floorAllocatedMb);
            var sum = 0.0;
            for (var a = 0; a < analyzers.Length; a++)
            {
                var ms = withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzers[a], CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds;
                perAnalyzer[a].Add(ms);
                sum += ms;
            }

            total.Add(sum);
            floor.Add(withAnalyzers.GetAnalyzerTelemetryInfoAsync(floorAnalyzer, CancellationToken.None).GetAwaiter().GetResult().ExecutionTime.TotalMilliseconds);
            var current = Format(found);
            if (lines.IsDefault)
            {
                lines = current;
                foreach (var diagnostic in found)
                {
                    counts[diagnostic.Id] = counts.TryGetValue(diagnostic.Id, out var n) ? n + 1 : 1;
                }
            }
            else if (!current.SequenceEqual(lines))
            {
                // Concurrent analysis must not change what is reported.
                Console.Error.WriteLine("warning: the diagnostics differ between runs");
            }
        }

        return new Result(compile, perAnalyzer, total, floor, replayTimes, wall, compilePauses, driverPauses, floorPauses, driverAllocated, floorAllocated, lines, counts, exceptions);
    }

    /// <summary>
    /// The analyzers' own stopwatch timings since the last call, when they were built with <c>-p:AnalyzerProbes=true</c>
    /// (src/Analyzers/Probes.cs); empty otherwise.
    /// </summary>
    private static string ProbeReport(int runs)
        => typeof(AnalyzerFamily).Assembly.GetType("ServerErrors.Analyzers.Probes")?.GetMethod("TakeReport")?.Invoke(null, [runs]) as string ?? "";

    /// <summary>Collects between the measurements so that one's garbage is not charged to the next.</summary>
    private static void Settle()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
    }

    /// <summary>The process's GC pause time and allocated bytes at one moment, to measure what a step added.</summary>
    private readonly record struct GcMark(TimeSpan Paused, long Allocated)
    {
        public static GcMark Now() => new(GC.GetTotalPauseDuration(), GC.GetTotalAllocatedBytes(precise: true));

        public double PausedMs() => (GC.GetTotalPauseDuration() - Paused).TotalMilliseconds;

        public double AllocatedMb() => (GC.GetTotalAllocatedBytes(precise: true) - Allocated) / 1048576.0;
    }

    private static void Print(Result result, ImmutableArray<DiagnosticAnalyzer> analyzers)
    {
        var compileMin = result.Compile.Min();
        var compileMedian = Median(result.Compile);
        Console.WriteLine($"  compiler GetDiagnostics(): min {compileMin,8:0.0} ms  median {compileMedian,8:0.0} ms");
        Console.WriteLine($"  driver wall time (analyzers + trivial analyzer + binding): median {Median(result.Wall):0.0} ms");
        // Every thread stops for a GC, and a pause is charged to whatever runs: a run with more pauses is slower for both.
        Console.WriteLine($"  GC pauses (all threads stopped), median: {Median(result.CompilePauses):0.0} ms during the compile, {Median(result.DriverPauses):0.0} ms during the driver run; allocated in the driver run: {Median(result.DriverAllocated):0} MB");
        if (s_floorRun)
        {
            Console.WriteLine($"  driver run with only the trivial analyzer, median: GC pauses {Median(result.FloorPauses):0.0} ms, allocated {Median(result.FloorAllocated):0} MB (the difference is ours and what we make the compiler build)");
        }
        Console.WriteLine($"  {"analyzer",-48} {"min ms",9} {"median ms",10} {"ratio min",10} {"ratio median",13}");
        for (var a = 0; a < analyzers.Length; a++)
        {
            Row(analyzers[a].GetType().Name, result.PerAnalyzer[a], compileMin, compileMedian);
        }

        Row("TOTAL (our analyzers)", result.Total, compileMin, compileMedian);
        Row("reference: trivial IOperation analyzer", result.Floor, compileMin, compileMedian);
        if (result.Replay.Count > 0)
        {
            Row($"reference: reporting {result.Diagnostics.Length} diagnostics (alone)", result.Replay, compileMin, compileMedian);
        }
        Console.WriteLine($"  diagnostics: {result.Diagnostics.Length} ({string.Join(", ", result.Counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))})");
    }

    private static void Row(string name, List<double> times, double compileMin, double compileMedian)
        => Console.WriteLine($"  {name,-48} {times.Min(),9:0.0} {Median(times),10:0.0} {Ratio(times.Min(), compileMin),10} {Ratio(Median(times), compileMedian),13}");

    // min over min and median over median: each a ratio of like with like.
    private static string Ratio(double analyzer, double compile) => (analyzer / compile).ToString("0.000", CultureInfo.InvariantCulture);

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        var middle = sorted.Count / 2;
        return sorted.Count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    private static ImmutableArray<string> Format(ImmutableArray<Diagnostic> diagnostics)
        => diagnostics
            .Select(d =>
            {
                var span = d.Location.GetLineSpan();
                var location = d.Location.IsInSource
                    ? $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1})-({span.EndLinePosition.Line + 1},{span.EndLinePosition.Character + 1})"
                    : "(no location)";
                return $"{d.Id} {location}";
            })
            .OrderBy(s => s, StringComparer.Ordinal)
            .ToImmutableArray();

    private static bool Compare(string baselinePath, string current)
    {
        var baseline = File.ReadAllLines(baselinePath).Where(l => l.Length > 0).ToList();
        var now = current.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var missing = Multiset(baseline);
        var extra = Multiset(now);
        foreach (var line in now)
        {
            if (missing.TryGetValue(line, out var n) && n > 0)
            {
                missing[line] = n - 1;
                extra[line]--;
            }
        }

        var lost = missing.Where(p => p.Value > 0).SelectMany(p => Enumerable.Repeat(p.Key, p.Value)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        var added = extra.Where(p => p.Value > 0).SelectMany(p => Enumerable.Repeat(p.Key, p.Value)).OrderBy(s => s, StringComparer.Ordinal).ToList();
        if (lost.Count == 0 && added.Count == 0)
        {
            Console.WriteLine($"diagnostics identical to {baselinePath} ({now.Count})");
            return true;
        }

        Console.WriteLine($"diagnostics differ from {baselinePath}: {lost.Count} missing, {added.Count} new");
        foreach (var line in lost.Take(50))
        {
            Console.WriteLine($"  - {line}");
        }

        foreach (var line in added.Take(50))
        {
            Console.WriteLine($"  + {line}");
        }

        return false;
    }

    private static Dictionary<string, int> Multiset(IEnumerable<string> lines)
    {
        var set = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            set[line] = set.TryGetValue(line, out var n) ? n + 1 : 1;
        }

        return set;
    }
}

/// <summary>
/// Reports, from one syntax-tree action per file, a diagnostic at each location our analyzers reported at: how much of
/// the analyzers' time can be the driver's own work for reported diagnostics (on the first diagnostic of a file the
/// driver scans it for [GeneratedCode]; then suppression checks per diagnostic).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ReplayAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Replayed = new("BENCH002", "Replayed", "Replayed", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);
    private readonly Dictionary<string, List<TextSpan>> _spans = new(StringComparer.Ordinal);

    public ReplayAnalyzer(ImmutableArray<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            if (diagnostic.Location.SourceTree is { } tree)
            {
                if (!_spans.TryGetValue(tree.FilePath, out var spans))
                {
                    _spans[tree.FilePath] = spans = new List<TextSpan>();
                }

                spans.Add(diagnostic.Location.SourceSpan);
            }
        }
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Replayed);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // The same generated-code configuration as our analyzers (GeneratedCode.Flags), so the driver does the same work
        // per reported diagnostic for both.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterSyntaxTreeAction(c =>
        {
            if (_spans.TryGetValue(c.Tree.FilePath, out var spans))
            {
                foreach (var span in spans)
                {
                    c.ReportDiagnostic(Diagnostic.Create(Replayed, Location.Create(c.Tree, span)));
                }
            }
        });
    }
}
