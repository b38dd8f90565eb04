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
}
