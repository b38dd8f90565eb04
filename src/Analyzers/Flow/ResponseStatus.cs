using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Operations;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ServerErrors.Analyzers.Flow;

/// <summary>How a response status is produced.</summary>
internal enum ResponseStatusForm
{
    /// <summary>Not a status-producing operation.</summary>
    None,

    /// <summary>A result object or helper: <c>StatusCode(503)</c>, <c>Results.Problem(statusCode: 503)</c>, <c>new StatusCodeResult(503)</c>, <c>new ObjectResult(x) { StatusCode = 503 }</c>.</summary>
    Result,

    /// <summary><c>response.StatusCode = 503</c> on an <c>HttpResponse</c>.</summary>
    ResponseStatusCode,

    /// <summary><c>RateLimiterOptions.RejectionStatusCode = 503</c>.</summary>
    RejectionStatusCode,
}

/// <summary>
/// Where a response's status comes from. Recognises the operations by which ASP.NET Core code produces a response with a constant status:
/// MVC/Razor Pages helpers and result types, minimal-API <c>Results</c>/<c>TypedResults</c>,
/// <c>HttpResponse.StatusCode</c> assignments and the rate limiter's rejection status.
/// </summary>
internal static class ResponseStatus
{
    /// <summary>The constant status <paramref name="operation"/> produces, or null; <paramref name="form"/> tells how.</summary>
    public static int? TryGetProducedStatus(IOperation operation, WellKnownTypes types, Compilation compilation, CancellationToken cancellationToken, out ResponseStatusForm form)
    {
        form = ResponseStatusForm.None;
        switch (operation)
        {
            case IInvocationOperation invocation:
                return Produced(OfResultCall(invocation, types), ref form);

            case IObjectCreationOperation creation:
                return Produced(OfResultCreation(creation, types, compilation, cancellationToken), ref form);

            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                when target.Property.Name is "StatusCode" or "RejectionStatusCode":
                if (assignment.Parent is IObjectOrCollectionInitializerOperation)
                {
                    // Part of `new ObjectResult(x) { StatusCode = 503 }`: reported on the creation.
                    return null;
                }

                var owner = target.Property.ContainingType;
                if (target.Property.Name == "RejectionStatusCode")
                {
                    if (!types.IsA(owner, WellKnownType.Microsoft_AspNetCore_RateLimiting_RateLimiterOptions))
                    {
                        return null;
                    }

                    form = ResponseStatusForm.RejectionStatusCode;
                }
                else if (types.IsA(owner, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse))
                {
                    form = ResponseStatusForm.ResponseStatusCode;
                }
                else if (types.IsA(owner, WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult)
                    && target.Instance is not IInstanceReferenceOperation)
                {
                    // A result type setting its own status (`StatusCode = 503;` in its constructor) defines a result;
                    // the response is where it is created, and that creation is what gets reported.
                    // `result.StatusCode = 503;` on an ObjectResult/JsonResult/ContentResult.
                    form = ResponseStatusForm.Result;
                }
                else
                {
                    return null;
                }

                var value = StatusCode.TryGetConstant(assignment.Value);
                if (value is null)
                {
                    form = ResponseStatusForm.None;
                }

                return value;

            default:
                return null;
        }
    }

    private static int? Produced(int? status, ref ResponseStatusForm form)
    {
        if (status is not null)
        {
            form = ResponseStatusForm.Result;
        }

        return status;
    }

    // ---- Results: the status a result carries (SE1001, SE1003, SE1004) ----

    /// <summary>
    /// The constant status of the result an MVC/Razor Pages helper or a <c>Results</c>/<c>TypedResults</c> factory
    /// returns: its <c>statusCode</c> argument, else the framework's default (<c>Problem</c> → 500 or the Status of its
    /// ProblemDetails, <c>InternalServerError</c> → 500). Null for other calls and computed statuses.
    /// </summary>
    public static int? OfResultCall(IInvocationOperation invocation, WellKnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (!IsResultFactory(method.ContainingType, types))
        {
            return null;
        }

        return method.Name switch
        {
            "Problem" => ProblemStatus(invocation),
            "InternalServerError" => 500,
            _ => invocation.ArgumentFor("statusCode") is { ArgumentKind: not ArgumentKind.DefaultValue } status ? StatusCode.TryGetConstant(status.Value) : null,
        };
    }

    /// <summary>
    /// The constant status of a created action result: a <c>StatusCode</c> initializer, else the <c>statusCode</c>
    /// argument (<c>new StatusCodeResult(503)</c>), else the status a result type of this compilation sets in its
    /// constructor, else the Status of the ProblemDetails an <c>ObjectResult</c> wraps.
    /// </summary>
    public static int? OfResultCreation(IObjectCreationOperation creation, WellKnownTypes types, Compilation compilation, CancellationToken cancellationToken)
    {
        var type = creation.Type;
        if (!types.IsA(type, WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult))
        {
            return null;
        }

        if (creation.Initializer is { } initializer)
        {
            var assigned = false;
            int? fromInitializer = null;
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } } assignment)
                {
                    fromInitializer = StatusCode.TryGetConstant(assignment.Value);
                    assigned = true;
                }
            }

            if (assigned)
            {
                return fromInitializer;
            }
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == "statusCode")
            {
                return StatusCode.TryGetConstant(argument.Value);
            }
        }

        if (creation.Constructor is { } constructor && ConstructorStatus(compilation, constructor, types, cancellationToken) is { } fromConstructor)
        {
            return fromConstructor;
        }

        // `new ObjectResult(problemDetails)` takes the Status of the ProblemDetails.
        if (SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ObjectResult))
            && creation.Arguments.Length == 1
            && ProblemDetailsStatus(creation.Arguments[0].Value, out var problemStatus))
        {
            return problemStatus;
        }

        return null;
    }

    /// <summary>
    /// The Status a ProblemDetails value carries: true with the constant (or null when unset); false when it is
    /// computed or the value is not built here.
    /// </summary>
    public static bool ProblemDetailsStatus(IOperation value, out int? status)
    {
        status = null;
        value = value.WithoutConversions();
        if (value is ILocalReferenceOperation local && SingleInitializer(local) is { } initializer)
        {
            value = initializer.WithoutConversions();
        }

        if (value is not IObjectCreationOperation creation)
        {
            return false;
        }

        return creation.Initializer is null || InitializerStatus(creation.Initializer, out status);
    }

    /// <summary>The Status a ProblemDetails initializer assigns: true with the constant (or null when unset); false when computed.</summary>
    public static bool InitializerStatus(IObjectOrCollectionInitializerOperation initializer, out int? status)
    {
        status = null;
        foreach (var element in initializer.Initializers)
        {
            if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Status" } } assignment)
            {
                var value = assignment.Value.WithoutConversions();
                if (value.ConstantValue is { HasValue: true, Value: null })
                {
                    status = null;
                    continue;
                }

                status = StatusCode.TryGetConstant(value);
                if (status is null)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static int? ProblemStatus(IInvocationOperation invocation)
    {
        // Problem(detail, instance, statusCode, title, type[, extensions]): 500 unless another status is given.
        if (invocation.ArgumentFor("statusCode") is { ArgumentKind: not ArgumentKind.DefaultValue } statusArgument)
        {
            var value = statusArgument.Value.WithoutConversions();
            return value.ConstantValue is { HasValue: true, Value: null } ? 500 : StatusCode.TryGetConstant(value);
        }

        // Problem(ProblemDetails): its Status, 500 when unset.
        if (invocation.ArgumentFor("problemDetails") is { } problemArgument)
        {
            return ProblemDetailsStatus(problemArgument.Value, out var status) ? status ?? 500 : null;
        }

        return 500;
    }

    /// <summary>The initializer of a local that is never assigned again (nor its Status), or null.</summary>
    private static IOperation? SingleInitializer(ILocalReferenceOperation reference)
    {
        IOperation? initializer = null;
        foreach (var descendant in reference.Root().Descendants())
        {
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, reference.Local):
                    initializer = declarator.Initializer?.Value;
                    break;
                case IAssignmentOperation assignment when ExceptionTaint.IsRootedAt(assignment.Target, reference.Local)
                    && (assignment.Target is ILocalReferenceOperation || assignment.Target is IPropertyReferenceOperation { Property.Name: "Status" }):
                    return null;
            }
        }

        return initializer;
    }

    /// <summary>`class InternalErrorResult : ObjectResult { public InternalErrorResult(object v) : base(v) { StatusCode = 500; } }`.</summary>
    private static int? ConstructorStatus(Compilation compilation, IMethodSymbol constructor, WellKnownTypes types, CancellationToken cancellationToken)
    {
        if (constructor.DeclaringSyntaxReferences.Length == 0 || ExceptionTaint.GetBody(compilation, constructor, cancellationToken) is not { } body)
        {
            return null;
        }

        int? status = null;
        foreach (var descendant in body.Descendants())
        {
            if (descendant is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } target } assignment
                && types.IsA(target.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult))
            {
                status = StatusCode.TryGetConstant(assignment.Value);
                if (status is null)
                {
                    return null;
                }
            }
        }

        return status;
    }

    private static bool IsResultFactory(INamedTypeSymbol? type, WellKnownTypes types)
    {
        if (type is null)
        {
            return false;
        }

        return SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Http_Results))
            || SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Http_TypedResults))
            || SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase))
            || SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel));
    }

    // ---- Direct writes (SE1001): the status on the path to Response.WriteAsync & co. ----

    private enum Found
    {
        None,
        Constant,
        Unknown,
    }

    /// <summary>The status a direct write at <paramref name="write"/> sends, or null when the code does not prove one.</summary>
    public static int? AtWrite(IOperation write, WellKnownTypes types, ISymbol? containingSymbol)
    {
        switch (LastAssignedBefore(write, types, out var status))
        {
            case Found.Constant:
                return status;
            case Found.Unknown:
                return null;
            default:
                return IsExceptionHandlingContext(write, types, containingSymbol) ? 500 : null;
        }
    }

    /// <summary>
    /// True inside <c>UseExceptionHandler</c> lambdas, <c>ExceptionHandlerOptions.ExceptionHandler</c>,
    /// <c>ProblemDetailsOptions.CustomizeProblemDetails</c>, <c>IExceptionHandler.TryHandleAsync</c>, and a function
    /// that reads <c>IExceptionHandlerFeature</c> (an error endpoint).
    /// </summary>
    public static bool IsExceptionHandlingContext(IOperation operation, WellKnownTypes types, ISymbol? containingSymbol)
    {
        if (containingSymbol is IMethodSymbol { Name: "TryHandleAsync" } method
            && types.IsA(method.ContainingType, WellKnownType.Microsoft_AspNetCore_Diagnostics_IExceptionHandler))
        {
            return true;
        }

        IOperation? innermostFunction = null;
        IOperation top = operation;
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            top = parent;
            switch (parent)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    innermostFunction ??= parent;
                    break;

                case IInvocationOperation invocation
                    when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, types.Get(WellKnownType.Microsoft_AspNetCore_Builder_ExceptionHandlerExtensions)):
                    return true;

                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property }
                    when (property.Property.Name == "ExceptionHandler" && types.IsA(property.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Builder_ExceptionHandlerOptions))
                        || (property.Property.Name == "CustomizeProblemDetails" && types.IsA(property.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_ProblemDetailsOptions)):
                    return true;
            }
        }

        return ReadsExceptionHandlerFeature(innermostFunction ?? top, types);
    }

    private static bool ReadsExceptionHandlerFeature(IOperation function, WellKnownTypes types)
    {
        foreach (var descendant in function.Descendants())
        {
            switch (descendant)
            {
                case IPropertyReferenceOperation property
                    when types.IsA(property.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Diagnostics_IExceptionHandlerFeature):
                    return true;

                case IInvocationOperation invocation when invocation.TargetMethod.IsGenericMethod:
                    foreach (var typeArgument in invocation.TargetMethod.TypeArguments)
                    {
                        if (types.IsA(typeArgument, WellKnownType.Microsoft_AspNetCore_Diagnostics_IExceptionHandlerFeature))
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    private static Found LastAssignedBefore(IOperation write, WellKnownTypes types, out int status)
    {
        status = 0;
        IOperation child = write;
        for (var parent = write.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                // Statements outside the function run at another time.
                return Found.None;
            }

            ImmutableArray<IOperation> statements;
            if (parent is IBlockOperation block)
            {
                statements = block.Operations;
            }
            else if (parent is ISwitchCaseOperation switchCase)
            {
                statements = switchCase.Body;
            }
            else
            {
                continue;
            }

            var index = statements.Length;
            for (var i = 0; i < statements.Length; i++)
            {
                if (ReferenceEquals(statements[i], child))
                {
                    index = i;
                    break;
                }
            }

            for (var i = index - 1; i >= 0; i--)
            {
                var found = AssignmentIn(statements[i], types, out status);
                if (found != Found.None)
                {
                    return found;
                }
            }
        }

        return Found.None;
    }

    private static Found AssignmentIn(IOperation statement, WellKnownTypes types, out int status)
    {
        status = 0;
        if (statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment } && IsResponseStatus(assignment.Target, types))
        {
            if (StatusCode.TryGetConstant(assignment.Value) is { } value)
            {
                status = value;
                return Found.Constant;
            }

            return Found.Unknown;
        }

        // An assignment inside a branch, loop or try that precedes the write may or may not have run.
        foreach (var descendant in statement.Descendants())
        {
            if (descendant is IAssignmentOperation nested && IsResponseStatus(nested.Target, types))
            {
                return Found.Unknown;
            }
        }

        return Found.None;
    }

    private static bool IsResponseStatus(IOperation target, WellKnownTypes types)
        => target is IPropertyReferenceOperation { Property.Name: "StatusCode" } property
            && types.IsA(property.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse);
}
