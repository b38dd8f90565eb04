using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Shared;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>
/// SE2005: for a send inside a retry loop or a Polly delegate, create one idempotency key before the retry
/// (<c>var idempotencyKey = Guid.NewGuid().ToString();</c>) and send it with every attempt (<c>Idempotency-Key</c>
/// header; <c>PostAsync</c>/<c>PostAsJsonAsync</c> become <c>SendAsync</c> of a request that carries it). For a resilience
/// handler, make its retry skip unsafe methods with <c>Retry.DisableForUnsafeHttpMethods()</c>. All C# 7.3.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonIdempotentRetryCodeFix))]
public sealed class NonIdempotentRetryCodeFix : CodeFixProvider
{
    // One choice per diagnostic (a key for sends, unsafe methods skipped for handlers): one key, so that one
    // `dotnet format analyzers` pass fixes both kinds.
    internal const string RetrySafelyKey = "SE2005.RetryOnlyWhatIsSafe";

    private const string AddKeyTitle = "Send one idempotency key with every attempt";
    private const string SkipUnsafeTitle = "Do not retry unsafe methods (DisableForUnsafeHttpMethods)";
    private const string HeaderName = "Idempotency-Key";
    private const string ExtensionsType = "Microsoft.Extensions.Http.Resilience.HttpRetryStrategyOptionsExtensions";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(Descriptors.SE2005_NonIdempotentRetry.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(
        new SequentialFixAll("Fix retries of non-idempotent requests", d => d.Location, ApplyAsync),
        RetrySafelyKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var document = context.Document;
        if (await ApplyAsync(document, node, diagnostic, RetrySafelyKey, context.CancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        context.RegisterCodeFix(
            FixAction.Create(
                IsHandler(diagnostic) ? SkipUnsafeTitle : AddKeyTitle,
                document,
                async c => await ApplyAsync(document, node, diagnostic, RetrySafelyKey, c).ConfigureAwait(false) ?? document,
                RetrySafelyKey),
            diagnostic);
    }

    private static bool IsHandler(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(NonIdempotentRetryAnalyzer.KindKey, out var kind) && kind == NonIdempotentRetryAnalyzer.KindHandler;

    private static async Task<Document?> ApplyAsync(Document document, SyntaxNode node, Diagnostic diagnostic, string equivalenceKey, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null || node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation)
        {
            return null;
        }

        var handler = IsHandler(diagnostic);
        var changed = handler
            ? SkipUnsafe(root, model, invocation, cancellationToken)
            : AddKey(root, model, invocation, diagnostic, cancellationToken);
        if (changed is null && !handler && WithBlockBody(root, model, invocation, cancellationToken) is { } blockBodied)
        {
            // `=> policy.ExecuteAsync(…)`: the key needs a statement before the retry, so the member gets a block body first.
            var converted = document.WithSyntaxRoot(blockBodied.Root);
            var convertedModel = await converted.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
            var convertedRoot = await converted.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (convertedModel is not null && convertedRoot?.GetAnnotatedNodes(blockBodied.Mark).FirstOrDefault() is InvocationExpressionSyntax moved)
            {
                changed = AddKey(convertedRoot, convertedModel, moved, diagnostic, cancellationToken);
                model = convertedModel;
            }
        }

        if (changed is null)
        {
            return null;
        }

        // DisableForUnsafeHttpMethods is an extension method of Microsoft.Extensions.Http.Resilience, which no implicit using brings in.
        if (handler && changed is CompilationUnitSyntax unit)
        {
            changed = Imports.AddIfMissing(unit, model, invocation.SpanStart, "Microsoft.Extensions.Http.Resilience", "HttpRetryStrategyOptionsExtensions");
        }

        return await Formatter.FormatAsync(document.WithSyntaxRoot(changed), Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    // ---- Sends in a retry loop or a Polly delegate ----

    private static SyntaxNode? AddKey(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax send, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        if (model.GetOperation(send, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        diagnostic.Properties.TryGetValue(NonIdempotentRetryAnalyzer.RetryKey, out var retryKind);
        SyntaxNode? attempt;
        StatementSyntax? retry;
        if (retryKind == NonIdempotentRetryAnalyzer.RetryLoop)
        {
            retry = send.FirstAncestorOrSelf<StatementSyntax>(s => s is ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax);
            attempt = retry switch
            {
                ForStatementSyntax f => f.Statement,
                WhileStatementSyntax w => w.Statement,
                DoStatementSyntax d => d.Statement,
                _ => null,
            };
        }
        else
        {
            attempt = send.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>();
            retry = attempt?.FirstAncestorOrSelf<StatementSyntax>();
        }

        if (attempt is null || retry?.Parent is not BlockSyntax)
        {
            return null;
        }

        var keyName = RetryFixSyntax.FreeName(model, retry.SpanStart, "idempotencyKey");
        var guid = Imports.BindsAsType(model, retry.SpanStart, SyntaxFactory.ParseTypeName("Guid")) ? "Guid" : "System.Guid";
        var keyDeclaration = SyntaxFactory.ParseStatement($"var {keyName} = {guid}.NewGuid().ToString();").WithAdditionalAnnotations(Formatter.Annotation);
        var before = new List<StatementSyntax> { keyDeclaration };

        var name = operation.TargetMethod.Name;
        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        StatementSyntax? afterStatement = null;
        StatementSyntax? afterInsert = null;
        if (name is "SendAsync" or "Send")
        {
            var request = Flow.RequestMethod.RequestOf(operation);
            switch (request)
            {
                case IObjectCreationOperation { Syntax: ObjectCreationExpressionSyntax creation }:
                    replacements[creation] = WithHeader(creation, keyName);
                    break;
                case ILocalReferenceOperation local when local.Local.DeclaringSyntaxReferences.Length == 1:
                {
                    var header = SyntaxFactory.ParseStatement($"{local.Local.Name}.Headers.Add(\"{HeaderName}\", {keyName});").WithAdditionalAnnotations(Formatter.Annotation);
                    var declaration = local.Local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken).FirstAncestorOrSelf<StatementSyntax>();
                    if (declaration is null)
                    {
                        return null;
                    }

                    if (PerAttemptKey(model, attempt, local.Local, cancellationToken) is { } perAttempt)
                    {
                        // A key made per attempt: it becomes the one made before the retry.
                        replacements[perAttempt] = SyntaxFactory.IdentifierName(keyName).WithTriviaFrom(perAttempt);
                    }
                    else if (attempt.Span.Contains(declaration.Span))
                    {
                        if (declaration.Parent is not BlockSyntax)
                        {
                            return null;
                        }

                        afterStatement = declaration;
                        afterInsert = header;
                    }
                    else
                    {
                        before.Add(header);
                    }

                    break;
                }

                default:
                    return null;
            }
        }
        else if (Rewritten(model, send, operation, keyName) is { } rewritten)
        {
            replacements[send] = rewritten;
        }
        else
        {
            return null;
        }

        var nodes = new List<SyntaxNode> { retry };
        nodes.AddRange(replacements.Keys);
        if (afterStatement is not null)
        {
            nodes.Add(afterStatement);
        }

        var tracked = root.TrackNodes(nodes);
        foreach (var pair in replacements)
        {
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(pair.Key)!, pair.Value);
        }

        if (afterStatement is not null)
        {
            tracked = tracked.InsertNodesAfter(tracked.GetCurrentNode(afterStatement)!, new[] { afterInsert!.WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed) });
        }

        var currentRetry = tracked.GetCurrentNode(retry)!;
        return tracked.InsertNodesBefore(currentRetry, WithLeadingOf(before, currentRetry));
    }

    /// <summary>The value of an idempotency header added to <paramref name="request"/> inside the attempt (<c>Guid.NewGuid().ToString()</c> per attempt).</summary>
    private static ExpressionSyntax? PerAttemptKey(SemanticModel model, SyntaxNode attempt, ILocalSymbol request, CancellationToken cancellationToken)
    {
        foreach (var node in attempt.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 2 } add
                && model.GetOperation(add, cancellationToken) is IInvocationOperation { TargetMethod.Name: "Add" or "TryAddWithoutValidation" } operation
                && operation.Arguments.Length == 2
                && operation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string name }
                && Flow.RequestMethod.IsIdempotencyHeader(name)
                && operation.Instance is IPropertyReferenceOperation { Property.Name: "Headers", Instance: ILocalReferenceOperation owner }
                && SymbolEqualityComparer.Default.Equals(owner.Local, request))
            {
                return add.ArgumentList.Arguments[1].Expression;
            }
        }

        return null;
    }

    /// <summary>The expression-bodied method around <paramref name="send"/> turned into <c>{ return …; }</c> (or <c>{ …; }</c>), with the send marked.</summary>
    private static (SyntaxNode Root, SyntaxAnnotation Mark)? WithBlockBody(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax send, CancellationToken cancellationToken)
    {
        if (send.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is null
            || send.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() is not { Parent: MethodDeclarationSyntax method } arrow
            || model.GetDeclaredSymbol(method, cancellationToken) is not { } symbol)
        {
            return null;
        }

        var mark = new SyntaxAnnotation();
        var markedArrow = arrow.ReplaceNode(send, send.WithAdditionalAnnotations(mark));
        var expression = markedArrow.Expression.WithoutTrivia();
        var returnsNothing = symbol.ReturnsVoid
            || symbol.IsAsync && symbol.ReturnType is INamedTypeSymbol { Name: "Task" or "ValueTask", TypeArguments.Length: 0 };
        StatementSyntax statement = returnsNothing ? SyntaxFactory.ExpressionStatement(expression) : SyntaxFactory.ReturnStatement(expression);
        var body = MultiLineBlock(new List<StatementSyntax> { statement });
        var newMethod = method
            .WithExpressionBody(null)
            .WithSemicolonToken(default)
            .WithParameterList(method.ParameterList.WithoutTrailingTrivia())
            .WithBody(body.WithTrailingTrivia(method.SemicolonToken.TrailingTrivia))
            .WithAdditionalAnnotations(Formatter.Annotation);
        return (root.ReplaceNode(method, newMethod), mark);
    }

    // The first inserted statement takes the retry's leading trivia (comments stay above the whole block); the retry keeps its indentation.
    private static IEnumerable<StatementSyntax> WithLeadingOf(List<StatementSyntax> statements, StatementSyntax retry)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            statements[i] = statements[i].WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        }

        statements[0] = statements[0].WithLeadingTrivia(retry.GetLeadingTrivia());
        return statements;
    }

    private static ObjectCreationExpressionSyntax WithHeader(ObjectCreationExpressionSyntax creation, string keyName)
    {
        var headerText = $"Headers = {{ {{ \"{HeaderName}\", {keyName} }} }}";
        if (creation.Initializer is null)
        {
            return ((ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression($"{creation.WithoutTrivia()} {{ {headerText} }}"))
                .WithTriviaFrom(creation)
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        // Parsed inside an object creation: `{ … }` is only an expression in an initializer.
        var header = ((ObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression($"new object {{ {headerText} }}")).Initializer!.Expressions[0];
        var initializer = creation.Initializer;
        return creation
            .WithArgumentList(creation.ArgumentList?.WithoutTrailingTrivia())
            .WithInitializer(initializer.AddExpressions(header))
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    /// <summary>
    /// <c>client.PostAsync(uri, content, ct)</c> → <c>client.SendAsync(new HttpRequestMessage(HttpMethod.Post, uri) { Content = content, Headers = { { "Idempotency-Key", key } } }, ct)</c>;
    /// the JSON extensions put <c>JsonContent.Create(value, …)</c> in <c>Content</c>.
    /// </summary>
    private static ExpressionSyntax? Rewritten(SemanticModel model, InvocationExpressionSyntax send, IInvocationOperation operation, string keyName)
    {
        var method = operation.TargetMethod;
        var json = method.Name.EndsWith("AsJsonAsync", System.StringComparison.Ordinal);
        var verb = method.Name.StartsWith("Patch", System.StringComparison.Ordinal) ? "Patch" : "Post";
        ExpressionSyntax? client = null, uri = null, content = null, value = null, options = null, typeInfo = null, token = null;
        foreach (var argument in operation.Arguments)
        {
            if (argument.IsImplicit || argument.Syntax is not ArgumentSyntax and not ExpressionSyntax)
            {
                if (argument.ArgumentKind == ArgumentKind.DefaultValue)
                {
                    continue;
                }
            }

            var syntax = argument.Syntax is ArgumentSyntax a ? a.Expression : argument.Syntax as ExpressionSyntax;
            if (syntax is null)
            {
                return null;
            }

            switch (argument.Parameter?.Name)
            {
                case "client":
                    client = syntax;
                    break;
                case "requestUri":
                    uri = syntax;
                    break;
                case "content":
                    content = syntax;
                    break;
                case "value":
                    value = syntax;
                    break;
                case "options":
                    options = syntax;
                    break;
                case "jsonTypeInfo":
                    typeInfo = syntax;
                    break;
                case "cancellationToken":
                    token = syntax;
                    break;
                default:
                    return null;
            }
        }

        if (send.Expression is MemberAccessExpressionSyntax access && !json)
        {
            client = access.Expression;
        }

        if (client is null || uri is null || uri.IsKind(SyntaxKind.NullLiteralExpression) || (json ? value is null : content is null))
        {
            return null;
        }

        var position = send.SpanStart;
        var jsonContent = Imports.BindsAsType(model, position, SyntaxFactory.ParseTypeName("JsonContent")) ? "JsonContent" : "System.Net.Http.Json.JsonContent";
        string contentText;
        if (json)
        {
            contentText = typeInfo is not null
                ? $"{jsonContent}.Create({value}, {typeInfo})"
                : options is not null ? $"{jsonContent}.Create({value}, options: {options})" : $"{jsonContent}.Create({value})";
        }
        else
        {
            contentText = content!.ToString();
        }

        var request = $"new HttpRequestMessage(HttpMethod.{verb}, {uri}) {{ Content = {contentText}, Headers = {{ {{ \"{HeaderName}\", {keyName} }} }} }}";
        var text = $"{client}.SendAsync({request}{(token is null ? string.Empty : ", " + token)})";
        var rewritten = SyntaxFactory.ParseExpression(text);
        if (model.GetSpeculativeSymbolInfo(position, rewritten, SpeculativeBindingOption.BindAsExpression).Symbol is not IMethodSymbol)
        {
            return null;
        }

        return rewritten.WithTriviaFrom(send).WithAdditionalAnnotations(Formatter.Annotation);
    }

    // ---- Resilience handlers of typed clients ----

    private static SyntaxNode? SkipUnsafe(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax handler, CancellationToken cancellationToken)
    {
        var disable = Experimental.Method(model.Compilation, ExtensionsType, "DisableForUnsafeHttpMethods");
        if (disable is null || handler.Expression is not MemberAccessExpressionSyntax access)
        {
            return null;
        }

        var experimental = Experimental.DiagnosticId(disable);
        var name = access.Name.Identifier.ValueText;
        SyntaxNode? replacement = null;
        if (name == "AddStandardResilienceHandler")
        {
            replacement = StandardHandler(model, handler, cancellationToken);
        }
        else if (name == "AddResilienceHandler")
        {
            return ResilienceHandler(root, model, handler, experimental, cancellationToken);
        }

        if (replacement is null)
        {
            return null;
        }

        if (experimental is not null && handler.FirstAncestorOrSelf<StatementSyntax>() is { } statement)
        {
            var tracked = root.TrackNodes(handler, statement);
            tracked = tracked.ReplaceNode(tracked.GetCurrentNode(handler)!, replacement);
            var current = tracked.GetCurrentNode(statement)!;
            return tracked.ReplaceNode(current, Experimental.Suppress(current, experimental));
        }

        return root.ReplaceNode(handler, replacement);
    }

    private static SyntaxNode? StandardHandler(SemanticModel model, InvocationExpressionSyntax handler, CancellationToken cancellationToken)
    {
        var arguments = handler.ArgumentList.Arguments;
        if (arguments.Count == 0)
        {
            var parameter = RetryFixSyntax.FreeName(model, handler.SpanStart, "options");
            return handler.WithArgumentList(SyntaxFactory.ParseArgumentList($"({parameter} => {parameter}.Retry.DisableForUnsafeHttpMethods())"))
                .WithAdditionalAnnotations(Formatter.Annotation);
        }

        if (arguments.Count != 1)
        {
            return null;
        }

        var argument = arguments[0].Expression;
        switch (argument)
        {
            case SimpleLambdaExpressionSyntax { ExpressionBody: { } body } lambda:
            {
                var p = lambda.Parameter.Identifier.ValueText;
                var block = MultiLineBlock(new List<StatementSyntax>
                {
                    SyntaxFactory.ExpressionStatement(body.WithoutTrivia()),
                    SyntaxFactory.ParseStatement($"{p}.Retry.DisableForUnsafeHttpMethods();"),
                });
                return handler.ReplaceNode(lambda, lambda.WithExpressionBody(null).WithBlock(block).WithArrowToken(lambda.ArrowToken).WithAdditionalAnnotations(Formatter.Annotation));
            }

            case SimpleLambdaExpressionSyntax { Block: { } block } lambda:
            {
                var p = lambda.Parameter.Identifier.ValueText;
                return handler.ReplaceNode(block, block.AddStatements(SyntaxFactory.ParseStatement($"{p}.Retry.DisableForUnsafeHttpMethods();").WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)).WithAdditionalAnnotations(Formatter.Annotation));
            }

            default:
            {
                // A configuration section: configure the retry after the handler is added.
                if (model.GetTypeInfo(argument, cancellationToken).Type is not { Name: "IConfigurationSection" })
                {
                    return null;
                }

                var parameter = RetryFixSyntax.FreeName(model, handler.SpanStart, "options");
                var configured = SyntaxFactory.ParseExpression($"{handler.WithoutTrivia()}.Configure({parameter} => {parameter}.Retry.DisableForUnsafeHttpMethods())");
                // The lambda binds only once the using for DisableForUnsafeHttpMethods is added: a Configure candidate is enough.
                var info = model.GetSpeculativeSymbolInfo(handler.SpanStart, configured, SpeculativeBindingOption.BindAsExpression);
                if ((info.Symbol ?? (info.CandidateSymbols.Length == 1 ? info.CandidateSymbols[0] : null)) is not IMethodSymbol { Name: "Configure" })
                {
                    return null;
                }

                return configured.WithTriviaFrom(handler).WithAdditionalAnnotations(Formatter.Annotation);
            }
        }
    }

    /// <summary>
    /// <c>AddResilienceHandler("x", b => b.AddRetry(options))</c>: call <c>options.DisableForUnsafeHttpMethods()</c> before
    /// <c>AddRetry</c>; options created inline move to a local first (the lambda gets a block body when it has none).
    /// </summary>
    private static SyntaxNode? ResilienceHandler(SyntaxNode root, SemanticModel model, InvocationExpressionSyntax handler, string? experimental, CancellationToken cancellationToken)
    {
        InvocationExpressionSyntax? addRetry = null;
        foreach (var node in handler.ArgumentList.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AddRetry" }, ArgumentList.Arguments.Count: 1 } candidate
                && IsHttpRetryOptions(model.GetTypeInfo(candidate.ArgumentList.Arguments[0].Expression, cancellationToken).Type))
            {
                addRetry = candidate;
                break;
            }
        }

        var lambda = addRetry?.FirstAncestorOrSelf<LambdaExpressionSyntax>();
        if (addRetry is null || lambda is null)
        {
            return null;
        }

        var argument = addRetry.ArgumentList.Arguments[0].Expression;
        string optionsName;
        var inserted = new List<StatementSyntax>();
        SyntaxNode newBody;
        if (argument is IdentifierNameSyntax identifier)
        {
            optionsName = identifier.Identifier.ValueText;
            inserted.Add(Suppressed(SyntaxFactory.ParseStatement($"{optionsName}.DisableForUnsafeHttpMethods();"), experimental));
            newBody = lambda.Body;
        }
        else if (argument is BaseObjectCreationExpressionSyntax creation)
        {
            optionsName = RetryFixSyntax.FreeName(model, addRetry.SpanStart, "retryOptions");
            var declaration = SyntaxFactory.LocalDeclarationStatement(SyntaxFactory.VariableDeclaration(
                SyntaxFactory.IdentifierName("var"),
                SyntaxFactory.SingletonSeparatedList(SyntaxFactory.VariableDeclarator(optionsName).WithInitializer(SyntaxFactory.EqualsValueClause(creation.WithoutTrivia())))));
            inserted.Add(declaration);
            inserted.Add(Suppressed(SyntaxFactory.ParseStatement($"{optionsName}.DisableForUnsafeHttpMethods();"), experimental));
            newBody = lambda.Body.ReplaceNode(creation, SyntaxFactory.IdentifierName(optionsName).WithTriviaFrom(creation));
        }
        else
        {
            return null;
        }

        BlockSyntax block;
        if (newBody is ExpressionSyntax expression)
        {
            inserted.Add(SyntaxFactory.ExpressionStatement(expression.WithoutTrivia()));
            block = MultiLineBlock(inserted);
        }
        else if (newBody is BlockSyntax body && lambda.Body is BlockSyntax oldBody)
        {
            var statement = addRetry.FirstAncestorOrSelf<StatementSyntax>();
            var index = statement is null ? -1 : oldBody.Statements.IndexOf(statement);
            if (index < 0)
            {
                return null;
            }

            for (var i = 0; i < inserted.Count; i++)
            {
                inserted[i] = inserted[i].WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed).WithAdditionalAnnotations(Formatter.Annotation);
            }

            block = body.WithStatements(body.Statements.InsertRange(index, inserted));
        }
        else
        {
            return null;
        }

        SyntaxNode newLambda = lambda switch
        {
            SimpleLambdaExpressionSyntax simple => simple.WithExpressionBody(null).WithBlock(block),
            ParenthesizedLambdaExpressionSyntax parenthesized => parenthesized.WithExpressionBody(null).WithBlock(block),
            _ => lambda,
        };
        return root.ReplaceNode(lambda, newLambda.WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>A block whose braces and statements sit on their own lines once formatted.</summary>
    private static BlockSyntax MultiLineBlock(List<StatementSyntax> statements)
    {
        for (var i = 0; i < statements.Count; i++)
        {
            statements[i] = statements[i].WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        }

        return SyntaxFactory.Block(
            SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed),
            SyntaxFactory.List(statements),
            SyntaxFactory.Token(SyntaxKind.CloseBraceToken)).WithAdditionalAnnotations(Formatter.Annotation);
    }

    private static StatementSyntax Suppressed(StatementSyntax statement, string? experimental) => Experimental.Suppress(statement, experimental);

    private static bool IsHttpRetryOptions(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "HttpRetryStrategyOptions")
            {
                return true;
            }
        }

        return false;
    }
}
