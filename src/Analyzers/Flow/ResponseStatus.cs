using System.Collections.Generic;
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
    /// <summary>The statuses <paramref name="operation"/> can produce (none for other operations); <paramref name="form"/> tells how.</summary>
    public static StatusSet TryGetProducedStatus(IOperation operation, WellKnownTypes types, Compilation compilation, CancellationToken cancellationToken, out ResponseStatusForm form)
    {
        form = ResponseStatusForm.None;
        switch (operation)
        {
            case IInvocationOperation invocation:
                return MayCarryStatus(invocation) ? Produced(OfResultCall(invocation, types), ref form) : StatusSet.None;

            case IObjectCreationOperation creation:
                return MayCarryStatus(creation, types) ? Produced(OfResultCreation(creation, types, compilation, cancellationToken), ref form) : StatusSet.None;

            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                when target.Property.Name is "StatusCode" or "RejectionStatusCode":
                if (assignment.Parent is IObjectOrCollectionInitializerOperation)
                {
                    // Part of `new ObjectResult(x) { StatusCode = 503 }`: reported on the creation.
                    return StatusSet.None;
                }

                var owner = target.Property.ContainingType;
                if (target.Property.Name == "RejectionStatusCode")
                {
                    if (!types.IsA(owner, WellKnownType.Microsoft_AspNetCore_RateLimiting_RateLimiterOptions))
                    {
                        return StatusSet.None;
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
                    return StatusSet.None;
                }

                var value = StatusValueSet.Evaluate(assignment.Value);
                if (!value.HasConstants)
                {
                    form = ResponseStatusForm.None;
                }

                return value;

            default:
                return StatusSet.None;
        }
    }

    /// <summary>
    /// The names of the methods whose calls <see cref="TryGetProducedStatus"/> can give a status: the members of the
    /// result factories (<see cref="IsResultFactory"/>) that pass <see cref="MayCarryStatus(IInvocationOperation)"/>,
    /// read from the referenced framework (its versions differ).
    /// </summary>
    public static HashSet<string> StatusCallNames(WellKnownTypes types)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        foreach (var factory in ResultFactories)
        {
            foreach (var member in types.Get(factory)?.GetMembers() ?? ImmutableArray<ISymbol>.Empty)
            {
                if (member is IMethodSymbol method && MayCarryStatus(method))
                {
                    names.Add(method.Name);
                }
            }
        }

        return names;
    }

    private static bool MayCarryStatus(IMethodSymbol method)
    {
        if (method.Name is "Problem" or "InternalServerError")
        {
            return true;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == "statusCode")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Cheap necessary condition for <see cref="OfResultCall"/> to find a status, checked before any symbol comparison:
    /// a <c>Problem</c>/<c>InternalServerError</c> call or a <c>statusCode</c> argument. Most calls of business code fail it.
    /// </summary>
    private static bool MayCarryStatus(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        return name is "Problem" or "InternalServerError" || HasStatusCodeArgument(invocation.Arguments);
    }

    /// <summary>
    /// Cheap necessary condition for <see cref="OfResultCreation(IObjectCreationOperation, WellKnownTypes, Compilation, CancellationToken)"/>
    /// to find a status, checked before the interface walk: a <c>StatusCode</c> initializer, a <c>statusCode</c> argument,
    /// a one-argument <c>ObjectResult</c> (a ProblemDetails' Status) or a constructor of source (a status set in it).
    /// <c>new List&lt;T&gt;()</c>, <c>new StringBuilder()</c>, exceptions… fail it.
    /// </summary>
    private static bool MayCarryStatus(IObjectCreationOperation creation, WellKnownTypes types)
    {
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } })
                {
                    return true;
                }
            }
        }

        var arguments = creation.Arguments;
        if (HasStatusCodeArgument(arguments))
        {
            return true;
        }

        if (arguments.Length == 1 && SymbolEqualityComparer.Default.Equals(creation.Type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ObjectResult)))
        {
            return true;
        }

        return creation.Constructor is { } constructor && constructor.DeclaringSyntaxReferences.Length > 0;
    }

    private static bool HasStatusCodeArgument(ImmutableArray<IArgumentOperation> arguments)
    {
        foreach (var argument in arguments)
        {
            if (argument.Parameter?.Name == "statusCode")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The expression that gives a status-producing operation its status (<c>(int)code</c>), or null for an implied one.</summary>
    public static IOperation? StatusExpression(IOperation operation)
    {
        switch (operation)
        {
            case ISimpleAssignmentOperation assignment:
                return assignment.Value;
            case IInvocationOperation invocation:
                return invocation.ArgumentFor("statusCode") is { ArgumentKind: not ArgumentKind.DefaultValue } statusArgument ? statusArgument.Value : null;
            case IObjectCreationOperation creation:
                if (creation.Initializer is { } initializer)
                {
                    foreach (var member in initializer.Initializers)
                    {
                        if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } } statusAssignment)
                        {
                            return statusAssignment.Value;
                        }
                    }
                }

                foreach (var argument in creation.Arguments)
                {
                    if (argument.Parameter?.Name == "statusCode")
                    {
                        return argument.Value;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    private static StatusSet Produced(StatusSet status, ref ResponseStatusForm form)
    {
        if (status.HasConstants)
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
    public static StatusSet OfResultCall(IInvocationOperation invocation, WellKnownTypes types)
    {
        var method = invocation.TargetMethod;
        if (!IsResultFactory(method.ContainingType, types))
        {
            return StatusSet.None;
        }

        return method.Name switch
        {
            "Problem" => ProblemStatus(invocation),
            "InternalServerError" => StatusSet.Of(500),
            _ => invocation.ArgumentFor("statusCode") is { ArgumentKind: not ArgumentKind.DefaultValue } status ? StatusValueSet.Evaluate(status.Value) : StatusSet.None,
        };
    }

    /// <summary>
    /// The constant status of a created action result: a <c>StatusCode</c> initializer, else the <c>statusCode</c>
    /// argument (<c>new StatusCodeResult(503)</c>), else the status a result type of this compilation sets in its
    /// constructor, else the Status of the ProblemDetails an <c>ObjectResult</c> wraps.
    /// </summary>
    public static StatusSet OfResultCreation(IObjectCreationOperation creation, WellKnownTypes types, Compilation compilation, CancellationToken cancellationToken)
        => OfResultCreation(creation, types, compilation, cancellationToken, out _);

    /// <summary>As <see cref="OfResultCreation(IObjectCreationOperation, WellKnownTypes, Compilation, CancellationToken)"/>; <paramref name="hasOwnStatus"/> is false when the result sets no status of its own (it is sent with the response's).</summary>
    public static StatusSet OfResultCreation(IObjectCreationOperation creation, WellKnownTypes types, Compilation compilation, CancellationToken cancellationToken, out bool hasOwnStatus)
    {
        hasOwnStatus = true;
        var type = creation.Type;
        if (!types.IsA(type, WellKnownType.Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult))
        {
            return StatusSet.None;
        }

        if (creation.Initializer is { } initializer)
        {
            var assigned = false;
            var fromInitializer = StatusSet.None;
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } } assignment)
                {
                    fromInitializer = StatusValueSet.Evaluate(assignment.Value);
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
                return StatusValueSet.Evaluate(argument.Value);
            }
        }

        if (creation.Constructor is { } constructor && ConstructorStatus(compilation, constructor, types, cancellationToken) is { } fromConstructor)
        {
            return StatusSet.Of(fromConstructor, creation);
        }

        // `new ObjectResult(problemDetails)` takes the Status of the ProblemDetails.
        if (SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ObjectResult))
            && creation.Arguments.Length == 1
            && ProblemDetailsStatus(creation.Arguments[0].Value, out var problemStatus))
        {
            if (problemStatus.IsNone)
            {
                hasOwnStatus = false;
            }

            return problemStatus;
        }

        // ObjectResult/JsonResult/ContentResult without a status keep the one already on the response.
        hasOwnStatus = creation.Constructor?.DeclaringSyntaxReferences.Length > 0
            || !(SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ObjectResult))
                || SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_JsonResult))
                || SymbolEqualityComparer.Default.Equals(type, types.Get(WellKnownType.Microsoft_AspNetCore_Mvc_ContentResult)));
        return StatusSet.None;
    }

    /// <summary>
    /// The Status a ProblemDetails value carries: true with its statuses (none when unset); false when it is
    /// computed or the value is not built here.
    /// </summary>
    public static bool ProblemDetailsStatus(IOperation value, out StatusSet status)
    {
        status = StatusSet.None;
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

    /// <summary>The Status a ProblemDetails initializer assigns: true with its statuses (none when unset); false when not proven.</summary>
    public static bool InitializerStatus(IObjectOrCollectionInitializerOperation initializer, out StatusSet status)
    {
        status = StatusSet.None;
        foreach (var element in initializer.Initializers)
        {
            if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Status" } } assignment)
            {
                var value = assignment.Value.WithoutConversions();
                if (value.ConstantValue is { HasValue: true, Value: null })
                {
                    status = StatusSet.None;
                    continue;
                }

                status = StatusValueSet.Evaluate(value);
                if (!status.HasConstants)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static StatusSet ProblemStatus(IInvocationOperation invocation)
    {
        // Problem(detail, instance, statusCode, title, type[, extensions]): 500 unless another status is given.
        if (invocation.ArgumentFor("statusCode") is { ArgumentKind: not ArgumentKind.DefaultValue } statusArgument)
        {
            var value = statusArgument.Value.WithoutConversions();
            return value.ConstantValue is { HasValue: true, Value: null } ? StatusSet.Of(500) : StatusValueSet.Evaluate(value);
        }

        // Problem(ProblemDetails): its Status, 500 when unset.
        if (invocation.ArgumentFor("problemDetails") is { } problemArgument)
        {
            return ProblemDetailsStatus(problemArgument.Value, out var status) ? (status.IsNone ? StatusSet.Of(500) : status) : StatusSet.None;
        }

        return StatusSet.Of(500);
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

    /// <summary>The types whose methods create results with a status (<c>Results.StatusCode(503)</c>, <c>Problem(…)</c>).</summary>
    private static readonly WellKnownType[] ResultFactories =
    {
        WellKnownType.Microsoft_AspNetCore_Http_Results,
        WellKnownType.Microsoft_AspNetCore_Http_TypedResults,
        WellKnownType.Microsoft_AspNetCore_Mvc_ControllerBase,
        WellKnownType.Microsoft_AspNetCore_Mvc_RazorPages_PageModel,
    };

    private static bool IsResultFactory(INamedTypeSymbol? type, WellKnownTypes types)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var factory in ResultFactories)
        {
            if (SymbolEqualityComparer.Default.Equals(type, types.Get(factory)))
            {
                return true;
            }
        }

        return false;
    }

    // ---- Direct writes (SE1001): the status on the path to Response.WriteAsync & co. ----

    /// <summary>
    /// The statuses a direct write at <paramref name="write"/> sends: the <c>Response.StatusCode</c> assignments before
    /// it (those in branches that may not have run join the earlier ones), else 500 in an exception-handling context.
    /// </summary>
    public static StatusSet AtWrite(IOperation write, WellKnownTypes types, ISymbol? containingSymbol)
    {
        var status = AssignedBefore(write, types, out var definite);
        if (definite)
        {
            return status;
        }

        // No assignment on every path: the response keeps its earlier status (500 in an exception handler, else unproven).
        return status.Union(IsExceptionHandlingContext(write, types, containingSymbol) ? StatusSet.Of(500) : StatusSet.Unknown);
    }

    /// <summary>The statuses assigned to the response before <paramref name="operation"/>; no default (a result sent with the response's own status).</summary>
    public static StatusSet AssignedBefore(IOperation operation, WellKnownTypes types)
    {
        var status = AssignedBefore(operation, types, out var definite);
        return definite || status.IsNone ? status : status.WithUnknown();
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

    /// <summary>The parameter the last <c>Response.StatusCode</c> assignment before <paramref name="write"/> reads (<c>(int)code</c>), or null.</summary>
    public static IParameterSymbol? StatusParameterAtWrite(IOperation write, WellKnownTypes types)
    {
        IOperation child = write;
        for (var parent = write.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }

            if (parent is not IBlockOperation block)
            {
                continue;
            }

            var statements = block.Operations;
            var index = statements.IndexOf(child);
            for (var i = (index < 0 ? statements.Length : index) - 1; i >= 0; i--)
            {
                if (statements[i] is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment } && IsResponseStatus(assignment.Target, types))
                {
                    return assignment.Value.WithoutConversions() is IParameterReferenceOperation parameter ? parameter.Parameter : null;
                }
            }
        }

        return null;
    }

    private static StatusSet AssignedBefore(IOperation write, WellKnownTypes types, out bool definite)
    {
        definite = false;
        var status = StatusSet.None;
        IOperation child = write;
        for (var parent = write.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                // Statements outside the function run at another time.
                return status;
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
                status = status.Union(AssignmentIn(statements[i], types, out definite));
                if (definite)
                {
                    return status;
                }
            }
        }

        return status;
    }

    private static StatusSet AssignmentIn(IOperation statement, WellKnownTypes types, out bool definite)
    {
        definite = false;
        if (statement is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation assignment } && IsResponseStatus(assignment.Target, types))
        {
            definite = true;
            return StatusValueSet.Evaluate(assignment.Value);
        }

        // Assignments inside a branch, loop or try that precedes the write may or may not have run: they join the earlier status.
        var status = StatusSet.None;
        foreach (var descendant in statement.Descendants())
        {
            if (descendant is IAssignmentOperation && IsInNestedFunction(descendant, statement))
            {
                continue;
            }

            if (descendant is ISimpleAssignmentOperation nested && IsResponseStatus(nested.Target, types))
            {
                status = status.Union(StatusValueSet.Evaluate(nested.Value));
            }
            else if (descendant is IAssignmentOperation other && IsResponseStatus(other.Target, types))
            {
                status = status.WithUnknown();
            }
        }

        return status;
    }

    private static bool IsInNestedFunction(IOperation operation, IOperation statement)
    {
        for (var parent = operation.Parent; parent is not null && !ReferenceEquals(parent, statement); parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsResponseStatus(IOperation target, WellKnownTypes types)
        => target is IPropertyReferenceOperation { Property.Name: "StatusCode" } property
            && types.IsA(property.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse);
}
