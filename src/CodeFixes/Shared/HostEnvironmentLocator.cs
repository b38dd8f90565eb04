using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>An expression for the host environment at some position, and the namespace of its IsDevelopment() extension.</summary>
internal readonly struct HostEnvironment
{
    public HostEnvironment(string expression, string extensionNamespace)
    {
        Expression = expression;
        ExtensionNamespace = extensionNamespace;
    }

    public string Expression { get; }

    public string ExtensionNamespace { get; }

    public ExpressionSyntax IsDevelopmentCall() => SyntaxFactory.ParseExpression(Expression + ".IsDevelopment()");
}

/// <summary>Finds the host environment reachable at a position: a variable, parameter or member, or <c>app.Environment</c>.</summary>
internal static class HostEnvironmentLocator
{
    private const string HostingExtensions = "Microsoft.Extensions.Hosting";
    private const string LegacyHostingExtensions = "Microsoft.AspNetCore.Hosting";

    public static HostEnvironment? Find(SemanticModel model, SyntaxNode node, ExpressionSyntax? preferredHost = null)
    {
        var types = WellKnownTypes.Get(model.Compilation);
        var position = node.SpanStart;

        // `app.UseDeveloperExceptionPage()` on a WebApplication: its own environment is the natural choice.
        if (preferredHost is IdentifierNameSyntax host && HostEnvironmentOf(types, model.GetTypeInfo(host).Type) is { } hostEnvironment)
        {
            return new HostEnvironment(host.Identifier.ValueText + ".Environment", hostEnvironment);
        }

        var inStaticContext = ScopeSymbols.IsInStaticContext(model, position);
        HostEnvironment? member = null;
        HostEnvironment? viaHost = null;
        foreach (var symbol in model.LookupSymbols(position))
        {
            if (!ScopeSymbols.IsUsable(symbol, position, inStaticContext, out var type))
            {
                continue;
            }

            var name = symbol.Name;
            if (ExtensionNamespaceFor(types, type) is { } ns)
            {
                if (symbol is ILocalSymbol or IParameterSymbol)
                {
                    return new HostEnvironment(name, ns);
                }

                member ??= new HostEnvironment(name, ns);
            }
            else if (viaHost is null && HostEnvironmentOf(types, type) is { } hostNs)
            {
                viaHost = new HostEnvironment(name + ".Environment", hostNs);
            }
        }

        return member ?? viaHost;
    }

    /// <summary>The IsDevelopment() namespace when <paramref name="type"/> is a host environment.</summary>
    public static string? ExtensionNamespaceFor(WellKnownTypes types, ITypeSymbol? type)
    {
        if (types.IsA(type, WellKnownType.Microsoft_Extensions_Hosting_IHostEnvironment))
        {
            return HostingExtensions;
        }

        return types.IsA(type, WellKnownType.Microsoft_AspNetCore_Hosting_IHostingEnvironment) ? LegacyHostingExtensions : null;
    }

    // WebApplication and WebApplicationBuilder expose `Environment`.
    private static string? HostEnvironmentOf(WellKnownTypes types, ITypeSymbol? type)
        => types.IsA(type, WellKnownType.Microsoft_AspNetCore_Builder_WebApplication)
            || types.IsA(type, WellKnownType.Microsoft_AspNetCore_Builder_WebApplicationBuilder)
                ? HostingExtensions
                : null;
}
