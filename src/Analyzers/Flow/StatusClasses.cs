using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// The failure statuses a retry loop is simulated for (400–431 and 500–599), split into the classes that the code can
/// tell apart, so that the loop is simulated once per class instead of once per status.
/// <para>
/// <see cref="RetryCondition"/> sees a status only through comparisons (<c>==</c>, <c>!=</c>, <c>&lt;</c>…, constant and
/// relational patterns, <c>Contains</c> on constant arrays) with integer constants, <c>IsSuccessStatusCode</c> (2xx),
/// <c>HttpClientResiliencePredicates.IsTransient</c> (≥ 500, 408, 429) and division by a constant
/// (<c>(int)r.StatusCode / 100 == 5</c>). Between two consecutive boundaries (every constant <c>c</c> of the code gives
/// <c>c</c> and <c>c + 1</c>, every constant divisor <c>d</c> its multiples, plus the fixed ones those members and the
/// simulator itself use) each of these has one value, so every status of a class takes the same path. A constant is
/// a class of its own, so a status the code names (<see cref="RetryCondition.NamesStatus"/>) is never merged with another.
/// </para>
/// <para>
/// The constants are collected from what the evaluation can read: the operation given (a loop, a predicate) and, through
/// calls of the application's predicates (<c>ShouldRetry(response)</c>, which the loop simulation inlines from their
/// <see cref="AppMethodSummary"/>), the bodies it may inline, up to the simulator's inlining depth. Constants elsewhere in the
/// method cannot reach a comparison with the status: the evaluator follows no local to its initializer (a <c>const</c> local
/// or field carries its value on the reference itself). An integer division by a non-constant makes every status its own
/// class (the exact, slow path).
/// </para>
/// </summary>
internal static class StatusClasses
{
    private const int FirstClientError = 400;
    private const int LastClientError = 431;
    private const int FirstServerError = 500;
    private const int LastServerError = 599;

    // Boundaries every loop has: the 4xx/5xx ranges, the transient 4xx (408, 429), the Retry-After statuses (503, 429).
    private static readonly int[] FixedBoundaries = { 400, 408, 409, 429, 430, 432, 500, 503, 504, 600 };

    /// <summary>
    /// Fills <paramref name="starts"/> with the first status of every class, ascending; a class runs to the next start
    /// (exclusive), or to the end of its range (431 or 599). Classes never span the skipped 432–499.
    /// </summary>
    public static void Compute(IOperation root, List<int> starts) => Compute(root, starts, clientErrorsOnly: false);

    /// <summary>As <see cref="Compute(IOperation, List{int})"/> over all client errors 400–499 instead (see <see cref="EndOfClientError"/>).</summary>
    public static void ComputeClientErrors(IOperation root, List<int> starts) => Compute(root, starts, clientErrorsOnly: true);

    /// <summary>The last status of the class that starts at <paramref name="starts"/>[<paramref name="index"/>], for <see cref="ComputeClientErrors"/>.</summary>
    public static int EndOfClientError(List<int> starts, int index)
        => index + 1 < starts.Count ? starts[index + 1] - 1 : 499;

    /// <summary>How deep calls of the application's predicates are followed; the loop simulator inlines at most 3 levels.</summary>
    private const int MaxInlineDepth = 3;

    // One array per thread, cleared per call: this runs for every retry loop and policy predicate.
    [System.ThreadStatic]
    private static bool[]? s_boundary;

    private static void Compute(IOperation root, List<int> starts, bool clientErrorsOnly)
    {
        // 601 booleans: one per status; cheaper than a sorted set.
        var boundary = s_boundary ??= new bool[LastServerError + 2];
        System.Array.Clear(boundary, 0, boundary.Length);
        foreach (var fixedBoundary in FixedBoundaries)
        {
            boundary[fixedBoundary] = true;
        }

        var exact = Collect(root, boundary, 0);
        starts.Clear();
        var last = clientErrorsOnly ? 499 : LastServerError;
        for (var status = FirstClientError; status <= last; status++)
        {
            if (!clientErrorsOnly && status is > LastClientError and < FirstServerError)
            {
                continue;
            }

            if (exact || boundary[status])
            {
                starts.Add(status);
            }
        }
    }

    /// <summary>Marks the boundaries of the constants and divisors under <paramref name="root"/>; true when the classes cannot be trusted.</summary>
    private static bool Collect(IOperation root, bool[] boundary, int inlineDepth)
    {
        var exact = false;
        foreach (var operation in root.DescendantsAndSelf())
        {
            if (operation.ConstantValue.HasValue)
            {
                if (AsLong(operation.ConstantValue.Value) is { } constant)
                {
                    Mark(boundary, constant);
                    Mark(boundary, constant + 1);
                }

                continue;
            }

            switch (operation)
            {
                // Only integer divisions can yield a status-derived integer (the evaluator gives up on the others).
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Divide } division when IsIntegral(division.Type):
                {
                    var right = division.RightOperand.ConstantValue;
                    if (!right.HasValue)
                    {
                        // `x / status`, or a divisor the evaluator might bind: give up the shortcut, stay exact.
                        exact = true;
                    }
                    else if (AsLong(right.Value) is { } divisor && divisor != 0)
                    {
                        // status / d is constant between consecutive multiples of d.
                        var step = divisor < 0 ? -divisor : divisor;
                        for (var multiple = step * (FirstClientError / step); multiple <= LastServerError + 1; multiple += step)
                        {
                            Mark(boundary, multiple);
                        }
                    }

                    break;
                }

                // `ShouldRetry(response)`: the simulator may evaluate the predicate's returned value in place of the call.
                case IInvocationOperation { Instance: null or IInstanceReferenceOperation } call
                    when inlineDepth < MaxInlineDepth
                        && call.TargetMethod.ReturnType.SpecialType == SpecialType.System_Boolean
                        && AppMethodSummary.Get(call, call.TargetMethod) is { ReturnedValue: { } returned }:
                    exact |= Collect(returned, boundary, inlineDepth + 1);
                    break;
            }
        }

        return exact;
    }

    /// <summary>The last status of the class that starts at <paramref name="starts"/>[<paramref name="index"/>].</summary>
    public static int End(List<int> starts, int index)
    {
        var start = starts[index];
        var rangeEnd = start <= LastClientError ? LastClientError : LastServerError;
        if (index + 1 < starts.Count && starts[index + 1] - 1 < rangeEnd)
        {
            return starts[index + 1] - 1;
        }

        return rangeEnd;
    }

    private static bool IsIntegral(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Int32 or SpecialType.System_Int64 or SpecialType.System_Int16
            or SpecialType.System_UInt32 or SpecialType.System_UInt64 or SpecialType.System_UInt16 or SpecialType.System_Byte or SpecialType.System_SByte;

    private static void Mark(bool[] boundary, long status)
    {
        if (status >= FirstClientError && status < boundary.Length)
        {
            boundary[status] = true;
        }
    }

    private static long? AsLong(object? value) => value switch
    {
        int i => i,
        short s => s,
        long l => l,
        byte b => b,
        sbyte sb => sb,
        ushort us => us,
        uint ui => ui,
        _ => null,
    };
}
