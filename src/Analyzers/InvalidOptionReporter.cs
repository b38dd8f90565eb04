using System.Collections.Concurrent;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers;

/// <summary>
/// SE0001 for a <c>server_errors.*</c> value that cannot be used: one diagnostic per option and value, at the
/// first place (by file path, then position) where a rule used it. Reported from a compilation-end action so
/// that "first" does not depend on the order of concurrent analysis.
/// </summary>
internal sealed class InvalidOptionReporter
{
    private readonly ConcurrentQueue<(string Key, string Value, string Fallback, Location Location)> _found = new();

    public void Add(string key, string value, string fallback, Location location) => _found.Enqueue((key, value, fallback, location));

    /// <summary>The compilation-end action: register it with <c>RegisterCompilationEndAction</c> where the reporter is created.</summary>
    public void Report(CompilationAnalysisContext context)
    {
        if (_found.IsEmpty)
        {
            return;
        }

        var first = new Dictionary<(string Key, string Value), (string Fallback, Location Location)>();
        foreach (var (key, value, fallback, location) in _found)
        {
            if (!first.TryGetValue((key, value), out var current) || IsBefore(location, current.Location))
            {
                first[(key, value)] = (fallback, location);
            }
        }

        foreach (var pair in first)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SE0001_InvalidOption, pair.Value.Location, pair.Key.Key, pair.Key.Value, pair.Value.Fallback));
        }
    }

    private static bool IsBefore(Location left, Location right)
    {
        var byPath = string.CompareOrdinal(left.SourceTree?.FilePath, right.SourceTree?.FilePath);
        return byPath != 0 ? byPath < 0 : left.SourceSpan.Start < right.SourceSpan.Start;
    }
}
