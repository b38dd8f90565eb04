using Microsoft.CodeAnalysis;

namespace ServerErrors.Analyzers;

/// <summary>Name tests on symbols that do not build display strings (they run for every call a rule looks at).</summary>
internal static class SymbolNames
{
    /// <summary><c>ns?.ToDisplayString() == dotted</c>, comparing the namespace's parts from the innermost out.</summary>
    public static bool IsNamespace(INamespaceSymbol? ns, string dotted)
    {
        var result = Compare(ns, dotted);
#if DEBUG
        if (result != (ns?.ToDisplayString() == dotted))
        {
            throw new System.InvalidOperationException($"SymbolNames.IsNamespace disagrees with ToDisplayString for {ns} and {dotted}");
        }
#endif
        return result;
    }

    private static bool Compare(INamespaceSymbol? ns, string dotted)
    {
        var end = dotted.Length;
        for (var current = ns; current is not null && !current.IsGlobalNamespace; current = current.ContainingNamespace)
        {
            var part = current.Name;
            var start = end - part.Length;
            if (start < 0 || string.CompareOrdinal(dotted, start, part, 0, part.Length) != 0)
            {
                return false;
            }

            if (start == 0)
            {
                return current.ContainingNamespace is null or { IsGlobalNamespace: true };
            }

            if (dotted[start - 1] != '.')
            {
                return false;
            }

            end = start - 1;
        }

        return false;
    }
}
