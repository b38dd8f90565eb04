using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// The HTTP method of a send (SE2005): POST and PATCH are not idempotent (RFC 9110 §9.2.2), so resending them can
/// apply the same change twice unless the request carries an idempotency key that stays the same for every attempt.
/// </summary>
internal static class RequestMethod
{
    /// <summary>
    /// Header names that carry an idempotency key: <c>Idempotency-Key</c> (IETF draft, Stripe, Adyen), <c>X-Idempotency-Key</c>
    /// (Mercado Pago and many in-house APIs), <c>X-Request-Id</c>/<c>Request-Id</c> (request-id based deduplication),
    /// <c>PayPal-Request-Id</c> and <c>Repeatability-Request-ID</c> (OASIS repeatable requests, Azure). Compared case-insensitively.
    /// </summary>
    // Each contains "Idempotency" or "Request-Id": NonIdempotentRetryAnalyzer's text pre-check relies on it (a test checks).
    public static readonly string[] IdempotencyHeaders =
    {
        "Idempotency-Key", "X-Idempotency-Key", "Idempotency-Token", "X-Request-Id", "Request-Id", "PayPal-Request-Id", "Repeatability-Request-ID",
    };

    /// <summary>"POST" or "PATCH" when <paramref name="send"/> provably sends that method; null otherwise (GET, PUT, DELETE… or unknown).</summary>
    public static string? Unsafe(IInvocationOperation send)
    {
        switch (send.TargetMethod.Name)
        {
            case "PostAsync" or "PostAsJsonAsync":
                return "POST";
            case "PatchAsync" or "PatchAsJsonAsync":
                return "PATCH";
            case "SendAsync" or "Send":
                return send.Arguments.Length > 0 && RequestOf(send) is { } request ? MethodOf(request, send) : null;
            default:
                return null;
        }
    }

    /// <summary>The <c>HttpRequestMessage</c> argument of <c>Send</c>/<c>SendAsync</c>.</summary>
    public static IOperation? RequestOf(IInvocationOperation send)
    {
        foreach (var argument in send.Arguments)
        {
            if (argument.Parameter?.Type is { Name: "HttpRequestMessage" })
            {
                return argument.Value.WithoutConversions();
            }
        }

        return null;
    }

    /// <summary>The creation of the request: the argument itself or the single initializer of the local it is stored in.</summary>
    public static IObjectCreationOperation? CreationOf(IOperation request)
    {
        request = request.WithoutConversions();
        if (request is ILocalReferenceOperation local)
        {
            request = OperationTree.SingleInitializer(local.Local, request)?.WithoutConversions() ?? request;
        }

        return request as IObjectCreationOperation;
    }

    private static string? MethodOf(IOperation request, IOperation scope)
    {
        string? method = null;
        if (CreationOf(request) is { } creation)
        {
            foreach (var argument in creation.Arguments)
            {
                if (argument.Parameter?.Name == "method")
                {
                    method = Constant(argument.Value);
                }
            }

            if (creation.Initializer is { } initializer)
            {
                foreach (var member in initializer.Initializers)
                {
                    if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Method" } } assignment)
                    {
                        method = Constant(assignment.Value);
                    }
                }
            }
        }

        // request.Method = HttpMethod.Post; on a local request.
        if (request is ILocalReferenceOperation local)
        {
            foreach (var descendant in scope.Root().Descendants())
            {
                if (descendant is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Method", Instance: ILocalReferenceOperation target } } assignment
                    && SymbolEqualityComparer.Default.Equals(target.Local, local.Local))
                {
                    var assigned = Constant(assignment.Value);
                    if (assigned is null || method is not null && method != assigned)
                    {
                        return null;
                    }

                    method = assigned;
                }
            }
        }

        return method is "POST" or "PATCH" ? method : null;
    }

    /// <summary><c>HttpMethod.Post</c>/<c>HttpMethod.Patch</c>… or <c>new HttpMethod("POST")</c>: the upper-case method name.</summary>
    public static string? Constant(IOperation value)
    {
        value = value.WithoutConversions();
        switch (value)
        {
            case IPropertyReferenceOperation { Property: { IsStatic: true, ContainingType.Name: "HttpMethod" } property }:
                return property.Name.ToUpperInvariant();
            case IObjectCreationOperation { Type.Name: "HttpMethod", Arguments.Length: 1 } creation
                when creation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }:
                return name.ToUpperInvariant();
            default:
                return null;
        }
    }

    public static bool IsIdempotencyHeader(string name)
    {
        foreach (var header in IdempotencyHeaders)
        {
            if (string.Equals(header, name, System.StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The request of <paramref name="send"/> carries an idempotency key that is the same for every attempt: a header of
    /// <see cref="IdempotencyHeaders"/> added (<c>Headers.Add</c>, <c>TryAddWithoutValidation</c> or the collection
    /// initializer) to this send's request, or to <c>DefaultRequestHeaders</c> of the client it is sent with, with a value
    /// not created inside <paramref name="attempt"/> (a <c>Guid.NewGuid()</c> per attempt is a new key every time, which
    /// deduplicates nothing).
    /// </summary>
    public static bool HasStableKey(IInvocationOperation send, SyntaxNode attempt)
    {
        var request = RequestOf(send) is ILocalReferenceOperation local ? local.Local : null;
        var client = Symbol(send.Instance ?? (send.TargetMethod.IsExtensionMethod && send.Arguments.Length > 0 ? send.Arguments[0].Value : null));
        foreach (var descendant in send.Root().Descendants())
        {
            if (descendant is not IInvocationOperation { TargetMethod.Name: "Add" or "TryAddWithoutValidation" } add
                || add.TargetMethod.ContainingType is not { Name: "HttpHeaders" or "HttpRequestHeaders" }
                || add.Arguments.Length != 2
                || add.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: string name }
                || !IsIdempotencyHeader(name))
            {
                continue;
            }

            var onThisRequest = add.Instance?.WithoutConversions() switch
            {
                IInstanceReferenceOperation => send.Syntax.Span.Contains(add.Syntax.Span),
                IPropertyReferenceOperation { Property.Name: "Headers", Instance: ILocalReferenceOperation owner } => request is not null && SymbolEqualityComparer.Default.Equals(owner.Local, request),
                IPropertyReferenceOperation { Property.Name: "DefaultRequestHeaders", Instance: { } owner } => client is not null && SymbolEqualityComparer.Default.Equals(Symbol(owner), client),
                _ => false,
            };
            if (onThisRequest && (!attempt.Span.Contains(add.Syntax.Span) || IsStable(add.Arguments[1].Value, attempt)))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? Symbol(IOperation? operation) => operation?.WithoutConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        IPropertyReferenceOperation property => property.Property,
        _ => null,
    };

    // A value read from outside the attempt (a local declared before it, a parameter, a field) is the same for every attempt.
    private static bool IsStable(IOperation value, SyntaxNode attempt)
    {
        foreach (var node in value.DescendantsAndSelf())
        {
            switch (node)
            {
                case IInvocationOperation or IObjectCreationOperation:
                    return false;
                case ILocalReferenceOperation local:
                    foreach (var reference in local.Local.DeclaringSyntaxReferences)
                    {
                        if (attempt.Span.Contains(reference.Span))
                        {
                            return false;
                        }
                    }

                    break;
            }
        }

        return true;
    }
}
