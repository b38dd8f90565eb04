using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;

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
