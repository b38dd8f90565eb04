using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using ServerErrors.Analyzers.Client;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>SE2004: replace <c>RetryForever*</c>/<c>WaitAndRetryForever*</c> and <c>MaxRetryAttempts = int.MaxValue</c> with a bounded count.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedRetryCodeFix)), Shared]
public sealed class UnboundedRetryCodeFix : CodeFixProvider
{
    internal const string BoundKey = "SE2004.BoundRetries";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2004_UnboundedRetry.Id);

    public override FixAllProvider GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

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

        if (kind == UnboundedRetryAnalyzer.KindMaxRetryAttempts && node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } assignment)
        {
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(
                    assignment.Right, SyntaxFactory.ParseExpression(count).WithTriviaFrom(assignment.Right)))), BoundKey),
                diagnostic);
            return;
        }

        if (kind == UnboundedRetryAnalyzer.KindForever
            && node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Expression: MemberAccessExpressionSyntax access, ContainsDiagnostics: false } invocation
            && Bounded(model, invocation, access.Name.Identifier.ValueText, count) is { } bounded)
        {
            context.RegisterCodeFix(
                CodeAction.Create(title, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(invocation, bounded))), BoundKey),
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
}
