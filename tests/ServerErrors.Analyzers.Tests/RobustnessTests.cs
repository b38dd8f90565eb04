using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// The analyzers and fixes never throw, whatever state the code is in: every sample file, cut off at many points
/// (code being typed), goes through all analyzers, and every fix offered on the result is computed.
/// </summary>
public class RobustnessTests
{
    private const int CutsPerFile = 20;

    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    private static readonly ImmutableArray<CodeFixProvider> Fixes = typeof(ServerErrors.Analyzers.CodeFixes.Server.DetailedErrorsOutsideDevelopmentCodeFix).Assembly.GetTypes()
        .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    /// <summary>The sample files that demonstrate a rule (they name it).</summary>
    public static TheoryData<string> SampleFiles()
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.EnumerateFiles(Path.Combine(RepositoryFiles.Root, "samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(f), @"SE\d{4}"))
            .Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetRelativePath(RepositoryFiles.Root, file));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(SampleFiles))]
    public async Task TruncatedSamples_NeverThrow(string relativePath)
    {
        var text = File.ReadAllText(Path.Combine(RepositoryFiles.Root, relativePath));
        var reported = 0;
        for (var cut = 1; cut <= CutsPerFile; cut++)
        {
            var source = text[..(text.Length * cut / CutsPerFile)];
            reported += await AnalyzeAndFixAsync(source, $"{relativePath} cut at {cut}/{CutsPerFile}");
        }

        // The whole file is the last cut: the samples trip the rules, so the run above really exercised them.
        Assert.True(reported > 0, $"{relativePath}: no diagnostics at all, so nothing was exercised.");
    }

    private static async Task<int> AnalyzeAndFixAsync(string source, string what)
    {
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId();
        var solution = workspace.CurrentSolution
            .AddProject(ProjectInfo.Create(projectId, VersionStamp.Default, "Robustness", "Robustness", LanguageNames.CSharp,
                compilationOptions: new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable),
                parseOptions: new CSharpParseOptions(LanguageVersion.Latest),
                metadataReferences: TestReferences.AspNetCore.AddRange(TestReferences.Polly)))
            .AddDocument(DocumentId.CreateNewId(projectId), "Usings.cs", SourceText.From(Usings), filePath: "/src/Usings.cs")
            .AddDocument(DocumentId.CreateNewId(projectId), "Test.cs", SourceText.From(source), filePath: "/src/Test.cs");
        var project = solution.Projects.Single();
        var document = project.Documents.Single(d => d.Name == "Test.cs");

        var exceptions = new List<string>();
        var compilation = (await project.GetCompilationAsync())!;
        var diagnostics = await compilation.WithAnalyzers(Analyzers, new CompilationWithAnalyzersOptions(
                project.AnalyzerOptions,
                (exception, analyzer, _) => { lock (exceptions) { exceptions.Add($"{analyzer.GetType().Name}: {exception}"); } },
                concurrentAnalysis: true,
                logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync();
        exceptions.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()));

        foreach (var diagnostic in diagnostics.Where(d => d.Location.IsInSource && d.Id != "AD0001"))
        {
            foreach (var fix in Fixes.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                try
                {
                    var actions = new List<CodeAction>();
                    await fix.RegisterCodeFixesAsync(new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None));
                    foreach (var action in actions)
                    {
                        await action.GetOperationsAsync(CancellationToken.None);
                    }
                }
                catch (Exception exception)
                {
                    exceptions.Add($"{fix.GetType().Name} on {diagnostic.Id} at {diagnostic.Location.GetLineSpan().Span}: {exception}");
                }
            }
        }

        Assert.True(exceptions.Count == 0, $"{what}:\n{string.Join("\n", exceptions)}");
        return diagnostics.Length;
    }

    /// <summary>The global usings of a web project, shared with <see cref="AnalyzerFamilyTests"/>.</summary>
    internal const string Usings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Net.Http.Json;
        global using System.Threading;
        global using System.Threading.Tasks;
        global using Microsoft.AspNetCore.Builder;
        global using Microsoft.AspNetCore.Hosting;
        global using Microsoft.AspNetCore.Http;
        global using Microsoft.AspNetCore.Routing;
        global using Microsoft.Extensions.Configuration;
        global using Microsoft.Extensions.DependencyInjection;
        global using Microsoft.Extensions.Hosting;
        global using Microsoft.Extensions.Logging;
        """;
}
