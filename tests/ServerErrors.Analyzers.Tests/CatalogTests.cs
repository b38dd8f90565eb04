using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>Keeps the descriptor catalog, the analyzers, the fixes, the release file and the docs in step.</summary>
public class CatalogTests
{
    private static readonly Assembly AnalyzerAssembly = typeof(Descriptors).Assembly;
    private static readonly Assembly CodeFixAssembly = typeof(ServerErrors.Analyzers.CodeFixes.Server.DetailedErrorsOutsideDevelopmentCodeFix).Assembly;

    // Diagnostics about configuration have nothing to fix in code.
    private static readonly HashSet<string> WithoutCodeFix = new() { "SE0001" };

    public static TheoryData<string> ReportedIds()
    {
        var data = new TheoryData<string>();
        foreach (var id in Reported().Select(d => d.Id).Distinct().Order())
        {
            data.Add(id);
        }

        return data;
    }

    [Fact]
    public void EveryDescriptorIsUniqueAndWellFormed()
    {
        var descriptors = Catalog();
        Assert.Equal(descriptors.Count, descriptors.Select(d => d.Id).Distinct().Count());
        foreach (var descriptor in descriptors)
        {
            Assert.Matches(@"^SE\d{4}$", descriptor.Id);
            Assert.Equal($"https://github.com/server-errors/ServerErrors.Analyzers/blob/main/docs/rules/{descriptor.Id}.md", descriptor.HelpLinkUri);
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
            Assert.False(string.IsNullOrWhiteSpace(descriptor.Description.ToString()));
            Assert.True(descriptor.IsEnabledByDefault);
        }
    }

    [Fact]
    public void ReleaseFileListsExactlyTheReportedRules()
    {
        var released = Regex.Matches(RepositoryFiles.Read("src/Analyzers/AnalyzerReleases.Shipped.md") + RepositoryFiles.Read("src/Analyzers/AnalyzerReleases.Unshipped.md"), @"^(SE\d{4})\s*\|\s*(\w+)\s*\|\s*(\w+)", RegexOptions.Multiline)
            .ToDictionary(m => m.Groups[1].Value, m => (Category: m.Groups[2].Value, Severity: m.Groups[3].Value));
        var reported = Reported().DistinctBy(d => d.Id).ToDictionary(d => d.Id);

        Assert.Equal(reported.Keys.Order(), released.Keys.Order());
        foreach (var (id, descriptor) in reported)
        {
            Assert.Equal(descriptor.Category, released[id].Category);
            Assert.Equal(descriptor.DefaultSeverity.ToString(), released[id].Severity);
        }
    }

    [Theory]
    [MemberData(nameof(ReportedIds))]
    public void EveryReportedRuleHasDocsReadmeRowAndFix(string id)
    {
        var page = RepositoryFiles.Read($"docs/rules/{id}.md");
        var descriptor = Catalog().Single(d => d.Id == id);
        Assert.StartsWith($"# {id}: {descriptor.Title}", page);
        foreach (var section in new[] { "## What it flags", "## Why", "## Examples", "## The fix", "## Options", "## How to suppress" })
        {
            Assert.Contains(section, page);
        }

        Assert.Matches($@"\|\s*\[{id}\]\(docs/rules/{id}\.md\)\s*\|", RepositoryFiles.Read("README.md"));

        if (!WithoutCodeFix.Contains(id))
        {
            var fixes = CodeFixAssembly.GetTypes()
                .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract)
                .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
                .Where(f => f.FixableDiagnosticIds.Contains(id))
                .ToList();
            Assert.True(fixes.Count == 1, $"{id} needs exactly one code fix provider, found {fixes.Count}.");
            Assert.NotNull(fixes[0].GetFixAllProvider());
        }
    }

    [Fact]
    public void ReleaseNotesAndChangelogLinkEachRulesDocumentation()
    {
        var release = RepositoryFiles.Read("src/Analyzers/AnalyzerReleases.Shipped.md") + RepositoryFiles.Read("src/Analyzers/AnalyzerReleases.Unshipped.md");
        var changelog = RepositoryFiles.Read("CHANGELOG.md");
        Assert.StartsWith("# Changelog", changelog);
        Assert.Contains("## [Unreleased]", changelog);
        foreach (var descriptor in Reported().DistinctBy(d => d.Id))
        {
            // The Notes column of the release-tracking table: analyzer name(s), then the documentation link.
            Assert.Matches($@"(?m)^{descriptor.Id}\s*\|[^\n]*\|[^\n]*\|[^\n]*\[Documentation\]\({Regex.Escape(descriptor.HelpLinkUri)}\)\s*$", release);
            Assert.Contains($"[{descriptor.Id}](docs/rules/{descriptor.Id}.md)", changelog);
        }
    }

    [Theory]
    [InlineData("Recommended")]
    [InlineData("All")]
    [InlineData("None")]
    public void AnalysisModePresetCoversEveryRule(string mode)
    {
        var config = RepositoryFiles.Read($"src/Package/buildTransitive/config/ServerErrors.Analyzers.{mode}.globalconfig");
        Assert.Matches(@"(?m)^is_global = true\s*$", config);

        // Below every user config (a .globalconfig is 100 by default, other global configs 0), above the SDK's own (-100).
        Assert.Matches(@"(?m)^global_level = -1\s*$", config);
        var severities = Regex.Matches(config, @"(?m)^dotnet_diagnostic\.(SE\d{4})\.severity = (\w+)\s*$")
            .ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
        var expected = Reported().DistinctBy(d => d.Id)
            .Where(d => mode != "Recommended" || d.DefaultSeverity == DiagnosticSeverity.Info)
            .ToDictionary(d => d.Id, _ => mode switch { "Recommended" => "warning", "All" => "error", _ => "none" });
        Assert.Equal(expected.OrderBy(p => p.Key), severities.OrderBy(p => p.Key));

        // The .targets selects the file, and the package ships it.
        Assert.Contains($"'$(_ServerErrorsAnalysisMode)' == '{mode}'\">$(MSBuildThisFileDirectory)config/ServerErrors.Analyzers.{mode}.globalconfig", RepositoryFiles.Read("src/Package/buildTransitive/ServerErrors.Analyzers.targets"));
        Assert.Contains(@"<None Include=""buildTransitive/config/*.globalconfig"" Pack=""true"" PackagePath=""buildTransitive/config/"" />", RepositoryFiles.Read("src/Package/ServerErrors.Analyzers.Package.csproj"));
    }

    [Fact]
    public void AnalyzerAndFixFilesShareNames()
    {
        foreach (var fix in CodeFixAssembly.GetTypes().Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract))
        {
            Assert.EndsWith("CodeFix", fix.Name);
            var analyzerName = fix.Name[..^"CodeFix".Length] + "Analyzer";
            Assert.True(AnalyzerAssembly.GetTypes().Any(t => t.Name == analyzerName), $"{fix.Name} has no {analyzerName}.");
        }
    }

    private static List<DiagnosticDescriptor> Catalog()
        => typeof(Descriptors).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!)
            .ToList();

    private static IEnumerable<DiagnosticDescriptor> Reported()
        => AnalyzerAssembly.GetTypes()
            .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .SelectMany(t => ((DiagnosticAnalyzer)Activator.CreateInstance(t)!).SupportedDiagnostics);
}
