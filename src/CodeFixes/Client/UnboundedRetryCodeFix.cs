using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Shared;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>SE2004: replace <c>RetryForever*</c>/<c>WaitAndRetryForever*</c> and <c>MaxRetryAttempts = int.MaxValue</c> with a bounded count.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedRetryCodeFix))]
public sealed class UnboundedRetryCodeFix : CodeFixProvider
{
    /// <summary>
    /// One equivalence key for every shape of the rule: they are one choice, so FixAll — and one <c>dotnet format
    /// analyzers</c> pass, which uses the first diagnostic's key — fixes them all.
    /// </summary>
    internal const string BoundKey = "SE2004.BoundRetries";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2004_UnboundedRetry.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(WellKnownFixAllProviders.BatchFixer, BoundKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        diagnostic.Properties.TryGetValue(UnboundedRetryAnalyzer.KindKey, out var kind);
        diagnostic.Properties.TryGetValue(UnboundedRetryAnalyzer.CountKey, out var countText);
        var count = countText ?? UnboundedRetryAnalyzer.DefaultMaxRetryAttempts.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var title = $"Retry at most {count} times";

        if (kind == UnboundedRetryAnalyzer.KindLoop)
        {
            if (await RetryLoopFix.CreateAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } loop && CanBound(loop))
            {
                context.RegisterCodeFix(FixAction.Create(title, context.Document, c => BoundLoopAsync(loop, count, c), BoundKey), diagnostic);
            }

            return;
        }

        if (kind == UnboundedRetryAnalyzer.KindMaxRetryAttempts && node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } assignment)
        {
            context.RegisterCodeFix(
                FixAction.Create(title, context.Document, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                    assignment.Right, SyntaxFactory.ParseExpression(count).WithTriviaFrom(assignment.Right)))), BoundKey),
                diagnostic);
            return;
        }

        if (kind == UnboundedRetryAnalyzer.KindForever
            && node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Expression: MemberAccessExpressionSyntax access, ContainsDiagnostics: false } invocation
            && Bounded(model, invocation, access.Name.Identifier.ValueText, count) is { } bounded)
        {
            context.RegisterCodeFix(
                FixAction.Create(title, context.Document, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, bounded))), BoundKey),
                diagnostic);
        }
    }

    private static InvocationExpressionSyntax? Bounded(SemanticModel model, InvocationExpressionSyntax invocation, string name, string count)
    {
        var newName = name.Replace("Forever", string.Empty);
        var arguments = new List<ArgumentSyntax> { SyntaxFactory.Argument(SyntaxFactory.ParseExpression(count)) };
        var callbacks = new HashSet<int>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            var isSleepProvider = argument.NameColon?.Name.Identifier.ValueText == "sleepDurationProvider"
                || (argument.NameColon is null && arguments.Count == 1 && newName.StartsWith("WaitAndRetry", System.StringComparison.Ordinal));
            if (!isSleepProvider)
            {
                callbacks.Add(arguments.Count);
            }

            arguments.Add(argument);
        }

        return RetryFixSyntax.Rebuild(model, invocation, newName, arguments, callbacks);
    }

    private static bool CanBound(RetryLoopFix loop)
    {
        if (loop.Loop.Parent is not BlockSyntax)
        {
            return false;
        }

        foreach (var point in loop.Shape.RetryPoints)
        {
            switch (point.Syntax)
            {
                case CatchClauseSyntax:
                    break;
                case ContinueStatementSyntax or BlockSyntax:
                    var returnsLast = loop.ReturnsResponse && loop.ResponseInScope(point.Syntax is BlockSyntax body ? RetryLoopFix.PositionIn(body, body.Statements.Count) : point.Syntax.SpanStart);

                    // The end of a `do … while (cond)` body is also reached on success: only returning the last response is safe there.
                    if (!returnsLast && (loop.InsideTryWithCatches(point.Syntax) || point.Syntax is BlockSyntax && !loop.Shape.LoopsForever))
                    {
                        return false;
                    }

                    break;
                default:
                    return false;
            }
        }

        return loop.Shape.RetryPoints.Count > 0;
    }

    // var attempt = 0; before the loop; at every retry point `if (++attempt >= N) { <give up> }` before the next attempt.
    private static async Task<Document> BoundLoopAsync(RetryLoopFix loop, string count, CancellationToken cancellationToken)
    {
        var editor = await loop.EditorAsync(cancellationToken).ConfigureAwait(false);

        // A counter the loop already increments right where it retries (`tries++;` before the delay) is reused: a second
        // counter next to it would count the same attempts twice over.
        var existing = ExistingCounter(loop);
        var attempt = existing ?? loop.FreeName("attempt");
        var bump = existing is null ? "++" : string.Empty;
        if (existing is null)
        {
            loop.DeclareCounterBeforeLoop(editor, attempt);
        }

        foreach (var point in loop.Shape.RetryPoints)
        {
            switch (point.Syntax)
            {
                case CatchClauseSyntax { Block: { } block }:
                    RetryLoopFix.InsertAt(editor, block, existing is null ? 0 : 1, RetryLoopFix.Statement($"if ({bump}{attempt} >= {count})\n{{\nthrow;\n}}"));
                    break;
                case ContinueStatementSyntax @continue:
                    RetryLoopFix.InsertBefore(editor, @continue, GiveUp(loop, @continue.SpanStart, attempt, count, bump));
                    break;
                case BlockSyntax body:
                {
                    var index = loop.EndIndexBeforeDelays(body);
                    var position = RetryLoopFix.PositionIn(body, index);
                    RetryLoopFix.InsertAt(editor, body, index, GiveUp(loop, position, attempt, count, bump));
                    break;
                }
            }
        }

        return await loop.FinishAsync(editor, new[] { ("System.Net.Http", "HttpRequestException") }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>HttpRequestException(string, Exception, HttpStatusCode?)</c> exists from .NET 5.</summary>
    private static bool HasStatusCodeConstructor(Compilation compilation)
    {
        var type = compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestException");
        if (type is null)
        {
            return false;
        }

        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.Length == 3)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The local counter incremented (<c>n++</c>, <c>++n</c>, <c>n += 1</c>) by the statement just before every retry point
    /// (the first statement of a retrying catch block), declared before the loop; null when the retry points do not all have one.
    /// </summary>
    private static string? ExistingCounter(RetryLoopFix loop)
    {
        string? name = null;
        foreach (var point in loop.Shape.RetryPoints)
        {
            StatementSyntax? before = point.Syntax switch
            {
                CatchClauseSyntax { Block.Statements.Count: > 0 } clause => clause.Block.Statements[0],
                ContinueStatementSyntax { Parent: BlockSyntax block } @continue => Previous(block, block.Statements.IndexOf(@continue)),
                BlockSyntax body => Previous(body, loop.EndIndexBeforeDelays(body)),
                _ => null,
            };

            var counter = before is ExpressionStatementSyntax { Expression: var increment } ? IncrementedLocal(loop, increment) : null;
            if (counter is null || (name is not null && name != counter))
            {
                return null;
            }

            name = counter;
        }

        return name;

        static StatementSyntax? Previous(BlockSyntax block, int index) => index > 0 && index <= block.Statements.Count ? block.Statements[index - 1] : null;
    }

    private static string? IncrementedLocal(RetryLoopFix loop, ExpressionSyntax increment)
    {
        var target = increment switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression } post => post.Operand,
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } pre => pre.Operand,
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression, Right: LiteralExpressionSyntax { Token.ValueText: "1" } } add => add.Left,
            _ => null,
        };

        return target is IdentifierNameSyntax identifier
            && loop.Model.GetSymbolInfo(identifier).Symbol is ILocalSymbol { Type.SpecialType: SpecialType.System_Int32 or SpecialType.System_Int64 } local
            && local.DeclaringSyntaxReferences.Length == 1
            && !loop.Loop.Span.Contains(local.DeclaringSyntaxReferences[0].Span)
                ? identifier.Identifier.ValueText
                : null;
    }

    private static StatementSyntax GiveUp(RetryLoopFix loop, int position, string attempt, string count, string bump)
    {
        string giveUp;
        if (loop.ResponseInScope(position) && loop.Shape.Response is { } response)
        {
            giveUp = loop.ReturnsResponse
                ? $"return {response.Name};"
                : HasStatusCodeConstructor(loop.Model.Compilation)
                    ? $"throw new HttpRequestException($\"The request failed after {{{attempt}}} attempts.\", null, {response.Name}.StatusCode);"
                    : $"throw new HttpRequestException($\"The request failed after {{{attempt}}} attempts with status {{(int){response.Name}.StatusCode}}.\");";
        }
        else
        {
            giveUp = $"throw new HttpRequestException($\"The request failed after {{{attempt}}} attempts.\");";
        }

        return RetryLoopFix.Statement($"if ({bump}{attempt} >= {count})\n{{\n{giveUp}\n}}");
    }
}
