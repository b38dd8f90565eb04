using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>What a retry condition provably does with HTTP statuses.</summary>
internal readonly struct RetryConditionFacts
{
    public RetryConditionFacts(int admittedClientError, int namedComeBackLater)
    {
        AdmittedClientError = admittedClientError;
        NamedComeBackLater = namedComeBackLater;
    }

    /// <summary>A non-transient 4xx (not 408/429) for which the condition is provably true; 0 when none is proven.</summary>
    public int AdmittedClientError { get; }

    /// <summary>503 or 429 when the condition names that status explicitly and is true for it; 0 otherwise.</summary>
    public int NamedComeBackLater { get; }

    public bool AdmitsClientError => AdmittedClientError != 0;

    public bool NamesComeBackLater => NamedComeBackLater != 0;
}

/// <summary>
/// Decides what a retry condition does with HTTP statuses, independently of any retry library: the condition
/// is evaluated symbolically for every status, with three-valued logic, so that anything it cannot prove
/// (a call to an unknown method, a comparison with a run-time value) leaves the answer unknown and the rules silent.
/// <para>
/// Understood: <c>StatusCode</c> (with casts to <c>int</c>), <c>IsSuccessStatusCode</c>, comparisons, <c>!</c>,
/// <c>&amp;&amp;</c>, <c>||</c>, <c>?:</c>, <c>is</c> patterns (constant, relational, <c>not</c>/<c>and</c>/<c>or</c>,
/// property and extended property patterns, type and <c>var</c> patterns), switch expressions with guards,
/// conditional access, <c>ValueTask.FromResult</c>/<c>Task.FromResult</c>, Polly's <c>PredicateResult.True()/False()</c>,
/// <c>Outcome.Result</c>/<c>Outcome.Exception</c> (Polly v8 <c>Outcome&lt;T&gt;</c>, v7 <c>DelegateResult&lt;T&gt;</c>),
/// <c>HttpClientResiliencePredicates.IsTransient</c>, <c>Contains</c> on constant arrays, and
/// <c>HttpRequestException.StatusCode</c> in exception filters.
/// </para>
/// </summary>
internal static class RetryCondition
{
    /// <summary>
    /// Analyzes a predicate over a response: a lambda (<c>r =&gt; !r.IsSuccessStatusCode</c>, Polly v8
    /// <c>args =&gt; ValueTask.FromResult(…)</c>) or a boolean expression (a loop's <c>if</c> condition).
    /// </summary>
    /// <param name="condition">The lambda, delegate creation or boolean expression.</param>
    /// <param name="response">The local or parameter that holds the response; null = any <c>HttpResponseMessage</c>
    /// parameter or local, and any <c>Outcome&lt;HttpResponseMessage&gt;</c>/<c>DelegateResult&lt;HttpResponseMessage&gt;</c>.</param>
    public static RetryConditionFacts AnalyzeResponseCondition(IOperation condition, ISymbol? response = null)
        => Analyze(condition, response, SubjectKind.Response);

    /// <summary>
    /// Analyzes a filter over an <c>HttpRequestException</c> (<c>Handle&lt;HttpRequestException&gt;(e =&gt; …)</c>,
    /// <c>catch (HttpRequestException e) when (…)</c>): which statuses carried by <c>e.StatusCode</c> pass it.
    /// </summary>
    public static RetryConditionFacts AnalyzeExceptionFilter(IOperation filter, ISymbol? exception = null)
        => Analyze(filter, exception, SubjectKind.Exception);

    /// <summary>For <see cref="Evaluate"/> on an exception: an <c>HttpRequestException</c> without status (a network failure).</summary>
    public const int NoStatus = 0;

    /// <summary>The condition's value for a response (or exception) carrying <paramref name="status"/> (<see cref="NoStatus"/>: an exception without status): true, false, or null when unknown.</summary>
    public static bool? Evaluate(IOperation condition, int status, ISymbol? subject = null, bool subjectIsException = false)
    {
        var evaluator = new Evaluator(status, subject, subjectIsException ? SubjectKind.Exception : SubjectKind.Response);
        var value = evaluator.Evaluate(condition);
        return value.Kind == ValueKind.Bool ? value.Number != 0 : null;
    }

    /// <summary>
    /// For the SE2001 fix of a switch predicate: the arm a response with <paramref name="status"/> selects when the arms marked in
    /// <paramref name="skipped"/> are left out and those marked in <paramref name="transientOnly"/> also require a transient status
    /// (5xx, 408); <see cref="NoArm"/> when no arm matches, <see cref="UnknownArm"/> when that cannot be told.
    /// </summary>
    public static int SelectArm(ISwitchExpressionOperation switchExpression, int status, bool[] skipped, bool[] transientOnly)
        => new Evaluator(status, null, SubjectKind.Response).SelectArm(switchExpression, skipped, transientOnly);

    /// <summary><see cref="SelectArm"/>: no arm matches.</summary>
    public const int NoArm = -1;

    /// <summary><see cref="SelectArm"/>: the selected arm cannot be told.</summary>
    public const int UnknownArm = -2;

    private static RetryConditionFacts Analyze(IOperation condition, ISymbol? subject, SubjectKind kind)
    {
        var evaluator = new Evaluator(0, subject, kind);
        var admitted = 0;

        // Once per class of 4xx statuses the condition cannot tell apart (StatusClasses), lowest first.
        // The condition itself is all the evaluator reads (it follows no local to its initializer).
        var starts = new List<int>(16);
        StatusClasses.ComputeClientErrors(condition, starts);
        for (var index = 0; index < starts.Count && admitted == 0; index++)
        {
            var start = starts[index];
            var end = StatusClasses.EndOfClientError(starts, index);
            var member = start;
            while (member <= end && StatusCode.IsTransientClientError(member))
            {
                member++;
            }

            if (member <= end && evaluator.IsTrueFor(condition, start))
            {
                admitted = member;
            }
#if DEBUG
            // Debug builds (the tests) prove the classes exact.
            for (var other = start + 1; other <= end; other++)
            {
                if (evaluator.IsTrueFor(condition, other) != evaluator.IsTrueFor(condition, start))
                {
                    throw new System.InvalidOperationException($"status {other} does not behave like {start} in its class (up to {end}) in the condition at {condition.Syntax.GetLocation()}");
                }
            }
#endif
        }

        var named = 0;
        if (NamesStatus(condition, 503) && evaluator.IsTrueFor(condition, 503))
        {
            named = 503;
        }
        else if (NamesStatus(condition, 429) && evaluator.IsTrueFor(condition, 429))
        {
            named = 429;
        }

        return new RetryConditionFacts(admitted, named);
    }

    /// <summary>The statuses <see cref="NamesStatus"/> is true for, in one walk; null when none.</summary>
    public static List<int>? NamedStatuses(IOperation condition)
    {
        List<int>? named = null;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is ILiteralOperation or IFieldReferenceOperation or ILocalReferenceOperation
                && operation.ConstantValue.HasValue
                && StatusCode.TryGetConstant(operation) is { } status)
            {
                (named ??= new List<int>()).Add(status);
            }
        }

        return named;
    }

    /// <summary>True when <paramref name="condition"/> contains the constant <paramref name="status"/> (literal, HttpStatusCode member, StatusCodes constant).</summary>
    public static bool NamesStatus(IOperation condition, int status)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is ILiteralOperation or IFieldReferenceOperation or ILocalReferenceOperation
                && operation.ConstantValue.HasValue
                && StatusCode.TryGetConstant(operation) == status)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A short description of a status for messages: "404 Not Found".</summary>
    public static string Describe(int status) => status switch
    {
        400 => "400 Bad Request",
        401 => "401 Unauthorized",
        403 => "403 Forbidden",
        404 => "404 Not Found",
        405 => "405 Method Not Allowed",
        409 => "409 Conflict",
        410 => "410 Gone",
        422 => "422 Unprocessable Entity",
        429 => "429 Too Many Requests",
        503 => "503 Service Unavailable",
        _ => status.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    internal static bool IsHttpResponseMessage(ITypeSymbol? type)
        => type is { Name: "HttpResponseMessage", ContainingNamespace: { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

    internal static bool IsHttpRequestException(ITypeSymbol? type)
        => type is { Name: "HttpRequestException", ContainingNamespace: { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } };

    /// <summary>Polly v8 <c>Outcome&lt;HttpResponseMessage&gt;</c> or Polly v7 <c>DelegateResult&lt;HttpResponseMessage&gt;</c>.</summary>
    internal static bool IsResponseOutcome(ITypeSymbol? type)
        => type is INamedTypeSymbol { Name: "Outcome" or "DelegateResult", TypeArguments.Length: 1, ContainingNamespace: { Name: "Polly", ContainingNamespace.IsGlobalNamespace: true } } named
            && IsHttpResponseMessage(named.TypeArguments[0]);

    private enum SubjectKind
    {
        Response,
        Exception,
    }

    private enum ValueKind : byte
    {
        Unknown,
        Bool,
        Int,
        Null,
        Response,
        Exception,
        Outcome,
    }

    private readonly struct Value
    {
        public static readonly Value Unknown = default;
        public static readonly Value True = new(ValueKind.Bool, 1);
        public static readonly Value False = new(ValueKind.Bool, 0);

        public Value(ValueKind kind, long number)
        {
            Kind = kind;
            Number = number;
        }

        public ValueKind Kind { get; }

        public long Number { get; }

        public static Value Bool(bool value) => value ? True : False;

        public static Value Of(ValueKind kind) => new(kind, 0);
    }

    private sealed class Evaluator
    {
        private const int MaxDepth = 64;
        private readonly ISymbol? _subject;
        private readonly SubjectKind _kind;
        private int _status;
        private int _depth;
        private Value _patternInput;
        private Value _conditionalInstance;
        private Dictionary<ISymbol, Value>? _bound;

        public Evaluator(int status, ISymbol? subject, SubjectKind kind)
        {
            _status = status;
            _subject = subject;
            _kind = kind;
        }

        public bool IsTrueFor(IOperation condition, int status)
        {
            _status = status;
            _depth = 0;
            _bound?.Clear();
            var value = Evaluate(condition);
            return value.Kind == ValueKind.Bool && value.Number != 0;
        }

        public int SelectArm(ISwitchExpressionOperation switchExpression, bool[] skipped, bool[] transientOnly)
        {
            var value = Evaluate(switchExpression.Value);
            for (var index = 0; index < switchExpression.Arms.Length; index++)
            {
                if (skipped[index])
                {
                    continue;
                }

                var arm = switchExpression.Arms[index];
                var matched = Match(value, arm.Pattern);
                if (matched.Kind == ValueKind.Bool && matched.Number != 0 && arm.Guard is not null)
                {
                    matched = Evaluate(arm.Guard);
                }

                if (matched.Kind == ValueKind.Bool && matched.Number != 0 && transientOnly[index])
                {
                    matched = Value.Bool(_status >= 500 || _status == 408);
                }

                if (matched.Kind != ValueKind.Bool)
                {
                    return UnknownArm;
                }

                if (matched.Number != 0)
                {
                    return index;
                }
            }

            return NoArm;
        }

        public Value Evaluate(IOperation? operation)
        {
            if (operation is null || _depth > MaxDepth)
            {
                return Value.Unknown;
            }

            _depth++;
            try
            {
                return EvaluateCore(operation);
            }
            finally
            {
                _depth--;
            }
        }

        private Value EvaluateCore(IOperation operation)
        {
            if (operation.ConstantValue.HasValue)
            {
                return operation.ConstantValue.Value switch
                {
                    null => Value.Of(ValueKind.Null),
                    bool b => Value.Bool(b),
                    int i => new Value(ValueKind.Int, i),
                    short s => new Value(ValueKind.Int, s),
                    long l => new Value(ValueKind.Int, l),
                    _ => Value.Unknown,
                };
            }

            switch (operation)
            {
                case IConversionOperation conversion:
                    return conversion.OperatorMethod is null ? Evaluate(conversion.Operand) : Value.Unknown;

                case IDelegateCreationOperation delegateCreation:
                    return Evaluate(delegateCreation.Target);

                case IAnonymousFunctionOperation lambda:
                    return EvaluateBody(lambda.Body);

                case IBlockOperation block:
                    // The body of a predicate method of the application (`OrResult(IsRetryable)`).
                    return EvaluateBody(block);

                case IParameterReferenceOperation parameter:
                    return Reference(parameter.Parameter, parameter.Type);

                case ILocalReferenceOperation local:
                    if (_bound is not null && _bound.TryGetValue(local.Local, out var bound))
                    {
                        return bound;
                    }

                    return Reference(local.Local, local.Type);

                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.PatternInput }:
                    return _patternInput;

                case IConditionalAccessInstanceOperation:
                    return _conditionalInstance;

                case IConditionalAccessOperation conditionalAccess:
                {
                    var instance = Evaluate(conditionalAccess.Operation);
                    if (instance.Kind == ValueKind.Null)
                    {
                        return instance;
                    }

                    var saved = _conditionalInstance;
                    _conditionalInstance = instance;
                    var result = Evaluate(conditionalAccess.WhenNotNull);
                    _conditionalInstance = saved;
                    return result;
                }

                case IPropertyReferenceOperation property:
                    return Property(property);

                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not:
                {
                    var value = Evaluate(not.Operand);
                    return value.Kind == ValueKind.Bool ? Value.Bool(value.Number == 0) : Value.Unknown;
                }

                case IBinaryOperation binary:
                    return Binary(binary);

                case IIsPatternOperation isPattern:
                    return Match(Evaluate(isPattern.Value), isPattern.Pattern);

                case ISwitchExpressionOperation switchExpression:
                    return Switch(switchExpression);

                case IConditionalOperation { WhenFalse: not null } conditional:
                {
                    var condition = Evaluate(conditional.Condition);
                    if (condition.Kind == ValueKind.Bool)
                    {
                        return Evaluate(condition.Number != 0 ? conditional.WhenTrue : conditional.WhenFalse);
                    }

                    var whenTrue = Evaluate(conditional.WhenTrue);
                    var whenFalse = Evaluate(conditional.WhenFalse);
                    return whenTrue.Kind == ValueKind.Bool && whenFalse.Kind == ValueKind.Bool && whenTrue.Number == whenFalse.Number ? whenTrue : Value.Unknown;
                }

                case IInvocationOperation invocation:
                    return Invocation(invocation);

                case IObjectCreationOperation { Arguments.Length: 1 } creation when creation.Type is { Name: "ValueTask" }:
                    return Evaluate(creation.Arguments[0].Value);

                case IIsTypeOperation isType:
                {
                    var value = Evaluate(isType.ValueOperand);
                    return TypeTest(value, isType.TypeOperand);
                }

                default:
                    return Value.Unknown;
            }
        }

        private Value EvaluateBody(IBlockOperation body)
        {
            // `x => expr` is a block with one (implicit) return; `{ return expr; }` likewise.
            foreach (var statement in body.Operations)
            {
                if (statement is IReturnOperation @return)
                {
                    return Evaluate(@return.ReturnedValue);
                }

                return Value.Unknown;
            }

            return Value.Unknown;
        }

        private Value Reference(ISymbol symbol, ITypeSymbol? type)
        {
            if (_subject is not null)
            {
                if (SymbolEqualityComparer.Default.Equals(symbol, _subject))
                {
                    return Value.Of(_kind == SubjectKind.Response ? ValueKind.Response : ValueKind.Exception);
                }

                return _kind == SubjectKind.Response && IsResponseOutcome(type) ? Value.Of(ValueKind.Outcome) : Value.Unknown;
            }

            if (_kind == SubjectKind.Response)
            {
                if (IsHttpResponseMessage(type))
                {
                    return Value.Of(ValueKind.Response);
                }

                return IsResponseOutcome(type) ? Value.Of(ValueKind.Outcome) : Value.Unknown;
            }

            return IsHttpRequestException(type) ? Value.Of(ValueKind.Exception) : Value.Unknown;
        }

        private Value Property(IPropertyReferenceOperation property)
        {
            var name = property.Property.Name;
            if (property.Instance is null)
            {
                return Value.Unknown;
            }

            var instance = Evaluate(property.Instance);
            switch (name)
            {
                case "StatusCode" when instance.Kind == ValueKind.Exception && _status == NoStatus:
                    // A network failure: HttpRequestException.StatusCode is null.
                    return Value.Of(ValueKind.Null);
                case "StatusCode" when instance.Kind is ValueKind.Response or ValueKind.Exception:
                    return new Value(ValueKind.Int, _status);
                case "IsSuccessStatusCode" when instance.Kind == ValueKind.Response:
                    return Value.Bool(_status is >= 200 and <= 299);
                case "Result" when instance.Kind == ValueKind.Outcome:
                    return Value.Of(ValueKind.Response);
                case "Exception" when instance.Kind == ValueKind.Outcome:
                    return Value.Of(ValueKind.Null);
                case "HasValue" when instance.Kind == ValueKind.Int:
                    return Value.True;
                case "Value" when instance.Kind == ValueKind.Int:
                    return instance;
                case "Outcome" when _kind == SubjectKind.Response && IsResponseOutcome(property.Type):
                    return Value.Of(ValueKind.Outcome);
                default:
                    return Value.Unknown;
            }
        }

        private Value Binary(IBinaryOperation binary)
        {
            switch (binary.OperatorKind)
            {
                case BinaryOperatorKind.ConditionalAnd:
                case BinaryOperatorKind.And when binary.Type?.SpecialType == SpecialType.System_Boolean:
                {
                    var left = Evaluate(binary.LeftOperand);
                    if (left.Kind == ValueKind.Bool && left.Number == 0)
                    {
                        return Value.False;
                    }

                    var right = Evaluate(binary.RightOperand);
                    if (right.Kind == ValueKind.Bool && right.Number == 0)
                    {
                        return Value.False;
                    }

                    return left.Kind == ValueKind.Bool && right.Kind == ValueKind.Bool ? Value.True : Value.Unknown;
                }

                case BinaryOperatorKind.ConditionalOr:
                case BinaryOperatorKind.Or when binary.Type?.SpecialType == SpecialType.System_Boolean:
                {
                    var left = Evaluate(binary.LeftOperand);
                    if (left.Kind == ValueKind.Bool && left.Number != 0)
                    {
                        return Value.True;
                    }

                    var right = Evaluate(binary.RightOperand);
                    if (right.Kind == ValueKind.Bool && right.Number != 0)
                    {
                        return Value.True;
                    }

                    return left.Kind == ValueKind.Bool && right.Kind == ValueKind.Bool ? Value.False : Value.Unknown;
                }

                case BinaryOperatorKind.Equals:
                case BinaryOperatorKind.NotEquals:
                {
                    var equal = AreEqual(Evaluate(binary.LeftOperand), Evaluate(binary.RightOperand));
                    if (equal.Kind != ValueKind.Bool)
                    {
                        return Value.Unknown;
                    }

                    return binary.OperatorKind == BinaryOperatorKind.Equals ? equal : Value.Bool(equal.Number == 0);
                }

                case BinaryOperatorKind.LessThan:
                case BinaryOperatorKind.LessThanOrEqual:
                case BinaryOperatorKind.GreaterThan:
                case BinaryOperatorKind.GreaterThanOrEqual:
                {
                    var left = Evaluate(binary.LeftOperand);
                    var right = Evaluate(binary.RightOperand);
                    if (left.Kind != ValueKind.Int || right.Kind != ValueKind.Int)
                    {
                        return Value.Unknown;
                    }

                    return Value.Bool(Compare(binary.OperatorKind, left.Number, right.Number));
                }

                case BinaryOperatorKind.Divide:
                {
                    // `(int)r.StatusCode / 100 == 4`
                    var left = Evaluate(binary.LeftOperand);
                    var right = Evaluate(binary.RightOperand);
                    return left.Kind == ValueKind.Int && right.Kind == ValueKind.Int && right.Number != 0
                        ? new Value(ValueKind.Int, left.Number / right.Number)
                        : Value.Unknown;
                }

                default:
                    return Value.Unknown;
            }
        }

        private static bool Compare(BinaryOperatorKind kind, long left, long right) => kind switch
        {
            BinaryOperatorKind.LessThan => left < right,
            BinaryOperatorKind.LessThanOrEqual => left <= right,
            BinaryOperatorKind.GreaterThan => left > right,
            _ => left >= right,
        };

        private static Value AreEqual(Value left, Value right)
        {
            if (left.Kind == ValueKind.Unknown || right.Kind == ValueKind.Unknown)
            {
                return Value.Unknown;
            }

            if (left.Kind == ValueKind.Null || right.Kind == ValueKind.Null)
            {
                // Responses, exceptions and statuses of the subject are present: only null equals null.
                return Value.Bool(left.Kind == right.Kind);
            }

            if (left.Kind == right.Kind && left.Kind is ValueKind.Int or ValueKind.Bool)
            {
                return Value.Bool(left.Number == right.Number);
            }

            return Value.Unknown;
        }

        private Value Match(Value value, IPatternOperation pattern)
        {
            switch (pattern)
            {
                case IConstantPatternOperation constant:
                    return AreEqual(value, Evaluate(constant.Value));

                case IRelationalPatternOperation relational:
                {
                    var right = Evaluate(relational.Value);
                    if (value.Kind == ValueKind.Null)
                    {
                        return Value.False;
                    }

                    return value.Kind == ValueKind.Int && right.Kind == ValueKind.Int
                        ? Value.Bool(Compare(relational.OperatorKind, value.Number, right.Number))
                        : Value.Unknown;
                }

                case INegatedPatternOperation negated:
                {
                    var inner = Match(value, negated.Pattern);
                    return inner.Kind == ValueKind.Bool ? Value.Bool(inner.Number == 0) : Value.Unknown;
                }

                case IBinaryPatternOperation binary:
                {
                    var left = Match(value, binary.LeftPattern);
                    var right = Match(value, binary.RightPattern);
                    if (binary.OperatorKind == BinaryOperatorKind.Or)
                    {
                        if (left.Kind == ValueKind.Bool && left.Number != 0 || right.Kind == ValueKind.Bool && right.Number != 0)
                        {
                            return Value.True;
                        }

                        return left.Kind == ValueKind.Bool && right.Kind == ValueKind.Bool ? Value.False : Value.Unknown;
                    }

                    if (left.Kind == ValueKind.Bool && left.Number == 0 || right.Kind == ValueKind.Bool && right.Number == 0)
                    {
                        return Value.False;
                    }

                    return left.Kind == ValueKind.Bool && right.Kind == ValueKind.Bool ? Value.True : Value.Unknown;
                }

                case IDiscardPatternOperation:
                    return Value.True;

                case IDeclarationPatternOperation declaration:
                {
                    var matches = declaration.MatchesNull ? Value.True : TypeTest(value, declaration.MatchedType);
                    Bind(declaration.DeclaredSymbol, value);
                    return matches;
                }

                case ITypePatternOperation type:
                    return TypeTest(value, type.MatchedType);

                case IRecursivePatternOperation recursive:
                    return MatchRecursive(value, recursive);

                default:
                    return Value.Unknown;
            }
        }

        private Value MatchRecursive(Value value, IRecursivePatternOperation recursive)
        {
            if (value.Kind == ValueKind.Null)
            {
                return Value.False;
            }

            if (value.Kind == ValueKind.Unknown || !recursive.DeconstructionSubpatterns.IsEmpty)
            {
                return Value.Unknown;
            }

            var result = Value.True;
            var saved = _patternInput;
            _patternInput = value;
            foreach (var subpattern in recursive.PropertySubpatterns)
            {
                var member = Evaluate(subpattern.Member);
                var matched = Match(member, subpattern.Pattern);
                if (matched.Kind == ValueKind.Bool && matched.Number == 0)
                {
                    result = Value.False;
                    break;
                }

                if (matched.Kind != ValueKind.Bool)
                {
                    result = Value.Unknown;
                }
            }

            _patternInput = saved;
            Bind(recursive.DeclaredSymbol, value);
            return result;
        }

        private static Value TypeTest(Value value, ITypeSymbol? type)
        {
            switch (value.Kind)
            {
                case ValueKind.Null:
                    return Value.False;
                case ValueKind.Response:
                    return IsHttpResponseMessage(type) || type?.SpecialType == SpecialType.System_Object ? Value.True : Value.Unknown;
                default:
                    return Value.Unknown;
            }
        }

        private void Bind(ISymbol? symbol, Value value)
        {
            if (symbol is not null)
            {
                _bound ??= new Dictionary<ISymbol, Value>(SymbolEqualityComparer.Default);
                _bound[symbol] = value;
            }
        }

        private Value Switch(ISwitchExpressionOperation switchExpression)
        {
            var value = Evaluate(switchExpression.Value);
            foreach (var arm in switchExpression.Arms)
            {
                var matched = Match(value, arm.Pattern);
                if (matched.Kind == ValueKind.Bool && matched.Number != 0 && arm.Guard is not null)
                {
                    matched = Evaluate(arm.Guard);
                }

                if (matched.Kind != ValueKind.Bool)
                {
                    return Value.Unknown;
                }

                if (matched.Number != 0)
                {
                    return Evaluate(arm.Value);
                }
            }

            return Value.Unknown;
        }

        private Value Invocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            switch (method.Name)
            {
                case "FromResult" when invocation.Arguments.Length == 1:
                    return Evaluate(invocation.Arguments[0].Value);

                case "True" when method.ContainingType?.Name == "PredicateResult":
                    return Value.True;

                case "False" when method.ContainingType?.Name == "PredicateResult":
                    return Value.False;

                case "IsTransient" when method.ContainingType?.Name == "HttpClientResiliencePredicates" && invocation.Arguments.Length == 1:
                {
                    var argument = Evaluate(invocation.Arguments[0].Value);
                    if (argument.Kind is ValueKind.Outcome or ValueKind.Response)
                    {
                        return Value.Bool(_status >= 500 || StatusCode.IsTransientClientError(_status));
                    }

                    return Value.Unknown;
                }

                case "Contains":
                {
                    IOperation? source;
                    IOperation? item;
                    if (invocation.Instance is not null && invocation.Arguments.Length == 1)
                    {
                        source = invocation.Instance;
                        item = invocation.Arguments[0].Value;
                    }
                    else if (method.IsExtensionMethod && invocation.Arguments.Length == 2)
                    {
                        source = invocation.Arguments[0].Value;
                        item = invocation.Arguments[1].Value;
                    }
                    else
                    {
                        return Value.Unknown;
                    }

                    return Contains(source, Evaluate(item));
                }

                default:
                    return Value.Unknown;
            }
        }

        private Value Contains(IOperation source, Value item)
        {
            while (source is IConversionOperation conversion)
            {
                source = conversion.Operand;
            }

            if (item.Kind != ValueKind.Int || source is not IArrayCreationOperation { Initializer: { } initializer })
            {
                return Value.Unknown;
            }

            var allKnown = true;
            foreach (var element in initializer.ElementValues)
            {
                var value = Evaluate(element);
                if (value.Kind == ValueKind.Int && value.Number == item.Number)
                {
                    return Value.True;
                }

                allKnown &= value.Kind == ValueKind.Int;
            }

            return allKnown ? Value.False : Value.Unknown;
        }
    }
}
