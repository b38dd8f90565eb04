using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Decides whether an operation only runs when the host environment is Development (or a custom,
/// deliberately chosen environment): it sits in the true branch of an <c>IsDevelopment()</c> check,
/// the false branch of a negated one, or after an early exit taken when the check fails.
/// </summary>
internal static class EnvironmentGuard
{
    public static bool IsGuarded(IOperation operation)
    {
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when !ReferenceEquals(child, conditional.Condition):
                    var inTrueBranch = ReferenceEquals(child, conditional.WhenTrue);
                    if (Implies(conditional.Condition, inTrueBranch))
                    {
                        return true;
                    }

                    break;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when ReferenceEquals(child, conjunction.RightOperand):
                    if (Implies(conjunction.LeftOperand, whenValue: true))
                    {
                        return true;
                    }

                    break;

                case IBlockOperation block when HasEarlyExitGuardBefore(block, child):
                    return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="condition"/> evaluating to <paramref name="whenValue"/> proves a development environment.</summary>
    public static bool Implies(IOperation condition, bool whenValue)
    {
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Implies(not.Operand, !whenValue);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction:
                return whenValue
                    ? Implies(conjunction.LeftOperand, true) || Implies(conjunction.RightOperand, true)
                    : Implies(conjunction.LeftOperand, false) && Implies(conjunction.RightOperand, false);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction:
                return whenValue
                    ? Implies(disjunction.LeftOperand, true) && Implies(disjunction.RightOperand, true)
                    : Implies(disjunction.LeftOperand, false) || Implies(disjunction.RightOperand, false);

            case IParenthesizedOperation parenthesized:
                return Implies(parenthesized.Operand, whenValue);

            case IConversionOperation { IsImplicit: true } conversion:
                return Implies(conversion.Operand, whenValue);

            case ILocalReferenceOperation local:
                // `var isDev = env.IsDevelopment(); if (isDev) …`
                var initializer = local.Local.IsRef ? null : OperationTree.SingleInitializer(local.Local, local);
                return initializer is not null && Implies(initializer, whenValue);

            case IInvocationOperation invocation:
                return ImpliesFromEnvironmentCheck(invocation, whenValue);

            case IInvalidOperation:
                // A condition that does not bind yet (code being typed): assume it is a guard rather than guess.
                return true;

            default:
                return false;
        }
    }

    private static bool ImpliesFromEnvironmentCheck(IInvocationOperation invocation, bool whenValue)
    {
        var method = invocation.TargetMethod;
        var ns = method.ContainingNamespace?.ToDisplayString();
        if (ns is not ("Microsoft.Extensions.Hosting" or "Microsoft.AspNetCore.Hosting"))
        {
            return false;
        }

        switch (method.Name)
        {
            case "IsDevelopment":
                return whenValue;
            case "IsProduction":
                // `!IsProduction()` is a deliberate choice of the non-production environments.
                return !whenValue;
            case "IsEnvironment":
                if (!whenValue)
                {
                    return false;
                }

                // A custom environment ("Local", "Testing") is a deliberate choice; naming a shared one is not a guard.
                var name = invocation.Arguments.Length > 0 ? invocation.Arguments[invocation.Arguments.Length - 1].Value.ConstantValue : default;
                return !(name.HasValue && name.Value is string s && IsShared(s));
            default:
                return false;
        }
    }

    private static bool IsShared(string environment)
        => string.Equals(environment, "Production", System.StringComparison.OrdinalIgnoreCase)
        || string.Equals(environment, "Staging", System.StringComparison.OrdinalIgnoreCase);

    private static bool HasEarlyExitGuardBefore(IBlockOperation block, IOperation child)
    {
        foreach (var statement in block.Operations)
        {
            if (ReferenceEquals(statement, child))
            {
                return false;
            }

            // `if (!env.IsDevelopment()) { …; return; }` — code after it runs only in Development.
            if (statement is IConditionalOperation { WhenFalse: null } guard
                && AlwaysExits(guard.WhenTrue)
                && Implies(guard.Condition, whenValue: false))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AlwaysExits(IOperation branch)
    {
        while (branch is IBlockOperation block)
        {
            if (block.Operations.Length == 0)
            {
                return false;
            }

            branch = block.Operations[block.Operations.Length - 1];
        }

        return branch is IReturnOperation or IThrowOperation
            || branch is IExpressionStatementOperation { Operation: IThrowOperation }
            || branch is IBranchOperation { BranchKind: BranchKind.Break or BranchKind.Continue };
    }
}
