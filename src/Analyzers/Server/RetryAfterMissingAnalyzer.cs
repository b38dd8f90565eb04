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
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RetryAfterMissingAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property: how the status is produced (a <see cref="ResponseStatusForm"/> name).</summary>
    internal const string FormKey = "Form";

    /// <summary>Property: the seconds the fix writes, from <c>server_errors.retry_after_seconds</c>.</summary>
    internal const string SecondsKey = "Seconds";

    internal const int DefaultSeconds = 30;

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        Descriptors.SE1003_ServiceUnavailableWithoutRetryAfter,
        Descriptors.SE1004_TooManyRequestsWithoutRetryAfter,
        Descriptors.SE0001_InvalidOption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
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
        context.RegisterOperationAction(
            c => Analyze(c, types, invalidOptions),
            OperationKind.Invocation,
            OperationKind.ObjectCreation,
            OperationKind.SimpleAssignment);
    }

    private static void Analyze(OperationAnalysisContext context, WellKnownTypes types, InvalidOptionReporter invalidOptions)
    {
        var operation = context.Operation;
        var status = ResponseStatus.TryGetProducedStatus(operation, types, context.Compilation, context.CancellationToken, out var form);
        if (status is not (503 or 429))
        {
            return;
        }

        if (HealthProbe.IsInProbe(operation, context.ContainingSymbol, types))
        {
            return;
        }

        if (form == ResponseStatusForm.RejectionStatusCode)
        {
            if (HasOnRejectedThatMaySetHeader(operation, types))
            {
                return;
            }
        }
        else
        {
            var graph = TryGetGraph(context);
            if (RetryAfterFlow.IsHeaderSetAround(operation, graph, out var analyzed) || !analyzed)
            {
                return;
            }
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
        var descriptor = status == 503
            ? Descriptors.SE1003_ServiceUnavailableWithoutRetryAfter
            : Descriptors.SE1004_TooManyRequestsWithoutRetryAfter;
        context.ReportDiagnostic(Diagnostic.Create(descriptor, location, properties));
    }

    private static ControlFlowGraph? TryGetGraph(OperationAnalysisContext context)
    {
        var root = context.Operation.Root();

        // Only these roots have a control flow graph; elsewhere (broken code, attributes) stay silent.
        return root.Kind is OperationKind.MethodBody or OperationKind.ConstructorBody or OperationKind.Block
            or OperationKind.FieldInitializer or OperationKind.PropertyInitializer or OperationKind.ParameterInitializer
            ? context.GetControlFlowGraph()
            : null;
    }

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
