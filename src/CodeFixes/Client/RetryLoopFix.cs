using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.CodeFixes.Shared;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.CodeFixes.Client;

/// <summary>
/// What the hand-written retry loop fixes (SE2001-SE2004) need to know about a reported loop: its <see cref="RetryLoopShape"/>,
/// the function around it (async? what does it return? a cancellation token?), free names, and statement insertion that
/// leaves line breaks and indentation to the formatter.
/// </summary>
internal sealed class RetryLoopFix
{
    private RetryLoopFix(Document document, SemanticModel model, CompilationUnitSyntax root, StatementSyntax loop, RetryLoopShape shape)
    {
        Document = document;
        Model = model;
        Root = root;
        Loop = loop;
        Shape = shape;
    }

    public Document Document { get; }

    public SemanticModel Model { get; }

    public CompilationUnitSyntax Root { get; }

    /// <summary>The <c>for</c>/<c>while</c>/<c>do</c> statement.</summary>
    public StatementSyntax Loop { get; }

    public RetryLoopShape Shape { get; }

    /// <summary>The function around the loop is <c>async</c>.</summary>
    public bool IsAsync { get; private set; }

    /// <summary>What a <c>return</c> in the function returns (<c>T</c> of <c>Task&lt;T&gt;</c> in async functions); null for void/Task.</summary>
    public ITypeSymbol? ReturnType { get; private set; }

    /// <summary>A <c>CancellationToken</c> parameter of the function, when there is one.</summary>
    public string? CancellationToken { get; private set; }

    public bool ReturnsResponse => RetryCondition.IsHttpResponseMessage(ReturnType);

    /// <summary>The loop behind a loop diagnostic, or null when it is no longer a retry loop or the code is broken.</summary>
    public static async Task<RetryLoopFix?> CreateAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit || model is null)
        {
            return null;
        }

        var loop = root.FindToken(diagnostic.Location.SourceSpan.Start).Parent as StatementSyntax;
        if (loop is not (ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax) || loop.ContainsDiagnostics
            || model.GetOperation(loop, cancellationToken) is not ILoopOperation operation
            || RetryLoopShape.TryCreate(operation) is not { } shape)
        {
            return null;
        }

        var fix = new RetryLoopFix(document, model, unit, loop, shape);
        fix.ReadFunction(cancellationToken);
        return fix;
    }

    private void ReadFunction(CancellationToken cancellationToken)
    {
        foreach (var ancestor in Loop.Ancestors())
        {
            IMethodSymbol? function = null;
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    function = Model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol;
                    break;
                case LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                    function = Model.GetDeclaredSymbol(ancestor, cancellationToken) as IMethodSymbol;
                    break;
                default:
                    continue;
            }

            if (function is null)
            {
                return;
            }

            IsAsync = function.IsAsync;
            var returnType = function.ReturnType;
            if (IsAsync)
            {
                returnType = returnType is INamedTypeSymbol { TypeArguments.Length: 1, Name: "Task" or "ValueTask" } task ? task.TypeArguments[0] : null;
            }

            ReturnType = returnType?.SpecialType == SpecialType.System_Void ? null : returnType;
            foreach (var parameter in function.Parameters)
            {
                if (parameter.Type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } })
                {
                    CancellationToken = parameter.Name;
                }
            }

            return;
        }
    }

    /// <summary>A name that neither binds at the loop nor is declared inside it.</summary>
    public string FreeName(string preferred)
    {
        var declared = new HashSet<string>();
        foreach (var node in Loop.DescendantNodes())
        {
            switch (node)
            {
                case VariableDeclaratorSyntax declarator:
                    declared.Add(declarator.Identifier.ValueText);
                    break;
                case SingleVariableDesignationSyntax designation:
                    declared.Add(designation.Identifier.ValueText);
                    break;
                case CatchDeclarationSyntax catchDeclaration:
                    declared.Add(catchDeclaration.Identifier.ValueText);
                    break;
                case ParameterSyntax parameter:
                    declared.Add(parameter.Identifier.ValueText);
                    break;
            }
        }

        var name = preferred;
        for (var i = 1; declared.Contains(name) || Model.LookupSymbols(Loop.SpanStart, name: name).Length > 0; i++)
        {
            name = preferred + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>The response local is in scope (and assigned on the paths that reach) <paramref name="position"/>.</summary>
    public bool ResponseInScope(int position)
    {
        if (Shape.Response is not { } response)
        {
            return false;
        }

        foreach (var symbol in Model.LookupSymbols(position, name: response.Name))
        {
            if (SymbolEqualityComparer.Default.Equals(symbol, response))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Inside a try block (not its catches) that has catch clauses, within the loop: a throw there could be caught and retried.</summary>
    public bool InsideTryWithCatches(SyntaxNode node)
    {
        for (var current = node; current is not null && current != Loop; current = current.Parent)
        {
            if (current.Parent is TryStatementSyntax { Catches.Count: > 0 } @try && current == @try.Block)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Parses a statement and leaves its layout to the formatter.</summary>
    public static StatementSyntax Statement(string text)
    {
        var parsed = SyntaxFactory.ParseStatement(text);
        parsed = parsed.ReplaceTrivia(
            parsed.DescendantTrivia(),
            static (original, _) => original.IsKind(SyntaxKind.EndOfLineTrivia)
                ? SyntaxFactory.ElasticCarriageReturnLineFeed
                : original.IsKind(SyntaxKind.WhitespaceTrivia) ? SyntaxFactory.ElasticSpace : original);
        return parsed
            .WithLeadingTrivia(SyntaxFactory.ElasticMarker)
            .WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed)
            .WithAdditionalAnnotations(Formatter.Annotation);
    }

    public async Task<DocumentEditor> EditorAsync(CancellationToken cancellationToken)
        => await DocumentEditor.CreateAsync(Document, cancellationToken).ConfigureAwait(false);

    /// <summary>Declares <c>var <paramref name="name"/> = 0;</c> before the loop.</summary>
    public bool DeclareCounterBeforeLoop(DocumentEditor editor, string name)
    {
        if (Loop.Parent is not BlockSyntax)
        {
            return false;
        }

        editor.InsertBefore(Loop, Statement($"var {name} = 0;"));
        return true;
    }

    /// <summary>Inserts statements before <paramref name="statement"/>, wrapping it in a block when it is an embedded statement.</summary>
    public static void InsertBefore(DocumentEditor editor, StatementSyntax statement, params StatementSyntax[] inserted)
    {
        if (statement.Parent is BlockSyntax)
        {
            editor.InsertBefore(statement, inserted);
            return;
        }

        var statements = new List<StatementSyntax>(inserted) { statement.WithoutTrivia() };
        editor.ReplaceNode(statement, SyntaxFactory.Block(statements).WithTriviaFrom(statement).WithAdditionalAnnotations(Formatter.Annotation));
    }

    /// <summary>Inserts statements into <paramref name="block"/> at <paramref name="index"/>.</summary>
    public static void InsertAt(DocumentEditor editor, BlockSyntax block, int index, params StatementSyntax[] inserted)
    {
        if (index < block.Statements.Count)
        {
            editor.InsertBefore(block.Statements[index], inserted);
        }
        else if (block.Statements.Count > 0)
        {
            editor.InsertAfter(block.Statements[block.Statements.Count - 1], inserted);
        }
        else
        {
            editor.ReplaceNode(block, (node, _) => ((BlockSyntax)node).AddStatements(inserted).WithAdditionalAnnotations(Formatter.Annotation));
        }
    }

    /// <summary>Index in the loop body before the trailing <c>Task.Delay</c>/<c>Thread.Sleep</c> statements: give up before waiting.</summary>
    public int EndIndexBeforeDelays(BlockSyntax body)
    {
        var index = body.Statements.Count;
        while (index > 0 && IsDelayStatement(body.Statements[index - 1]))
        {
            index--;
        }

        return index;
    }

    private bool IsDelayStatement(StatementSyntax statement)
    {
        foreach (var delay in Shape.Delays)
        {
            if (statement.Span.Contains(delay.Syntax.Span) && statement is ExpressionStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A position inside <paramref name="block"/> where its locals are in scope.</summary>
    public static int PositionIn(BlockSyntax block, int index)
        => block.Statements.Count == 0 ? block.CloseBraceToken.SpanStart
            : block.Statements[index < block.Statements.Count ? index : block.Statements.Count - 1].SpanStart;

    /// <summary>The syntax where a retry point turns into the next attempt: a catch clause, a continue statement or the loop body.</summary>
    public static SyntaxNode PointSyntax(IOperation point) => point.Syntax;

    /// <summary>Formats the annotated nodes and adds the usings the new code needs.</summary>
    public async Task<Document> FinishAsync(DocumentEditor editor, IEnumerable<(string Namespace, string Probe)> imports, CancellationToken cancellationToken)
    {
        var newRoot = (CompilationUnitSyntax)editor.GetChangedRoot();
        foreach (var (ns, probe) in imports)
        {
            newRoot = Imports.AddIfMissing(newRoot, Model, Loop.SpanStart, ns, probe);
        }

        var changed = Document.WithSyntaxRoot(newRoot);
        return await Formatter.FormatAsync(changed, Formatter.Annotation, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The source text of a delay's first argument as milliseconds (a number): the constant, the number, or <c>x.TotalMilliseconds</c>.</summary>
    public string BaseMilliseconds(IInvocationOperation delay)
    {
        Shape.ClassifyDelay(delay, out var constant);
        if (constant is { } ms && ms > 0)
        {
            return ms.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        }

        var argument = delay.Arguments[0].Value;
        while (argument is IConversionOperation { IsImplicit: true } conversion)
        {
            argument = conversion.Operand;
        }

        var text = argument.Syntax.ToString();
        var simple = argument.Syntax is IdentifierNameSyntax or MemberAccessExpressionSyntax or LiteralExpressionSyntax or InvocationExpressionSyntax or ParenthesizedExpressionSyntax;
        if (argument.Type is { Name: "TimeSpan" })
        {
            return (simple ? text : "(" + text + ")") + ".TotalMilliseconds";
        }

        return simple ? text : "(" + text + ")";
    }

    /// <summary><c>TimeSpan.FromMilliseconds(Math.Min(base * Math.Pow(2, attempt), cap))</c>.</summary>
    public static string ExponentialDelay(string baseMilliseconds, string attempt)
    {
        var cap = double.TryParse(baseMilliseconds, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value) && value * 8 > 30000
            ? (value * 8).ToString("0", System.Globalization.CultureInfo.InvariantCulture)
            : "30000";
        return $"TimeSpan.FromMilliseconds(Math.Min({baseMilliseconds} * Math.Pow(2, {attempt}), {cap}))";
    }

    /// <summary>A delay statement of the function's flavour: <c>await Task.Delay(x, ct);</c> or <c>Thread.Sleep(x);</c>.</summary>
    public string DelayStatement(string delay)
        => IsAsync
            ? CancellationToken is { } token ? $"await Task.Delay({delay}, {token});" : $"await Task.Delay({delay});"
            : $"Thread.Sleep({delay});";
}
