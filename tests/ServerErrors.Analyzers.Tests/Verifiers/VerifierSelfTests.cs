using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Xunit;
using Xunit.Sdk;

namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>The verifier must fail when it should: these tests prove each guarantee can fail.</summary>
public class VerifierSelfTests
{
    private const string Source = """
        public class C
        {
            public static void Leak() { }
            public static void Safe() { }
            public void M() { [|Leak()|]; }
        }
        """;

    private const string Fixed = """
        public class C
        {
            public static void Leak() { }
            public static void Safe() { }
            public void M() { Safe(); }
        }
        """;

    [Fact]
    public Task PassesOnExactDiagnosticsAndFix()
        => new CodeFixTest<LeakAnalyzer, RenameToSafeFix> { TestCode = Source, FixedCode = Fixed, References = TestReferences.NetCore }.RunAsync();

    [Fact]
    public async Task FailsOnMissingDiagnostic()
    {
        var test = new AnalyzerTest<LeakAnalyzer> { References = TestReferences.NetCore, TestCode = Source.Replace("public void M() { [|Leak()|]; }", "public void M() { [|Safe()|]; }") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("missing: SE9999", failure.Message);
    }

    [Fact]
    public async Task FailsOnExtraDiagnostic()
    {
        var test = new AnalyzerTest<LeakAnalyzer> { References = TestReferences.NetCore, TestCode = Source.Replace("[|Leak()|]", "Leak()") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("unexpected: SE9999", failure.Message);
    }

    [Fact]
    public async Task FailsOnWrongSpan()
    {
        var test = new AnalyzerTest<LeakAnalyzer> { References = TestReferences.NetCore, TestCode = Source.Replace("[|Leak()|]", "[|Leak|]()") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("missing: SE9999", failure.Message);
        Assert.Contains("unexpected: SE9999", failure.Message);
    }

    [Fact]
    public async Task FailsOnWrongId()
    {
        var test = new AnalyzerTest<LeakAnalyzer> { References = TestReferences.NetCore, TestCode = Source.Replace("[|Leak()|]", "{|SE0000:Leak()|}") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("missing: SE0000", failure.Message);
    }

    [Fact]
    public async Task FailsOnWrongMessage()
    {
        var test = new AnalyzerTest<LeakAnalyzer> { References = TestReferences.NetCore, TestCode = Source, ExpectedMessages = new() { "something else" } };
        await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
    }

    [Fact]
    public async Task FailsWhenTheSourceDoesNotCompile()
    {
        var test = new AnalyzerTest<LeakAnalyzer> { References = TestReferences.NetCore, TestCode = Source.Replace("{ [|Leak()|]; }", "{ [|Leak()|]; int x = \"s\"; }") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("does not compile", failure.Message);
    }

    [Fact]
    public async Task FailsOnWrongFix()
    {
        var test = new CodeFixTest<LeakAnalyzer, RenameToSafeFix> { References = TestReferences.NetCore, TestCode = Source, FixedCode = Fixed.Replace("Safe();", "Other();") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("differs from the expected code", failure.Message);
    }

    [Fact]
    public async Task FailsWhenTheFixBreaksCompilation()
    {
        var broken = Fixed.Replace("Safe();", "Safe(;");
        var test = new CodeFixTest<LeakAnalyzer, BreakingFix> { References = TestReferences.NetCore, TestCode = Source, FixedCode = broken };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("does not compile", failure.Message);
    }

    [Fact]
    public async Task FailsWhenFixAllDiffersFromSingleFixes()
    {
        var test = new CodeFixTest<LeakAnalyzer, FixAllDoesNothingFix> { References = TestReferences.NetCore, TestCode = Source, FixedCode = Fixed };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("FixAll", failure.Message);
    }

    [Fact]
    public async Task RunsEveryFixTestAgainOnCSharp7_3()
    {
        var test = new CodeFixTest<LeakAnalyzer, RenameToSafeFix> { TestCode = Source, FixedCode = Fixed, References = TestReferences.NetCore };
        await test.RunAsync();
        Assert.True(test.RanCSharp7_3);
    }

    [Fact]
    public async Task SkipsCSharp7_3WhenTheInputNeedsNewerSyntax()
    {
        var newer = "public class D { public bool N(object o) => o is not null; }\n";
        var test = new CodeFixTest<LeakAnalyzer, RenameToSafeFix> { TestCode = newer + Source, FixedCode = newer + Fixed, References = TestReferences.NetCore };
        await test.RunAsync();
        Assert.False(test.RanCSharp7_3);
    }

    [Fact]
    public async Task FailsWhenTheFixNeedsANewerLanguageVersionThanTheInput()
    {
        var source = Source.Replace("public static void Safe() { }", "public static void Safe() { }\n    public static void Run(System.Func<int, int, int> f) { }");
        var test = new CodeFixTest<LeakAnalyzer, DiscardLambdaFix>
        {
            References = TestReferences.NetCore,
            TestCode = source,
            FixedCode = source.Replace("[|Leak()|]", "Run((_, _) => 0)"),
        };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("(C# 7.3) does not compile", failure.Message);
    }

    [Fact]
    public async Task FailsWhenTheFixRaisesAnotherRuleOfThePackage()
    {
        var source = """
            using Microsoft.AspNetCore.Builder;

            public class C
            {
                public static void Leak() { }
                public void M(IApplicationBuilder app) { [|Leak()|]; }
            }
            """;
        var test = new CodeFixTest<LeakAnalyzer, DeveloperPageFix> { TestCode = source, FixedCode = source.Replace("[|Leak()|]", "app.UseDeveloperExceptionPage()") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("raises diagnostics of other rules", failure.Message);
        Assert.Contains("SE1002", failure.Message);
    }

    [Fact]
    public async Task FailsWhenTheAnalyzerThrows()
    {
        var test = new AnalyzerTest<ThrowingAnalyzer> { References = TestReferences.NetCore, TestCode = Source.Replace("[|Leak()|]", "Leak()") };
        var failure = await Assert.ThrowsAnyAsync<XunitException>(test.RunAsync);
        Assert.Contains("threw", failure.Message);
    }

    [Fact]
    public void Markup_ParsesNestedAndNamedSpans()
    {
        var (source, expected) = TestMarkup.Parse("a[|b{|SE1:c|}d|]e", "/f.cs", "SE0");
        Assert.Equal("abcde", source);
        Assert.Equal(
            new[] { new ExpectedDiagnostic("SE1", "/f.cs", new(2, 1)), new ExpectedDiagnostic("SE0", "/f.cs", new(1, 3)) },
            expected);
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class LeakAnalyzer : DiagnosticAnalyzer
    {
        internal static readonly DiagnosticDescriptor Rule = new("SE9999", "Leak", "Leak() called", "Test", DiagnosticSeverity.Warning, isEnabledByDefault: true);

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(
                c =>
                {
                    if (((IInvocationOperation)c.Operation).TargetMethod.Name == "Leak")
                    {
                        c.ReportDiagnostic(Diagnostic.Create(Rule, c.Operation.Syntax.GetLocation()));
                    }
                },
                OperationKind.Invocation);
        }
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    public sealed class ThrowingAnalyzer : DiagnosticAnalyzer
    {
        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(LeakAnalyzer.Rule);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterOperationAction(_ => throw new InvalidOperationException("boom"), OperationKind.Invocation);
        }
    }

    public class RenameToSafeFix : CodeFixProvider
    {
        public override ImmutableArray<string> FixableDiagnosticIds => ImmutableArray.Create("SE9999");

        public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

        protected virtual string Replacement => "Safe()";

        public override async Task RegisterCodeFixesAsync(CodeFixContext context)
        {
            var text = await context.Document.GetTextAsync(context.CancellationToken);
            var changed = text.WithChanges(new Microsoft.CodeAnalysis.Text.TextChange(context.Span, Replacement));
            context.RegisterCodeFix(
                CodeAction.Create("Call Safe", _ => Task.FromResult(context.Document.WithText(changed)), "Safe"),
                context.Diagnostics);
        }
    }

    public sealed class DiscardLambdaFix : RenameToSafeFix
    {
        protected override string Replacement => "Run((_, _) => 0)";
    }

    public sealed class DeveloperPageFix : RenameToSafeFix
    {
        protected override string Replacement => "app.UseDeveloperExceptionPage()";
    }

    public sealed class BreakingFix : RenameToSafeFix
    {
        protected override string Replacement => "Safe(";
    }

    public sealed class FixAllDoesNothingFix : RenameToSafeFix
    {
        public override FixAllProvider? GetFixAllProvider() => new NoChangeFixAll();

        private sealed class NoChangeFixAll : FixAllProvider
        {
            public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
                => Task.FromResult<CodeAction?>(CodeAction.Create("Nothing", _ => Task.FromResult(fixAllContext.Solution), "Nothing"));
        }
    }
}
