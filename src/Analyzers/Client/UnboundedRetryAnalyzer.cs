using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>SE2004: <c>RetryForever*</c>, <c>WaitAndRetryForever*</c>, <c>MaxRetryAttempts = int.MaxValue</c> and hand-written retry loops without an attempt limit.</summary>
public sealed class UnboundedRetryAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";
    internal const string KindForever = "Forever";
    internal const string KindMaxRetryAttempts = "MaxRetryAttempts";
    internal const string KindLoop = "Loop";

    /// <summary>Property bag key: the bound the fix uses (option <c>server_errors.max_retry_attempts</c>, default 3).</summary>
    internal const string CountKey = "Count";

    internal const int DefaultMaxRetryAttempts = 3;

    private static ImmutableDictionary<string, string?> Properties(AnalyzerOptions options, string kind, InvalidOptionReporter invalidOptions, Location location)
    {
        var count = AnalyzerConfig.GetPositiveInt(options, location.SourceTree!, AnalyzerConfig.MaxRetryAttempts, DefaultMaxRetryAttempts, out var invalid);
        if (invalid is not null)
        {
            invalidOptions.Add(AnalyzerConfig.MaxRetryAttempts, invalid, DefaultMaxRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture), location);
        }

        return ImmutableDictionary<string, string?>.Empty
            .Add(KindKey, kind)
            .Add(CountKey, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE2004_UnboundedRetry, Descriptors.SE0001_InvalidOption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var hasHttpClient = RetryLoopShape.MayOccurIn(context.Compilation, context.CancellationToken);
        var libraries = RetryLibraries.Get(context.Compilation);
        if (!hasHttpClient && libraries is null)
        {
            return;
        }

        var invalidOptions = new InvalidOptionReporter();
        context.RegisterCompilationEndAction(invalidOptions.Report);
        if (hasHttpClient)
        {
            context.RegisterOperationAction(c => AnalyzeLoop(c, invalidOptions), OperationKind.Loop);
        }

        if (libraries?.HasV7 == true)
        {
            OperationFilter.RegisterInvocationAction(context, IsForeverName, c => AnalyzeV7(c, libraries, invalidOptions));
        }

        if (libraries?.HasV8 == true)
        {
            OperationFilter.RegisterPropertyAssignmentAction(context, n => n == "MaxRetryAttempts", c => AnalyzeAssignment(c, libraries, invalidOptions));
        }
    }

    private static void AnalyzeV7(OperationAnalysisContext context, RetryLibraries libraries, InvalidOptionReporter invalidOptions)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!IsForeverName(invocation.TargetMethod.Name) || !libraries.IsRetrySyntax(invocation.TargetMethod.ContainingType))
        {
            return;
        }

        if (IsReconnectPolicy(invocation, libraries, context))
        {
            return;
        }

        var location = RetryPolicies.NameToEnd(invocation);
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE2004_UnboundedRetry, location, Properties(context.Options, KindForever, invalidOptions, location), "'" + invocation.TargetMethod.Name + "'"));
    }

    /// <summary>
    /// <c>WaitAndRetryForever*</c> with a growing wait around something that is not HTTP (a broker or database connection that
    /// must come back, whatever it takes): a reconnect policy with its own backoff, deliberately unbounded.
    /// </summary>
    private static bool IsReconnectPolicy(IInvocationOperation invocation, RetryLibraries libraries, OperationAnalysisContext context)
    {
        if (PollyV7Retry.TryCreate(invocation, libraries, context.Compilation, context.CancellationToken) is not { Waits: true, SleepDurationProvider: { } provider } retry
            || DelaySchedule.ClassifySleepProvider(provider.Value, out _) != DelayGrowth.Growing)
        {
            return false;
        }

        return retry.Exceptions.Count > 0 && retry.ResultType is null && !retry.IsHttp(context.Compilation, context.CancellationToken);
    }

    private static bool IsForeverName(string name) => name.IndexOf("Forever", System.StringComparison.Ordinal) >= 0;

    private static void AnalyzeAssignment(OperationAnalysisContext context, RetryLibraries libraries, InvalidOptionReporter invalidOptions)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "MaxRetryAttempts" } target
            && libraries.IsRetryOptions(target.Instance?.Type ?? target.Property.ContainingType)
            && PollyV7Retry.Strip(assignment.Value).ConstantValue is { HasValue: true, Value: int.MaxValue })
        {
            var location = assignment.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2004_UnboundedRetry, location, Properties(context.Options, KindMaxRetryAttempts, invalidOptions, location), "'MaxRetryAttempts = int.MaxValue'"));
        }
    }

    private static void AnalyzeLoop(OperationAnalysisContext context, InvalidOptionReporter invalidOptions)
    {
        if (RetryLoopShape.TryCreate(context) is { Bounded: false } loop)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2004_UnboundedRetry, loop.KeywordLocation, Properties(context.Options, KindLoop, invalidOptions, loop.KeywordLocation), "This '" + loop.Describe() + "' loop"));
        }
    }
}
