using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// FixAll that applies one fix after the other on the updated solution, in source order, so that fixes which insert
/// declarations (free names) or edit shared registrations give the same code as fixing one diagnostic at a time. The
/// node each diagnostic targets is marked first and found again after every fix; a target that a previous fix removed
/// is skipped. Clean-up and the documents' own end of line (<see cref="EndOfLine"/>) come once at the end, on every
/// changed document against its original: a re-parse in between would drop the marks.
/// </summary>
internal sealed class SequentialFixAll : FixAllProvider
{
    /// <summary>Applies the fix of <paramref name="diagnostic"/> to <paramref name="target"/> in <paramref name="document"/>; null when it no longer applies.</summary>
    public delegate Task<Document?> ApplyAsync(Document document, SyntaxNode target, Diagnostic diagnostic, string equivalenceKey, CancellationToken cancellationToken);

    /// <summary>The location whose node the fix edits (the diagnostic's own location or an additional one).</summary>
    public delegate Location TargetOf(Diagnostic diagnostic);

    /// <summary>A last step on each changed document, given its root before any fix (e.g. dropping what the fixes left unused).</summary>
    public delegate Task<Document> FinishAsync(SyntaxNode before, Document changed, CancellationToken cancellationToken);

    private readonly System.Func<string?, string> _title;
    private readonly TargetOf _target;
    private readonly ApplyAsync _apply;
    private readonly FinishAsync? _finish;

    public SequentialFixAll(string title, TargetOf target, ApplyAsync apply)
        : this(_ => title, target, apply, finish: null)
    {
    }

    /// <param name="title">The FixAll title for an equivalence key (a rule whose variants do different things).</param>
    public SequentialFixAll(System.Func<string?, string> title, TargetOf target, ApplyAsync apply, FinishAsync? finish)
    {
        _title = title;
        _target = target;
        _apply = apply;
        _finish = finish;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution };

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        => Task.FromResult<CodeAction?>(CodeAction.Create(_title(fixAllContext.CodeActionEquivalenceKey), c => FixAllAsync(fixAllContext, c), fixAllContext.CodeActionEquivalenceKey ?? _title(null)));

    private async Task<Solution> FixAllAsync(FixAllContext context, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        switch (context.Scope)
        {
            case FixAllScope.Document when context.Document is not null:
                diagnostics.AddRange(await context.GetDocumentDiagnosticsAsync(context.Document).ConfigureAwait(false));
                break;
            case FixAllScope.Project:
                diagnostics.AddRange(await context.GetAllDiagnosticsAsync(context.Project).ConfigureAwait(false));
                break;
            case FixAllScope.Solution:
                foreach (var project in context.Solution.Projects)
                {
                    diagnostics.AddRange(await context.GetAllDiagnosticsAsync(project).ConfigureAwait(false));
                }

                break;
        }

        var solution = context.Solution;
        var marks = new List<(DocumentId Document, SyntaxAnnotation Mark, Diagnostic Diagnostic)>();
        var byDocument = new Dictionary<DocumentId, SyntaxNode>();
        foreach (var diagnostic in diagnostics
            .Where(d => context.DiagnosticIds.Contains(d.Id) && d.Location.IsInSource)
            .OrderBy(d => d.Location.SourceTree!.FilePath, System.StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start))
        {
            var target = _target(diagnostic);
            if (target.SourceTree is null || solution.GetDocumentId(target.SourceTree) is not { } documentId)
            {
                continue;
            }

            if (!byDocument.TryGetValue(documentId, out var root))
            {
                root = await target.SourceTree.GetRootAsync(cancellationToken).ConfigureAwait(false);
            }

            var node = root.FindNode(target.SourceSpan, getInnermostNodeForTie: true);
            var mark = node.GetAnnotations(MarkKind).FirstOrDefault();
            if (mark is null)
            {
                mark = new SyntaxAnnotation(MarkKind);
                root = root.ReplaceNode(node, node.WithAdditionalAnnotations(mark));
            }

            byDocument[documentId] = root;
            marks.Add((documentId, mark, diagnostic));
        }

        foreach (var pair in byDocument)
        {
            solution = solution.WithDocumentSyntaxRoot(pair.Key, pair.Value);
        }

        foreach (var (documentId, mark, diagnostic) in marks)
        {
            var document = solution.GetDocument(documentId);
            var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            var node = root?.GetAnnotatedNodes(mark).FirstOrDefault();
            if (document is null || node is null)
            {
                continue;
            }

            solution = (await _apply(document, node, diagnostic, context.CodeActionEquivalenceKey ?? string.Empty, cancellationToken).ConfigureAwait(false))?.Project.Solution ?? solution;
        }

        foreach (var projectChanges in solution.GetChanges(context.Solution).GetProjectChanges())
        {
            foreach (var documentId in projectChanges.GetChangedDocuments())
            {
                var original = context.Solution.GetDocument(documentId);
                var changed = solution.GetDocument(documentId);
                if (original is not null && changed is not null)
                {
                    if (_finish is not null && await original.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is { } before)
                    {
                        changed = await _finish(before, changed, cancellationToken).ConfigureAwait(false);
                    }

                    solution = (await EndOfLine.CleanUpAndApplyAsync(original, changed, cancellationToken).ConfigureAwait(false)).Project.Solution;
                }
            }
        }

        return solution;
    }

    private const string MarkKind = "ServerErrors.SequentialFixAll";
}
