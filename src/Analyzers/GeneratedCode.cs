using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace ServerErrors.Analyzers;

/// <summary>
/// How every analyzer treats generated code: <c>context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags)</c>, and
/// <see cref="IsGeneratedElsewhere"/> where a rule reports at code outside the declaration it analyzes.
/// </summary>
/// <remarks>
/// We never analyze generated code, and the driver guarantees most of that by itself: without
/// <see cref="GeneratedCodeAnalysisFlags.Analyze"/> it runs none of our callbacks (operation, syntax node, symbol) on a
/// declaration that is generated — a *.g.cs/*.designer.cs file, an <c>&lt;auto-generated&gt;</c> header,
/// <c>generated_code = true</c> in .editorconfig, <c>[GeneratedCode]</c> on the symbol or a containing type.
/// <para>
/// Without <see cref="GeneratedCodeAnalysisFlags.ReportDiagnostics"/> the driver would also check every diagnostic we
/// report (<c>AnalyzerDriver.IsInGeneratedCode</c>), and on the first diagnostic of each file that walks all the
/// file's tokens looking for <c>GeneratedCode</c> attributes: about half of the cost of the analyzer that reports first
/// in a file on the dense benchmark (docs/performance.md). For a location inside the analyzed declaration that check is
/// redundant (the declaration is not generated, or no callback ran). Compilation-end rules (SE2006, SE0001) report
/// locations collected by such callbacks. The few rules that report elsewhere — SE2001 at a predicate lambda in a field
/// or method of another class, SE1002 at an attribute on another part of a partial type — ask
/// <see cref="IsGeneratedElsewhere"/> / <see cref="IsInGeneratedFile"/> before reporting (tests/…/GeneratedCodeTests.cs).
/// </para>
/// <para>
/// <c>Analyze | ReportDiagnostics</c> with our own <c>IsGeneratedCode</c> check per callback would not do: when every
/// analyzer of a compilation sets both flags the driver treats all code as non-generated and the contexts'
/// <c>IsGeneratedCode</c> stays false; it would also run our callbacks on generated code only to return.
/// </para>
/// </remarks>
internal static class GeneratedCode
{
    public const GeneratedCodeAnalysisFlags Flags = GeneratedCodeAnalysisFlags.ReportDiagnostics;

    /// <summary>
    /// True when <paramref name="reported"/> (what a rule is about to report) lies in generated code although the
    /// declaration around <paramref name="analyzed"/> (the callback's own code, which the driver vouches for) does not:
    /// another file, or another member. <paramref name="model"/> is the semantic model of <paramref name="reported"/>'s tree.
    /// </summary>
    public static bool IsGeneratedElsewhere(SyntaxNode reported, SemanticModel? model, SyntaxNode analyzed, Compilation compilation, CancellationToken cancellationToken)
    {
        if (reported.SyntaxTree == analyzed.SyntaxTree && Member(analyzed) is { } member && member.Span.Contains(reported.Span) && !IsHidden(reported))
        {
#if DEBUG
            // The driver ran our callback on this member, so it is not generated; our reading of the rules must agree.
            if (IsGenerated(reported, model, compilation, cancellationToken))
            {
                throw new InvalidOperationException("GeneratedCode: the driver analyzed a member that IsGenerated calls generated: " + reported.GetLocation());
            }
#endif
            return false;
        }

        return IsGenerated(reported, model, compilation, cancellationToken);
    }

    /// <summary>The driver's test for a location (<c>AnalyzerDriver.IsInGeneratedCode</c>), which Roslyn does not expose.</summary>
    private static bool IsGenerated(SyntaxNode node, SemanticModel? model, Compilation compilation, CancellationToken cancellationToken)
    {
        if (IsInGeneratedFile(node, compilation, cancellationToken))
        {
            return true;
        }

        if (model is null)
        {
            return false;
        }

        // [GeneratedCode] on a declaration around the node, including the other parts of a partial type.
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax and not BaseFieldDeclarationSyntax and not GlobalStatementSyntax
                or VariableDeclaratorSyntax { Parent.Parent: BaseFieldDeclarationSyntax }
                or AccessorDeclarationSyntax
                or LocalFunctionStatementSyntax)
            {
                if (model.GetDeclaredSymbol(current, cancellationToken) is { } symbol && HasGeneratedCodeAttribute(symbol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The node is in a file the driver treats as generated, or in a <c>#line hidden</c> region.</summary>
    public static bool IsInGeneratedFile(SyntaxNode node, Compilation compilation, CancellationToken cancellationToken)
        => IsGeneratedTree(node.SyntaxTree, compilation, cancellationToken) || IsHidden(node);

    /// <summary>
    /// Whether the driver treats the whole file as generated: <c>generated_code</c> in .editorconfig where it is set,
    /// otherwise a generated file name or an <c>&lt;auto-generated&gt;</c> comment at the top of the file.
    /// </summary>
    private static bool IsGeneratedTree(SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
    {
        switch (compilation.Options.SyntaxTreeOptionsProvider?.IsGenerated(tree, cancellationToken))
        {
            case GeneratedKind.MarkedGenerated:
                return true;
            case GeneratedKind.NotGenerated:
                return false;
        }

        return HasGeneratedFileName(tree.FilePath) || BeginsWithAutoGeneratedComment(tree, cancellationToken);
    }

    private static bool HasGeneratedFileName(string? path)
    {
        if (path is null || path.Length == 0)
        {
            return false;
        }

        var name = System.IO.Path.GetFileName(path);
        if (name.StartsWith("TemporaryGeneratedFile_", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var extension = System.IO.Path.GetExtension(name);
        if (extension.Length == 0)
        {
            return false;
        }

        var stem = name.Substring(0, name.Length - extension.Length);
        return stem.EndsWith(".designer", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith(".generated", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith(".g", StringComparison.OrdinalIgnoreCase)
            || stem.EndsWith(".g.i", StringComparison.OrdinalIgnoreCase);
    }

    private static bool BeginsWithAutoGeneratedComment(SyntaxTree tree, CancellationToken cancellationToken)
    {
        foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                var text = trivia.ToString();
                if (text.IndexOf("<autogenerated", StringComparison.Ordinal) >= 0 || text.IndexOf("<auto-generated", StringComparison.Ordinal) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    // `#line hidden` regions: the driver filters diagnostics that start in one.
    private static bool IsHidden(SyntaxNode node)
        => node.SyntaxTree.HasHiddenRegions()
            && node.SyntaxTree.GetLineVisibility(node.SpanStart) is LineVisibility.Hidden or LineVisibility.BeforeFirstLineDirective;

    private static bool HasGeneratedCodeAttribute(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            foreach (var attribute in current.GetAttributes())
            {
                if (attribute.AttributeClass is { Name: "GeneratedCodeAttribute", ContainingNamespace: { Name: "Compiler", ContainingNamespace: { Name: "CodeDom", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } })
                {
                    return true;
                }
            }
        }

        return false;
    }

    // The member whose callback runs: a method, property, field, type… (top-level statements: none, the whole file).
    private static SyntaxNode? Member(SyntaxNode node)
    {
        for (var current = node; current is not null; current = current.Parent)
        {
            if (current is MemberDeclarationSyntax and not BaseNamespaceDeclarationSyntax and not GlobalStatementSyntax)
            {
                return current;
            }
        }

        return null;
    }
}
