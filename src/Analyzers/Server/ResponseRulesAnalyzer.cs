using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers.Server;

/// <summary>The server rules, SE1001–SE1005, as the one analyzer the package ships for them (see <see cref="AnalyzerFamily"/>).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ResponseRulesAnalyzer : AnalyzerFamily
{
    public ResponseRulesAnalyzer()
        : base(
            new ExceptionDetailsInResponseAnalyzer(),
            new DetailedErrorsOutsideDevelopmentAnalyzer(),
            new RetryAfterMissingAnalyzer(),
            new RetryAfterFormatAnalyzer())
    {
    }
}
