using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>
/// SE2001: narrow the retry condition to transient failures (5xx, 408, network errors), as <c>HandleTransientHttpError()</c> does.
/// 429 is left out on purpose: retrying it needs the Retry-After wait of SE2003, which a condition cannot express, so a fix that
/// named it would raise SE2003 on its own output.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryPredicateCodeFix))]
public sealed class RetryPredicateCodeFix : CodeFixProvider
{
    /// <summary>
    /// The first action of every shape (HandleTransientHttpError() where Polly.Extensions.Http is referenced, else the inline
    /// condition; the HttpRequestException filter; the loop exit): one choice, "retry transient failures only", so FixAll —
    /// and one <c>dotnet format analyzers</c> pass, which uses the first diagnostic's key — fixes every shape.
    /// </summary>
    internal const string TransientOnlyKey = "SE2001.RetryTransientOnly";

    /// <summary>The second choice, offered only beside HandleTransientHttpError(): keep the predicate, narrowed inline.</summary>
    internal const string InlineKey = "SE2001.TransientStatusesOnly";

    /// <summary>"Is a non-transient 4xx": a C# 9 pattern where the language allows it, comparisons before that.</summary>
    private static string ClientErrorCondition(string status, SyntaxTree tree)
        => ((CSharpParseOptions)tree.Options).LanguageVersion >= LanguageVersion.CSharp9
            ? $"{status} is >= 400 and < 500 and not 408"
            : $"{status} >= 400 && {status} < 500 && {status} != 408";

    /// <summary><c>HttpRequestException.StatusCode</c> exists from .NET 5: the filter fixes need it.</summary>
    private static bool HasStatusCode(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.Net.Http.HttpRequestException")?.GetMembers("StatusCode").Length > 0;

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2001_RetriesClientErrors.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(WellKnownFixAllProviders.BatchFixer, TransientOnlyKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit || model is null)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        diagnostic.Properties.TryGetValue(RetryPredicateAnalyzer.KindKey, out var kind);
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        if (node.ContainsDiagnostics)
        {
            return;
        }

        if (kind is RetryPredicateAnalyzer.KindLoopStatus or RetryPredicateAnalyzer.KindLoopCatch)
        {
            if (await RetryLoopFix.CreateAsync(context.Document, diagnostic, context.CancellationToken).ConfigureAwait(false) is { Shape.AdmittedClientError: not 0 } loop)
            {
                if (kind == RetryPredicateAnalyzer.KindLoopCatch && loop.Shape.AdmittingCatch?.Syntax is CatchClauseSyntax clause && HasStatusCode(model.Compilation))
                {
                    context.RegisterCodeFix(
                        FixAction.Create("Do not retry HttpRequestException for 4xx client errors", context.Document, c => FilterCatchAsync(loop, clause, c), TransientOnlyKey),
                        diagnostic);
                }
                else if (kind == RetryPredicateAnalyzer.KindLoopStatus && ExitAnchor(loop) is { } anchor)
                {
                    context.RegisterCodeFix(
                        FixAction.Create("Stop retrying on 4xx client errors", context.Document, c => ExitOnClientErrorAsync(loop, anchor, c), TransientOnlyKey),
                        diagnostic);
                }
            }

            return;
        }

        if (kind == RetryPredicateAnalyzer.KindEnsureSuccess)
        {
            if (node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { } handle && HasStatusCode(model.Compilation))
            {
                var filter = SyntaxFactory.ParseExpression(
                    "e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout");
                var newHandle = handle.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(filter))));
                context.RegisterCodeFix(
                    FixAction.Create("Retry HttpRequestException only for transient statuses", context.Document, _ => Task.FromResult(Finish(context.Document, model, unit.ReplaceNode(handle, newHandle), handle.SpanStart)), TransientOnlyKey),
                    diagnostic);
            }

            return;
        }

        if (kind == RetryPredicateAnalyzer.KindExceptionLambda)
        {
            if (node.FirstAncestorOrSelf<LambdaExpressionSyntax>() is { } exceptionLambda && HasStatusCode(model.Compilation)
                && FilterExceptionTest(model, exceptionLambda) is { } edit)
            {
                context.RegisterCodeFix(
                    FixAction.Create("Retry HttpRequestException only for transient statuses", context.Document, _ => Task.FromResult(Finish(context.Document, model, unit.ReplaceNode(edit.Test, edit.Filtered), edit.Test.SpanStart)), TransientOnlyKey),
                    diagnostic);
            }

            return;
        }

        ExpressionSyntax body;
        LambdaExpressionSyntax? lambda = null;
        if (node is ExpressionSyntax { Parent: ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax } or ReturnStatementSyntax } returned)
        {
            // A predicate method of the application (`OrResult(IsRetryable)`): its returned condition is narrowed where it is written.
            body = returned;
        }
        else if (node.FirstAncestorOrSelf<LambdaExpressionSyntax>() is { ExpressionBody: { } lambdaBody } found)
        {
            body = lambdaBody;
            lambda = found;
        }
        else
        {
            return;
        }

        // HandleTransientHttpError() when Polly.Extensions.Http is referenced and the predicate starts the chain.
        var offeredTransientHttpError = false;
        if (lambda is not null && kind == RetryPredicateAnalyzer.KindPredicate
            && model.Compilation.GetTypeByMetadataName("Polly.Extensions.Http.HttpPolicyExtensions") is not null
            && TransientHttpErrorTarget(model, lambda) is { } target)
        {
            var replacement = SyntaxFactory.ParseExpression("HttpPolicyExtensions.HandleTransientHttpError()").WithTriviaFrom(target);
            context.RegisterCodeFix(
                FixAction.Create("Use HandleTransientHttpError()", context.Document, _ =>
                {
                    var newRoot = unit.ReplaceNode(target, replacement);
                    newRoot = Imports.AddIfMissing(newRoot, model, target.SpanStart, "Polly.Extensions.Http", "HttpPolicyExtensions");
                    return Task.FromResult(context.Document.WithSyntaxRoot(newRoot));
                }, TransientOnlyKey),
                diagnostic);
            offeredTransientHttpError = true;
        }

        // The boolean condition: the body, or the argument of ValueTask.FromResult(…)/new ValueTask<bool>(…).
        var condition = body;
        if (body is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } fromResult && fromResult.Expression.ToString().EndsWith("FromResult", System.StringComparison.Ordinal))
        {
            condition = fromResult.ArgumentList.Arguments[0].Expression;
        }
        else if (body is ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 1 } creation)
        {
            condition = creation.ArgumentList.Arguments[0].Expression;
        }

        if (condition is SwitchExpressionSyntax switchSyntax)
        {
            // `args.Outcome switch { { Result.StatusCode: NotFound } => PredicateResult.True(), … }`: the arms are narrowed one by one.
            if (NarrowSwitch(model, switchSyntax) is { } narrowedSwitch)
            {
                context.RegisterCodeFix(
                    FixAction.Create("Retry only transient statuses (5xx, 408)", context.Document, _ => Task.FromResult(Finish(context.Document, model, unit.ReplaceNode(switchSyntax, narrowedSwitch), switchSyntax.SpanStart)), offeredTransientHttpError ? InlineKey : TransientOnlyKey),
                    diagnostic);
            }

            return;
        }

        if (Narrow(model, condition) is { } narrowed)
        {
            context.RegisterCodeFix(
                FixAction.Create("Retry only transient statuses (5xx, 408)", context.Document, _ => Task.FromResult(Finish(context.Document, model, unit.ReplaceNode(condition, narrowed.WithTriviaFrom(condition)), condition.SpanStart)), offeredTransientHttpError ? InlineKey : TransientOnlyKey),
                diagnostic);
        }
    }

    private static Document Finish(Document document, SemanticModel model, CompilationUnitSyntax root, int position)
        => document.WithSyntaxRoot(Imports.AddIfMissing(root, model, position, "System.Net", "HttpStatusCode"));

    /// <summary>Top-level <c>||</c> clauses that admit 4xx are replaced by the transient condition; the others stay.</summary>
    private static ExpressionSyntax? Narrow(SemanticModel model, ExpressionSyntax condition)
    {
        if (model.GetTypeInfo(condition).Type?.SpecialType != SpecialType.System_Boolean)
        {
            return null;
        }

        var clauses = new List<ExpressionSyntax>();
        Split(condition, clauses);
        string? response = null;
        var maybeNull = false;
        var kept = new List<ExpressionSyntax>();
        foreach (var clause in clauses)
        {
            var operation = model.GetOperation(clause);
            if (operation is not null && RetryCondition.AnalyzeResponseCondition(operation).AdmitsClientError)
            {
                if (response is null && ResponseOf(clause) is { } tested)
                {
                    response = tested.Text;

                    // A response that may be null (Polly v8's Outcome.Result, `r?.…`, `r is { … }`) is tested null-safely, so
                    // the narrowed condition raises no CS8602 and keeps "no response → not retried by this clause".
                    maybeNull = tested.NullSafe || model.GetTypeInfo(tested.Expression).Nullability.FlowState == NullableFlowState.MaybeNull
                        || IsOutcomeResult(model, tested.Expression);
                }
            }
            else
            {
                kept.Add(clause);
            }
        }

        if (response is null)
        {
            return null;
        }

        var result = RetryFixSyntax.TransientCondition(response, maybeNull).ToString();
        foreach (var clause in kept)
        {
            result += " || " + clause.WithoutTrivia().ToString();
        }

        return SyntaxFactory.ParseExpression(result);
    }

    /// <summary>
    /// A switch predicate whose arms admit non-transient 4xx: an arm that also admits a transient status keeps them only
    /// (<c>when</c> the status is 5xx or 408), an arm that admits none is removed; the other arms stay. Only when every arm's value
    /// is known, the last arm is a plain discard (so the switch stays exhaustive) and no non-transient 4xx is admitted afterwards.
    /// </summary>
    private static SwitchExpressionSyntax? NarrowSwitch(SemanticModel model, SwitchExpressionSyntax syntax)
    {
        var count = syntax.Arms.Count;
        if (count == 0 || model.GetOperation(syntax) is not ISwitchExpressionOperation operation || operation.Arms.Length != count
            || syntax.Arms[count - 1] is not { Pattern: DiscardPatternSyntax, WhenClause: null } last)
        {
            return null;
        }

        // The response the added guards test: the subject itself, or the Result of a Polly v8 Outcome (null when the attempt threw).
        string? response = null;
        if (syntax.GoverningExpression is IdentifierNameSyntax or MemberAccessExpressionSyntax)
        {
            var subject = syntax.GoverningExpression.WithoutTrivia().ToString();
            var type = operation.Value.Type;
            response = RetryCondition.IsResponseOutcome(type) ? subject + ".Result" : RetryCondition.IsHttpResponseMessage(type) ? subject : null;
        }

        var values = new bool?[count];
        ExpressionSyntax? falseValue = null;
        for (var index = 0; index < count; index++)
        {
            values[index] = RetryCondition.Evaluate(operation.Arms[index].Value, 500);
            if (values[index] == false && falseValue is null)
            {
                falseValue = syntax.Arms[index].Expression.WithoutTrivia();
            }
        }

        var skipped = new bool[count];
        var transientOnly = new bool[count];
        for (var round = 0; ; round++)
        {
            var admitting = AdmittingArm(operation, values, skipped, transientOnly);
            if (admitting == RetryCondition.NoArm)
            {
                break;
            }

            if (admitting == RetryCondition.UnknownArm || round > count)
            {
                return null;
            }

            if (response is not null && SelectsTransient(operation, admitting, skipped, transientOnly))
            {
                transientOnly[admitting] = true;
            }
            else
            {
                skipped[admitting] = true;
            }
        }

        if ((skipped[count - 1] || transientOnly[count - 1]) && falseValue is null)
        {
            return null;
        }

        var arms = new List<SwitchExpressionArmSyntax>();
        var separators = new List<SyntaxToken>();
        for (var index = 0; index < count; index++)
        {
            var arm = syntax.Arms[index];
            var separator = index < syntax.Arms.SeparatorCount ? syntax.Arms.GetSeparator(index) : default;
            if (skipped[index])
            {
                if (index == count - 1)
                {
                    // The catch-all admitted 4xx: it now answers "do not retry".
                    arms.Add(arm.WithExpression(falseValue!.WithTriviaFrom(arm.Expression)));
                    separators.Add(separator);
                }

                continue;
            }

            if (transientOnly[index])
            {
                ExpressionSyntax transient = RetryFixSyntax.TransientCondition(response!, maybeNull: true);
                if (arm.Pattern is DiscardPatternSyntax && RetryCondition.IsResponseOutcome(operation.Value.Type))
                {
                    // A catch-all also retried the attempts that threw: it still does.
                    transient = SyntaxFactory.ParseExpression($"{syntax.GoverningExpression.WithoutTrivia()}.Exception != null || {transient}");
                }

                if (arm.WhenClause is { } guard)
                {
                    arm = arm.WithWhenClause(guard.WithCondition(SyntaxFactory.ParseExpression($"({guard.Condition.WithoutTrivia()}) && ({transient})").WithTriviaFrom(guard.Condition)));
                }
                else
                {
                    arm = arm.WithWhenClause(SyntaxFactory.WhenClause(SyntaxFactory.Token(SyntaxKind.WhenKeyword).WithTrailingTrivia(SyntaxFactory.Space), transient.WithTrailingTrivia(SyntaxFactory.Space)));
                }

                if (index == count - 1)
                {
                    // A guarded catch-all leaves the switch open: a plain discard answering "do not retry" closes it, in its layout.
                    var between = index > 0 && index - 1 < syntax.Arms.SeparatorCount
                        ? syntax.Arms.GetSeparator(index - 1).TrailingTrivia
                        : SyntaxFactory.TriviaList(SyntaxFactory.Space);
                    arms.Add(arm.WithoutTrailingTrivia());
                    separators.Add(SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(between));
                    arms.Add(last.WithExpression(falseValue!.WithTriviaFrom(last.Expression)).WithLeadingTrivia(last.GetLeadingTrivia()).WithTrailingTrivia(last.GetTrailingTrivia()));
                    separators.Add(separator);
                    continue;
                }
            }

            arms.Add(arm);
            separators.Add(separator);
        }

        if (separators.Count > 0 && separators[separators.Count - 1].IsKind(SyntaxKind.None))
        {
            separators.RemoveAt(separators.Count - 1);
        }

        return syntax.WithArms(SyntaxFactory.SeparatedList(arms, separators));
    }

    /// <summary>The first arm a non-transient 4xx response selects whose value retries it; NoArm when none, UnknownArm when unsure.</summary>
    private static int AdmittingArm(ISwitchExpressionOperation operation, bool?[] values, bool[] skipped, bool[] transientOnly)
    {
        for (var status = 400; status < 500; status++)
        {
            if (StatusCode.IsTransientClientError(status))
            {
                continue;
            }

            var arm = RetryCondition.SelectArm(operation, status, skipped, transientOnly);
            if (arm == RetryCondition.NoArm)
            {
                continue;
            }

            if (arm == RetryCondition.UnknownArm || values[arm] is null)
            {
                return RetryCondition.UnknownArm;
            }

            if (values[arm] == true)
            {
                return arm;
            }
        }

        return RetryCondition.NoArm;
    }

    /// <summary>True when a transient status (5xx, 408) selects <paramref name="arm"/>: narrowing it must keep those.</summary>
    private static bool SelectsTransient(ISwitchExpressionOperation operation, int arm, bool[] skipped, bool[] transientOnly)
    {
        if (RetryCondition.SelectArm(operation, 408, skipped, transientOnly) == arm)
        {
            return true;
        }

        for (var status = 500; status < 600; status++)
        {
            if (RetryCondition.SelectArm(operation, status, skipped, transientOnly) == arm)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>args.Outcome.Exception is HttpRequestException</c> → <c>args.Outcome.Exception is HttpRequestException e &amp;&amp; (e.StatusCode is null
    /// || (int)e.StatusCode &gt;= 500 || e.StatusCode == HttpStatusCode.RequestTimeout)</c> (C# 7 patterns only); in <c>is A or B</c> the
    /// HttpRequestException alternative is split out and filtered, the others stay.
    /// </summary>
    private static (ExpressionSyntax Test, ExpressionSyntax Filtered)? FilterExceptionTest(SemanticModel model, LambdaExpressionSyntax lambda)
    {
        foreach (var node in lambda.DescendantNodes())
        {
            ExpressionSyntax subject;
            string typeText;
            string? rest = null;
            if (node is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.IsExpression, Right: TypeSyntax isType } isExpression
                && RetryCondition.IsHttpRequestException(model.GetTypeInfo(isType).Type))
            {
                subject = isExpression.Left;
                typeText = isType.WithoutTrivia().ToString();
            }
            else if (node is IsPatternExpressionSyntax { Pattern: BinaryPatternSyntax { RawKind: (int)SyntaxKind.OrPattern } or } isPattern
                && HttpAlternative(model, or) is { } alternative
                && Without(or, alternative) is { } remaining)
            {
                subject = isPattern.Expression;
                typeText = alternative is TypePatternSyntax typePattern ? typePattern.Type.WithoutTrivia().ToString() : ((ConstantPatternSyntax)alternative).Expression.WithoutTrivia().ToString();
                rest = remaining.WithoutTrivia().ToString();
            }
            else
            {
                continue;
            }

            var test = (ExpressionSyntax)node;
            var name = RetryFixSyntax.FreeName(model, test.SpanStart, "e");
            var subjectText = subject.WithoutTrivia().ToString();
            var filtered = $"{subjectText} is {typeText} {name} && ({name}.StatusCode is null || (int){name}.StatusCode >= 500 || {name}.StatusCode == HttpStatusCode.RequestTimeout)";
            if (rest is not null)
            {
                filtered = $"({filtered}) || {subjectText} is {rest}";
            }

            if (test.Parent is BinaryExpressionSyntax or PrefixUnaryExpressionSyntax)
            {
                filtered = "(" + filtered + ")";
            }

            return (test, SyntaxFactory.ParseExpression(filtered).WithTriviaFrom(test));
        }

        return null;
    }

    /// <summary>The <c>HttpRequestException</c> type pattern among the alternatives of an <c>or</c> pattern.</summary>
    private static PatternSyntax? HttpAlternative(SemanticModel model, PatternSyntax pattern)
    {
        switch (pattern)
        {
            case BinaryPatternSyntax { RawKind: (int)SyntaxKind.OrPattern } either:
                return HttpAlternative(model, either.Left) ?? HttpAlternative(model, either.Right);
            case TypePatternSyntax type when RetryCondition.IsHttpRequestException(model.GetTypeInfo(type.Type).Type):
                return type;
            case ConstantPatternSyntax constant when model.GetSymbolInfo(constant.Expression).Symbol is ITypeSymbol named && RetryCondition.IsHttpRequestException(named):
                // `is A or B` may parse its alternatives as names that bind to types.
                return constant;
            default:
                return null;
        }
    }

    /// <summary>The <c>or</c> pattern without <paramref name="alternative"/>.</summary>
    private static PatternSyntax? Without(PatternSyntax pattern, PatternSyntax alternative)
    {
        if (pattern is not BinaryPatternSyntax { RawKind: (int)SyntaxKind.OrPattern } or)
        {
            return null;
        }

        if (or.Left == alternative)
        {
            return or.Right;
        }

        if (or.Right == alternative)
        {
            return or.Left;
        }

        return Without(or.Left, alternative) is { } left ? or.WithLeft(left) : Without(or.Right, alternative) is { } right ? or.WithRight(right) : null;
    }

    private static void Split(ExpressionSyntax expression, List<ExpressionSyntax> clauses)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } or)
        {
            Split(or.Left, clauses);
            Split(or.Right, clauses);
            return;
        }

        clauses.Add(expression);
    }

    /// <summary>Polly v8's <c>Outcome&lt;T&gt;.Result</c>: null when the attempt threw, whatever the nullable context says.</summary>
    private static bool IsOutcomeResult(SemanticModel model, ExpressionSyntax expression)
        => expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } access
            && model.GetTypeInfo(access.Expression).Type is { Name: "Outcome", ContainingNamespace.Name: "Polly" };

    /// <summary>
    /// The response expression a clause tests: the receiver of <c>StatusCode</c>/<c>IsSuccessStatusCode</c> (also through
    /// <c>?.</c>), or the subject of a pattern; <c>NullSafe</c> when the clause tests it null-safely.
    /// </summary>
    private static (ExpressionSyntax Expression, string Text, bool NullSafe)? ResponseOf(ExpressionSyntax clause)
    {
        foreach (var node in clause.DescendantNodesAndSelf())
        {
            if (node is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "StatusCode" or "IsSuccessStatusCode", Parent: not SubpatternSyntax and not ExpressionColonSyntax } access)
            {
                return (access.Expression, access.Expression.ToString(), false);
            }

            if (node is ConditionalAccessExpressionSyntax { WhenNotNull: MemberBindingExpressionSyntax { Name.Identifier.ValueText: "StatusCode" or "IsSuccessStatusCode" } } conditional)
            {
                return (conditional.Expression, conditional.Expression.ToString(), true);
            }
        }

        foreach (var node in clause.DescendantNodesAndSelf())
        {
            if (node is IsPatternExpressionSyntax isPattern)
            {
                return (isPattern.Expression, isPattern.Expression.ToString(), false);
            }
        }

        return null;
    }

    /// <summary>
    /// The part of the chain <c>HandleTransientHttpError()</c> replaces: <c>Policy.HandleResult&lt;HttpResponseMessage&gt;(pred)</c>, or
    /// <c>Policy(&lt;HttpResponseMessage&gt;).Handle&lt;HttpRequestException&gt;().OrResult(pred)</c>.
    /// </summary>
    private static ExpressionSyntax? TransientHttpErrorTarget(SemanticModel model, LambdaExpressionSyntax lambda)
    {
        if (lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Arguments.Count: 1, Parent: InvocationExpressionSyntax call } }
            || call.Expression is not MemberAccessExpressionSyntax access
            || model.GetSymbolInfo(call).Symbol is not IMethodSymbol method
            || !RetryCondition.IsHttpResponseMessage(method.ReturnType is INamedTypeSymbol { TypeArguments.Length: 1 } returned ? returned.TypeArguments[0] : null))
        {
            return null;
        }

        if (method.Name == "HandleResult" && method.IsStatic && method.ContainingType.Name == "Policy")
        {
            return call;
        }

        if (method.Name == "OrResult"
            && access.Expression is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } handle
            && model.GetSymbolInfo(handle).Symbol is IMethodSymbol { Name: "Handle", IsStatic: true, TypeArguments.Length: 1 } handleMethod
            && RetryCondition.IsHttpRequestException(handleMethod.TypeArguments[0]))
        {
            return call;
        }

        return null;
    }

    /// <summary>The statement that obtains the response: the exit goes right after it (or first in a using statement's body).</summary>
    private static StatementSyntax? ExitAnchor(RetryLoopFix loop)
    {
        var statement = loop.Shape.ResponseStatement?.Syntax switch
        {
            UsingStatementSyntax { Statement: BlockSyntax } @using => @using,
            StatementSyntax { Parent: BlockSyntax } other => other,
            _ => null,
        };

        return statement is not null && Exit(loop, statement) is not null ? statement : null;
    }

    /// <summary>
    /// How to leave on a client error, keeping the method's contract: return the response when the method returns it; else
    /// EnsureSuccessStatusCode(); inside a try whose catch would retry that exception, break to the code after the loop
    /// (its give-up path) when the loop has a condition, so that code exists.
    /// </summary>
    private static string? Exit(RetryLoopFix loop, StatementSyntax anchor)
    {
        var response = loop.Shape.Response!.Name;
        if (loop.ReturnsResponse)
        {
            return $"return {response};";
        }

        if (GiveUpReturn(loop) is { } giveUp)
        {
            return giveUp;
        }

        if (!loop.InsideTryWithCatches(anchor))
        {
            return $"{response}.EnsureSuccessStatusCode();";
        }

        return loop.Shape.LoopsForever ? null : "break;";
    }

    /// <summary>
    /// The method's own give-up path when the loop is followed by one: <c>return null;</c>, <c>return false;</c>,
    /// <c>return default;</c> or the return of a variable declared before the loop. A client error gives up the same way
    /// instead of throwing where the method never threw.
    /// </summary>
    private static string? GiveUpReturn(RetryLoopFix loop)
    {
        if (loop.Loop.Parent is not BlockSyntax block)
        {
            return null;
        }

        var index = block.Statements.IndexOf(loop.Loop);
        if (index < 0 || index + 1 >= block.Statements.Count || block.Statements[index + 1] is not ReturnStatementSyntax giveUp)
        {
            return null;
        }

        switch (giveUp.Expression)
        {
            case null:
            case LiteralExpressionSyntax:
            case DefaultExpressionSyntax:
                return giveUp.WithoutTrivia().ToString();
            case IdentifierNameSyntax identifier:
                foreach (var token in loop.Loop.DescendantTokens())
                {
                    // A name declared inside the loop is out of scope after it anyway; keep it simple and safe.
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == identifier.Identifier.ValueText
                        && token.Parent is VariableDeclaratorSyntax or SingleVariableDesignationSyntax or ForEachStatementSyntax)
                    {
                        return null;
                    }
                }

                return giveUp.WithoutTrivia().ToString();
            default:
                return null;
        }
    }

    // if ((int)r.StatusCode is >= 400 and < 500 and not 408) { return r; }   (or r.EnsureSuccessStatusCode())
    private static async Task<Document> ExitOnClientErrorAsync(RetryLoopFix loop, StatementSyntax anchor, System.Threading.CancellationToken cancellationToken)
    {
        var response = loop.Shape.Response!.Name;
        var exit = Exit(loop, anchor)!;
        var statement = RetryLoopFix.Statement($"if ({ClientErrorCondition($"(int){response}.StatusCode", anchor.SyntaxTree)})\n{{\n{exit}\n}}");
        var editor = await loop.EditorAsync(cancellationToken).ConfigureAwait(false);
        if (anchor is UsingStatementSyntax { Statement: BlockSyntax body })
        {
            RetryLoopFix.InsertAt(editor, body, 0, statement);
        }
        else
        {
            editor.InsertAfter(anchor, statement);
        }

        return await loop.FinishAsync(editor, System.Array.Empty<(string, string)>(), cancellationToken).ConfigureAwait(false);
    }

    // catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500 || …); a catch-all gets a rethrowing clause before it.
    private static async Task<Document> FilterCatchAsync(RetryLoopFix loop, CatchClauseSyntax clause, System.Threading.CancellationToken cancellationToken)
    {
        var editor = await loop.EditorAsync(cancellationToken).ConfigureAwait(false);
        var imports = System.Array.Empty<(string, string)>();
        var declaration = clause.Declaration;
        var type = declaration is null ? null : loop.Model.GetTypeInfo(declaration.Type, cancellationToken).Type;
        if (RetryCondition.IsHttpRequestException(type) && declaration is not null)
        {
            var name = declaration.Identifier.IsKind(SyntaxKind.None) ? loop.FreeName("e") : declaration.Identifier.ValueText;
            var transient = $"{name}.StatusCode is null || (int){name}.StatusCode >= 500 || {name}.StatusCode == HttpStatusCode.RequestTimeout";
            var condition = clause.Filter is { } existing
                ? $"{Parenthesize(existing.FilterExpression)} && ({transient})"
                : transient;
            var newDeclaration = declaration.Identifier.IsKind(SyntaxKind.None)
                ? declaration.WithType(declaration.Type.WithoutTrailingTrivia()).WithIdentifier(SyntaxFactory.Identifier(name)).WithCloseParenToken(declaration.CloseParenToken)
                : declaration;
            var filter = SyntaxFactory.CatchFilterClause(SyntaxFactory.ParseExpression(condition))
                .WithLeadingTrivia(SyntaxFactory.Space);
            imports = new[] { ("System.Net", "HttpStatusCode") };
            editor.ReplaceNode(clause, clause.WithDeclaration(newDeclaration.WithoutTrailingTrivia()).WithFilter(filter.WithTrailingTrivia(newDeclaration.GetTrailingTrivia())));
        }
        else
        {
            var name = loop.FreeName("e");
            var rethrow = SyntaxFactory.ParseStatement("try { } " + $"catch (HttpRequestException {name}) when ({ClientErrorCondition($"(int?){name}.StatusCode", clause.SyntaxTree)})\n{{\nthrow;\n}}") is TryStatementSyntax parsed
                ? parsed.Catches[0].WithAdditionalAnnotations(Formatter.Annotation)
                : null;
            if (rethrow is null)
            {
                return loop.Document;
            }

            editor.InsertBefore(clause, rethrow.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed));
        }

        return await loop.FinishAsync(editor, imports, cancellationToken).ConfigureAwait(false);
    }

    private static string Parenthesize(ExpressionSyntax expression)
        => expression is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression } or ConditionalExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax
            ? "(" + expression + ")"
            : expression.ToString();
}
