using System.Collections.Immutable;
using System.Diagnostics.CodeAnalysis;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// The package ships two <see cref="AnalyzerFamily"/> analyzers that run the rule analyzers (which every other test
/// verifies one at a time). These tests prove that a family reports exactly what its rules report, that every rule is in
/// one family, and when a family leaves a turned-off rule unstarted.
/// </summary>
public class AnalyzerFamilyTests
{
    private static readonly Type[] AnalyzerTypes = typeof(Descriptors).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract)
        .ToArray();

    private static ImmutableArray<AnalyzerFamily> Families()
        => AnalyzerTypes.Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null)
            .Select(t => Assert.IsAssignableFrom<AnalyzerFamily>(Activator.CreateInstance(t)))
            .ToImmutableArray();

    [Fact]
    public void EveryRuleRunsInExactlyOneFamily_AndOnlyFamiliesAreShipped()
    {
        var families = Families();
        Assert.Equal(2, families.Length);

        var rules = AnalyzerTypes.Where(t => t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is null).ToList();
        Assert.Equal(10, rules.Count);
        foreach (var rule in rules)
        {
            Assert.Single(families, f => f.Rules.Any(r => r.GetType() == rule));
        }

        foreach (var family in families)
        {
            Assert.Equal(family.Rules.Length, family.Rules.Select(r => r.GetType()).Distinct().Count());
            var union = family.Rules.SelectMany(r => r.SupportedDiagnostics).Select(d => d.Id).Distinct().Order();
            Assert.Equal(union, family.SupportedDiagnostics.Select(d => d.Id).Order());
        }
    }

    /// <summary>The sample files that demonstrate a rule (they name it), and a client with two retry layers (SE2006).</summary>
    public static TheoryData<string> Sources()
    {
        var data = RobustnessTests.SampleFiles();
        data.Add(StackedRetries);
        return data;
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task FamilyReportsExactlyWhatItsRulesReportAlone(string source)
    {
        var compilation = Compile(source);
        foreach (var family in Families())
        {
            var alone = new List<string>();
            foreach (var rule in family.Rules)
            {
                alone.AddRange(Describe(await AnalyzeAsync(compilation, rule)));
            }

            var together = Describe(await AnalyzeAsync(compilation, family));
            Assert.Equal(alone.Order(StringComparer.Ordinal), together.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public async Task SamplesTripEveryRuleOfBothFamilies()
    {
        // Guards the test above: it compares something for every rule, not two empty lists.
        var ids = new HashSet<string>();
        foreach (string source in Sources())
        {
            var compilation = Compile(source);
            foreach (var family in Families())
            {
                ids.UnionWith((await AnalyzeAsync(compilation, family)).Select(d => d.Id));
            }
        }

        var expected = Families().SelectMany(f => f.SupportedDiagnostics).Select(d => d.Id).Where(id => id != "SE0001").Distinct();
        Assert.Empty(expected.Except(ids));
    }

    [Fact]
    public async Task OperationActionsOfSeveralRulesAreAllCalled()
    {
        var first = new ProbeRule("TST0001");
        var second = new ProbeRule("TST0002");
        var diagnostics = await AnalyzeAsync(Compile(ProbeSource), new ProbeFamily(first, second));
        // Both calls of ProbeSource, by each rule.
        var inTest = diagnostics.Where(d => d.Location.SourceTree!.FilePath == "/src/Test.cs").ToList();
        Assert.Equal(2, inTest.Count(d => d.Id == "TST0001"));
        Assert.Equal(2, inTest.Count(d => d.Id == "TST0002"));
    }

    [Fact]
    public async Task RuleOn_IsStarted()
        => Assert.True(await StartsAsync(Compile(ProbeSource)));

    [Fact]
    public async Task RuleOffByNoWarn_IsNotStarted()
        => Assert.False(await StartsAsync(Compile(ProbeSource).WithOptions(NoWarn())));

    [Fact]
    public async Task RuleOffByNoWarn_OnAgainInOneFile_IsStarted()
    {
        var compilation = Compile(ProbeSource);
        var tree = compilation.SyntaxTrees.First();
        var options = NoWarn().WithSyntaxTreeOptionsProvider(new TreeSeverities(tree, ReportDiagnostic.Warn));
        Assert.True(await StartsAsync(compilation.WithOptions(options)));
    }

    [Fact]
    public async Task RuleOffByNoWarn_OnAgainInGlobalConfig_IsStarted()
    {
        var options = NoWarn().WithSyntaxTreeOptionsProvider(new TreeSeverities(tree: null, ReportDiagnostic.Suppress, global: ReportDiagnostic.Warn));
        Assert.True(await StartsAsync(Compile(ProbeSource).WithOptions(options)));
    }

    [Fact]
    public async Task RuleOffByNoWarn_BulkSeverityInConfig_IsStarted()
        => Assert.True(await StartsAsync(Compile(ProbeSource).WithOptions(NoWarn()), new BulkSeverity()));

    [Fact]
    public async Task RuleNoneInEveryFile_IsNotStarted()
    {
        var compilation = Compile(ProbeSource);
        var options = compilation.Options.WithSyntaxTreeOptionsProvider(new TreeSeverities(tree: null, ReportDiagnostic.Suppress));
        Assert.False(await StartsAsync(compilation.WithOptions(options)));
    }

    [Fact]
    public async Task RuleNoneInSomeFiles_IsStarted()
    {
        var compilation = Compile(ProbeSource);
        var options = compilation.Options.WithSyntaxTreeOptionsProvider(new TreeSeverities(compilation.SyntaxTrees.First(), ReportDiagnostic.Suppress));
        Assert.True(await StartsAsync(compilation.WithOptions(options)));
    }

    private const string StackedRetries = """
        using Polly;
        using Polly.Extensions.Http;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
                => services.AddHttpClient<OrdersClient>()
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a))))
                    .AddPolicyHandler(HttpPolicyExtensions.HandleTransientHttpError().RetryAsync(2));
        }

        public class OrdersClient
        {
            private readonly HttpClient _http;

            public OrdersClient(HttpClient http) => _http = http;

            public Task<string> Get(int id) => _http.GetStringAsync("orders/" + id);
        }
        """;

    private const string ProbeSource = """
        class C
        {
            void M() { N(); N(); }
            void N() { }
        }
        """;

    private static CSharpCompilationOptions NoWarn()
        => new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithSpecificDiagnosticOptions(new Dictionary<string, ReportDiagnostic> { ["TST0001"] = ReportDiagnostic.Suppress });

    private static async Task<bool> StartsAsync(Compilation compilation, AnalyzerConfigOptionsProvider? config = null)
    {
        // TST0002 stays on, so the driver runs the family and the family alone decides about TST0001.
        var probe = new ProbeRule("TST0001");
        var other = new ProbeRule("TST0002");
        await AnalyzeAsync(compilation, new ProbeFamily(probe, other), config);
        Assert.True(other.Started);
        return probe.Started;
    }

    /// <summary>One file (a sample's path under the repository, or source text) with global usings and the retry stubs.</summary>
    private static CSharpCompilation Compile(string source)
        => CSharpCompilation.Create(
            "Family",
            PolicyVerifier<Client.RetryRulesAnalyzer, CodeFixes.Client.StackedRetryCodeFix>.AllStubs
                .Select((stub, i) => CSharpSyntaxTree.ParseText(stub, path: $"/src/Stub{i}.cs"))
                .Append(CSharpSyntaxTree.ParseText(RobustnessTests.Usings, path: "/src/Usings.cs"))
                .Append(CSharpSyntaxTree.ParseText(source.StartsWith("samples/", StringComparison.Ordinal) ? File.ReadAllText(Path.Combine(RepositoryFiles.Root, source)) : source, path: "/src/Test.cs")),
            TestReferences.AspNetCore.AddRange(TestReferences.Polly),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, DiagnosticAnalyzer analyzer, AnalyzerConfigOptionsProvider? config = null)
    {
        var options = new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty, config ?? new BulkSeverity(none: true));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create(analyzer), options).GetAnalyzerDiagnosticsAsync();
        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        return diagnostics;
    }

    private static IEnumerable<string> Describe(ImmutableArray<Diagnostic> diagnostics)
        => diagnostics.Select(d => $"{d.Id} {d.Location.GetLineSpan()} {d.GetMessage()} {string.Join(",", d.Properties.OrderBy(p => p.Key).Select(p => p.Key + "=" + p.Value))}");

    /// <summary>A family of test rules (also used by <see cref="OperationFilterTests"/>).</summary>
    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    internal sealed class ProbeFamily : AnalyzerFamily
    {
        public ProbeFamily(params DiagnosticAnalyzer[] rules)
            : base(rules)
        {
        }
    }

    /// <summary>Reports every invocation, and records whether its compilation start ran.</summary>
    [SuppressMessage("MicrosoftCodeAnalysisCorrectness", "RS1001", Justification = "Runs inside ProbeFamily.")]
    private sealed class ProbeRule : DiagnosticAnalyzer
    {
        private readonly DiagnosticDescriptor _descriptor;

        public ProbeRule(string id)
            => _descriptor = new DiagnosticDescriptor(id, "Probe", "Probe", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public bool Started { get; private set; }

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(_descriptor);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
            context.RegisterCompilationStartAction(start =>
            {
                Started = true;
                start.RegisterOperationAction(c => c.ReportDiagnostic(Diagnostic.Create(_descriptor, c.Operation.Syntax.GetLocation())), OperationKind.Invocation);
            });
        }
    }

    /// <summary>Severities from .editorconfig: <paramref name="value"/> for one tree (or all when null), and an optional global one.</summary>
    private sealed class TreeSeverities : SyntaxTreeOptionsProvider
    {
        private readonly SyntaxTree? _tree;
        private readonly ReportDiagnostic _value;
        private readonly ReportDiagnostic? _global;

        public TreeSeverities(SyntaxTree? tree, ReportDiagnostic value, ReportDiagnostic? global = null)
        {
            _tree = tree;
            _value = value;
            _global = global;
        }

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = _value;
            return diagnosticId == "TST0001" && (_tree is null || _tree == tree);
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            severity = _global ?? ReportDiagnostic.Default;
            return diagnosticId == "TST0001" && _global is not null;
        }
    }

    /// <summary>Analyzer options with (or, with <c>none</c>, without) <c>dotnet_analyzer_diagnostic.severity</c>.</summary>
    private sealed class BulkSeverity : AnalyzerConfigOptionsProvider
    {
        private readonly Options _options;

        public BulkSeverity(bool none = false) => _options = new Options(none);

        public override AnalyzerConfigOptions GlobalOptions => _options;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => _options;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => _options;

        private sealed class Options : AnalyzerConfigOptions
        {
            private readonly bool _none;

            public Options(bool none) => _none = none;

            public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value)
            {
                value = _none || key != "dotnet_analyzer_diagnostic.severity" ? null : "warning";
                return value is not null;
            }
        }
    }
}
