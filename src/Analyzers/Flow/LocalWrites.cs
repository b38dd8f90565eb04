using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// For one operation tree (a method body): per local, the operations that can put something into it, in tree order —
/// its declarators, assignments whose target is rooted at it (<c>msg = …</c>, <c>body.Detail = …</c>, <c>dict["k"] = …</c>),
/// calls on a receiver rooted at it (<c>sb.Append(…)</c>, <c>dict.Add(…)</c>) and <c>Serialize</c> calls given it as an
/// argument. Built once per body with one walk and cached: the taint walks of SE1001 ask it for each local they follow
/// instead of walking the whole body again (several times per local and per sink). Every walk that iterates this list
/// keeps its own filter, so it sees the same operations in the same order as a walk of the whole tree.
/// </summary>
internal sealed class LocalWrites
{
    private static readonly ConditionalWeakTable<IOperation, LocalWrites> Cache = new();
    private static readonly List<IOperation> None = new();

    private readonly Dictionary<ILocalSymbol, List<IOperation>> _writes = new(SymbolEqualityComparer.Default);

    private LocalWrites(IOperation root)
    {
        foreach (var descendant in root.Descendants())
        {
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator:
                    Add(declarator.Symbol, descendant);
                    break;

                case IAssignmentOperation assignment:
                    Add(RootLocal(assignment.Target), descendant);
                    break;

                case IInvocationOperation invocation:
                    Add(invocation.Instance is { } receiver ? RootLocal(receiver) : null, descendant);
                    if (invocation.TargetMethod.Name == "Serialize")
                    {
                        foreach (var argument in invocation.Arguments)
                        {
                            Add(RootLocal(argument.Value), descendant);
                        }
                    }

                    break;
            }
        }
    }

    /// <summary>The operations of <paramref name="root"/>'s tree (not the root itself) that can write <paramref name="local"/>, in <c>Descendants()</c> order.</summary>
    public static List<IOperation> Of(IOperation root, ILocalSymbol local)
    {
        var index = Cache.GetValue(root, static r => new LocalWrites(r));
        var writes = index._writes.TryGetValue(local, out var list) ? list : None;
#if DEBUG
        Verify(root, local, writes);
#endif
        return writes;
    }

    /// <summary>
    /// The local <paramref name="target"/> is rooted at, by the same steps as <see cref="ExceptionTaint.IsRootedAt"/>
    /// (members, elements, conversions, fluent calls returning the receiver's type), or null.
    /// </summary>
    private static ILocalSymbol? RootLocal(IOperation target)
    {
        var current = target;
        while (current is not null)
        {
            switch (current)
            {
                case ILocalReferenceOperation reference:
                    return reference.Local;
                case IPropertyReferenceOperation property:
                    current = property.Instance;
                    break;
                case IFieldReferenceOperation field:
                    current = field.Instance;
                    break;
                case IArrayElementReferenceOperation element:
                    current = element.ArrayReference;
                    break;
                case IConversionOperation conversion:
                    current = conversion.Operand;
                    break;
                case IInvocationOperation { Instance: { } receiver } fluent when SymbolEqualityComparer.Default.Equals(fluent.Type, receiver.Type):
                    current = receiver;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    private void Add(ILocalSymbol? local, IOperation operation)
    {
        if (local is null)
        {
            return;
        }

        if (!_writes.TryGetValue(local, out var list))
        {
            list = new List<IOperation>();
            _writes.Add(local, list);
        }

        // A serializer call given the local twice (or as receiver and argument) is listed once.
        if (list.Count == 0 || !ReferenceEquals(list[list.Count - 1], operation))
        {
            list.Add(operation);
        }
    }

#if DEBUG
    /// <summary>The list must be exactly what a walk of the whole tree finds with <see cref="ExceptionTaint.IsRootedAt"/>.</summary>
    private static void Verify(IOperation root, ILocalSymbol local, List<IOperation> writes)
    {
        var index = 0;
        foreach (var descendant in root.Descendants())
        {
            var expected = descendant switch
            {
                IVariableDeclaratorOperation declarator => SymbolEqualityComparer.Default.Equals(declarator.Symbol, local),
                IAssignmentOperation assignment => ExceptionTaint.IsRootedAt(assignment.Target, local),
                IInvocationOperation invocation => (invocation.Instance is { } receiver && ExceptionTaint.IsRootedAt(receiver, local))
                    || (invocation.TargetMethod.Name == "Serialize" && AnyArgumentRootedAt(invocation, local)),
                _ => false,
            };

            if (!expected)
            {
                continue;
            }

            if (index >= writes.Count || !ReferenceEquals(writes[index], descendant))
            {
                throw new System.InvalidOperationException($"LocalWrites disagrees with a walk of the tree for '{local.Name}' at {descendant.Syntax.GetLocation()}");
            }

            index++;
        }

        if (index != writes.Count)
        {
            throw new System.InvalidOperationException($"LocalWrites lists more writes of '{local.Name}' than a walk of the tree finds");
        }
    }

    private static bool AnyArgumentRootedAt(IInvocationOperation invocation, ILocalSymbol local)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (ExceptionTaint.IsRootedAt(argument.Value, local))
            {
                return true;
            }
        }

        return false;
    }
#endif
}
