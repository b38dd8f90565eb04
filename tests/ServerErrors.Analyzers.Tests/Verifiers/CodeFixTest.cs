using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
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

    /// <summary>
    /// Expected code after fixing the C# 7.3 variant of the test (see <see cref="OnAnalyzedAsync"/>) when it
    /// legitimately differs from <see cref="FixedCode"/>; without implicit usings a fix may have to add a using.
    /// </summary>
    public string? FixedCodeCSharp7_3 { get; set; }

    /// <summary>Set when the C# 7.3 variant of this test ran (its input compiled there); for the verifier's self-tests.</summary>
    internal bool RanCSharp7_3 { get; private set; }

    protected TCodeFix CodeFix { get; } = new();

    /// <summary>
    /// Checks the fixes on the test as written and then, when the input also compiles as a C# 7.3 project
    /// without implicit usings (netstandard2.0 and .NET Framework projects), the same test there: the same
    /// diagnostics, and fixed code that compiles on C# 7.3.
    /// </summary>
    protected override async Task OnAnalyzedAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics)
    {
        await VerifyFixesAsync(solution, diagnostics, FixedCode, BatchFixedCode, string.Empty);
        if (LanguageVersion == LanguageVersion.CSharp7_3 || AllowCompilerErrors)
        {
            return;
        }

        var (languageVersion, implicitUsings) = (LanguageVersion, WebImplicitUsings);
        LanguageVersion = LanguageVersion.CSharp7_3;
        WebImplicitUsings = false;
        try
        {
            var (legacy, expected) = CreateSolution(TestCode, AdditionalSources);
            if (await CountCompilerErrorsAsync(legacy.Projects.Single()) > 0)
            {
                return; // the input needs a newer language version (or implicit usings): nothing to prove here
            }

            RanCSharp7_3 = true;
            var legacyDiagnostics = await GetDiagnosticsAsync(legacy.Projects.Single());
            AssertDiagnostics(expected, legacyDiagnostics, "test source compiled as C# 7.3");
            await VerifyFixesAsync(legacy, legacyDiagnostics, FixedCodeCSharp7_3 ?? FixedCode, FixedCodeCSharp7_3 ?? BatchFixedCode, " (C# 7.3)");
        }
        finally
        {
            (LanguageVersion, WebImplicitUsings) = (languageVersion, implicitUsings);
        }
    }

    private async Task VerifyFixesAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics, string fixedCode, string? batchFixedCode, string variant)
    {
        var fixedSources = FixedAdditionalSources.Count > 0 ? FixedAdditionalSources : AdditionalSources;
        var project = solution.Projects.Single();
        var errorsBefore = await CountCompilerErrorsAsync(project);
        var otherRulesBefore = await OtherRuleCountsAsync(project);
        foreach (var (id, count) in await CompilerWarningCountsAsync(project))
        {
            otherRulesBefore[id] = count; // compiler warnings share the check: -warnaserror fails on a new CS0168 as on a new SE2003
        }

        if (ExpectedCodeActionTitles is not null && diagnostics.Length > 0)
        {
            var document = solution.GetDocument(diagnostics[0].Location.SourceTree)!;
            var offered = await GetActionsAsync(document, diagnostics[0]);
            Assert.Equal(ExpectedCodeActionTitles, offered.Select(a => a.Title).ToList());
        }

        var oneByOne = await FixOneAtATimeAsync(solution);
        await AssertFixedAsync(oneByOne, fixedCode, fixedSources, "code after fixing one diagnostic at a time" + variant, errorsBefore, otherRulesBefore);

        var fixAll = CodeFix.GetFixAllProvider();
        Assert.True(fixAll is not null, $"{typeof(TCodeFix).Name} has no FixAllProvider.");
        foreach (var scope in new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution })
        {
            var batchFixed = await FixAllAsync(solution, fixAll!, scope);
            await AssertFixedAsync(batchFixed, batchFixedCode ?? fixedCode, fixedSources, $"code after FixAll in {scope} scope" + variant, errorsBefore, otherRulesBefore);
        }
    }

    private async Task AssertFixedAsync(Solution actual, string fixedCode, IReadOnlyList<string> fixedSources, string what, int errorsBefore, Dictionary<string, int> otherRulesBefore)
    {
        var (expectedSolution, expectedDiagnostics) = CreateSolution(fixedCode, fixedSources);
        foreach (var expectedDocument in expectedSolution.Projects.Single().Documents)
        {
            var actualDocument = actual.Projects.Single().Documents.Single(d => d.FilePath == expectedDocument.FilePath);
            var expectedText = Normalize((await expectedDocument.GetTextAsync()).ToString());
            var rawText = (await actualDocument.GetTextAsync()).ToString();
            var actualText = Normalize(rawText);
            if (expectedText != actualText)
            {
                Assert.Fail($"The {what} in {expectedDocument.FilePath} differs from the expected code.\n--- expected ---\n{expectedText}\n--- actual ---\n{actualText}\n--- first difference at line {FirstDifferentLine(expectedText, actualText)} ---");
            }

            // The text comparison ignores line endings; the fix must still write the file's own everywhere.
            var foreign = LineEnding == "\n" ? rawText.IndexOf('\r', StringComparison.Ordinal) : BareLineFeed(rawText);
            if (foreign >= 0)
            {
                Assert.Fail($"The {what} in {expectedDocument.FilePath} mixes line endings: the file uses {(LineEnding == "\n" ? "LF" : "CRLF")}, line {rawText.AsSpan(0, foreign).Count('\n') + 1} does not.");
            }
        }

        var project = actual.Projects.Single();
        await AssertCompilesAsync(project, what, AllowCompilerErrors, errorsBefore);
        AssertDiagnostics(expectedDiagnostics, await GetDiagnosticsAsync(project), what);
        await AssertNoNewOtherRuleDiagnosticsAsync(project, otherRulesBefore, what);
    }

    /// <summary>
    /// A fix must not trade one of our diagnostics for another: the fixed code may carry no more diagnostics of
    /// the package's other rules, nor compiler warnings (CS0168 unused catch variable, say), per file and id,
    /// than the input did. Locations move with the edit, so counts
    /// are compared; the rule under test is checked exactly by the markup.
    /// </summary>
    private async Task AssertNoNewOtherRuleDiagnosticsAsync(Project project, Dictionary<string, int> before, string what)
    {
        var after = await OtherRuleDiagnosticsAsync(project);
        after.AddRange(await CompilerWarningsAsync(project));
        var added = new List<string>();
        foreach (var group in after.GroupBy(Key))
        {
            var had = before.TryGetValue(group.Key, out var count) ? count : 0;
            if (group.Count() > had)
            {
                added.AddRange(group.Select(d => $"  {d.Id} at {d.Location.SourceTree?.FilePath}{d.Location.GetLineSpan().Span}: {d.GetMessage()}"));
            }
        }

        Assert.True(added.Count == 0, $"The {what} raises diagnostics of other rules (or compiler warnings) that the input did not have:\n{string.Join("\n", added)}");
    }

    private async Task<Dictionary<string, int>> OtherRuleCountsAsync(Project project)
        => (await OtherRuleDiagnosticsAsync(project)).GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());

    private static async Task<Dictionary<string, int>> CompilerWarningCountsAsync(Project project)
        => (await CompilerWarningsAsync(project)).GroupBy(Key).ToDictionary(g => g.Key, g => g.Count());

    private static async Task<List<Diagnostic>> CompilerWarningsAsync(Project project)
        => (await project.GetCompilationAsync())!.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Warning && d.Location.IsInSource).ToList();

    private static string Key(Diagnostic d) => d.Id + "@" + d.Location.SourceTree?.FilePath;

    private async Task<List<Diagnostic>> OtherRuleDiagnosticsAsync(Project project)
    {
        var own = Analyzer.SupportedDiagnostics.Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        var compilation = (await project.GetCompilationAsync())!;
        var all = await compilation.WithAnalyzers(PackageAnalyzers.Value, project.AnalyzerOptions).GetAnalyzerDiagnosticsAsync();
        return all.Where(d => d.Id.StartsWith("SE", StringComparison.Ordinal) && !own.Contains(d.Id)).ToList();
    }

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> PackageAnalyzers = new(() => typeof(ServerErrors.Analyzers.Descriptors).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttributes(typeof(DiagnosticAnalyzerAttribute), false).Length > 0)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray());

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

    private static int BareLineFeed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r'))
            {
                return i;
            }
        }

        return -1;
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
