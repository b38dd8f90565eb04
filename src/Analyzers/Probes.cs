#if ANALYZER_PROBES
using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Threading;

namespace ServerErrors.Analyzers;

/// <summary>
/// Stopwatch timings of named pieces, compiled only with <c>-p:AnalyzerProbes=true</c> (the ratio benchmark prints
/// them after each corpus): the driver's telemetry gives one number per analyzer, this says which piece of it.
/// </summary>
internal static class Probes
{
    private static readonly ConcurrentDictionary<string, long[]> s_times = new(StringComparer.Ordinal);

    /// <summary>The counters of <paramref name="name"/>: look it up once, outside the code it times.</summary>
    public static long[] Slot(string name) => s_times.GetOrAdd(name, _ => new long[2]);

    public static Scope Time(string name) => new(Slot(name), Stopwatch.GetTimestamp());

    public static Scope Time(long[] slot) => new(slot, Stopwatch.GetTimestamp());

    /// <summary><paramref name="action"/>, timed under <paramref name="name"/>.</summary>
    public static Action<T> Timed<T>(string name, Action<T> action)
    {
        var slot = Slot(name);
        return argument =>
        {
            using (Time(slot))
            {
                action(argument);
            }
        };
    }

    /// <summary>Called by the benchmark (reflection): the table since the last call, in ms per run.</summary>
    public static string TakeReport(int runs)
    {
        var builder = new StringBuilder();
        var names = new System.Collections.Generic.List<string>(s_times.Keys);
        names.Sort(StringComparer.Ordinal);
        foreach (var name in names)
        {
            if (s_times.TryGetValue(name, out var slot) && slot[1] > 0)
            {
                var ticks = Interlocked.Exchange(ref slot[0], 0);
                var calls = Interlocked.Exchange(ref slot[1], 0);
                builder.AppendFormat(System.Globalization.CultureInfo.InvariantCulture, "  {0,-90} {1,9:0.0} ms {2,9} calls\n", name, ticks * 1000.0 / Stopwatch.Frequency / runs, calls / runs);
            }
        }

        return builder.ToString();
    }

    public readonly struct Scope : IDisposable
    {
        private readonly long[] _slot;
        private readonly long _start;

        public Scope(long[] slot, long start)
        {
            _slot = slot;
            _start = start;
        }

        public void Dispose()
        {
            Interlocked.Add(ref _slot[0], Stopwatch.GetTimestamp() - _start);
            Interlocked.Increment(ref _slot[1]);
        }
    }
}
#endif
