using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// Every example of docs/rules/*.md is compiled and analyzed (the convention is in docs/CONTRIBUTING.md):
/// a ```csharp block right after a line <c>Bad:</c> or <c>Good:</c> is a whole C# file of a web project (the Web SDK's
/// implicit usings; Polly, Polly.Extensions.Http and Microsoft.Extensions.Http.Resilience referenced). It must compile.
/// A Good block raises no SE diagnostic. In a Bad block, every line with a <c>// SEnnnn</c> comment (<c>×N</c> for N
/// diagnostics) is reported with exactly that, nothing else is reported, and the page's own rule is among them.
/// </summary>
public class DocsExamplesTests
{
    // Pages whose examples are configuration, not code.
    private static readonly HashSet<string> ConfigurationRules = new() { "SE0001" };

    private static readonly Regex Marker = new(@"\b(SE\d{4})(?:\s*×\s*(\d+))?", RegexOptions.Compiled);

    // The Web SDK's implicit usings: the same set the rule tests compile with.
    private const string WebSdkImplicitUsings = AnalyzerTestDefaults.WebGlobalUsings;

    private static readonly Lazy<ImmutableArray<DiagnosticAnalyzer>> AllAnalyzers = new(() => typeof(Descriptors).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray());

    public static TheoryData<string, int> Examples()
    {
        var data = new TheoryData<string, int>();
        foreach (var page in Pages())
        {
            for (var i = 0; i < Blocks(page).Count(b => b.Label is not null); i++)
            {
                data.Add(page, i);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Examples))]
    public async Task Example_CompilesAndRaisesWhatItSays(string page, int index)
    {
        var block = Blocks(page).Where(b => b.Label is not null).ElementAt(index);
        var where = $"docs/rules/{page}.md, {block.Label} example at line {block.Line}";
        var diagnostics = await AnalyzeAsync(block.Code, where);

        var actual = diagnostics
            .GroupBy(d => d.Location.GetLineSpan().StartLinePosition.Line + 1)
            .SelectMany(g => g.GroupBy(d => d.Id).Select(ids => (Line: g.Key, Id: ids.Key, Count: ids.Count())))
            .OrderBy(x => x.Line).ThenBy(x => x.Id, StringComparer.Ordinal)
            .ToList();
        var expected = Markers(block.Code);

        if (block.Label == "Good")
        {
            Assert.True(expected.Count == 0, $"{where}: a Good example must not carry // SEnnnn markers.");
            Assert.True(actual.Count == 0, $"{where}: a Good example raises {Describe(actual, block)}");
            return;
        }

        Assert.True(expected.Any(m => m.Id == page), $"{where}: a Bad example must mark at least one line with // {page}.");
        var mismatch = actual.Where(a => !expected.Any(e => e.Line == a.Line && e.Id == a.Id && (e.Count is null || e.Count == a.Count))).ToList();
        var unreported = expected.Where(e => !actual.Any(a => a.Line == e.Line && a.Id == e.Id && (e.Count is null || e.Count == a.Count))).ToList();
        Assert.True(
            mismatch.Count == 0 && unreported.Count == 0,
            $"{where}:\n  reported but not marked (or a different count): {Describe(mismatch, block)}\n"
            + $"  marked but not reported: {string.Join("; ", unreported.Select(u => $"line {block.Line + u.Line - 1} {u.Id}{(u.Count is { } c ? " ×" + c : string.Empty)}"))}");
    }

    [Fact]
    public void EveryRulePageHasCheckedBadAndGoodExamples()
    {
        var pages = Pages().ToList();
        Assert.NotEmpty(pages);
        foreach (var page in pages)
        {
            var blocks = Blocks(page);
            if (!ConfigurationRules.Contains(page))
            {
                Assert.True(blocks.Any(b => b.Label == "Bad"), $"docs/rules/{page}.md has no ```csharp block after a 'Bad:' line.");
                Assert.True(blocks.Any(b => b.Label == "Good"), $"docs/rules/{page}.md has no ```csharp block after a 'Good:' line.");
            }

            // A block that shows what is reported must be checked: label it Bad.
            foreach (var block in blocks.Where(b => b.Label is null))
            {
                Assert.True(
                    Markers(block.Code).Count == 0,
                    $"docs/rules/{page}.md line {block.Line}: a ```csharp block with // SEnnnn markers must follow a 'Bad:' line, so that it is checked.");
            }
        }
    }

    [Fact]
    public void TheConventionFindsBlocks()
    {
        var blocks = ParseBlocks("""
            Bad:

            ```csharp
            var x = 1; // SE1001 ×2
            ```

            Good:
            ```csharp
            var y = 2;
            ```

            ```csharp
            #pragma warning disable SE1001
            ```
            """);
        Assert.Equal(new string?[] { "Bad", "Good", null }, blocks.Select(b => b.Label).ToArray());
        Assert.Equal(4, blocks[0].Line);
        Assert.Equal(new[] { (1, "SE1001", (int?)2) }, Markers(blocks[0].Code).Select(m => (m.Line, m.Id, m.Count)).ToArray());
        Assert.Empty(Markers(blocks[2].Code));
    }

    private static IEnumerable<string> Pages()
        => Directory.GetFiles(Path.Combine(RepositoryFiles.Root, "docs/rules"), "SE*.md")
            .Select(Path.GetFileNameWithoutExtension)
            .Select(p => p!)
            .OrderBy(p => p, StringComparer.Ordinal);

    private static List<DocBlock> Blocks(string page) => ParseBlocks(RepositoryFiles.Read($"docs/rules/{page}.md"));

    /// <summary>```csharp blocks, labelled by the last non-blank line before the fence when it is "Bad:" or "Good:".</summary>
    internal static List<DocBlock> ParseBlocks(string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<DocBlock>();
        string? previous = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                var language = line.Trim().Substring(3).Trim();
                var start = i + 1;
                var end = start;
                while (end < lines.Length && !lines[end].TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    end++;
                }

                if (language == "csharp")
                {
                    var label = previous?.Trim() switch { "Bad:" => "Bad", "Good:" => "Good", _ => null };
                    blocks.Add(new DocBlock(label, start + 1, string.Join("\n", lines[start..Math.Min(end, lines.Length)])));
                }

                i = end;
                previous = null;
                continue;
            }

            if (line.Trim().Length > 0)
            {
                previous = line;
            }
        }

        return blocks;
    }

    /// <summary>The rule ids a line's trailing // comment names, with the ×N count when given.</summary>
    private static List<(int Line, string Id, int? Count)> Markers(string code)
    {
        var result = new List<(int, string, int?)>();
        var tree = CSharpSyntaxTree.ParseText(code);
        foreach (var trivia in tree.GetRoot().DescendantTrivia())
        {
            if (!trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            {
                continue;
            }

            var line = trivia.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
            foreach (Match match in Marker.Matches(trivia.ToString()))
            {
                result.Add((line, match.Groups[1].Value, match.Groups[2].Success ? int.Parse(match.Groups[2].Value) : null));
            }
        }

        return result;
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(string code, string where)
    {
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest);
        var example = CSharpSyntaxTree.ParseText(code, parseOptions, path: "/docs/Example.cs");
        var trees = new List<SyntaxTree> { example, CSharpSyntaxTree.ParseText(WebSdkImplicitUsings, parseOptions, path: "/docs/obj/GlobalUsings.g.cs") };
        var stubs = PolicyVerifier<Client.RetryPredicateAnalyzer, CodeFixes.Client.RetryPredicateCodeFix>.AllStubs;
        for (var i = 0; i < stubs.Length; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(stubs[i], parseOptions, path: $"/docs/stubs/Stub{i}.cs"));
        }

        var topLevel = ((CompilationUnitSyntax)example.GetRoot()).Members.OfType<GlobalStatementSyntax>().Any();
        var compilation = CSharpCompilation.Create(
            "DocsExample",
            trees,
            TestReferences.AspNetCore.AddRange(TestReferences.Polly),
            new CSharpCompilationOptions(topLevel ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(errors.Count == 0, $"{where} does not compile:\n{string.Join("\n", errors.Select(e => "  " + e))}");

        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            onAnalyzerException: (exception, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(exception.ToString()); } },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(AllAnalyzers.Value, options).GetAnalyzerDiagnosticsAsync();
        Assert.True(exceptions.Count == 0 && !diagnostics.Any(d => d.Id == "AD0001"), $"{where}: an analyzer threw:\n{string.Join("\n", exceptions)}");
        return diagnostics.Where(d => d.Location.SourceTree == example).ToImmutableArray();
    }

    // Lines are those of the Markdown page.
    private static string Describe(IEnumerable<(int Line, string Id, int Count)> diagnostics, DocBlock block)
    {
        var lines = block.Code.Split('\n');
        var text = string.Join("; ", diagnostics.Select(d => $"line {block.Line + d.Line - 1} {d.Id}{(d.Count > 1 ? " ×" + d.Count : string.Empty)} '{lines[d.Line - 1].Trim()}'"));
        return text.Length == 0 ? "nothing" : text;
    }

    internal sealed record DocBlock(string? Label, int Line, string Code);
}
