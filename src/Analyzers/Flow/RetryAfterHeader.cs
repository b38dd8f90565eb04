using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Recognises writes of a <c>Retry-After</c> header: the <c>Headers.RetryAfter</c> property, the
/// <c>Headers["Retry-After"]</c> / <c>Headers[HeaderNames.RetryAfter]</c> indexer, and
/// <c>Append</c>/<c>Add</c>/<c>TryAdd</c>/<c>SetCommaSeparatedValues</c> with that key.
/// </summary>
internal static class RetryAfterHeader
{
    public const string HeaderName = "Retry-After";

    /// <summary>True when <paramref name="operation"/> itself writes a Retry-After header.</summary>
    public static bool IsWrite(IOperation operation) => TryGetWrittenValue(operation, out _, requireResponseHeaders: false);

    /// <summary>True when <paramref name="operation"/> or an operation inside it (not inside a nested function) writes a Retry-After header.</summary>
    public static bool ContainsWrite(IOperation operation)
    {
        if (IsWrite(operation))
        {
            return true;
        }

        foreach (var descendant in operation.Descendants())
        {
            if (IsWrite(descendant))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Syntax-only over-approximation, for skipping a control flow graph: false only when no operation in
    /// <paramref name="node"/> can write a Retry-After header (<see cref="IsWrite"/>) and the node has no loop or
    /// <c>goto</c>. Every write needs one of: an identifier containing <c>RetryAfter</c> (the property, the
    /// <c>HeaderNames</c> field, a helper), an <c>Add</c>/<c>Append</c>… call, an indexer (<c>[key]</c>, whose key may
    /// be a constant declared anywhere) or a collection initializer (an implicit <c>Add</c>).
    /// </summary>
    public static bool MayBeWrittenIn(SyntaxNode node) => Scan(node, 0) != SyntaxFacts.None;

    /// <summary>What <see cref="Scan"/> found in a function's syntax, relative to a position.</summary>
    [Flags]
    public enum SyntaxFacts
    {
        None = 0,

        /// <summary>Something through which a header may be written (<see cref="MayBeWrittenIn"/>), before the position.</summary>
        WriteBefore = 1,

        /// <summary>Such a thing at or after the position.</summary>
        WriteAfter = 2,

        /// <summary>A loop before the position.</summary>
        LoopBefore = 4,

        /// <summary>A loop at or after the position.</summary>
        LoopAfter = 8,

        /// <summary>A <c>goto</c> anywhere.</summary>
        Goto = 16,
    }

    /// <summary>
    /// One walk of <paramref name="node"/>: where the tokens and nodes that <see cref="MayBeWrittenIn"/> looks for are,
    /// before or after <paramref name="position"/>. <c>MayBeWrittenIn(node)</c> is <c>Scan(node, p) != None</c> for any p.
    /// </summary>
    public static SyntaxFacts Scan(SyntaxNode node, int position)
    {
        var facts = SyntaxFacts.None;
        foreach (var (itemPosition, fact) in Items(node))
        {
            facts |= fact == SyntaxFacts.Goto ? fact : itemPosition < position ? fact : (SyntaxFacts)((int)fact << 1);
        }

        return facts;
    }

    /// <summary>
    /// <see cref="Scan(SyntaxNode, int)"/> for a function's whole syntax, where every status of the function asks with its
    /// own position: the function is walked once (cached per node) and each question compares positions.
    /// </summary>
    public static SyntaxFacts ScanFunction(SyntaxNode function, int position)
    {
        var extent = Extents.GetValue(function, static f => new Extent(f));
        var facts = SyntaxFacts.None;
        if (extent.FirstWrite < position)
        {
            facts |= SyntaxFacts.WriteBefore;
        }

        if (extent.LastWrite >= position)
        {
            facts |= SyntaxFacts.WriteAfter;
        }

        if (extent.FirstLoop < position)
        {
            facts |= SyntaxFacts.LoopBefore;
        }

        if (extent.LastLoop >= position)
        {
            facts |= SyntaxFacts.LoopAfter;
        }

        if (extent.Goto)
        {
            facts |= SyntaxFacts.Goto;
        }

#if DEBUG
        if (facts != Scan(function, position))
        {
            throw new InvalidOperationException($"ScanFunction disagrees with Scan at {position} in {function.GetLocation()}");
        }
#endif
        return facts;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SyntaxNode, Extent> Extents = new();

    /// <summary>The first and last positions of the writes and loops <see cref="Items"/> finds in a function, and whether it has a goto.</summary>
    private sealed class Extent
    {
        public Extent(SyntaxNode function)
        {
            foreach (var (position, fact) in Items(function))
            {
                switch (fact)
                {
                    case SyntaxFacts.WriteBefore:
                        FirstWrite = Math.Min(FirstWrite, position);
                        LastWrite = Math.Max(LastWrite, position);
                        break;
                    case SyntaxFacts.LoopBefore:
                        FirstLoop = Math.Min(FirstLoop, position);
                        LastLoop = Math.Max(LastLoop, position);
                        break;
                    default:
                        Goto = true;
                        break;
                }
            }
        }

        public int FirstWrite { get; } = int.MaxValue;

        public int LastWrite { get; } = -1;

        public int FirstLoop { get; } = int.MaxValue;

        public int LastLoop { get; } = -1;

        public bool Goto { get; }
    }

    /// <summary>The write, loop and goto items of <see cref="Scan(SyntaxNode, int)"/>: their start and kind (WriteBefore, LoopBefore or Goto).</summary>
    private static IEnumerable<(int Position, SyntaxFacts Fact)> Items(SyntaxNode node)
    {
        foreach (var item in node.DescendantNodesAndTokens())
        {
            if (item.IsToken)
            {
                var token = item.AsToken();
                if (token.IsKind(SyntaxKind.IdentifierToken))
                {
                    var text = token.ValueText;
                    if (text is "Add" or "TryAdd" or "Append" or "AppendCommaSeparatedValues" or "SetCommaSeparatedValues" or "AppendList"
                        || text.IndexOf("RetryAfter", StringComparison.OrdinalIgnoreCase) >= 0)
                    {
                        yield return (item.SpanStart, SyntaxFacts.WriteBefore);
                    }
                }

                continue;
            }

            switch (item.Kind())
            {
                case SyntaxKind.BracketedArgumentList:
                case SyntaxKind.CollectionInitializerExpression:
                case SyntaxKind.ComplexElementInitializerExpression:
                    yield return (item.SpanStart, SyntaxFacts.WriteBefore);
                    break;
                case SyntaxKind.ForStatement:
                case SyntaxKind.ForEachStatement:
                case SyntaxKind.ForEachVariableStatement:
                case SyntaxKind.WhileStatement:
                case SyntaxKind.DoStatement:
                    yield return (item.SpanStart, SyntaxFacts.LoopBefore);
                    break;
                case SyntaxKind.GotoStatement:
                case SyntaxKind.GotoCaseStatement:
                case SyntaxKind.GotoDefaultStatement:
                    yield return (item.SpanStart, SyntaxFacts.Goto);
                    break;
            }
        }
    }

    /// <summary>
    /// The value written to a Retry-After header by <paramref name="operation"/>, or false when it writes none.
    /// <paramref name="value"/> is null for a write whose value cannot be seen (a helper method).
    /// With <paramref name="requireResponseHeaders"/>, only ASP.NET Core header dictionaries count (SE1005).
    /// </summary>
    public static bool TryGetWrittenValue(IOperation operation, out IOperation? value, bool requireResponseHeaders)
    {
        value = null;
        switch (operation)
        {
            case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } assignment:
                if (IsRetryAfterProperty(property, requireResponseHeaders))
                {
                    value = assignment.Value;
                    return true;
                }

                return false;

            case IInvocationOperation invocation:
                return IsRetryAfterInvocation(invocation, requireResponseHeaders, out value);

            default:
                return false;
        }
    }

    /// <summary>The names of the methods a header write <see cref="TryGetWrittenValue"/> accepts with <c>requireResponseHeaders</c> calls.</summary>
    public static bool IsHeaderWriteName(string name)
        => name is "Add" or "TryAdd" or "Append" or "AppendCommaSeparatedValues" or "SetCommaSeparatedValues" or "AppendList";

    private static bool IsRetryAfterProperty(IPropertyReferenceOperation property, bool requireResponseHeaders)
    {
        var symbol = property.Property;
        if (symbol.IsIndexer)
        {
            // `Headers["Retry-After"] = …`
            return property.Arguments.Length == 1
                && IsRetryAfterName(property.Arguments[0].Value)
                && (!requireResponseHeaders || IsHeaderDictionary(symbol.ContainingType));
        }

        // `Headers.RetryAfter = …` (IHeaderDictionary since .NET 7). Client-side HttpResponseHeaders.RetryAfter
        // is a RetryConditionHeaderValue: a write as well, never a malformed string.
        return symbol.Name == "RetryAfter"
            && (!requireResponseHeaders || (IsHeaderDictionary(symbol.ContainingType) && symbol.Type.Name == "StringValues"));
    }

    private static bool IsRetryAfterInvocation(IInvocationOperation invocation, bool requireResponseHeaders, out IOperation? value)
    {
        value = null;
        var method = invocation.TargetMethod;
        if (!IsHeaderWriteName(method.Name))
        {
            // A helper such as `SetRetryAfter(Response)` or `Response.AddRetryAfter(30)` is trusted to set it.
            return !requireResponseHeaders && method.Name.IndexOf("RetryAfter", StringComparison.OrdinalIgnoreCase) >= 0;
        }

        IOperation? key = null;
        foreach (var argument in invocation.Arguments)
        {
            var name = argument.Parameter?.Name;
            if (name == "key")
            {
                key = argument.Value;
            }
            else if (name is "value" or "values")
            {
                value = argument.Value;
            }
        }

        if (key is null || !IsRetryAfterName(key))
        {
            value = null;
            return false;
        }

        if (requireResponseHeaders)
        {
            var receiverType = method.IsExtensionMethod && invocation.Arguments.Length > 0
                ? WithoutConversions(invocation.Arguments[0].Value).Type
                : invocation.Instance?.Type;
            if (!IsHeaderDictionary(receiverType) || method.Name is "AppendCommaSeparatedValues" or "SetCommaSeparatedValues" or "AppendList")
            {
                value = null;
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// True when <paramref name="condition"/> asks a rate limiter lease for its retry delay:
    /// <c>lease.TryGetMetadata(MetadataName.RetryAfter, out …)</c> (also negated, or with <c>MetadataName.RetryAfter.Name</c>).
    /// </summary>
    public static bool IsLimiterDelayCheck(IOperation condition)
    {
        if (IsTryGetRetryAfter(condition))
        {
            return true;
        }

        foreach (var descendant in condition.Descendants())
        {
            if (IsTryGetRetryAfter(descendant))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsTryGetRetryAfter(IOperation operation)
    {
        if (operation is not IInvocationOperation { TargetMethod.Name: "TryGetMetadata", Arguments.Length: >= 1 } invocation)
        {
            return false;
        }

        var name = WithoutConversions(invocation.Arguments[0].Value);
        if (name is IPropertyReferenceOperation { Property.Name: "Name", Instance: { } instance })
        {
            name = WithoutConversions(instance);
        }

        return name is IPropertyReferenceOperation or IFieldReferenceOperation
            && ((IMemberReferenceOperation)name).Member is { Name: "RetryAfter", ContainingType: { Name: "MetadataName" } owner }
            && SymbolNames.IsNamespace(owner.ContainingNamespace, "System.Threading.RateLimiting");
    }

    /// <summary>True for the constant <c>"Retry-After"</c> (any casing) and <c>HeaderNames.RetryAfter</c>.</summary>
    public static bool IsRetryAfterName(IOperation operation)
    {
        operation = WithoutConversions(operation);
        if (operation.ConstantValue is { HasValue: true, Value: string text })
        {
            return string.Equals(text, HeaderName, StringComparison.OrdinalIgnoreCase);
        }

        return operation is IFieldReferenceOperation field
            && field.Field.Name == "RetryAfter"
            && field.Field.ContainingType?.Name == "HeaderNames";
    }

    private static bool IsHeaderDictionary(ITypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (IsIHeaderDictionary(type))
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (IsIHeaderDictionary(implemented))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsIHeaderDictionary(ITypeSymbol type)
        => type.Name == "IHeaderDictionary" && SymbolNames.IsNamespace(type.ContainingNamespace, "Microsoft.AspNetCore.Http");

    public static IOperation WithoutConversions(IOperation operation)
    {
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }
}
