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
using Microsoft.CodeAnalysis.Formatting;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Flow;
using ServerErrors.Analyzers.Server;

namespace ServerErrors.Analyzers.CodeFixes.Server;

/// <summary>
/// SE1003/SE1004: set <c>Retry-After</c> before the 503/429 response (adding an <c>HttpContext</c> parameter to a
/// minimal-API lambda and turning expression bodies into blocks where needed), or give the rate limiter an
/// <c>OnRejected</c> that copies the lease's retry-after metadata.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RetryAfterMissingCodeFix))]
public sealed class RetryAfterMissingCodeFix : CodeFixProvider
{
    /// <summary>
    /// One equivalence key for every shape (a header before the response, an OnRejected for a rate limiter; SE1003 and SE1004): they are one choice, so FixAll — and one <c>dotnet format
    /// analyzers</c> pass, which uses the first diagnostic's key — fixes them all.
    /// </summary>
    internal const string SetRetryAfterKey = "SE1003.SetRetryAfter";

    private const string DefaultContextParameterName = "httpContext";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(
        Descriptors.SE1003_ServiceUnavailableWithoutRetryAfter.Id,
        Descriptors.SE1004_TooManyRequestsWithoutRetryAfter.Id);

    public override FixAllProvider GetFixAllProvider() => DocumentFixAll.Create(FixDocumentAsync, SetRetryAfterKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax || model is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var plan = Plan.Create(root, model, diagnostic, context.CancellationToken);
            if (plan is null)
            {
                continue;
            }

            var title = plan.IsRateLimiter
                ? (plan.Handler is null ? "Add an OnRejected that sets Retry-After" : "Set Retry-After in OnRejected from the lease")
                : (plan.Handler is null ? "Set the Retry-After header" : "Set the Retry-After header from the lease");
            var key = SetRetryAfterKey;
            var document = context.Document;
            context.RegisterCodeFix(
                FixAction.Create(title, document, async c => await FixDocumentAsync(document, ImmutableArray.Create(diagnostic), key, c).ConfigureAwait(false) ?? document, key),
                diagnostic);
        }
    }

    private static async Task<Document?> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, string? equivalenceKey, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax || model is null)
        {
            return document;
        }

        // Plan every fix against the original tree (in source order), then apply them one after another on tracked nodes.
        var plans = new List<Plan>();
        var anchors = new HashSet<SyntaxNode>();
        var tracked = new List<SyntaxNode>();
        foreach (var diagnostic in diagnostics.OrderBy(d => d.Location.SourceSpan.Start))
        {
            var plan = Plan.Create(root, model, diagnostic, cancellationToken);
            if (plan is null || (equivalenceKey is not null && equivalenceKey != SetRetryAfterKey))
            {
                continue;
            }

            // Several responses before the same statement need the header once, and a header inserted earlier in
            // the same block already covers every response after it: fixing them one by one gives the same code.
            if (!anchors.Add(plan.Anchor) || IsCoveredByEarlierHeader(plan, plans) || IsSameHandler(plan, plans))
            {
                continue;
            }

            plans.Add(plan);
            tracked.Add(plan.Anchor);
            if (plan.LambdaNeedingContext is not null)
            {
                tracked.Add(plan.LambdaNeedingContext);
            }
        }

        if (plans.Count == 0)
        {
            return document;
        }

        var newRoot = root.TrackNodes(tracked);
        var lambdasDone = new HashSet<SyntaxNode>();
        foreach (var plan in plans)
        {
            newRoot = plan.Apply(newRoot);
        }

        foreach (var plan in plans)
        {
            if (plan.LambdaNeedingContext is { } lambda && lambdasDone.Add(lambda))
            {
                newRoot = AddContextParameter(newRoot, lambda, plan.ContextParameterName);
            }
        }

        var unit = (CompilationUnitSyntax)newRoot;
        var position = plans[0].Anchor.SpanStart;
        foreach (var plan in plans)
        {
            if (plan.LambdaNeedingContext is not null)
            {
                unit = Imports.AddIfMissing(unit, model, position, "Microsoft.AspNetCore.Http", "HttpContext");
            }

            if (plan.UsesHttpStatusCode)
            {
                unit = Imports.AddIfMissing(unit, model, position, "System.Net", "HttpStatusCode");
            }

            if (plan.IsRateLimiter || plan.Handler is not null)
            {
                unit = Imports.AddIfMissing(unit, model, position, "System.Globalization", "CultureInfo");
                unit = Imports.AddIfMissing(unit, model, position, "System.Threading.RateLimiting", "MetadataName");
            }

            if (plan.IsRateLimiter && plan.Handler is null)
            {
                unit = Imports.AddIfMissing(unit, model, position, "System.Threading.Tasks", "ValueTask");
            }
        }

        var changed = document.WithSyntaxRoot(unit);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    private static bool IsCoveredByEarlierHeader(Plan plan, List<Plan> earlier)
    {
        if (plan.IsRateLimiter)
        {
            return false;
        }

        foreach (var previous in earlier)
        {
            if (!previous.IsRateLimiter
                && !previous.InsertAfter
                && !previous.IsGuarded
                && previous.Anchor.Parent is BlockSyntax block
                && previous.Anchor.Span.End <= plan.Anchor.SpanStart
                && block.Span.Contains(plan.Anchor.Span))
            {
                return true;
            }
        }

        return false;
    }

    // Two diagnostics answered by one copy of the lease's delay into the same OnRejected handler.
    private static bool IsSameHandler(Plan plan, List<Plan> earlier)
    {
        if (plan.Handler is null)
        {
            return false;
        }

        foreach (var previous in earlier)
        {
            if (previous.Handler == plan.Handler)
            {
                return true;
            }
        }

        return false;
    }

    private static SyntaxNode AddContextParameter(SyntaxNode root, SyntaxNode original, string name)
    {
        if (root.GetCurrentNode(original) is not ParenthesizedLambdaExpressionSyntax lambda)
        {
            return root;
        }

        var parameter = SyntaxFactory.Parameter(SyntaxFactory.Identifier(name))
            .WithType(SyntaxFactory.IdentifierName("HttpContext").WithTrailingTrivia(SyntaxFactory.Space));
        var parameters = lambda.ParameterList.Parameters;

        // Before the first optional or params parameter, else last.
        var index = parameters.Count;
        for (var i = 0; i < parameters.Count; i++)
        {
            if (parameters[i].Default is not null || HasParamsModifier(parameters[i]))
            {
                index = i;
                break;
            }
        }

        var newList = lambda.ParameterList.WithParameters(parameters.Insert(index, parameter));
        return root.ReplaceNode(lambda, lambda.WithParameterList(newList));
    }

    private static bool HasParamsModifier(ParameterSyntax parameter)
    {
        foreach (var modifier in parameter.Modifiers)
        {
            if (modifier.IsKind(SyntaxKind.ParamsKeyword))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>One fix, decided on the original tree.</summary>
    private sealed class Plan
    {
        private Plan(SyntaxNode anchor, bool insertAfter, StatementSyntax statement, bool expressionReturnsValue)
        {
            Anchor = anchor;
            InsertAfter = insertAfter;
            Statement = statement;
            ExpressionReturnsValue = expressionReturnsValue;
        }

        /// <summary>The statement to insert next to, or the expression-bodied lambda/method/local function to turn into a block.</summary>
        public SyntaxNode Anchor { get; }

        public bool InsertAfter { get; }

        public StatementSyntax Statement { get; }

        /// <summary>For an expression body: whether it becomes <c>return expr;</c> rather than <c>expr;</c>.</summary>
        public bool ExpressionReturnsValue { get; }

        public bool IsRateLimiter { get; private set; }

        /// <summary>The header is set only when a variable status is 503/429: it does not cover other responses.</summary>
        public bool IsGuarded { get; private set; }

        public bool UsesHttpStatusCode { get; private set; }

        public SyntaxNode? LambdaNeedingContext { get; private set; }

        public string ContextParameterName { get; private set; } = DefaultContextParameterName;

        /// <summary>The rate limiter's <c>OnRejected</c> lambda the fix writes into, when it does.</summary>
        public SyntaxNode? Handler { get; private set; }

        public static Plan? Create(SyntaxNode root, SemanticModel model, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            if (!diagnostic.Location.IsInSource || diagnostic.Location.SourceTree != root.SyntaxTree)
            {
                return null;
            }

            diagnostic.Properties.TryGetValue(RetryAfterMissingAnalyzer.FormKey, out var form);
            diagnostic.Properties.TryGetValue(RetryAfterMissingAnalyzer.SecondsKey, out var seconds);
            if (seconds is null || !int.TryParse(seconds, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out _))
            {
                seconds = RetryAfterMissingAnalyzer.DefaultSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
            if (form == RetryAfterMissingAnalyzer.HelperForm)
            {
                // The 503 is an argument of a helper that sets the status from it: the header goes into the helper.
                node = SpanProperty(root, diagnostic, RetryAfterMissingAnalyzer.HelperStartKey, RetryAfterMissingAnalyzer.HelperLengthKey) ?? node;
                if (node is not AssignmentExpressionSyntax)
                {
                    return null;
                }

                form = nameof(ResponseStatusForm.ResponseStatusCode);
            }

            if (node is not ExpressionSyntax expression)
            {
                return null;
            }

            var useIndexer = !HasRetryAfterProperty(model.Compilation);
            if (form == nameof(ResponseStatusForm.RejectionStatusCode))
            {
                return CreateForRateLimiter(model, expression, seconds, useIndexer, cancellationToken);
            }

            // A status held in a variable: the header is set only when it holds this status.
            ExpressionSyntax? guard = null;
            if (diagnostic.Properties.TryGetValue(RetryAfterMissingAnalyzer.GuardStartKey, out var guardStart)
                && diagnostic.Properties.TryGetValue(RetryAfterMissingAnalyzer.GuardLengthKey, out var guardLength)
                && int.TryParse(guardStart, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
                && int.TryParse(guardLength, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
                && start + length <= root.FullSpan.End)
            {
                guard = root.FindNode(new Microsoft.CodeAnalysis.Text.TextSpan(start, length), getInnermostNodeForTie: true) as ExpressionSyntax;
                if (guard is null)
                {
                    return null;
                }
            }

            var status = diagnostic.Id == Descriptors.SE1004_TooManyRequestsWithoutRetryAfter.Id ? 429 : 503;
            return CreateForResponse(model, expression, form, seconds, useIndexer, guard, status, cancellationToken);
        }

        private static SyntaxNode? SpanProperty(SyntaxNode root, Diagnostic diagnostic, string startKey, string lengthKey)
            => diagnostic.Properties.TryGetValue(startKey, out var startText)
                && diagnostic.Properties.TryGetValue(lengthKey, out var lengthText)
                && int.TryParse(startText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var start)
                && int.TryParse(lengthText, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var length)
                && start + length <= root.FullSpan.End
                    ? root.FindNode(new Microsoft.CodeAnalysis.Text.TextSpan(start, length), getInnermostNodeForTie: true)
                    : null;

        private static Plan? CreateForResponse(SemanticModel model, ExpressionSyntax expression, string? form, string seconds, bool useIndexer, ExpressionSyntax? guard, int status, CancellationToken cancellationToken)
        {
            var anchor = FindAnchor(expression, out var body);
            if (anchor is null)
            {
                return null;
            }

            var position = body?.SpanStart ?? anchor.SpanStart;

            string? response = null;
            if (form == nameof(ResponseStatusForm.ResponseStatusCode)
                && expression is AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax target }
                && ResponseLocator.IsRepeatable(target.Expression))
            {
                response = target.Expression.WithoutTrivia().ToString();
            }

            response ??= ResponseLocator.Find(model, position);

            SyntaxNode? lambdaNeedingContext = null;
            var parameterName = DefaultContextParameterName;
            if (response is null)
            {
                // A minimal-API handler (a lambda converted to Delegate) can ask for the HttpContext.
                var lambda = expression.FirstAncestorOrSelf<ParenthesizedLambdaExpressionSyntax>();
                if (lambda is null || !IsConvertedToDelegate(model, lambda, cancellationToken))
                {
                    return null;
                }

                parameterName = UniqueName(model, position, DefaultContextParameterName);
                lambdaNeedingContext = lambda;
                response = parameterName + ".Response";
            }

            // Inside the rate limiter's OnRejected the lease knows the delay: copy it, never a constant in its place.
            string? contextName = null;
            var handler = lambdaNeedingContext is null ? OnRejectedHandler(model, expression, cancellationToken, out contextName) : null;
            StatementSyntax statement;
            var usesHttpStatusCode = false;
            if (handler is not null)
            {
                var headerTarget = useIndexer ? $"{response}.Headers[\"Retry-After\"]" : $"{response}.Headers.RetryAfter";
                statement = LeaseDelayCopy(model, position, contextName!, headerTarget, seconds);
            }
            else
            {
                var header = useIndexer
                    ? $"{response}.Headers[\"Retry-After\"] = \"{seconds}\";"
                    : $"{response}.Headers.RetryAfter = \"{seconds}\";";
                if (guard is not null)
                {
                    // `if (code == HttpStatusCode.ServiceUnavailable) { … }` for an enum, `if (code == 503)` for a number.
                    var type = model.GetTypeInfo(guard, cancellationToken).Type;
                    if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
                    {
                        type = nullable.TypeArguments[0];
                    }

                    usesHttpStatusCode = type is { TypeKind: TypeKind.Enum, Name: "HttpStatusCode" } && type.ContainingNamespace?.ToDisplayString() == "System.Net";
                    var constant = usesHttpStatusCode
                        ? (status == 429 ? "HttpStatusCode.TooManyRequests" : "HttpStatusCode.ServiceUnavailable")
                        : status.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    header = $"if ({guard.WithoutTrivia()} == {constant})\n{{\n{header}\n}}";
                }

                var parsed = SyntaxFactory.ParseStatement(header);
                parsed = parsed.ReplaceTrivia(
                    parsed.DescendantTrivia(),
                    static (original, _) => original.IsKind(SyntaxKind.EndOfLineTrivia)
                        ? SyntaxFactory.ElasticCarriageReturnLineFeed
                        : original.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.ElasticSpace : original);
                statement = Elastic(parsed);
            }

            var returnsValue = body is not null && ReturnsValue(model, anchor, cancellationToken);
            return new Plan(anchor, insertAfter: false, statement, returnsValue)
            {
                LambdaNeedingContext = lambdaNeedingContext,
                ContextParameterName = parameterName,
                Handler = handler,
                IsGuarded = guard is not null,
                UsesHttpStatusCode = usesHttpStatusCode,
            };
        }

        private static Plan? CreateForRateLimiter(SemanticModel model, ExpressionSyntax expression, string seconds, bool useIndexer, CancellationToken cancellationToken)
        {
            if (expression is not AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax options } } assignment)
            {
                return null;
            }

            // An OnRejected already assigned: a second one before or after it would overwrite or be overwritten.
            if (ExistingOnRejected(model, assignment, cancellationToken) is { } existing)
            {
                return CreateForExistingHandler(model, existing, seconds, useIndexer, cancellationToken);
            }

            SyntaxNode anchor;
            if (assignment.Parent is ExpressionStatementSyntax statement)
            {
                anchor = statement;
            }
            else if (assignment.Parent is LambdaExpressionSyntax lambda && lambda.ExpressionBody == assignment)
            {
                anchor = lambda;
            }
            else
            {
                return null;
            }

            var header = useIndexer ? "context.HttpContext.Response.Headers[\"Retry-After\"]" : "context.HttpContext.Response.Headers.RetryAfter";
            var text = $$"""
                {{options.Identifier.ValueText}}.OnRejected = (context, _) =>
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        {{header}} = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        {{header}} = "{{seconds}}";
                    }
                    return ValueTask.CompletedTask;
                };
                """;

            // Every line break and indent is left to the formatter, wherever the statement lands.
            var parsed = SyntaxFactory.ParseStatement(text);
            parsed = parsed.ReplaceTrivia(
                parsed.DescendantTrivia(),
                static (original, _) => original.IsKind(SyntaxKind.EndOfLineTrivia)
                    ? SyntaxFactory.ElasticCarriageReturnLineFeed
                    : original.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.ElasticSpace : original);
            var onRejected = Elastic(parsed);
            var returnsValue = anchor is LambdaExpressionSyntax && ReturnsValue(model, anchor, cancellationToken);
            return new Plan(anchor, insertAfter: true, onRejected, returnsValue) { IsRateLimiter = true };
        }

        private static Plan? CreateForExistingHandler(SemanticModel model, AnonymousFunctionExpressionSyntax handler, string seconds, bool useIndexer, CancellationToken cancellationToken)
        {
            var contextName = FirstParameterName(handler);
            if (contextName is null)
            {
                return null;
            }

            SyntaxNode anchor;
            int position;
            if (handler.Block is { Statements.Count: > 0 } block)
            {
                anchor = block.Statements[0];
                position = anchor.SpanStart;
            }
            else if (handler.ExpressionBody is { } body)
            {
                anchor = handler;
                position = body.SpanStart;
            }
            else
            {
                return null;
            }

            var header = useIndexer ? $"{contextName}.HttpContext.Response.Headers[\"Retry-After\"]" : $"{contextName}.HttpContext.Response.Headers.RetryAfter";
            var copy = LeaseDelayCopy(model, position, contextName, header, seconds);
            var returnsValue = anchor is AnonymousFunctionExpressionSyntax && ReturnsValue(model, anchor, cancellationToken);
            return new Plan(anchor, insertAfter: false, copy, returnsValue) { IsRateLimiter = true, Handler = handler };
        }

        /// <summary>The lambda assigned to <c>RateLimiterOptions.OnRejected</c> in the same body as <paramref name="rejection"/>.</summary>
        private static AnonymousFunctionExpressionSyntax? ExistingOnRejected(SemanticModel model, AssignmentExpressionSyntax rejection, CancellationToken cancellationToken)
        {
            var body = rejection.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or CompilationUnitSyntax);
            if (body is null)
            {
                return null;
            }

            var rejectionOwner = (model.GetSymbolInfo(rejection.Left, cancellationToken).Symbol as IPropertySymbol)?.ContainingType;
            foreach (var candidate in body.DescendantNodes())
            {
                if (candidate is AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "OnRejected" } left } onRejected
                    && (body is not CompilationUnitSyntax || onRejected.FirstAncestorOrSelf<GlobalStatementSyntax>() is not null)
                    && model.GetSymbolInfo(left, cancellationToken).Symbol is IPropertySymbol property
                    && SymbolEqualityComparer.Default.Equals(property.ContainingType, rejectionOwner))
                {
                    var value = onRejected.Right;
                    while (value is ParenthesizedExpressionSyntax parenthesized)
                    {
                        value = parenthesized.Expression;
                    }

                    return value as AnonymousFunctionExpressionSyntax;
                }
            }

            return null;
        }

        /// <summary>The OnRejected lambda around <paramref name="expression"/> and its context parameter, or null.</summary>
        private static SyntaxNode? OnRejectedHandler(SemanticModel model, ExpressionSyntax expression, CancellationToken cancellationToken, out string? contextName)
        {
            contextName = null;
            var lambda = expression.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>();
            if (lambda is null
                || model.GetSymbolInfo(lambda, cancellationToken).Symbol is not IMethodSymbol { Parameters.Length: > 0 } method
                || method.Parameters[0].Type is not { Name: "OnRejectedContext" } contextType
                || contextType.ContainingNamespace?.ToDisplayString() != "Microsoft.AspNetCore.RateLimiting")
            {
                return null;
            }

            contextName = FirstParameterName(lambda);
            return contextName is null ? null : lambda;
        }

        private static string? FirstParameterName(AnonymousFunctionExpressionSyntax lambda)
        {
            var parameter = lambda switch
            {
                ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: > 0 } parenthesized => parenthesized.ParameterList.Parameters[0],
                SimpleLambdaExpressionSyntax simple => simple.Parameter,
                _ => null,
            };

            var name = parameter?.Identifier.ValueText;
            return string.IsNullOrEmpty(name) || name == "_" ? null : name;
        }

        /// <summary>
        /// <c>if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)) header = whole seconds; else header = "N";</c>
        /// </summary>
        private static StatementSyntax LeaseDelayCopy(SemanticModel model, int position, string contextName, string header, string seconds)
        {
            var delay = UniqueName(model, position, "retryAfter");
            var text = contextName + ".Lease.TryGetMetadata(MetadataName.RetryAfter, out var " + delay + ")";
            var statement = "if (" + text + ")\n{\n" + header + " = ((int)" + delay + ".TotalSeconds).ToString(CultureInfo.InvariantCulture);\n}\nelse\n{\n" + header + " = \"" + seconds + "\";\n}\n";
            return Elastic(ElasticLines(SyntaxFactory.ParseStatement(statement)));
        }

        private static StatementSyntax ElasticLines(StatementSyntax parsed)
            => parsed.ReplaceTrivia(
                parsed.DescendantTrivia(),
                static (original, _) => original.IsKind(SyntaxKind.EndOfLineTrivia)
                    ? SyntaxFactory.ElasticCarriageReturnLineFeed
                    : original.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.ElasticSpace : original);

        private static StatementSyntax Elastic(StatementSyntax statement)
            => statement
                .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
                .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)
                .WithAdditionalAnnotations(Formatter.Annotation);

        /// <summary>The statement that contains <paramref name="expression"/>, or the expression-bodied function around it.</summary>
        private static SyntaxNode? FindAnchor(ExpressionSyntax expression, out ExpressionSyntax? body)
        {
            body = null;
            SyntaxNode child = expression;
            for (var current = expression.Parent; current is not null; child = current, current = current.Parent)
            {
                switch (current)
                {
                    case StatementSyntax statement when statement is not BlockSyntax:
                        return statement;
                    case AnonymousFunctionExpressionSyntax function when function.ExpressionBody == child:
                        body = function.ExpressionBody;
                        return function;
                    case ArrowExpressionClauseSyntax arrow when arrow.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax:
                        body = arrow.Expression;
                        return arrow.Parent;
                    case MemberDeclarationSyntax:
                    case AttributeSyntax:
                        return null;
                }
            }

            return null;
        }

        public SyntaxNode Apply(SyntaxNode root)
        {
            var current = root.GetCurrentNode(Anchor);
            switch (current)
            {
                case AnonymousFunctionExpressionSyntax { ExpressionBody: { } body } function:
                    return root.ReplaceNode(function, function.WithExpressionBody(null).WithBlock(ToBlock(body)).WithAdditionalAnnotations(Formatter.Annotation));
                case MethodDeclarationSyntax { ExpressionBody: { } arrow } method:
                    return root.ReplaceNode(method, method
                        .WithExpressionBody(null)
                        .WithSemicolonToken(default)
                        .WithBody(ToBlock(arrow.Expression).WithTrailingTrivia(method.SemicolonToken.TrailingTrivia))
                        .WithParameterList(method.ParameterList.WithTrailingTrivia(SyntaxFactory.ElasticMarker))
                        .WithAdditionalAnnotations(Formatter.Annotation));
                case LocalFunctionStatementSyntax { ExpressionBody: { } localArrow } local:
                    return root.ReplaceNode(local, local
                        .WithExpressionBody(null)
                        .WithSemicolonToken(default)
                        .WithBody(ToBlock(localArrow.Expression).WithTrailingTrivia(local.SemicolonToken.TrailingTrivia))
                        .WithParameterList(local.ParameterList.WithTrailingTrivia(SyntaxFactory.ElasticMarker))
                        .WithAdditionalAnnotations(Formatter.Annotation));
                case StatementSyntax statement:
                    return InsertNextTo(root, statement);
                default:
                    return root;
            }
        }

        private BlockSyntax ToBlock(ExpressionSyntax body)
        {
            var expression = body.WithoutTrivia();
            StatementSyntax existing = ExpressionReturnsValue
                ? SyntaxFactory.ReturnStatement(expression)
                : SyntaxFactory.ExpressionStatement(expression);
            var statements = InsertAfter ? new[] { existing, Statement } : new[] { Statement, existing };
            return SyntaxFactory.Block(statements).WithAdditionalAnnotations(Formatter.Annotation);
        }

        private SyntaxNode InsertNextTo(SyntaxNode root, StatementSyntax statement)
        {
            if (statement.Parent is GlobalStatementSyntax global)
            {
                var inserted = SyntaxFactory.GlobalStatement(Statement);
                return InsertAfter ? root.InsertNodesAfter(global, new[] { inserted }) : root.InsertNodesBefore(global, new[] { inserted });
            }

            if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
            {
                var inserted = Statement;
                if (IsGuarded && !InsertAfter && statement.GetLeadingTrivia() is { Count: > 0 } leading && leading[0].IsKind(SyntaxKind.EndOfLineTrivia))
                {
                    // An `if` block before a statement that follows a blank line: keep a blank line on both sides.
                    inserted = inserted.WithLeadingTrivia(leading[0]);
                }

                return InsertAfter ? root.InsertNodesAfter(statement, new[] { inserted }) : root.InsertNodesBefore(statement, new[] { inserted });
            }

            // An embedded statement (`if (busy) return StatusCode(503);`) becomes a block.
            var pair = InsertAfter ? new[] { statement.WithoutTrivia(), Statement } : new[] { Statement, statement.WithoutTrivia() };
            var block = SyntaxFactory.Block(pair).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation);
            return root.ReplaceNode(statement, block);
        }

        private static bool ReturnsValue(SemanticModel model, SyntaxNode function, CancellationToken cancellationToken)
        {
            var symbol = function switch
            {
                AnonymousFunctionExpressionSyntax lambda => model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol,
                _ => model.GetDeclaredSymbol(function, cancellationToken) as IMethodSymbol,
            };

            if (symbol is null || symbol.ReturnsVoid)
            {
                return false;
            }

            // `async () => await …` returning Task/ValueTask has no value to return.
            return !(symbol.IsAsync
                && symbol.ReturnType is INamedTypeSymbol { IsGenericType: false, Name: "Task" or "ValueTask" });
        }

        private static bool IsConvertedToDelegate(SemanticModel model, LambdaExpressionSyntax lambda, CancellationToken cancellationToken)
        {
            var converted = model.GetTypeInfo(lambda, cancellationToken).ConvertedType;
            return converted is { Name: "Delegate", ContainingNamespace.Name: "System" };
        }

        private static string UniqueName(SemanticModel model, int position, string name)
        {
            var candidate = name;
            for (var i = 2; model.LookupSymbols(position, name: candidate).Length > 0; i++)
            {
                candidate = name + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            return candidate;
        }

        private static bool HasRetryAfterProperty(Compilation compilation)
        {
            var headers = WellKnownTypes.Get(compilation).Get(WellKnownType.Microsoft_AspNetCore_Http_IHeaderDictionary);
            return headers is not null && headers.GetMembers("RetryAfter").Length > 0;
        }
    }
}
