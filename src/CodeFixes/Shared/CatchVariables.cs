using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// A fix that removes the last use of a catch variable (<c>catch (Exception ex)</c> whose only use was the leak)
/// would leave CS0168 (declared but never used), which fails <c>-warnaserror</c> builds after
/// <c>dotnet format analyzers</c>. This drops such a variable: <c>catch (Exception)</c>.
/// </summary>
internal static class CatchVariables
{
    /// <summary>
    /// Drops the variable of every catch clause that used it in <paramref name="before"/> and no longer does in
    /// <paramref name="after"/>. The fix does not add or remove catch clauses, so they correspond in source order.
    /// </summary>
    public static SyntaxNode DropNewlyUnused(SyntaxNode before, SyntaxNode after)
    {
        var old = CatchesWithVariable(before);
        var current = CatchesWithVariable(after);
        if (old.Count != current.Count)
        {
            return after;
        }

        var unused = new List<CatchClauseSyntax>();
        for (var i = 0; i < old.Count; i++)
        {
            if (IsUsed(old[i]) && !IsUsed(current[i]))
            {
                unused.Add(current[i]);
            }
        }

        return unused.Count == 0
            ? after
            : after.ReplaceNodes(unused, (original, rewritten) =>
            {
                var declaration = rewritten.Declaration!;
                var type = declaration.Type.WithTrailingTrivia(declaration.Identifier.TrailingTrivia);
                return rewritten.WithDeclaration(declaration.WithType(type).WithIdentifier(default));
            });
    }

    private static List<CatchClauseSyntax> CatchesWithVariable(SyntaxNode root)
    {
        var result = new List<CatchClauseSyntax>();
        foreach (var node in root.DescendantNodes())
        {
            if (node is CatchClauseSyntax { Declaration: { } declaration } clause && !declaration.Identifier.IsKind(SyntaxKind.None))
            {
                result.Add(clause);
            }
        }

        return result;
    }

    // Syntactic: any identifier with the variable's name counts as a use, so a shadowing name keeps the variable (safe).
    private static bool IsUsed(CatchClauseSyntax clause)
    {
        var name = clause.Declaration!.Identifier.ValueText;
        foreach (var part in new SyntaxNode?[] { clause.Filter, clause.Block })
        {
            if (part is null)
            {
                continue;
            }

            foreach (var node in part.DescendantNodes())
            {
                if (node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
