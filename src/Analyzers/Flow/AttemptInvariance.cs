using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Proves that a wait computed by a sleep-duration provider does not change from one attempt to the next: a value that never
/// reads the attempt and reads only constants, fields, properties and captured variables that are never reassigned
/// (<c>_ =&gt; delay</c>, <c>retryAttempt =&gt; TimeSpan.FromSeconds(_settings.RetryDelay)</c>), or one that reads the attempt
/// but provably cancels it (<c>Math.Pow(1, attempt)</c>, <c>attempt * 0 + 2</c>, <c>Math.Min(attempt, 1)</c>). Attempts start
/// at 1 (Polly's sleep-duration providers); values that depend on the attempt carry an interval valid for every attempt ≥ 1.
/// Anything not understood is unknown.
/// </summary>
internal static class AttemptInvariance
{
    /// <summary>
    /// True when <paramref name="value"/> is the same for every attempt. <paramref name="milliseconds"/> is its value in
    /// milliseconds when it is a known constant (a <c>TimeSpan</c>, or a number taken as milliseconds).
    /// </summary>
    /// <param name="value">The returned expression of the provider.</param>
    /// <param name="attempt">The provider's attempt parameter.</param>
    /// <param name="provider">The provider lambda: its other parameters are unknown, locals declared in it are unknown.</param>
    public static bool IsInvariant(IOperation value, IParameterSymbol attempt, IAnonymousFunctionOperation provider, out double? milliseconds)
    {
        milliseconds = null;
        var evaluator = new Evaluator(attempt, provider);
        var result = evaluator.Evaluate(value);
        switch (result.Kind)
        {
            case Kind.Constant:
                milliseconds = result.Low;
                return true;
            case Kind.Independent:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// Some field, property or variable <paramref name="value"/> reads is written by code that runs while the policy executes
    /// (an <c>onRetry</c> that doubles <c>_backoff</c>): the wait it gives is not proven constant.
    /// </summary>
    public static bool IsWrittenWhileRunning(IOperation value, IParameterSymbol attempt, IAnonymousFunctionOperation provider)
    {
        var evaluator = new Evaluator(attempt, provider);
        foreach (var descendant in value.DescendantsAndSelf())
        {
            ISymbol? read = descendant switch
            {
                IFieldReferenceOperation field => field.Field,
                IPropertyReferenceOperation property => property.Property,
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (read is not null && evaluator.IsReassigned(read))
            {
                return true;
            }
        }

        return false;
    }

    private enum Kind : byte
    {
        Unknown,

        /// <summary>A known number (milliseconds for TimeSpans).</summary>
        Constant,

        /// <summary>An unknown value that is the same for every attempt.</summary>
        Independent,

        /// <summary>Depends on the attempt; within [Low, High] for every attempt.</summary>
        Dependent,
    }

    private readonly struct Value
    {
        public static readonly Value Unknown = default;
        public static readonly Value Independent = new(Kind.Independent, 0, 0);
        public static readonly Value AnyDependent = new(Kind.Dependent, double.NegativeInfinity, double.PositiveInfinity);

        public Value(Kind kind, double low, double high)
        {
            Kind = kind;
            Low = low;
            High = high;
        }

        public Kind Kind { get; }

        public double Low { get; }

        public double High { get; }

        public static Value Constant(double value) => new(Kind.Constant, value, value);

        public static Value Dependent(double low, double high)
        {
            if (double.IsNaN(low) || double.IsNaN(high))
            {
                return AnyDependent;
            }

            // An interval of one point is a constant: `Math.Min(attempt, 1)` is 1 for every attempt ≥ 1.
            return low == high ? Constant(low) : new Value(Kind.Dependent, System.Math.Min(low, high), System.Math.Max(low, high));
        }

        public bool IsInvariant => Kind is Kind.Constant or Kind.Independent;
    }

    private sealed class Evaluator
    {
        private const int MaxDepth = 48;
        private readonly IParameterSymbol _attempt;
        private readonly IAnonymousFunctionOperation _provider;
        private int _depth;

        public Evaluator(IParameterSymbol attempt, IAnonymousFunctionOperation provider)
        {
            _attempt = attempt;
            _provider = provider;
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
            if (operation.ConstantValue is { HasValue: true, Value: { } constant })
            {
                return constant is int or long or short or double or float or decimal or uint or ulong or byte
                    ? Value.Constant(System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture))
                    : Value.Independent;
            }

            switch (operation)
            {
                case IConversionOperation conversion:
                    return Convert(conversion);

                case IParenthesizedOperation parenthesized:
                    return Evaluate(parenthesized.Operand);

                case IParameterReferenceOperation parameter:
                    if (SymbolEqualityComparer.Default.Equals(parameter.Parameter, _attempt))
                    {
                        return Value.Dependent(1, double.PositiveInfinity);
                    }

                    // The provider's other parameters (context, outcome) change between attempts; captured ones must never be reassigned.
                    return SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, _provider.Symbol) || IsReassigned(parameter.Parameter)
                        ? Value.Unknown
                        : Value.Independent;

                case ILocalReferenceOperation local:
                    return IsDeclaredInProvider(local.Local) || IsReassigned(local.Local) ? Value.Unknown : Value.Independent;

                case IFieldReferenceOperation field:
                    if (field.Field is { Name: "Zero", IsStatic: true } && IsTimeSpan(field.Field.ContainingType))
                    {
                        return Value.Constant(0);
                    }

                    return Member(field.Instance, field.Field);

                case IPropertyReferenceOperation { Arguments.Length: 0 } property:
                    return Member(property.Instance, property.Property);

                case IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance }:
                    return Value.Independent;

                case IConditionalAccessOperation conditionalAccess:
                    return Evaluate(conditionalAccess.Operation).IsInvariant && Evaluate(conditionalAccess.WhenNotNull).IsInvariant ? Value.Independent : Value.Unknown;

                case IConditionalAccessInstanceOperation:
                    return Value.Independent;

                case ICoalesceOperation coalesce:
                    return Evaluate(coalesce.Value).IsInvariant && Evaluate(coalesce.WhenNull).IsInvariant ? Value.Independent : Value.Unknown;

                case IConditionalOperation { WhenFalse: not null } conditional:
                {
                    var whenTrue = Evaluate(conditional.WhenTrue);
                    var whenFalse = Evaluate(conditional.WhenFalse);
                    if (whenTrue.Kind == Kind.Constant && whenFalse.Kind == Kind.Constant && whenTrue.Low == whenFalse.Low)
                    {
                        return whenTrue;
                    }

                    return whenTrue.IsInvariant && whenFalse.IsInvariant && Evaluate(conditional.Condition).IsInvariant ? Value.Independent : Value.Unknown;
                }

                case IBinaryOperation binary:
                    return Binary(binary);

                case IInvocationOperation invocation:
                    return Invocation(invocation);

                default:
                    return Value.Unknown;
            }
        }

        private Value Member(IOperation? instance, ISymbol member)
        {
            if (instance is not null && !Evaluate(instance).IsInvariant)
            {
                return Value.Unknown;
            }

            // A field the enclosing code changes (an onRetry that doubles it) is not constant.
            return IsReassigned(member) ? Value.Unknown : Value.Independent;
        }

        private Value Convert(IConversionOperation conversion)
        {
            var operand = Evaluate(conversion.Operand);
            if (conversion.OperatorMethod is not null)
            {
                return operand.IsInvariant ? Value.Independent : Value.Unknown;
            }

            var integral = conversion.Type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
                or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Byte;
            if (!integral)
            {
                return operand;
            }

            return operand.Kind switch
            {
                Kind.Constant => Value.Constant(System.Math.Truncate(operand.Low)),
                Kind.Dependent => Value.Dependent(System.Math.Truncate(operand.Low), System.Math.Truncate(operand.High)),
                _ => operand,
            };
        }

        private Value Binary(IBinaryOperation binary)
        {
            var left = Evaluate(binary.LeftOperand);
            var right = Evaluate(binary.RightOperand);
            if (left.Kind == Kind.Unknown || right.Kind == Kind.Unknown)
            {
                return Value.Unknown;
            }

            var kind = binary.OperatorKind;
            if (binary.OperatorMethod is not null && !IsTimeSpan(binary.OperatorMethod.ContainingType))
            {
                return left.IsInvariant && right.IsInvariant ? Value.Independent : Value.Unknown;
            }

            // Multiplying by zero cancels anything; `x % 1` of integers is 0.
            if (kind == BinaryOperatorKind.Multiply && (IsZero(left) || IsZero(right)))
            {
                return Value.Constant(0);
            }

            if (kind == BinaryOperatorKind.Remainder && right is { Kind: Kind.Constant, Low: 1 } && IsIntegral(binary.Type))
            {
                return Value.Constant(0);
            }

            if (left.Kind == Kind.Constant && right.Kind == Kind.Constant)
            {
                return Compute(kind, left.Low, right.Low, binary.Type) is { } computed ? Value.Constant(computed) : Value.Independent;
            }

            if (left.IsInvariant && right.IsInvariant)
            {
                return Value.Independent;
            }

            if (left.Kind == Kind.Independent || right.Kind == Kind.Independent)
            {
                return Value.AnyDependent;
            }

            // Interval arithmetic for monotone operators; anything else depends on the attempt in an unknown way.
            switch (kind)
            {
                case BinaryOperatorKind.Add:
                    return Value.Dependent(left.Low + right.Low, left.High + right.High);
                case BinaryOperatorKind.Subtract:
                    return Value.Dependent(left.Low - right.High, left.High - right.Low);
                case BinaryOperatorKind.Multiply when left.Kind == Kind.Constant || right.Kind == Kind.Constant:
                {
                    var factor = left.Kind == Kind.Constant ? left.Low : right.Low;
                    var interval = left.Kind == Kind.Constant ? right : left;
                    return Value.Dependent(interval.Low * factor, interval.High * factor);
                }

                default:
                    return Value.AnyDependent;
            }
        }

        private Value Invocation(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var type = method.ContainingType;
            if (IsTimeSpan(type) && method.IsStatic && invocation.Arguments.Length == 1)
            {
                var scale = method.Name switch
                {
                    "FromMilliseconds" => 1d,
                    "FromSeconds" => 1000d,
                    "FromMinutes" => 60_000d,
                    "FromHours" => 3_600_000d,
                    "FromDays" => 86_400_000d,
                    "FromTicks" => 1d / 10_000,
                    _ => 0d,
                };
                if (scale == 0)
                {
                    return Value.Unknown;
                }

                var argument = Evaluate(invocation.Arguments[0].Value);
                return argument.Kind switch
                {
                    Kind.Constant => Value.Constant(argument.Low * scale),
                    Kind.Dependent => Value.Dependent(argument.Low * scale, argument.High * scale),
                    _ => argument,
                };
            }

            if (type is not { Name: "Math", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } || invocation.Arguments.Length is 0 or > 2)
            {
                return Value.Unknown;
            }

            var first = Evaluate(invocation.Arguments[0].Value);
            var second = invocation.Arguments.Length == 2 ? Evaluate(invocation.Arguments[1].Value) : Value.Constant(0);
            if (first.Kind == Kind.Unknown || second.Kind == Kind.Unknown)
            {
                return Value.Unknown;
            }

            switch (method.Name)
            {
                case "Pow" when invocation.Arguments.Length == 2:
                    if (first is { Kind: Kind.Constant, Low: 1 } || second is { Kind: Kind.Constant, Low: 0 })
                    {
                        return Value.Constant(1);
                    }

                    if (first.Kind == Kind.Constant && second.Kind == Kind.Constant)
                    {
                        return Value.Constant(System.Math.Pow(first.Low, second.Low));
                    }

                    if (first.IsInvariant && second.IsInvariant)
                    {
                        return Value.Independent;
                    }

                    // b^attempt with b > 1 grows; that is not ours to prove here.
                    return Value.AnyDependent;

                case "Min" or "Max" when invocation.Arguments.Length == 2:
                {
                    if (first.Kind == Kind.Constant && second.Kind == Kind.Constant)
                    {
                        return Value.Constant(method.Name == "Min" ? System.Math.Min(first.Low, second.Low) : System.Math.Max(first.Low, second.Low));
                    }

                    if (first.IsInvariant && second.IsInvariant)
                    {
                        return Value.Independent;
                    }

                    var (dependent, bound) = first.Kind == Kind.Dependent ? (first, second) : (second, first);
                    if (dependent.Kind != Kind.Dependent || bound.Kind != Kind.Constant)
                    {
                        return Value.AnyDependent;
                    }

                    return method.Name == "Min"
                        ? Value.Dependent(System.Math.Min(dependent.Low, bound.Low), System.Math.Min(dependent.High, bound.Low))
                        : Value.Dependent(System.Math.Max(dependent.Low, bound.Low), System.Math.Max(dependent.High, bound.Low));
                }

                case "Abs" or "Floor" or "Ceiling" or "Round" or "Truncate" or "Sqrt" or "Exp" or "Log" or "Log10" or "Log2":
                    if (first.Kind == Kind.Constant && invocation.Arguments.Length == 1)
                    {
                        return Value.Independent;
                    }

                    return first.IsInvariant && second.IsInvariant ? Value.Independent : Value.AnyDependent;

                default:
                    return Value.Unknown;
            }
        }

        private static double? Compute(BinaryOperatorKind kind, double left, double right, ITypeSymbol? type)
        {
            switch (kind)
            {
                case BinaryOperatorKind.Add:
                    return left + right;
                case BinaryOperatorKind.Subtract:
                    return left - right;
                case BinaryOperatorKind.Multiply:
                    return left * right;
                case BinaryOperatorKind.Divide when right != 0:
                    return IsIntegral(type) ? System.Math.Truncate(left / right) : left / right;
                default:
                    return null;
            }
        }

        private static bool IsZero(Value value) => value is { Kind: Kind.Constant, Low: 0 };

        private static bool IsIntegral(ITypeSymbol? type)
            => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
                or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_Byte;

        private bool IsDeclaredInProvider(ILocalSymbol local)
        {
            foreach (var reference in local.DeclaringSyntaxReferences)
            {
                if (_provider.Syntax.Span.Contains(reference.Span))
                {
                    return true;
                }
            }

            return local.DeclaringSyntaxReferences.Length == 0;
        }

        /// <summary>
        /// Code that runs while the policy executes (a lambda or local function of the enclosing body: an onRetry that doubles
        /// the delay, the executed delegate) writes the symbol. Writes while the policy is built do not change it between attempts.
        /// </summary>
        public bool IsReassigned(ISymbol symbol)
        {
            foreach (var descendant in _provider.Root().Descendants())
            {
                if (!InsideFunction(descendant))
                {
                    continue;
                }

                var target = descendant switch
                {
                    IAssignmentOperation assignment => assignment.Target,
                    IIncrementOrDecrementOperation increment => increment.Target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out } argument => argument.Value,
                    _ => null,
                };
                var written = target switch
                {
                    ILocalReferenceOperation l => (ISymbol)l.Local,
                    IParameterReferenceOperation p => p.Parameter,
                    IFieldReferenceOperation f => f.Field,
                    IPropertyReferenceOperation p => p.Property,
                    _ => null,
                };
                if (written is not null && SymbolEqualityComparer.Default.Equals(written, symbol))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool InsideFunction(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsTimeSpan(ITypeSymbol? type) => type is { Name: "TimeSpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }
}
