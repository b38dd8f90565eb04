using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Operations;
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
    public static int? TryGetProducedStatus(IOperation operation, WellKnownTypes types, out ResponseStatusForm form)
    {
        form = ResponseStatusForm.None;
        switch (operation)
        {
            case IInvocationOperation invocation:
                if (IsResultFactory(invocation.TargetMethod.ContainingType, types) && StatusArgument(invocation.Arguments) is { } status)
                {
                    form = ResponseStatusForm.Result;
                    return status;
                }

                return null;

            case IObjectCreationOperation creation:
                return FromCreation(creation, types, ref form);

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
                else if (types.IsA(owner, WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult))
                {
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

    private static int? FromCreation(IObjectCreationOperation creation, WellKnownTypes types, ref ResponseStatusForm form)
    {
        var type = creation.Type;
        if (!types.IsA(type, WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult))
        {
            return null;
        }

        // `new StatusCodeResult(503)`, `new ObjectResult(x) { StatusCode = 503 }`: the initializer wins.
        int? status = StatusArgument(creation.Arguments);
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } } assignment)
                {
                    status = StatusCode.TryGetConstant(assignment.Value);
                }
            }
        }

        if (status is not null)
        {
            form = ResponseStatusForm.Result;
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

    private static int? StatusArgument(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == "statusCode")
            {
                return StatusCode.TryGetConstant(argument.Value);
            }
        }

        return null;
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
