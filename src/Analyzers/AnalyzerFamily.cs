using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers;

/// <summary>
/// What the package ships: several rule analyzers run as one <see cref="DiagnosticAnalyzer"/>, with one operation action
/// per <see cref="OperationKind"/> that calls each rule's action in turn.
/// </summary>
/// <remarks>
/// The driver pays a fixed cost per analyzer for every action it calls (context, telemetry, exception guard), however
/// quickly the action returns. Ten rules that each register <c>Invocation</c>, <c>ObjectCreation</c> and
/// <c>SimpleAssignment</c> paid it ten times per operation of ordinary code, which no rule is about; two families pay it
/// twice (10–15 % less on the benchmark's realistic corpus, docs/performance.md).
/// <para>
/// Each rule stays a <see cref="DiagnosticAnalyzer"/> of its own (one file per rule, tested alone) but carries no
/// <see cref="DiagnosticAnalyzerAttribute"/>: the host loads only the families. A family runs each rule's
/// <c>Initialize</c> against a recording context. Rule compilation-start actions run inside the family's one
/// compilation-start action, and their operation actions are merged by kind. Every other registration is passed
/// through unchanged.
/// </para>
/// <para>
/// A rule whose every diagnostic is turned off for the whole compilation is not started, as the driver would skip it
/// as an analyzer of its own (<see cref="IsOff"/>).
/// </para>
/// </remarks>
public abstract class AnalyzerFamily : DiagnosticAnalyzer
{
    private readonly ImmutableArray<DiagnosticAnalyzer> _rules;

    protected AnalyzerFamily(params DiagnosticAnalyzer[] rules)
    {
        _rules = ImmutableArray.Create(rules);
        var supported = ImmutableArray.CreateBuilder<DiagnosticDescriptor>();
        foreach (var rule in _rules)
        {
            foreach (var descriptor in rule.SupportedDiagnostics)
            {
                if (!supported.Contains(descriptor))
                {
                    supported.Add(descriptor);
                }
            }
        }

        SupportedDiagnostics = supported.ToImmutable();
    }

    /// <summary>The rule analyzers this family runs.</summary>
    public ImmutableArray<DiagnosticAnalyzer> Rules => _rules;

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);

        var starts = new List<(DiagnosticAnalyzer Rule, Action<CompilationStartAnalysisContext> Start)>();
        foreach (var rule in _rules)
        {
            rule.Initialize(new RuleInitialization(context, rule, starts));
        }

        context.RegisterCompilationStartAction(start =>
        {
            var operations = new Dictionary<OperationKind, List<Action<OperationAnalysisContext>>>();
            foreach (var (rule, ruleStart) in starts)
            {
                if (!IsOff(rule, start.Compilation, start.Options, start.CancellationToken))
                {
                    ruleStart(new RuleCompilationStart(start, operations, rule));
                }
            }

            foreach (var pair in operations)
            {
#if ANALYZER_PROBES
                // What a probe costs by itself: subtract it per call from the rows above.
                pair.Value.Add(Probes.Timed<OperationAnalysisContext>("(probe of nothing)/" + pair.Key, _ => { }));
#endif
                start.RegisterOperationAction(Dispatch(pair.Value), pair.Key);
            }
        });
    }

    private static Action<OperationAnalysisContext> Dispatch(List<Action<OperationAnalysisContext>> actions)
    {
        if (actions.Count == 1)
        {
            return actions[0];
        }

        var all = actions.ToArray();
        return context =>
        {
            foreach (var action in all)
            {
                action(context);
            }
        };
    }

    /// <summary>
    /// True when every diagnostic <paramref name="rule"/> reports is suppressed for the whole compilation
    /// (<c>&lt;NoWarn&gt;</c>, a rule set, or <c>severity = none</c> in the configuration of every file) and nothing
    /// can turn one back on. Anything this cannot prove keeps the rule running: its diagnostics are then filtered by
    /// the driver as before.
    /// </summary>
    internal static bool IsOff(DiagnosticAnalyzer rule, Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        foreach (var descriptor in rule.SupportedDiagnostics)
        {
            if (!IsOff(descriptor, compilation, options, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsOff(DiagnosticDescriptor descriptor, Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var suppressedByCompilation = compilation.Options.SpecificDiagnosticOptions.TryGetValue(descriptor.Id, out var specific)
            ? specific == ReportDiagnostic.Suppress
            : !descriptor.IsEnabledByDefault;

        // Bulk severities (dotnet_analyzer_diagnostic.*) can turn a rule on that is off by id: never prove "off" then.
        var config = options.AnalyzerConfigOptionsProvider;
        if (HasBulkSeverity(config.GlobalOptions, descriptor))
        {
            return false;
        }

        var trees = compilation.Options.SyntaxTreeOptionsProvider;
        if (trees is not null && trees.TryGetGlobalDiagnosticValue(descriptor.Id, cancellationToken, out var global) && global != ReportDiagnostic.Suppress)
        {
            return false;
        }

        // A rule that is on stops this at the first file without its own severity; only a suppressed one reads them all.
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (HasBulkSeverity(config.GetOptions(tree), descriptor))
            {
                return false;
            }

            if (trees is not null && trees.TryGetDiagnosticValue(tree, descriptor.Id, cancellationToken, out var value))
            {
                if (value != ReportDiagnostic.Suppress)
                {
                    return false;
                }
            }
            else if (!suppressedByCompilation)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasBulkSeverity(AnalyzerConfigOptions options, DiagnosticDescriptor descriptor)
        => options.TryGetValue("dotnet_analyzer_diagnostic.severity", out _)
            || options.TryGetValue("dotnet_analyzer_diagnostic.category-" + descriptor.Category + ".severity", out _);

    /// <summary>What a rule's <c>Initialize</c> sees: its compilation-start action is kept for the family, the rest goes through.</summary>
    private sealed class RuleInitialization : AnalysisContext
    {
        private readonly AnalysisContext _family;
        private readonly DiagnosticAnalyzer _rule;
        private readonly List<(DiagnosticAnalyzer, Action<CompilationStartAnalysisContext>)> _starts;

        public RuleInitialization(AnalysisContext family, DiagnosticAnalyzer rule, List<(DiagnosticAnalyzer, Action<CompilationStartAnalysisContext>)> starts)
        {
            _family = family;
            _rule = rule;
            _starts = starts;
        }

        // The family sets both for all its rules, and every rule asks for the same.
        public override void EnableConcurrentExecution()
        {
        }

        public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode)
            => Debug.Assert(analysisMode == GeneratedCode.Flags, _rule.GetType().Name + " asks for other generated-code flags than its family sets");

        public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) => _starts.Add((_rule, action));

        public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => _family.RegisterCompilationAction(action);

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _family.RegisterSemanticModelAction(action);

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _family.RegisterSymbolAction(action, symbolKinds);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _family.RegisterCodeBlockStartAction(action);

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _family.RegisterCodeBlockAction(action);

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _family.RegisterSyntaxTreeAction(action);

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => _family.RegisterSyntaxNodeAction(action, syntaxKinds);

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => _family.RegisterOperationAction(action, operationKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _family.RegisterOperationBlockStartAction(action);

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _family.RegisterOperationBlockAction(action);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => _family.RegisterSymbolStartAction(action, symbolKind);

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _family.RegisterAdditionalFileAction(action);
    }

    /// <summary>What a rule's compilation-start action sees: operation actions are collected by kind, the rest goes through.</summary>
    private sealed class RuleCompilationStart : CompilationStartAnalysisContext
    {
        private readonly CompilationStartAnalysisContext _family;
        private readonly Dictionary<OperationKind, List<Action<OperationAnalysisContext>>> _operations;
#if ANALYZER_PROBES
        private readonly DiagnosticAnalyzer _rule;
#endif

#pragma warning disable RS1012 // The family's context: this class registers on it for the rules, after they ran.
        public RuleCompilationStart(CompilationStartAnalysisContext family, Dictionary<OperationKind, List<Action<OperationAnalysisContext>>> operations, DiagnosticAnalyzer rule)
#pragma warning restore RS1012
            : base(family.Compilation, family.Options, family.CancellationToken)
        {
            _family = family;
            _operations = operations;
#if ANALYZER_PROBES
            _rule = rule;
#endif
        }

        public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds)
        {
            foreach (var kind in operationKinds)
            {
                if (!_operations.TryGetValue(kind, out var actions))
                {
                    actions = new List<Action<OperationAnalysisContext>>();
                    _operations.Add(kind, actions);
                }

#if ANALYZER_PROBES
                actions.Add(Probes.Timed(_rule.GetType().Name + "/" + kind + "/" + action.Method.Name, action));
#else
                actions.Add(action);
#endif
            }
        }

        public override void RegisterCompilationEndAction(Action<CompilationAnalysisContext> action) => _family.RegisterCompilationEndAction(action);

        public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => _family.RegisterSemanticModelAction(action);

        public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => _family.RegisterSymbolAction(action, symbolKinds);

        public override void RegisterSymbolStartAction(Action<SymbolStartAnalysisContext> action, SymbolKind symbolKind) => _family.RegisterSymbolStartAction(action, symbolKind);

        public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => _family.RegisterCodeBlockStartAction(action);

        public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => _family.RegisterCodeBlockAction(action);

        public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => _family.RegisterSyntaxTreeAction(action);

        public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => _family.RegisterSyntaxNodeAction(action, syntaxKinds);

        public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => _family.RegisterOperationBlockStartAction(action);

        public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => _family.RegisterOperationBlockAction(action);

        public override void RegisterAdditionalFileAction(Action<AdditionalFileAnalysisContext> action) => _family.RegisterAdditionalFileAction(action);
    }
}
