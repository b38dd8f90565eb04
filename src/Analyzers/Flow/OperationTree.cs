using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>Small operation-tree helpers that several rules need.</summary>
internal static class OperationTree
{
    /// <summary>The operation under any conversions and parentheses: <c>(object)(ex.Message)</c> → <c>ex.Message</c>.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The argument bound to the parameter named <paramref name="parameterName"/>, or null.</summary>
    public static IArgumentOperation? ArgumentFor(this IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName)
            {
                return argument;
            }
        }

        return null;
    }

    /// <summary>The root of the operation tree (the method body, lambda-containing member or initializer).</summary>
    public static IOperation Root(this IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    /// <summary>
    /// The initializer of <paramref name="local"/>, found in the operation tree of <paramref name="reference"/>, when
    /// the local is never assigned again as a whole (a value assigned later is not trusted); otherwise null.
    /// </summary>
    public static IOperation? SingleInitializer(ILocalSymbol local, IOperation reference)
    {
        if (local.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        IOperation? initializer = null;
        foreach (var descendant in reference.Root().Descendants())
        {
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    initializer = declarator.Initializer?.Value;
                    break;
                case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    return null;
            }
        }

        return initializer;
    }
}
