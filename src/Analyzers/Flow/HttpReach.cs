using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>What running a piece of code does with <c>HttpClient</c>, directly or through the application's own methods.</summary>
[System.Flags]
internal enum HttpReachFacts
{
    None = 0,

    /// <summary>Sends a request: <c>HttpClient</c>/<c>HttpMessageInvoker</c> or the JSON extensions on them.</summary>
    Sends = 1,

    /// <summary>
    /// Lets an <c>HttpRequestException</c> thrown for every 4xx escape: <c>EnsureSuccessStatusCode()</c>, <c>GetStringAsync</c>,
    /// <c>GetByteArrayAsync</c>, <c>GetStreamAsync</c>, <c>GetFromJsonAsync</c>… outside a <c>try</c> that catches it.
    /// </summary>
    ThrowsOnClientError = 2,
}

/// <summary>
/// A bounded per-method summary "reaches an HttpClient send": the delegate a retry runs is followed into the methods of
/// the application it calls (declared in source), at most four calls deep. Summaries are cached per
/// method symbol per compilation; nothing walks the whole compilation.
/// </summary>
internal static class HttpReach
{
    private const int MaxDepth = 5;

    /// <summary>Methods whose body is larger than this many operations are not followed (silence over cost).</summary>
    private const int MaxOperations = 2000;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, HttpReachFacts>[]> Cache = new();

    /// <summary>The facts of running <paramref name="operation"/> (a delegate, a lambda, a method reference or any code).</summary>
    public static HttpReachFacts Of(IOperation operation, Compilation compilation, CancellationToken cancellationToken)
    {
        var walker = new Walker(compilation, cancellationToken);
        if (operation.WithoutConversions() is IDelegateCreationOperation { Target: IMethodReferenceOperation reference })
        {
            return walker.Method(reference.Method, MaxDepth - 1);
        }

        return walker.Body(operation, MaxDepth);
    }

    /// <summary>The facts of calling <paramref name="method"/>.</summary>
    public static HttpReachFacts OfMethod(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => new Walker(compilation, cancellationToken).Method(method, MaxDepth);

    /// <summary>The method is <c>HttpClient</c>'s (or <c>HttpMessageInvoker</c>'s, or a JSON extension on them).</summary>
    public static bool IsHttpClientMethod(IMethodSymbol method)
        => method.ContainingType is { Name: "HttpClient" or "HttpMessageInvoker" or "HttpClientJsonExtensions" } type
            && (SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net.Http") || SymbolNames.IsNamespace(type.ContainingNamespace, "System.Net.Http.Json"));

    private sealed class Walker
    {
        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;
        private readonly ConcurrentDictionary<IMethodSymbol, HttpReachFacts>[] _cache;

        public Walker(Compilation compilation, CancellationToken cancellationToken)
        {
            _compilation = compilation;
            _cancellationToken = cancellationToken;
            _cache = Cache.GetValue(compilation, static _ =>
            {
                var byDepth = new ConcurrentDictionary<IMethodSymbol, HttpReachFacts>[MaxDepth + 1];
                for (var i = 0; i < byDepth.Length; i++)
                {
                    byDepth[i] = new ConcurrentDictionary<IMethodSymbol, HttpReachFacts>(SymbolEqualityComparer.Default);
                }

                return byDepth;
            });
        }

        // A summary is a function of the method and the calls left (cached per both), so the answer never depends on which
        // retry asked first; recursion ends at the depth bound.
        public HttpReachFacts Method(IMethodSymbol method, int depth)
        {
            method = method.ReducedFrom ?? method;
            method = method.OriginalDefinition;
            if (IsHttpClientMethod(method))
            {
                return RetryLoopShape.ThrowsOnFailure(method) ? HttpReachFacts.Sends | HttpReachFacts.ThrowsOnClientError : HttpReachFacts.Sends;
            }

            if (depth <= 0 || depth > MaxDepth || method.DeclaringSyntaxReferences.Length == 0 || method.IsAbstract)
            {
                return HttpReachFacts.None;
            }

            var cache = _cache[depth];
            if (cache.TryGetValue(method, out var cached))
            {
                return cached;
            }

            var body = ExceptionTaint.GetBody(_compilation, method, _cancellationToken);
            var facts = body is null ? HttpReachFacts.None : Body(body, depth);
            cache.TryAdd(method, facts);
            return facts;
        }

        public HttpReachFacts Body(IOperation body, int depth)
        {
            var facts = HttpReachFacts.None;
            var count = 0;
            foreach (var descendant in body.DescendantsAndSelf())
            {
                if (++count > MaxOperations)
                {
                    break;
                }

                HttpReachFacts found;
                switch (descendant)
                {
                    case IInvocationOperation invocation:
                        found = invocation.TargetMethod.Name == "EnsureSuccessStatusCode" && RetryCondition.IsHttpResponseMessage(invocation.TargetMethod.ContainingType)
                            ? HttpReachFacts.ThrowsOnClientError
                            : Method(invocation.TargetMethod, depth - 1);
                        break;
                    case IMethodReferenceOperation reference:
                        found = Method(reference.Method, depth - 1);
                        break;
                    default:
                        continue;
                }

                if ((found & HttpReachFacts.ThrowsOnClientError) != 0 && IsCaught(descendant, body))
                {
                    found &= ~HttpReachFacts.ThrowsOnClientError;
                }

                facts |= found;
                if (facts == (HttpReachFacts.Sends | HttpReachFacts.ThrowsOnClientError))
                {
                    break;
                }
            }

            return facts;
        }

        /// <summary>Inside <paramref name="body"/>, a <c>try</c> around <paramref name="operation"/> catches HttpRequestException (or any exception).</summary>
        private static bool IsCaught(IOperation operation, IOperation body)
        {
            IOperation child = operation;
            for (var current = operation.Parent; current is not null && !ReferenceEquals(child, body); child = current, current = current.Parent)
            {
                if (current is ITryOperation @try && ReferenceEquals(@try.Body, child))
                {
                    foreach (var @catch in @try.Catches)
                    {
                        var type = @catch.ExceptionType;
                        if (type is null || type.SpecialType == SpecialType.System_Object || RetryCondition.IsHttpRequestException(type)
                            || type is { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }
    }
}
