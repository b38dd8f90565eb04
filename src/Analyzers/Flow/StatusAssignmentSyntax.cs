using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// A helper's <c>context.Response.StatusCode = (int)code;</c> read from its syntax and the declared types of its
/// parameters and their members, without binding its body (<see cref="ResponseHelper.StatusOf"/>).
/// </summary>
/// <remarks>
/// A caller is analysed before the driver reaches the helper; binding the helper then (with its nullable analysis) is
/// the driver's work done inside our action. This reading answers when every <c>StatusCode</c> assignment of the body is
/// a member chain from a parameter, the value is a parameter under casts and parentheses, and nothing in the body can
/// write a Retry-After header. Anything else (a field or local receiver, a lambda, an initializer, <c>?.</c>, an
/// <c>Add</c> or an indexer that could write the header) returns false and the helper is bound. The Debug build checks every
/// answer against the bound body.
/// </remarks>
internal static class StatusAssignmentSyntax
{
    /// <summary>True when <paramref name="status"/> is what the bound body would give; false when only binding can tell.</summary>
    public static bool TryRead(Compilation compilation, IMethodSymbol method, SyntaxNode declaration, WellKnownTypes types, out HelperStatus status)
    {
        status = HelperStatus.None;
        if (!compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            // Not bound either (ExceptionTaint.GetBody).
            return true;
        }

        if (declaration is not (BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }
            or LocalFunctionStatementSyntax { Body: not null } or LocalFunctionStatementSyntax { ExpressionBody: not null })
            || (RetryAfterHeader.Scan(declaration, 0) & RetryAfterHeader.SyntaxFacts.WriteAfter) != 0)
        {
            return false;
        }

        foreach (var token in declaration.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != "StatusCode" || token.Parent is not IdentifierNameSyntax name)
            {
                continue;
            }

            switch (name.Parent)
            {
                case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression } access when access.Name == name:
                    if (access.Parent is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment || assignment.Left != access)
                    {
                        // A read, a compound assignment or a deconstruction: no simple assignment to look at.
                        continue;
                    }

                    if (!TryReadAssignment(method, declaration, assignment, access, types, out var parameter, out var value))
                    {
                        return false;
                    }

                    if (parameter < 0)
                    {
                        continue;
                    }

                    if (status.Parameter >= 0)
                    {
                        // Several status assignments: not followed (as from the operations).
                        status = HelperStatus.None;
                        return true;
                    }

                    status = new HelperStatus(parameter, assignment, value);
                    break;

                case AssignmentExpressionSyntax other when other.Left == name:
                case MemberBindingExpressionSyntax:
                    // `new X { StatusCode = … }`, an implicit `this`, `a?.StatusCode = …`: the target needs binding.
                    return false;
            }
        }

        return true;
    }

    /// <summary>
    /// False when <paramref name="assignment"/> needs binding; else <paramref name="parameter"/> is the ordinal of the
    /// parameter it stores into an <c>HttpResponse.StatusCode</c>, or -1 when it stores something else or into another
    /// property.
    /// </summary>
    private static bool TryReadAssignment(IMethodSymbol method, SyntaxNode declaration, AssignmentExpressionSyntax assignment, MemberAccessExpressionSyntax target, WellKnownTypes types, out int parameter, out SyntaxNode? value)
    {
        parameter = -1;
        value = null;
        for (var node = assignment.Parent; node is not null && node != declaration; node = node.Parent)
        {
            if (node is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                // Names there can be the function's own parameters or captured ones.
                return false;
            }
        }

        if (ReceiverType(method, target.Expression) is not { } receiver
            || Member(receiver, "StatusCode") is not IPropertySymbol { SetMethod: not null } property)
        {
            return false;
        }

        if (!types.IsA(property.ContainingType, WellKnownType.Microsoft_AspNetCore_Http_HttpResponse))
        {
            return true;
        }

        var read = assignment.Right;
        while (read is ParenthesizedExpressionSyntax or CastExpressionSyntax)
        {
            read = read is ParenthesizedExpressionSyntax parenthesized ? parenthesized.Expression : ((CastExpressionSyntax)read).Expression;
        }

        switch (read)
        {
            case IdentifierNameSyntax identifier:
                // Not in a nested function: a name of one of the method's parameters is that parameter (a local
                // cannot take a parameter's name).
                foreach (var candidate in method.Parameters)
                {
                    if (candidate.Name == identifier.Identifier.ValueText)
                    {
                        parameter = candidate.Ordinal;
                        value = identifier;
                    }
                }

                return true;
            case RefExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } or CheckedExpressionSyntax:
                // Operations without a node of their own around the parameter: not followed here.
                return false;
            default:
                // A constant, a call, a member, an operator: not a parameter reference.
                return true;
        }
    }

    /// <summary>The declared type of <c>p</c>, <c>p.A</c>, <c>p.A.B</c> for a parameter <c>p</c>; null when binding is needed.</summary>
    private static ITypeSymbol? ReceiverType(IMethodSymbol method, ExpressionSyntax receiver)
    {
        switch (receiver)
        {
            case IdentifierNameSyntax identifier:
                foreach (var parameter in method.Parameters)
                {
                    // `HttpContext HttpContext`: the name can also mean the type (color color); not followed.
                    if (parameter.Name == identifier.Identifier.ValueText && parameter.Type.Name != parameter.Name)
                    {
                        return parameter.Type;
                    }
                }

                return null;
            case MemberAccessExpressionSyntax { RawKind: (int)SyntaxKind.SimpleMemberAccessExpression, Name: IdentifierNameSyntax name } access:
                return ReceiverType(method, access.Expression) is { } type
                    ? Member(type, name.Identifier.ValueText) switch
                    {
                        IPropertySymbol { IsIndexer: false } property => property.Type,
                        IFieldSymbol field => field.Type,
                        _ => null,
                    }
                    : null;
            default:
                return null;
        }
    }

    /// <summary>
    /// The public instance property or field <paramref name="name"/> that member lookup finds on <paramref name="type"/>
    /// (the nearest declaration along the base types); null when it is not exactly one such member.
    /// </summary>
    private static ISymbol? Member(ITypeSymbol type, string name)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct })
        {
            // Interfaces (members from several bases), type parameters, dynamic, errors: binding decides.
            return null;
        }

        for (ITypeSymbol? current = type; current is not null; current = current.BaseType)
        {
            var members = current.GetMembers(name);
            if (members.Length == 0)
            {
                continue;
            }

            return members.Length == 1 && members[0] is IPropertySymbol or IFieldSymbol && members[0] is { IsStatic: false, DeclaredAccessibility: Accessibility.Public }
                ? members[0]
                : null;
        }

        return null;
    }
}
