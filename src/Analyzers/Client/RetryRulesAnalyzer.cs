using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers.Client;

/// <summary>The client rules, SE2001–SE2006, as the one analyzer the package ships for them (see <see cref="AnalyzerFamily"/>).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryRulesAnalyzer : AnalyzerFamily
{
    public RetryRulesAnalyzer()
        : base(
            new RetryPredicateAnalyzer(),
            new RetryBackoffAnalyzer(),
            new RetryAfterIgnoredAnalyzer(),
            new UnboundedRetryAnalyzer(),
            new NonIdempotentRetryAnalyzer(),
            new StackedRetryAnalyzer())
    {
    }
}
