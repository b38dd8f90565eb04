using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers;

/// <summary>
/// Reads <c>server_errors.*</c> options from .editorconfig. A value that cannot be used falls back to the
/// default and is handed back so that the rule can report SE0001 instead of misbehaving silently.
/// </summary>
internal static class AnalyzerConfig
{
    public const string RetryAfterSeconds = "server_errors.retry_after_seconds";
    public const string MaxRetryAttempts = "server_errors.max_retry_attempts";
    public const string SE2002Scope = "server_errors.SE2002.scope";

    /// <summary>A positive integer option; <paramref name="invalidValue"/> is set when the configured text is not one.</summary>
    public static int GetPositiveInt(AnalyzerOptions options, SyntaxTree tree, string key, int defaultValue, out string? invalidValue)
    {
        invalidValue = null;
        if (!options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var raw))
        {
            return defaultValue;
        }

        if (int.TryParse(raw.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            return value;
        }

        invalidValue = raw;
        return defaultValue;
    }

    /// <summary>
    /// One of <paramref name="choices"/> (case-insensitive), or <paramref name="defaultValue"/> when absent;
    /// <paramref name="invalidValue"/> is set when the configured text is none of them.
    /// </summary>
    public static string GetChoice(AnalyzerOptions options, SyntaxTree tree, string key, string[] choices, string defaultValue, out string? invalidValue)
    {
        invalidValue = null;
        var raw = GetString(options, tree, key);
        if (raw is null)
        {
            return defaultValue;
        }

        foreach (var choice in choices)
        {
            if (string.Equals(raw, choice, System.StringComparison.OrdinalIgnoreCase))
            {
                return choice;
            }
        }

        invalidValue = raw;
        return defaultValue;
    }

    /// <summary>A string option, or null when absent.</summary>
    public static string? GetString(AnalyzerOptions options, SyntaxTree tree, string key)
        => options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue(key, out var raw) ? raw.Trim() : null;
}
