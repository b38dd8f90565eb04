using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// What a retry loop needs to know about a method of the application it calls (a request factory, a delay helper, a
/// retry predicate): computed once per method and compilation, from the method's own body, independently of the call site.
/// <list type="bullet">
/// <item><see cref="ReturnedValue"/>: the single value an expression-bodied method (or a body of one <c>return</c>) returns,
/// which the loop evaluates in place of the call (a predicate over the response, a delay).</item>
/// <item><see cref="IsPure"/>: the method writes nothing but its own locals and calls nothing that could change state or
/// return something new (no instance calls on fields, no delegates, no lambdas): it builds the same value from the same
/// inputs, as a request factory <c>CreateRequest()</c> does.</item>
/// <item><see cref="MembersRead"/>: the fields and properties it reads, which the loop must not write for the value to stay the same.</item>
/// </list>
/// Methods without source in the compilation have no summary.
/// </summary>
internal sealed class AppMethodSummary
{
    private const int MaxDepth = 3;

    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<IMethodSymbol, AppMethodSummary>> Cache = new();

    private AppMethodSummary(IMethodSymbol method, IOperation? returnedValue, bool isPure, List<ISymbol> membersRead)
    {
        Method = method;
        ReturnedValue = returnedValue;
        IsPure = isPure;
        MembersRead = membersRead;
    }

    public IMethodSymbol Method { get; }

    /// <summary>The value of the method's single <c>return</c>; null when the body has other statements.</summary>
    public IOperation? ReturnedValue { get; }

    /// <summary>Writes nothing but its own locals; calls only static methods, methods on its locals and parameters, and pure methods of the app.</summary>
    public bool IsPure { get; }

    /// <summary>Fields and properties the body reads.</summary>
    public List<ISymbol> MembersRead { get; }

    /// <summary>The summary of an ordinary method or local function declared in the compilation of <paramref name="context"/>, or null.</summary>
    public static AppMethodSummary? Get(IOperation context, IMethodSymbol method) => Get(context.SemanticModel?.Compilation, method, 0);

    private static AppMethodSummary? Get(Compilation? compilation, IMethodSymbol method, int depth)
    {
        if (compilation is null || depth > MaxDepth || method.DeclaringSyntaxReferences.Length != 1
            || method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction) || method.IsAbstract || method.IsVirtual || method.IsOverride || method.IsPartialDefinition)
        {
            return null;
        }

        method = method.OriginalDefinition;
        var table = Cache.GetValue(compilation, static _ => new ConcurrentDictionary<IMethodSymbol, AppMethodSummary>(SymbolEqualityComparer.Default));
        if (table.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var summary = Compute(compilation, method, depth);
        if (summary is null)
        {
            return null;
        }

        return table.GetOrAdd(method, summary);
    }

    private static AppMethodSummary? Compute(Compilation compilation, IMethodSymbol method, int depth)
    {
        var body = ExceptionTaint.GetBody(compilation, method, default) switch
        {
            IMethodBodyOperation methodBody => (IOperation?)methodBody.BlockBody ?? methodBody.ExpressionBody,
            var other => other,
        };
        if (body is not IBlockOperation block || block.Syntax.ContainsDiagnostics)
        {
            return null;
        }

        var returned = DelaySchedule.SingleReturnedValue(block);
        var members = new List<ISymbol>();
        var pure = true;
        foreach (var operation in block.Descendants())
        {
            switch (operation)
            {
                case IFieldReferenceOperation field:
                    members.Add(field.Field);
                    break;
                case IPropertyReferenceOperation property:
                    members.Add(property.Property);
                    break;
                case IAssignmentOperation assignment:
                    pure &= WritesOwnLocal(assignment.Target);
                    break;
                case IIncrementOrDecrementOperation increment:
                    pure &= WritesOwnLocal(increment.Target);
                    break;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument:
                    pure &= WritesOwnLocal(argument.Value);
                    break;
                case IInvocationOperation invocation:
                    pure &= IsPureCall(compilation, invocation, depth);
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IInvalidOperation or IDynamicInvocationOperation or IEventAssignmentOperation or IThrowOperation:
                    pure = false;
                    break;
            }
        }

        return new AppMethodSummary(method, returned, pure, members);
    }

    /// <summary>An assignment target rooted in a local of the method (a member of an object the method creates is its own).</summary>
    private static bool WritesOwnLocal(IOperation target)
    {
        while (true)
        {
            switch (target)
            {
                case ILocalReferenceOperation:
                    return true;
                case IMemberReferenceOperation { Instance: { } instance }:
                    target = instance;
                    continue;
                case IArrayElementReferenceOperation element:
                    target = element.ArrayReference;
                    continue;
                case IConversionOperation conversion:
                    target = conversion.Operand;
                    continue;
                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ImplicitReceiver }:
                    // An object initializer's member: the object is being created here.
                    return true;
                default:
                    return false;
            }
        }
    }

    private static bool IsPureCall(Compilation compilation, IInvocationOperation invocation, int depth)
    {
        var method = invocation.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            return false;
        }

        var instance = invocation.Instance;
        while (instance is IConversionOperation conversion)
        {
            instance = conversion.Operand;
        }

        if (instance is null)
        {
            return method.IsStatic && Get(compilation, method, depth + 1) is not { IsPure: false };
        }

        if (instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
        {
            return Get(compilation, method, depth + 1) is { IsPure: true };
        }

        // `request.Headers.Add(…)`, `source.Content.ReadAsStringAsync()`: building or reading a message held in a local or parameter.
        var root = instance;
        while (root is IMemberReferenceOperation { Instance: { } inner })
        {
            root = inner;
        }

        return root is ILocalReferenceOperation or IParameterReferenceOperation && BuildsMessages(instance.Type)
            || method.ContainingType?.SpecialType == SpecialType.System_String
            || method.Name is "ToString" or "ConfigureAwait";
    }

    /// <summary>Types whose instance methods build or read a request: System.Net.Http (messages, content, headers), strings, URIs.</summary>
    private static bool BuildsMessages(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_String || type.Name is "Uri" or "UriBuilder" or "StringBuilder")
        {
            return true;
        }

        for (var ns = type.ContainingNamespace; ns is not null && !ns.IsGlobalNamespace; ns = ns.ContainingNamespace)
        {
            if (ns.Name == "Http" && ns.ContainingNamespace is { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
            {
                return true;
            }
        }

        return false;
    }
}
