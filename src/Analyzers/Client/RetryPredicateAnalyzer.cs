using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>SE2001: a retry policy or hand-written retry loop whose condition admits 4xx client errors other than 408 and 429.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryPredicateAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property bag key telling the fix which form was reported.</summary>
    internal const string KindKey = "Kind";

    /// <summary>A result predicate (Polly v7 <c>HandleResult</c>/<c>OrResult</c>, v8 <c>HandleResult</c>) was reported.</summary>
    internal const string KindPredicate = "Predicate";

    /// <summary>A Polly v8 <c>ShouldHandle</c> lambda was reported.</summary>
    internal const string KindShouldHandle = "ShouldHandle";

    /// <summary><c>Handle&lt;HttpRequestException&gt;()</c> over a delegate that calls <c>EnsureSuccessStatusCode()</c> was reported.</summary>
    internal const string KindEnsureSuccess = "EnsureSuccess";

    /// <summary>A hand-written loop that repeats the request after a non-transient 4xx response.</summary>
    internal const string KindLoopStatus = "LoopStatus";

    /// <summary>A hand-written loop whose <c>catch (HttpRequestException)</c> repeats the request after EnsureSuccessStatusCode() threw for a 4xx.</summary>
    internal const string KindLoopCatch = "LoopCatch";

    private static readonly ImmutableDictionary<string, string?> LoopStatusProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindLoopStatus);
    private static readonly ImmutableDictionary<string, string?> LoopCatchProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindLoopCatch);
    private static readonly ImmutableDictionary<string, string?> PredicateProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindPredicate);
    private static readonly ImmutableDictionary<string, string?> ShouldHandleProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindShouldHandle);
    private static readonly ImmutableDictionary<string, string?> EnsureSuccessProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindEnsureSuccess);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE2001_RetriesClientErrors);

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
            context.RegisterSyntaxNodeAction(AnalyzeLoop, RetryLoopShape.LoopSyntaxKinds);
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
            context.RegisterOperationAction(c => AnalyzeShouldHandle(c, libraries), OperationKind.SimpleAssignment);
        }
    }

    private static void AnalyzeV7(OperationAnalysisContext context, RetryLibraries libraries)
    {
        var retry = PollyV7Retry.TryCreate((IInvocationOperation)context.Operation, libraries);
        if (retry is null)
        {
            return;
        }

        foreach (var predicate in retry.ResultPredicates)
        {
            ReportPredicate(context, predicate, PredicateProperties);
        }

        foreach (var handled in retry.Exceptions)
        {
            if (!RetryCondition.IsHttpRequestException(handled.Type))
            {
                continue;
            }

            if (handled.Filter is not null && !RetryCondition.AnalyzeExceptionFilter(handled.Filter).AdmitsClientError)
            {
                continue;
            }

            foreach (var executed in RetryPolicies.ExecutedDelegates(retry.Invocation))
            {
                if (RetryPolicies.CallsEnsureSuccessStatusCode(executed))
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.SE2001_RetriesClientErrors,
                        RetryPolicies.NameToEnd(handled.Call),
                        EnsureSuccessProperties,
                        "HttpRequestException from EnsureSuccessStatusCode() is thrown for every 4xx"));
                    break;
                }
            }
        }
    }

    private static void AnalyzeShouldHandle(OperationAnalysisContext context, RetryLibraries libraries)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "ShouldHandle" } target
            || !libraries.IsRetryOptions(target.Instance?.Type ?? target.Property.ContainingType)
            || !RetryCondition.IsHttpResponseMessage(RetryLibraries.RetryOptionsResultType(target.Instance?.Type ?? target.Property.ContainingType)))
        {
            return;
        }

        var value = assignment.Value;
        while (value is IConversionOperation { OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        if (DelaySchedule.UnwrapLambda(value) is { } lambda)
        {
            ReportPredicate(context, lambda, ShouldHandleProperties);
            return;
        }

        // new PredicateBuilder<HttpResponseMessage>().Handle<…>().HandleResult(r => …), converted implicitly to the delegate.
        if (value is IConversionOperation { OperatorMethod: not null } builderConversion)
        {
            var current = builderConversion.Operand;
            for (var depth = 0; current is IInvocationOperation call && depth < 32; depth++)
            {
                if (call.TargetMethod.Name == "HandleResult" && call.Arguments.Length == 1 && call.Arguments[0].Parameter?.Type.TypeKind == TypeKind.Delegate)
                {
                    ReportPredicate(context, call.Arguments[0].Value, PredicateProperties);
                }

                current = call.Instance;
            }
        }
    }

    private static void ReportPredicate(OperationAnalysisContext context, IOperation predicate, ImmutableDictionary<string, string?> properties)
    {
        var facts = RetryCondition.AnalyzeResponseCondition(predicate);
        if (!facts.AdmitsClientError)
        {
            return;
        }

        var lambda = DelaySchedule.UnwrapLambda(predicate);
        var shown = lambda is not null && DelaySchedule.SingleReturnedValue(lambda.Body) is { } body ? body : predicate;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE2001_RetriesClientErrors,
            (lambda ?? predicate).Syntax.GetLocation(),
            properties,
            $"'{RetryPolicies.Text(shown)}' is true for {RetryCondition.Describe(facts.AdmittedClientError)}"));
    }

    private static void AnalyzeLoop(SyntaxNodeAnalysisContext context)
    {
        if (RetryLoopShape.TryCreate(context) is not { AdmittedClientError: not 0 } loop)
        {
            return;
        }

        var status = RetryCondition.Describe(loop.AdmittedClientError);
        if (loop.AdmittingCatch is not null)
        {
            var thrower = RetryLoopShape.ThrowsOnFailure(loop.Send.TargetMethod) ? loop.Send.TargetMethod.Name + "()" : "EnsureSuccessStatusCode()";
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2001_RetriesClientErrors,
                loop.KeywordLocation,
                LoopCatchProperties,
                $"the loop catches the HttpRequestException that {thrower} throws for {status} and sends the request again"));
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE2001_RetriesClientErrors,
            loop.KeywordLocation,
            LoopStatusProperties,
            $"the loop sends the request again after a {status} response"));
    }
}
