using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Shared;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>SE2003: wait for Retry-After when present — v8 <c>DelayGenerator</c>, v7 outcome-aware sleep-duration provider.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryAfterIgnoredCodeFix))]
public sealed class RetryAfterIgnoredCodeFix : CodeFixProvider
{
    /// <summary>
    /// One key for every shape (v7, v8, HttpRetryStrategyOptions, loops): they are one choice, so FixAll — and one
    /// <c>dotnet format analyzers</c> pass, which uses the first diagnostic's key — fixes them all.
    /// </summary>
    internal const string WaitForRetryAfterKey = "SE2003.WaitForRetryAfter";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2003_RetryIgnoresRetryAfter.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(WellKnownFixAllProviders.BatchFixer, WaitForRetryAfterKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        diagnostic.Properties.TryGetValue(RetryAfterIgnoredAnalyzer.KindKey, out var kind);
        if (kind == RetryAfterIgnoredAnalyzer.KindLoop)
        {
            if (await RetryLoopFix.CreateAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } loop && WaitPoints(loop) is { Count: > 0 } points)
            {
                context.RegisterCodeFix(
                    FixAction.Create("Wait for Retry-After when the server sends it", context.Document, c => WaitForRetryAfterAsync(loop, points, c), WaitForRetryAfterKey),
                    diagnostic);
            }

            return;
        }

        if (kind == RetryAfterIgnoredAnalyzer.KindResend)
        {
            if (root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is IfStatementSyntax ifStatement && !ifStatement.ContainsDiagnostics
                && model.GetOperation(ifStatement, context.CancellationToken) is Microsoft.CodeAnalysis.Operations.IConditionalOperation conditional
                && Flow.SingleResendShape.TryCreate(conditional) is { } resend
                && resend.Delay.Syntax.FirstAncestorOrSelf<StatementSyntax>() is ExpressionStatementSyntax
                && resend.Delay.Arguments[0].Syntax is ArgumentSyntax)
            {
                context.RegisterCodeFix(
                    FixAction.Create("Wait for Retry-After when the server sends it", context.Document, c => WaitForRetryAfterAsync(context.Document, model, resend, c), WaitForRetryAfterKey),
                    diagnostic);
            }

            return;
        }

        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.ContainsDiagnostics)
        {
            return;
        }

        if (kind == RetryAfterIgnoredAnalyzer.KindHttpOptions && node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } disabled)
        {
            // ShouldRetryAfterHeader = false → true: the explicit value stays visible to the reader.
            var enabled = disabled.WithRight(SyntaxFactory.LiteralExpression(SyntaxKind.TrueLiteralExpression).WithTriviaFrom(disabled.Right));
            context.RegisterCodeFix(
                FixAction.Create("Wait for Retry-After when the server sends it", context.Document, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(disabled, enabled))), WaitForRetryAfterKey),
                diagnostic);
            return;
        }

        if (kind == RetryAfterIgnoredAnalyzer.KindV8 && node.FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>() is { } creation)
        {
            var name = RetryFixSyntax.FreeName(model, creation.SpanStart, "args");
            var generator = SyntaxFactory.ParseExpression($"DelayGenerator = {name} => ValueTask.FromResult({name}.Outcome.Result?.Headers.RetryAfter?.Delta)");
            var members = new List<ExpressionSyntax>();
            if (creation.Initializer is { } existing)
            {
                members.AddRange(existing.Expressions);
            }

            members.Add(generator);
            var initializer = SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SeparatedList(members));
            BaseObjectCreationExpressionSyntax newCreation = creation.Initializer is { } old
                ? creation.WithInitializer(old.WithExpressions(old.Expressions.Add(generator.WithLeadingTrivia(old.Expressions.Count > 0 ? old.Expressions[0].GetLeadingTrivia() : default))))
                : creation is ObjectCreationExpressionSyntax explicitNew
                    ? explicitNew.WithType(explicitNew.Type.WithoutTrailingTrivia()).WithArgumentList(explicitNew.ArgumentList?.WithoutTrailingTrivia()).WithInitializer(initializer.WithAdditionalAnnotations(Formatter.Annotation))
                    : creation.WithInitializer(initializer.WithAdditionalAnnotations(Formatter.Annotation));
            if (creation.Initializer is { } withComma && withComma.Expressions.Count > 0 && withComma.Expressions.SeparatorCount < withComma.Expressions.Count)
            {
                // No trailing comma: `{ A = 1 }` → `{ A = 1, DelayGenerator = … }` keeping the space before `}`.
                var last = withComma.Expressions[withComma.Expressions.Count - 1];
                var expressions = withComma.Expressions.Replace(last, last.WithoutTrailingTrivia()).Add(generator.WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(last.GetTrailingTrivia()));
                if (last.GetTrailingTrivia().ToFullString().IndexOf('\n') >= 0)
                {
                    expressions = withComma.Expressions.Replace(last, last.WithoutTrailingTrivia()).Add(generator.WithLeadingTrivia(last.GetLeadingTrivia()).WithTrailingTrivia(last.GetTrailingTrivia()));
                }

                newCreation = creation.WithInitializer(withComma.WithExpressions(expressions));
            }

            if (creation.Initializer is { } trailing && trailing.Expressions.Count > 0 && trailing.Expressions.SeparatorCount == trailing.Expressions.Count)
            {
                // Trailing comma: the new member gets one too, with the line break of the previous one.
                var items = trailing.Expressions.GetWithSeparators();
                var lastSeparator = items[items.Count - 1].AsToken();
                items = items
                    .Add(generator.WithLeadingTrivia(trailing.Expressions[0].GetLeadingTrivia()))
                    .Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(lastSeparator.TrailingTrivia));
                newCreation = creation.WithInitializer(trailing.WithExpressions(SyntaxFactory.SeparatedList<ExpressionSyntax>(items)));
            }

            context.RegisterCodeFix(
                FixAction.Create("Wait for Retry-After when the server sends it", context.Document, _ => Task.FromResult(context.Document.WithSyntaxRoot(root.ReplaceNode(creation, newCreation))), WaitForRetryAfterKey),
                diagnostic);
            return;
        }

        if (kind == RetryAfterIgnoredAnalyzer.KindV7
            && node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Expression: MemberAccessExpressionSyntax access } invocation
            && V7(model, invocation, access.Name.Identifier.ValueText) is { } replacement)
        {
            context.RegisterCodeFix(
                FixAction.Create("Wait for Retry-After when the server sends it", context.Document, _ => Task.FromResult(context.Document.WithSyntaxRoot(ReplaceWithTasksImport(root, invocation, replacement, model))), WaitForRetryAfterKey),
                diagnostic);
        }
    }

    // WaitAndRetry(n, attempt => X, …) → WaitAndRetry(n, (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? X, onRetry)
    private static InvocationExpressionSyntax? V7(SemanticModel model, InvocationExpressionSyntax invocation, string name)
    {
        var arguments = new List<ArgumentSyntax>();
        var callbacks = new HashSet<int>();
        var hasOnRetry = false;
        var isAsync = name.EndsWith("Async", System.StringComparison.Ordinal);
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            var parameter = (model.GetOperation(argument) as Microsoft.CodeAnalysis.Operations.IArgumentOperation)?.Parameter?.Name;
            if (parameter == "sleepDurationProvider")
            {
                if (argument.Expression is not LambdaExpressionSyntax { ExpressionBody: { } body } lambda)
                {
                    return null;
                }

                var attempt = lambda is SimpleLambdaExpressionSyntax simple ? simple.Parameter.Identifier.ValueText
                    : ((ParenthesizedLambdaExpressionSyntax)lambda).ParameterList.Parameters.Count > 0 ? ((ParenthesizedLambdaExpressionSyntax)lambda).ParameterList.Parameters[0].Identifier.ValueText
                    : null;
                if (attempt is null)
                {
                    return null;
                }

                if (attempt == "_")
                {
                    attempt = "attempt";
                    if (ContainsIdentifier(body, "attempt"))
                    {
                        return null;
                    }
                }

                var context = lambda is ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 2 } two ? two.ParameterList.Parameters[1].Identifier.ValueText : "context";
                var outcome = ContainsIdentifier(body, "outcome") ? "retryOutcome" : "outcome";
                var newLambda = SyntaxFactory.ParseExpression($"({attempt}, {outcome}, {context}) => {outcome}.Result?.Headers.RetryAfter?.Delta ?? {body.WithoutTrivia()}");
                arguments.Add(argument.WithExpression(newLambda.WithTriviaFrom(argument.Expression)));
            }
            else if (parameter is "onRetry" or "onRetryAsync")
            {
                hasOnRetry = true;
                callbacks.Add(arguments.Count);
                arguments.Add(argument.WithNameColon(null));
            }
            else
            {
                arguments.Add(argument);
            }
        }

        if (!hasOnRetry)
        {
            // Named parameters, not `(_, _, _, _)`: lambda discards need C# 9 and netstandard2.0 projects use 7.3.
            // Task is written in full so the call binds before the using is added (WithTasksImport).
            var position = invocation.SpanStart;
            var parameters = $"({RetryFixSyntax.FreeName(model, position, "result")}, {RetryFixSyntax.FreeName(model, position, "delay")}, {RetryFixSyntax.FreeName(model, position, "retryCount")}, {RetryFixSyntax.FreeName(model, position, "retryContext")})";
            arguments.Add(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(isAsync ? parameters + " => global::System.Threading.Tasks.Task.CompletedTask" : parameters + " => { }")));
        }

        return RetryFixSyntax.Rebuild(model, invocation, name, arguments, callbacks);
    }

    /// <summary>
    /// Replaces <paramref name="invocation"/>, shortening the <c>global::System.Threading.Tasks.Task</c> of the added callback
    /// back to <c>Task</c> and adding the using when the file lacks it.
    /// </summary>
    private static SyntaxNode ReplaceWithTasksImport(SyntaxNode root, InvocationExpressionSyntax invocation, InvocationExpressionSyntax replacement, SemanticModel model)
    {
        var qualified = new List<MemberAccessExpressionSyntax>();
        foreach (var node in replacement.DescendantNodes())
        {
            if (node is MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax } access && access.ToString() == "global::System.Threading.Tasks.Task")
            {
                qualified.Add(access);
            }
        }

        var newRoot = root.ReplaceNode(invocation, replacement.ReplaceNodes(qualified, (original, _) => SyntaxFactory.IdentifierName("Task").WithTriviaFrom(original)));
        return qualified.Count > 0 && newRoot is CompilationUnitSyntax unit
            ? Shared.Imports.AddIfMissing(unit, model, invocation.SpanStart, "System.Threading.Tasks", "Task")
            : newRoot;
    }

    private static bool ContainsIdentifier(SyntaxNode node, string name)
    {
        foreach (var token in node.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Where to wait for Retry-After: the loop's delays that see the response, or (when the loop has no delay) the points where a
    /// failed response turns into the next attempt.
    /// </summary>
    private static List<SyntaxNode>? WaitPoints(RetryLoopFix loop)
    {
        var points = new List<SyntaxNode>();
        if (loop.Shape.Response is null)
        {
            return null;
        }

        if (loop.Shape.Delays.Count > 0)
        {
            foreach (var delay in loop.Shape.Delays)
            {
                if (delay.Syntax.Parent is AwaitExpressionSyntax { Parent: ExpressionStatementSyntax } or ExpressionStatementSyntax
                    && delay.Arguments.Length > 0 && delay.Arguments[0].Syntax is ArgumentSyntax
                    && loop.ResponseInScope(delay.Syntax.SpanStart))
                {
                    points.Add(delay.Syntax);
                }
            }

            return points;
        }

        foreach (var point in loop.Shape.RetryPoints)
        {
            switch (point.Syntax)
            {
                case ContinueStatementSyntax @continue when loop.ResponseInScope(@continue.SpanStart):
                    points.Add(@continue);
                    break;
                case BlockSyntax body when loop.ResponseInScope(RetryLoopFix.PositionIn(body, body.Statements.Count)):
                    points.Add(body);
                    break;
            }
        }

        return points;
    }

    // var retryAfter = r.Headers.RetryAfter?.Delta ?? r.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
    // await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : <the existing delay>);
    private static async Task<Document> WaitForRetryAfterAsync(RetryLoopFix loop, List<SyntaxNode> points, System.Threading.CancellationToken cancellationToken)
    {
        var editor = await loop.EditorAsync(cancellationToken).ConfigureAwait(false);
        var response = loop.Shape.Response!.Name;
        var used = new HashSet<string>();
        var imports = new List<(string, string)> { ("System", "TimeSpan") };
        foreach (var point in points)
        {
            var name = loop.FreeName("retryAfter");
            for (var i = 1; !used.Add(name); i++)
            {
                name = loop.FreeName("retryAfter" + i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            var declaration = RetryLoopFix.Statement($"var {name} = {response}.Headers.RetryAfter?.Delta ?? {response}.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;");
            switch (point)
            {
                case InvocationExpressionSyntax delay:
                {
                    var operation = (Microsoft.CodeAnalysis.Operations.IInvocationOperation)loop.Model.GetOperation(delay, cancellationToken)!;
                    var argument = (ArgumentSyntax)operation.Arguments[0].Syntax;
                    var existing = operation.Arguments[0].Value is Microsoft.CodeAnalysis.Operations.IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : operation.Arguments[0].Value;
                    var fallback = existing.Type is { Name: "TimeSpan" } ? argument.Expression.WithoutTrivia().ToString() : $"TimeSpan.FromMilliseconds({argument.Expression.WithoutTrivia()})";
                    editor.ReplaceNode(argument.Expression, SyntaxFactory.ParseExpression($"{name} > TimeSpan.Zero ? {name}.Value : {fallback}").WithTriviaFrom(argument.Expression));
                    RetryLoopFix.InsertBefore(editor, delay.FirstAncestorOrSelf<ExpressionStatementSyntax>()!, declaration);
                    break;
                }

                case ContinueStatementSyntax @continue:
                    RetryLoopFix.InsertBefore(editor, @continue, declaration, Wait(loop, name));
                    imports.Add(loop.IsAsync ? ("System.Threading.Tasks", "Task") : ("System.Threading", "Thread"));
                    break;

                case BlockSyntax body:
                    RetryLoopFix.InsertAt(editor, body, body.Statements.Count, declaration, Wait(loop, name));
                    imports.Add(loop.IsAsync ? ("System.Threading.Tasks", "Task") : ("System.Threading", "Thread"));
                    break;
            }
        }

        return await loop.FinishAsync(editor, imports, cancellationToken).ConfigureAwait(false);
    }

    // A single resend: the same wait as in loops, before the resend's delay.
    private static async Task<Document> WaitForRetryAfterAsync(Document document, SemanticModel model, Flow.SingleResendShape resend, System.Threading.CancellationToken cancellationToken)
    {
        var editor = await Microsoft.CodeAnalysis.Editing.DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var delay = (InvocationExpressionSyntax)resend.Delay.Syntax;
        var name = RetryFixSyntax.FreeName(model, delay.SpanStart, "retryAfter");
        var response = resend.Response.Name;
        var argument = (ArgumentSyntax)resend.Delay.Arguments[0].Syntax;
        var existing = resend.Delay.Arguments[0].Value is Microsoft.CodeAnalysis.Operations.IConversionOperation { IsImplicit: true } conversion ? conversion.Operand : resend.Delay.Arguments[0].Value;
        var fallback = existing.Type is { Name: "TimeSpan" } ? argument.Expression.WithoutTrivia().ToString() : $"TimeSpan.FromMilliseconds({argument.Expression.WithoutTrivia()})";
        editor.ReplaceNode(argument.Expression, SyntaxFactory.ParseExpression($"{name} > TimeSpan.Zero ? {name}.Value : {fallback}").WithTriviaFrom(argument.Expression));
        RetryLoopFix.InsertBefore(editor, delay.FirstAncestorOrSelf<ExpressionStatementSyntax>()!, RetryLoopFix.Statement($"var {name} = {response}.Headers.RetryAfter?.Delta ?? {response}.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;"));
        var newRoot = (CompilationUnitSyntax)editor.GetChangedRoot();
        newRoot = Shared.Imports.AddIfMissing(newRoot, model, delay.SpanStart, "System", "TimeSpan");
        return await Formatter.FormatAsync(document.WithSyntaxRoot(newRoot), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static StatementSyntax Wait(RetryLoopFix loop, string retryAfter)
        => RetryLoopFix.Statement(loop.DelayStatement($"{retryAfter} > TimeSpan.Zero ? {retryAfter}.Value : TimeSpan.FromSeconds(1)"));
}
