using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Shared;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>
/// SE2006: keep one retry layer per client — remove the later handler of a chain (the first one added is the outermost),
/// remove the handler of a typed client's registration when the client retries by hand, or insert
/// <c>RemoveAllResilienceHandlers()</c> so that the defaults of <c>ConfigureHttpClientDefaults</c> do not apply under a
/// client-specific retry (suppressing its <c>[Experimental]</c> ID when the referenced version marks it).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(StackedRetryCodeFix))]
public sealed class StackedRetryCodeFix : CodeFixProvider
{
    // One choice per diagnostic (remove a layer, or clear the defaults): one key, so that one `dotnet format analyzers`
    // pass fixes both kinds.
    internal const string OneLayerKey = "SE2006.OneRetryLayer";

    private const string ExtensionsType = "Microsoft.Extensions.DependencyInjection.ResilienceHttpClientBuilderExtensions";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2006_StackedRetry.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(
        new SequentialFixAll("Keep one retry layer per client", Target, ApplyAsync),
        OneLayerKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var target = Target(diagnostic);
        var document = target.SourceTree is null ? null : context.Document.Project.Solution.GetDocument(target.SourceTree);
        var root = document is null ? null : await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (document is null || root is null)
        {
            return;
        }

        var node = root.FindNode(target.SourceSpan, getInnermostNodeForTie: true);
        var clear = Clears(diagnostic);
        if (await ApplyAsync(document, node, diagnostic, OneLayerKey, context.CancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        context.RegisterCodeFix(
            FixAction.Create(
                clear ? "Remove the default resilience handlers from this client (RemoveAllResilienceHandlers)" : "Remove the extra retry layer",
                document,
                async c => await ApplyAsync(document, node, diagnostic, OneLayerKey, c).ConfigureAwait(false) ?? document,
                OneLayerKey),
            diagnostic);
    }

    private static string Kind(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(StackedRetryAnalyzer.KindKey, out var kind) && kind is not null ? kind : string.Empty;

    private static bool Clears(Diagnostic diagnostic)
        => Kind(diagnostic) is StackedRetryAnalyzer.KindClearDefaults or StackedRetryAnalyzer.KindClearDefaultsForClient;

    private static Location Target(Diagnostic diagnostic)
        => Kind(diagnostic) is StackedRetryAnalyzer.KindRemoveRegisteredHandler or StackedRetryAnalyzer.KindClearDefaultsForClient && diagnostic.AdditionalLocations.Count > 0
            ? diagnostic.AdditionalLocations[0]
            : diagnostic.Location;

    private static async Task<Document?> ApplyAsync(Document document, SyntaxNode node, Diagnostic diagnostic, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null || node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { Expression: MemberAccessExpressionSyntax access } invocation)
        {
            return null;
        }

        var changed = Kind(diagnostic) switch
        {
            StackedRetryAnalyzer.KindRemoveHandler or StackedRetryAnalyzer.KindRemoveRegisteredHandler => Remove(root, model, invocation, access, cancellationToken),
            StackedRetryAnalyzer.KindClearDefaults => ClearBefore(root, model, invocation, access, cancellationToken),
            StackedRetryAnalyzer.KindClearDefaultsForClient => ClearAfter(root, model, invocation, cancellationToken),
            _ => null,
        };
        if (changed is null)
        {
            return null;
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(changed), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>builder.AddX(…)</c> → <c>builder</c>, when nothing uses what <c>AddX</c> returns beyond an <c>IHttpClientBuilder</c>.</summary>
    private static SyntaxNode? Remove(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax access, CancellationToken cancellationToken)
    {
        if (invocation.Parent is ExpressionStatementSyntax statement)
        {
            // `builder.AddX(…);` alone: the statement goes; `services.AddHttpClient<T>().AddX(…);` keeps the registration.
            if (access.Expression is IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or ThisExpressionSyntax })
            {
                return statement.Parent is BlockSyntax ? root.RemoveNode(statement, SyntaxRemoveOptions.KeepExteriorTrivia) : null;
            }

            return root.ReplaceNode(invocation, access.Expression.WithTrailingTrivia(invocation.GetTrailingTrivia()));
        }

        // Used further: only when the call returns the builder it extends (AddPolicyHandler, AddTransientHttpErrorPolicy).
        var returned = model.GetTypeInfo(invocation, cancellationToken).Type;
        var receiver = model.GetTypeInfo(access.Expression, cancellationToken).Type;
        if (returned is null || !SymbolEqualityComparer.Default.Equals(returned, receiver))
        {
            return null;
        }

        return root.ReplaceNode(invocation, access.Expression.WithTrailingTrivia(invocation.GetTrailingTrivia()));
    }

    /// <summary><c>builder.AddX(…)</c> → <c>builder.RemoveAllResilienceHandlers().AddX(…)</c>.</summary>
    private static SyntaxNode? ClearBefore(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax access, CancellationToken cancellationToken)
    {
        var removeAll = Experimental.Method(model.Compilation, ExtensionsType, "RemoveAllResilienceHandlers");
        if (removeAll is null)
        {
            // No RemoveAllResilienceHandlers in the referenced version: the client-specific layer goes instead.
            return Remove(root, model, invocation, access, cancellationToken);
        }

        if (access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RemoveAllResilienceHandlers" } })
        {
            return null;
        }

        // The line break before `.AddX` now comes before `.RemoveAllResilienceHandlers()`.
        var cleared = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(
            SyntaxKind.SimpleMemberAccessExpression, access.Expression, access.OperatorToken, SyntaxFactory.IdentifierName("RemoveAllResilienceHandlers")));
        var replaced = invocation.WithExpression(access.WithExpression(cleared).WithOperatorToken(SyntaxFactory.Token(SyntaxKind.DotToken))).WithAdditionalAnnotations(Formatter.Annotation);
        return Replace(root, invocation, replaced, Experimental.DiagnosticId(removeAll));
    }

    /// <summary><c>services.AddHttpClient&lt;T&gt;(…)</c> → <c>services.AddHttpClient&lt;T&gt;(…).RemoveAllResilienceHandlers()</c>.</summary>
    private static SyntaxNode? ClearAfter(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var removeAll = Experimental.Method(model.Compilation, ExtensionsType, "RemoveAllResilienceHandlers");
        if (removeAll is null || invocation.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "RemoveAllResilienceHandlers" })
        {
            return null;
        }

        var cleared = SyntaxFactory.InvocationExpression(SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression, invocation.WithoutTrailingTrivia(), SyntaxFactory.IdentifierName("RemoveAllResilienceHandlers")))
            .WithTrailingTrivia(invocation.GetTrailingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        return Replace(root, invocation, cleared, Experimental.DiagnosticId(removeAll));
    }

    private static SyntaxNode Replace(SyntaxNode root, SyntaxNode node, SyntaxNode replacement, string? experimental)
    {
        var statement = node.FirstAncestorOrSelf<StatementSyntax>();
        if (experimental is null || statement is null)
        {
            return root.ReplaceNode(node, replacement);
        }

        var tracked = root.TrackNodes(node, statement);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(node)!, replacement);
        var current = tracked.GetCurrentNode(statement)!;
        return tracked.ReplaceNode(current, Experimental.Suppress(current, experimental));
    }
}
