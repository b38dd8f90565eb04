using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>SE2001: a retry policy or hand-written retry loop whose condition admits 4xx client errors other than 408 and 429.</summary>
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

    /// <summary>A Polly v8 <c>ShouldHandle</c> lambda over <c>args.Outcome.Exception is HttpRequestException</c> around a callback that throws on 4xx.</summary>
    internal const string KindExceptionLambda = "ExceptionLambda";

    /// <summary>A hand-written loop that repeats the request after a non-transient 4xx response.</summary>
    internal const string KindLoopStatus = "LoopStatus";

    /// <summary>A hand-written loop whose <c>catch (HttpRequestException)</c> repeats the request after EnsureSuccessStatusCode() threw for a 4xx.</summary>
    internal const string KindLoopCatch = "LoopCatch";

    private static readonly ImmutableDictionary<string, string?> LoopStatusProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindLoopStatus);
    private static readonly ImmutableDictionary<string, string?> LoopCatchProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindLoopCatch);
    private static readonly ImmutableDictionary<string, string?> PredicateProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindPredicate);
    private static readonly ImmutableDictionary<string, string?> ShouldHandleProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindShouldHandle);
    private static readonly ImmutableDictionary<string, string?> ExceptionLambdaProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindExceptionLambda);
    private static readonly ImmutableDictionary<string, string?> EnsureSuccessProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindEnsureSuccess);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE2001_RetriesClientErrors);

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

        // A predicate stored in a field or a method may serve several retries: it is reported once.
        var reported = new System.Collections.Concurrent.ConcurrentDictionary<Location, bool>();
        if (libraries.HasV7)
        {
            OperationFilter.RegisterInvocationAction(context, PollyV7Retry.IsRetryName, c => AnalyzeV7(c, libraries, reported));
        }

        if (libraries.HasV8)
        {
            OperationFilter.RegisterPropertyAssignmentAction(context, n => n == "ShouldHandle", c => AnalyzeShouldHandle(c, libraries, reported));
            context.RegisterOperationAction(c => AnalyzeV8Exceptions(c, libraries, reported), OperationKind.ObjectCreation);
        }
    }

    private static void AnalyzeV7(OperationAnalysisContext context, RetryLibraries libraries, System.Collections.Concurrent.ConcurrentDictionary<Location, bool> reported)
    {
        var retry = PollyV7Retry.TryCreate((IInvocationOperation)context.Operation, libraries, context.Compilation, context.CancellationToken);
        if (retry is null || RetryPolicies.IsCredentialRefresh(retry, context.Compilation, context.CancellationToken))
        {
            return;
        }

        foreach (var predicate in retry.ResultPredicates)
        {
            ReportPredicate(context, predicate, PredicateProperties, reported);
        }

        HttpReachFacts? reach = null;
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

            reach ??= PolicyExecution.Reach(retry.ExecutedDelegates(context.Compilation, context.CancellationToken), context.Compilation, context.CancellationToken);
            if ((reach.Value & HttpReachFacts.ThrowsOnClientError) != 0)
            {
                ReportThrowsOnClientError(context, handled.Call, reported);
            }
        }
    }

    private static void ReportThrowsOnClientError(OperationAnalysisContext context, IInvocationOperation handle, System.Collections.Concurrent.ConcurrentDictionary<Location, bool> reported)
    {
        var location = RetryPolicies.NameToEnd(handle);
        if (reported.TryAdd(location, true))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2001_RetriesClientErrors,
                location,
                EnsureSuccessProperties,
                "HttpRequestException is thrown for every 4xx by what the retry runs (EnsureSuccessStatusCode(), GetStringAsync, GetFromJsonAsync…)"));
        }
    }

    private static void AnalyzeShouldHandle(OperationAnalysisContext context, RetryLibraries libraries, System.Collections.Concurrent.ConcurrentDictionary<Location, bool> reported)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "ShouldHandle" } target
            || !libraries.IsRetryOptions(target.Instance?.Type ?? target.Property.ContainingType)
            || !RetryCondition.IsHttpResponseMessage(RetryLibraries.RetryOptionsResultType(target.Instance?.Type ?? target.Property.ContainingType)))
        {
            return;
        }

        var value = PollyV7Retry.Strip(assignment.Value);
        if (value is IFieldReferenceOperation or ILocalReferenceOperation
            && StoredValue.Resolve(value, context.Compilation, context.CancellationToken) is { } stored)
        {
            // ShouldHandle = _shouldHandle: the lambda or predicate builder it holds.
            value = PollyV7Retry.Strip(stored);
        }

        if (DelaySchedule.UnwrapLambda(value) is not null || StoredValue.MethodGroup(value) is not null)
        {
            ReportPredicate(context, value, ShouldHandleProperties, reported);
            return;
        }

        foreach (var predicate in BuilderResultPredicates(value, context.Compilation, context.CancellationToken))
        {
            ReportPredicate(context, predicate, PredicateProperties, reported);
        }
    }

    /// <summary>
    /// The <c>HandleResult(…)</c> predicates of a <c>PredicateBuilder</c> chain converted to the <c>ShouldHandle</c> delegate
    /// (<c>new PredicateBuilder&lt;HttpResponseMessage&gt;().Handle&lt;…&gt;().HandleResult(r =&gt; …)</c>), also through a local or field.
    /// </summary>
    private static List<IOperation> BuilderResultPredicates(IOperation value, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var result = new List<IOperation>();
        foreach (var call in BuilderCalls(value, compilation, cancellationToken))
        {
            if (call.TargetMethod.Name == "HandleResult" && call.Arguments.Length == 1 && call.Arguments[0].Parameter?.Type.TypeKind == TypeKind.Delegate)
            {
                result.Add(call.Arguments[0].Value);
            }
        }

        return result;
    }

    /// <summary>The calls of a predicate-builder chain, from the last to the first.</summary>
    private static List<IInvocationOperation> BuilderCalls(IOperation value, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        var calls = new List<IInvocationOperation>();
        IOperation? current = value is IConversionOperation { OperatorMethod: not null } conversion ? conversion.Operand : value;
        for (var depth = 0; current is not null && depth < 32; depth++)
        {
            current = PollyV7Retry.Strip(current);
            if (current is IInvocationOperation call)
            {
                calls.Add(call);
                current = call.Instance;
            }
            else if (StoredValue.Resolve(current, compilation, cancellationToken) is { } stored)
            {
                current = stored;
            }
            else
            {
                break;
            }
        }

        return calls;
    }

    /// <summary>
    /// Polly v8 options whose <c>ShouldHandle</c> is a predicate builder handling <c>HttpRequestException</c> (no filter, or one that
    /// admits 4xx), built into a pipeline whose callback lets that exception escape for every 4xx (<c>EnsureSuccessStatusCode()</c>,
    /// <c>GetStringAsync</c>, <c>GetFromJsonAsync</c>…, also inside the application's helpers).
    /// </summary>
    private static void AnalyzeV8Exceptions(OperationAnalysisContext context, RetryLibraries libraries, System.Collections.Concurrent.ConcurrentDictionary<Location, bool> reported)
    {
        var options = PollyV8RetryOptions.TryCreate((IObjectCreationOperation)context.Operation, libraries);
        if (options is null || options.IsHttpOptions || options.ShouldHandle is not { } shouldHandle)
        {
            return;
        }

        HttpReachFacts? reach = null;
        foreach (var call in BuilderCalls(PollyV7Retry.Strip(shouldHandle.Value), context.Compilation, context.CancellationToken))
        {
            if (call.TargetMethod is not { Name: "Handle", TypeArguments.Length: 1 } handle
                || handle.ContainingType?.Name != "PredicateBuilder"
                || !RetryCondition.IsHttpRequestException(handle.TypeArguments[0]))
            {
                continue;
            }

            if (call.Arguments.Length == 1 && !RetryCondition.AnalyzeExceptionFilter(call.Arguments[0].Value).AdmitsClientError)
            {
                continue;
            }

            reach ??= PolicyExecution.Reach(options.ExecutedDelegates(context.Compilation, context.CancellationToken), context.Compilation, context.CancellationToken);
            if ((reach.Value & HttpReachFacts.ThrowsOnClientError) != 0)
            {
                ReportThrowsOnClientError(context, call, reported);
            }
        }

        // ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException [or …]): no status filter.
        if (DelaySchedule.UnwrapLambda(PollyV7Retry.Strip(shouldHandle.Value)) is { } lambda
            && DelaySchedule.SingleReturnedValue(lambda.Body) is { } returned
            && IsUnfilteredExceptionTest(returned))
        {
            reach ??= PolicyExecution.Reach(options.ExecutedDelegates(context.Compilation, context.CancellationToken), context.Compilation, context.CancellationToken);
            var location = lambda.Syntax.GetLocation();
            if ((reach.Value & HttpReachFacts.ThrowsOnClientError) != 0 && reported.TryAdd(location, true))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2001_RetriesClientErrors,
                    location,
                    ExceptionLambdaProperties,
                    "HttpRequestException is thrown for every 4xx by what the retry runs (EnsureSuccessStatusCode(), GetStringAsync, GetFromJsonAsync…)"));
            }
        }
    }

    /// <summary>
    /// <c>ValueTask.FromResult(c)</c> / <c>new ValueTask&lt;bool&gt;(c)</c> / <c>c ? PredicateResult.True() : PredicateResult.False()</c> where <c>c</c> is made only of type tests on
    /// <c>Outcome.Exception</c> (<c>is T</c>, <c>is A or B</c>, joined by <c>||</c>), one of them <c>HttpRequestException</c>:
    /// any other part (a StatusCode filter, a guard) keeps it silent.
    /// </summary>
    private static bool IsUnfilteredExceptionTest(IOperation returned)
    {
        var condition = returned switch
        {
            IInvocationOperation { TargetMethod.Name: "FromResult", Arguments.Length: 1 } fromResult => fromResult.Arguments[0].Value,
            IObjectCreationOperation { Type.Name: "ValueTask", Arguments.Length: 1 } creation => creation.Arguments[0].Value,
            IConditionalOperation { WhenTrue: IInvocationOperation { TargetMethod: { Name: "True", ContainingType.Name: "PredicateResult" } }, WhenFalse: IInvocationOperation { TargetMethod: { Name: "False", ContainingType.Name: "PredicateResult" } } } conditional => conditional.Condition,
            _ => null,
        };

        var handlesHttp = false;
        return condition is not null && TypeTests(condition, ref handlesHttp, 0) && handlesHttp;
    }

    private static bool TypeTests(IOperation condition, ref bool handlesHttp, int depth)
    {
        while (condition is IConversionOperation { IsImplicit: true } conversion)
        {
            condition = conversion.Operand;
        }

        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when depth < 16:
                return TypeTests(either.LeftOperand, ref handlesHttp, depth + 1) && TypeTests(either.RightOperand, ref handlesHttp, depth + 1);
            case IIsTypeOperation isType when IsOutcomeException(isType.ValueOperand):
                handlesHttp |= RetryCondition.IsHttpRequestException(isType.TypeOperand);
                return true;
            case IIsPatternOperation isPattern when IsOutcomeException(isPattern.Value):
                return TypePatterns(isPattern.Pattern, ref handlesHttp, depth);
            default:
                return false;
        }
    }

    private static bool TypePatterns(IPatternOperation pattern, ref bool handlesHttp, int depth)
    {
        switch (pattern)
        {
            case IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either when depth < 16:
                return TypePatterns(either.LeftPattern, ref handlesHttp, depth + 1) && TypePatterns(either.RightPattern, ref handlesHttp, depth + 1);
            case ITypePatternOperation type:
                handlesHttp |= RetryCondition.IsHttpRequestException(type.MatchedType);
                return true;
            default:
                return false;
        }
    }

    private static bool IsOutcomeException(IOperation value)
        => value is IPropertyReferenceOperation { Property.Name: "Exception", Instance.Type: { Name: "Outcome", ContainingNamespace.Name: "Polly" } };

    private static void ReportPredicate(OperationAnalysisContext context, IOperation predicate, ImmutableDictionary<string, string?> properties, System.Collections.Concurrent.ConcurrentDictionary<Location, bool> reported)
    {
        if (RetryPolicies.ResolvePredicate(predicate, context.Compilation, context.CancellationToken) is not { } resolved
            || RetryPolicies.PredicateSite(resolved) is not { } site)
        {
            return;
        }

        var facts = RetryCondition.AnalyzeResponseCondition(resolved);
        if (!facts.AdmitsClientError)
        {
            return;
        }

        // The predicate can sit in a field or method of another (generated) class.
        if (GeneratedCode.IsGeneratedElsewhere(site.Syntax, site.SemanticModel, context.Operation.Syntax, context.Compilation, context.CancellationToken))
        {
            return;
        }

        var location = site.Syntax.GetLocation();
        if (!reported.TryAdd(location, true))
        {
            return;
        }

        var shown = site is IAnonymousFunctionOperation lambda && DelaySchedule.SingleReturnedValue(lambda.Body) is { } body ? body : site;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE2001_RetriesClientErrors,
            location,
            properties,
            $"'{RetryPolicies.Text(shown)}' is true for {RetryCondition.Describe(facts.AdmittedClientError)}"));
    }

    private static void AnalyzeLoop(OperationAnalysisContext context)
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
