using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// <c>IHttpClientBuilder</c> registrations (SE2005, SE2006): which handler calls retry, which client a chain configures
/// (<c>AddHttpClient&lt;TClient&gt;()</c>, <c>AddHttpClient&lt;TClient, TImplementation&gt;()</c>, a named client), whether
/// <c>RemoveAllResilienceHandlers()</c> cleared what came before, and whether a retry skips unsafe methods.
/// </summary>
internal static class HttpClientRegistration
{
    /// <summary>The handler methods that can add a retry, by name; <see cref="IsRetryingHandler"/> decides.</summary>
    public static bool IsHandlerName(string name)
        => name is "AddStandardResilienceHandler" or "AddStandardHedgingHandler" or "AddResilienceHandler" or "AddTransientHttpErrorPolicy" or "AddPolicyHandler";

    public static bool IsHttpClientBuilder(ITypeSymbol? type)
        => type is { Name: "IHttpClientBuilder", ContainingNamespace: { Name: "DependencyInjection", ContainingNamespace: { Name: "Extensions", ContainingNamespace: { Name: "Microsoft" } } } };

    /// <summary>The builder the handler call extends (its first argument, as an extension method), or null.</summary>
    public static IOperation? Receiver(IInvocationOperation call)
    {
        if (call.Instance is { } instance)
        {
            return IsHttpClientBuilder(instance.Type) ? instance.WithoutConversions() : null;
        }

        return call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 && IsHttpClientBuilder(call.TargetMethod.Parameters[0].Type)
            ? call.Arguments[0].Value.WithoutConversions()
            : null;
    }

    /// <summary>
    /// The call adds a handler that retries: the standard resilience or hedging handler, a resilience pipeline with
    /// <c>AddRetry</c>, or a Polly v7 policy whose source builds a retry (<c>WaitAndRetry*</c>/<c>Retry*</c>, also in a
    /// method of the application that returns the policy).
    /// </summary>
    public static bool IsRetryingHandler(IInvocationOperation call)
    {
        if (Receiver(call) is null)
        {
            return false;
        }

        switch (call.TargetMethod.Name)
        {
            case "AddStandardResilienceHandler" or "AddStandardHedgingHandler":
                return true;
            case "AddResilienceHandler":
                return Invokes(call, "AddRetry");
            case "AddTransientHttpErrorPolicy" or "AddPolicyHandler":
                return BuildsV7Retry(call);
            default:
                return false;
        }
    }

    /// <summary>
    /// A resilience pipeline that adds a retry with <c>HttpRetryStrategyOptions</c> (the options that can skip unsafe
    /// methods); other retry options are left to the rules that check their predicates.
    /// </summary>
    public static bool AddsHttpRetry(IInvocationOperation call)
    {
        foreach (var descendant in call.Descendants())
        {
            if (descendant is IInvocationOperation { TargetMethod.Name: "AddRetry" } addRetry && addRetry.Arguments.Length > 1)
            {
                for (var type = addRetry.Arguments[1].Value.WithoutConversions().Type; type is not null; type = type.BaseType)
                {
                    if (type.Name == "HttpRetryStrategyOptions")
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool Invokes(IInvocationOperation call, string name)
    {
        foreach (var descendant in call.Descendants())
        {
            if (descendant is IInvocationOperation invocation && invocation.TargetMethod.Name == name)
            {
                return true;
            }
        }

        return false;
    }

    private static bool BuildsV7Retry(IInvocationOperation call)
    {
        for (var i = 1; i < call.Arguments.Length; i++)
        {
            var value = call.Arguments[i].Value.WithoutConversions();
            if (value is ILocalReferenceOperation local && OperationTree.SingleInitializer(local.Local, value) is { } initializer)
            {
                value = initializer;
            }

            foreach (var descendant in value.DescendantsAndSelf())
            {
                if (descendant is IInvocationOperation invocation)
                {
                    if (IsV7RetryMethod(invocation.TargetMethod))
                    {
                        return true;
                    }

                    // AddPolicyHandler(GetRetryPolicy()): a method of the application that builds the policy.
                    if (invocation.TargetMethod.DeclaringSyntaxReferences.Length == 1
                        && invocation.TargetMethod.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax method
                        && SyntaxCallsRetry(method))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>A Polly v7 <c>Retry*</c>/<c>WaitAndRetry*</c> builder method (by name: no symbols needed).</summary>
    public static bool IsV7RetryMethod(IMethodSymbol method)
        => method.ContainingType is { Name: "RetrySyntax" or "AsyncRetrySyntax" or "RetryTResultSyntax" or "AsyncRetryTResultSyntax", ContainingNamespace.Name: "Polly" };

    /// <summary>Syntax-only: the method builds a retry (<c>WaitAndRetry*</c>, <c>Retry*</c>, v8 <c>AddRetry</c>).</summary>
    public static bool SyntaxCallsRetry(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                && access.Name.Identifier.ValueText is { } name
                && (name == "AddRetry" || name.StartsWith("WaitAndRetry", System.StringComparison.Ordinal) || name.StartsWith("Retry", System.StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Follows the chain of <c>IHttpClientBuilder</c> calls (and the single initializer of a builder local) to the
    /// <c>AddHttpClient</c> call that starts it; null when the start is not visible (a parameter, a field, a helper).
    /// </summary>
    public static IInvocationOperation? Start(IOperation? builder)
    {
        for (var depth = 0; builder is not null && depth < 32; depth++)
        {
            builder = builder.WithoutConversions();
            if (builder is ILocalReferenceOperation local)
            {
                builder = OperationTree.SingleInitializer(local.Local, builder);
                continue;
            }

            if (builder is not IInvocationOperation call)
            {
                return null;
            }

            if (call.TargetMethod.Name == "AddHttpClient")
            {
                return call;
            }

            builder = Receiver(call);
        }

        return null;
    }

    /// <summary>The typed client of an <c>AddHttpClient&lt;TClient&gt;</c>/<c>&lt;TClient, TImplementation&gt;</c> call: the implementation type; null for named clients.</summary>
    public static INamedTypeSymbol? TypedClient(IInvocationOperation addHttpClient)
    {
        var arguments = addHttpClient.TargetMethod.TypeArguments;
        return arguments.Length == 0 ? null : arguments[arguments.Length - 1] as INamedTypeSymbol;
    }

    /// <summary>The handler calls before <paramref name="call"/> on its chain that retry, up to a <c>RemoveAllResilienceHandlers()</c>.</summary>
    public static IInvocationOperation? EarlierRetryingHandler(IInvocationOperation call, out bool removedBefore)
    {
        removedBefore = false;
        var builder = Receiver(call);
        for (var depth = 0; builder is not null && depth < 32; depth++)
        {
            builder = builder.WithoutConversions();
            if (builder is not IInvocationOperation previous)
            {
                return null;
            }

            if (previous.TargetMethod.Name == "RemoveAllResilienceHandlers")
            {
                removedBefore = true;
                return null;
            }

            if (IsHandlerName(previous.TargetMethod.Name) && IsRetryingHandler(previous))
            {
                return previous;
            }

            builder = Receiver(previous);
        }

        return null;
    }

    /// <summary>Inside the configure lambda of <c>ConfigureHttpClientDefaults</c>.</summary>
    public static bool IsInClientDefaults(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation { TargetMethod.Name: "ConfigureHttpClientDefaults" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The retry of a resilience handler skips unsafe methods: <c>DisableForUnsafeHttpMethods()</c>, <c>DisableFor(…)</c>
    /// with POST or PATCH, or a <c>ShouldHandle</c> that looks at the request (its method) — in the configure lambda or in
    /// a <c>.Configure(…)</c> chained on the handler.
    /// </summary>
    public static bool SkipsUnsafeMethods(IInvocationOperation handler, out bool unknownOptions)
    {
        unknownOptions = false;
        if (Disables(handler))
        {
            return true;
        }

        IOperation current = handler;
        while (current.Parent is IConversionOperation)
        {
            current = current.Parent;
        }

        for (var depth = 0; depth < 8; depth++)
        {
            // handler.Configure(…): an instance call, or an extension method whose first argument is the handler.
            var next = current.Parent as IInvocationOperation ?? (current.Parent is IArgumentOperation { Parent: IInvocationOperation call } argument && call.Arguments.Length > 0 && ReferenceEquals(call.Arguments[0], argument) ? call : null);
            if (next is null)
            {
                break;
            }

            if (Disables(next))
            {
                return true;
            }

            current = next;
            while (current.Parent is IConversionOperation)
            {
                current = current.Parent;
            }
        }

        // Options the analysis cannot read: a method group or a delegate stored elsewhere.
        for (var i = 1; i < handler.Arguments.Length; i++)
        {
            var value = handler.Arguments[i].Value.WithoutConversions();
            if (value is IDelegateCreationOperation { Target: not IAnonymousFunctionOperation } or ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation)
            {
                unknownOptions = true;
            }
        }

        return false;
    }

    private static bool Disables(IOperation operation)
    {
        foreach (var descendant in operation.Descendants())
        {
            switch (descendant)
            {
                case IInvocationOperation { TargetMethod.Name: "DisableForUnsafeHttpMethods" }:
                    return true;
                case IInvocationOperation { TargetMethod.Name: "DisableFor" } disableFor:
                    foreach (var argument in disableFor.Descendants())
                    {
                        if (RequestMethod.Constant(argument) is "POST" or "PATCH")
                        {
                            return true;
                        }
                    }

                    break;
                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "ShouldHandle" } } assignment:
                    foreach (var read in assignment.Value.Descendants())
                    {
                        if (read is IPropertyReferenceOperation { Property.Name: "Method" or "RequestMessage" }
                            || read is IInvocationOperation { TargetMethod.Name: "GetRequestMessage" })
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>
    /// Syntax-only: the typed client class sends POST or PATCH somewhere (<c>PostAsync</c>, <c>PostAsJsonAsync</c>,
    /// <c>PatchAsync</c>, <c>PatchAsJsonAsync</c>, <c>HttpMethod.Post</c>/<c>HttpMethod.Patch</c>, <c>new HttpMethod("POST")</c>):
    /// the method of the first such expression. Classes in other assemblies are not visible: silent.
    /// </summary>
    /// <remarks>
    /// Every form names one of <see cref="UnsafeSendWords"/>, so the class's text is searched for those and only the tokens
    /// found are looked at: walking a typed client's nodes would build its whole red tree. A class whose text could spell
    /// a name otherwise (an escape, a character beyond ASCII) is walked.
    /// </remarks>
    public static string? SendsUnsafe(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var text = syntax.SyntaxTree.GetText(cancellationToken).ToString();
            var found = SourceWords.MaySpellOtherwise(text, syntax.Span) ? FirstUnsafeSendByWalk(syntax) : FirstUnsafeSendByText(syntax, text);
#if DEBUG
            if (found?.Node != FirstUnsafeSendByWalk(syntax)?.Node)
            {
                throw new System.InvalidOperationException($"the text search for unsafe sends disagrees with the walk in {type}");
            }
#endif
            if (found is { } send)
            {
                return send.Method;
            }
        }

        return null;
    }

    private static readonly string[] UnsafeSendWords = { "PostAsync", "PostAsJsonAsync", "PatchAsync", "PatchAsJsonAsync", "HttpMethod" };

    private static (SyntaxNode Node, string Method)? FirstUnsafeSendByText(SyntaxNode syntax, string text)
    {
        (SyntaxNode Node, string Method)? first = null;
        var end = syntax.Span.End;
        foreach (var word in UnsafeSendWords)
        {
            for (var at = text.IndexOf(word, syntax.SpanStart, syntax.Span.Length, System.StringComparison.Ordinal);
                at >= 0;
                at = text.IndexOf(word, at + word.Length, end - at - word.Length, System.StringComparison.Ordinal))
            {
                var token = syntax.FindToken(at);
                if (token.Span.Contains(at) && token.ValueText == word
                    && CandidateOf(token.Parent) is { } candidate && UnsafeSendAt(candidate) is { } send
                    && (first is not { } best || IsBefore(send.Node, best.Node)))
                {
                    first = send;
                }
            }
        }

        return first;
    }

    /// <summary>The node <see cref="UnsafeSendAt"/> looks at, from the name found: the call of <c>x.PostAsync</c>, the parent of <c>HttpMethod</c>.</summary>
    private static SyntaxNode? CandidateOf(SyntaxNode? name)
        => name switch
        {
            IdentifierNameSyntax { Identifier.ValueText: "HttpMethod", Parent: var parent } => parent,
            SimpleNameSyntax { Parent: MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax invocation } access } when access.Name == name => invocation,
            _ => null,
        };

    // Document order of a pre-order walk: the earlier start first, the enclosing node first at the same start.
    private static bool IsBefore(SyntaxNode node, SyntaxNode other)
        => node.SpanStart < other.SpanStart || node.SpanStart == other.SpanStart && node.Span.Length > other.Span.Length;

    private static (SyntaxNode Node, string Method)? FirstUnsafeSendByWalk(SyntaxNode syntax)
    {
        foreach (var node in syntax.DescendantNodes())
        {
            if (UnsafeSendAt(node) is { } send)
            {
                return send;
            }
        }

        return null;
    }

    private static (SyntaxNode Node, string Method)? UnsafeSendAt(SyntaxNode node)
    {
        switch (node)
        {
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }:
                switch (access.Name.Identifier.ValueText)
                {
                    case "PostAsync" or "PostAsJsonAsync":
                        return (node, "POST");
                    case "PatchAsync" or "PatchAsJsonAsync":
                        return (node, "PATCH");
                }

                return null;
            case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "HttpMethod" }, Name.Identifier.ValueText: "Post" or "Patch" } method:
                return (node, method.Name.Identifier.ValueText.ToUpperInvariant());
            case ObjectCreationExpressionSyntax { Type: IdentifierNameSyntax { Identifier.ValueText: "HttpMethod" }, ArgumentList.Arguments.Count: 1 } creation
                when creation.ArgumentList.Arguments[0].Expression is LiteralExpressionSyntax literal
                    && literal.Token.ValueText.ToUpperInvariant() is "POST" or "PATCH":
                return (node, literal.Token.ValueText.ToUpperInvariant());
            default:
                return null;
        }
    }
}
