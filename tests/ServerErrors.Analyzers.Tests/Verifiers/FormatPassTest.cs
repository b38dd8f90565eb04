using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>
/// What <c>dotnet format analyzers</c> does with one rule: it takes the first diagnostic of the rule, the first code
/// action offered for it and that action's equivalence key, and runs the fix provider's FixAll once, in solution scope,
/// with that key. Checks that this one pass leaves none of the rule's diagnostics, that the code still compiles, and
/// (unless the rule documents a deliberate exception) that every diagnostic's first action has the same key; and that
/// the pass with no key (dotnet format's case when another rule of the same family reported first) gives the same code.
/// </summary>
public sealed class FormatPassTest<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public string TestCode { get; set; } = string.Empty;

    public List<string> AdditionalSources { get; } = new();

    public ImmutableArray<MetadataReference> References { get; set; } = TestReferences.AspNetCore;

    /// <summary>How many diagnostics the mixed shapes raise: proves every shape is really there.</summary>
    public int ExpectedDiagnostics { get; set; }

    /// <summary>False only where the first action is a different choice per diagnostic, and FixAll with either key covers all.</summary>
    public bool SameFirstKey { get; set; } = true;

    public async Task RunAsync()
    {
        var harness = new AnalyzerTest<TAnalyzer> { References = References };
        var (solution, _) = harness.CreateSolution(TestCode, AdditionalSources);
        var project = solution.Projects.Single();
        await AnalyzerTest<TAnalyzer>.AssertCompilesAsync(project, "test source", allowErrors: false);
        var fix = new TCodeFix();
        var diagnostics = (await harness.GetDiagnosticsAsync(project)).Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).ToList();
        Assert.Equal(ExpectedDiagnostics, diagnostics.Count);

        var keys = new List<string>();
        foreach (var diagnostic in diagnostics)
        {
            var actions = new List<CodeAction>();
            var document = solution.GetDocument(diagnostic.Location.SourceTree)!;
            await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (a, _) => actions.Add(a), CancellationToken.None));
            Assert.True(actions.Count > 0, $"No code action for {diagnostic.Id} at {diagnostic.Location.GetLineSpan()}: dotnet format would skip the rule when it comes first.");
            keys.Add(actions[0].EquivalenceKey!);
        }

        if (SameFirstKey)
        {
            Assert.True(keys.Distinct().Count() == 1, "First actions differ in equivalence key: " + string.Join(", ", keys));
        }

        var original = solution;
        solution = await PassAsync(original, harness, fix, diagnostics, id => keys[diagnostics.FindIndex(d => d.Id == id)]);

        // The package ships families that report several rules: when dotnet format's first diagnostic is another
        // rule's, this fix offers no action for it and FixAll is asked with a null key. It must do the same.
        var withoutKey = await PassAsync(original, harness, fix, diagnostics, _ => null);
        foreach (var document in solution.Projects.Single().Documents)
        {
            Assert.Equal((await document.GetTextAsync()).ToString(), (await withoutKey.GetDocument(document.Id)!.GetTextAsync()).ToString());
        }

        project = solution.Projects.Single();
        await AnalyzerTest<TAnalyzer>.AssertCompilesAsync(project, "code after one FixAll pass", allowErrors: false);
        var left = (await harness.GetDiagnosticsAsync(project)).Where(d => fix.FixableDiagnosticIds.Contains(d.Id)).ToList();
        Assert.True(left.Count == 0, "One FixAll pass left:\n" + string.Join("\n", left.Select(d => $"  {d.Id} {d.Location.GetLineSpan()}: {d.Location.SourceTree!.GetText().ToString(d.Location.SourceSpan)}"))
            + "\n--- code ---\n" + (await project.Documents.First().GetTextAsync()));
    }

    private static async Task<Solution> PassAsync(Solution solution, AnalyzerTest<TAnalyzer> harness, TCodeFix fix, List<Diagnostic> diagnostics, Func<string, string?> keyOf)
    {
        foreach (var id in diagnostics.Select(d => d.Id).Distinct())
        {
            var first = diagnostics.First(d => d.Id == id);
            var key = keyOf(id);
            var context = new FixAllContext(
                solution.GetDocument(first.Location.SourceTree)!, fix, FixAllScope.Solution, key!, ImmutableArray.Create(id), new Provider(harness), CancellationToken.None);
            var action = await fix.GetFixAllProvider()!.GetFixAsync(context);
            Assert.True(action is not null, $"FixAll offered no action for {id} with key {key ?? "null"}.");
            var operations = await action!.GetOperationsAsync(CancellationToken.None);
            solution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        }

        return solution;
    }

    private sealed class Provider : FixAllContext.DiagnosticProvider
    {
        private readonly AnalyzerTest<TAnalyzer> _harness;

        public Provider(AnalyzerTest<TAnalyzer> harness) => _harness = harness;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => (await _harness.GetDiagnosticsAsync(document.Project)).Where(d => d.Location.SourceTree?.FilePath == document.FilePath);

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await _harness.GetDiagnosticsAsync(project);
    }
}
