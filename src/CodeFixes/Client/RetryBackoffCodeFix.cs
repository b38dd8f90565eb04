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
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>SE2002: exponential backoff — v7 <c>WaitAndRetry(Async)(n, attempt =&gt; 2^attempt s)</c>, v8 <c>BackoffType = Exponential, UseJitter = true</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryBackoffCodeFix))]
public sealed class RetryBackoffCodeFix : CodeFixProvider
{
    /// <summary>
    /// One equivalence key for every shape of the rule: they are one choice, so FixAll — and one <c>dotnet format
    /// analyzers</c> pass, which uses the first diagnostic's key — fixes them all.
    /// </summary>
    internal const string ExponentialBackoffKey = "SE2002.ExponentialBackoff";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2002_RetryWithoutBackoff.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(WellKnownFixAllProviders.BatchFixer, ExponentialBackoffKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit || model is null)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        diagnostic.Properties.TryGetValue(RetryBackoffAnalyzer.KindKey, out var kind);
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);

        switch (kind)
        {
            case RetryBackoffAnalyzer.KindLoop:
                if (await RetryLoopFix.CreateAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { } loop && CanBackOff(loop))
                {
                    context.RegisterCodeFix(FixAction.Create("Wait with exponential backoff", context.Document, c => BackOffAsync(loop, c), ExponentialBackoffKey), diagnostic);
                }

                break;

            case RetryBackoffAnalyzer.KindNoWait or RetryBackoffAnalyzer.KindConstantProvider or RetryBackoffAnalyzer.KindConstantSchedule:
                if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Expression: MemberAccessExpressionSyntax, ContainsDiagnostics: false } invocation
                    && V7(model, invocation, kind) is { } replacement)
                {
                    context.RegisterCodeFix(
                        FixAction.Create("Wait with exponential backoff", context.Document, _ => Task.FromResult(Finish(context.Document, model, unit.ReplaceNode(invocation, replacement), invocation.SpanStart, v8: false)), ExponentialBackoffKey),
                        diagnostic);
                }

                break;

            case RetryBackoffAnalyzer.KindOptions or RetryBackoffAnalyzer.KindAssignment:
                if (V8(model, unit, node) is { } newRoot)
                {
                    context.RegisterCodeFix(
                        FixAction.Create("Use exponential backoff with jitter", context.Document, _ => Task.FromResult(Finish(context.Document, model, newRoot, node.SpanStart, v8: true)), ExponentialBackoffKey),
                        diagnostic);
                }

                break;
        }
    }

    private static Document Finish(Document document, SemanticModel model, CompilationUnitSyntax root, int position, bool v8)
    {
        root = Imports.AddIfMissing(root, model, position, "System", "TimeSpan");
        if (v8)
        {
            root = Imports.AddIfMissing(root, model, position, "Polly", "DelayBackoffType");
        }

        return document.WithSyntaxRoot(root);
    }

    private static InvocationExpressionSyntax? V7(SemanticModel model, InvocationExpressionSyntax invocation, string? kind)
    {
        var name = ((MemberAccessExpressionSyntax)invocation.Expression).Name.Identifier.ValueText;
        var arguments = invocation.ArgumentList.Arguments;

        if (kind == RetryBackoffAnalyzer.KindConstantProvider)
        {
            // Keep count and callbacks; the sleep-duration lambda's body becomes 2^attempt seconds.
            foreach (var argument in arguments)
            {
                if (model.GetOperation(argument) is Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter.Name: "sleepDurationProvider" }
                    && ExponentialLambda(model, argument.Expression) is { } lambda)
                {
                    return invocation.ReplaceNode(argument.Expression, lambda.WithTriviaFrom(argument.Expression));
                }
            }

            return null;
        }

        var newArguments = new List<ArgumentSyntax>();
        var callbacks = new HashSet<int>();
        var isForever = name.IndexOf("Forever", System.StringComparison.Ordinal) >= 0;
        if (kind == RetryBackoffAnalyzer.KindConstantSchedule)
        {
            // WaitAndRetry(durations, …) → WaitAndRetry(count, attempt => …, …)
            var first = arguments.Count > 0 ? model.GetOperation(arguments[0]) as Microsoft.CodeAnalysis.Operations.IArgumentOperation : null;
            if (first?.Parameter?.Name != "sleepDurations" || DelaySchedule.ClassifySchedule(first.Value, out var count) == DelayGrowth.Unknown || count is not { } n)
            {
                return null;
            }

            newArguments.Add(SyntaxFactory.Argument(SyntaxFactory.ParseExpression(n.ToString(System.Globalization.CultureInfo.InvariantCulture))));
            newArguments.Add(SyntaxFactory.Argument(RetryFixSyntax.ExponentialSleepProvider()));
            for (var i = 1; i < arguments.Count; i++)
            {
                newArguments.Add(arguments[i]);
            }

            return RetryFixSyntax.Rebuild(model, invocation, name, newArguments, callbacks);
        }

        // Retry(n, onRetry) → WaitAndRetry(n, attempt => …, onRetry); RetryForever(onRetry) → WaitAndRetryForever(attempt => …, onRetry).
        var index = 0;
        if (!isForever)
        {
            if (arguments.Count > 0 && model.GetOperation(arguments[0]) is Microsoft.CodeAnalysis.Operations.IArgumentOperation { Parameter.Name: "retryCount" })
            {
                newArguments.Add(arguments[0].WithNameColon(null));
                index = 1;
            }
            else
            {
                newArguments.Add(SyntaxFactory.Argument(SyntaxFactory.ParseExpression("1")));
            }
        }

        newArguments.Add(SyntaxFactory.Argument(RetryFixSyntax.ExponentialSleepProvider()));
        for (; index < arguments.Count; index++)
        {
            callbacks.Add(newArguments.Count);
            newArguments.Add(arguments[index].WithNameColon(null));
        }

        return RetryFixSyntax.Rebuild(model, invocation, "WaitAnd" + name, newArguments, callbacks, RetryFixSyntax.InsertDelayVariants);
    }

    private static ExpressionSyntax? ExponentialLambda(SemanticModel model, ExpressionSyntax expression)
    {
        switch (expression)
        {
            case SimpleLambdaExpressionSyntax simple:
            {
                var parameter = simple.Parameter.Identifier.ValueText == "_" ? simple.Parameter.WithIdentifier(SyntaxFactory.Identifier("attempt")) : simple.Parameter;
                return SyntaxFactory.SimpleLambdaExpression(parameter, ExponentialBody(model, simple.Body, parameter.Identifier.ValueText));
            }

            case ParenthesizedLambdaExpressionSyntax parenthesized when parenthesized.ParameterList.Parameters.Count > 0:
            {
                var first = parenthesized.ParameterList.Parameters[0];
                var renamed = first.Identifier.ValueText == "_" ? first.WithIdentifier(SyntaxFactory.Identifier("attempt")) : first;
                var list = parenthesized.ParameterList.ReplaceNode(first, renamed);
                return SyntaxFactory.ParenthesizedLambdaExpression(list, ExponentialBody(model, parenthesized.Body, renamed.Identifier.ValueText));
            }

            default:
                return null;
        }
    }

    /// <summary>
    /// A configured wait stays the base of the backoff: <c>TimeSpan.FromSeconds(_settings.RetryDelay)</c> →
    /// <c>TimeSpan.FromSeconds(_settings.RetryDelay * Math.Pow(2, attempt))</c>, a <c>TimeSpan</c> value <c>delay</c> →
    /// <c>TimeSpan.FromMilliseconds(delay.TotalMilliseconds * Math.Pow(2, attempt))</c>; constants and anything else: 2^attempt seconds.
    /// </summary>
    private static ExpressionSyntax ExponentialBody(SemanticModel model, CSharpSyntaxNode body, string attempt)
    {
        var pow = $"Math.Pow(2, {attempt})";
        if (body is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromMilliseconds" or "FromSeconds" or "FromMinutes" or "FromHours" } factory, ArgumentList.Arguments: { Count: 1 } arguments }
            && model.GetSymbolInfo(body).Symbol is IMethodSymbol { ContainingType.Name: "TimeSpan", IsStatic: true }
            && arguments[0].Expression is var value
            && !model.GetConstantValue(value).HasValue
            && IsPlainValue(model, value)
            && !Mentions(value, attempt)
            && model.GetTypeInfo(value).Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
                or SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Byte or SpecialType.System_UInt32)
        {
            return SyntaxFactory.ParseExpression($"TimeSpan.{factory.Name.Identifier.ValueText}({Operand(value)} * {pow})");
        }

        if (body is ExpressionSyntax timeSpan
            && model.GetTypeInfo(timeSpan).Type is { Name: "TimeSpan", ContainingNamespace.Name: "System" }
            && !model.GetConstantValue(timeSpan).HasValue
            && timeSpan is IdentifierNameSyntax or MemberAccessExpressionSyntax
            && IsPlainValue(model, timeSpan))
        {
            return SyntaxFactory.ParseExpression($"TimeSpan.FromMilliseconds({timeSpan.WithoutTrivia()}.TotalMilliseconds * {pow})");
        }

        return RetryFixSyntax.ExponentialDelay(attempt);
    }

    /// <summary>A value read from configuration or state: names, member accesses, <c>?.</c>/<c>??</c>, casts and arithmetic over them (no calls).</summary>
    private static bool IsPlainValue(SemanticModel model, ExpressionSyntax expression)
    {
        foreach (var node in expression.DescendantNodesAndSelf())
        {
            if (node is InvocationExpressionSyntax or ObjectCreationExpressionSyntax or LambdaExpressionSyntax or AssignmentExpressionSyntax or AwaitExpressionSyntax)
            {
                return false;
            }
        }

        return model.GetTypeInfo(expression).Type is not null;
    }

    private static bool Mentions(ExpressionSyntax expression, string name)
    {
        foreach (var node in expression.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax identifier && identifier.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    private static string Operand(ExpressionSyntax expression)
        => expression.WithoutTrivia() is var bare && bare is IdentifierNameSyntax or MemberAccessExpressionSyntax or ParenthesizedExpressionSyntax or ElementAccessExpressionSyntax
            ? bare.ToString()
            : "(" + bare + ")";

    private static CompilationUnitSyntax? V8(SemanticModel model, CompilationUnitSyntax root, SyntaxNode node)
    {
        var exponential = SyntaxFactory.ParseExpression("DelayBackoffType.Exponential");
        var assignment = node.FirstAncestorOrSelf<AssignmentExpressionSyntax>();
        var creation = node.FirstAncestorOrSelf<BaseObjectCreationExpressionSyntax>();
        if (assignment is not null && (creation is null || creation.Span.Contains(assignment.Span)))
        {
            var property = assignment.Left is MemberAccessExpressionSyntax access ? access.Name.Identifier.ValueText
                : assignment.Left is IdentifierNameSyntax identifier ? identifier.Identifier.ValueText
                : null;
            ExpressionSyntax value = property == "BackoffType" ? exponential : SyntaxFactory.ParseExpression("TimeSpan.FromSeconds(2)");
            if (property is not ("BackoffType" or "Delay"))
            {
                return null;
            }

            var newAssignment = assignment.WithRight(value.WithTriviaFrom(assignment.Right));
            if (property == "BackoffType" && assignment.Parent is InitializerExpressionSyntax initializer)
            {
                return root.ReplaceNode(initializer, AddJitter(initializer, assignment, newAssignment));
            }

            if (property == "BackoffType" && assignment.Parent is ExpressionStatementSyntax statement && statement.Parent is BlockSyntax block
                && assignment.Left is MemberAccessExpressionSyntax target && !HasJitterStatement(block, target.Expression.ToString()))
            {
                var jitter = SyntaxFactory.ParseStatement($"{target.Expression}.UseJitter = true;")
                    .WithLeadingTrivia(statement.GetLeadingTrivia())
                    .WithTrailingTrivia(statement.GetTrailingTrivia());
                var statements = block.Statements.Replace(statement, statement.WithExpression(newAssignment));
                statements = statements.Insert(block.Statements.IndexOf(statement) + 1, jitter);
                return root.ReplaceNode(block, block.WithStatements(statements));
            }

            return root.ReplaceNode(assignment, newAssignment);
        }

        if (creation is null)
        {
            return null;
        }

        // new RetryStrategyOptions<T>(…) { … } without BackoffType: add it and jitter.
        var members = new List<ExpressionSyntax>();
        if (creation.Initializer is { } existing)
        {
            foreach (var expression in existing.Expressions)
            {
                if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "UseJitter" } })
                {
                    continue;
                }

                members.Add(expression);
            }
        }

        members.Add(SyntaxFactory.ParseExpression("BackoffType = DelayBackoffType.Exponential"));
        members.Add(SyntaxFactory.ParseExpression("UseJitter = true"));
        var newInitializer = SyntaxFactory.InitializerExpression(SyntaxKind.ObjectInitializerExpression, SyntaxFactory.SeparatedList(members))
            .WithAdditionalAnnotations(Formatter.Annotation);
        BaseObjectCreationExpressionSyntax newCreation = creation switch
        {
            ObjectCreationExpressionSyntax explicitNew when explicitNew.Initializer is null
                => explicitNew.WithType(explicitNew.Type.WithoutTrailingTrivia()).WithArgumentList(explicitNew.ArgumentList?.WithoutTrailingTrivia()).WithInitializer(newInitializer),
            _ => creation.WithInitializer(creation.Initializer is null ? newInitializer : creation.Initializer.WithExpressions(SyntaxFactory.SeparatedList(members))),
        };
        return root.ReplaceNode(creation, newCreation.WithAdditionalAnnotations(Formatter.Annotation));
    }

    private static bool HasJitterStatement(BlockSyntax block, string target)
    {
        foreach (var statement in block.Statements)
        {
            if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "UseJitter" } access } }
                && access.Expression.ToString() == target)
            {
                return true;
            }
        }

        return false;
    }

    private static InitializerExpressionSyntax AddJitter(InitializerExpressionSyntax initializer, AssignmentExpressionSyntax backoff, AssignmentExpressionSyntax newBackoff)
    {
        var expressions = initializer.Expressions;
        var index = expressions.IndexOf(backoff);
        expressions = expressions.Replace(backoff, newBackoff);
        for (var i = 0; i < expressions.Count; i++)
        {
            if (expressions[i] is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "UseJitter" } } jitter)
            {
                expressions = expressions.Replace(jitter, jitter.WithRight(SyntaxFactory.ParseExpression("true").WithTriviaFrom(jitter.Right)));
                return initializer.WithExpressions(expressions);
            }
        }

        var added = SyntaxFactory.ParseExpression("UseJitter = true").WithLeadingTrivia(backoff.GetLeadingTrivia());
        if (index == expressions.Count - 1 && expressions.SeparatorCount < expressions.Count)
        {
            // Last member without a trailing comma: the trivia before `}` moves to the new last member.
            expressions = expressions.Replace(expressions[index], expressions[index].WithoutTrailingTrivia());
            added = added.WithTrailingTrivia(backoff.GetTrailingTrivia());
        }

        expressions = expressions.Insert(index + 1, added);
        return initializer.WithExpressions(expressions);
    }

    private static bool CanBackOff(RetryLoopFix loop)
    {
        if (loop.Shape.Attempt is null && loop.Loop.Parent is not BlockSyntax)
        {
            return false;
        }

        if (loop.Shape.Delays.Count > 0)
        {
            foreach (var delay in loop.Shape.Delays)
            {
                if (delay.Arguments.Length == 0 || delay.Arguments[0].Syntax is not ArgumentSyntax)
                {
                    return false;
                }
            }

            return true;
        }

        foreach (var point in loop.Shape.RetryPoints)
        {
            if (point.Syntax is not (CatchClauseSyntax { Block: not null } or ContinueStatementSyntax or BlockSyntax))
            {
                return false;
            }
        }

        return loop.Shape.RetryPoints.Count > 0;
    }

    // Constant delays get base * 2^attempt (capped); a loop without delay gets one where a failed attempt turns into the next.
    private static async Task<Document> BackOffAsync(RetryLoopFix loop, CancellationToken cancellationToken)
    {
        var editor = await loop.EditorAsync(cancellationToken).ConfigureAwait(false);
        string attempt;
        if (loop.Shape.Attempt is { } counter)
        {
            attempt = counter.Name;
        }
        else
        {
            var name = loop.FreeName("attempt");
            loop.DeclareCounterBeforeLoop(editor, name);
            attempt = name + "++";
        }

        var imports = new List<(string, string)> { ("System", "TimeSpan") };
        if (loop.Shape.Delays.Count > 0)
        {
            foreach (var delay in loop.Shape.Delays)
            {
                var argument = (ArgumentSyntax)delay.Arguments[0].Syntax;
                var backoff = SyntaxFactory.ParseExpression(RetryLoopFix.ExponentialDelay(loop.BaseMilliseconds(delay), attempt));
                editor.ReplaceNode(argument.Expression, backoff.WithTriviaFrom(argument.Expression));
            }
        }
        else
        {
            imports.Add(loop.IsAsync ? ("System.Threading.Tasks", "Task") : ("System.Threading", "Thread"));
            foreach (var point in loop.Shape.RetryPoints)
            {
                var wait = RetryLoopFix.Statement(loop.DelayStatement(RetryLoopFix.ExponentialDelay("1000", attempt)));
                switch (point.Syntax)
                {
                    case CatchClauseSyntax { Block: { } block }:
                        var last = block.Statements.Count;
                        RetryLoopFix.InsertAt(editor, block, last > 0 && block.Statements[last - 1] is ContinueStatementSyntax ? last - 1 : last, wait);
                        break;
                    case ContinueStatementSyntax @continue:
                        RetryLoopFix.InsertBefore(editor, @continue, wait);
                        break;
                    case BlockSyntax body:
                        RetryLoopFix.InsertAt(editor, body, body.Statements.Count, wait);
                        break;
                }
            }
        }

        return await loop.FinishAsync(editor, imports, cancellationToken).ConfigureAwait(false);
    }
}
