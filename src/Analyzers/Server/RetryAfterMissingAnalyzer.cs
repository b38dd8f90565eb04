using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Server;

/// <summary>
/// SE1003 (503) and SE1004 (429): a response produced without a Retry-After header on its path; SE0001 when
/// <c>server_errors.retry_after_seconds</c> is invalid.
/// </summary>
/// <remarks>
/// SE0001 is reported at the first SE1003/SE1004 diagnostic whose file is configured with the bad value: that is
/// where it would otherwise silently change the fix (see <see cref="InvalidOptionReporter"/>).
/// </remarks>
public sealed class RetryAfterMissingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property: how the status is produced (a <see cref="ResponseStatusForm"/> name).</summary>
    internal const string FormKey = "Form";

    /// <summary>Property: the seconds the fix writes, from <c>server_errors.retry_after_seconds</c>.</summary>
    internal const string SecondsKey = "Seconds";

    internal const int DefaultSeconds = 30;

    /// <summary>Properties: the span of the variable status the fix compares (<c>if (code == HttpStatusCode.ServiceUnavailable)</c>), when the status can be another.</summary>
    internal const string GuardStartKey = "GuardStart";

    internal const string GuardLengthKey = "GuardLength";

    /// <summary>Form of a diagnostic at a helper's status argument; the helper's status assignment is at HelperStart/HelperLength.</summary>
    internal const string HelperForm = "HelperArgument";

    internal const string HelperStartKey = "HelperStart";

    internal const string HelperLengthKey = "HelperLength";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.SE1003_ServiceUnavailableWithoutRetryAfter,
        Descriptors.SE1004_TooManyRequestsWithoutRetryAfter,
        Descriptors.SE0001_InvalidOption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = WellKnownTypes.Get(context.Compilation);
        if (types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponse) is null
            && types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult) is null
            && types.Get(WellKnownType.Microsoft_AspNetCore_RateLimiting_RateLimiterOptions) is null)
        {
            return;
        }

        var invalidOptions = new InvalidOptionReporter();
        context.RegisterCompilationEndAction(invalidOptions.Report);
        System.Action<OperationAnalysisContext> analyze = c => Analyze(c, types, invalidOptions);
        // Status helpers (AnalyzeHelperCall) are methods of source, with names of the application's choosing.
        var resultCalls = ResponseStatus.StatusCallNames(types);
        OperationFilter.RegisterInvocationAction(context, resultCalls.Contains, analyze, sourceMethods: true);
        context.RegisterOperationAction(analyze, OperationKind.ObjectCreation);
        OperationFilter.RegisterPropertyAssignmentAction(context, n => n is "StatusCode" or "RejectionStatusCode", analyze);
    }

    private static void Analyze(OperationAnalysisContext context, WellKnownTypes types, InvalidOptionReporter invalidOptions)
    {
        var operation = context.Operation;
        if (operation is IInvocationOperation { Arguments.Length: >= 2 } call && call.TargetMethod.DeclaringSyntaxReferences.Length == 1)
        {
            AnalyzeHelperCall(context, types, invalidOptions, call);
            return;
        }

        var statuses = ResponseStatus.TryGetProducedStatus(operation, types, context.Compilation, context.CancellationToken, out var form);
        if (!statuses.HasConstants)
        {
            return;
        }

        // A status in a variable can be both (`code = busy ? 503 : 429`): each is checked on its own paths.
        if (statuses.Contains(503))
        {
            Analyze(context, types, invalidOptions, operation, statuses, form, 503);
        }

        if (statuses.Contains(429))
        {
            Analyze(context, types, invalidOptions, operation, statuses, form, 429);
        }
    }

    /// <summary>
    /// `WriteError(context, HttpStatusCode.ServiceUnavailable, "…")`: a helper of the same file sets the response status
    /// from its parameter and never sets Retry-After. Reported at the argument; the fix sets the header in the helper,
    /// guarded by the parameter.
    /// </summary>
    private static void AnalyzeHelperCall(OperationAnalysisContext context, WellKnownTypes types, InvalidOptionReporter invalidOptions, IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.DeclaringSyntaxReferences[0].SyntaxTree != call.Syntax.SyntaxTree
            || ResponseHelper.StatusOf(context.Compilation, method, types, context.CancellationToken) is not { Assignment: { } assignment, Value: { } guard } helper)
        {
            return;
        }

        IArgumentOperation? argument = null;
        foreach (var candidate in call.Arguments)
        {
            if (candidate.Parameter?.Ordinal == helper.Parameter && candidate.ArgumentKind == ArgumentKind.Explicit)
            {
                argument = candidate;
            }
        }

        if (argument is null)
        {
            return;
        }

        var statuses = StatusValueSet.Evaluate(argument.Value);
        ReportHelperArgument(context, types, invalidOptions, call, argument, assignment, guard, statuses, 503);
        ReportHelperArgument(context, types, invalidOptions, call, argument, assignment, guard, statuses, 429);
    }

    private static void ReportHelperArgument(OperationAnalysisContext context, WellKnownTypes types, InvalidOptionReporter invalidOptions, IInvocationOperation call, IArgumentOperation argument, SyntaxNode assignment, SyntaxNode guard, StatusSet statuses, int status)
    {
        if (!statuses.Contains(status) || HealthProbe.IsInProbe(call, context.ContainingSymbol, types))
        {
            return;
        }

        var tree = call.Syntax.SyntaxTree;
        var seconds = AnalyzerConfig.GetPositiveInt(context.Options, tree, AnalyzerConfig.RetryAfterSeconds, DefaultSeconds, out var invalid);
        var location = argument.Value.Syntax.GetLocation();
        if (invalid is not null)
        {
            invalidOptions.Add(AnalyzerConfig.RetryAfterSeconds, invalid, DefaultSeconds.ToString(CultureInfo.InvariantCulture), location);
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(FormKey, HelperForm)
            .Add(SecondsKey, seconds.ToString(CultureInfo.InvariantCulture))
            .Add(HelperStartKey, assignment.SpanStart.ToString(CultureInfo.InvariantCulture))
            .Add(HelperLengthKey, assignment.Span.Length.ToString(CultureInfo.InvariantCulture))
            .Add(GuardStartKey, guard.SpanStart.ToString(CultureInfo.InvariantCulture))
            .Add(GuardLengthKey, guard.Span.Length.ToString(CultureInfo.InvariantCulture));
        Report(context, status, location, properties);
    }

    private static void Analyze(OperationAnalysisContext context, WellKnownTypes types, InvalidOptionReporter invalidOptions, IOperation operation, StatusSet statuses, ResponseStatusForm form, int status)
    {
        if (HealthProbe.IsInProbe(operation, context.ContainingSymbol, types))
        {
            return;
        }

        // A status in a local that can hold others: each constant of this status is checked from where it is assigned.
        var statusLocal = statuses.Single == status ? null : StatusLocal(operation);
        if (form == ResponseStatusForm.RejectionStatusCode)
        {
            if (HasOnRejectedThatMaySetHeader(operation, types))
            {
                return;
            }
        }
        else if (IsProvenSetInTree(operation, statusLocal, statuses, status))
        {
            // `Response.Headers.RetryAfter = "30";` right before (or after) the status: the tree proves what the graph
            // would answer, so it is not built.
#if DEBUG
            if (!IsHeaderSet(context, operation, statusLocal, statuses, status))
            {
                throw new System.InvalidOperationException($"the tree proof of a Retry-After write disagrees with the graph at {operation.Syntax.GetLocation()}");
            }
#endif
            return;
        }
        else if (RetryAfterFlow.CannotBeSetIn(operation, operation.Root(), aroundOperationOnly: statusLocal is null))
        {
            // No header write is possible in this method, or none before the status and none on its way out: the graph would only say "not set". Not built.
#if DEBUG
            if (IsHeaderSet(context, operation, statusLocal, statuses, status))
            {
                throw new System.InvalidOperationException($"the syntax pre-check missed a Retry-After write or an unanalyzable graph at {operation.Syntax.GetLocation()}");
            }
#endif
            if (!HasGraph(operation.Root()))
            {
                return;
            }
        }
        else if (IsHeaderSet(context, operation, statusLocal, statuses, status))
        {
            return;
        }

        var tree = operation.Syntax.SyntaxTree;
        var seconds = AnalyzerConfig.GetPositiveInt(context.Options, tree, AnalyzerConfig.RetryAfterSeconds, DefaultSeconds, out var invalid);
        var location = operation.Syntax.GetLocation();
        if (invalid is not null)
        {
            invalidOptions.Add(AnalyzerConfig.RetryAfterSeconds, invalid, DefaultSeconds.ToString(CultureInfo.InvariantCulture), location);
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(FormKey, form.ToString())
            .Add(SecondsKey, seconds.ToString(CultureInfo.InvariantCulture));
        if (statuses.Single != status && GuardOperand(operation) is { } guard)
        {
            // The status can be another one: the fix sets the header only when it is this one.
            properties = properties
                .Add(GuardStartKey, guard.Syntax.SpanStart.ToString(CultureInfo.InvariantCulture))
                .Add(GuardLengthKey, guard.Syntax.Span.Length.ToString(CultureInfo.InvariantCulture));
        }

        Report(context, status, location, properties);
    }

    private static void Report(OperationAnalysisContext context, int status, Location location, ImmutableDictionary<string, string?> properties)
    {
        var descriptor = status == 503
            ? Descriptors.SE1003_ServiceUnavailableWithoutRetryAfter
            : Descriptors.SE1004_TooManyRequestsWithoutRetryAfter;
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties));
    }

    /// <summary>True when the header is set on the paths of this status, or the graph cannot tell (stay silent).</summary>
    private static bool IsHeaderSet(OperationAnalysisContext context, IOperation operation, ILocalSymbol? statusLocal, StatusSet statuses, int status)
    {
        var graph = TryGetGraph(context);
        if (statusLocal is null)
        {
            return RetryAfterFlow.IsHeaderSetAround(operation, graph, out var analyzed) || !analyzed;
        }

        return IsHeaderSetForEveryOrigin(operation, graph, statusLocal, statuses, status);
    }

    /// <summary>
    /// True when the operation tree proves that <see cref="IsHeaderSet"/> answers true (<see cref="RetryAfterFlow.IsSetAroundInTree"/>);
    /// for a status in a local, each constant of this status must have the header set before its assignment.
    /// </summary>
    private static bool IsProvenSetInTree(IOperation operation, ILocalSymbol? statusLocal, StatusSet statuses, int status)
    {
        if (statusLocal is null)
        {
            return RetryAfterFlow.IsSetAroundInTree(operation);
        }

        foreach (var member in statuses.Members)
        {
            if (member.Value != status)
            {
                continue;
            }

            if (AssignmentInThisMethod(member, operation) is not { } origin)
            {
                if (!RetryAfterFlow.IsSetAroundInTree(operation))
                {
                    return false;
                }

                continue;
            }

            if (!RetryAfterFlow.IsSetBeforeInTree(origin))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Where a constant of a status local is assigned in this method, outside the status expression: it is checked from
    /// there. Null (checked at the status itself) for a constant without such an assignment (a parameter, a helper's return).
    /// </summary>
    private static IOperation? AssignmentInThisMethod(StatusMember member, IOperation operation)
        => member.Origin is { } origin && !operation.Syntax.Span.Contains(origin.Syntax.Span) && ReferenceEquals(origin.Root(), operation.Root())
            ? origin
            : null;

    /// <summary>The local the status is read from (<c>(int)code</c> → <c>code</c>), or null.</summary>
    private static ILocalSymbol? StatusLocal(IOperation operation)
        => ResponseStatus.StatusExpression(operation)?.WithoutConversions() is ILocalReferenceOperation reference ? reference.Local : null;

    /// <summary>A local, parameter or field the status is read from, that the fix can compare again; else null.</summary>
    private static IOperation? GuardOperand(IOperation operation)
        => ResponseStatus.StatusExpression(operation)?.WithoutConversions() is { } value
            && value is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }
            ? value
            : null;

    private static bool IsHeaderSetForEveryOrigin(IOperation operation, ControlFlowGraph? graph, ILocalSymbol local, StatusSet statuses, int status)
    {
        foreach (var member in statuses.Members)
        {
            if (member.Value != status)
            {
                continue;
            }

            if (AssignmentInThisMethod(member, operation) is not { } origin)
            {
                if (!RetryAfterFlow.IsHeaderSetAround(operation, graph, out var analyzedHere) && analyzedHere)
                {
                    return false;
                }

                continue;
            }

            if (!RetryAfterFlow.IsHeaderSetForValue(origin, graph, local, status, out var analyzed) && analyzed)
            {
                return false;
            }
        }

        return true;
    }

    private static ControlFlowGraph? TryGetGraph(OperationAnalysisContext context)
    {
        return HasGraph(context.Operation.Root()) ? context.GetControlFlowGraph() : null;
    }

    // Only these roots have a control flow graph; elsewhere (broken code, attributes) stay silent.
    private static bool HasGraph(IOperation root)
        => root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
            or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer;

    /// <summary>
    /// True when the code that sets <c>RejectionStatusCode</c> also assigns an <c>OnRejected</c> that sets the header,
    /// or one that cannot be seen (a method group or delegate variable).
    /// </summary>
    private static bool HasOnRejectedThatMaySetHeader(IOperation operation, WellKnownTypes types)
    {
        var root = operation.Root();

        foreach (var descendant in root.Descendants())
        {
            if (descendant is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "OnRejected" } target } assignment
                && types.IsA(target.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_RateLimiting_RateLimiterOptions))
            {
                var value = assignment.Value;
                while (value is IConversionOperation or IDelegateCreationOperation)
                {
                    value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
                }

                if (value is not IAnonymousFunctionOperation lambda || RetryAfterHeader.ContainsWrite(lambda.Body))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
