using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>
/// SE2005: a retry that resends a POST or PATCH without an idempotency key — a hand-written retry loop, a Polly v7/v8
/// retry whose executed delegate sends it, or a resilience handler of a typed client whose class sends POST/PATCH and
/// whose retry does not skip unsafe methods.
/// </summary>
public sealed class NonIdempotentRetryAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";
    internal const string KindSend = "Send";
    internal const string KindHandler = "Handler";

    /// <summary>Property: the syntax kind of the retry around a send ("Loop" or "Delegate"), where the fix declares the key.</summary>
    internal const string RetryKey = "Retry";
    internal const string RetryLoop = "Loop";
    internal const string RetryDelegate = "Delegate";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.SE2005_NonIdempotentRetry);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = WellKnownTypes.Get(context.Compilation);
        if (types.Get(WellKnownType.System_Net_Http_HttpClient) is null)
        {
            return;
        }

        if (RetryLoopShape.MayOccurIn(context.Compilation, context.CancellationToken))
        {
            context.RegisterOperationAction(AnalyzeLoop, OperationKind.Loop);
        }

        var hasPolly = RetryLibraries.Get(context.Compilation) is not null;
        var hasBuilder = types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_IHttpClientBuilder) is not null;
        if (!hasPolly && !hasBuilder)
        {
            return;
        }

        var typedClients = new ConcurrentDictionary<INamedTypeSymbol, string?>(SymbolEqualityComparer.Default);
        OperationFilter.RegisterInvocationAction(context, n => MayAnalyze(n, hasPolly, hasBuilder), c => AnalyzeInvocation(c, hasPolly, hasBuilder, typedClients));
    }

    private static void AnalyzeLoop(OperationAnalysisContext context)
    {
        if (RetryLoopShape.TryCreate(context) is not { } loop || RequestMethod.Unsafe(loop.Send) is not { } method)
        {
            return;
        }

        var body = loop.Loop.Body.Syntax;
        if (!RequestMethod.HasStableKey(loop.Send, body))
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2005_NonIdempotentRetry,
                RetryPolicies.NameToEnd(loop.Send),
                Properties(KindSend, RetryLoop),
                "This '" + loop.Describe() + "' retry loop",
                method));
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, bool hasPolly, bool hasBuilder, ConcurrentDictionary<INamedTypeSymbol, string?> typedClients)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var name = invocation.TargetMethod.Name;
        if (hasPolly && IsExecuteName(name))
        {
            AnalyzeExecute(context, invocation);
        }
        else if (hasBuilder && IsHandlerName(name))
        {
            AnalyzeHandler(context, invocation, typedClients);
        }
    }

    private static bool MayAnalyze(string name, bool hasPolly, bool hasBuilder) => (hasPolly && IsExecuteName(name)) || (hasBuilder && IsHandlerName(name));

    private static bool IsExecuteName(string name) => name.StartsWith("Execute", System.StringComparison.Ordinal);

    private static bool IsHandlerName(string name) => name is "AddStandardResilienceHandler" or "AddResilienceHandler";

    private static void AnalyzeExecute(OperationAnalysisContext context, IInvocationOperation execute)
    {
        if (RetryExecution.RetriedSendingDelegate(execute) is not { } executed)
        {
            return;
        }

        foreach (var descendant in executed.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation send
                && RetryLoopShape.IsSend(send)
                && RequestMethod.Unsafe(send) is { } method
                && !RequestMethod.HasStableKey(send, executed.Syntax))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2005_NonIdempotentRetry,
                    RetryPolicies.NameToEnd(send),
                    Properties(KindSend, RetryDelegate),
                    "The Polly retry around this call",
                    method));
            }
        }
    }

    private static void AnalyzeHandler(OperationAnalysisContext context, IInvocationOperation handler, ConcurrentDictionary<INamedTypeSymbol, string?> typedClients)
    {
        if (!HttpClientRegistration.IsRetryingHandler(handler)
            || HttpClientRegistration.IsInClientDefaults(handler)
            || handler.TargetMethod.Name == "AddResilienceHandler" && !HttpClientRegistration.AddsHttpRetry(handler)
            || HttpClientRegistration.Start(HttpClientRegistration.Receiver(handler)) is not { } start
            || HttpClientRegistration.TypedClient(start) is not { } client
            || HttpClientRegistration.SkipsUnsafeMethods(handler, out var unknownOptions)
            || unknownOptions)
        {
            return;
        }

        var method = typedClients.GetOrAdd(client, c => HasKeyHeader(c, context.CancellationToken) ? null : HttpClientRegistration.SendsUnsafe(c, context.CancellationToken));
        if (method is null)
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE2005_NonIdempotentRetry,
            RetryPolicies.NameToEnd(handler),
            Properties(KindHandler, null),
            "The retry of '" + handler.TargetMethod.Name + "' for '" + client.Name + "'",
            method));
    }

    // The typed client names an idempotency header somewhere: it sends keys, the analysis cannot tell for which calls.
    private static bool HasKeyHeader(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            // Every idempotency header contains "Idempotency" or "Request-Id" (RequestMethod.IdempotencyHeaders).
            if (!SourceWords.SpanMayContain(syntax, "Idempotency", "Request-Id", cancellationToken))
            {
#if DEBUG
                if (NamesKeyHeader(syntax))
                {
                    throw new System.InvalidOperationException($"SpanMayContain missed an idempotency header in {type}");
                }
#endif
                continue;
            }

            if (NamesKeyHeader(syntax))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesKeyHeader(SyntaxNode syntax)
    {
        foreach (var node in syntax.DescendantNodes())
        {
            if (node is LiteralExpressionSyntax literal && literal.Token.Value is string text && RequestMethod.IsIdempotencyHeader(text))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableDictionary<string, string?> Properties(string kind, string? retry)
    {
        var properties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind);
        return retry is null ? properties : properties.Add(RetryKey, retry);
    }
}
