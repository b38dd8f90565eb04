using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>Adds using directives that fixed code needs, only where nothing already brings the namespace in.</summary>
internal static class Imports
{
    /// <summary>
    /// True when <paramref name="expression"/> would bind at <paramref name="position"/> as it is, so no
    /// using directive is needed for it (covers global and implicit usings).
    /// </summary>
    public static bool Binds(SemanticModel model, int position, ExpressionSyntax expression)
        => model.GetSpeculativeSymbolInfo(position, expression, SpeculativeBindingOption.BindAsExpression).Symbol is not null;

    public static bool BindsAsType(SemanticModel model, int position, TypeSyntax type)
        => model.GetSpeculativeSymbolInfo(position, type, SpeculativeBindingOption.BindAsTypeOrNamespace).Symbol is not null;

    /// <summary>
    /// Adds <c>using <paramref name="ns"/>;</c> unless <paramref name="probeType"/>, a type of that namespace,
    /// already binds at <paramref name="position"/> (through a using, a global using or an enclosing namespace).
    /// </summary>
    public static CompilationUnitSyntax AddIfMissing(CompilationUnitSyntax root, SemanticModel model, int position, string ns, string probeType)
        => BindsAsType(model, position, SyntaxFactory.ParseTypeName(probeType)) ? root : Add(root, ns);

    /// <summary>Adds <c>using <paramref name="ns"/>;</c> in sorted position unless the file already has it.</summary>
    public static CompilationUnitSyntax Add(CompilationUnitSyntax root, string ns)
    {
        if (root.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == ns))
        {
            return root;
        }

        var directive = SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(ns)).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        var usings = root.Usings;
        var index = 0;
        while (index < usings.Count && Compare(usings[index].Name?.ToString() ?? string.Empty, ns) < 0 && usings[index].Alias is null)
        {
            index++;
        }

        if (usings.Count == 0)
        {
            // First directive of the file: keep the file's leading trivia (comments, headers) above it.
            var first = root.GetFirstToken();
            var newRoot = root.ReplaceToken(first, first.WithLeadingTrivia());
            directive = directive.WithLeadingTrivia(first.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed, SyntaxFactory.ElasticCarriageReturnLineFeed);
            return newRoot.WithUsings(newRoot.Usings.Add(directive));
        }

        return root.WithUsings(usings.Insert(index, directive));
    }

    // System namespaces first, then ordinal, as dotnet_sort_system_directives_first does.
    private static int Compare(string left, string right)
    {
        var leftSystem = left == "System" || left.StartsWith("System.", System.StringComparison.Ordinal);
        var rightSystem = right == "System" || right.StartsWith("System.", System.StringComparison.Ordinal);
        if (leftSystem != rightSystem)
        {
            return leftSystem ? -1 : 1;
        }

        return string.CompareOrdinal(left, right);
    }
}
