using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Tests.Verifiers;

namespace ServerErrors.Analyzers.Tests.Stubs;

/// <summary>Verifier shortcuts for retry-policy tests: ASP.NET Core + Polly references and the stub packages.</summary>
public static class PolicyVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    /// <summary>Every stub: Polly.Extensions.Http, Microsoft.Extensions.Http.Polly, Microsoft.Extensions.Http.Resilience, Polly.Contrib.WaitAndRetry.</summary>
    public static readonly string[] AllStubs =
    {
        RetryStubs.PollyExtensionsHttp,
        RetryStubs.MicrosoftExtensionsHttpPolly,
        RetryStubs.MicrosoftExtensionsHttpResilience,
        RetryStubs.PollyContribWaitAndRetry,
    };

    public static CodeFixTest<TAnalyzer, TCodeFix> Create(string testCode, string? fixedCode = null, params string[] stubs)
    {
        var test = new CodeFixTest<TAnalyzer, TCodeFix>
        {
            TestCode = testCode,
            FixedCode = fixedCode ?? testCode,
            References = TestReferences.AspNetCore.AddRange(TestReferences.Polly),
        };
        test.AdditionalSources.AddRange(stubs.Length == 0 ? AllStubs : stubs);
        return test;
    }

    /// <summary>Diagnostics only (the fix must leave marked code unchanged when nothing is reported).</summary>
    public static Task VerifyAnalyzerAsync(string testCode, params string[] stubs) => Create(testCode, null, stubs).RunAsync();

    public static Task VerifyCodeFixAsync(string testCode, string fixedCode, params string[] stubs) => Create(testCode, fixedCode, stubs).RunAsync();
}
