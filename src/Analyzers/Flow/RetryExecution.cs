using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// A Polly call that executes a delegate under a retry (SE2005, SE2006): <c>policy.Execute*(d)</c> on a Polly v7 policy or
/// <c>pipeline.Execute*(d)</c> on a Polly v8 pipeline, where the policy is built in view (inline, or the single initializer
/// of a local) by a v7 <c>Retry*</c>/<c>WaitAndRetry*</c> call or a v8 <c>AddRetry</c>. Policies from fields, parameters or
/// dependency injection are not visible: silent.
/// </summary>
internal static class RetryExecution
{
    /// <summary>
    /// The executed delegate when <paramref name="execute"/> runs it under a retry and it may call an HttpClient send
    /// method (<see cref="RetryLoopShape.MayCallSend"/>, a syntax check done before the policy is looked at: both rules
    /// look for sends in the delegate); null otherwise.
    /// </summary>
    public static IOperation? RetriedSendingDelegate(IInvocationOperation execute)
    {
        if (!execute.TargetMethod.Name.StartsWith("Execute", System.StringComparison.Ordinal)
            || execute.Instance is not { } instance
            || !IsPolly(execute.TargetMethod.ContainingType))
        {
            return null;
        }

        IOperation? executed = null;
        foreach (var argument in execute.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate)
            {
                executed = argument.Value.WithoutConversions();
                break;
            }
        }

        if (executed is null || !RetryLoopShape.MayCallSend(executed.Syntax))
        {
            return null;
        }

        var policy = instance.WithoutConversions();
        if (policy is ILocalReferenceOperation local)
        {
            policy = OperationTree.SingleInitializer(local.Local, policy);
        }

        return policy is not null && BuildsRetry(policy) ? executed : null;
    }

    private static bool IsPolly(INamedTypeSymbol? type)
    {
        for (var ns = type?.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (ns.Name == "Polly" && ns.ContainingNamespace.IsGlobalNamespace)
            {
                return true;
            }
        }

        return false;
    }

    private static bool BuildsRetry(IOperation policy)
    {
        foreach (var descendant in policy.DescendantsAndSelf())
        {
            if (descendant is IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                if (HttpClientRegistration.IsV7RetryMethod(method))
                {
                    return true;
                }

                if (method.Name == "AddRetry" && IsPolly(method.ContainingType))
                {
                    return true;
                }

                // CreateRetryPolicy().ExecuteAsync(…): a method of the application that builds the policy.
                if (ReferenceEquals(descendant, policy)
                    && method.DeclaringSyntaxReferences.Length == 1
                    && method.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax declaration
                    && HttpClientRegistration.SyntaxCallsRetry(declaration))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
