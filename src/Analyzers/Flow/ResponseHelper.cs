using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>One response a helper writes: the parameter that becomes the body, and its status (a parameter or the statuses set inside).</summary>
internal readonly struct HelperWrite
{
    public HelperWrite(int bodyParameter, int statusParameter, StatusSet status)
    {
        BodyParameter = bodyParameter;
        StatusParameter = statusParameter;
        Status = status;
    }

    /// <summary>Ordinal of the parameter whose value reaches the body (directly, through locals, serializers, anonymous objects).</summary>
    public int BodyParameter { get; }

    /// <summary>Ordinal of the parameter the status is read from (<c>Response.StatusCode = (int)code</c>), or -1.</summary>
    public int StatusParameter { get; }

    /// <summary>The statuses the helper sets itself, when <see cref="StatusParameter"/> is -1.</summary>
    public StatusSet Status { get; }
}

/// <summary>A helper's <c>Response.StatusCode = (int)code;</c>: the parameter it reads, the assignment and the value read.</summary>
internal readonly struct HelperStatus
{
    public HelperStatus(int parameter, SyntaxNode? assignment, SyntaxNode? value)
    {
        Parameter = parameter;
        Assignment = assignment;
        Value = value;
    }

    public static HelperStatus None => new(-1, null, null);

    public int Parameter { get; }

    public SyntaxNode? Assignment { get; }

    /// <summary>The parameter as read by the assignment, without its conversions (<c>code</c> in <c>(int)code</c>).</summary>
    public SyntaxNode? Value { get; }
}

/// <summary>
/// Helpers of the application that write a response from their parameters (<c>WriteError(context, code, message)</c>):
/// which parameter becomes the body and where the status comes from. Summarised once per method and compilation;
/// the call site supplies the values, and rules report there, where the user can change them. Only methods whose
/// declaration mentions <c>WriteAsync</c>/<c>WriteAsJsonAsync</c> are bound (a syntax pre-check).
/// </summary>
internal static class ResponseHelper
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, ImmutableArray<HelperWrite>>> Cache = new();

    /// <summary>The responses <paramref name="method"/> writes from its parameters; empty for most methods.</summary>
    public static ImmutableArray<HelperWrite> WritesOf(Compilation compilation, IMethodSymbol method, WellKnownTypes types, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.Length != 1 || method.Parameters.Length < 2 || method.IsAbstract)
        {
            return ImmutableArray<HelperWrite>.Empty;
        }

        var cache = Cache.GetValue(compilation, static _ => new ConcurrentDictionary<IMethodSymbol, ImmutableArray<HelperWrite>>(SymbolEqualityComparer.Default));
        if (cache.TryGetValue(method, out var cached))
        {
            return cached;
        }

        // Most methods of an application have no parameter that can be a body: no syntax scan, no binding.
        var result = HasBodyParameterCandidate(method) ? Compute(compilation, method, types, cancellationToken) : ImmutableArray<HelperWrite>.Empty;
#if DEBUG
        if (result.IsEmpty && !HasBodyParameterCandidate(method) && !Compute(compilation, method, types, cancellationToken).IsEmpty)
        {
            throw new System.InvalidOperationException($"the parameter pre-check rejected {method}, which writes a response from a parameter");
        }
#endif
        cache[method] = result;
        return result;
    }

    /// <summary>Whether a parameter passes the type part of <see cref="IsBodyParameter"/>: <see cref="Compute"/> finds nothing otherwise.</summary>
    private static bool HasBodyParameterCandidate(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (IsBodyParameterCandidate(parameter))
            {
                return true;
            }
        }

        return false;
    }

    private static ImmutableArray<HelperWrite> Compute(Compilation compilation, IMethodSymbol method, WellKnownTypes types, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        if (!MentionsWrite(syntax))
        {
            return ImmutableArray<HelperWrite>.Empty;
        }

        if (ExceptionTaint.GetBody(compilation, method, cancellationToken) is not { } body)
        {
            return ImmutableArray<HelperWrite>.Empty;
        }

        var writing = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponseWritingExtensions);
        var json = types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpResponseJsonExtensions);
        List<HelperWrite>? writes = null;
        foreach (var descendant in body.Descendants())
        {
            if (descendant is not IInvocationOperation invocation)
            {
                continue;
            }

            var target = invocation.TargetMethod;
            var isWrite = (target.Name == "WriteAsync" && SymbolEqualityComparer.Default.Equals(target.ContainingType, writing))
                || (target.Name == "WriteAsJsonAsync" && SymbolEqualityComparer.Default.Equals(target.ContainingType, json));
            if (!isWrite || (invocation.ArgumentFor("text") ?? invocation.ArgumentFor("value")) is not { } payload || EnvironmentGuard.IsGuarded(invocation))
            {
                continue;
            }

            var statusParameter = ResponseStatus.StatusParameterAtWrite(invocation, types);
            var status = statusParameter is null ? ResponseStatus.AtWrite(invocation, types, method) : StatusSet.None;
            foreach (var parameter in method.Parameters)
            {
                if (!IsBodyParameter(parameter, types) || !ExceptionTaint.FlowsFrom(compilation, payload.Value, parameter, cancellationToken))
                {
                    continue;
                }

                (writes ??= new List<HelperWrite>()).Add(new HelperWrite(parameter.Ordinal, statusParameter?.Ordinal ?? -1, status));
            }
        }

        return writes is null ? ImmutableArray<HelperWrite>.Empty : writes.ToImmutableArray();
    }

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, HelperStatus>> StatusCache = new();

    /// <summary>
    /// For a helper that sets <c>Response.StatusCode</c> from a parameter (<c>context.Response.StatusCode = (int)code;</c>)
    /// and never writes a Retry-After header: that parameter and the assignment; else null. Once per method and compilation.
    /// </summary>
    public static HelperStatus? StatusOf(Compilation compilation, IMethodSymbol method, WellKnownTypes types, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.Length != 1 || method.Parameters.Length < 2 || method.IsAbstract)
        {
            return null;
        }

        var cache = StatusCache.GetValue(compilation, static _ => new ConcurrentDictionary<IMethodSymbol, HelperStatus>(SymbolEqualityComparer.Default));
        if (!cache.TryGetValue(method, out var cached))
        {
            cached = ComputeStatus(compilation, method, types, cancellationToken);
            cache[method] = cached;
        }

        return cached.Parameter >= 0 ? cached : null;
    }

    private static HelperStatus ComputeStatus(Compilation compilation, IMethodSymbol method, WellKnownTypes types, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        var mentionsStatus = false;
        foreach (var token in syntax.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == "StatusCode")
            {
                mentionsStatus = true;
                break;
            }
        }

        if (!mentionsStatus)
        {
            return HelperStatus.None;
        }

        // Binding the helper here would bind it before the driver does: the syntax answers the common forms.
        if (StatusAssignmentSyntax.TryRead(compilation, method, syntax, types, out var read))
        {
#if DEBUG
            var bound = ComputeStatusFromOperations(compilation, method, types, cancellationToken);
            if (bound.Parameter != read.Parameter || bound.Assignment?.Span != read.Assignment?.Span || bound.Value?.Span != read.Value?.Span)
            {
                throw new System.InvalidOperationException($"the syntax reading of {method}'s status assignment disagrees with its operations");
            }
#endif
            return read;
        }

        return ComputeStatusFromOperations(compilation, method, types, cancellationToken);
    }

    private static HelperStatus ComputeStatusFromOperations(Compilation compilation, IMethodSymbol method, WellKnownTypes types, CancellationToken cancellationToken)
    {
        if (ExceptionTaint.GetBody(compilation, method, cancellationToken) is not { } body || RetryAfterHeader.ContainsWrite(body))
        {
            return HelperStatus.None;
        }

        var found = HelperStatus.None;
        foreach (var descendant in body.Descendants())
        {
            if (descendant is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "StatusCode" } target } assignment
                && types.IsA(target.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse)
                && assignment.Value.WithoutConversions() is IParameterReferenceOperation parameter
                && SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method))
            {
                if (found.Parameter >= 0)
                {
                    // Several status assignments: not followed.
                    return HelperStatus.None;
                }

                found = new HelperStatus(parameter.Parameter.Ordinal, assignment.Syntax, parameter.Syntax);
            }
        }

        return found;
    }

    private static bool IsBodyParameter(IParameterSymbol parameter, WellKnownTypes types)
        => IsBodyParameterCandidate(parameter) && !ExceptionTaint.IsException(parameter.Type, types.Get(WellKnownType.System_Exception));

    private static bool IsBodyParameterCandidate(IParameterSymbol parameter)
    {
        var type = parameter.Type;
        return parameter.RefKind == RefKind.None
            && (type.SpecialType is SpecialType.System_String or SpecialType.System_Object || type.TypeKind is TypeKind.TypeParameter);
    }

    private static bool MentionsWrite(SyntaxNode syntax)
    {
        foreach (var token in syntax.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText is "WriteAsync" or "WriteAsJsonAsync")
            {
                return true;
            }
        }

        return false;
    }
}
