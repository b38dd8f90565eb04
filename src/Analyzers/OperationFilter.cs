using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers;

/// <summary>
/// What a filtered invocation or assignment action can act on: the names of the invoked method or assigned property it
/// accepts, and optionally every method declared in the compilation's source (helpers, whose names are the
/// application's) or every indexer. False only where the action would return without reporting or recording anything.
/// </summary>
internal sealed class OperationFilter
{
    private OperationFilter(Func<string, bool> names, bool sourceMethods, bool indexers)
    {
        Names = names;
        SourceMethods = sourceMethods;
        Indexers = indexers;
    }

    /// <summary>The member names the action accepts; asked once per name and compilation in a family.</summary>
    public Func<string, bool> Names { get; }

    /// <summary>Also every method declared in the compilation's source, whatever its name.</summary>
    public bool SourceMethods { get; }

    /// <summary>Also every indexer (<c>Headers["Retry-After"] = …</c>), whatever its name.</summary>
    public bool Indexers { get; }

    /// <summary>
    /// An <see cref="OperationKind.Invocation"/> action that can act only on calls of a method whose name
    /// <paramref name="names"/> accepts, or (with <paramref name="sourceMethods"/>) of a method declared in source.
    /// </summary>
    public static void RegisterInvocationAction(CompilationStartAnalysisContext context, Func<string, bool> names, Action<OperationAnalysisContext> action, bool sourceMethods = false)
        => Register(context, OperationKind.Invocation, new OperationFilter(names, sourceMethods, indexers: false), action);

    /// <summary>
    /// An <see cref="OperationKind.SimpleAssignment"/> action that can act only on assignments of a property whose name
    /// <paramref name="names"/> accepts, or (with <paramref name="indexers"/>) of an indexer.
    /// </summary>
    public static void RegisterPropertyAssignmentAction(CompilationStartAnalysisContext context, Func<string, bool> names, Action<OperationAnalysisContext> action, bool indexers = false)
        => Register(context, OperationKind.SimpleAssignment, new OperationFilter(names, sourceMethods: false, indexers), action);

    /// <summary>The name filtered actions are asked about: the invoked method's, the assigned property's; null when no filtered action can act.</summary>
    public static string? NameOf(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.TargetMethod.Name,
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } => target.Property.Name,
        _ => null,
    };

    /// <summary>
    /// Whether <paramref name="operation"/> calls a method declared in the compilation's source. (Empty for every method
    /// of metadata; <c>ContainingAssembly</c> costs several times more, a walk up the containing symbols.)
    /// </summary>
    public static bool CallsSourceMethod(IOperation operation)
        => operation is IInvocationOperation invocation && invocation.TargetMethod.DeclaringSyntaxReferences.Length > 0;

    /// <summary>Whether <paramref name="operation"/> assigns an indexer.</summary>
    public static bool AssignsIndexer(IOperation operation)
        => operation is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true } };

    /// <summary>Whether this filter lets <paramref name="operation"/> through: what a rule run alone asks on every call.</summary>
    public bool Accepts(IOperation operation)
        => NameOf(operation) is { } name
            && (Names(name) || (SourceMethods && CallsSourceMethod(operation)) || (Indexers && AssignsIndexer(operation)));

    private static void Register(CompilationStartAnalysisContext context, OperationKind kind, OperationFilter filter, Action<OperationAnalysisContext> action)
    {
        if (context is AnalyzerFamily.RuleCompilationStart family)
        {
            family.RegisterFilteredOperationAction(kind, filter, action);
            return;
        }

        context.RegisterOperationAction(
            c =>
            {
                if (filter.Accepts(c.Operation))
                {
                    action(c);
                }
                else
                {
                    VerifySkipped(c, action);
                }
            },
            kind);
    }

    /// <summary>
    /// Debug only (every test): runs an action its filter kept out, with a context that throws when it reports. A
    /// filter that rejects what its action would report fails the test that shows it.
    /// </summary>
    [System.Diagnostics.Conditional("DEBUG")]
    public static void VerifySkipped(OperationAnalysisContext context, Action<OperationAnalysisContext> action)
    {
        var probe = new OperationAnalysisContext(
            context.Operation,
            context.ContainingSymbol,
            context.Compilation,
            context.Options,
            diagnostic => throw new InvalidOperationException(
                $"an operation filter kept {action.Method.DeclaringType?.Name}.{action.Method.Name} out of '{context.Operation.Syntax}', which reports {diagnostic.Id}"),
            _ => true,
            context.CancellationToken);
        action(probe);
    }
}
