using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// Finds an expression for the current <c>HttpResponse</c> at a position: a response, context or request
/// variable, something with an <c>HttpContext</c> property (filter and rejection contexts), or the
/// <c>Response</c>/<c>HttpContext</c> members of a controller, page or middleware.
/// </summary>
internal static class ResponseLocator
{
    public static string? Find(SemanticModel model, int position)
    {
        var types = WellKnownTypes.Get(model.Compilation);
        var inStaticContext = IsInStaticContext(model, position);
        string? fromMember = null;
        var memberRank = int.MaxValue;
        string? fromVariable = null;
        var variableRank = int.MaxValue;
        foreach (var symbol in model.LookupSymbols(position))
        {
            if (!IsUsable(symbol, position, inStaticContext, out var type, out var isVariable))
            {
                continue;
            }

            var expression = ResponseOf(types, symbol.Name, type, out var rank);
            if (expression is null)
            {
                continue;
            }

            if (isVariable)
            {
                if (rank < variableRank)
                {
                    fromVariable = expression;
                    variableRank = rank;
                }
            }
            else if (rank < memberRank)
            {
                fromMember = expression;
                memberRank = rank;
            }
        }

        return fromVariable ?? fromMember;
    }

    /// <summary>True for the receiver of <c>x.StatusCode</c> that can be repeated without side effects.</summary>
    public static bool IsRepeatable(ExpressionSyntax expression)
        => expression switch
        {
            IdentifierNameSyntax or ThisExpressionSyntax => true,
            MemberAccessExpressionSyntax { Name: IdentifierNameSyntax } access => IsRepeatable(access.Expression),
            _ => false,
        };

    private static string? ResponseOf(WellKnownTypes types, string name, ITypeSymbol? type, out int rank)
    {
        rank = 0;
        if (types.IsA(type, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse))
        {
            return name;
        }

        rank = 1;
        if (types.IsA(type, WellKnownType.Microsoft_AspNetCore_Http_HttpContext))
        {
            return name + ".Response";
        }

        // HttpRequest, EndpointFilterInvocationContext, OnRejectedContext, ActionContext…
        rank = 2;
        if (type is not null)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers("HttpContext"))
                {
                    if (member is IPropertySymbol { IsStatic: false, GetMethod: not null } property
                        && types.IsA(property.Type, WellKnownType.Microsoft_AspNetCore_Http_HttpContext))
                    {
                        return name + ".HttpContext.Response";
                    }
                }
            }
        }

        return null;
    }

    private static bool IsUsable(ISymbol symbol, int position, bool inStaticContext, out ITypeSymbol? type, out bool isVariable)
    {
        type = null;
        isVariable = symbol is ILocalSymbol or IParameterSymbol;
        switch (symbol)
        {
            case ILocalSymbol local:
                if (local.DeclaringSyntaxReferences.Length == 0 || local.DeclaringSyntaxReferences[0].Span.End >= position)
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

    private static bool IsInStaticContext(SemanticModel model, int position)
    {
        var enclosing = model.GetEnclosingSymbol(position);
        while (enclosing is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction, IsStatic: false })
        {
            enclosing = enclosing.ContainingSymbol;
        }

        return enclosing is null || enclosing.IsStatic || enclosing is INamespaceSymbol;
    }
}
