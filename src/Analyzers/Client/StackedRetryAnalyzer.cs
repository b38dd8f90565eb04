using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>
/// SE2006: a second retry layer on one HttpClient — two retrying handlers on one <c>IHttpClientBuilder</c> chain, a
/// per-client retrying handler when <c>ConfigureHttpClientDefaults</c> already adds one, or a hand-written/Polly retry
/// inside a typed client whose registration retries. Registrations and retries can sit in different files, so the
/// operation actions only collect and the compilation-end action reports.
/// </summary>
public sealed class StackedRetryAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";

    /// <summary>Remove the handler at the diagnostic's location (a second handler on the same chain).</summary>
    internal const string KindRemoveHandler = "RemoveHandler";

    /// <summary>Insert <c>RemoveAllResilienceHandlers()</c> before the handler at the diagnostic's location.</summary>
    internal const string KindClearDefaults = "ClearDefaults";

    /// <summary>Remove the handler at the first additional location (the registration of the typed client).</summary>
    internal const string KindRemoveRegisteredHandler = "RemoveRegisteredHandler";

    /// <summary>Insert <c>RemoveAllResilienceHandlers()</c> after the <c>AddHttpClient&lt;T&gt;()</c> call at the first additional location.</summary>
    internal const string KindClearDefaultsForClient = "ClearDefaultsForClient";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.SE2006_StackedRetry);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private sealed class Handler
    {
        public Handler(Location location, string name, INamedTypeSymbol? client, bool cleared, Location? earlier)
        {
            Location = location;
            Name = name;
            Client = client;
            Cleared = cleared;
            Earlier = earlier;
        }

        public Location Location { get; }

        public string Name { get; }

        /// <summary>The typed client of the chain; null for named clients or when the chain's start is not visible.</summary>
        public INamedTypeSymbol? Client { get; }

        /// <summary><c>RemoveAllResilienceHandlers()</c> comes earlier on the chain.</summary>
        public bool Cleared { get; }

        /// <summary>An earlier retrying handler on the same chain.</summary>
        public Location? Earlier { get; }
    }

    private sealed class Collected
    {
        public ConcurrentQueue<Location> Defaults { get; } = new();

        public ConcurrentQueue<Handler> Handlers { get; } = new();

        /// <summary>Typed registrations <c>AddHttpClient&lt;T&gt;()</c>: the call's location and whether its chain clears the defaults.</summary>
        public ConcurrentQueue<(INamedTypeSymbol Client, Location Location)> TypedRegistrations { get; } = new();

        public ConcurrentQueue<INamedTypeSymbol> ClearedClients { get; } = new();

        /// <summary>Hand-written or Polly retries of an HttpClient held by a class: the class, where, and what.</summary>
        public ConcurrentQueue<(INamedTypeSymbol Owner, Location Location, string What)> Retries { get; } = new();
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = WellKnownTypes.Get(context.Compilation);
        if (types.Get(WellKnownType.Microsoft_Extensions_DependencyInjection_IHttpClientBuilder) is null || types.Get(WellKnownType.System_Net_Http_HttpClient) is null)
        {
            return;
        }

        var collected = new Collected();
        var hasPolly = RetryLibraries.Get(context.Compilation) is not null;
        OperationFilter.RegisterInvocationAction(context, n => MayCollect(n, hasPolly), c => CollectInvocation(c, collected, hasPolly));
        if (RetryLoopShape.MayOccurIn(context.Compilation, context.CancellationToken))
        {
            context.RegisterOperationAction(c => CollectLoop(c, collected), OperationKind.Loop);
        }

        context.RegisterCompilationEndAction(c => Report(c, collected));
    }

    /// <summary>The names <see cref="CollectInvocation"/> acts on: it records without reporting, so no Debug check would see a wrong filter.</summary>
    private static bool MayCollect(string name, bool hasPolly)
        => HttpClientRegistration.IsHandlerName(name) || name is "AddHttpClient" or "RemoveAllResilienceHandlers" || (hasPolly && name.StartsWith("Execute", System.StringComparison.Ordinal));

    private static void CollectInvocation(OperationAnalysisContext context, Collected collected, bool hasPolly)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var name = invocation.TargetMethod.Name;
        if (HttpClientRegistration.IsHandlerName(name))
        {
            if (!HttpClientRegistration.IsRetryingHandler(invocation))
            {
                return;
            }

            var location = RetryPolicies.NameToEnd(invocation);
            if (HttpClientRegistration.IsInClientDefaults(invocation))
            {
                collected.Defaults.Enqueue(location);
                return;
            }

            var earlier = HttpClientRegistration.EarlierRetryingHandler(invocation, out var cleared);
            var start = HttpClientRegistration.Start(HttpClientRegistration.Receiver(invocation));
            collected.Handlers.Enqueue(new Handler(location, name, start is null ? null : HttpClientRegistration.TypedClient(start), cleared, earlier is null ? null : RetryPolicies.NameToEnd(earlier)));
            return;
        }

        switch (name)
        {
            case "AddHttpClient" when invocation.TargetMethod.TypeArguments.Length > 0 && !HttpClientRegistration.IsInClientDefaults(invocation):
                if (HttpClientRegistration.TypedClient(invocation) is { } client)
                {
                    collected.TypedRegistrations.Enqueue((client, RetryPolicies.NameToEnd(invocation)));
                }

                break;
            case "RemoveAllResilienceHandlers":
                if (HttpClientRegistration.Start(HttpClientRegistration.Receiver(invocation)) is { } start && HttpClientRegistration.TypedClient(start) is { } cleared)
                {
                    collected.ClearedClients.Enqueue(cleared);
                }

                break;
            default:
                if (hasPolly
                    && name.StartsWith("Execute", System.StringComparison.Ordinal)
                    && context.ContainingSymbol.ContainingType is { } owner
                    && RetryExecution.RetriedSendingDelegate(invocation) is { } executed
                    && SendsWithOwnClient(executed))
                {
                    collected.Retries.Enqueue((owner, RetryPolicies.NameToEnd(invocation), "The Polly retry"));
                }

                break;
        }
    }

    private static void CollectLoop(OperationAnalysisContext context, Collected collected)
    {
        if (context.ContainingSymbol?.ContainingType is { } owner && RetryLoopShape.TryCreate(context) is { } loop && IsOwnClient(loop.Send))
        {
            collected.Retries.Enqueue((owner, loop.KeywordLocation, "This '" + loop.Describe() + "' retry loop"));
        }
    }

    private static bool SendsWithOwnClient(IOperation executed)
    {
        foreach (var descendant in executed.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation send && RetryLoopShape.IsSend(send) && IsOwnClient(send))
            {
                return true;
            }
        }

        return false;
    }

    // The HttpClient a typed client is given: a field, property or (primary) constructor parameter, not a client it creates.
    private static bool IsOwnClient(IInvocationOperation send)
    {
        var client = send.Instance ?? (send.TargetMethod.IsExtensionMethod && send.Arguments.Length > 0 ? send.Arguments[0].Value : null);
        return client?.WithoutConversions() is IFieldReferenceOperation or IPropertyReferenceOperation or IParameterReferenceOperation { Parameter.ContainingSymbol: IMethodSymbol { MethodKind: MethodKind.Constructor } };
    }

    private static void Report(CompilationAnalysisContext context, Collected collected)
    {
        if (collected.Handlers.IsEmpty && collected.Retries.IsEmpty)
        {
            return;
        }

        var defaults = First(collected.Defaults);
        var cleared = new HashSet<INamedTypeSymbol>(collected.ClearedClients, SymbolEqualityComparer.Default);
        var retryingRegistrations = new Dictionary<INamedTypeSymbol, Handler>(SymbolEqualityComparer.Default);
        foreach (var handler in collected.Handlers)
        {
            if (handler.Earlier is { } earlier)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2006_StackedRetry, handler.Location, new[] { earlier }, Kind(KindRemoveHandler),
                    "'" + handler.Name + "'", "another retrying handler on the same client"));
            }
            else if (defaults is not null && !handler.Cleared && (handler.Client is null || !cleared.Contains(handler.Client)))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2006_StackedRetry, handler.Location, new[] { defaults }, Kind(KindClearDefaults),
                    "'" + handler.Name + "'", "the retrying handler of ConfigureHttpClientDefaults"));
            }

            if (handler.Client is { } client && !handler.Cleared && (!retryingRegistrations.TryGetValue(client, out var known) || IsBefore(handler.Location, known.Location)))
            {
                retryingRegistrations[client] = handler;
            }
        }

        if (collected.Retries.IsEmpty)
        {
            return;
        }

        var typed = new Dictionary<INamedTypeSymbol, Location>(SymbolEqualityComparer.Default);
        foreach (var (client, location) in collected.TypedRegistrations)
        {
            if (!typed.TryGetValue(client, out var known) || IsBefore(location, known))
            {
                typed[client] = location;
            }
        }

        foreach (var (owner, location, what) in collected.Retries)
        {
            if (retryingRegistrations.TryGetValue(owner, out var registration))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2006_StackedRetry, location, new[] { registration.Location }, Kind(KindRemoveRegisteredHandler),
                    what, "'" + registration.Name + "' in the registration of '" + owner.Name + "'"));
            }
            else if (defaults is not null && !cleared.Contains(owner) && typed.TryGetValue(owner, out var registered))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2006_StackedRetry, location, new[] { registered, defaults }, Kind(KindClearDefaultsForClient),
                    what, "the retrying handler that ConfigureHttpClientDefaults gives '" + owner.Name + "'"));
            }
        }
    }

    private static ImmutableDictionary<string, string?> Kind(string kind) => ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind);

    // Concurrent collection order is not stable: pick the first location by file and position.
    private static Location? First(ConcurrentQueue<Location> locations)
    {
        Location? first = null;
        foreach (var location in locations)
        {
            if (first is null || IsBefore(location, first))
            {
                first = location;
            }
        }

        return first;
    }

    private static bool IsBefore(Location a, Location b)
    {
        var byPath = string.CompareOrdinal(a.SourceTree?.FilePath, b.SourceTree?.FilePath);
        return byPath < 0 || byPath == 0 && a.SourceSpan.Start < b.SourceSpan.Start;
    }
}
