using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// A code action of this package: after the usual clean-up (simplifier, formatter), every line break it inserted is
/// written with the document's own end of line. The formatter and elastic trivia would otherwise write the host's
/// default (CRLF on Windows, LF elsewhere) into files that use the other one.
/// </summary>
internal sealed class FixAction : CodeAction
{
    private readonly Document _original;
    private readonly Func<CancellationToken, Task<Document>> _create;

    private FixAction(string title, Document original, Func<CancellationToken, Task<Document>> create, string equivalenceKey)
    {
        Title = title;
        _original = original;
        _create = create;
        EquivalenceKey = equivalenceKey;
    }

    public override string Title { get; }

    public override string EquivalenceKey { get; }

    public static CodeAction Create(string title, Document original, Func<CancellationToken, Task<Document>> create, string equivalenceKey)
        => new FixAction(title, original, create, equivalenceKey);

    // Clean-up (simplifier, formatter) runs here rather than in the host's post-processing, which would write its own
    // end of line after this; the re-parsed result carries no annotations left for the host to process.
    protected override async Task<Document> GetChangedDocumentAsync(CancellationToken cancellationToken)
        => await EndOfLine.CleanUpAndApplyAsync(_original, await _create(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
}

/// <summary>Writes the line breaks a fix inserted with the end of line the document already uses.</summary>
internal static class EndOfLine
{
    /// <summary>
    /// The clean-up a code action gets from the host (simplifier, formatter on annotated nodes and on elastic trivia), done
    /// here so that it runs before the line breaks are written with the document's end of line.
    /// </summary>
    public static async Task<Document> CleanUpAndApplyAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        changed = await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        changed = await Formatter.FormatAsync(changed, SyntaxAnnotation.ElasticAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(original, changed, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Document> ApplyAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        var originalText = await original.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var eol = Dominant(originalText.ToString());
        if (eol is null || original.Id != changed.Id)
        {
            return changed;
        }

        var changes = await changed.GetTextChangesAsync(original, cancellationToken).ConfigureAwait(false);
        var rewritten = new List<TextChange>();
        foreach (var change in changes)
        {
            var newText = change.NewText ?? string.Empty;
            var normalized = newText.Replace("\r\n", "\n").Replace("\r", "\n");
            if (eol != "\n")
            {
                normalized = normalized.Replace("\n", eol);
            }

            rewritten.Add(new TextChange(change.Span, normalized));
        }

        // Always the re-parsed text: nothing (annotations, elastic trivia) is left for a later clean-up to rewrite.
        return changed.WithText(originalText.WithChanges(rewritten));
    }

    /// <summary>The end of line most lines of <paramref name="text"/> use; null when it has no line break.</summary>
    public static string? Dominant(string text)
    {
        var crlf = 0;
        var lf = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                if (i > 0 && text[i - 1] == '\r')
                {
                    crlf++;
                }
                else
                {
                    lf++;
                }
            }
        }

        return crlf == 0 && lf == 0 ? null : crlf > lf ? "\r\n" : "\n";
    }
}
