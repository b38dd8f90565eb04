using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>SE2004: <c>RetryForever*</c>, <c>WaitAndRetryForever*</c>, <c>MaxRetryAttempts = int.MaxValue</c> and hand-written retry loops without an attempt limit.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedRetryAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";
    internal const string KindForever = "Forever";
    internal const string KindMaxRetryAttempts = "MaxRetryAttempts";
    internal const string KindLoop = "Loop";

    /// <summary>Property bag key: the bound the fix uses (option <c>server_errors.max_retry_attempts</c>, default 3).</summary>
    internal const string CountKey = "Count";

    internal const int DefaultMaxRetryAttempts = 3;

    private static ImmutableDictionary<string, string?> Properties(OperationAnalysisContext context, string kind)
    {
        var count = AnalyzerConfig.GetPositiveInt(context.Options, context.Operation.Syntax.SyntaxTree, AnalyzerConfig.MaxRetryAttempts, DefaultMaxRetryAttempts, out _);
        return ImmutableDictionary<string, string?>.Empty
            .Add(KindKey, kind)
            .Add(CountKey, count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE2004_UnboundedRetry);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (WellKnownTypes.Get(context.Compilation).Get(WellKnownType.System_Net_Http_HttpClient) is not null)
        {
            context.RegisterOperationAction(AnalyzeLoop, OperationKind.Loop);
        }

        var libraries = RetryLibraries.Get(context.Compilation);
        if (libraries is null)
        {
            return;
        }

        if (libraries.HasV7)
        {
            context.RegisterOperationAction(c => AnalyzeV7(c, libraries), OperationKind.Invocation);
        }

        if (libraries.HasV8)
        {
            context.RegisterOperationAction(c => AnalyzeAssignment(c, libraries), OperationKind.SimpleAssignment);
        }
    }

    private static void AnalyzeV7(OperationAnalysisContext context, RetryLibraries libraries)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var name = invocation.TargetMethod.Name;
        if (name.IndexOf("Forever", System.StringComparison.Ordinal) < 0 || !libraries.IsRetrySyntax(invocation.TargetMethod.ContainingType))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE2004_UnboundedRetry, RetryPolicies.NameToEnd(invocation), Properties(context, KindForever), "'" + name + "'"));
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, RetryLibraries libraries)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is IPropertyReferenceOperation { Property.Name: "MaxRetryAttempts" } target
            && libraries.IsRetryOptions(target.Instance?.Type ?? target.Property.ContainingType)
            && PollyV7Retry.Strip(assignment.Value).ConstantValue is { HasValue: true, Value: int.MaxValue })
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2004_UnboundedRetry, assignment.Syntax.GetLocation(), Properties(context, KindMaxRetryAttempts), "'MaxRetryAttempts = int.MaxValue'"));
        }
    }

    private static void AnalyzeLoop(OperationAnalysisContext context)
    {
        if (RetryLoopShape.TryCreate((ILoopOperation)context.Operation) is { Bounded: false } loop)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2004_UnboundedRetry, loop.KeywordLocation, Properties(context, KindLoop), "This '" + loop.Describe() + "' loop"));
        }
    }
}
