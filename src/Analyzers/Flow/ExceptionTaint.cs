using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Decides whether a value is derived from exception data: the exception object itself, its
/// <c>Message</c>, <c>StackTrace</c>, <c>Source</c>, <c>TargetSite</c>, <c>Data</c>, <c>InnerException</c>,
/// <c>ToString()</c>, <c>GetBaseException()</c>, or anything built from them within one method body
/// (locals, interpolation, concatenation, <c>string.Format</c>/<c>Concat</c>/<c>Join</c>, <c>StringBuilder</c>,
/// anonymous objects, object and collection initializers, dictionaries, <c>JsonSerializer.Serialize</c>,
/// <c>?:</c>, <c>??</c>, switch expressions) and one level of call into a helper of the same compilation.
/// The exception's type name (<c>ex.GetType().Name</c>) is not exception data. Values produced only under a
/// positive <c>IsDevelopment()</c> check are not counted.
/// </summary>
/// <remarks>
/// Instances are cheap and not thread-safe: create one per question. The walk runs only for values that
/// already reach a 5xx response, so it may allocate.
/// </remarks>
internal sealed class ExceptionTaint
{
    private const int MaxDepth = 48;

    /// <summary>How many helper calls deep a value is followed (<c>Describe(ex)</c> → <c>Text(ex)</c> → …).</summary>
    private const int MaxHelperDepth = 3;

    /// <summary>Helper summaries: (method, which parameters carry exception data) → where its result's exception data comes from; once per compilation.</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<SummaryKey, Summary>> Summaries = new();

    private readonly Compilation _compilation;
    private readonly INamedTypeSymbol _exception;
    private readonly WellKnownTypes _types;
    private readonly CancellationToken _cancellationToken;

    // Created on the first local followed: most questions never read a local.
    private HashSet<ILocalSymbol>? _visitedLocals;
    private Dictionary<IParameterSymbol, IOperation>? _taintedParameters;
    private int _helperDepth;
    private int _depth;

    private ExceptionTaint(Compilation compilation, INamedTypeSymbol exception, CancellationToken cancellationToken)
    {
        _compilation = compilation;
        _exception = exception;
        _types = WellKnownTypes.Get(compilation);
        _cancellationToken = cancellationToken;
    }

    /// <summary>
    /// The exception-derived operation that <paramref name="value"/> carries (for example the <c>ex.Message</c>
    /// read that flows into it), or null when the value carries no exception data.
    /// </summary>
    public static IOperation? FindSource(Compilation compilation, IOperation? value, CancellationToken cancellationToken)
    {
        if (value is null)
        {
            return null;
        }

        var exception = WellKnownTypes.Get(compilation).Get(WellKnownType.System_Exception);
        return exception is null ? null : new ExceptionTaint(compilation, exception, cancellationToken).Source(value);
    }

    /// <summary>
    /// True when <paramref name="value"/> carries what <paramref name="parameter"/> holds, by the same rules as
    /// exception data (locals, interpolation, serializers, anonymous objects…): a helper's parameter that reaches its body.
    /// </summary>
    public static bool FlowsFrom(Compilation compilation, IOperation value, IParameterSymbol parameter, CancellationToken cancellationToken)
    {
        var exception = WellKnownTypes.Get(compilation).Get(WellKnownType.System_Exception);
        if (exception is null)
        {
            return false;
        }

        var taint = new ExceptionTaint(compilation, exception, cancellationToken)
        {
            _taintedParameters = new Dictionary<IParameterSymbol, IOperation>(SymbolEqualityComparer.Default) { [parameter] = value },
        };
        return ReferenceEquals(taint.Source(value), value);
    }

    /// <summary>True when <paramref name="type"/> is <see cref="System.Exception"/> or derives from it.</summary>
    public static bool IsException(ITypeSymbol? type, INamedTypeSymbol? exception)
    {
        if (exception is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, exception))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// Values that the rule looks into instead of reporting as a whole: anonymous objects, objects built with
    /// arguments or initializers, arrays, and the operand of <c>?:</c>.
    /// </summary>
    public static bool IsStructural(IOperation operation, INamedTypeSymbol? exception, WellKnownTypes types)
    {
        operation = OperationTree.WithoutConversions(operation);
        return operation switch
        {
            IAnonymousObjectCreationOperation => true,
            IObjectCreationOperation creation => !IsException(creation.Type, exception)
                && !types.IsA(creation.Type, WellKnownType.System_Text_StringBuilder)
                && (creation.Arguments.Length > 0 || creation.Initializer is not null),
            IArrayCreationOperation { Initializer: not null } => true,
            IConditionalOperation { WhenFalse: not null } => true,
            _ => false,
        };
    }

    /// <summary>
    /// True when the leaked value is only a stack trace, a call site or the exception object: the fix removes
    /// such a member instead of replacing it with a generic message.
    /// </summary>
    public static bool IsStackTraceOrException(IOperation leaf, INamedTypeSymbol? exception)
    {
        leaf = OperationTree.WithoutConversions(leaf);
        if (leaf is IConditionalAccessOperation conditionalAccess)
        {
            leaf = OperationTree.WithoutConversions(conditionalAccess.WhenNotNull);
        }

        if (IsException(leaf.Type, exception) && leaf is not IObjectCreationOperation)
        {
            return true;
        }

        return leaf is IPropertyReferenceOperation { Property.Name: "StackTrace" or "TargetSite" } property
            && IsException(property.Instance?.Type, exception);
    }

    /// <summary>The exception-typed expression a source was read from (<c>ex</c> for <c>ex.Message</c>), when there is one.</summary>
    public static IOperation? FindExceptionRoot(IOperation source, INamedTypeSymbol? exception)
    {
        for (var current = (IOperation?)source; current is not null;)
        {
            current = OperationTree.WithoutConversions(current);
            if (current is IConditionalAccessInstanceOperation instance)
            {
                current = ConditionalAccessReceiver(instance);
                continue;
            }

            if (IsException(current.Type, exception) && current is not IObjectCreationOperation)
            {
                return current;
            }

            current = current switch
            {
                IPropertyReferenceOperation property => property.Instance,
                IInvocationOperation invocation => invocation.Instance,
                IConditionalAccessOperation access => access.WhenNotNull,
                _ => null,
            };
        }

        return null;
    }

    /// <summary>Source text that names the leaked value, for the diagnostic message.</summary>
    public static string Describe(IOperation source)
    {
        var syntax = source.Syntax;

        // `ex?.Message`: the binding `.Message` alone reads badly; name the whole conditional access.
        while (syntax.Parent is ConditionalAccessExpressionSyntax access && access.WhenNotNull.Span.Contains(syntax.Span))
        {
            syntax = access;
        }

        while (syntax.Parent is MemberBindingExpressionSyntax or InvocationExpressionSyntax or ElementBindingExpressionSyntax
            && syntax.Parent.Parent is ConditionalAccessExpressionSyntax outer && outer.WhenNotNull.Span.Contains(syntax.Span))
        {
            syntax = outer;
        }

        var text = syntax.ToString();
        return text.Length <= 80 ? CollapseWhitespace(text) : CollapseWhitespace(text.Substring(0, 77)) + "...";
    }

    private static string CollapseWhitespace(string text)
    {
        if (text.IndexOf('\n') < 0 && text.IndexOf('\r') < 0)
        {
            return text;
        }

        var builder = new System.Text.StringBuilder(text.Length);
        var space = false;
        foreach (var c in text)
        {
            if (char.IsWhiteSpace(c))
            {
                space = true;
                continue;
            }

            if (space && builder.Length > 0)
            {
                builder.Append(' ');
            }

            space = false;
            builder.Append(c);
        }

        return builder.ToString();
    }

    private IOperation? Source(IOperation? operation)
    {
        if (operation is null || _depth > MaxDepth || operation.ConstantValue.HasValue)
        {
            return null;
        }

        _cancellationToken.ThrowIfCancellationRequested();
        _depth++;
        try
        {
            var source = SourceCore(operation);
            return source is not null && EnvironmentGuard.IsGuarded(source) ? null : source;
        }
        finally
        {
            _depth--;
        }
    }

    private IOperation? SourceCore(IOperation operation)
    {
        switch (operation)
        {
            case IConversionOperation conversion:
                return Source(conversion.Operand);
            case IParenthesizedOperation parenthesized:
                return Source(parenthesized.Operand);
            case IConditionalAccessInstanceOperation instance:
                return Source(ConditionalAccessReceiver(instance));
            case IObjectCreationOperation creation:
                return ObjectCreationSource(creation);
        }

        // The exception object itself: a catch variable, a handler parameter, IExceptionHandlerFeature.Error…
        if (IsException(operation.Type, _exception))
        {
            return operation is IInvalidOperation or IDefaultValueOperation ? null : operation;
        }

        // Numbers and flags (`ex.HResult`, `ex.Message.Length`) reveal nothing worth reporting.
        if (operation.Type is { IsValueType: true } valueType && valueType.OriginalDefinition.SpecialType != SpecialType.System_Nullable_T)
        {
            return null;
        }

        switch (operation)
        {
            case IPropertyReferenceOperation property:
                return MemberSource(property, property.Instance, property.Property.Name, isMethod: false);

            case IInvocationOperation invocation:
                return InvocationSource(invocation);

            case IArrayElementReferenceOperation element:
                return Source(element.ArrayReference);

            case ILocalReferenceOperation local:
                return LocalSource(local);

            case IParameterReferenceOperation parameter:
                return _taintedParameters is not null && _taintedParameters.TryGetValue(parameter.Parameter, out var argumentSource) ? argumentSource : null;

            case IInterpolatedStringOperation interpolated:
                foreach (var part in interpolated.Parts)
                {
                    if (part is IInterpolationOperation interpolation && Source(interpolation.Expression) is { } partSource)
                    {
                        return partSource;
                    }
                }

                return null;

            case IBinaryOperation binary:
                return Source(binary.LeftOperand) ?? Source(binary.RightOperand);

            case IConditionalOperation conditional:
                return Source(conditional.WhenTrue) ?? Source(conditional.WhenFalse);

            case ICoalesceOperation coalesce:
                return Source(coalesce.Value) ?? Source(coalesce.WhenNull);

            case IConditionalAccessOperation access:
                return Source(access.WhenNotNull);

            case ISwitchExpressionOperation switchExpression:
                foreach (var arm in switchExpression.Arms)
                {
                    if (Source(arm.Value) is { } armSource)
                    {
                        return armSource;
                    }
                }

                return null;

            case IAnonymousObjectCreationOperation anonymous:
                foreach (var initializer in anonymous.Initializers)
                {
                    if (initializer is ISimpleAssignmentOperation assignment && Source(assignment.Value) is { } memberSource)
                    {
                        return memberSource;
                    }
                }

                return null;

            case IArrayCreationOperation array:
                return array.Initializer is null ? null : InitializerSource(array.Initializer);

            case ISimpleAssignmentOperation assignment:
                return Source(assignment.Value);

            case ICoalesceAssignmentOperation coalesceAssignment:
                return Source(coalesceAssignment.Target) ?? Source(coalesceAssignment.Value);

            default:
                return null;
        }
    }

    private IOperation? MemberSource(IOperation member, IOperation? instance, string name, bool isMethod)
    {
        if (instance is null)
        {
            return null;
        }

        if (IsException(instance.Type, _exception))
        {
            // Only the members that carry internals; custom properties (ErrorCode, UserMessage…) are the author's choice.
            var leaks = isMethod
                ? name is "ToString" or "GetBaseException"
                : name is "Message" or "StackTrace" or "Source" or "TargetSite" or "Data" or "InnerException";
            return leaks && Source(instance) is not null ? member : null;
        }

        if (member.Type is null || IsTypeOrMemberInfo(member.Type))
        {
            return null;
        }

        return Source(instance);
    }

    private static bool IsTypeOrMemberInfo(ITypeSymbol type)
        => type.Name == "Type" && SymbolNames.IsNamespace(type.ContainingNamespace, "System");

    private IOperation? InvocationSource(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;

        // The exception's type name alone is not a leak: `ex.GetType().Name`.
        if (method.Name == "GetType" && method.Parameters.Length == 0)
        {
            return null;
        }

        if (invocation.Instance is { } instance && !method.IsStatic)
        {
            var viaReceiver = MemberSource(invocation, instance, method.Name, isMethod: true);
            if (viaReceiver is not null || IsException(instance.Type, _exception))
            {
                return viaReceiver;
            }
        }

        // Formatting and serialization keep what they are given: string.Format/Concat/Join, StringBuilder,
        // JsonSerializer.Serialize, Encoding.GetBytes, Convert.ToString, JsonConvert.SerializeObject.
        if (IsFormatting(method.ContainingType))
        {
            foreach (var argument in invocation.Arguments)
            {
                if (Source(argument.Value) is { } argumentSource)
                {
                    return argumentSource;
                }
            }

            return null;
        }

        return HelperSource(invocation.TargetMethod, invocation.Arguments);
    }

    private bool IsFormatting(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        if (type.SpecialType is SpecialType.System_String or SpecialType.System_Object)
        {
            return true;
        }

        if (type.Name == "Convert" && SymbolNames.IsNamespace(type.ContainingNamespace, "System"))
        {
            return true;
        }

        return _types.IsA(type, WellKnownType.System_Text_StringBuilder)
            || _types.IsA(type, WellKnownType.System_Text_Encoding)
            || _types.IsA(type, WellKnownType.System_Text_Json_JsonSerializer)
            || _types.IsA(type, WellKnownType.Newtonsoft_Json_JsonConvert);
    }

    private IOperation? ObjectCreationSource(IObjectCreationOperation creation)
    {
        // `new Exception("…")` is the author's own text, not data from a caught exception.
        if (IsException(creation.Type, _exception))
        {
            return null;
        }

        var fromSource = creation.Constructor is { } constructor && constructor.DeclaringSyntaxReferences.Length > 0;
        foreach (var argument in creation.Arguments)
        {
            var value = argument.Value;

            // An exception handed to a constructor leaks only if the constructor reads it (checked when it is ours).
            if (IsException(OperationTree.WithoutConversions(value).Type, _exception) && !fromSource)
            {
                continue;
            }

            if (Source(value) is { } argumentSource)
            {
                if (IsException(OperationTree.WithoutConversions(value).Type, _exception))
                {
                    return HelperSource(creation.Constructor!, creation.Arguments);
                }

                return argumentSource;
            }
        }

        return creation.Initializer is null ? null : InitializerSource(creation.Initializer, creation.Type);
    }

    private IOperation? InitializerSource(IOperation initializer, ITypeSymbol? createdType = null)
    {
        switch (initializer)
        {
            case IObjectOrCollectionInitializerOperation objectInitializer:
                foreach (var element in objectInitializer.Initializers)
                {
                    if (InitializerSource(element, createdType) is { } elementSource)
                    {
                        return elementSource;
                    }
                }

                return null;

            case IArrayInitializerOperation arrayInitializer:
                foreach (var element in arrayInitializer.ElementValues)
                {
                    var elementSource = element is IArrayInitializerOperation nested ? InitializerSource(nested) : Source(element);
                    if (elementSource is not null)
                    {
                        return elementSource;
                    }
                }

                return null;

            case IMemberInitializerOperation member:
                return InitializerSource(member.Initializer, createdType);

            case ISimpleAssignmentOperation assignment:
                return SkipsMember(assignment.Target, createdType) ? null : Source(assignment.Value);

            case IInvocationOperation add:
                foreach (var argument in add.Arguments)
                {
                    if (Source(argument.Value) is { } addSource)
                    {
                        return addSource;
                    }
                }

                return null;

            default:
                return null;
        }
    }

    /// <summary>
    /// Framework types that carry an exception for the server's own use (<c>ProblemDetailsContext.Exception</c>)
    /// do not write it to the body.
    /// </summary>
    public static bool SkipsMember(IOperation target, ITypeSymbol? createdType)
        => target is IPropertyReferenceOperation { Property.Name: "Exception" or "HttpContext" or "AdditionalMetadata" }
            && createdType is { Name: "ProblemDetailsContext" }
            && createdType.DeclaringSyntaxReferences.Length == 0;

    private IOperation? LocalSource(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        if (!(_visitedLocals ??= new HashSet<ILocalSymbol>(SymbolEqualityComparer.Default)).Add(local))
        {
            return null;
        }

        var top = reference.Root();

        var usePosition = reference.Syntax.SpanStart;

        // One walk of the method: it finds the last clean overwrite and collects the writes before the use.
        var writes = new List<IOperation>();
        var cleanFrom = LastCleanOverwrite(top, local, usePosition, writes);
        foreach (var descendant in writes)
        {
            // Only what was written before the use counts: `msg = "generic"` after a send does not clean it;
            // and nothing before a clean overwrite of the whole local, even one in a branch (precision first).
            if (descendant.Syntax.SpanStart >= usePosition || descendant.Syntax.SpanStart < cleanFrom)
            {
                continue;
            }

            IOperation? value = null;
            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    value = declarator.Initializer?.Value;
                    break;

                case IAssignmentOperation assignment when IsRootedAt(assignment.Target, local):
                    // `msg = …`, `msg += …`, `body.Detail = …`, `dict["k"] = …`
                    value = assignment.Value;
                    break;

                case ICoalesceAssignmentOperation coalesceAssignment when IsRootedAt(coalesceAssignment.Target, local):
                    value = coalesceAssignment.Value;
                    break;

                case IInvocationOperation invocation when invocation.Instance is { } receiver && IsRootedAt(receiver, local):
                    // `sb.Append(ex.Message)`, `dict.Add("trace", ex.StackTrace)`, `problem.Extensions.Add(…)`
                    foreach (var argument in invocation.Arguments)
                    {
                        if (Source(argument.Value) is { } mutation)
                        {
                            return mutation;
                        }
                    }

                    break;

                case IInvocationOperation written when WritesInto(written, local):
                    // `new XmlSerializer(typeof(Error)).Serialize(writer, error)`, `JsonSerializer.Serialize(stream, error)`:
                    // a serializer writing the other arguments into the local's writer or stream.
                    foreach (var argument in written.Arguments)
                    {
                        if (!IsRootedAt(argument.Value, local) && Source(argument.Value) is { } serialized)
                        {
                            return serialized;
                        }
                    }

                    break;
            }

            if (value is not null && Source(value) is { } assigned)
            {
                return assigned;
            }
        }

        return null;
    }

    /// <summary>
    /// The position of the last write of a value free of exception data to the whole local before the use
    /// (`message = "An error occurred";`), or -1. A value that reads the local itself is not a clean overwrite.
    /// </summary>
    private int LastCleanOverwrite(IOperation top, ILocalSymbol local, int usePosition, List<IOperation> writes)
    {
        var cleanFrom = -1;
        foreach (var descendant in top.Descendants())
        {
            var start = descendant.Syntax.SpanStart;
            if (start >= usePosition)
            {
                continue;
            }

            if (IsWriteOf(descendant, local))
            {
                writes.Add(descendant);
            }

            if (start <= cleanFrom)
            {
                continue;
            }

            var value = descendant switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => declarator.Initializer?.Value,
                _ => null,
            };

            if (value is not null && !ReadsLocal(value, local) && Source(value) is null)
            {
                cleanFrom = start;
            }
        }

        return cleanFrom;
    }

    /// <summary>The guards of the cases of <see cref="LocalSource"/>'s walk: an operation that can put something into the local.</summary>
    private bool IsWriteOf(IOperation operation, ILocalSymbol local)
        => operation switch
        {
            IVariableDeclaratorOperation declarator => SymbolEqualityComparer.Default.Equals(declarator.Symbol, local),
            IAssignmentOperation assignment => IsRootedAt(assignment.Target, local), // `??=` included
            IInvocationOperation invocation => (invocation.Instance is { } receiver && IsRootedAt(receiver, local)) || WritesInto(invocation, local),
            _ => false,
        };

    private static bool ReadsLocal(IOperation value, ILocalSymbol local)
    {
        if (value is ILocalReferenceOperation direct && SymbolEqualityComparer.Default.Equals(direct.Local, local))
        {
            return true;
        }

        foreach (var descendant in value.Descendants())
        {
            if (descendant is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A library serializer (<c>Serialize</c> of a serializer type) that gets the local as an argument.</summary>
    private bool WritesInto(IInvocationOperation invocation, ILocalSymbol local)
    {
        var method = invocation.TargetMethod;
        if (method.Name != "Serialize" || method.DeclaringSyntaxReferences.Length > 0 || method.ContainingType is not { } type
            || !(type.Name is "XmlSerializer" or "DataContractSerializer" or "DataContractJsonSerializer" || _types.IsA(type, WellKnownType.System_Text_Json_JsonSerializer)))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (IsRootedAt(argument.Value, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="target"/> is the local or a member/element reached from it.</summary>
    public static bool IsRootedAt(IOperation target, ILocalSymbol local)
    {
        var current = target;
        while (current is not null)
        {
            switch (current)
            {
                case ILocalReferenceOperation reference:
                    return SymbolEqualityComparer.Default.Equals(reference.Local, local);
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
                    // `builder.AppendLine().Append(…)`: fluent calls return the receiver.
                    current = receiver;
                    break;
                default:
                    return false;
            }
        }

        return false;
    }

    /// <summary>
    /// Into a method or constructor of this compilation: does what it returns (or, for a constructor or a fluent
    /// method returning <c>this</c>, stores) come from the exception data passed to it? Answered by a summary per
    /// method and set of tainted parameters, computed once per compilation, composing up to
    /// <see cref="MaxHelperDepth"/> calls deep. A helper that returns a constant (<c>Sanitize(ex.Message)</c> →
    /// <c>"An error occurred"</c>) is clean by its summary.
    /// </summary>
    private IOperation? HelperSource(IMethodSymbol method, System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
    {
        if (_helperDepth >= MaxHelperDepth || method.DeclaringSyntaxReferences.Length == 0 || method.IsAbstract || method.IsExtern)
        {
            return null;
        }

        ulong mask = 0;
        IOperation?[]? argumentSources = null;
        foreach (var argument in arguments)
        {
            if (argument.Parameter is { Ordinal: < 64 } parameter && Source(argument.Value) is { } argumentSource)
            {
                argumentSources ??= new IOperation?[method.Parameters.Length];
                if (parameter.Ordinal < argumentSources.Length)
                {
                    argumentSources[parameter.Ordinal] = argumentSource;
                    mask |= 1UL << parameter.Ordinal;
                }
            }
        }

        if (mask == 0 || argumentSources is null)
        {
            return null;
        }

        var summary = GetSummary(method.OriginalDefinition, mask);
        return summary.Parameter >= 0 ? argumentSources[summary.Parameter] : summary.Source;
    }

    /// <summary>The parameter whose exception data a call's result carries, or -1 (none, or data the helper reads itself).</summary>
    public static int TaintedParameter(Compilation compilation, IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (method.DeclaringSyntaxReferences.Length == 0 || WellKnownTypes.Get(compilation).Get(WellKnownType.System_Exception) is not { } exception)
        {
            return -1;
        }

        var taint = new ExceptionTaint(compilation, exception, cancellationToken);
        ulong mask = 0;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Ordinal: < 64 } parameter && taint.Source(argument.Value) is not null)
            {
                mask |= 1UL << parameter.Ordinal;
            }
        }

        return mask == 0 ? -1 : taint.GetSummary(method.OriginalDefinition, mask).Parameter;
    }

    private Summary GetSummary(IMethodSymbol method, ulong mask)
    {
        var cache = Summaries.GetValue(_compilation, static _ => new ConcurrentDictionary<SummaryKey, Summary>());
        var key = new SummaryKey(method, mask);
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // A recursive helper sees itself as clean while its summary is computed.
        cache.TryAdd(key, Summary.None);
        var summary = new ExceptionTaint(_compilation, _exception, _cancellationToken) { _helperDepth = _helperDepth + 1 }.Summarize(method, mask);
        cache[key] = summary;
        return summary;
    }

    private Summary Summarize(IMethodSymbol method, ulong mask)
    {
        var body = GetBody(_compilation, method, _cancellationToken);
        if (body is null)
        {
            return Summary.None;
        }

        // Tainted parameters stand for themselves; the caller maps them back to its own arguments.
        _taintedParameters = new Dictionary<IParameterSymbol, IOperation>(SymbolEqualityComparer.Default);
        var markers = new Dictionary<IParameterSymbol, int>(SymbolEqualityComparer.Default);
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Ordinal < 64 && (mask & (1UL << parameter.Ordinal)) != 0)
            {
                markers[parameter] = parameter.Ordinal;
            }
        }

        foreach (var descendant in body.Descendants())
        {
            if (descendant is IParameterReferenceOperation reference && markers.ContainsKey(reference.Parameter) && !_taintedParameters.ContainsKey(reference.Parameter))
            {
                _taintedParameters[reference.Parameter] = reference;
            }
        }

        var storesIntoThis = method.MethodKind == MethodKind.Constructor;
        foreach (var descendant in body.Descendants())
        {
            if (descendant is IReturnOperation { ReturnedValue: { } returned } && BelongsTo(descendant, body)
                && returned.WithoutConversions() is IInstanceReferenceOperation)
            {
                storesIntoThis = true;
            }
        }

        foreach (var descendant in body.Descendants())
        {
            if (!BelongsTo(descendant, body))
            {
                continue;
            }

            IOperation? value = descendant switch
            {
                IReturnOperation { ReturnedValue: { } returned } => returned,
                ISimpleAssignmentOperation assignment when storesIntoThis
                    && assignment.Target is IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation } or IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } => assignment.Value,
                IInvocationOperation { Instance: IPropertyReferenceOperation { Instance: IInstanceReferenceOperation } or IFieldReferenceOperation { Instance: IInstanceReferenceOperation } } add when storesIntoThis
                    && add.TargetMethod.Name is "Add" or "AddRange" or "Insert" => add,
                _ => null,
            };

            if (value is null)
            {
                continue;
            }

            var source = value is IInvocationOperation added ? FirstArgumentSource(added) : Source(value);
            if (source is null)
            {
                continue;
            }

            return source is IParameterReferenceOperation marker && markers.TryGetValue(marker.Parameter, out var ordinal) && !IsException(marker.Type, _exception)
                ? new Summary(ordinal, null)
                : new Summary(-1, source);
        }

        return Summary.None;
    }

    private IOperation? FirstArgumentSource(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (Source(argument.Value) is { } source)
            {
                return source;
            }
        }

        return null;
    }

    /// <summary>Where a helper's result gets its exception data: from the caller's argument <see cref="Parameter"/>, or <see cref="Source"/> inside the helper.</summary>
    private readonly struct Summary
    {
        public static readonly Summary None = new(-1, null);

        public Summary(int parameter, IOperation? source)
        {
            Parameter = parameter;
            Source = source;
        }

        public int Parameter { get; }

        public IOperation? Source { get; }
    }

    private readonly struct SummaryKey : System.IEquatable<SummaryKey>
    {
        public SummaryKey(IMethodSymbol method, ulong mask)
        {
            Method = method;
            Mask = mask;
        }

        public IMethodSymbol Method { get; }

        public ulong Mask { get; }

        public bool Equals(SummaryKey other) => Mask == other.Mask && SymbolEqualityComparer.Default.Equals(Method, other.Method);

        public override bool Equals(object? obj) => obj is SummaryKey other && Equals(other);

        public override int GetHashCode() => (SymbolEqualityComparer.Default.GetHashCode(Method) * 397) ^ Mask.GetHashCode();
    }

    // Returns inside lambdas and local functions of the helper are not the helper's own.
    private static bool BelongsTo(IOperation operation, IOperation body)
    {
        for (var current = operation.Parent; current is not null && !ReferenceEquals(current, body); current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The operation tree of a method, constructor or local function declared in <paramref name="compilation"/>.</summary>
    public static IOperation? GetBody(Compilation compilation, IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length == 0)
        {
            return null;
        }

        var reference = method.DeclaringSyntaxReferences[0];
        var tree = reference.SyntaxTree;
        if (!compilation.ContainsSyntaxTree(tree))
        {
            return null;
        }

        var syntax = reference.GetSyntax(cancellationToken);
        if (syntax is not (BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax))
        {
            return null;
        }

        // A helper lives in one body; binding it is done only for calls that already carry exception data into a 5xx response.
#pragma warning disable RS1030 // Do not invoke Compilation.GetSemanticModel() method within a diagnostic analyzer
        var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
        IOperation? operation;
#if ANALYZER_PROBES
        // Binding inside our action: the driver's work, charged to us when we are first (docs/performance.md).
        using (Probes.Time("ExceptionTaint.GetBody: binding a body"))
#endif
        {
            operation = model.GetOperation(syntax, cancellationToken);
        }

        return operation switch
        {
            ILocalFunctionOperation localFunction => (IOperation?)localFunction.Body ?? localFunction.IgnoredBody,
            _ => operation,
        };
    }

    private static IOperation? ConditionalAccessReceiver(IConditionalAccessInstanceOperation instance)
    {
        IOperation child = instance;
        for (var parent = instance.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalAccessOperation access && ReferenceEquals(access.WhenNotNull, child))
            {
                return access.Operation;
            }
        }

        return null;
    }
}
