using System;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// The FixAll of a rule whose fix rewrites one document for all its diagnostics at once: each document is fixed with the
/// requested key (the rule's default key when asked without one, see <see cref="DefaultKeyFixAll"/>) and cleaned up like a
/// single fix (<see cref="EndOfLine.CleanUpAndApplyAsync"/>).
/// </summary>
internal static class DocumentFixAll
{
    /// <param name="fixDocument">The document with every given diagnostic fixed the way the key names, or null when none can be.</param>
    public static FixAllProvider Create(
        Func<Document, ImmutableArray<Diagnostic>, string?, CancellationToken, Task<Document?>> fixDocument,
        string defaultKey)
        => new DefaultKeyFixAll(
            FixAllProvider.Create(async (context, document, diagnostics) => await fixDocument(document, diagnostics, context.CodeActionEquivalenceKey, context.CancellationToken).ConfigureAwait(false) is { } fixedDocument
                ? await EndOfLine.CleanUpAndApplyAsync(document, fixedDocument, context.CancellationToken).ConfigureAwait(false)
                : null),
            defaultKey);
}
