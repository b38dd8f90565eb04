using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Flow;
using ServerErrors.Analyzers.Server;

namespace ServerErrors.Analyzers.CodeFixes.Server;

/// <summary>
/// SE1005: a <c>TimeSpan</c> becomes whole seconds, a date becomes <c>ToString("R")</c>, a constant with a unit
/// becomes its seconds.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryAfterFormatCodeFix))]
public sealed class RetryAfterFormatCodeFix : CodeFixProvider
{
    internal const string TimeSpanKey = "SE1005.TimeSpanToSeconds";
    internal const string DateKey = "SE1005.DateToHttpDate";
    internal const string ConstantKey = "SE1005.ConstantToSeconds";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.SE1005_InvalidRetryAfterValue.Id);

    public override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(static (context, document, diagnostics) => FixDocumentAsync(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken));

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (Rewrite(root, diagnostic) is not { } rewrite)
            {
                continue;
            }

            var title = rewrite.Key switch
            {
                TimeSpanKey => "Send whole seconds",
                DateKey => "Send an HTTP-date (\"R\")",
                _ => $"Send {rewrite.Replacement}",
            };
            var document = context.Document;
            var key = rewrite.Key;
            context.RegisterCodeFix(
                CodeAction.Create(title, async c => await FixDocumentAsync(document, ImmutableArray.Create(diagnostic), key, c).ConfigureAwait(false) ?? document, key),
                diagnostic);
        }
    }

    private static async Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax)
        {
            return document;
        }

        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        var needsGlobalization = false;
        var position = 0;
        foreach (var diagnostic in diagnostics)
        {
            if (Rewrite(root, diagnostic) is not { } rewrite || (equivalenceKey is not null && rewrite.Key != equivalenceKey) || replacements.ContainsKey(rewrite.Node))
            {
                continue;
            }

            replacements.Add(rewrite.Node, rewrite.Replacement);
            if (rewrite.Key == TimeSpanKey)
            {
                needsGlobalization = true;
                position = rewrite.Node.SpanStart;
            }
        }

        if (replacements.Count == 0)
        {
            return document;
        }

        var unit = (CompilationUnitSyntax)root.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
        if (needsGlobalization)
        {
            var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            if (model is not null)
            {
                unit = Imports.AddIfMissing(unit, model, position, "System.Globalization", "CultureInfo");
            }
        }

        var changed = document.WithSyntaxRoot(unit);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private sealed class RewriteInfo
    {
        public RewriteInfo(SyntaxNode node, SyntaxNode replacement, string key)
        {
            Node = node;
            Replacement = replacement;
            Key = key;
        }

        public SyntaxNode Node { get; }

        public SyntaxNode Replacement { get; }

        public string Key { get; }
    }

    private static RewriteInfo? Rewrite(SyntaxNode root, Diagnostic diagnostic)
    {
        if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree)
        {
            return null;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node is ArgumentSyntax argument)
        {
            node = argument.Expression;
        }

        if (node is not ExpressionSyntax expression)
        {
            return null;
        }

        diagnostic.Properties.TryGetValue(RetryAfterFormatAnalyzer.KindKey, out var kind);
        switch (kind)
        {
            case nameof(RetryAfterValueKind.Constant):
                if (!diagnostic.Properties.TryGetValue(RetryAfterFormatAnalyzer.SecondsKey, out var seconds) || seconds is null)
                {
                    return null;
                }

                var literal = SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(seconds));
                return new RewriteInfo(expression, literal.WithTriviaFrom(expression), ConstantKey);

            case nameof(RetryAfterValueKind.TimeSpan):
                if (Formatted(expression) is not { } span)
                {
                    return null;
                }

                var seconds2 = SyntaxFactory.ParseExpression($"((int){Receiver(span)}.TotalSeconds).ToString(CultureInfo.InvariantCulture)");
                return new RewriteInfo(expression, seconds2.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation), TimeSpanKey);

            case nameof(RetryAfterValueKind.Date):
                if (Formatted(expression) is not { } date)
                {
                    return null;
                }

                var httpDate = SyntaxFactory.ParseExpression($"{Receiver(date)}.ToString(\"R\")");
                return new RewriteInfo(expression, httpDate.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation), DateKey);

            default:
                return null;
        }
    }

    /// <summary>The formatted value: the receiver of <c>x.ToString(…)</c>, or the single hole of <c>$"{x}"</c>.</summary>
    private static ExpressionSyntax? Formatted(ExpressionSyntax expression)
        => expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access.Expression,
            InterpolatedStringExpressionSyntax { Contents.Count: 1 } interpolated when interpolated.Contents[0] is InterpolationSyntax hole => hole.Expression,
            _ => null,
        };

    private static string Receiver(ExpressionSyntax value)
    {
        var text = value.WithoutTrivia().ToString();
        return value is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ElementAccessExpressionSyntax
            or ParenthesizedExpressionSyntax or ThisExpressionSyntax or LiteralExpressionSyntax
            ? text
            : "(" + text + ")";
    }
}
