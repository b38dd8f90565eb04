using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;
using Microsoft.CodeAnalysis.Text;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>Writes the line breaks a fix inserted with the end of line the document already uses.</summary>
internal static class EndOfLine
{
    /// <summary>
    /// The clean-up a code action gets from the host (simplifier, formatter on annotated nodes and on elastic trivia), done
    /// here so that it runs before the line breaks are written with the document's end of line.
    /// </summary>
    public static async Task<Document> CleanUpAndApplyAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        var root = await changed.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is not null && root.GetAnnotatedNodesAndTokens(Simplifier.Annotation).Any())
        {
            changed = await Simplifier.ReduceAsync(changed, Simplifier.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        changed = await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        changed = await Formatter.FormatAsync(changed, SyntaxAnnotation.ElasticAnnotation, cancellationToken: cancellationToken).ConfigureAwait(false);
        return await ApplyAsync(original, changed, cancellationToken).ConfigureAwait(false);
    }

    public static async Task<Document> ApplyAsync(Document original, Document changed, CancellationToken cancellationToken)
    {
        var originalText = await original.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var (eol, uniform) = Dominant(originalText.ToString());
        if (eol is null || original.Id != changed.Id)
        {
            return changed;
        }

        var changedText = await changed.GetTextAsync(cancellationToken).ConfigureAwait(false);
        if (uniform)
        {
            // The whole file used one end of line: so does the fixed file. (Per-change rewriting could split a CRLF
            // that the text diff cut in two.)
            var normalized = Normalize(changedText.ToString(), eol);
            return changed.WithText(SourceText.From(normalized, changedText.Encoding, changedText.ChecksumAlgorithm));
        }

        // A file with mixed line endings: only the inserted text is rewritten.
        var changes = await changed.GetTextChangesAsync(original, cancellationToken).ConfigureAwait(false);
        var rewritten = new List<TextChange>();
        foreach (var change in changes)
        {
            rewritten.Add(new TextChange(change.Span, Normalize(change.NewText ?? string.Empty, eol)));
        }

        // Always the re-parsed text: nothing (annotations, elastic trivia) is left for a later clean-up to rewrite.
        return changed.WithText(originalText.WithChanges(rewritten));
    }

    private static string Normalize(string text, string eol)
    {
        var lf = text.Replace("\r\n", "\n").Replace("\r", "\n");
        return eol == "\n" ? lf : lf.Replace("\n", eol);
    }

    /// <summary>The end of line most lines of <paramref name="text"/> use (null when it has no line break), and whether all do.</summary>
    public static (string? EndOfLine, bool Uniform) Dominant(string text)
    {
        var crlf = 0;
        var lf = 0;
        var cr = 0;
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
            else if (text[i] == '\r' && (i + 1 >= text.Length || text[i + 1] != '\n'))
            {
                cr++;
            }
        }

        if (crlf == 0 && lf == 0)
        {
            return (null, true);
        }

        return (crlf > lf ? "\r\n" : "\n", cr == 0 && (crlf == 0 || lf == 0));
    }
}
