using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>How a retry's wait between attempts behaves.</summary>
internal enum DelayGrowth
{
    /// <summary>Not proven either way: rules stay silent.</summary>
    Unknown,

    /// <summary>No wait at all (a zero delay).</summary>
    None,

    /// <summary>The same wait before every attempt: literals, consts, fields or properties that do not depend on the attempt.</summary>
    Constant,

    /// <summary>The wait depends on the attempt (exponential, linear, shifts, a growing schedule) or on the response.</summary>
    Growing,
}

/// <summary>
/// Classifies delays of retries, independently of any retry library: a delay expression (the argument of
/// <c>Task.Delay</c>/<c>Thread.Sleep</c>, the body of a sleep-duration lambda), a lambda whose first parameter is
/// the attempt, or a schedule (a <c>TimeSpan</c> array or list, Polly.Contrib <c>Backoff.*</c>).
/// </summary>
internal static class DelaySchedule
{
    /// <summary>
    /// Classifies a delay expression. A reference to <paramref name="attempt"/> (the loop counter or the lambda's
    /// attempt parameter) anywhere in it counts as growth; constant means provably independent of the attempt.
    /// </summary>
    public static DelayGrowth ClassifyDelay(IOperation? delay, ISymbol? attempt, out double? constantMilliseconds)
    {
        constantMilliseconds = null;
        if (delay is null)
        {
            return DelayGrowth.Unknown;
        }

        if (attempt is not null && References(delay, attempt))
        {
            return DelayGrowth.Growing;
        }

        if (ReadsRetryAfter(delay))
        {
            return DelayGrowth.Growing;
        }

        constantMilliseconds = TryGetMilliseconds(delay);
        if (constantMilliseconds is { } ms)
        {
            return ms <= 0 ? DelayGrowth.None : DelayGrowth.Constant;
        }

        return IsAttemptIndependent(delay) ? DelayGrowth.Constant : DelayGrowth.Unknown;
    }

    /// <summary>
    /// Classifies a sleep-duration provider: a lambda (or a delegate creation around one) whose first parameter is
    /// the attempt number (Polly v7 <c>Func&lt;int, TimeSpan&gt;</c> and its context/outcome overloads).
    /// A lambda that reads any other parameter (the outcome, the context) is not proven constant.
    /// </summary>
    public static DelayGrowth ClassifySleepProvider(IOperation provider, out double? constantMilliseconds)
    {
        constantMilliseconds = null;
        var lambda = UnwrapLambda(provider);
        if (lambda is null || lambda.Symbol.Parameters.Length == 0)
        {
            return DelayGrowth.Unknown;
        }

        var parameters = lambda.Symbol.Parameters;
        for (var i = 1; i < parameters.Length; i++)
        {
            if (References(lambda.Body, parameters[i]))
            {
                return DelayGrowth.Unknown;
            }
        }

        var returned = SingleReturnedValue(lambda.Body);
        if (returned is null)
        {
            return References(lambda.Body, parameters[0]) ? DelayGrowth.Growing : DelayGrowth.Unknown;
        }

        var growth = ClassifyDelay(returned, parameters[0], out constantMilliseconds);
        if (growth is DelayGrowth.Growing or DelayGrowth.Unknown && !ReadsRetryAfter(returned)
            && AttemptInvariance.IsInvariant(returned, parameters[0], lambda, out var invariantMilliseconds))
        {
            // `_ => delay`, `attempt => TimeSpan.FromSeconds(options.Value.Wait)`, `attempt => … Math.Pow(1, attempt)`: the same wait every time.
            constantMilliseconds = invariantMilliseconds;
            return invariantMilliseconds is <= 0 ? DelayGrowth.None : DelayGrowth.Constant;
        }

        if (growth == DelayGrowth.Constant && AttemptInvariance.IsWrittenWhileRunning(returned, parameters[0], lambda))
        {
            return DelayGrowth.Unknown;
        }

        return growth;
    }

    /// <summary>
    /// Classifies a schedule of waits: an array or collection initializer of <c>TimeSpan</c>s (constant when all equal,
    /// growing when non-decreasing and not all equal), <c>Enumerable.Repeat</c>, and Polly.Contrib.WaitAndRetry's
    /// <c>Backoff.ConstantBackoff</c> (constant) / <c>LinearBackoff</c>, <c>ExponentialBackoff</c>, <c>DecorrelatedJitterBackoff(V2)</c>,
    /// <c>AwsDecorrelatedJitterBackoff</c> (growing). <paramref name="count"/> is the number of waits when known.
    /// </summary>
    public static DelayGrowth ClassifySchedule(IOperation schedule, out int? count)
    {
        count = null;
        schedule = Unwrap(schedule);
        if (schedule is IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            if (method.ContainingType is { Name: "Backoff" } && SymbolNames.IsNamespace(method.ContainingNamespace, "Polly.Contrib.WaitAndRetry"))
            {
                count = ArgumentInt(invocation, "retryCount");
                switch (method.Name)
                {
                    case "ConstantBackoff":
                        return DelayGrowth.Constant;
                    case "LinearBackoff":
                    case "ExponentialBackoff":
                    case "DecorrelatedJitterBackoff":
                    case "DecorrelatedJitterBackoffV2":
                    case "AwsDecorrelatedJitterBackoff":
                        return DelayGrowth.Growing;
                    default:
                        return DelayGrowth.Unknown;
                }
            }

            if (method.Name == "Repeat" && method.ContainingType?.Name == "Enumerable" && invocation.Arguments.Length == 2)
            {
                count = ArgumentInt(invocation, "count");
                var growth = ClassifyDelay(invocation.Arguments[0].Value, null, out _);
                return growth == DelayGrowth.None ? DelayGrowth.None : growth == DelayGrowth.Constant ? DelayGrowth.Constant : DelayGrowth.Unknown;
            }

            if (method.Name is "ToArray" or "ToList" && invocation.Arguments.Length == 1 && method.IsExtensionMethod)
            {
                return ClassifySchedule(invocation.Arguments[0].Value, out count);
            }

            return DelayGrowth.Unknown;
        }

        System.Collections.Immutable.ImmutableArray<IOperation> elements;
        if (schedule is IArrayCreationOperation { Initializer: { } arrayInitializer })
        {
            elements = arrayInitializer.ElementValues;
        }
        else if (schedule is IObjectCreationOperation { Initializer: { } collectionInitializer })
        {
            var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<IOperation>(collectionInitializer.Initializers.Length);
            foreach (var initializer in collectionInitializer.Initializers)
            {
                if (initializer is IInvocationOperation { TargetMethod.Name: "Add", Arguments.Length: 1 } add)
                {
                    builder.Add(add.Arguments[0].Value);
                }
                else
                {
                    return DelayGrowth.Unknown;
                }
            }

            elements = builder.ToImmutable();
        }
        else
        {
            return DelayGrowth.Unknown;
        }

        if (elements.IsEmpty)
        {
            return DelayGrowth.Unknown;
        }

        count = elements.Length;
        double? first = null;
        double previous = 0;
        var allEqual = true;
        var nonDecreasing = true;
        foreach (var element in elements)
        {
            if (TryGetMilliseconds(element) is not { } ms)
            {
                return DelayGrowth.Unknown;
            }

            if (first is null)
            {
                first = ms;
            }
            else
            {
                allEqual &= ms == first.Value;
                nonDecreasing &= ms >= previous;
            }

            previous = ms;
        }

        if (allEqual)
        {
            return first <= 0 ? DelayGrowth.None : DelayGrowth.Constant;
        }

        return nonDecreasing ? DelayGrowth.Growing : DelayGrowth.Unknown;
    }

    /// <summary>
    /// The value in milliseconds of a constant delay: <c>TimeSpan.Zero</c>, <c>TimeSpan.From*(const)</c>,
    /// <c>new TimeSpan(…consts)</c>, or a numeric constant (milliseconds, as <c>Task.Delay(int)</c> takes).
    /// </summary>
    public static double? TryGetMilliseconds(IOperation? operation)
    {
        operation = operation is null ? null : Unwrap(operation);
        switch (operation)
        {
            case null:
                return null;
            case { ConstantValue: { HasValue: true, Value: { } constant } } when IsNumber(constant):
                return System.Convert.ToDouble(constant, System.Globalization.CultureInfo.InvariantCulture);
            case IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true, ContainingType.Name: "TimeSpan" } }:
                return 0;
            case IInvocationOperation { Instance: null, Arguments.Length: 1 } invocation when IsTimeSpan(invocation.TargetMethod.ContainingType):
            {
                if (TryGetNumber(invocation.Arguments[0].Value) is not { } value)
                {
                    return null;
                }

                return invocation.TargetMethod.Name switch
                {
                    "FromMilliseconds" => value,
                    "FromSeconds" => value * 1000,
                    "FromMinutes" => value * 60_000,
                    "FromHours" => value * 3_600_000,
                    "FromDays" => value * 86_400_000,
                    "FromTicks" => value / 10_000,
                    _ => null,
                };
            }

            case IObjectCreationOperation creation when IsTimeSpan(creation.Type):
            {
                var args = creation.Arguments;
                var numbers = new double[args.Length];
                for (var i = 0; i < args.Length; i++)
                {
                    if (TryGetNumber(args[i].Value) is not { } n)
                    {
                        return null;
                    }

                    numbers[i] = n;
                }

                return numbers.Length switch
                {
                    0 => 0,
                    1 => numbers[0] / 10_000,
                    3 => ((numbers[0] * 60 + numbers[1]) * 60 + numbers[2]) * 1000,
                    4 => (((numbers[0] * 24 + numbers[1]) * 60 + numbers[2]) * 60 + numbers[3]) * 1000,
                    5 => ((((numbers[0] * 24 + numbers[1]) * 60 + numbers[2]) * 60 + numbers[3]) * 1000) + numbers[4],
                    _ => null,
                };
            }

            default:
                return null;
        }
    }

    /// <summary>True when the operation reads the <c>Retry-After</c> header (<c>Headers.RetryAfter</c>, the "Retry-After" name) or Polly's <c>ShouldRetryAfterHeader</c>.</summary>
    public static bool ReadsRetryAfter(IOperation operation)
    {
        // Each read names RetryAfter (the property, the field, ShouldRetryAfterHeader) or spells "Retry-After" in a literal.
        if (!SourceWords.SpanMayContain(operation.Syntax, "RetryAfter", "Retry-After", default))
        {
#if DEBUG
            if (ReadsRetryAfterInTree(operation))
            {
                throw new System.InvalidOperationException($"SpanMayContain missed a Retry-After read at {operation.Syntax.GetLocation()}");
            }
#endif
            return false;
        }

        return ReadsRetryAfterInTree(operation);
    }

    private static bool ReadsRetryAfterInTree(IOperation operation)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            switch (descendant)
            {
                case IPropertyReferenceOperation { Property.Name: "RetryAfter" or "ShouldRetryAfterHeader" }:
                    return true;
                case IFieldReferenceOperation { Field.Name: "RetryAfter" }:
                    return true;
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: string text } } when string.Equals(text, "Retry-After", System.StringComparison.OrdinalIgnoreCase):
                    return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="symbol"/> is referenced anywhere in <paramref name="operation"/>.</summary>
    public static bool References(IOperation operation, ISymbol symbol)
    {
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            var referenced = descendant switch
            {
                IParameterReferenceOperation p => p.Parameter,
                ILocalReferenceOperation l => l.Local,
                _ => (ISymbol?)null,
            };
            if (referenced is not null && SymbolEqualityComparer.Default.Equals(referenced, symbol))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The lambda behind a delegate argument, or null.</summary>
    public static IAnonymousFunctionOperation? UnwrapLambda(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda;
                case IDelegateCreationOperation creation:
                    operation = creation.Target;
                    break;
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                default:
                    return null;
            }
        }
    }

    /// <summary>The value an expression-bodied lambda (or a block with a single return) returns.</summary>
    public static IOperation? SingleReturnedValue(IBlockOperation body)
        => body.Operations.Length == 1 && body.Operations[0] is IReturnOperation { ReturnedValue: { } value } ? value : null;

    private static IOperation Unwrap(IOperation operation)
    {
        while (operation is IConversionOperation { OperatorMethod: null } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static bool IsAttemptIndependent(IOperation operation)
    {
        // Fields, properties and constants that do not depend on the attempt (`_ => _options.Delay`); any call other than
        // the TimeSpan factories, any parameter or local (which could change between attempts), any randomness: unknown.
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            switch (descendant)
            {
                case IInvocationOperation invocation when !IsTimeSpan(invocation.TargetMethod.ContainingType):
                case IParameterReferenceOperation:
                case ILocalReferenceOperation:
                case IObjectCreationOperation creation when !IsTimeSpan(creation.Type):
                case IAnonymousFunctionOperation:
                case IAwaitOperation:
                case IInvalidOperation:
                    return false;
            }
        }

        return true;
    }

    private static double? TryGetNumber(IOperation operation)
    {
        operation = Unwrap(operation);
        return operation.ConstantValue is { HasValue: true, Value: { } value } && IsNumber(value)
            ? System.Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture)
            : null;
    }

    private static bool IsNumber(object value) => value is int or long or short or double or float or decimal or uint or ulong or byte;

    private static bool IsTimeSpan(ITypeSymbol? type) => type is { Name: "TimeSpan", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static int? ArgumentInt(IInvocationOperation invocation, string parameterName)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == parameterName && argument.Value.ConstantValue is { HasValue: true, Value: int value })
            {
                return value;
            }
        }

        return null;
    }
}
