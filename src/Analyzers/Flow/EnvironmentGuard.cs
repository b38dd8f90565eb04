using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>How an operation relates to the host environment checks around it.</summary>
internal enum GuardState
{
    /// <summary>It runs only in Development (or a custom, deliberately chosen environment).</summary>
    Guarded,

    /// <summary>No condition of any kind decides whether it runs: it runs in every environment.</summary>
    Unguarded,

    /// <summary>A condition decides whether it runs, but it does not prove a development environment.</summary>
    Conditional,
}

/// <summary>
/// Decides whether an operation only runs when the host environment is Development (or a custom,
/// deliberately chosen environment): it sits in the true branch of an <c>IsDevelopment()</c> check,
/// the false branch of a negated one, a <c>switch</c> case on <c>EnvironmentName</c>, or after an early exit
/// taken when the check fails. <c>EnvironmentName == "Docker"</c> (any side, <c>string.Equals</c>,
/// <c>Equals(…, StringComparison…)</c>) is a custom environment check like <c>IsEnvironment("Docker")</c>.
/// </summary>
internal static class EnvironmentGuard
{
    private const string Development = "Development";

    public static bool IsGuarded(IOperation operation) => Classify(operation) == GuardState.Guarded;

    /// <summary>Whether <paramref name="operation"/> is guarded, unguarded, or under a condition that does not prove Development.</summary>
    public static GuardState Classify(IOperation operation) => Classify(operation, developmentOnly: false);

    /// <summary>
    /// True when <paramref name="operation"/> is guarded by a check that holds in Development itself (<c>IsDevelopment()</c>,
    /// <c>!IsProduction()</c>, <c>EnvironmentName == "Development"</c>), so that forcing the environment name to
    /// Development makes it run everywhere. Custom environments (<c>IsEnvironment("Local")</c>) do not count.
    /// </summary>
    public static bool IsGuardedByDevelopmentCheck(IOperation operation) => Classify(operation, developmentOnly: true) == GuardState.Guarded;

    private static GuardState Classify(IOperation operation, bool developmentOnly)
    {
        var state = GuardState.Unguarded;
        var child = operation;
        for (var parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when !ReferenceEquals(child, conditional.Condition):
                    var inTrueBranch = ReferenceEquals(child, conditional.WhenTrue);
                    if (Implies(conditional.Condition, inTrueBranch, developmentOnly))
                    {
                        return GuardState.Guarded;
                    }

                    state = GuardState.Conditional;
                    break;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction when ReferenceEquals(child, conjunction.RightOperand):
                    if (Implies(conjunction.LeftOperand, whenValue: true, developmentOnly))
                    {
                        return GuardState.Guarded;
                    }

                    state = GuardState.Conditional;
                    break;

                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction when ReferenceEquals(child, disjunction.RightOperand):
                    if (Implies(disjunction.LeftOperand, whenValue: false, developmentOnly))
                    {
                        return GuardState.Guarded;
                    }

                    state = GuardState.Conditional;
                    break;

                case ISwitchCaseOperation switchCase when parent.Parent is ISwitchOperation switchStatement:
                    if (CaseImpliesDevelopment(switchStatement.Value, switchCase, developmentOnly))
                    {
                        return GuardState.Guarded;
                    }

                    state = GuardState.Conditional;
                    break;

                case ICoalesceOperation coalesce when ReferenceEquals(child, coalesce.WhenNull):
                    state = GuardState.Conditional;
                    break;

                case IBlockOperation block:
                    switch (EarlyExitGuardBefore(block, child, developmentOnly))
                    {
                        case GuardState.Guarded:
                            return GuardState.Guarded;
                        case GuardState.Conditional:
                            state = GuardState.Conditional;
                            break;
                    }

                    break;
            }
        }

        return state;
    }

    /// <summary>True when <paramref name="condition"/> evaluating to <paramref name="whenValue"/> proves a development environment.</summary>
    public static bool Implies(IOperation condition, bool whenValue) => Implies(condition, whenValue, developmentOnly: false);

    private static bool Implies(IOperation condition, bool whenValue, bool developmentOnly)
    {
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                return Implies(not.Operand, !whenValue, developmentOnly);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } conjunction:
                return whenValue
                    ? Implies(conjunction.LeftOperand, true, developmentOnly) || Implies(conjunction.RightOperand, true, developmentOnly)
                    : Implies(conjunction.LeftOperand, false, developmentOnly) && Implies(conjunction.RightOperand, false, developmentOnly);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } disjunction:
                return whenValue
                    ? Implies(disjunction.LeftOperand, true, developmentOnly) && Implies(disjunction.RightOperand, true, developmentOnly)
                    : Implies(disjunction.LeftOperand, false, developmentOnly) || Implies(disjunction.RightOperand, false, developmentOnly);

            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                return ImpliesFromComparison(comparison, whenValue, developmentOnly);

            case IParenthesizedOperation parenthesized:
                return Implies(parenthesized.Operand, whenValue, developmentOnly);

            case IConversionOperation { IsImplicit: true } conversion:
                return Implies(conversion.Operand, whenValue, developmentOnly);

            case IConditionalAccessOperation access:
                // `env?.IsDevelopment() == true`: the value is the call's.
                return Implies(access.WhenNotNull, whenValue, developmentOnly);

            case ILocalReferenceOperation local:
                // `var isDev = env.IsDevelopment(); if (isDev) …`
                var initializer = local.Local.IsRef ? null : OperationTree.SingleInitializer(local.Local, local);
                return initializer is not null && Implies(initializer, whenValue, developmentOnly);

            case IInvocationOperation invocation:
                return ImpliesFromEnvironmentCheck(invocation, whenValue, developmentOnly);

            case IInvalidOperation:
                // A condition that does not bind yet (code being typed): assume it is a guard rather than guess.
                return !developmentOnly;

            default:
                return false;
        }
    }

    private static bool ImpliesFromEnvironmentCheck(IInvocationOperation invocation, bool whenValue, bool developmentOnly)
    {
        var method = invocation.TargetMethod;

        // `string.Equals(env.EnvironmentName, "Docker")`, `env.EnvironmentName.Equals("Docker", StringComparison.OrdinalIgnoreCase)`.
        if (method.Name == "Equals" && method.ContainingType?.SpecialType == SpecialType.System_String)
        {
            IOperation? left = null;
            IOperation? right = null;
            if (method.IsStatic && invocation.Arguments.Length >= 2)
            {
                left = invocation.Arguments[0].Value;
                right = invocation.Arguments[1].Value;
            }
            else if (!method.IsStatic && invocation.Instance is { } instance && invocation.Arguments.Length >= 1)
            {
                left = instance;
                right = invocation.Arguments[0].Value;
            }

            return left is not null && right is not null && ImpliesFromNameComparison(left, right, equal: whenValue, developmentOnly);
        }

        // The name first: most conditions are other calls, and the namespace test walks the containing namespaces.
        if (method.Name is not ("IsDevelopment" or "IsProduction" or "IsEnvironment") || !IsHostingNamespace(method.ContainingNamespace))
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
                var name = invocation.Arguments.Length > 0 ? EnvironmentNameConstant(invocation.Arguments[invocation.Arguments.Length - 1].Value) : null;
                return NameImplies(name, equal: true, developmentOnly);
            default:
                return false;
        }
    }

    private static bool ImpliesFromComparison(IBinaryOperation comparison, bool whenValue, bool developmentOnly)
    {
        var equal = comparison.OperatorKind == BinaryOperatorKind.Equals ? whenValue : !whenValue;

        // `env?.IsDevelopment() == true`
        if (comparison.RightOperand.WithoutConversions().ConstantValue is { HasValue: true, Value: true })
        {
            return equal && Implies(comparison.LeftOperand.WithoutConversions(), true, developmentOnly);
        }

        return ImpliesFromNameComparison(comparison.LeftOperand, comparison.RightOperand, equal, developmentOnly);
    }

    /// <summary><c>EnvironmentName</c> compared with a name, either side; <paramref name="equal"/>: the names are equal on this path.</summary>
    private static bool ImpliesFromNameComparison(IOperation left, IOperation right, bool equal, bool developmentOnly)
    {
        string? name;
        if (IsEnvironmentNameRead(left))
        {
            name = EnvironmentNameConstant(right);
        }
        else if (IsEnvironmentNameRead(right))
        {
            name = EnvironmentNameConstant(left);
        }
        else
        {
            return false;
        }

        return NameImplies(name, equal, developmentOnly);
    }

    private static bool NameImplies(string? name, bool equal, bool developmentOnly)
    {
        if (!equal)
        {
            // `EnvironmentName != "Production"` is `!IsProduction()`.
            return string.Equals(name, "Production", StringComparison.OrdinalIgnoreCase);
        }

        if (developmentOnly)
        {
            return string.Equals(name, Development, StringComparison.OrdinalIgnoreCase);
        }

        // A name that is not a constant (`IsEnvironment(settings.DebugEnvironment)`) is trusted as a deliberate
        // choice, as before; naming a shared environment is not a guard.
        return name is null || !IsShared(name);
    }

    private static bool CaseImpliesDevelopment(IOperation value, ISwitchCaseOperation switchCase, bool developmentOnly)
    {
        // `switch (env.EnvironmentName) { case "Development": … }`
        if (!IsEnvironmentNameRead(value) || switchCase.Clauses.Length == 0)
        {
            return false;
        }

        foreach (var clause in switchCase.Clauses)
        {
            if (clause is not ISingleValueCaseClauseOperation single || !NameImplies(EnvironmentNameConstant(single.Value), equal: true, developmentOnly))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True for a read of the host environment's name: <c>env.EnvironmentName</c> (also through <c>?.</c>), or
    /// <c>Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT")</c>/<c>"DOTNET_ENVIRONMENT"</c>.
    /// </summary>
    public static bool IsEnvironmentNameRead(IOperation operation)
    {
        operation = operation.WithoutConversions();
        if (operation is IConditionalAccessOperation access)
        {
            operation = access.WhenNotNull.WithoutConversions();
        }

        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "EnvironmentName" } property:
                return IsHostingNamespace(property.Property.ContainingType?.ContainingNamespace);
            case IInvocationOperation { TargetMethod.Name: "GetEnvironmentVariable", Arguments.Length: >= 1 } invocation
                when invocation.TargetMethod.ContainingType?.Name == "Environment" && invocation.TargetMethod.ContainingNamespace?.Name == "System":
                return invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: string variable }
                    && (string.Equals(variable, "ASPNETCORE_ENVIRONMENT", StringComparison.OrdinalIgnoreCase)
                        || string.Equals(variable, "DOTNET_ENVIRONMENT", StringComparison.OrdinalIgnoreCase));
            default:
                return false;
        }
    }

    /// <summary>
    /// The environment name <paramref name="operation"/> stands for: a string constant, or a field of
    /// <c>Environments</c>/<c>EnvironmentName</c> (static readonly, so they have no constant value).
    /// </summary>
    public static string? EnvironmentNameConstant(IOperation operation)
    {
        operation = operation.WithoutConversions();
        if (operation.ConstantValue is { HasValue: true, Value: string text })
        {
            return text;
        }

        return operation is IFieldReferenceOperation { Field: { IsStatic: true } field }
            && field.ContainingType?.Name is "Environments" or "EnvironmentName"
            && IsHostingNamespace(field.ContainingType.ContainingNamespace)
                ? field.Name
                : null;
    }

    private static bool IsHostingNamespace(INamespaceSymbol? ns)
        => SymbolNames.IsNamespace(ns, "Microsoft.Extensions.Hosting") || SymbolNames.IsNamespace(ns, "Microsoft.AspNetCore.Hosting");

    private static bool IsShared(string environment)
        => string.Equals(environment, "Production", StringComparison.OrdinalIgnoreCase)
        || string.Equals(environment, "Staging", StringComparison.OrdinalIgnoreCase);

    private static GuardState EarlyExitGuardBefore(IBlockOperation block, IOperation child, bool developmentOnly)
    {
        var state = GuardState.Unguarded;
        foreach (var statement in block.Operations)
        {
            if (ReferenceEquals(statement, child))
            {
                return state;
            }

            // `if (!env.IsDevelopment()) { …; return; }` — code after it runs only in Development.
            if (statement is IConditionalOperation { WhenFalse: null } guard && AlwaysExits(guard.WhenTrue))
            {
                if (Implies(guard.Condition, whenValue: false, developmentOnly))
                {
                    return GuardState.Guarded;
                }

                state = GuardState.Conditional;
            }
        }

        return state;
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
