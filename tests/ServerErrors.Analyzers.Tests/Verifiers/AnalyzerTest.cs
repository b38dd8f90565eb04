using System.Collections.Immutable;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>
/// Runs one analyzer over test sources in an <see cref="AdhocWorkspace"/> and checks the exact set of
/// diagnostics (id, file and span) against the markup. The sources must compile before analysis, and an
/// analyzer that throws fails the test.
/// </summary>
public class AnalyzerTest<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    private const string ProjectDirectory = "/src/";

    /// <summary>The source under test, with markup for the expected diagnostics.</summary>
    public string TestCode { get; set; } = string.Empty;

    /// <summary>More files (stubs of packages the registry copy lacks, for example); markup allowed.</summary>
    public List<string> AdditionalSources { get; } = new();

    /// <summary>Lines of the <c>[*.cs]</c> section of an .editorconfig beside the sources.</summary>
    public string? EditorConfig { get; set; }

    /// <summary>More .editorconfig sections after <c>[*.cs]</c>, verbatim (e.g. <c>[Test0.cs]</c> with <c>generated_code = true</c>).</summary>
    public string? EditorConfigSections { get; set; }

    /// <summary>The file name of <see cref="TestCode"/> (the additional sources are Test1.cs, Test2.cs…).</summary>
    public string TestFileName { get; set; } = "Test0.cs";

    /// <summary>Expected messages, in source order of the diagnostics, when a test pins them.</summary>
    public List<string>? ExpectedMessages { get; set; }

    public ImmutableArray<MetadataReference> References { get; set; } = TestReferences.AspNetCore;

    /// <summary>Adds the global usings of the Web SDK, as a new ASP.NET Core project has them.</summary>
    public bool WebImplicitUsings { get; set; } = true;

    /// <summary>For tests of incomplete or broken code: compiler errors in the sources are expected.</summary>
    public bool AllowCompilerErrors { get; set; }

    public LanguageVersion LanguageVersion { get; set; } = LanguageVersion.Latest;

    /// <summary>The end of line of every source (the markup's line breaks are rewritten to it); fixes must keep it.</summary>
    public string LineEnding { get; set; } = "\n";

    protected TAnalyzer Analyzer { get; } = new();

    internal string DefaultDiagnosticId => Analyzer.SupportedDiagnostics[0].Id;

    public async Task RunAsync()
    {
        var (solution, expected) = CreateSolution(TestCode, AdditionalSources);
        var project = solution.Projects.Single();
        await AssertCompilesAsync(project, "test source", AllowCompilerErrors);
        var actual = await GetDiagnosticsAsync(project);
        AssertDiagnostics(expected, actual, "test source");
        if (ExpectedMessages is not null)
        {
            Assert.Equal(ExpectedMessages, actual.Select(d => d.GetMessage()).ToList());
        }

        await OnAnalyzedAsync(solution, actual);
    }

    protected virtual Task OnAnalyzedAsync(Solution solution, ImmutableArray<Diagnostic> diagnostics) => Task.CompletedTask;

    internal (Solution Solution, List<ExpectedDiagnostic> Expected) CreateSolution(string testCode, IReadOnlyList<string> additionalSources)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId("TestProject");
        var parseOptions = new CSharpParseOptions(LanguageVersion);
        var sources = new List<(string Path, string Markup)> { (ProjectDirectory + TestFileName, testCode) };
        for (var i = 0; i < additionalSources.Count; i++)
        {
            sources.Add((ProjectDirectory + $"Test{i + 1}.cs", additionalSources[i]));
        }

        var expected = new List<ExpectedDiagnostic>();
        var parsed = new List<(string Path, string Source)>();
        foreach (var (path, markup) in sources)
        {
            var (source, diagnostics) = TestMarkup.Parse(markup.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", LineEnding, StringComparison.Ordinal), path, DefaultDiagnosticId);
            parsed.Add((path, source));
            expected.AddRange(diagnostics);
        }

        // Top-level statements need an executable; everything else is a library.
        var hasTopLevelStatements = parsed.Any(p => CSharpSyntaxTree.ParseText(p.Source, parseOptions).GetRoot() is CompilationUnitSyntax unit
            && unit.Members.OfType<GlobalStatementSyntax>().Any());
        var compilationOptions = new CSharpCompilationOptions(
            hasTopLevelStatements ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            // Nullable annotations need C# 8; a test pinned to C# 7.3 compiles without them.
            nullableContextOptions: LanguageVersion.MapSpecifiedToEffectiveVersion() >= LanguageVersion.CSharp8 ? NullableContextOptions.Enable : NullableContextOptions.Disable);

        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId, VersionStamp.Default, "TestProject", "TestProject", LanguageNames.CSharp,
            filePath: ProjectDirectory + "TestProject.csproj",
            compilationOptions: compilationOptions,
            parseOptions: parseOptions,
            metadataReferences: References));

        foreach (var (path, source) in parsed)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, path), Path.GetFileName(path), SourceText.From(source, Encoding.UTF8), filePath: path);
        }

        if (WebImplicitUsings)
        {
            var referencesAspNetCore = References.Any(r => r.Display?.EndsWith("Microsoft.AspNetCore.Http.Abstractions.dll", StringComparison.Ordinal) == true);
            var usings = referencesAspNetCore ? AnalyzerTestDefaults.WebGlobalUsings : string.Join("\n", AnalyzerTestDefaults.WebGlobalUsings.Split('\n').Where(l => !l.Contains("Microsoft.", StringComparison.Ordinal)));
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId), "GlobalUsings.g.cs", SourceText.From(usings.Replace("\n", LineEnding, StringComparison.Ordinal), Encoding.UTF8), filePath: ProjectDirectory + "obj/GlobalUsings.g.cs");
        }

        var editorConfig = "root = true\n\n[*.cs]\n" + (EditorConfig ?? string.Empty) + "\n" + (EditorConfigSections is null ? string.Empty : "\n" + EditorConfigSections + "\n");
        solution = solution.AddAnalyzerConfigDocument(DocumentId.CreateNewId(projectId), ".editorconfig", SourceText.From(editorConfig, Encoding.UTF8), filePath: ProjectDirectory + ".editorconfig");
        return (solution, expected);
    }

    /// <summary>Diagnostics of the analyzer under test, in a stable order. Fails on analyzer exceptions.</summary>
    internal async Task<ImmutableArray<Diagnostic>> GetDiagnosticsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var exceptions = new List<string>();
        var options = new CompilationWithAnalyzersOptions(
            project.AnalyzerOptions,
            onAnalyzerException: (exception, analyzer, diagnostic) => { lock (exceptions) { exceptions.Add(exception.ToString()); } },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var withAnalyzers = compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(Analyzer), options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();

        var crashes = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).Concat(exceptions).ToList();
        if (crashes.Count > 0)
        {
            Assert.Fail("The analyzer threw:\n" + string.Join("\n", crashes));
        }

        foreach (var diagnostic in diagnostics)
        {
            // Formatting the message proves the arguments match the message format.
            _ = diagnostic.GetMessage();
        }

        return diagnostics
            .OrderBy(d => d.Location.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ThenBy(d => d.Location.SourceSpan.End)
            .ThenBy(d => d.Id, StringComparer.Ordinal)
            .ToImmutableArray();
    }

    internal static async Task AssertCompilesAsync(Project project, string what, bool allowErrors, int? maxErrors = null)
    {
        var compilation = (await project.GetCompilationAsync())!;
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (allowErrors)
        {
            if (maxErrors is { } max && errors.Count > max)
            {
                Assert.Fail($"The {what} has {errors.Count} compiler errors, more than the {max} it started with:\n{Describe(errors)}");
            }

            return;
        }

        if (errors.Count > 0)
        {
            Assert.Fail($"The {what} does not compile:\n{Describe(errors)}");
        }
    }

    internal static async Task<int> CountCompilerErrorsAsync(Project project)
        => (await project.GetCompilationAsync())!.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);

    internal static void AssertDiagnostics(IReadOnlyCollection<ExpectedDiagnostic> expected, IReadOnlyCollection<Diagnostic> actual, string where)
    {
        var actualKeys = actual.Select(d => new ExpectedDiagnostic(d.Id, d.Location.SourceTree?.FilePath ?? "<none>", d.Location.SourceSpan)).ToList();
        var missing = Subtract(expected, actualKeys);
        var extra = Subtract(actualKeys, expected);
        if (missing.Count == 0 && extra.Count == 0)
        {
            return;
        }

        var message = new StringBuilder($"Diagnostics in the {where} do not match.\n");
        foreach (var m in missing)
        {
            message.AppendLine($"  missing: {Describe(m, actual)}");
        }

        foreach (var e in extra)
        {
            var diagnostic = actual.First(d => d.Id == e.Id && d.Location.SourceSpan == e.Span && d.Location.SourceTree?.FilePath == e.Path);
            message.AppendLine($"  unexpected: {e.Id} at {e.Path}{diagnostic.Location.GetLineSpan().Span} '{diagnostic.Location.SourceTree!.GetText().ToString(e.Span)}': {diagnostic.GetMessage()}");
        }

        Assert.Fail(message.ToString());
    }

    private static string Describe(ExpectedDiagnostic expected, IReadOnlyCollection<Diagnostic> actual)
    {
        var tree = actual.Select(d => d.Location.SourceTree).FirstOrDefault(t => t?.FilePath == expected.Path);
        var text = tree is not null && expected.Span.End <= tree.Length ? $" '{tree.GetText().ToString(expected.Span)}'" : string.Empty;
        return $"{expected.Id} at {expected.Path}[{expected.Span.Start}..{expected.Span.End})" + text;
    }

    private static string Describe(IEnumerable<Diagnostic> diagnostics) => string.Join("\n", diagnostics.Select(d => "  " + d));

    private static List<ExpectedDiagnostic> Subtract(IEnumerable<ExpectedDiagnostic> from, IEnumerable<ExpectedDiagnostic> remove)
    {
        var result = from.ToList();
        foreach (var item in remove)
        {
            result.Remove(item);
        }

        return result;
    }
}

/// <summary>The implicit usings of a Web SDK project (`dotnet new web`), shared by the rule tests and the docs-example test.</summary>
public static class AnalyzerTestDefaults
{
    public const string WebGlobalUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Net.Http.Json;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        global using global::Microsoft.AspNetCore.Builder;
        global using global::Microsoft.AspNetCore.Hosting;
        global using global::Microsoft.AspNetCore.Http;
        global using global::Microsoft.AspNetCore.Routing;
        global using global::Microsoft.Extensions.Configuration;
        global using global::Microsoft.Extensions.DependencyInjection;
        global using global::Microsoft.Extensions.Hosting;
        global using global::Microsoft.Extensions.Logging;
        """;
}
