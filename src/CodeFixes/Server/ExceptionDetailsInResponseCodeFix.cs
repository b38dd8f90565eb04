using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.CodeFixes.Server;

/// <summary>
/// SE1001: replace the leaked exception data with a generic message, keeping the response shape (and adding a
/// request id to an object payload when an HttpContext is reachable); optionally also log the exception.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ExceptionDetailsInResponseCodeFix))]
public sealed class ExceptionDetailsInResponseCodeFix : CodeFixProvider
{
    internal const string GenericMessageKey = "SE1001.GenericMessage";
    internal const string GenericMessageAndLogKey = "SE1001.GenericMessageAndLog";
    internal const string GenericMessage = "An unexpected error occurred.";
    internal const string GenericMessageTitle = "Replace exception details with a generic message";
    internal const string GenericMessageAndLogTitle = "Replace exception details with a generic message and log the exception";

    private static readonly string[] RequestIdNames = { "requestId", "traceId", "traceIdentifier", "correlationId" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.SE1001_ExceptionDetailsInResponse.Id);

    // Fixes one leak after the other on the updated document, so that several leaks in one object or one catch block
    // combine (one request id, one log call); catch variables the fixes left unused are dropped at the end.
    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(
        new SequentialFixAll(
            key => key == GenericMessageAndLogKey ? GenericMessageAndLogTitle : GenericMessageTitle,
            d => d.Location,
            FixOneOfAllAsync,
            DropNewlyUnusedCatchVariablesAsync),
        GenericMessageAndLogKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var document = context.Document;
        var root = await document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax || model is null)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        if (FindLeak(root, diagnostic.Location.SourceSpan) is not { } leak || Plan(model, leak, context.CancellationToken) is null)
        {
            return;
        }

        // The first action logs wherever it can (a logger in scope, or the request's logger factory) and is what
        // `dotnet format analyzers` applies. It has one key whether or not this spot can log, so FixAll and one format
        // pass treat every leak alike; "without logging" is a second choice only where logging is possible.
        var canLog = PlanLog(model, leak, context.CancellationToken) is not null;
        context.RegisterCodeFix(
            FixAction.Create(canLog ? GenericMessageAndLogTitle : GenericMessageTitle, document, c => ApplyAsync(document, diagnostic.Location.SourceSpan, withLog: true, c), GenericMessageAndLogKey),
            diagnostic);
        if (canLog)
        {
            context.RegisterCodeFix(
                FixAction.Create(GenericMessageTitle, document, c => ApplyAsync(document, diagnostic.Location.SourceSpan, withLog: false, c), GenericMessageKey),
                diagnostic);
        }
    }

    private static ExpressionSyntax? FindLeak(SyntaxNode root, TextSpan span)
    {
        if (!root.FullSpan.Contains(span))
        {
            return null;
        }

        var node = root.FindNode(span, getInnermostNodeForTie: true);
        return node switch
        {
            ExpressionSyntax expression => expression,
            ArgumentSyntax argument => argument.Expression,
            _ => null,
        };
    }

    private static async Task<Document> ApplyAsync(Document document, TextSpan span, bool withLog, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is not null && FindLeak(root, span) is { } leak
            ? await DropNewlyUnusedCatchVariablesAsync(root, await ApplyAsync(document, leak, withLog, cancellationToken).ConfigureAwait(false) ?? document, cancellationToken).ConfigureAwait(false)
            : document;
    }

    /// <summary>One leak of a FixAll, found again at its marked node in the updated document.</summary>
    private static async Task<Document?> FixOneOfAllAsync(Document document, SyntaxNode node, Diagnostic diagnostic, string equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        return root is not null && FindLeak(root, node.Span) is { } leak
            ? await ApplyAsync(document, leak, withLog: equivalenceKey == GenericMessageAndLogKey, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>Keeps the fixed code free of CS0168 when the leak was the catch variable's only use.</summary>
    private static async Task<Document> DropNewlyUnusedCatchVariablesAsync(SyntaxNode before, Document fixedDocument, CancellationToken cancellationToken)
    {
        var after = await fixedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var dropped = after is null ? null : CatchVariables.DropNewlyUnused(before, after);
        return dropped is null || ReferenceEquals(dropped, after) ? fixedDocument : fixedDocument.WithSyntaxRoot(dropped);
    }

    /// <summary>Fixes one leak; with <paramref name="withLog"/> also logs the exception when a logger is in scope and it is not logged yet.</summary>
    private static async Task<Document?> ApplyAsync(Document document, ExpressionSyntax leak, bool withLog, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || leak.SyntaxTree.GetRoot(cancellationToken) is not CompilationUnitSyntax root)
        {
            return null;
        }

        var plan = Plan(model, leak, cancellationToken);
        if (plan is null)
        {
            return null;
        }

        var log = withLog ? PlanLog(model, leak, cancellationToken) : null;
        CompilationUnitSyntax newRoot;
        if (log is null)
        {
            newRoot = plan.Value.Replacement is null
                ? root.RemoveNode(plan.Value.Target, SyntaxRemoveOptions.KeepNoTrivia)!
                : root.ReplaceNode(plan.Value.Target, plan.Value.Replacement);
        }
        else
        {
            var statement = log.Value.Statement;
            StatementSyntax? newStatement = ReferenceEquals(plan.Value.Target, statement)
                ? plan.Value.Replacement as StatementSyntax
                : plan.Value.Replacement is null
                    ? statement.RemoveNode(plan.Value.Target, SyntaxRemoveOptions.KeepNoTrivia)
                    : statement.ReplaceNode(plan.Value.Target, plan.Value.Replacement);

            var logStatement = SyntaxFactory.ParseStatement($"{log.Value.Logger}.LogError({log.Value.Exception}, \"Unhandled exception\");")
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithTrailingTrivia(NewLineOf(statement));
            var replacements = new List<SyntaxNode> { logStatement };
            if (newStatement is not null)
            {
                replacements.Add(newStatement.WithLeadingTrivia(Indentation(statement)));
            }

            newRoot = statement.Parent is GlobalStatementSyntax global
                ? root.ReplaceNode(global, replacements.Select(s => (SyntaxNode)SyntaxFactory.GlobalStatement((StatementSyntax)s)))
                : root.ReplaceNode(statement, replacements);
            newRoot = Imports.AddIfMissing(newRoot, model, leak.SpanStart, "Microsoft.Extensions.Logging", "LoggerExtensions");
            if (log.Value.FromRequestServices)
            {
                newRoot = Imports.AddIfMissing(newRoot, model, leak.SpanStart, "Microsoft.Extensions.DependencyInjection", "ServiceProviderServiceExtensions");
            }
        }

        return document.WithSyntaxRoot(newRoot);
    }

    private readonly struct Edit
    {
        public Edit(SyntaxNode target, SyntaxNode? replacement)
        {
            Target = target;
            Replacement = replacement;
        }

        public SyntaxNode Target { get; }

        /// <summary>The new node, or null to remove <see cref="Target"/>.</summary>
        public SyntaxNode? Replacement { get; }
    }

    /// <summary>The edit that removes the leak while keeping the response shape, or null when none compiles.</summary>
    private static Edit? Plan(SemanticModel model, ExpressionSyntax leak, CancellationToken cancellationToken)
    {
        var exception = WellKnownTypes.Get(model.Compilation).Get(WellKnownType.System_Exception);
        switch (leak.Parent)
        {
            case AnonymousObjectMemberDeclaratorSyntax { Parent: AnonymousObjectCreationExpressionSyntax anonymous }:
                return RewriteAnonymous(model, anonymous, exception, cancellationToken) is { } rewritten ? new Edit(anonymous, rewritten) : null;

            case AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax initializer } assignment when assignment.Right == leak:
                // `Detail = ex.Message` (object initializer) or `["trace"] = ex.StackTrace` (dictionary initializer).
                if (IsRemovable(model, leak, exception, cancellationToken)
                    && (assignment.Left is ImplicitElementAccessSyntax || !AcceptsString(model, leak, cancellationToken)))
                {
                    return new Edit(initializer, initializer.WithExpressions(Remove(initializer.Expressions, assignment)));
                }

                return AcceptsString(model, leak, cancellationToken) ? new Edit(leak, Literal(leak)) : null;

            case InitializerExpressionSyntax { RawKind: (int)SyntaxKind.ComplexElementInitializerExpression, Parent: InitializerExpressionSyntax collection } element:
                // `{ "trace", ex.StackTrace }` in a dictionary's collection initializer.
                if (IsRemovable(model, leak, exception, cancellationToken))
                {
                    return new Edit(collection, collection.WithExpressions(Remove(collection.Expressions, element)));
                }

                return AcceptsString(model, leak, cancellationToken) ? new Edit(leak, Literal(leak)) : null;

            case AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement, Left: ElementAccessExpressionSyntax } indexerAssignment
                when indexerAssignment.Right == leak && IsRemovable(model, leak, exception, cancellationToken) && statement.Parent is BlockSyntax or SwitchSectionSyntax:
                // `problem.Extensions["trace"] = ex.StackTrace;`
                return new Edit(statement, null);
        }

        // `Encoding.UTF8.GetBytes(ex.ToString())` written to the body: keep the encoding, replace the text.
        if (leak is InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } getBytes
            && model.GetSymbolInfo(getBytes, cancellationToken).Symbol is IMethodSymbol { Name: "GetBytes" } method
            && WellKnownTypes.Get(model.Compilation).IsA(method.ContainingType, WellKnownType.System_Text_Encoding))
        {
            var text = getBytes.ArgumentList.Arguments[0].Expression;
            return new Edit(text, Literal(text));
        }

        if (AcceptsString(model, leak, cancellationToken))
        {
            return new Edit(leak, Literal(leak));
        }

        if (AcceptsAnyObject(model, leak, cancellationToken))
        {
            var context = ScopeSymbols.FindHttpContext(model, leak.SpanStart);
            var payload = context is null
                ? $"new {{ error = \"{GenericMessage}\" }}"
                : $"new {{ error = \"{GenericMessage}\", requestId = {context}.TraceIdentifier }}";
            return new Edit(leak, SyntaxFactory.ParseExpression(payload).WithTriviaFrom(leak));
        }

        return null;
    }

    private static ExpressionSyntax Literal(ExpressionSyntax replaced)
        => SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(GenericMessage)).WithTriviaFrom(replaced);

    private static bool IsRemovable(SemanticModel model, ExpressionSyntax leak, INamedTypeSymbol? exception, CancellationToken cancellationToken)
        => model.GetOperation(leak, cancellationToken) is { } operation && ExceptionTaint.IsStackTraceOrException(operation, exception);

    private static bool AcceptsString(SemanticModel model, ExpressionSyntax leak, CancellationToken cancellationToken)
    {
        var info = model.GetTypeInfo(leak, cancellationToken);
        if (info.Type?.SpecialType == SpecialType.System_String)
        {
            return true;
        }

        return info.ConvertedType?.SpecialType is SpecialType.System_String
            || (info.ConvertedType?.SpecialType is SpecialType.System_Object && info.Type?.SpecialType is SpecialType.System_String);
    }

    /// <summary>The leak sits where any object is accepted: an <c>object</c> parameter or an inferred type parameter.</summary>
    private static bool AcceptsAnyObject(SemanticModel model, ExpressionSyntax leak, CancellationToken cancellationToken)
    {
        if (model.GetTypeInfo(leak, cancellationToken).ConvertedType?.SpecialType == SpecialType.System_Object)
        {
            return true;
        }

        var operation = model.GetOperation(leak, cancellationToken);
        while (operation?.Parent is IConversionOperation conversion)
        {
            operation = conversion;
        }

        return operation?.Parent is IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation }
            && parameter.OriginalDefinition.Type is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method }
            && invocation.Syntax is InvocationExpressionSyntax { Expression: not GenericNameSyntax and not MemberAccessExpressionSyntax { Name: GenericNameSyntax } };
    }

    private static AnonymousObjectCreationExpressionSyntax? RewriteAnonymous(
        SemanticModel model, AnonymousObjectCreationExpressionSyntax anonymous, INamedTypeSymbol? exception, CancellationToken cancellationToken)
    {
        var members = anonymous.Initializers;
        if (members.Count == 0)
        {
            return null;
        }

        // Decide for every member at once, so that fixing one diagnostic leaves no other leak in the object.
        var actions = new MemberAction[members.Count];
        var leaks = 0;
        var removed = 0;
        for (var i = 0; i < members.Count; i++)
        {
            var operation = model.GetOperation(members[i].Expression, cancellationToken);
            if (operation is null
                || ExceptionTaint.IsStructural(operation, exception, WellKnownTypes.Get(model.Compilation))
                || ExceptionTaint.FindSource(model.Compilation, operation, cancellationToken) is null)
            {
                continue;
            }

            leaks++;
            if (ExceptionTaint.IsStackTraceOrException(operation, exception))
            {
                actions[i] = MemberAction.Remove;
                removed++;
            }
            else
            {
                actions[i] = MemberAction.Replace;
            }
        }

        if (leaks == 0)
        {
            return null;
        }

        if (removed == members.Count)
        {
            // Keep one member to carry the generic message.
            actions[0] = MemberAction.Replace;
        }

        var items = new List<AnonymousObjectMemberDeclaratorSyntax>();
        var fromLast = -1;
        var lastTrailing = members[members.Count - 1].GetTrailingTrivia();
        for (var i = 0; i < members.Count; i++)
        {
            var member = members[i];
            if (actions[i] == MemberAction.Remove)
            {
                continue;
            }

            if (actions[i] == MemberAction.Replace)
            {
                member = member.NameEquals is null
                    ? SyntaxFactory.AnonymousObjectMemberDeclarator(
                        SyntaxFactory.NameEquals(
                            InferredName(model, member, cancellationToken).WithTrailingTrivia(SyntaxFactory.Space),
                            SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space)),
                        Literal(member.Expression).WithLeadingTrivia()).WithTriviaFrom(member)
                    : member.WithExpression(Literal(member.Expression));
            }

            if (i == members.Count - 1)
            {
                fromLast = items.Count;
            }

            items.Add(member);
        }

        var separators = members.GetSeparators().ToList();
        var template = separators.Count > 0 ? separators[0] : SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
        var multiLine = template.TrailingTrivia.Any(t => t.IsKind(SyntaxKind.EndOfLineTrivia));

        var context = ScopeSymbols.FindHttpContext(model, anonymous.SpanStart);
        if (context is not null && !items.Any(HasRequestIdName))
        {
            var requestId = ((AnonymousObjectCreationExpressionSyntax)SyntaxFactory.ParseExpression($"new {{ requestId = {context}.TraceIdentifier }}")).Initializers[0];
            items.Add(requestId.WithLeadingTrivia(multiLine ? members[0].GetLeadingTrivia() : default));
        }

        // The last member carries the trivia before `}` (a space or a new line).
        if (fromLast >= 0 && fromLast != items.Count - 1)
        {
            items[fromLast] = items[fromLast].WithTrailingTrivia();
        }

        items[items.Count - 1] = items[items.Count - 1].WithTrailingTrivia(lastTrailing);

        // A trailing comma stays last, with its line break: `requestId = …,` then `}` on its own line.
        var hasTrailingComma = members.SeparatorCount == members.Count;
        var inner = hasTrailingComma ? separators.Count - 1 : separators.Count;
        var newSeparators = new List<SyntaxToken>();
        for (var i = 0; i < items.Count - 1; i++)
        {
            newSeparators.Add(i < inner ? separators[i] : template);
        }

        if (hasTrailingComma)
        {
            newSeparators.Add(separators[separators.Count - 1]);
        }

        return anonymous.WithInitializers(SyntaxFactory.SeparatedList(items, newSeparators));
    }

    private enum MemberAction
    {
        Keep,
        Replace,
        Remove,
    }

    private static IdentifierNameSyntax InferredName(SemanticModel model, AnonymousObjectMemberDeclaratorSyntax member, CancellationToken cancellationToken)
    {
        var name = model.GetDeclaredSymbol(member, cancellationToken)?.Name;
        return SyntaxFactory.IdentifierName(string.IsNullOrEmpty(name) ? "error" : name!);
    }

    private static bool HasRequestIdName(AnonymousObjectMemberDeclaratorSyntax member)
    {
        var name = member.NameEquals?.Name.Identifier.ValueText ?? member.Expression switch
        {
            MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
            ConditionalAccessExpressionSyntax { WhenNotNull: MemberBindingExpressionSyntax binding } => binding.Name.Identifier.ValueText,
            _ => null,
        };
        if (name is null)
        {
            return false;
        }

        foreach (var candidate in RequestIdNames)
        {
            if (string.Equals(candidate, name, System.StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static SeparatedSyntaxList<ExpressionSyntax> Remove(SeparatedSyntaxList<ExpressionSyntax> list, ExpressionSyntax item)
    {
        var index = list.IndexOf(item);
        if (index < 0)
        {
            return list;
        }

        var items = new List<ExpressionSyntax>();
        var separators = new List<SyntaxToken>();
        var lastTrailing = list[list.Count - 1].GetTrailingTrivia();
        for (var i = 0; i < list.Count; i++)
        {
            if (i != index)
            {
                items.Add(list[i]);
            }
        }

        var originalSeparators = list.GetSeparators().ToList();
        for (var i = 0; i < items.Count - 1 || (i < items.Count && originalSeparators.Count >= list.Count); i++)
        {
            // Keep the separators in order; a trailing comma stays trailing.
            var source = i < index ? i : i + 1;
            separators.Add(source < originalSeparators.Count ? originalSeparators[source] : originalSeparators[originalSeparators.Count - 1]);
        }

        if (items.Count > 0 && index == list.Count - 1)
        {
            items[items.Count - 1] = items[items.Count - 1].WithTrailingTrivia(lastTrailing);
        }

        return SyntaxFactory.SeparatedList(items, separators);
    }

    private readonly struct LogPlan
    {
        public LogPlan(StatementSyntax statement, string logger, string exception, bool fromRequestServices)
        {
            Statement = statement;
            Logger = logger;
            Exception = exception;
            FromRequestServices = fromRequestServices;
        }

        /// <summary>No logger in scope: one is taken from the request's services (needs Microsoft.Extensions.DependencyInjection).</summary>
        public bool FromRequestServices { get; }

        public StatementSyntax Statement { get; }

        public string Logger { get; }

        public string Exception { get; }
    }

    /// <summary>Where and how to log the exception: a logger in scope, the exception reachable, and not logged yet.</summary>
    private static LogPlan? PlanLog(SemanticModel model, ExpressionSyntax leak, CancellationToken cancellationToken)
    {
        var statement = leak.FirstAncestorOrSelf<StatementSyntax>();
        if (statement is null || statement.Parent is not (BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax)
            || statement is LocalFunctionStatementSyntax || !statement.Span.Contains(leak.Span))
        {
            return null;
        }

        // Inside a lambda or local function the statement must belong to the same function as the leak.
        var leakFunction = leak.FirstAncestorOrSelf<SyntaxNode>(IsFunction);
        if (statement.FirstAncestorOrSelf<SyntaxNode>(IsFunction) != leakFunction)
        {
            return null;
        }

        var logger = ScopeSymbols.FindLogger(model, statement.SpanStart);
        var fromRequestServices = false;
        if (logger is null)
        {
            // Never leave the exception unobserved: the framework's logger factory is in the request's services
            // (a middleware's InvokeAsync, a minimal-API handler, a filter's context, a controller's HttpContext).
            logger = RequestServicesLogger(model, statement.SpanStart);
            fromRequestServices = logger is not null;
        }

        var exception = FindExceptionExpression(model, leak, statement, cancellationToken);
        if (logger is null || exception is null || IsAlreadyLogged(model, statement, exception, cancellationToken))
        {
            return null;
        }

        return new LogPlan(statement, logger, exception, fromRequestServices);
    }

    /// <summary>
    /// <c>context.RequestServices.GetRequiredService&lt;ILoggerFactory&gt;().CreateLogger("Type")</c> for the HttpContext
    /// at the position (a factory, because a static class cannot be the category of an <c>ILogger&lt;T&gt;</c>), or null.
    /// </summary>
    private static string? RequestServicesLogger(SemanticModel model, int position)
    {
        var types = WellKnownTypes.Get(model.Compilation);
        if (types.Get(WellKnownType.Microsoft_Extensions_Logging_ILogger) is null
            || model.Compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions") is null
            || model.Compilation.GetTypeByMetadataName("Microsoft.Extensions.Logging.ILoggerFactory") is null
            || ScopeSymbols.FindHttpContext(model, position) is not { } context)
        {
            return null;
        }

        var category = model.GetEnclosingSymbol(position)?.ContainingType?.Name;
        if (string.IsNullOrEmpty(category))
        {
            category = "Errors";
        }

        return $"{context}.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(\"{category}\")";
    }

    private static bool IsFunction(SyntaxNode node)
        => node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or CompilationUnitSyntax;

    private static string? FindExceptionExpression(SemanticModel model, ExpressionSyntax leak, StatementSyntax statement, CancellationToken cancellationToken)
    {
        var exceptionType = WellKnownTypes.Get(model.Compilation).Get(WellKnownType.System_Exception);

        // In a catch block, the caught exception.
        var catchClause = leak.FirstAncestorOrSelf<CatchClauseSyntax>();
        if (catchClause?.Declaration is { Identifier.ValueText.Length: > 0 } declaration
            && catchClause.Block.Span.Contains(leak.Span)
            && Binds(model, statement.SpanStart, declaration.Identifier.ValueText, exceptionType))
        {
            return declaration.Identifier.ValueText;
        }

        // Otherwise the exception the leaked value was read from: a parameter, a local, `feature.Error`.
        if (model.GetOperation(leak, cancellationToken) is not { } operation
            || ExceptionTaint.FindSource(model.Compilation, operation, cancellationToken) is not { } source
            || ExceptionTaint.FindExceptionRoot(source, exceptionType) is not { } root
            || root.Syntax.SyntaxTree != leak.SyntaxTree)
        {
            return null;
        }

        var text = root switch
        {
            ILocalReferenceOperation or IParameterReferenceOperation => root.Syntax.ToString(),
            IPropertyReferenceOperation { Instance: ILocalReferenceOperation or IParameterReferenceOperation } => root.Syntax.ToString(),
            IPropertyReferenceOperation { Instance: IConditionalAccessInstanceOperation } property
                when property.Syntax.Parent?.Parent is ConditionalAccessExpressionSyntax access && access.Expression is IdentifierNameSyntax receiver
                => receiver.Identifier.ValueText + "?." + property.Property.Name,
            _ => null,
        };

        return text is not null && Binds(model, statement.SpanStart, text, exceptionType) ? text : null;
    }

    private static bool Binds(SemanticModel model, int position, string expression, INamedTypeSymbol? exceptionType)
    {
        var type = model.GetSpeculativeTypeInfo(position, SyntaxFactory.ParseExpression(expression), SpeculativeBindingOption.BindAsExpression).Type;
        return ExceptionTaint.IsException(type, exceptionType);
    }

    private static bool IsAlreadyLogged(SemanticModel model, StatementSyntax statement, string exception, CancellationToken cancellationToken)
    {
        SyntaxNode? scope = statement.FirstAncestorOrSelf<CatchClauseSyntax>()?.Block;
        scope ??= statement.FirstAncestorOrSelf<SyntaxNode>(IsFunction);
        if (scope is null)
        {
            return false;
        }

        foreach (var invocation in scope.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            if (!invocation.ArgumentList.Arguments.Any(a => a.Expression.ToString() == exception))
            {
                continue;
            }

            if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is IMethodSymbol method
                && method.Name.StartsWith("Log", System.StringComparison.Ordinal)
                && method.ContainingNamespace?.ToDisplayString() == "Microsoft.Extensions.Logging")
            {
                return true;
            }
        }

        return false;
    }

    private static SyntaxTriviaList Indentation(StatementSyntax statement)
    {
        var leading = statement.GetLeadingTrivia();
        return leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? SyntaxFactory.TriviaList(leading[leading.Count - 1])
            : default;
    }

    private static SyntaxTriviaList NewLineOf(StatementSyntax statement)
    {
        foreach (var trivia in statement.GetTrailingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return SyntaxFactory.TriviaList(trivia);
            }
        }

        return SyntaxFactory.TriviaList(SyntaxFactory.ElasticCarriageReturnLineFeed);
    }
}
