using Microsoft.CodeAnalysis;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>Finds a value of a given kind that code at a position can use: a local, parameter, field or property.</summary>
internal static class ScopeSymbols
{
    /// <summary>Something usable at the position as an expression, and its type.</summary>
    public static bool IsUsable(ISymbol symbol, int position, bool inStaticContext, out ITypeSymbol? type)
    {
        type = null;
        switch (symbol)
        {
            case ILocalSymbol local:
                // Locals are in scope for their whole block; only those declared before the position are assigned.
                if (local.DeclaringSyntaxReferences.Length == 0 || local.DeclaringSyntaxReferences[0].Span.End > position)
                {
                    return false;
                }

                type = local.Type;
                return true;
            case IParameterSymbol parameter:
                type = parameter.Type;
                return true;
            case IFieldSymbol field when !inStaticContext || field.IsStatic:
                type = field.Type;
                return true;
            case IPropertySymbol property when (!inStaticContext || property.IsStatic) && !property.IsIndexer && property.GetMethod is not null:
                type = property.Type;
                return true;
            default:
                return false;
        }
    }

    public static bool IsInStaticContext(SemanticModel model, int position)
    {
        var enclosing = model.GetEnclosingSymbol(position);
        while (enclosing is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction, IsStatic: false })
        {
            enclosing = enclosing.ContainingSymbol;
        }

        return enclosing is null || enclosing.IsStatic || enclosing is INamespaceSymbol;
    }

    /// <summary>An expression for the current <c>HttpContext</c> at the position (<c>context</c>, <c>HttpContext</c> in a controller, <c>filterContext.HttpContext</c>), or null.</summary>
    public static string? FindHttpContext(SemanticModel model, int position)
    {
        var types = WellKnownTypes.Get(model.Compilation);
        if (types.Get(WellKnownType.Microsoft_AspNetCore_Http_HttpContext) is not { } httpContext)
        {
            return null;
        }

        var inStaticContext = IsInStaticContext(model, position);
        string? member = null;
        string? viaOwner = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            if (!IsUsable(symbol, position, inStaticContext, out var type) || type is null || type.NullableAnnotation == NullableAnnotation.Annotated)
            {
                continue;
            }

            if (types.IsA(type, WellKnownType.Microsoft_AspNetCore_Http_HttpContext))
            {
                if (symbol is ILocalSymbol or IParameterSymbol)
                {
                    return symbol.Name;
                }

                member ??= symbol.Name;
            }
            else if (viaOwner is null && symbol is ILocalSymbol or IParameterSymbol && HasHttpContextProperty(type, httpContext))
            {
                // ExceptionContext, ActionContext, ProblemDetailsContext, HttpRequest, HttpResponse…
                viaOwner = symbol.Name + ".HttpContext";
            }
        }

        return member ?? viaOwner;
    }

    /// <summary>A non-nullable <c>ILogger</c> usable at the position, or null.</summary>
    public static string? FindLogger(SemanticModel model, int position)
    {
        var types = WellKnownTypes.Get(model.Compilation);
        var inStaticContext = IsInStaticContext(model, position);
        string? member = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            if (!IsUsable(symbol, position, inStaticContext, out var type) || type is null || type.NullableAnnotation == NullableAnnotation.Annotated
                || !types.IsA(type, WellKnownType.Microsoft_Extensions_Logging_ILogger))
            {
                continue;
            }

            if (symbol is ILocalSymbol or IParameterSymbol)
            {
                return symbol.Name;
            }

            member ??= symbol.Name;
        }

        return member;
    }

    private static bool HasHttpContextProperty(ITypeSymbol type, INamedTypeSymbol httpContext)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var candidate in current.GetMembers("HttpContext"))
            {
                if (candidate is IPropertySymbol { IsStatic: false, GetMethod: not null } property
                    && property.NullableAnnotation != NullableAnnotation.Annotated
                    && SymbolEqualityComparer.Default.Equals(property.Type, httpContext))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
