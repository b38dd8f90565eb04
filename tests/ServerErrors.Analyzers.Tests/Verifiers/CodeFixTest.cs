using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>
/// Checks an analyzer and its fix: the diagnostics of <see cref="AnalyzerTest{TAnalyzer}.TestCode"/>,
/// then the code after fixing one diagnostic at a time, then after FixAll in document, project and
/// solution scope (each iterated until nothing is left to fix). Fixed code must compile and carry
/// exactly the diagnostics marked in <see cref="FixedCode"/>.
/// </summary>
public class CodeFixTest<TAnalyzer, TCodeFix> : AnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    private const int MaxIterations = 50;

    /// <summary>The expected code after every diagnostic was fixed; markup marks diagnostics that must remain.</summary>
    public string FixedCode { get; set; } = string.Empty;

    /// <summary>Expected code after FixAll when it legitimately differs from one-by-one fixing.</summary>
    public string? BatchFixedCode { get; set; }

    /// <summary>Fixed versions of <see cref="AnalyzerTest{TAnalyzer}.AdditionalSources"/>; unchanged when empty.</summary>
    public List<string> FixedAdditionalSources { get; } = new();

    /// <summary>The fix variant to apply; the first offered when null.</summary>
    public string? CodeActionEquivalenceKey { get; set; }

    /// <summary>The titles the fix must offer for the first diagnostic, when a test pins them.</summary>
    public List<string>? ExpectedCodeActionTitles { get; set; }

    protected TCodeFix CodeFix { get; } = new();

    protected override async Task OnAnalyzedAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics)
    {
        var fixedSources = FixedAdditionalSources.Count > 0 ? FixedAdditionalSources : AdditionalSources;
        var errorsBefore = await CountCompilerErrorsAsync(solution.Projects.Single());

        if (ExpectedCodeActionTitles is not null && diagnostics.Length > 0)
        {
            var document = solution.GetDocument(diagnostics[0].Location.SourceTree)!;
            var offered = await GetActionsAsync(document, diagnostics[0]);
            Assert.Equal(ExpectedCodeActionTitles, offered.Select(a => a.Title).ToList());
        }

        var oneByOne = await FixOneAtATimeAsync(solution);
        await AssertFixedAsync(oneByOne, FixedCode, fixedSources, "code after fixing one diagnostic at a time", errorsBefore);

        var fixAll = CodeFix.GetFixAllProvider();
        Assert.True(fixAll is not null, $"{typeof(TCodeFix).Name} has no FixAllProvider.");
        foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution })
        {
            var batchFixed = await FixAllAsync(solution, fixAll!, scope);
            await AssertFixedAsync(batchFixed, BatchFixedCode ?? FixedCode, fixedSources, $"code after FixAll in {scope} scope", errorsBefore);
        }
    }

    private async Task AssertFixedAsync(Solution actual, string fixedCode, IReadOnlyList<string> fixedSources, string what, int errorsBefore)
    {
        var (expectedSolution, expectedDiagnostics) = CreateSolution(fixedCode, fixedSources);
        foreach (var expectedDocument in expectedSolution.Projects.Single().Documents)
        {
            var actualDocument = actual.Projects.Single().Documents.Single(d => d.FilePath == expectedDocument.FilePath);
            var expectedText = Normalize((await expectedDocument.GetTextAsync()).ToString());
            var actualText = Normalize((await actualDocument.GetTextAsync()).ToString());
            if (expectedText != actualText)
            {
                Assert.Fail($"The {what} in {expectedDocument.FilePath} differs from the expected code.\n--- expected ---\n{expectedText}\n--- actual ---\n{actualText}\n--- first difference at line {FirstDifferentLine(expectedText, actualText)} ---");
            }
        }

        var project = actual.Projects.Single();
        await AssertCompilesAsync(project, what, AllowCompilerErrors, errorsBefore);
        AssertDiagnostics(expectedDiagnostics, await GetDiagnosticsAsync(project), what);
    }

    private async Task<Solution> FixOneAtATimeAsync(Solution solution)
    {
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = await FindFixAsync(solution);
            if (next is null)
            {
                return solution;
            }

            solution = await ApplyAsync(next.Value.Action);
        }

        Assert.Fail($"Fixing one diagnostic at a time did not converge after {MaxIterations} iterations.");
        return solution;
    }

    private async Task<Solution> FixAllAsync(Solution solution, FixAllProvider provider, FixAllScope scope)
    {
        for (var iteration = 0; iteration < MaxIterations; iteration++)
        {
            var next = await FindFixAsync(solution);
            if (next is null)
            {
                return solution;
            }

            var (document, action) = next.Value;
            var context = new FixAllContext(document, CodeFix, scope, action.EquivalenceKey, CodeFix.FixableDiagnosticIds, new DiagnosticProvider(this), CancellationToken.None);
            var fixAllAction = await provider.GetFixAsync(context);
            Assert.True(fixAllAction is not null, $"FixAll in {scope} scope offered no action.");
            solution = await ApplyAsync(fixAllAction!);
        }

        Assert.Fail($"FixAll in {scope} scope did not converge after {MaxIterations} iterations.");
        return solution;
    }

    /// <summary>The first diagnostic (in source order) for which the fix offers the chosen action.</summary>
    private async Task<(Document Document, CodeAction Action)?> FindFixAsync(Solution solution)
    {
        var project = solution.Projects.Single();
        foreach (var diagnostic in await GetDiagnosticsAsync(project))
        {
            if (!CodeFix.FixableDiagnosticIds.Contains(diagnostic.Id))
            {
                continue;
            }

            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            var actions = await GetActionsAsync(document, diagnostic);
            var action = CodeActionEquivalenceKey is null
                ? actions.FirstOrDefault()
                : actions.FirstOrDefault(a => a.EquivalenceKey == CodeActionEquivalenceKey);
            if (action is not null)
            {
                return (document, action);
            }
        }

        return null;
    }

    private async Task<List<CodeAction>> GetActionsAsync(Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await CodeFix.RegisterCodeFixesAsync(context);
        foreach (var action in actions)
        {
            Assert.False(string.IsNullOrEmpty(action.EquivalenceKey), $"Code action '{action.Title}' has no EquivalenceKey, so FixAll cannot group it.");
        }

        return actions;
    }

    private static async Task<Solution> ApplyAsync(CodeAction action)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None);
        var apply = operations.OfType<ApplyChangesOperation>().SingleOrDefault();
        Assert.True(apply is not null, $"Code action '{action.Title}' does not change the solution.");
        return apply!.ChangedSolution;
    }

    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal);

    private static int FirstDifferentLine(string expected, string actual)
    {
        var e = expected.Split('\n');
        var a = actual.Split('\n');
        var i = 0;
        while (i < e.Length && i < a.Length && e[i] == a[i])
        {
            i++;
        }

        return i + 1;
    }

    private sealed class DiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly CodeFixTest<TAnalyzer, TCodeFix> _test;

        public DiagnosticProvider(CodeFixTest<TAnalyzer, TCodeFix> test) => _test = test;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            return (await _test.GetDiagnosticsAsync(document.Project)).Where(d => d.Location.SourceTree?.FilePath == document.FilePath);
        }

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => (await _test.GetDiagnosticsAsync(project)).Where(d => !d.Location.IsInSource);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await _test.GetDiagnosticsAsync(project);
    }
}

/// <summary>Shortcuts in the style of Microsoft.CodeAnalysis.Testing.</summary>
public static class Verifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAnalyzerAsync(string testCode) => new AnalyzerTest<TAnalyzer> { TestCode = testCode }.RunAsync();
}

public static class Verifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAnalyzerAsync(string testCode) => Verifier<TAnalyzer>.VerifyAnalyzerAsync(testCode);

    public static Task VerifyCodeFixAsync(string testCode, string fixedCode)
        => new CodeFixTest<TAnalyzer, TCodeFix> { TestCode = testCode, FixedCode = fixedCode }.RunAsync();
}
