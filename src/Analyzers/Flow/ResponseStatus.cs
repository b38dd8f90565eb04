using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// The status of a response written directly (<c>Response.WriteAsync</c>, <c>WriteAsJsonAsync</c>, body writes):
/// the constant last assigned to <c>HttpResponse.StatusCode</c> on the path to the write, or 500 inside an
/// exception-handling context (the exception handler middleware sets 500 before running the handler).
/// </summary>
internal static class ResponseStatus
{
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
