using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Where a retry policy (Polly v7) or a retry strategy (Polly v8 options) ends up being executed: the delegates passed to
/// <c>Execute*</c> on the policy, on a wrap that contains it (<c>Policy.WrapAsync(retry, timeout)</c>, <c>fallback.WrapAsync(retry)</c>),
/// on the pipeline built from the options (<c>new ResiliencePipelineBuilder().AddRetry(options)…Build()</c>), following locals
/// of the same body and fields/properties of the same type. Bounded; a policy returned to callers is not followed.
/// </summary>
internal sealed class PolicyExecution
{
    private const int MaxHops = 8;
    private const int MaxResults = 16;

    private readonly Compilation _compilation;
    private readonly CancellationToken _cancellationToken;
    private readonly List<IOperation> _delegates = new();
    private readonly HashSet<ISymbol> _visited = new(SymbolEqualityComparer.Default);

    private PolicyExecution(Compilation compilation, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _cancellationToken = cancellationToken;
    }

    /// <summary>The delegates executed by the policy that <paramref name="policy"/> produces.</summary>
    public static List<IOperation> OfPolicy(IOperation policy, Compilation compilation, CancellationToken cancellationToken)
    {
        var execution = new PolicyExecution(compilation, cancellationToken);
        execution.FollowPolicy(policy, MaxHops);
        return execution._delegates;
    }

    /// <summary>The delegates executed by pipelines built with the Polly v8 retry options that <paramref name="options"/> creates.</summary>
    public static List<IOperation> OfRetryOptions(IOperation options, Compilation compilation, CancellationToken cancellationToken)
    {
        var execution = new PolicyExecution(compilation, cancellationToken);
        execution.FollowOptions(options, MaxHops);
        return execution._delegates;
    }

    /// <summary>What the executed delegates do with HttpClient, through the application's helpers.</summary>
    public static HttpReachFacts Reach(List<IOperation> delegates, Compilation compilation, CancellationToken cancellationToken)
    {
        var facts = HttpReachFacts.None;
        foreach (var executed in delegates)
        {
            facts |= HttpReach.Of(executed, compilation, cancellationToken);
        }

        return facts;
    }

    private void FollowOptions(IOperation options, int hops)
    {
        if (hops <= 0 || _delegates.Count >= MaxResults)
        {
            return;
        }

        var (value, parent) = Up(options);
        switch (parent)
        {
            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "AddRetry" } addRetry }:
                FollowBuilder(addRetry, hops - 1);
                break;
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                foreach (var reference in LocalReferences(declarator.Symbol, value))
                {
                    FollowOptions(reference, hops - 1);
                }

                break;
        }
    }

    // A builder call (AddRetry, AddTimeout…): on to Build(), through a builder stored in a local.
    private void FollowBuilder(IInvocationOperation call, int hops)
    {
        for (var depth = 0; hops > 0 && depth < 16; depth++, hops--)
        {
            var (value, parent) = Up(call);
            if (parent is IInvocationOperation next && ReferenceEquals(next.Instance, value))
            {
                if (next.TargetMethod.Name == "Build")
                {
                    FollowPolicy(next, hops - 1);
                    return;
                }

                call = next;
                continue;
            }

            // Builder extensions (AddRetry, AddTimeout…) take the builder as their first argument.
            if (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } extension } argument
                && extension.Arguments.Length > 0 && ReferenceEquals(extension.Arguments[0], argument))
            {
                call = extension;
                continue;
            }

            break;
        }

        // builder.AddRetry(options); … builder.Build()
        if (Receiver(call)?.WithoutConversions() is ILocalReferenceOperation builder && _visited.Add(builder.Local))
        {
            foreach (var reference in LocalReferences(builder.Local, call))
            {
                if (reference.Parent is IInvocationOperation { TargetMethod.Name: "Build" } build && ReferenceEquals(build.Instance, reference))
                {
                    FollowPolicy(build, hops - 1);
                }
            }
        }
    }

    private void FollowPolicy(IOperation policy, int hops)
    {
        if (hops <= 0 || _delegates.Count >= MaxResults)
        {
            return;
        }

        var (value, parent) = Up(policy);
        switch (parent)
        {
            case IInvocationOperation call when ReferenceEquals(call.Instance, value):
                if (call.TargetMethod.Name.StartsWith("Execute", System.StringComparison.Ordinal))
                {
                    AddDelegates(call);
                }
                else if (call.TargetMethod.Name is "Wrap" or "WrapAsync")
                {
                    FollowPolicy(call, hops - 1);
                }

                break;

            case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Wrap" or "WrapAsync" } wrap }:
                FollowPolicy(wrap, hops - 1);
                break;

            // Policy.WrapAsync(retry, timeout): a params array.
            case IArrayInitializerOperation { Parent: IArrayCreationOperation { Parent: IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Wrap" or "WrapAsync" } paramsWrap } } }:
                FollowPolicy(paramsWrap, hops - 1);
                break;

            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } when _visited.Add(declarator.Symbol):
                foreach (var reference in LocalReferences(declarator.Symbol, value))
                {
                    FollowPolicy(reference, hops - 1);
                }

                break;

            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation local } assignment when ReferenceEquals(assignment.Value, value) && _visited.Add(local.Local):
                foreach (var reference in LocalReferences(local.Local, value))
                {
                    FollowPolicy(reference, hops - 1);
                }

                break;

            case ISimpleAssignmentOperation { Target: IMemberReferenceOperation member } assignment when ReferenceEquals(assignment.Value, value):
                FollowMember(member.Member, hops - 1);
                break;

            case IFieldInitializerOperation fieldInitializer:
                foreach (var field in fieldInitializer.InitializedFields)
                {
                    FollowMember(field, hops - 1);
                }

                break;

            case IPropertyInitializerOperation propertyInitializer:
                foreach (var property in propertyInitializer.InitializedProperties)
                {
                    FollowMember(property, hops - 1);
                }

                break;
        }
    }

    private void AddDelegates(IInvocationOperation execute)
    {
        foreach (var argument in execute.Arguments)
        {
            if (argument.Parameter?.Type.TypeKind == TypeKind.Delegate && !argument.IsImplicit)
            {
                _delegates.Add(argument.Value);
            }
        }
    }

    /// <summary>The uses of a field or property holding the policy, in the declarations of its type (no wider).</summary>
    private void FollowMember(ISymbol member, int hops)
    {
        if (hops <= 0 || member is not (IFieldSymbol or IPropertySymbol) || member.ContainingType is not { } type || !_visited.Add(member))
        {
            return;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var tree = reference.SyntaxTree;
            if (!_compilation.ContainsSyntaxTree(tree))
            {
                continue;
            }

            var declaration = reference.GetSyntax(_cancellationToken);
            SemanticModel? model = null;
            foreach (var node in declaration.DescendantNodes())
            {
                if (node is not IdentifierNameSyntax { Parent: not NameColonSyntax } identifier || identifier.Identifier.ValueText != member.Name)
                {
                    continue;
                }

#pragma warning disable RS1030 // Bound to one type's declarations, and only for a retry whose HTTP use is not evident where it is built.
                model ??= _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
                var expression = identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier ? (SyntaxNode)access : identifier;
                if (model.GetOperation(expression, _cancellationToken) is IMemberReferenceOperation use
                    && SymbolEqualityComparer.Default.Equals(use.Member, member))
                {
                    FollowPolicy(use, hops - 1);
                }
            }
        }
    }

    private static List<IOperation> LocalReferences(ILocalSymbol local, IOperation anywhere)
    {
        var result = new List<IOperation>();
        foreach (var descendant in anywhere.Root().Descendants())
        {
            if (descendant is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local) && !reference.IsDeclaration)
            {
                result.Add(reference);
            }
        }

        return result;
    }

    private static IOperation? Receiver(IInvocationOperation call)
        => call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);

    /// <summary>The value above any conversions, and its parent.</summary>
    private static (IOperation Value, IOperation? Parent) Up(IOperation operation)
    {
        var current = operation;
        while (current.Parent is IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return (current, current.Parent);
    }
}
