using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// APIs marked <c>[Experimental("ID")]</c> (some Microsoft.Extensions.Http.Resilience versions mark
/// <c>RemoveAllResilienceHandlers</c> or <c>DisableForUnsafeHttpMethods</c>): using one is a compiler error until the ID is
/// suppressed, so a fix that inserts a call wraps its statement in <c>#pragma warning disable/restore ID</c>.
/// </summary>
internal static class Experimental
{
    /// <summary>The diagnostic ID of the method's <c>[Experimental]</c> attribute (or its type's), or null.</summary>
    public static string? DiagnosticId(ISymbol? symbol)
    {
        for (var current = symbol; current is not null; current = current.ContainingType)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "ExperimentalAttribute" }
                    && attribute.ConstructorArguments.Length == 1
                    && attribute.ConstructorArguments[0].Value is string id)
                {
                    return id;
                }
            }
        }

        return null;
    }

    /// <summary>The first method named <paramref name="name"/> of the type with <paramref name="metadataName"/>, or null.</summary>
    public static IMethodSymbol? Method(Compilation compilation, string metadataName, string name)
    {
        foreach (var member in compilation.GetTypeByMetadataName(metadataName)?.GetMembers(name) ?? default)
        {
            if (member is IMethodSymbol method)
            {
                return method;
            }
        }

        return null;
    }

    /// <summary>Wraps <paramref name="statement"/> in <c>#pragma warning disable/restore <paramref name="id"/></c> unless it already is.</summary>
    public static StatementSyntax Suppress(StatementSyntax statement, string? id)
    {
        if (id is null || statement.GetLeadingTrivia().ToFullString().Contains("disable " + id))
        {
            return statement;
        }

        var leading = statement.GetLeadingTrivia();
        var indentation = leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia) ? leading[leading.Count - 1] : default;
        var disable = SyntaxFactory.Trivia(SyntaxFactory.PragmaWarningDirectiveTrivia(
                SyntaxFactory.Token(SyntaxKind.DisableKeyword),
                SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.IdentifierName(id)),
                isActive: true)
            .WithEndOfDirectiveToken(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.EndOfDirectiveToken, SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine("\n")))));
        var restore = SyntaxFactory.Trivia(SyntaxFactory.PragmaWarningDirectiveTrivia(
                SyntaxFactory.Token(SyntaxKind.RestoreKeyword),
                SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.IdentifierName(id)),
                isActive: true)
            .WithEndOfDirectiveToken(SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.EndOfDirectiveToken, SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine("\n")))));

        var newLeading = leading.Insert(leading.Count - (indentation == default ? 0 : 1), disable);
        var trailing = statement.GetTrailingTrivia();
        var newTrailing = trailing.Any(SyntaxKind.EndOfLineTrivia) ? trailing.Add(restore) : trailing.Add(SyntaxFactory.EndOfLine("\n")).Add(restore);
        return statement.WithLeadingTrivia(newLeading).WithTrailingTrivia(newTrailing);
    }
}
