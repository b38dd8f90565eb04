using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Server;

/// <summary>
/// SE1001: exception data (message, stack trace, <c>ToString()</c>, the exception object…) that reaches the body
/// of a 5xx response: MVC <c>StatusCode</c>/<c>Problem</c>/<c>ObjectResult</c>/<c>JsonResult</c>/<c>ContentResult</c>,
/// minimal-API <c>Results</c>/<c>TypedResults</c>, <c>HttpResponse</c> writes and problem-details writers.
/// </summary>
public sealed class ExceptionDetailsInResponseAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE1001_ExceptionDetailsInResponse);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = WellKnownTypes.Get(context.Compilation);
        var exception = types.Get(WellKnownType.System_Exception);
        var sinks = new Sinks(
            types,
            exception,
            types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase),
            types.Get(WellKnownType.Microsoft_AspNetCore_Http_Results),
            types.Get(WellKnownType.Microsoft_AspNetCore_Http_TypedResults),
            types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponse),
            types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponseWritingExtensions),
            types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponseJsonExtensions),
            types.Get(WellKnownType.Microsoft_AspNetCore_Http_IProblemDetailsService),
            types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ObjectResult),
            types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_JsonResult),
            types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ContentResult),
            types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ProblemDetails));

        // A console app or a library without ASP.NET Core pays nothing.
        if (exception is null || (sinks.ControllerBase is null && sinks.Results is null && sinks.HttpResponse is null && sinks.ObjectResult is null))
        {
            return;
        }

        // Helpers of the application (ReportHelperCall) have names of its choosing: every method of source gets through.
        OperationFilter.RegisterInvocationAction(context, Sinks.IsSinkName, sinks.AnalyzeInvocation, sourceMethods: true);
        if (sinks.ObjectResult is not null || sinks.JsonResult is not null || sinks.ContentResult is not null)
        {
            context.RegisterOperationAction(sinks.AnalyzeObjectCreation, OperationKind.ObjectCreation);
        }

        if (sinks.ProblemDetails is not null)
        {
            OperationFilter.RegisterPropertyAssignmentAction(context, n => n is "Detail" or "Title", sinks.AnalyzeAssignment, indexers: true);
        }
    }

    /// <summary>A leaked value: where it is sent and the exception data it carries.</summary>
    private readonly struct Leak
    {
        public Leak(IOperation value, IOperation source)
        {
            Value = value;
            Source = source;
        }

        public IOperation Value { get; }

        public IOperation Source { get; }
    }

    private sealed class Sinks
    {
        private readonly WellKnownTypes _types;
        private readonly INamedTypeSymbol? _exception;
        private readonly INamedTypeSymbol? _typedResults;
        private readonly INamedTypeSymbol? _writingExtensions;
        private readonly INamedTypeSymbol? _jsonExtensions;
        private readonly INamedTypeSymbol? _problemDetailsService;
        private readonly bool _resultTypesAreClasses;

        public Sinks(
            WellKnownTypes types,
            INamedTypeSymbol? exception,
            INamedTypeSymbol? controllerBase,
            INamedTypeSymbol? results,
            INamedTypeSymbol? typedResults,
            INamedTypeSymbol? httpResponse,
            INamedTypeSymbol? writingExtensions,
            INamedTypeSymbol? jsonExtensions,
            INamedTypeSymbol? problemDetailsService,
            INamedTypeSymbol? objectResult,
            INamedTypeSymbol? jsonResult,
            INamedTypeSymbol? contentResult,
            INamedTypeSymbol? problemDetails)
        {
            _types = types;
            _exception = exception;
            ControllerBase = controllerBase;
            Results = results;
            _typedResults = typedResults;
            HttpResponse = httpResponse;
            _writingExtensions = writingExtensions;
            _jsonExtensions = jsonExtensions;
            _problemDetailsService = problemDetailsService;
            ObjectResult = objectResult;
            JsonResult = jsonResult;
            ContentResult = contentResult;
            ProblemDetails = problemDetails;
            _resultTypesAreClasses = objectResult?.TypeKind is null or TypeKind.Class
                && jsonResult?.TypeKind is null or TypeKind.Class
                && contentResult?.TypeKind is null or TypeKind.Class;
        }

        public INamedTypeSymbol? ControllerBase { get; }

        public INamedTypeSymbol? Results { get; }

        public INamedTypeSymbol? HttpResponse { get; }

        public INamedTypeSymbol? ObjectResult { get; }

        public INamedTypeSymbol? JsonResult { get; }

        public INamedTypeSymbol? ContentResult { get; }

        public INamedTypeSymbol? ProblemDetails { get; }

        /// <summary>The names of <see cref="AnalyzeInvocation"/>'s cases; its default case looks only at methods of source.</summary>
        public static bool IsSinkName(string name)
            => name is "StatusCode" or "Problem" or "Json" or "Content" or "Text" or "InternalServerError" or "WriteAsync"
                or "WriteAsJsonAsync" or "TryWriteAsync" or "Write" or "Add" or "TryAdd";

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            switch (method.Name)
            {
                case "StatusCode" when Is(type, ControllerBase):
                    // StatusCode(int statusCode, object? value)
                    if (invocation.Arguments.Length == 2 && method.Parameters.Length == 2)
                    {
                        ReportPayload(context, invocation, ResponseStatus.OfResultCall(invocation, _types));
                    }

                    break;

                case "Problem" when Is(type, ControllerBase) || Is(type, Results) || Is(type, _typedResults):
                case "Json" or "Content" or "Text" or "InternalServerError" when Is(type, Results) || Is(type, _typedResults):
                    ReportPayload(context, invocation, ResponseStatus.OfResultCall(invocation, _types));
                    break;

                case "WriteAsync" when Is(type, _writingExtensions):
                case "WriteAsJsonAsync" when Is(type, _jsonExtensions):
                    ReportDirectWrite(context, invocation);
                    break;

                case "WriteAsync" or "TryWriteAsync" when _types.IsA(type, WellKnownType.Microsoft_AspNetCore_Http_IProblemDetailsService) || Is(type, _problemDetailsService):
                    ReportProblemDetailsWrite(context, invocation);
                    break;

                case "Write" or "WriteAsync" when invocation.Instance is IPropertyReferenceOperation { Property.Name: "Body" } body
                    && _types.IsA(body.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse):
                    ReportDirectWrite(context, invocation);
                    break;

                case "Add" or "TryAdd" when invocation.Instance is { } receiver && IsProblemDetailsContextMember(receiver, "Extensions"):
                    // `context.ProblemDetails.Extensions.Add("trace", …)` while customizing an exception's problem details.
                    if (invocation.Arguments.Length == 2)
                    {
                        ReportCustomizedProblem(context, invocation, invocation.Arguments[1].Value);
                    }

                    break;

                default:
                    if (invocation.Arguments.Length >= 2 && method.DeclaringSyntaxReferences.Length > 0)
                    {
                        ReportHelperCall(context, invocation);
                    }

                    break;
            }
        }

        /// <summary>
        /// `WriteError(context, HttpStatusCode.InternalServerError, ex.Message)`: a helper of the application writes
        /// its parameter as the body; the call site supplies the body (and the status, when it is a parameter) and
        /// is where the leak is reported.
        /// </summary>
        private void ReportHelperCall(OperationAnalysisContext context, IInvocationOperation invocation)
        {
            var writes = ResponseHelper.WritesOf(context.Compilation, invocation.TargetMethod, _types, context.CancellationToken);
            if (writes.IsEmpty || EnvironmentGuard.IsGuarded(invocation))
            {
                return;
            }

            for (var i = 0; i < writes.Length; i++)
            {
                var write = writes[i];
                if (IndexOfEarlierBody(writes, i) >= 0)
                {
                    continue;
                }

                // Several writes of the same body (one per branch of the helper): their statuses join.
                var status = StatusOf(invocation, write);
                for (var j = i + 1; j < writes.Length; j++)
                {
                    if (writes[j].BodyParameter == write.BodyParameter)
                    {
                        status = status.Union(StatusOf(invocation, writes[j]));
                    }
                }

                if (status.FirstServerError is null || ArgumentAt(invocation, write.BodyParameter) is not { } body)
                {
                    continue;
                }

                var leaks = new List<Leak>();
                Decompose(body.Value, leaks, context.Compilation, context.CancellationToken);
                Report(context, leaks, status);
            }
        }

        private static int IndexOfEarlierBody(System.Collections.Immutable.ImmutableArray<HelperWrite> writes, int index)
        {
            for (var j = 0; j < index; j++)
            {
                if (writes[j].BodyParameter == writes[index].BodyParameter)
                {
                    return j;
                }
            }

            return -1;
        }

        private static StatusSet StatusOf(IInvocationOperation invocation, HelperWrite write)
        {
            if (write.StatusParameter < 0)
            {
                return write.Status;
            }

            return ArgumentAt(invocation, write.StatusParameter) is { ArgumentKind: not ArgumentKind.DefaultValue } status
                ? StatusValueSet.Evaluate(status.Value)
                : StatusSet.Unknown;
        }

        private static IArgumentOperation? ArgumentAt(IInvocationOperation invocation, int ordinal)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal)
                {
                    return argument;
                }
            }

            return null;
        }

        public void AnalyzeObjectCreation(OperationAnalysisContext context)
        {
            var creation = (IObjectCreationOperation)context.Operation;
            var type = creation.Type;
            if (type is null || creation.Constructor is null)
            {
                return;
            }

            if (!IsResultType(type))
            {
                return;
            }

            var status = ResponseStatus.OfResultCreation(creation, _types, context.Compilation, context.CancellationToken, out var hasOwnStatus);
            if (!hasOwnStatus)
            {
                // `Response.StatusCode = 500; context.Result = new JsonResult(…);`: sent with the status already on the response.
                status = ResponseStatus.AssignedBefore(creation, _types);
            }

            if (status.FirstServerError is null || EnvironmentGuard.IsGuarded(creation))
            {
                return;
            }

            var leaks = new List<Leak>();
            foreach (var argument in creation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter is { } parameter && IsPayloadParameter(parameter))
                {
                    Decompose(argument.Value, leaks, context.Compilation, context.CancellationToken);
                }
            }

            if (creation.Initializer is not null)
            {
                foreach (var element in creation.Initializer.Initializers)
                {
                    if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Value" or "Content" } } assignment)
                    {
                        Decompose(assignment.Value, leaks, context.Compilation, context.CancellationToken);
                    }
                }
            }

            Report(context, leaks, status);
        }

        /// <summary>
        /// <c>IsA(type, ObjectResult) || IsA(type, JsonResult) || IsA(type, ContentResult)</c> in one walk of the base
        /// types (every object creation of the compilation comes here).
        /// </summary>
        private bool IsResultType(ITypeSymbol type)
        {
            if (!_resultTypesAreClasses)
            {
                // A target resolved to an interface (a user type with the framework's name): the general test.
                return WellKnownTypes.IsA(type, ObjectResult) || WellKnownTypes.IsA(type, JsonResult) || WellKnownTypes.IsA(type, ContentResult);
            }

            var found = false;
            for (var current = type; current is not null; current = current.BaseType)
            {
                var definition = current.OriginalDefinition;
                if (Is(definition, ObjectResult) || Is(definition, JsonResult) || Is(definition, ContentResult))
                {
                    found = true;
                    break;
                }
            }

#if DEBUG
            if (found != (WellKnownTypes.IsA(type, ObjectResult) || WellKnownTypes.IsA(type, JsonResult) || WellKnownTypes.IsA(type, ContentResult)))
            {
                throw new System.InvalidOperationException($"IsResultType disagrees with IsA for {type}");
            }
#endif
            return found;
        }

        public void AnalyzeAssignment(OperationAnalysisContext context)
        {
            // `context.ProblemDetails.Detail = context.Exception?.Message` / `.Extensions["trace"] = …`
            var assignment = (ISimpleAssignmentOperation)context.Operation;
            if (assignment.Target is not IPropertyReferenceOperation target)
            {
                return;
            }

            var isPayload = target.Property.IsIndexer
                ? target.Instance is { } dictionary && IsProblemDetailsContextMember(dictionary, "Extensions")
                : target.Property.Name is "Detail" or "Title" && target.Instance is { } problem && IsProblemDetailsContextMember(problem, null);
            if (isPayload)
            {
                ReportCustomizedProblem(context, assignment, assignment.Value);
            }
        }

        private void ReportCustomizedProblem(OperationAnalysisContext context, IOperation sink, IOperation value)
        {
            if (EnvironmentGuard.IsGuarded(sink) || !ResponseStatus.IsExceptionHandlingContext(sink, _types, context.ContainingSymbol))
            {
                return;
            }

            var leaks = new List<Leak>();
            Decompose(value, leaks, context.Compilation, context.CancellationToken);
            Report(context, leaks, StatusSet.Of(500));
        }

        /// <summary>`X.ProblemDetails` (member null) or `X.ProblemDetails.Extensions` where X is a ProblemDetailsContext.</summary>
        private bool IsProblemDetailsContextMember(IOperation operation, string? member)
        {
            if (member is not null)
            {
                if (operation is not IPropertyReferenceOperation property || property.Property.Name != member || property.Instance is null)
                {
                    return false;
                }

                operation = property.Instance;
            }

            return operation is IPropertyReferenceOperation { Property.Name: "ProblemDetails" } problem
                && _types.IsA(problem.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_ProblemDetailsContext)
                && WellKnownTypes.IsA(problem.Property.Type, ProblemDetails);
        }

        private void ReportPayload(OperationAnalysisContext context, IInvocationOperation invocation, StatusSet status)
        {
            if (status.FirstServerError is null || EnvironmentGuard.IsGuarded(invocation))
            {
                return;
            }

            var leaks = new List<Leak>();
            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue && argument.Parameter is { } parameter && IsPayloadParameter(parameter))
                {
                    Decompose(argument.Value, leaks, context.Compilation, context.CancellationToken);
                }
            }

            Report(context, leaks, status);
        }

        private void ReportDirectWrite(OperationAnalysisContext context, IInvocationOperation invocation)
        {
            // WriteAsync(this HttpResponse, string text…), WriteAsJsonAsync(this HttpResponse, T value…), Body.WriteAsync(buffer…)
            var payload = invocation.ArgumentFor("text") ?? invocation.ArgumentFor("value") ?? invocation.ArgumentFor("buffer");
            if (payload is null || EnvironmentGuard.IsGuarded(invocation))
            {
                return;
            }

            var leaks = new List<Leak>();
            Decompose(payload.Value, leaks, context.Compilation, context.CancellationToken);
            if (leaks.Count == 0)
            {
                return;
            }

            Report(context, leaks, ResponseStatus.AtWrite(invocation, _types, context.ContainingSymbol));
        }

        private void ReportProblemDetailsWrite(OperationAnalysisContext context, IInvocationOperation invocation)
        {
            if (invocation.Arguments.Length != 1 || EnvironmentGuard.IsGuarded(invocation))
            {
                return;
            }

            var argument = invocation.Arguments[0].Value;
            var leaks = new List<Leak>();
            Decompose(argument, leaks, context.Compilation, context.CancellationToken);
            if (leaks.Count == 0)
            {
                return;
            }

            // The ProblemDetails.Status of the context when it is proven, else the response's status.
            var status = StatusSet.None;
            if (OperationTree.WithoutConversions(argument) is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.Initializers)
                {
                    if (element is IMemberInitializerOperation { InitializedMember: IPropertyReferenceOperation { Property.Name: "ProblemDetails" } } member)
                    {
                        if (!ResponseStatus.InitializerStatus(member.Initializer, out status))
                        {
                            return;
                        }
                    }
                    else if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ProblemDetails" } } assignment)
                    {
                        if (!ResponseStatus.ProblemDetailsStatus(assignment.Value, out status))
                        {
                            return;
                        }
                    }
                }
            }

            if (status.IsNone)
            {
                status = ResponseStatus.AtWrite(invocation, _types, context.ContainingSymbol);
            }

            Report(context, leaks, status);
        }

        /// <summary>Reports each leak whose path can carry a 5xx of <paramref name="status"/> (a message set only on the 404 branch is not).</summary>
        private static void Report(OperationAnalysisContext context, List<Leak> leaks, StatusSet status)
        {
            if (status.FirstServerError is null)
            {
                return;
            }

            foreach (var leak in leaks)
            {
                if (status.ServerErrorOnPathOf(leak.Source) is not { } value)
                {
                    continue;
                }

                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE1001_ExceptionDetailsInResponse,
                    leak.Value.Syntax.GetLocation(),
                    ExceptionTaint.Describe(leak.Source),
                    value.ToString(CultureInfo.InvariantCulture)));
            }
        }

        /// <summary>
        /// Splits a payload into the values that are sent: members of anonymous objects, initializers and
        /// constructor arguments of objects, dictionary entries, array elements, both arms of <c>?:</c>, the
        /// argument of <c>JsonSerializer.Serialize</c>, and the parts of a local holding such an object.
        /// Every part that carries exception data is a leak.
        /// </summary>
        private void Decompose(IOperation? value, List<Leak> leaks, Compilation compilation, CancellationToken cancellationToken, int depth = 0)
        {
            if (value is null || depth > 16)
            {
                return;
            }

            value = OperationTree.WithoutConversions(value);
            switch (value)
            {
                case IAnonymousObjectCreationOperation anonymous:
                    foreach (var initializer in anonymous.Initializers)
                    {
                        if (initializer is ISimpleAssignmentOperation member)
                        {
                            Decompose(member.Value, leaks, compilation, cancellationToken, depth + 1);
                        }
                    }

                    return;

                case IObjectCreationOperation creation when ExceptionTaint.IsStructural(creation, _exception, _types):
                    foreach (var argument in creation.Arguments)
                    {
                        if (ExceptionTaint.IsException(OperationTree.WithoutConversions(argument.Value).Type, _exception))
                        {
                            // An exception handed to a constructor leaks only when the constructor (of this compilation) reads it.
                            if (creation.Constructor is { DeclaringSyntaxReferences.Length: > 0 }
                                && ExceptionTaint.FindSource(compilation, creation, cancellationToken) is { } constructorSource)
                            {
                                leaks.Add(new Leak(argument.Value, constructorSource));
                            }

                            continue;
                        }

                        Decompose(argument.Value, leaks, compilation, cancellationToken, depth + 1);
                    }

                    if (creation.Initializer is not null)
                    {
                        DecomposeInitializer(creation.Initializer, creation.Type, leaks, compilation, cancellationToken, depth + 1);
                    }

                    return;

                case IArrayCreationOperation { Initializer: { } arrayInitializer }:
                    DecomposeInitializer(arrayInitializer, null, leaks, compilation, cancellationToken, depth + 1);
                    return;

                case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                    Decompose(conditional.WhenTrue, leaks, compilation, cancellationToken, depth + 1);
                    Decompose(whenFalse, leaks, compilation, cancellationToken, depth + 1);
                    return;

                case IInvocationOperation { Arguments.Length: > 0 } serialize when IsSerializer(serialize.TargetMethod):
                    Decompose(serialize.Arguments[0].Value, leaks, compilation, cancellationToken, depth + 1);
                    return;

                case ILocalReferenceOperation local when ContainerInitializer(local) is { } container:
                    DecomposeContainer(local, container, leaks, compilation, cancellationToken, depth + 1);
                    return;

                case ILocalReferenceOperation serialized when SerializedWrites(serialized, compilation, cancellationToken) is { } writes:
                    // `body = JsonConvert.SerializeObject(new { error = ex.Message });` on one branch: the member leaks, not the whole text.
                    foreach (var write in writes)
                    {
                        Decompose(write, leaks, compilation, cancellationToken, depth + 1);
                    }

                    return;

                case IInvocationOperation { Instance: { } dto, TargetMethod: { Name: "ToString", Parameters.Length: 0, DeclaringSyntaxReferences.Length: > 0 } }
                    when ExceptionTaint.IsStructural(dto, _exception, _types):
                    // `new ErrorDetails { Message = ex.Message }.ToString()` with a ToString that serializes the DTO.
                    Decompose(dto, leaks, compilation, cancellationToken, depth + 1);
                    return;

                case IInvocationOperation helper when helper.TargetMethod.DeclaringSyntaxReferences.Length > 0
                    && ExceptionTaint.TaintedParameter(compilation, helper, cancellationToken) >= 0:
                    // `dto.ToJson()`, `new BaseResponse().AsError("…", $"{ex.Message}")`: the helper returns what the
                    // arguments carry, so the leaks are in the arguments.
                    foreach (var argument in helper.Arguments)
                    {
                        if (!ExceptionTaint.IsException(OperationTree.WithoutConversions(argument.Value).Type, _exception))
                        {
                            Decompose(argument.Value, leaks, compilation, cancellationToken, depth + 1);
                        }
                    }

                    return;
            }

            if (ExceptionTaint.FindSource(compilation, value, cancellationToken) is { } source)
            {
                leaks.Add(new Leak(value, source));
            }
        }

        private void DecomposeInitializer(IOperation initializer, ITypeSymbol? createdType, List<Leak> leaks, Compilation compilation, CancellationToken cancellationToken, int depth)
        {
            switch (initializer)
            {
                case IObjectOrCollectionInitializerOperation objectInitializer:
                    foreach (var element in objectInitializer.Initializers)
                    {
                        DecomposeInitializer(element, createdType, leaks, compilation, cancellationToken, depth);
                    }

                    break;

                case IArrayInitializerOperation arrayInitializer:
                    foreach (var element in arrayInitializer.ElementValues)
                    {
                        if (element is IArrayInitializerOperation nested)
                        {
                            DecomposeInitializer(nested, null, leaks, compilation, cancellationToken, depth);
                        }
                        else
                        {
                            Decompose(element, leaks, compilation, cancellationToken, depth);
                        }
                    }

                    break;

                case IMemberInitializerOperation member:
                    if (!ExceptionTaint.SkipsMember(member.InitializedMember, createdType))
                    {
                        DecomposeInitializer(member.Initializer, createdType, leaks, compilation, cancellationToken, depth);
                    }

                    break;

                case ISimpleAssignmentOperation assignment:
                    if (!ExceptionTaint.SkipsMember(assignment.Target, createdType)
                        && !(assignment.Target is IPropertyReferenceOperation { Property.Name: "Status" } && WellKnownTypes.IsA(createdType, ProblemDetails)))
                    {
                        Decompose(assignment.Value, leaks, compilation, cancellationToken, depth);
                    }

                    break;

                case IInvocationOperation add:
                    // Collection initializer `{ "trace", ex.StackTrace }`: the key is the author's text.
                    for (var i = 0; i < add.Arguments.Length; i++)
                    {
                        if (i > 0 || add.Arguments.Length == 1)
                        {
                            Decompose(add.Arguments[i].Value, leaks, compilation, cancellationToken, depth);
                        }
                    }

                    break;
            }
        }

        /// <summary>The object a local holds when it is built once (anonymous object, DTO, dictionary) and then only filled in.</summary>
        private IOperation? ContainerInitializer(ILocalReferenceOperation reference)
        {
            var local = reference.Local;
            if (local.Type is null || _types.IsA(local.Type, WellKnownType.System_Text_StringBuilder)
                || ExceptionTaint.IsException(local.Type, _exception)
                || OperationTree.SingleInitializer(local, reference) is not { } initializer)
            {
                return null;
            }

            var unwrapped = OperationTree.WithoutConversions(initializer);
            if (local.Type.SpecialType == SpecialType.System_String)
            {
                // `var json = JsonSerializer.Serialize(new { … }); await Response.WriteAsync(json);`
                return unwrapped is IInvocationOperation invocation && IsSerializer(invocation.TargetMethod) ? unwrapped : null;
            }

            return unwrapped is IAnonymousObjectCreationOperation || (unwrapped is IObjectCreationOperation && ExceptionTaint.IsStructural(unwrapped, _exception, _types))
                || (unwrapped is IObjectCreationOperation creation && creation.Arguments.Length == 0)
                ? unwrapped
                : null;
        }

        private void DecomposeContainer(ILocalReferenceOperation reference, IOperation initializer, List<Leak> leaks, Compilation compilation, CancellationToken cancellationToken, int depth)
        {
            Decompose(initializer, leaks, compilation, cancellationToken, depth);

            var top = reference.Root();

            var usePosition = reference.Syntax.SpanStart;
            foreach (var descendant in top.Descendants())
            {
                if (descendant.Syntax.SpanStart >= usePosition)
                {
                    continue;
                }

                switch (descendant)
                {
                    case ISimpleAssignmentOperation assignment when assignment.Target is not ILocalReferenceOperation
                        && ExceptionTaint.IsRootedAt(assignment.Target, reference.Local)
                        && !(assignment.Target is IPropertyReferenceOperation { Property.Name: "Status" or "StatusCode" }):
                        // `problem.Detail = …`, `body["trace"] = …`, `problem.Extensions["trace"] = …`
                        Decompose(assignment.Value, leaks, compilation, cancellationToken, depth);
                        break;

                    case IInvocationOperation { Instance: { } receiver } invocation when invocation.TargetMethod.Name is "Add" or "TryAdd" or "Insert"
                        && ExceptionTaint.IsRootedAt(receiver, reference.Local):
                        // `body.Add("trace", …)`, `problem.Extensions.TryAdd("trace", …)`: the value, not the key.
                        for (var i = invocation.Arguments.Length > 1 ? 1 : 0; i < invocation.Arguments.Length; i++)
                        {
                            Decompose(invocation.Arguments[i].Value, leaks, compilation, cancellationToken, depth);
                        }

                        break;
                }
            }
        }

        /// <summary>
        /// For a string local written more than once: the serializer calls among its writes before the use, when every
        /// write that carries exception data is one; else null (the whole local is reported).
        /// </summary>
        private List<IOperation>? SerializedWrites(ILocalReferenceOperation reference, Compilation compilation, CancellationToken cancellationToken)
        {
            var local = reference.Local;
            if (local.Type?.SpecialType != SpecialType.System_String)
            {
                return null;
            }

            List<IOperation>? writes = null;
            var multiple = false;
            var usePosition = reference.Syntax.SpanStart;
            foreach (var descendant in reference.Root().Descendants())
            {
                if (descendant.Syntax.SpanStart >= usePosition)
                {
                    continue;
                }

                var value = descendant switch
                {
                    IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                    ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                    IAssignmentOperation { Target: ILocalReferenceOperation other } when SymbolEqualityComparer.Default.Equals(other.Local, local) => reference,
                    _ => null,
                };

                if (value is null || value.ConstantValue.HasValue)
                {
                    continue;
                }

                if (ReferenceEquals(value, reference))
                {
                    return null;
                }

                if (ExceptionTaint.FindSource(compilation, value, cancellationToken) is null)
                {
                    // `string.Empty`, a generic text, a serialized DTO without exception data.
                    continue;
                }

                foreach (var part in value.DescendantsAndSelf())
                {
                    if (part is ILocalReferenceOperation self && SymbolEqualityComparer.Default.Equals(self.Local, local))
                    {
                        // `message = message.Trim()`: the local is built up; report it as a whole.
                        return null;
                    }
                }

                (writes ??= new List<IOperation>()).Add(value);
                if (OperationTree.WithoutConversions(value) is not IInvocationOperation invocation || !IsSerializer(invocation.TargetMethod))
                {
                    // Other tainted writes (`message = ex.Message` on one branch) are reported where they are written,
                    // so that each is checked against the status of its own branch; only when there are several.
                    multiple = true;
                }
            }

            return writes is null || (multiple && writes.Count < 2) ? null : writes;
        }

        private bool IsSerializer(IMethodSymbol method)
            => method.Name is "Serialize" or "SerializeObject" or "SerializeToUtf8Bytes"
                && (_types.IsA(method.ContainingType, WellKnownType.System_Text_Json_JsonSerializer) || _types.IsA(method.ContainingType, WellKnownType.Newtonsoft_Json_JsonConvert));

        private bool IsPayloadParameter(IParameterSymbol parameter)
        {
            if (parameter.Name is "statusCode" or "contentType" or "cancellationToken")
            {
                return false;
            }

            // `Json<TValue>(TValue data…)`: the declared parameter type, not the inferred one.
            var type = parameter.OriginalDefinition.Type;
            return type.SpecialType is SpecialType.System_String or SpecialType.System_Object
                || type.TypeKind is TypeKind.TypeParameter or TypeKind.Interface
                || WellKnownTypes.IsA(type, ProblemDetails);
        }

        private static bool Is(ITypeSymbol? type, INamedTypeSymbol? target)
            => target is not null && SymbolEqualityComparer.Default.Equals(type, target);
    }
}
