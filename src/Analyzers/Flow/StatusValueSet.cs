using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>One constant a status expression can hold, and the operation it comes from (null for a framework default).</summary>
internal readonly struct StatusMember
{
    public StatusMember(int value, IOperation? origin)
    {
        Value = value;
        Origin = origin;
    }

    public int Value { get; }

    /// <summary>The constant's operation (<c>HttpStatusCode.ServiceUnavailable</c> in <c>code = HttpStatusCode.ServiceUnavailable;</c>), or null.</summary>
    public IOperation? Origin { get; }
}

/// <summary>
/// The set of constant statuses an expression can hold where it is used, plus whether it can also hold something
/// the code does not prove (a computed arm: <c>mail.StatusCode</c>, a method result). Unknown members neither prove
/// nor cancel a status: a set that contains a 5xx is a 5xx response on that path, a set of 4xx only is not.
/// </summary>
internal readonly struct StatusSet
{
    private readonly ImmutableArray<StatusMember> _members;

    private StatusSet(ImmutableArray<StatusMember> members, bool hasUnknown)
    {
        _members = members;
        HasUnknown = hasUnknown;
    }

    /// <summary>No status at all (not a status-producing operation).</summary>
    public static StatusSet None => default;

    /// <summary>A status the code does not prove.</summary>
    public static StatusSet Unknown => new(ImmutableArray<StatusMember>.Empty, hasUnknown: true);

    public static StatusSet Of(int value, IOperation? origin = null) => new(ImmutableArray.Create(new StatusMember(value, origin)), hasUnknown: false);

    public ImmutableArray<StatusMember> Members => _members.IsDefault ? ImmutableArray<StatusMember>.Empty : _members;

    public bool HasUnknown { get; }

    /// <summary>True when at least one constant is proven.</summary>
    public bool HasConstants => !_members.IsDefaultOrEmpty;

    /// <summary>True when nothing is known about a status (no constant, no unknown).</summary>
    public bool IsNone => _members.IsDefaultOrEmpty && !HasUnknown;

    /// <summary>The constant when the set is exactly one constant; else null.</summary>
    public int? Single => !HasUnknown && !_members.IsDefaultOrEmpty && AllEqual() ? _members[0].Value : null;

    public bool Contains(int status)
    {
        foreach (var member in Members)
        {
            if (member.Value == status)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The first 5xx constant in the set, or null.</summary>
    public int? FirstServerError
    {
        get
        {
            foreach (var member in Members)
            {
                if (StatusCode.IsServerError(member.Value))
                {
                    return member.Value;
                }
            }

            return null;
        }
    }

    /// <summary>
    /// The first 5xx whose constant is not on a branch exclusive of <paramref name="use"/> (an <c>if</c>/<c>else</c>,
    /// switch section or <c>?:</c> arm that cannot run together with it): a message set only for the 404 branch is
    /// not sent with the 500 of the other branch.
    /// </summary>
    public int? ServerErrorOnPathOf(IOperation use)
    {
        foreach (var member in Members)
        {
            if (StatusCode.IsServerError(member.Value) && (member.Origin is null || !StatusValueSet.AreExclusive(member.Origin, use)))
            {
                return member.Value;
            }
        }

        return null;
    }

    public StatusSet Union(StatusSet other)
    {
        if (IsNone)
        {
            return other;
        }

        if (other.IsNone)
        {
            return this;
        }

        var members = Members.AddRange(other.Members);
        return new StatusSet(members, HasUnknown || other.HasUnknown);
    }

    public StatusSet WithUnknown() => new(Members, hasUnknown: true);

    /// <summary>Members whose constant lives in another method (a helper's return) take <paramref name="anchor"/>, the call here, as their origin.</summary>
    public StatusSet AnchoredAt(IOperation anchor)
    {
        if (_members.IsDefaultOrEmpty)
        {
            return this;
        }

        var root = anchor.Root();
        ImmutableArray<StatusMember>.Builder? builder = null;
        for (var i = 0; i < _members.Length; i++)
        {
            var member = _members[i];
            if (member.Origin is not null && !ReferenceEquals(member.Origin.Root(), root))
            {
                builder ??= _members.ToBuilder();
                builder[i] = new StatusMember(member.Value, anchor);
            }
        }

        return builder is null ? this : new StatusSet(builder.ToImmutable(), HasUnknown);
    }

    private bool AllEqual()
    {
        for (var i = 1; i < _members.Length; i++)
        {
            if (_members[i].Value != _members[0].Value)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>
/// Evaluates a status expression to the <see cref="StatusSet"/> it can hold at its use: constants (literals, consts,
/// <c>StatusCodes.*</c>, <c>HttpStatusCode.*</c>, casts), <c>?:</c>, <c>??</c>, switch expressions, and locals
/// initialised and reassigned on branches (<c>if</c>/<c>else</c>, <c>switch</c>) before the use. An assignment of the
/// whole local in a block that encloses the use hides every write before it. Tuples deconstructed into locals
/// (<c>var (status, title) = ex switch { … }</c>) give each local its element. A method of the compilation that returns
/// a status (<c>GetStatusCode(ex)</c>, <c>MapException(ex)</c> returning a tuple) contributes the statuses it returns,
/// summarised once per method and compilation. Parameters, fields and other calls are unknown.
/// </summary>
internal static class StatusValueSet
{
    private const int MaxDepth = 8;

    /// <summary>Helper results: (method, tuple element or -1) → the statuses it returns, once per compilation.</summary>
    private static readonly ConditionalWeakTable<Compilation, ConcurrentDictionary<HelperKey, StatusSet>> Helpers = new();

    public static StatusSet Evaluate(IOperation? operation) => Evaluate(operation, 0, null);

    private static StatusSet Evaluate(IOperation? operation, int depth, HashSet<ILocalSymbol>? visiting)
        => EvaluateElement(operation, -1, depth, visiting);

    /// <summary>The statuses of <paramref name="operation"/>, or of its tuple element <paramref name="element"/> (when ≥ 0).</summary>
    private static StatusSet EvaluateElement(IOperation? operation, int element, int depth, HashSet<ILocalSymbol>? visiting)
    {
        if (operation is null || depth > MaxDepth)
        {
            return StatusSet.Unknown;
        }

        if (element >= 0)
        {
            operation = operation.WithoutConversions();
            switch (operation)
            {
                case ITupleOperation tuple:
                    return element < tuple.Elements.Length ? Evaluate(tuple.Elements[element], depth + 1, visiting) : StatusSet.Unknown;
                case IConditionalOperation { WhenFalse: { } falseTuple } conditionalTuple:
                    return EvaluateElement(conditionalTuple.WhenTrue, element, depth + 1, visiting).Union(EvaluateElement(falseTuple, element, depth + 1, visiting));
                case ISwitchExpressionOperation tupleSwitch:
                    var tupleArms = StatusSet.None;
                    foreach (var arm in tupleSwitch.Arms)
                    {
                        tupleArms = tupleArms.Union(EvaluateElement(arm.Value, element, depth + 1, visiting));
                    }

                    return tupleArms.IsNone ? StatusSet.Unknown : tupleArms;
                case IInvocationOperation tupleCall:
                    return OfHelper(tupleCall, element, depth);
                default:
                    return StatusSet.Unknown;
            }
        }

        operation = operation.WithoutConversions();
        if (StatusCode.TryGetConstant(operation) is { } constant)
        {
            return StatusSet.Of(constant, operation);
        }

        switch (operation)
        {
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return Evaluate(conditional.WhenTrue, depth + 1, visiting).Union(Evaluate(whenFalse, depth + 1, visiting));

            case ICoalesceOperation coalesce:
                return Evaluate(coalesce.Value, depth + 1, visiting).Union(Evaluate(coalesce.WhenNull, depth + 1, visiting));

            case ISwitchExpressionOperation switchExpression:
                var arms = StatusSet.None;
                foreach (var arm in switchExpression.Arms)
                {
                    arms = arms.Union(Evaluate(arm.Value, depth + 1, visiting));
                }

                return arms.IsNone ? StatusSet.Unknown : arms;

            case ILocalReferenceOperation local:
                return OfLocal(local, depth, visiting);

            case IPropertyReferenceOperation { Property.Name: "Value", Instance: IPropertyReferenceOperation nullable } when nullable.Type?.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T:
                // `problem.Status.Value`
                return Evaluate(nullable, depth + 1, visiting);

            case IPropertyReferenceOperation { Instance: ILocalReferenceOperation owner } member:
                return OfLocalMember(owner, member.Property, depth);

            case IInvocationOperation invocation:
                return OfHelper(invocation, -1, depth);

            case IThrowOperation:
                // `_ => throw new …` adds no status.
                return StatusSet.None;

            default:
                return StatusSet.Unknown;
        }
    }

    /// <summary>
    /// The statuses a method of this compilation returns (its return statements or expression body), computed once per
    /// method and compilation; unknown for methods without source, virtual ones and deep chains.
    /// </summary>
    private static StatusSet OfHelper(IInvocationOperation invocation, int element, int depth)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (method.DeclaringSyntaxReferences.Length != 1 || method.IsAbstract || method.IsVirtual || method.IsOverride
            || method.PartialImplementationPart is not null || invocation.SemanticModel?.Compilation is not { } compilation
            || depth > MaxDepth / 2)
        {
            return StatusSet.Unknown;
        }

        var cache = Helpers.GetValue(compilation, static _ => new ConcurrentDictionary<HelperKey, StatusSet>());
        var key = new HelperKey(method, element);
        if (cache.TryGetValue(key, out var cached))
        {
            return cached;
        }

        // A recursive helper sees itself as unknown while it is computed.
        cache.TryAdd(key, StatusSet.Unknown);
        var result = ComputeHelper(compilation, method, element, depth);
        cache[key] = result;
        return result;
    }

    private static StatusSet ComputeHelper(Compilation compilation, IMethodSymbol method, int element, int depth)
    {
        if (ExceptionTaint.GetBody(compilation, method, CancellationToken.None) is not { } body)
        {
            return StatusSet.Unknown;
        }

        var result = StatusSet.None;
        foreach (var descendant in body.Descendants())
        {
            if (descendant is IReturnOperation { ReturnedValue: { } returned } && !IsInNestedFunction(descendant, body))
            {
                result = result.Union(EvaluateElement(returned, element, depth + 1, null));
            }
        }

        return result.IsNone ? StatusSet.Unknown : result;
    }

    private static bool IsInNestedFunction(IOperation operation, IOperation body)
    {
        for (var parent = operation.Parent; parent is not null && !ReferenceEquals(parent, body); parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    private readonly struct HelperKey : System.IEquatable<HelperKey>
    {
        public HelperKey(IMethodSymbol method, int element)
        {
            Method = method;
            Element = element;
        }

        public IMethodSymbol Method { get; }

        public int Element { get; }

        public bool Equals(HelperKey other) => Element == other.Element && SymbolEqualityComparer.Default.Equals(Method, other.Method);

        public override bool Equals(object? obj) => obj is HelperKey other && Equals(other);

        public override int GetHashCode() => (SymbolEqualityComparer.Default.GetHashCode(Method) * 31) + Element;
    }

    /// <summary>The position of <paramref name="local"/> in a deconstruction target (<c>var (status, title)</c>), or -1.</summary>
    private static int ElementOf(IOperation target, ILocalSymbol local)
    {
        if (target is IDeclarationExpressionOperation declaration)
        {
            target = declaration.Expression;
        }

        if (target is not ITupleOperation tuple)
        {
            return -1;
        }

        for (var i = 0; i < tuple.Elements.Length; i++)
        {
            var element = tuple.Elements[i];
            if (element is IDeclarationExpressionOperation declared)
            {
                element = declared.Expression;
            }

            if (element is ILocalReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Local, local))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// <c>problem.Status</c> where <c>problem</c> is a local built here: the value its object initializer gives the
    /// property, joined by <c>problem.Status = …</c> assignments before the use.
    /// </summary>
    private static StatusSet OfLocalMember(ILocalReferenceOperation owner, IPropertySymbol property, int depth)
    {
        var local = owner.Local;
        var usePosition = owner.Syntax.SpanStart;
        var result = StatusSet.None;
        foreach (var descendant in owner.Root().Descendants())
        {
            if (descendant.Syntax.SpanStart >= usePosition)
            {
                continue;
            }

            switch (descendant)
            {
                case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                    if (declarator.Initializer?.Value.WithoutConversions() is not IObjectCreationOperation { Initializer: { } initializer })
                    {
                        return StatusSet.Unknown;
                    }

                    foreach (var element in initializer.Initializers)
                    {
                        if (element is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment
                            && SymbolEqualityComparer.Default.Equals(target.Property, property))
                        {
                            result = result.Union(Evaluate(assignment.Value, depth + 1, null));
                        }
                    }

                    break;

                case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                    // The whole object replaced: not followed.
                    return StatusSet.Unknown;

                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Instance: ILocalReferenceOperation instance } target } assignment
                    when SymbolEqualityComparer.Default.Equals(instance.Local, local) && SymbolEqualityComparer.Default.Equals(target.Property, property):
                    result = result.Union(Evaluate(assignment.Value, depth + 1, null));
                    break;
            }
        }

        return result.IsNone ? StatusSet.Unknown : result;
    }

    private static StatusSet OfLocal(ILocalReferenceOperation reference, int depth, HashSet<ILocalSymbol>? visiting)
    {
        var local = reference.Local;
        {
            var usePosition = reference.Syntax.SpanStart;
            var from = DominatingWrite(reference);
            var result = StatusSet.None;
            foreach (var descendant in reference.Root().Descendants())
            {
                var start = descendant.Syntax.SpanStart;

                // `code = ex switch { …, _ => code }`: the use inside a write reads the value before it.
                if (descendant.Syntax.Span.Contains(usePosition) && descendant is IAssignmentOperation or IVariableDeclaratorOperation)
                {
                    continue;
                }

                switch (descendant)
                {
                    case IVariableDeclaratorOperation declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local):
                        if (start < usePosition && start >= from)
                        {
                            result = result.Union(declarator.Initializer is { } initializer ? Evaluate(initializer.Value, depth + 1, visiting).AnchoredAt(initializer.Value) : StatusSet.Unknown);
                        }

                        break;

                    case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when SymbolEqualityComparer.Default.Equals(target.Local, local):
                        if (start < usePosition && start >= from)
                        {
                            result = result.Union(IsInOtherFunction(assignment, reference) ? StatusSet.Unknown : Evaluate(assignment.Value, depth + 1, visiting).AnchoredAt(assignment.Value));
                        }

                        break;

                    case IDeconstructionAssignmentOperation deconstruction when ElementOf(deconstruction.Target, local) is var element && element >= 0:
                        if (start < usePosition && start >= from)
                        {
                            result = result.Union(EvaluateElement(deconstruction.Value, element, depth + 1, visiting).AnchoredAt(deconstruction.Value));
                        }

                        break;

                    case IAssignmentOperation { Target: ILocalReferenceOperation target } when SymbolEqualityComparer.Default.Equals(target.Local, local):
                        // `code += 1`, `code ??= …`, deconstruction: not proven.
                        result = result.WithUnknown();
                        break;

                    case IArgumentOperation { Parameter.RefKind: not RefKind.None, Value: ILocalReferenceOperation passed } when SymbolEqualityComparer.Default.Equals(passed.Local, local):
                        result = result.WithUnknown();
                        break;
                }
            }

            return result.IsNone ? StatusSet.Unknown : result;
        }
    }

    /// <summary>
    /// The position of the last whole-local write that certainly runs before the use: a declaration or assignment
    /// statement directly in a block (or switch section) that encloses the use; -1 when there is none.
    /// </summary>
    private static int DominatingWrite(ILocalReferenceOperation reference)
    {
        var local = reference.Local;
        IOperation child = reference;
        for (var parent = reference.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return -1;
            }

            ImmutableArray<IOperation> statements;
            if (parent is IBlockOperation block)
            {
                statements = block.Operations;
            }
            else if (parent is ISwitchCaseOperation switchCase)
            {
                statements = switchCase.Body;
            }
            else
            {
                continue;
            }

            for (var i = IndexOf(statements, child) - 1; i >= 0; i--)
            {
                if (WritesWholeLocal(statements[i], local))
                {
                    return statements[i].Syntax.SpanStart;
                }
            }
        }

        return -1;
    }

    private static int IndexOf(ImmutableArray<IOperation> statements, IOperation child)
    {
        for (var i = 0; i < statements.Length; i++)
        {
            if (ReferenceEquals(statements[i], child))
            {
                return i;
            }
        }

        return statements.Length;
    }

    private static bool WritesWholeLocal(IOperation statement, ILocalSymbol local)
    {
        switch (statement)
        {
            case IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } }:
                return SymbolEqualityComparer.Default.Equals(target.Local, local);

            case IExpressionStatementOperation { Operation: IDeconstructionAssignmentOperation deconstruction }:
                return ElementOf(deconstruction.Target, local) >= 0;

            case IVariableDeclarationGroupOperation group:
                foreach (var declaration in group.Declarations)
                {
                    foreach (var declarator in declaration.Declarators)
                    {
                        if (SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) && declarator.Initializer is not null)
                        {
                            return true;
                        }
                    }
                }

                return false;

            default:
                return false;
        }
    }

    private static bool IsInOtherFunction(IOperation write, IOperation use)
        => EnclosingFunction(write) is var writeFunction && !ReferenceEquals(writeFunction, EnclosingFunction(use));

    private static IOperation? EnclosingFunction(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="first"/> and <paramref name="second"/> sit in arms of one branch that cannot both run:
    /// the two sides of an <c>if</c>/<c>else</c> or <c>?:</c>, two sections of a <c>switch</c>, two switch-expression arms.
    /// </summary>
    public static bool AreExclusive(IOperation first, IOperation second)
    {
        if (first.Syntax.SyntaxTree != second.Syntax.SyntaxTree)
        {
            return false;
        }

        // The nearest common ancestor by depth, without a set of ancestors (this runs for every reported leak).
        var firstDepth = Depth(first);
        var secondDepth = Depth(second);
        IOperation? a = first;
        IOperation? b = second;
        IOperation? firstChild = null;
        IOperation? secondChild = null;
        for (; firstDepth > secondDepth; firstDepth--)
        {
            firstChild = a;
            a = a!.Parent;
        }

        for (; secondDepth > firstDepth; secondDepth--)
        {
            secondChild = b;
            b = b!.Parent;
        }

        while (a is not null && b is not null && !ReferenceEquals(a, b))
        {
            firstChild = a;
            a = a.Parent;
            secondChild = b;
            b = b.Parent;
        }

        var result = a is not null && ReferenceEquals(a, b) && firstChild is not null && secondChild is not null && !ReferenceEquals(firstChild, secondChild)
            && a switch
            {
                IConditionalOperation conditional => !ReferenceEquals(firstChild, conditional.Condition) && !ReferenceEquals(secondChild, conditional.Condition),
                ISwitchOperation => firstChild is ISwitchCaseOperation && secondChild is ISwitchCaseOperation,
                ISwitchExpressionOperation => firstChild is ISwitchExpressionArmOperation && secondChild is ISwitchExpressionArmOperation,
                _ => false,
            };
#if DEBUG
        if (result != AreExclusiveBySet(first, second))
        {
            throw new System.InvalidOperationException($"AreExclusive disagrees with the ancestor-set version at {first.Syntax.GetLocation()} / {second.Syntax.GetLocation()}");
        }
#endif
        return result;
    }

    private static int Depth(IOperation operation)
    {
        var depth = 0;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            depth++;
        }

        return depth;
    }

#if DEBUG
    /// <summary>The former implementation (a set of the ancestors of <paramref name="second"/>), kept to check the depth walk.</summary>
    private static bool AreExclusiveBySet(IOperation first, IOperation second)
    {
        var ancestors = new HashSet<IOperation>();
        for (var current = second; current is not null; current = current.Parent)
        {
            ancestors.Add(current);
        }

        IOperation? firstChild = null;
        for (var current = first; current is not null; firstChild = current, current = current.Parent)
        {
            if (!ancestors.Contains(current))
            {
                continue;
            }

            if (firstChild is null)
            {
                return false;
            }

            // `current` is the nearest common ancestor; find the child on the side of `second`.
            IOperation? secondChild = null;
            for (var walk = second; walk is not null && !ReferenceEquals(walk, current); walk = walk.Parent)
            {
                secondChild = walk;
            }

            if (secondChild is null || ReferenceEquals(firstChild, secondChild))
            {
                return false;
            }

            return current switch
            {
                IConditionalOperation conditional => !ReferenceEquals(firstChild, conditional.Condition) && !ReferenceEquals(secondChild, conditional.Condition),
                ISwitchOperation => firstChild is ISwitchCaseOperation && secondChild is ISwitchCaseOperation,
                ISwitchExpressionOperation => firstChild is ISwitchExpressionArmOperation && secondChild is ISwitchExpressionArmOperation,
                _ => false,
            };
        }

        return false;
    }
#endif
}
