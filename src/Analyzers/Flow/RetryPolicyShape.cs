using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>The retry libraries a compilation references; resolved once per compilation.</summary>
internal sealed class RetryLibraries
{
    private RetryLibraries(WellKnownTypes types)
    {
        Types = types;
        RetrySyntax = types.Get(WellKnownType.Polly_RetrySyntax);
        AsyncRetrySyntax = types.Get(WellKnownType.Polly_AsyncRetrySyntax);
        RetryTResultSyntax = types.Get(WellKnownType.Polly_RetryTResultSyntax);
        AsyncRetryTResultSyntax = types.Get(WellKnownType.Polly_AsyncRetryTResultSyntax);
        RetryStrategyOptions = types.Get(WellKnownType.Polly_Retry_RetryStrategyOptions__1);
        HttpRetryStrategyOptions = types.Get(WellKnownType.Microsoft_Extensions_Http_Resilience_HttpRetryStrategyOptions);
        HttpPolicyExtensions = types.Get(WellKnownType.Polly_Extensions_Http_HttpPolicyExtensions);
    }

    public WellKnownTypes Types { get; }

    public INamedTypeSymbol? RetrySyntax { get; }

    public INamedTypeSymbol? AsyncRetrySyntax { get; }

    public INamedTypeSymbol? RetryTResultSyntax { get; }

    public INamedTypeSymbol? AsyncRetryTResultSyntax { get; }

    public INamedTypeSymbol? RetryStrategyOptions { get; }

    public INamedTypeSymbol? HttpRetryStrategyOptions { get; }

    public INamedTypeSymbol? HttpPolicyExtensions { get; }

    /// <summary>Polly v7's <c>Policy</c> API is referenced.</summary>
    public bool HasV7 => RetrySyntax is not null || AsyncRetrySyntax is not null;

    /// <summary>Polly v8 (Polly.Core) is referenced.</summary>
    public bool HasV8 => RetryStrategyOptions is not null;

    public static RetryLibraries? Get(Compilation compilation)
    {
        var libraries = new RetryLibraries(WellKnownTypes.Get(compilation));
        return libraries.HasV7 || libraries.HasV8 ? libraries : null;
    }

    public bool IsRetrySyntax(INamedTypeSymbol? type)
        => type is not null
            && (SymbolEqualityComparer.Default.Equals(type, RetrySyntax)
                || SymbolEqualityComparer.Default.Equals(type, AsyncRetrySyntax)
                || SymbolEqualityComparer.Default.Equals(type, RetryTResultSyntax)
                || SymbolEqualityComparer.Default.Equals(type, AsyncRetryTResultSyntax));

    /// <summary><c>RetryStrategyOptions&lt;T&gt;</c> or a type derived from it (<c>RetryStrategyOptions</c>, <c>HttpRetryStrategyOptions</c>).</summary>
    public bool IsRetryOptions(ITypeSymbol? type) => RetryStrategyOptions is not null && Types.IsA(type, WellKnownType.Polly_Retry_RetryStrategyOptions__1);

    /// <summary><c>HttpRetryStrategyOptions</c> (Microsoft.Extensions.Http.Resilience) or a type derived from it: good defaults.</summary>
    public bool IsHttpRetryOptions(ITypeSymbol? type) => HttpRetryStrategyOptions is not null && Types.IsA(type, WellKnownType.Microsoft_Extensions_Http_Resilience_HttpRetryStrategyOptions);

    /// <summary>The <c>TResult</c> of a <c>RetryStrategyOptions&lt;TResult&gt;</c> (object for the non-generic options).</summary>
    public static ITypeSymbol? RetryOptionsResultType(ITypeSymbol? type)
    {
        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            if (current is { Name: "RetryStrategyOptions", TypeArguments.Length: 1 })
            {
                return current.TypeArguments[0];
            }
        }

        return null;
    }
}

/// <summary>An exception type a Polly v7 policy builder (or a v8 predicate builder) handles.</summary>
internal readonly struct HandledException
{
    public HandledException(IInvocationOperation call, ITypeSymbol type, IOperation? filter)
    {
        Call = call;
        Type = type;
        Filter = filter;
    }

    /// <summary>The <c>Handle&lt;T&gt;(…)</c>/<c>Or&lt;T&gt;(…)</c> call.</summary>
    public IInvocationOperation Call { get; }

    public ITypeSymbol Type { get; }

    /// <summary>The exception predicate, when one is passed.</summary>
    public IOperation? Filter { get; }
}

/// <summary>
/// A Polly v7 retry: <c>Policy.Handle…(…).Or…(…).Retry…/WaitAndRetry…(…)</c>, its builder chain (handled
/// exceptions, result predicates, <c>HandleTransientHttpError()</c>), count, wait and the delegates it executes.
/// </summary>
internal sealed class PollyV7Retry
{
    private PollyV7Retry(IInvocationOperation invocation)
    {
        Invocation = invocation;
        MethodName = invocation.TargetMethod.Name;
    }

    public IInvocationOperation Invocation { get; }

    public string MethodName { get; }

    public bool IsForever => MethodName.IndexOf("Forever", System.StringComparison.Ordinal) >= 0;

    public bool Waits => MethodName.StartsWith("WaitAndRetry", System.StringComparison.Ordinal);

    public bool IsAsync => MethodName.EndsWith("Async", System.StringComparison.Ordinal);

    public IArgumentOperation? RetryCount { get; private set; }

    /// <summary>The <c>Func&lt;int, …, TimeSpan&gt;</c> argument.</summary>
    public IArgumentOperation? SleepDurationProvider { get; private set; }

    /// <summary>The <c>IEnumerable&lt;TimeSpan&gt;</c> argument.</summary>
    public IArgumentOperation? SleepDurations { get; private set; }

    /// <summary>The sleep-duration provider receives the outcome (<c>DelegateResult&lt;T&gt;</c> or <c>Exception</c>).</summary>
    public bool SleepProviderSeesOutcome { get; private set; }

    /// <summary><c>TResult</c> of <c>PolicyBuilder&lt;TResult&gt;</c>; null for the non-generic builder.</summary>
    public ITypeSymbol? ResultType { get; private set; }

    /// <summary>Predicates of <c>HandleResult(…)</c>/<c>OrResult(…)</c> calls.</summary>
    public List<IOperation> ResultPredicates { get; } = new();

    public List<HandledException> Exceptions { get; } = new();

    public bool HandlesTransientHttpError { get; private set; }

    /// <summary>The builder chain was followed to its start (not a builder stored in a variable).</summary>
    public bool ChainComplete { get; private set; }

    /// <summary>The call that starts the chain (<c>Policy.HandleResult&lt;T&gt;(…)</c>…), when the chain is complete and starts with a call.</summary>
    public IInvocationOperation? ChainRoot { get; private set; }

    /// <summary>
    /// The name of every method of Polly's <c>Retry*Syntax</c> classes, which every invocation <see cref="TryCreate"/>
    /// accepts calls: Retry, RetryForever, WaitAndRetry…, each also …Async.
    /// </summary>
    public static bool IsRetryName(string name) => name.IndexOf("Retry", System.StringComparison.Ordinal) >= 0;

    public static PollyV7Retry? TryCreate(IInvocationOperation invocation, RetryLibraries libraries, Compilation? compilation = null, System.Threading.CancellationToken cancellationToken = default)
    {
        // The name rejects nearly every invocation before the four symbol comparisons.
        var method = invocation.TargetMethod;
        if (!IsRetryName(method.Name) || !libraries.IsRetrySyntax(method.ContainingType) || invocation.Arguments.Length == 0)
        {
            return null;
        }

        var retry = new PollyV7Retry(invocation);
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "retryCount":
                    retry.RetryCount = argument;
                    break;
                case "sleepDurationProvider":
                    retry.SleepDurationProvider = argument;
                    if (argument.Parameter.Type is INamedTypeSymbol { TypeArguments.Length: >= 3 } provider)
                    {
                        foreach (var typeArgument in provider.TypeArguments)
                        {
                            if (typeArgument is INamedTypeSymbol { Name: "DelegateResult" or "Exception" })
                            {
                                retry.SleepProviderSeesOutcome = true;
                            }
                        }
                    }

                    break;
                case "sleepDurations":
                    retry.SleepDurations = argument;
                    break;
            }
        }

        retry.ReadChain(Strip(invocation.Arguments[0].Value), compilation, cancellationToken);
        return retry;
    }

    /// <summary>
    /// The retry works on HTTP: typed on responses, handles HTTP errors, is registered on an HttpClient, or executes (directly,
    /// through a wrap, a local or a field) delegates that reach an HttpClient send, also through the application's own methods.
    /// </summary>
    public bool IsHttp(Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (RetryCondition.IsHttpResponseMessage(ResultType) || HandlesTransientHttpError)
        {
            return true;
        }

        foreach (var handled in Exceptions)
        {
            if (RetryCondition.IsHttpRequestException(handled.Type))
            {
                return true;
            }
        }

        if (RetryPolicies.IsInHttpClientRegistration(Invocation))
        {
            return true;
        }

        return (PolicyExecution.Reach(ExecutedDelegates(compilation, cancellationToken), compilation, cancellationToken) & HttpReachFacts.Sends) != 0;
    }

    /// <summary>The delegates this policy executes (see <see cref="PolicyExecution"/>).</summary>
    public List<IOperation> ExecutedDelegates(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        => _executed ??= PolicyExecution.OfPolicy(Invocation, compilation, cancellationToken);

    private List<IOperation>? _executed;

    private void ReadChain(IOperation? receiver, Compilation? compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (receiver?.Type is INamedTypeSymbol { Name: "PolicyBuilder" } builderType)
        {
            ResultType = builderType.TypeArguments.Length == 1 ? builderType.TypeArguments[0] : null;
        }

        for (var depth = 0; receiver is not null && depth < 32; depth++)
        {
            if (receiver is IParameterReferenceOperation parameter && IsTransientHttpErrorPolicyParameter(parameter.Parameter))
            {
                // AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(…)): the builder is HandleTransientHttpError().
                HandlesTransientHttpError = true;
                ChainComplete = true;
                return;
            }

            if (receiver is not IInvocationOperation call || call.TargetMethod.ContainingNamespace?.Name is not ("Polly" or "Http"))
            {
                if (compilation is not null && StoredValue.Resolve(receiver, compilation, cancellationToken, followHelpers: true) is { } stored)
                {
                    // A builder stored in a local or a readonly field, or returned by a parameterless helper of the application.
                    receiver = Strip(stored);
                    continue;
                }

                return;
            }

            var method = call.TargetMethod;
            switch (method.Name)
            {
                case "Handle" or "Or" or "HandleInner" or "OrInner" when method.TypeArguments.Length == 1:
                    Exceptions.Add(new HandledException(call, method.TypeArguments[0], FirstDelegateArgument(call)));
                    break;
                case "HandleResult" or "OrResult":
                    if (FirstDelegateArgument(call) is { } predicate)
                    {
                        ResultPredicates.Add(predicate);
                    }

                    break;
                case "HandleTransientHttpError" or "OrTransientHttpError" or "OrTransientHttpStatusCode":
                    HandlesTransientHttpError = true;
                    break;
                default:
                    return;
            }

            var next = call.Instance ?? (method.IsExtensionMethod && call.Arguments.Length > 0 ? Strip(call.Arguments[0].Value) : null);
            if (next is null)
            {
                ChainComplete = true;
                ChainRoot = call;
                return;
            }

            receiver = next;
        }
    }

    private static bool IsTransientHttpErrorPolicyParameter(IParameterSymbol parameter)
        => parameter.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction } lambda
            && lambda.Parameters.Length == 1
            && parameter.Type is INamedTypeSymbol { Name: "PolicyBuilder", TypeArguments.Length: 1 }
            && RetryPolicies.EnclosingInvocationName(parameter, "AddTransientHttpErrorPolicy");

    private static IOperation? FirstDelegateArgument(IInvocationOperation call)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate && !argument.IsImplicit)
            {
                return argument.Value;
            }
        }

        return null;
    }

    internal static IOperation Strip(IOperation operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}

/// <summary>
/// A Polly v8 retry options object (<c>RetryStrategyOptions</c>, <c>RetryStrategyOptions&lt;T&gt;</c>, <c>HttpRetryStrategyOptions</c>)
/// created with <c>new</c>: the properties set in its initializer and, when it is stored in a local, by later assignments.
/// </summary>
internal sealed class PollyV8RetryOptions
{
    private PollyV8RetryOptions(IObjectCreationOperation creation, ITypeSymbol type, bool isHttpOptions)
    {
        Creation = creation;
        Type = type;
        IsHttpOptions = isHttpOptions;
        ResultType = RetryLibraries.RetryOptionsResultType(type);
    }

    public IObjectCreationOperation Creation { get; }

    public ITypeSymbol Type { get; }

    public ITypeSymbol? ResultType { get; }

    /// <summary>Derived from <c>HttpRetryStrategyOptions</c>: exponential backoff, jitter and Retry-After by default.</summary>
    public bool IsHttpOptions { get; }

    /// <summary>The local the options are stored in, when there is one.</summary>
    public ILocalSymbol? Local { get; private set; }

    public ISimpleAssignmentOperation? BackoffType { get; private set; }

    public ISimpleAssignmentOperation? Delay { get; private set; }

    public ISimpleAssignmentOperation? DelayGenerator { get; private set; }

    public ISimpleAssignmentOperation? ShouldHandle { get; private set; }

    public ISimpleAssignmentOperation? UseJitter { get; private set; }

    public ISimpleAssignmentOperation? MaxRetryAttempts { get; private set; }

    /// <summary><c>HttpRetryStrategyOptions.ShouldRetryAfterHeader</c>: true by default, so only an assignment can turn it off.</summary>
    public ISimpleAssignmentOperation? ShouldRetryAfterHeader { get; private set; }

    /// <summary>Some assignment reads the Retry-After header (an <c>OnRetry</c> that stores it, <c>ShouldRetryAfterHeader</c>…).</summary>
    public bool ReadsRetryAfter { get; private set; }

    /// <summary>The options escape analysis: assigned through something other than a plain property assignment.</summary>
    public bool Incomplete { get; private set; }

    public bool IsHttp => IsHttpOptions || RetryCondition.IsHttpResponseMessage(ResultType) || RetryPolicies.IsInHttpClientRegistration(Creation);

    /// <summary>The delegates executed by pipelines built with these options (see <see cref="PolicyExecution"/>).</summary>
    public List<IOperation> ExecutedDelegates(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        => _executed ??= PolicyExecution.OfRetryOptions(Creation, compilation, cancellationToken);

    private List<IOperation>? _executed;

    /// <summary><see cref="IsHttp"/>, or a pipeline built with the options runs code that reaches an HttpClient send.</summary>
    public bool IsHttpOrExecutesHttp(Compilation compilation, System.Threading.CancellationToken cancellationToken)
        => IsHttp || (PolicyExecution.Reach(ExecutedDelegates(compilation, cancellationToken), compilation, cancellationToken) & HttpReachFacts.Sends) != 0;

    public static PollyV8RetryOptions? TryCreate(IObjectCreationOperation creation, RetryLibraries libraries)
    {
        var type = creation.Type;
        if (type is null || !libraries.IsRetryOptions(type))
        {
            return null;
        }

        var options = new PollyV8RetryOptions(creation, type, libraries.IsHttpRetryOptions(type));
        if (creation.Initializer is { } initializer)
        {
            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation assignment)
                {
                    options.Record(assignment);
                }
                else
                {
                    options.Incomplete = true;
                }
            }
        }

        var parent = creation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
        {
            options.Local = declarator.Symbol;
            foreach (var operation in creation.Root().Descendants())
            {
                if (operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation local } } assignment
                    && SymbolEqualityComparer.Default.Equals(local.Local, declarator.Symbol))
                {
                    options.Record(assignment);
                }
                else if (operation is IArgumentOperation { Parent: IInvocationOperation call } argument
                    && argument.Value.WithoutConversions() is ILocalReferenceOperation passed
                    && SymbolEqualityComparer.Default.Equals(passed.Local, declarator.Symbol)
                    && MaySetOptions(call.TargetMethod))
                {
                    // configuration.Bind(options), configure(options), an app helper: anything may be set there.
                    options.Incomplete = true;
                }
            }
        }

        return options;
    }

    private static bool MaySetOptions(IMethodSymbol method)
        => method.Name is "Bind" or "Invoke" || method.Name.StartsWith("Configure", System.StringComparison.Ordinal)
            || (method.DeclaringSyntaxReferences.Length > 0 && method.Name != "AddRetry");

    private void Record(ISimpleAssignmentOperation assignment)
    {
        if (assignment.Target is not IPropertyReferenceOperation property)
        {
            return;
        }

        switch (property.Property.Name)
        {
            case "BackoffType":
                BackoffType = assignment;
                break;
            case "Delay":
                Delay = assignment;
                break;
            case "DelayGenerator":
                DelayGenerator = assignment;
                break;
            case "ShouldHandle":
                ShouldHandle = assignment;
                break;
            case "UseJitter":
                UseJitter = assignment;
                break;
            case "MaxRetryAttempts":
                MaxRetryAttempts = assignment;
                break;
            case "ShouldRetryAfterHeader":
                ShouldRetryAfterHeader = assignment;
                break;
        }

        if (DelaySchedule.ReadsRetryAfter(assignment.Value))
        {
            ReadsRetryAfter = true;
        }
    }
}

/// <summary>Helpers shared by the retry-policy rules.</summary>
internal static class RetryPolicies
{
    /// <summary>
    /// The predicate as written by the user: a lambda (inline, or stored in a local or readonly field), or the body of a method
    /// of the application passed as a method group (<c>OrResult(IsRetryable)</c>, <c>ShouldHandle = ShouldRetry</c>).
    /// Null when it cannot be found.
    /// </summary>
    public static IOperation? ResolvePredicate(IOperation predicate, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        for (var depth = 0; depth < 4; depth++)
        {
            if (DelaySchedule.UnwrapLambda(predicate) is { } lambda)
            {
                return lambda;
            }

            if (StoredValue.MethodGroup(predicate) is { } method)
            {
                return StoredValue.MethodBlock(method, compilation, cancellationToken);
            }

            if (StoredValue.Resolve(PollyV7Retry.Strip(predicate), compilation, cancellationToken) is not { } stored)
            {
                return null;
            }

            predicate = stored;
        }

        return null;
    }

    /// <summary>Where a predicate is reported and fixed: the lambda, or the expression a predicate method returns.</summary>
    public static IOperation? PredicateSite(IOperation resolved)
        => resolved switch
        {
            IAnonymousFunctionOperation lambda => lambda,
            IBlockOperation block => DelaySchedule.SingleReturnedValue(block),
            _ => null,
        };

    /// <summary>
    /// A single immediate retry of a 401 (or 407) response with an <c>onRetry</c> callback: the refresh-the-token-and-resend
    /// shape (<c>HandleResult(r =&gt; r.StatusCode == Unauthorized).RetryAsync(1, onRetryAsync: refresh)</c>). The retried request
    /// carries new credentials, so it is not the same request, and the failure is not overload: no SE2001, no SE2002.
    /// </summary>
    public static bool IsCredentialRefresh(PollyV7Retry retry, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        if (retry.Waits || retry.IsForever || retry.ResultPredicates.Count == 0 || retry.Exceptions.Count > 0 || retry.HandlesTransientHttpError)
        {
            return false;
        }

        var count = retry.RetryCount is null ? 1 : retry.RetryCount.Value.ConstantValue is { HasValue: true, Value: int value } ? value : 0;
        var hasCallback = false;
        foreach (var argument in retry.Invocation.Arguments)
        {
            if (argument.Parameter?.Name is "onRetry" or "onRetryAsync" && !argument.IsImplicit)
            {
                hasCallback = true;
            }
        }

        if (count != 1 || !hasCallback)
        {
            return false;
        }

        foreach (var predicate in retry.ResultPredicates)
        {
            if (ResolvePredicate(predicate, compilation, cancellationToken) is not { } resolved)
            {
                return false;
            }

            for (var status = 200; status <= 599; status++)
            {
                var actual = RetryCondition.Evaluate(resolved, status);
                var fits = status switch
                {
                    401 => actual == true,
                    407 => actual is not null,
                    _ => actual == false,
                };
                if (!fits)
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The value of <c>DelayBackoffType</c> assigned: 0 Constant, 1 Linear, 2 Exponential; null when not a constant.</summary>
    public static int? BackoffTypeValue(IOperation value)
        => PollyV7Retry.Strip(value).ConstantValue is { HasValue: true, Value: int kind } ? kind : null;

    /// <summary>Inside <c>AddPolicyHandler</c>, <c>AddTransientHttpErrorPolicy</c>, <c>AddResilienceHandler</c> or <c>AddStandard…Handler</c> of an <c>IHttpClientBuilder</c>.</summary>
    public static bool IsInHttpClientRegistration(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IInvocationOperation { TargetMethod.Name: "AddPolicyHandler" or "AddTransientHttpErrorPolicy" or "AddResilienceHandler" or "AddStandardResilienceHandler" or "AddStandardHedgingHandler" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the lambda declaring <paramref name="parameter"/> is an argument of a call named <paramref name="name"/>.</summary>
    public static bool EnclosingInvocationName(IParameterSymbol parameter, string name)
    {
        foreach (var reference in parameter.ContainingSymbol.DeclaringSyntaxReferences)
        {
            for (var node = reference.GetSyntax().Parent; node is not null; node = node.Parent)
            {
                if (node is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax invocation)
                {
                    var expression = invocation.Expression;
                    var invoked = expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText
                        : expression is Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple ? simple.Identifier.ValueText
                        : null;
                    return invoked == name;
                }
            }
        }

        return false;
    }

    /// <summary>Location from the invoked name to the end of the call: <c>WaitAndRetryAsync(3, …)</c>.</summary>
    public static Location NameToEnd(IInvocationOperation invocation)
    {
        if (invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax syntax
            && syntax.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access)
        {
            return Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(access.Name.SpanStart, syntax.Span.End));
        }

        return invocation.Syntax.GetLocation();
    }

    /// <summary>Location of <c>new RetryStrategyOptions&lt;T&gt;</c> without arguments and initializer.</summary>
    public static Location CreationHead(IObjectCreationOperation creation)
    {
        switch (creation.Syntax)
        {
            case Microsoft.CodeAnalysis.CSharp.Syntax.ObjectCreationExpressionSyntax explicitNew:
                return Location.Create(explicitNew.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(explicitNew.SpanStart, explicitNew.Type.Span.End));
            case Microsoft.CodeAnalysis.CSharp.Syntax.ImplicitObjectCreationExpressionSyntax implicitNew:
                return Location.Create(implicitNew.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(implicitNew.SpanStart, implicitNew.ArgumentList.Span.End));
            default:
                return creation.Syntax.GetLocation();
        }
    }

    /// <summary>Source text of an operation for messages, shortened.</summary>
    public static string Text(IOperation operation)
    {
        var text = operation.Syntax.ToString();
        text = text.Replace("\r", string.Empty).Replace("\n", " ");
        return text.Length > 80 ? text.Substring(0, 77) + "..." : text;
    }
}
