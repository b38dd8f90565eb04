using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>samples/Client/RetryPolicyExamples.cs trips each of SE2001-SE2004.</summary>
public class RetryPolicySampleTests
{
    private static readonly string SamplePath = Path.Combine(FindRepositoryRoot(), "samples", "Client", "RetryPolicyExamples.cs");

    [Theory]
    [InlineData(typeof(RetryPredicateAnalyzer), "SE2001", 2)]
    [InlineData(typeof(RetryBackoffAnalyzer), "SE2002", 3)]
    [InlineData(typeof(RetryAfterIgnoredAnalyzer), "SE2003", 2)]
    [InlineData(typeof(UnboundedRetryAnalyzer), "SE2004", 2)]
    public async Task SampleTripsRule(Type analyzer, string id, int expected)
    {
        var method = typeof(RetryPolicySampleTests).GetMethod(nameof(CountAsync), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Static)!.MakeGenericMethod(analyzer);
        var count = await (Task<int>)method.Invoke(null, new object[] { id })!;
        Assert.Equal(expected, count);
    }

    private static async Task<int> CountAsync<TAnalyzer>(string id)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new AnalyzerTest<TAnalyzer>
        {
            TestCode = File.ReadAllText(SamplePath),
            References = TestReferences.AspNetCore.AddRange(TestReferences.Polly),
        };
        var (solution, _) = test.CreateSolution(test.TestCode, test.AdditionalSources);
        var project = solution.Projects.Single();
        await AnalyzerTest<TAnalyzer>.AssertCompilesAsync(project, "sample", allowErrors: false);
        return (await test.GetDiagnosticsAsync(project)).Count(d => d.Id == id);
    }

    private static string FindRepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "ServerErrors.Analyzers.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("Repository root not found.");
    }
}
