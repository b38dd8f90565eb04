using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Server;

namespace ServerErrors.Analyzers.CodeFixes.Server;

/// <summary>SE1002: wrap <c>UseDeveloperExceptionPage()</c> in an IsDevelopment() check; make EnableDetailedErrors follow it.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DetailedErrorsOutsideDevelopmentCodeFix))]
public sealed class DetailedErrorsOutsideDevelopmentCodeFix : CodeFixProvider
{
    /// <summary>
    /// One equivalence key for every shape of the rule: they are one choice, so FixAll — and one <c>dotnet format
    /// analyzers</c> pass, which uses the first diagnostic's key — fixes them all.
    /// </summary>
    internal const string OnlyInDevelopmentKey = "SE1002.OnlyInDevelopment";

    /// <summary>A second choice, offered only under minimal hosting: remove the call instead of guarding it.</summary>
    internal const string RemoveCallKey = "SE1002.RemoveDeveloperExceptionPage";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.SE1002_DetailedErrorsOutsideDevelopment.Id);

    public override FixAllProvider GetFixAllProvider() => new DefaultKeyFixAll(WellKnownFixAllProviders.BatchFixer, OnlyInDevelopmentKey);

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        var node = root.FindNode(diagnostic.Location.SourceSpan);
        diagnostic.Properties.TryGetValue(DetailedErrorsOutsideDevelopmentAnalyzer.KindKey, out var kind);
        var document = context.Document;

        switch (kind)
        {
            case DetailedErrorsOutsideDevelopmentAnalyzer.KindDetailedErrors
                when node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } assignment:
                context.RegisterCodeFix(
                    FixAction.Create("Enable detailed errors only in Development", document, c => AssignIsDevelopmentAsync(document, assignment, c), OnlyInDevelopmentKey),
                    diagnostic);
                break;

            case DetailedErrorsOutsideDevelopmentAnalyzer.KindIncludeExceptionDetails
                when node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { } predicate && ReturnedTrue(predicate.Right) is { } literal:
                context.RegisterCodeFix(
                    FixAction.Create("Include exception details only in Development", document, c => ReturnIsDevelopmentAsync(document, predicate, literal, c), OnlyInDevelopmentKey),
                    diagnostic);
                break;

            case DetailedErrorsOutsideDevelopmentAnalyzer.KindDeveloperExceptionPage or DetailedErrorsOutsideDevelopmentAnalyzer.KindDatabaseErrorPage
                when node.FirstAncestorOrSelf<InvocationExpressionSyntax>() is { Expression: MemberAccessExpressionSyntax } invocation:
                var isDeveloperPage = kind == DetailedErrorsOutsideDevelopmentAnalyzer.KindDeveloperExceptionPage;
                if (WrapTarget.Find(invocation) is { } target)
                {
                    context.RegisterCodeFix(
                        FixAction.Create(
                            isDeveloperPage ? "Use the developer exception page only in Development" : "Use the database error page only in Development",
                            document,
                            c => WrapAsync(document, invocation, target, c),
                            OnlyInDevelopmentKey),
                        diagnostic);
                }

                // Minimal hosting turns the developer exception page on in Development by itself: the call can go.
                if (isDeveloperPage && await CanRemoveCallAsync(document, invocation, context.CancellationToken).ConfigureAwait(false))
                {
                    context.RegisterCodeFix(
                        FixAction.Create("Remove UseDeveloperExceptionPage() (WebApplication shows it in Development already)", document, c => RemoveCallAsync(document, invocation, c), RemoveCallKey),
                        diagnostic);
                }

                break;

            case DetailedErrorsOutsideDevelopmentAnalyzer.KindAttribute
                when node.FirstAncestorOrSelf<AttributeArgumentSyntax>() is { NameEquals: not null } argument:
                context.RegisterCodeFix(
                    FixAction.Create(
                        "Do not include exception details in faults (use ServiceDebugBehavior in Development)",
                        document,
                        c => ReplaceWithFalseAsync(document, argument.Expression, c),
                        OnlyInDevelopmentKey),
                    diagnostic);
                break;

            case DetailedErrorsOutsideDevelopmentAnalyzer.KindForcedEnvironment
                when node.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { Parent: ExpressionStatementSyntax { Parent: BlockSyntax or GlobalStatementSyntax } statement }:
                context.RegisterCodeFix(
                    FixAction.Create("Remove the EnvironmentName assignment (set ASPNETCORE_ENVIRONMENT instead)", document, c => RemoveStatementAsync(document, statement, c), OnlyInDevelopmentKey),
                    diagnostic);
                break;
        }
    }

    /// <summary>The <c>true</c> that a predicate lambda returns: its expression body or its single return.</summary>
    private static ExpressionSyntax? ReturnedTrue(ExpressionSyntax value)
    {
        while (value is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            value = value is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)value).Expression;
        }

        var returned = value switch
        {
            AnonymousFunctionExpressionSyntax { ExpressionBody: { } body } => body,
            AnonymousFunctionExpressionSyntax { Block.Statements: { Count: 1 } statements } when statements[0] is ReturnStatementSyntax { Expression: { } expression } => expression,
            _ => null,
        };

        return returned is LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } ? returned : null;
    }

    private static async Task<Document> ReturnIsDevelopmentAsync(Document document, AssignmentExpressionSyntax assignment, ExpressionSyntax literal, CancellationToken cancellationToken)
    {
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var environment = HostEnvironmentLocator.Find(model, assignment);

        ExpressionSyntax value;
        var fromServices = false;
        if (environment is { } env)
        {
            value = env.IsDevelopmentCall();
        }
        else if (FirstNamedParameter(assignment.Right) is { } context)
        {
            // The predicate receives the HttpContext: ask its services for the environment.
            value = SyntaxFactory.ParseExpression(context + ".RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment()");
            fromServices = true;
        }
        else
        {
            value = SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression);
        }

        var unit = root.ReplaceNode(literal, value.WithTriviaFrom(literal));
        if (fromServices)
        {
            unit = Imports.AddIfMissing(unit, model, assignment.SpanStart, "Microsoft.Extensions.DependencyInjection", "ServiceProviderServiceExtensions");
            unit = Imports.AddIfMissing(unit, model, assignment.SpanStart, "Microsoft.Extensions.Hosting", "IHostEnvironment");
        }
        else
        {
            unit = AddExtensionImport(model, assignment.SpanStart, environment, unit);
        }

        return document.WithSyntaxRoot(unit);
    }

    private static string? FirstNamedParameter(ExpressionSyntax lambda)
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

    private static async Task<bool> CanRemoveCallAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        // Only the parameterless call: options (`SourceCodeLineCount`) would be lost in Development.
        if (invocation.ArgumentList.Arguments.Count != 0
            || (invocation.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax or GlobalStatementSyntax or SwitchSectionSyntax }
                && WrapTarget.Find(invocation) is not { IsChained: true }))
        {
            return false;
        }

        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var receiver = ((MemberAccessExpressionSyntax)invocation.Expression).Expression;
        return model is not null
            && WellKnownTypes.Get(model.Compilation).IsA(model.GetTypeInfo(receiver, cancellationToken).Type, WellKnownType.Microsoft_AspNetCore_Builder_WebApplication);
    }

    private static async Task<Document> RemoveCallAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        if (invocation.Parent is ExpressionStatementSyntax statement)
        {
            return await RemoveStatementAsync(document, statement, cancellationToken).ConfigureAwait(false);
        }

        // `app.UseDeveloperExceptionPage().UseRouting();` → `app.UseRouting();`
        var receiver = ((MemberAccessExpressionSyntax)invocation.Expression).Expression;
        return document.WithSyntaxRoot(root.ReplaceNode(invocation, receiver.WithTriviaFrom(invocation)));
    }

    private static async Task<Document> ReplaceWithFalseAsync(Document document, ExpressionSyntax value, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        return document.WithSyntaxRoot(root.ReplaceNode(value, SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression).WithTriviaFrom(value)));
    }

    private static async Task<Document> RemoveStatementAsync(Document document, StatementSyntax statement, CancellationToken cancellationToken)
    {
        var root = (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        SyntaxNode node = statement.Parent is GlobalStatementSyntax global ? global : statement;
        return document.WithSyntaxRoot(root.RemoveNode(node, SyntaxRemoveOptions.KeepUnbalancedDirectives)!);
    }

    private static async Task<Document> AssignIsDevelopmentAsync(Document document, AssignmentExpressionSyntax assignment, CancellationToken cancellationToken)
    {
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var environment = HostEnvironmentLocator.Find(model, assignment);

        ExpressionSyntax value = environment is { } env
            ? env.IsDevelopmentCall()
            : SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression);
        var newRoot = root.ReplaceNode(assignment.Right, value.WithTriviaFrom(assignment.Right));
        newRoot = AddExtensionImport(model, assignment.SpanStart, environment, newRoot);
        return document.WithSyntaxRoot(newRoot);
    }

    private static async Task<Document> WrapAsync(Document document, InvocationExpressionSyntax invocation, WrapTarget target, CancellationToken cancellationToken)
    {
        var model = (await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false))!;
        var root = (CompilationUnitSyntax)(await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!;
        var receiver = ((MemberAccessExpressionSyntax)invocation.Expression).Expression;
        var environment = HostEnvironmentLocator.Find(model, invocation, receiver);

        var condition = environment is { } env
            ? env.IsDevelopmentCall()
            : ResolveFromServices(receiver);

        var statement = target.Statement;
        var call = SyntaxFactory.ExpressionStatement(invocation.WithoutTrivia());
        var ifStatement = SyntaxFactory.IfStatement(condition, SyntaxFactory.Block(call))
            .WithAdditionalAnnotations(Formatter.Annotation);

        SyntaxNode newRoot;
        if (target.IsChained)
        {
            // `app.UseDeveloperExceptionPage().UseX();` → the guarded call, then `app.UseX();`.
            var rest = statement.ReplaceNode(invocation, receiver.WithoutTrivia());
            newRoot = ReplaceStatement(root, statement, ifStatement.WithLeadingTrivia(statement.GetLeadingTrivia()), rest.WithLeadingTrivia(SyntaxFactory.ElasticMarker));
        }
        else
        {
            newRoot = ReplaceStatement(root, statement, ifStatement.WithTriviaFrom(statement));
        }

        var unit = (CompilationUnitSyntax)newRoot;
        if (environment is null)
        {
            var position = invocation.SpanStart;
            unit = Imports.AddIfMissing(unit, model, position, "Microsoft.AspNetCore.Hosting", "IWebHostEnvironment");
            unit = Imports.AddIfMissing(unit, model, position, "Microsoft.Extensions.DependencyInjection", "ServiceProviderServiceExtensions");
            unit = Imports.AddIfMissing(unit, model, position, "Microsoft.Extensions.Hosting", "HostEnvironmentEnvExtensions");
        }
        else
        {
            unit = AddExtensionImport(model, invocation.SpanStart, environment, unit);
        }

        return document.WithSyntaxRoot(unit);
    }

    private static SyntaxNode ReplaceStatement(CompilationUnitSyntax root, StatementSyntax statement, params StatementSyntax[] replacements)
    {
        // Top-level statements live inside GlobalStatementSyntax nodes.
        if (statement.Parent is GlobalStatementSyntax global)
        {
            var globals = new SyntaxNode[replacements.Length];
            for (var i = 0; i < replacements.Length; i++)
            {
                globals[i] = SyntaxFactory.GlobalStatement(replacements[i]);
            }

            return root.ReplaceNode(global, globals);
        }

        if (statement.Parent is BlockSyntax or SwitchSectionSyntax)
        {
            return root.ReplaceNode(statement, replacements);
        }

        // An embedded statement (`else app.UseDeveloperExceptionPage();`) becomes a block.
        return root.ReplaceNode(statement, SyntaxFactory.Block(replacements).WithAdditionalAnnotations(Formatter.Annotation));
    }

    // No environment in scope: ask the application's services, which always hold IWebHostEnvironment.
    private static ExpressionSyntax ResolveFromServices(ExpressionSyntax receiver)
        => SyntaxFactory.ParseExpression(receiver.WithoutTrivia().ToString() + ".ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment()");

    private static CompilationUnitSyntax AddExtensionImport(SemanticModel model, int position, HostEnvironment? environment, SyntaxNode root)
    {
        var unit = (CompilationUnitSyntax)root;
        if (environment is not { } env || Imports.Binds(model, position, env.IsDevelopmentCall()))
        {
            return unit;
        }

        return Imports.Add(unit, env.ExtensionNamespace);
    }

    /// <summary>The statement the fix rewrites, when the call's shape allows one.</summary>
    private sealed class WrapTarget
    {
        private WrapTarget(StatementSyntax statement, bool isChained)
        {
            Statement = statement;
            IsChained = isChained;
        }

        public StatementSyntax Statement { get; }

        public bool IsChained { get; }

        public static WrapTarget? Find(InvocationExpressionSyntax invocation)
        {
            if (invocation.Parent is ExpressionStatementSyntax statement)
            {
                return new WrapTarget(statement, isChained: false);
            }

            // Chained: the receiver must be a plain name so that splitting the chain does not evaluate it twice.
            if (invocation.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax }
                && invocation.Parent is MemberAccessExpressionSyntax
                && invocation.FirstAncestorOrSelf<StatementSyntax>() is ExpressionStatementSyntax chained
                && IsInnermostReceiver(invocation, chained))
            {
                return new WrapTarget(chained, isChained: true);
            }

            return null;
        }

        private static bool IsInnermostReceiver(InvocationExpressionSyntax invocation, ExpressionStatementSyntax statement)
        {
            // Walk up through `.Name(...)` links only: the call must be the start of the statement's chain.
            SyntaxNode current = invocation;
            while (current.Parent is MemberAccessExpressionSyntax access && access.Expression == current && access.Parent is InvocationExpressionSyntax next)
            {
                current = next;
            }

            return current.Parent == statement;
        }
    }
}
