using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>
/// Evaluates an HTTP status code that the code proves: an integer literal or const, a
/// <c>StatusCodes.Status…</c> constant, an <c>HttpStatusCode</c> member, or a cast between them.
/// Anything computed at run time is unknown, and rules stay silent on unknown statuses.
/// </summary>
internal static class StatusCode
{
    /// <summary>The status the operation evaluates to, or null when it is not a compile-time constant.</summary>
    public static int? TryGetConstant(IOperation? operation)
    {
        // Casts (`(int)HttpStatusCode.ServiceUnavailable`, `(HttpStatusCode)503`) and nullable wrapping keep the value.
        while (operation is IConversionOperation conversion)
        {
            operation = conversion.Operand;
        }

        if (operation is null || !operation.ConstantValue.HasValue)
        {
            return null;
        }

        // Enum members (HttpStatusCode.X) carry their underlying integer as the constant value.
        return operation.ConstantValue.Value switch
        {
            int value => value,
            short value => value,
            long value and >= 0 and <= 999 => (int)value,
            _ => null,
        };
    }

    public static bool IsServerError(int status) => status is >= 500 and <= 599;

    public static bool IsClientError(int status) => status is >= 400 and <= 499;

    /// <summary>4xx statuses that are worth retrying: 408 Request Timeout and 429 Too Many Requests.</summary>
    public static bool IsTransientClientError(int status) => status is 408 or 429;
}
