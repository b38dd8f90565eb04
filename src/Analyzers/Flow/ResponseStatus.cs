using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

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
/// Recognises the operations by which ASP.NET Core code produces a response with a constant status:
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
}
