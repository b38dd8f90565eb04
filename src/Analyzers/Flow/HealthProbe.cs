using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Health and readiness probes answer 503 to load balancers and orchestrators, not to clients that would
/// honour Retry-After: health-check response writers, endpoints mapped on a health/ready/live route and
/// health controllers or actions.
/// </summary>
internal static class HealthProbe
{
    public static bool IsInProbe(IOperation operation, ISymbol containingSymbol, WellKnownTypes types)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda && IsProbeHandler(lambda, types))
            {
                return true;
            }
        }

        for (ISymbol? symbol = containingSymbol; symbol is not null and not INamespaceSymbol; symbol = symbol.ContainingSymbol)
        {
            if (IsProbeName(symbol.Name) || HasProbeRouteAttribute(symbol))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsProbeHandler(IAnonymousFunctionOperation lambda, WellKnownTypes types)
    {
        var parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        switch (parent)
        {
            // `new HealthCheckOptions { ResponseWriter = (context, report) => … }`
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property }:
                return types.IsA(property.Property.ContainingType, WellKnownType.Microsoft_AspNetCore_Diagnostics_HealthChecks_HealthCheckOptions);

            // `app.MapGet("/healthz", () => …)`
            case IArgumentOperation { Parent: IInvocationOperation invocation }:
                foreach (var argument in invocation.Arguments)
                {
                    if (argument.Value.ConstantValue is { HasValue: true, Value: string route } && IsProbeRoute(route))
                    {
                        return true;
                    }
                }

                return false;

            default:
                return false;
        }
    }

    private static bool HasProbeRouteAttribute(ISymbol symbol)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            foreach (var argument in attribute.ConstructorArguments)
            {
                if (argument.Kind == TypedConstantKind.Primitive && argument.Value is string route && IsProbeRoute(route))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // "HealthController", "HealthCheck", "ReadinessProbe" — but not "HealthcareController".
    private static bool IsProbeName(string name)
        => ContainsWord(name, "Health") || ContainsWord(name, "Readiness") || ContainsWord(name, "Liveness");

    private static bool ContainsWord(string name, string word)
    {
        var index = name.IndexOf(word, StringComparison.Ordinal);
        var end = index + word.Length;
        return index >= 0 && (end == name.Length || !char.IsLower(name[end]));
    }

    /// <summary>A route with a segment such as <c>health</c>, <c>healthz</c>, <c>ready</c>, <c>readyz</c>, <c>live</c>, <c>livez</c>.</summary>
    public static bool IsProbeRoute(string route)
    {
        foreach (var segment in route.Split('/'))
        {
            var s = segment.Trim().ToLowerInvariant();
            if (s is "health" or "healthz" or "healthcheck" or "healthchecks" or "health-check" or "health-checks" or "_health"
                or "ready" or "readyz" or "readiness" or "live" or "livez" or "liveness" or "alive")
            {
                return true;
            }
        }

        return false;
    }
}
