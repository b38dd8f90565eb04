using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace ServerErrors.Analyzers.CodeFixes.Shared;

/// <summary>
/// A rule's FixAll that runs with the rule's first-action key when it is asked without one.
/// </summary>
/// <remarks>
/// <c>dotnet format analyzers</c> takes the equivalence key for a rule's FixAll from the first action offered for the
/// first diagnostic of the analyzers that report the rule, whatever that diagnostic's id. Our analyzers ship as two
/// families reporting several rules each (<c>AnalyzerFamily</c>), so that diagnostic is often another rule's; this
/// rule's fix offers nothing for it and the key comes as null, which no inner FixAll can match. The default key is the
/// one the rule's first action carries in every shape (the one <c>dotnet format</c> would have used), so the pass fixes
/// what it would have fixed with a diagnostic of the rule first. A key given by the IDE is never null and goes through.
/// </remarks>
internal sealed class DefaultKeyFixAll : FixAllProvider
{
    private readonly FixAllProvider _inner;
    private readonly string _defaultKey;

    public DefaultKeyFixAll(FixAllProvider inner, string defaultKey)
    {
        _inner = inner;
        _defaultKey = defaultKey;
    }

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() => _inner.GetSupportedFixAllScopes();

    public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        if (fixAllContext.CodeActionEquivalenceKey is not null)
        {
            return _inner.GetFixAsync(fixAllContext);
        }

        var diagnostics = new Forwarding(fixAllContext);
        var keyed = fixAllContext.Document is { } document
            ? new FixAllContext(document, fixAllContext.CodeFixProvider, fixAllContext.Scope, _defaultKey, fixAllContext.DiagnosticIds, diagnostics, fixAllContext.CancellationToken)
            : new FixAllContext(fixAllContext.Project, fixAllContext.CodeFixProvider, fixAllContext.Scope, _defaultKey, fixAllContext.DiagnosticIds, diagnostics, fixAllContext.CancellationToken);
        return _inner.GetFixAsync(keyed);
    }

    /// <summary>The diagnostics of the original context (already limited to its ids).</summary>
    private sealed class Forwarding : FixAllContext.DiagnosticProvider
    {
        private readonly FixAllContext _context;

        public Forwarding(FixAllContext context) => _context = context;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => await _context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await _context.GetProjectDiagnosticsAsync(project).ConfigureAwait(false);

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => await _context.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
    }
}
