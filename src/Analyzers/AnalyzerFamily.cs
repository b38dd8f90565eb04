using System;
using System.Collections.Concurrent;
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
            var operations = new Dictionary<OperationKind, List<OperationEntry>>();
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
                pair.Value.Add(new OperationEntry(null, Probes.Timed<OperationAnalysisContext>("(probe of nothing)/" + pair.Key, _ => { })));
#endif
#if ANALYZER_PROBES
                // The whole dispatch of this kind: what it costs beyond the rows of its actions is the filtering.
                start.RegisterOperationAction(Probes.Timed(GetType().Name + " dispatch/" + pair.Key, Dispatch(pair.Value)), pair.Key);
#else
                start.RegisterOperationAction(Dispatch(pair.Value), pair.Key);
#endif
            }
        });
    }

    /// <summary>A rule's operation action, and its filter when it was registered through <see cref="OperationFilter"/>.</summary>
    internal readonly struct OperationEntry
    {
        public OperationEntry(OperationFilter? filter, Action<OperationAnalysisContext> action)
        {
            Filter = filter;
            Action = action;
        }

        public OperationFilter? Filter { get; }

        public Action<OperationAnalysisContext> Action { get; }
    }

    private static Action<OperationAnalysisContext> Dispatch(List<OperationEntry> entries)
    {
        if (entries.Count > 64)
        {
            throw new InvalidOperationException("a family dispatches at most 64 actions per operation kind");
        }

        // One bit per action: always run, run on methods of source, run on indexers.
        var actions = new Action<OperationAnalysisContext>[entries.Count];
        var filters = new OperationFilter?[entries.Count];
        ulong unfiltered = 0, sourceMethods = 0, indexers = 0;
        for (var k = 0; k < entries.Count; k++)
        {
            actions[k] = entries[k].Action;
            filters[k] = entries[k].Filter;
            var bit = 1UL << k;
            if (filters[k] is not { } filter)
            {
                unfiltered |= bit;
                continue;
            }

            sourceMethods |= filter.SourceMethods ? bit : 0;
            indexers |= filter.Indexers ? bit : 0;
        }

        if (unfiltered == (entries.Count == 64 ? ulong.MaxValue : (1UL << entries.Count) - 1))
        {
            return actions.Length == 1 ? actions[0] : context =>
            {
                foreach (var action in actions)
                {
                    action(context);
                }
            };
        }

        // Which actions accept a member name, asked once per name: an application calls a few thousand distinct names.
        var byName = new ConcurrentDictionary<string, ulong>(StringComparer.Ordinal);
        Func<string, ulong> accepting = name =>
        {
            var mask = 0UL;
            for (var k = 0; k < filters.Length; k++)
            {
                if (filters[k] is { } filter && filter.Names(name))
                {
                    mask |= 1UL << k;
                }
            }

            return mask;
        };

        return context =>
        {
            var operation = context.Operation;
            var mask = unfiltered;
            if (OperationFilter.NameOf(operation) is { } name)
            {
                mask |= byName.TryGetValue(name, out var named) ? named : byName.GetOrAdd(name, accepting);
                if ((sourceMethods & ~mask) != 0 && OperationFilter.CallsSourceMethod(operation))
                {
                    mask |= sourceMethods;
                }

                if ((indexers & ~mask) != 0 && OperationFilter.AssignsIndexer(operation))
                {
                    mask |= indexers;
                }
            }

            for (var k = 0; k < actions.Length; k++)
            {
                if ((mask & (1UL << k)) != 0)
                {
                    actions[k](context);
                }
                else
                {
                    OperationFilter.VerifySkipped(context, actions[k]);
                }
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
    internal sealed class RuleCompilationStart : CompilationStartAnalysisContext
    {
        private readonly CompilationStartAnalysisContext _family;
        private readonly Dictionary<OperationKind, List<OperationEntry>> _operations;
#if ANALYZER_PROBES
        private readonly DiagnosticAnalyzer _rule;
#endif

#pragma warning disable RS1012 // The family's context: this class registers on it for the rules, after they ran.
        public RuleCompilationStart(CompilationStartAnalysisContext family, Dictionary<OperationKind, List<OperationEntry>> operations, DiagnosticAnalyzer rule)
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
                Add(kind, null, action);
            }
        }

        /// <summary>What <see cref="OperationFilter"/> registers: the family's dispatch runs the action where <paramref name="filter"/> accepts the operation.</summary>
        public void RegisterFilteredOperationAction(OperationKind kind, OperationFilter filter, Action<OperationAnalysisContext> action) => Add(kind, filter, action);

        private void Add(OperationKind kind, OperationFilter? filter, Action<OperationAnalysisContext> action)
        {
            if (!_operations.TryGetValue(kind, out var entries))
            {
                entries = new List<OperationEntry>();
                _operations.Add(kind, entries);
            }

#if ANALYZER_PROBES
            action = Probes.Timed(_rule.GetType().Name + "/" + kind + "/" + action.Method.Name, action);
#endif
            entries.Add(new OperationEntry(filter, action));
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
