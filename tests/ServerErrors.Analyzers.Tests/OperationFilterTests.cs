using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// <see cref="OperationFilter"/>: a filtered action runs on the member names it accepts (and on methods of source or
/// indexers when it asks for them), the same in a family as alone; and the Debug build catches a filter that keeps an
/// action out of an operation it reports.
/// </summary>
public class OperationFilterTests
{
    private const string Source = """
        using System.Collections.Generic;

        public sealed class Item
        {
            public string Title { get; set; } = "";
            public string Other { get; set; } = "";
        }

        public static class Code
        {
            public static void Accepted() { }

            public static int Helper(int a, int b) => a + b;

            public static void Run(Item item, Dictionary<string, string> map, string[] array)
            {
                Accepted();
                Helper(1, 2);
                string.Concat("a", "b");
                Local();
                item.Title = "t";
                item.Other = "o";
                map["k"] = "v";
                array[0] = "x";

                void Local() { }
            }
        }
        """;

    public static TheoryData<bool> InFamily() => new() { false, true };

    [Theory]
    [MemberData(nameof(InFamily))]
    public async Task FilteredActionsRunWhereTheirFilterAccepts(bool inFamily)
    {
        var byName = new RecordingRule("TST0101", (s, r) => OperationFilter.RegisterInvocationAction(s, n => n == "Accepted", r.Record));
        var bySource = new RecordingRule("TST0102", (s, r) => OperationFilter.RegisterInvocationAction(s, _ => false, r.Record, sourceMethods: true));
        var byProperty = new RecordingRule("TST0103", (s, r) => OperationFilter.RegisterPropertyAssignmentAction(s, n => n == "Title", r.Record, indexers: true));
        DiagnosticAnalyzer[] rules = { byName, bySource, byProperty };
        await AnalyzeAsync(inFamily ? new[] { new AnalyzerFamilyTests.ProbeFamily(rules) } : rules);

        Assert.Equal(new[] { "Accepted()" }, byName.Ran.Order());
        Assert.Equal(new[] { "Accepted()", "Helper(1, 2)", "Local()" }, bySource.Ran.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "item.Title = \"t\"", "map[\"k\"] = \"v\"" }, byProperty.Ran.Order(StringComparer.Ordinal));
#if DEBUG
        // What the Debug check ran with its throwing context: everything else.
        Assert.Equal(new[] { "Helper(1, 2)", "Local()", "string.Concat(\"a\", \"b\")" }, byName.Skipped.Order(StringComparer.Ordinal));
        Assert.Equal(new[] { "string.Concat(\"a\", \"b\")" }, bySource.Skipped.Order(StringComparer.Ordinal));
        // An array element is no property: no filtered assignment action runs there.
        Assert.Equal(new[] { "array[0] = \"x\"", "item.Other = \"o\"" }, byProperty.Skipped.Order(StringComparer.Ordinal));
#endif
    }

#if DEBUG
    [Theory]
    [MemberData(nameof(InFamily))]
    public async Task DebugBuildFailsAFilterThatHidesAReport(bool inFamily)
    {
        var wrong = new RecordingRule("TST0104", (s, r) => OperationFilter.RegisterInvocationAction(s, n => n == "Accepted", r.Record), catchReports: false);
        var diagnostics = await AnalyzeAsync(inFamily ? new DiagnosticAnalyzer[] { new AnalyzerFamilyTests.ProbeFamily(wrong) } : new DiagnosticAnalyzer[] { wrong });

        // One failure for each of the three calls the filter kept out: Helper, string.Concat, Local.
        var failures = diagnostics.Where(d => d.Id == "AD0001").Select(d => d.GetMessage()).ToList();
        Assert.Equal(3, failures.Count);
        Assert.All(failures, m => Assert.Contains("an operation filter kept", m, StringComparison.Ordinal));
        Assert.All(failures, m => Assert.Contains("which reports TST0104", m, StringComparison.Ordinal));
        Assert.Single(diagnostics, d => d.Id == "TST0104");
    }
#endif

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(DiagnosticAnalyzer[] analyzers)
    {
        var compilation = CSharpCompilation.Create(
            "Filters",
            new[] { CSharpSyntaxTree.ParseText(Source, path: "/src/Code.cs") },
            TestReferences.AspNetCore,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return await compilation.WithAnalyzers(analyzers.ToImmutableArray()).GetAnalyzerDiagnosticsAsync();
    }

    /// <summary>
    /// Reports every operation its action sees and records where: <see cref="Ran"/> when the report went through,
    /// <see cref="Skipped"/> when the Debug check's context refused it (the filter kept the action out).
    /// </summary>
    [SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001", Justification = "Runs alone or inside a ProbeFamily.")]
    private sealed class RecordingRule : DiagnosticAnalyzer
    {
        private readonly DiagnosticDescriptor _descriptor;
        private readonly Action<CompilationStartAnalysisContext, RecordingRule> _register;
        private readonly bool _catchReports;

        public RecordingRule(string id, Action<CompilationStartAnalysisContext, RecordingRule> register, bool catchReports = true)
        {
            _descriptor = new DiagnosticDescriptor(id, "Filtered", "Filtered", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);
            _register = register;
            _catchReports = catchReports;
        }

        public ConcurrentBag<string> Ran { get; } = new();

        public ConcurrentBag<string> Skipped { get; } = new();

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(_descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
            context.RegisterCompilationStartAction(start => _register(start, this));
        }

        public void Record(OperationAnalysisContext context)
        {
            var text = context.Operation.Syntax.ToString();
            if (!_catchReports)
            {
                context.ReportDiagnostic(Diagnostic.Create(_descriptor, context.Operation.Syntax.GetLocation()));
                return;
            }

            try
            {
                context.ReportDiagnostic(Diagnostic.Create(_descriptor, context.Operation.Syntax.GetLocation()));
                Ran.Add(text);
            }
            catch (InvalidOperationException)
            {
                Skipped.Add(text);
            }
        }
    }
}
