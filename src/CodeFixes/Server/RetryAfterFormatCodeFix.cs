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
    /// <summary>
    /// One equivalence key for every shape (constant, TimeSpan, date, local time): they are one choice, so FixAll — and one
    /// <c>dotnet format analyzers</c> pass, which uses the first diagnostic's key — fixes them all.
    /// </summary>
    internal const string ValidRetryAfterKey = "SE1005.ValidRetryAfter";

    // What a rewrite does (titles and imports); not equivalence keys.
    private const string TimeSpanKind = "TimeSpan";
    private const string DateKind = "Date";
    private const string ConstantKind = "Constant";
    private const string LocalTimeKind = "LocalTime";
    private const string FractionalKind = "Fractional";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.SE1005_InvalidRetryAfterValue.Id);

    public override FixAllProvider GetFixAllProvider() => DocumentFixAll.Create(FixDocumentAsync, ValidRetryAfterKey);

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
                TimeSpanKind => "Send whole seconds",
                FractionalKind => "Send whole, non-negative seconds (rounded up)",
                DateKind => "Send an HTTP-date (\"R\")",
                LocalTimeKind => "Send the time in UTC (DateTime.UtcNow)",
                _ => $"Send {rewrite.Replacement}",
            };
            var document = context.Document;
            var key = ValidRetryAfterKey;
            context.RegisterCodeFix(
                FixAction.Create(title, document, async c => await FixDocumentAsync(document, ImmutableArray.Create(diagnostic), key, c).ConfigureAwait(false) ?? document, key),
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
        var needsSystem = false;
        var position = 0;
        foreach (var diagnostic in diagnostics)
        {
            if (Rewrite(root, diagnostic) is not { } rewrite || (equivalenceKey is not null && equivalenceKey != ValidRetryAfterKey) || replacements.ContainsKey(rewrite.Node))
            {
                continue;
            }

            replacements.Add(rewrite.Node, rewrite.Replacement);
            if (rewrite.Key is TimeSpanKind or FractionalKind)
            {
                needsGlobalization = true;
                needsSystem |= rewrite.Key == FractionalKind;
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
                if (needsSystem)
                {
                    unit = Imports.AddIfMissing(unit, model, position, "System", "Math");
                }
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
                return new RewriteInfo(expression, literal.WithTriviaFrom(expression), ConstantKind);

            case nameof(RetryAfterValueKind.TimeSpan):
                if (Formatted(expression) is not { } span)
                {
                    return null;
                }

                var seconds2 = SyntaxFactory.ParseExpression($"((int){Receiver(span)}.TotalSeconds).ToString(CultureInfo.InvariantCulture)");
                return new RewriteInfo(expression, seconds2.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation), TimeSpanKind);

            case nameof(RetryAfterValueKind.Fractional):
                if (Formatted(expression) is not { } number)
                {
                    return null;
                }

                // Rounded up so that clients never come back early; never below zero. C# 7.3-safe syntax.
                var whole = SyntaxFactory.ParseExpression($"Math.Max(0, (int)Math.Ceiling({number.WithoutTrivia()})).ToString(CultureInfo.InvariantCulture)");
                return new RewriteInfo(expression, whole.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation), FractionalKind);

            case nameof(RetryAfterValueKind.Date):
                if (Formatted(expression) is not { } date)
                {
                    return null;
                }

                // DateTime.Now would go out as local time labelled GMT: send UtcNow.
                var httpDate = SyntaxFactory.ParseExpression($"{Receiver(ToUtcNow(date))}.ToString(\"R\")");
                return new RewriteInfo(expression, httpDate.WithTriviaFrom(expression).WithAdditionalAnnotations(Formatter.Annotation), DateKind);

            case nameof(RetryAfterValueKind.LocalTime):
                if (Formatted(expression) is not { } local || ToUtcNow(local) == local)
                {
                    return null;
                }

                return new RewriteInfo(local, ToUtcNow(local).WithTriviaFrom(local), LocalTimeKind);

            default:
                return null;
        }
    }

    /// <summary><c>DateTime.Now.AddSeconds(30)</c> → <c>DateTime.UtcNow.AddSeconds(30)</c>; other expressions unchanged.</summary>
    private static ExpressionSyntax ToUtcNow(ExpressionSyntax value)
    {
        var current = value;
        while (current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax shifted } && shifted.Name.Identifier.ValueText.StartsWith("Add", System.StringComparison.Ordinal))
        {
            current = shifted.Expression;
        }

        return current is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Now", Expression: var type } now
            && (type.ToString() is "DateTime" or "System.DateTime" or "global::System.DateTime")
            ? value.ReplaceNode(now, now.WithName(SyntaxFactory.IdentifierName("UtcNow").WithTriviaFrom(now.Name)))
            : value;
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
