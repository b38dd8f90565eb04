using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>SE2002: a retry policy or hand-written retry loop that waits not at all or a constant time between attempts.</summary>
public sealed class RetryBackoffAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";

    /// <summary>Polly v7 <c>Retry*</c>/<c>RetryForever*</c>: no wait at all.</summary>
    internal const string KindNoWait = "NoWait";

    /// <summary>Polly v7 <c>WaitAndRetry*</c> with a constant sleep-duration provider.</summary>
    internal const string KindConstantProvider = "ConstantProvider";

    /// <summary>Polly v7 <c>WaitAndRetry*</c> with a constant schedule of durations.</summary>
    internal const string KindConstantSchedule = "ConstantSchedule";

    /// <summary>Polly v8 options (creation or assignment) with a constant or zero backoff.</summary>
    internal const string KindOptions = "Options";

    /// <summary>A lone <c>BackoffType = Constant</c> / <c>Delay = TimeSpan.Zero</c> assignment on options created elsewhere.</summary>
    internal const string KindAssignment = "Assignment";

    /// <summary>A hand-written retry loop without a delay or with a constant <c>Task.Delay</c>/<c>Thread.Sleep</c>.</summary>
    internal const string KindLoop = "Loop";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE2002_RetryWithoutBackoff, Descriptors.SE0001_InvalidOption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (RetryLoopShape.MayOccurIn(context.Compilation, context.CancellationToken))
        {
            context.RegisterOperationAction(AnalyzeLoop, OperationKind.Loop);
        }

        var libraries = RetryLibraries.Get(context.Compilation);
        if (libraries is null)
        {
            return;
        }

        // Only policies read server_errors.SE2002.scope: loops always call HttpClient.
        var invalidOptions = new InvalidOptionReporter();
        context.RegisterCompilationEndAction(invalidOptions.Report);
        if (libraries.HasV7)
        {
            OperationFilter.RegisterInvocationAction(context, PollyV7Retry.IsRetryName, c => AnalyzeV7(c, libraries, invalidOptions));
        }

        if (libraries.HasV8)
        {
            context.RegisterOperationAction(c => AnalyzeV8Options(c, libraries, invalidOptions), OperationKind.ObjectCreation);
            OperationFilter.RegisterPropertyAssignmentAction(context, n => n is "BackoffType" or "Delay", c => AnalyzeV8Assignment(c, libraries, invalidOptions));
        }
    }

    private static readonly string[] Scopes = { ScopeHttp, ScopeAll };
    private const string ScopeHttp = "http";
    private const string ScopeAll = "all";

    /// <summary>Option <c>server_errors.SE2002.scope</c>: <c>http</c> (default) or <c>all</c>; anything else is SE0001.</summary>
    private static bool ScopeIsAll(OperationAnalysisContext context, InvalidOptionReporter invalidOptions)
    {
        var scope = AnalyzerConfig.GetChoice(context.Options, context.Operation.Syntax.SyntaxTree, AnalyzerConfig.SE2002Scope, Scopes, ScopeHttp, out var invalid);
        if (invalid is not null)
        {
            invalidOptions.Add(AnalyzerConfig.SE2002Scope, invalid, ScopeHttp, context.Operation.Syntax.GetLocation());
        }

        return scope == ScopeAll;
    }

    private static void Report(OperationAnalysisContext context, Location location, string kind, string what)
        => context.ReportDiagnostic(Create(location, kind, what));

    private static Diagnostic Create(Location location, string kind, string what)
        => Diagnostic.Create(Descriptors.SE2002_RetryWithoutBackoff, location, ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind), what);

    private static void AnalyzeV7(OperationAnalysisContext context, RetryLibraries libraries, InvalidOptionReporter invalidOptions)
    {
        var retry = PollyV7Retry.TryCreate((IInvocationOperation)context.Operation, libraries, context.Compilation, context.CancellationToken);
        if (retry is null)
        {
            return;
        }

        string kind;
        string what;
        if (!retry.Waits)
        {
            kind = KindNoWait;
            what = "retries immediately without waiting";
        }
        else if (retry.SleepDurationProvider is { } provider)
        {
            var growth = DelaySchedule.ClassifySleepProvider(provider.Value, out _);
            if (growth is not (DelayGrowth.Constant or DelayGrowth.None))
            {
                return;
            }

            kind = KindConstantProvider;
            what = growth == DelayGrowth.None ? "does not wait between attempts" : "waits the same time before every attempt";
        }
        else if (retry.SleepDurations is { } durations)
        {
            var growth = DelaySchedule.ClassifySchedule(durations.Value, out _);
            if (growth is not (DelayGrowth.Constant or DelayGrowth.None))
            {
                return;
            }

            kind = KindConstantSchedule;
            what = growth == DelayGrowth.None ? "does not wait between attempts" : "waits the same time before every attempt";
        }
        else
        {
            return;
        }

        if (!ScopeIsAll(context, invalidOptions) && !retry.IsHttp(context.Compilation, context.CancellationToken))
        {
            return;
        }

        // Refreshing credentials after a 401 and resending once: waiting would not help a token (see docs/rules/SE2002.md).
        if (kind == KindNoWait && RetryPolicies.IsCredentialRefresh(retry, context.Compilation, context.CancellationToken))
        {
            return;
        }

        Report(context, RetryPolicies.NameToEnd(retry.Invocation), kind, what);
    }

    private static void AnalyzeV8Options(OperationAnalysisContext context, RetryLibraries libraries, InvalidOptionReporter invalidOptions)
    {
        var options = PollyV8RetryOptions.TryCreate((IObjectCreationOperation)context.Operation, libraries);
        if (options is null || options.Incomplete || options.DelayGenerator is not null)
        {
            return;
        }

        Location location;
        string what;
        if (options.BackoffType is { } backoffAssignment)
        {
            var backoff = RetryPolicies.BackoffTypeValue(backoffAssignment.Value);
            if (backoff is null)
            {
                return;
            }

            location = backoffAssignment.Syntax.GetLocation();
            what = "uses a constant backoff";
            if (backoff != 0)
            {
                if (options.Delay is not { } delay || DelaySchedule.TryGetMilliseconds(delay.Value) is not <= 0)
                {
                    return;
                }

                location = delay.Syntax.GetLocation();
                what = "has a zero Delay and does not wait between attempts";
            }
        }
        else if (!options.IsHttpOptions)
        {
            // RetryStrategyOptions defaults to DelayBackoffType.Constant, whatever the Delay.
            location = RetryPolicies.CreationHead(options.Creation);
            what = "uses the default constant backoff";
        }
        else if (options.Delay is { } delay && DelaySchedule.TryGetMilliseconds(delay.Value) is <= 0)
        {
            location = delay.Syntax.GetLocation();
            what = "has a zero Delay and does not wait between attempts";
        }
        else
        {
            return;
        }

        // The HTTP scope is decided last: following the pipeline to its callbacks costs more than reading the options.
        if (!options.IsHttp && !ScopeIsAll(context, invalidOptions) && !options.IsHttpOrExecutesHttp(context.Compilation, context.CancellationToken))
        {
            return;
        }

        Report(context, location, KindOptions, what);
    }

    private static void AnalyzeV8Assignment(OperationAnalysisContext context, RetryLibraries libraries, InvalidOptionReporter invalidOptions)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "BackoffType" or "Delay" } target
            || target.Instance is null
            || !libraries.IsRetryOptions(target.Instance.Type)
            || IsOwnedByCreation(target.Instance))
        {
            return;
        }

        string what;
        if (target.Property.Name == "BackoffType")
        {
            if (RetryPolicies.BackoffTypeValue(assignment.Value) != 0)
            {
                return;
            }

            what = "uses a constant backoff";
        }
        else
        {
            if (DelaySchedule.TryGetMilliseconds(assignment.Value) is not <= 0)
            {
                return;
            }

            what = "has a zero Delay and does not wait between attempts";
        }

        var isHttp = libraries.IsHttpRetryOptions(target.Instance.Type)
            || RetryCondition.IsHttpResponseMessage(RetryLibraries.RetryOptionsResultType(target.Instance.Type))
            || RetryPolicies.IsInHttpClientRegistration(assignment);
        if (!isHttp && !ScopeIsAll(context, invalidOptions))
        {
            return;
        }

        Report(context, assignment.Syntax.GetLocation(), KindAssignment, what);
    }

    /// <summary>The options are analyzed as a whole at their creation: an initializer member or a local initialized with <c>new</c>.</summary>
    internal static bool IsOwnedByCreation(IOperation instance)
    {
        if (instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver })
        {
            return true;
        }

        if (instance is ILocalReferenceOperation local)
        {
            foreach (var reference in local.Local.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax
                    {
                        Initializer.Value: Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax,
                    })
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void AnalyzeLoop(OperationAnalysisContext context)
    {
        if (RetryLoopShape.TryCreate(context) is not { } loop || loop.Growth is not (DelayGrowth.None or DelayGrowth.Constant))
        {
            return;
        }

        context.ReportDiagnostic(Create(loop.KeywordLocation, KindLoop, loop.Growth == DelayGrowth.None
            ? "loop does not wait between attempts"
            : "loop waits the same time before every attempt"));
    }
}
