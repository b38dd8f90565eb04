using System;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace ServerErrors.Analyzers.Flow;

/// <summary>Why a Retry-After value is malformed, and so how it can be repaired.</summary>
internal enum RetryAfterValueKind
{
    /// <summary>A well-formed or unknown value.</summary>
    Valid,

    /// <summary>A constant string that is neither delta-seconds nor an IMF-fixdate.</summary>
    Constant,

    /// <summary>A <c>TimeSpan</c> formatted as text (<c>00:05:00</c>).</summary>
    TimeSpan,

    /// <summary>A <c>DateTime</c>/<c>DateTimeOffset</c> formatted without <c>"R"</c>.</summary>
    Date,

    /// <summary>A <c>double</c>/<c>float</c>/<c>decimal</c> formatted as text (<c>TotalSeconds.ToString()</c>): may be fractional or negative.</summary>
    Fractional,

    /// <summary>
    /// <c>DateTime.Now…ToString("R")</c>: "R" does not convert a <c>DateTime</c> to UTC, so local time goes out labelled GMT
    /// (wrong by the UTC offset).
    /// </summary>
    LocalTime,
}

/// <summary>
/// Decides whether a value written to Retry-After is proven malformed. Only constants and recognisable
/// formatting (<c>TimeSpan.ToString()</c>, <c>DateTime.ToString()</c> without "R", their interpolation) count;
/// anything else is assumed valid.
/// </summary>
internal static class RetryAfterValue
{
    private const string ImfFixdatePattern = "ddd, dd MMM yyyy HH':'mm':'ss 'GMT'";

    private static readonly Regex QuantityWithUnit = new(
        @"^\s*(?<number>\d+(\.\d+)?)\s*(?<unit>[a-zA-Z]*)\s*$",
        RegexOptions.CultureInvariant);

    /// <summary>Classifies <paramref name="value"/>; <paramref name="expression"/> is the operation to report and rewrite.</summary>
    public static RetryAfterValueKind Classify(IOperation value, out IOperation expression, out string display)
    {
        expression = RetryAfterHeader.WithoutConversions(value);
        display = expression.Syntax.ToString();

        if (expression.ConstantValue is { HasValue: true, Value: string text })
        {
            display = text;
            return IsValidConstant(text) ? RetryAfterValueKind.Valid : RetryAfterValueKind.Constant;
        }

        switch (expression)
        {
            case IInvocationOperation { TargetMethod.Name: "ToString", Instance: { } instance } invocation:
                if (IsFloatingPoint(instance.Type))
                {
                    return ClassifyNumber(instance, FormatArgumentValue(invocation));
                }

                var format = FormatArgument(invocation);
                return format == Format.HttpDate && IsLocalNow(instance) ? RetryAfterValueKind.LocalTime : ClassifyFormatting(instance.Type, format);

            case IInterpolatedStringOperation { Parts.Length: 1 } interpolated
                when interpolated.Parts[0] is IInterpolationOperation { Alignment: null } part:
                if (IsFloatingPoint(part.Expression.Type))
                {
                    return ClassifyNumber(part.Expression, part.FormatString is null ? default : part.FormatString.ConstantValue);
                }

                return ClassifyFormatting(part.Expression.Type, part.FormatString is null ? Format.None : Format.Unknown);

            default:
                return RetryAfterValueKind.Valid;
        }
    }

    /// <summary>True for delta-seconds (a non-negative integer) and an IMF-fixdate.</summary>
    public static bool IsValidConstant(string text)
    {
        if (text.Length > 0)
        {
            var digits = true;
            foreach (var c in text)
            {
                digits &= c is >= '0' and <= '9';
            }

            if (digits)
            {
                return true;
            }
        }

        return DateTime.TryParseExact(text, ImfFixdatePattern, CultureInfo.InvariantCulture, DateTimeStyles.None, out _);
    }

    /// <summary>
    /// Whole seconds for a constant with a recognisable unit ("5 minutes" → 300, "2h" → 7200, "1.5" → 2, rounded up
    /// so that clients never come back early); null when the text has no such reading.
    /// </summary>
    public static long? TryConvertToSeconds(string text)
    {
        var match = QuantityWithUnit.Match(text);
        if (!match.Success
            || !double.TryParse(match.Groups["number"].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        double? factor = match.Groups["unit"].Value.ToLowerInvariant() switch
        {
            "" or "s" or "sec" or "secs" or "second" or "seconds" => 1,
            "ms" or "millisecond" or "milliseconds" => 0.001,
            "m" or "min" or "mins" or "minute" or "minutes" => 60,
            "h" or "hr" or "hrs" or "hour" or "hours" => 3600,
            "d" or "day" or "days" => 86400,
            _ => null,
        };

        if (factor is null)
        {
            return null;
        }

        var seconds = Math.Ceiling(number * factor.Value);
        return seconds is >= 0 and <= int.MaxValue ? (long)seconds : null;
    }

    private static bool IsFloatingPoint(ITypeSymbol? type)
        => type?.SpecialType is SpecialType.System_Double or SpecialType.System_Single or SpecialType.System_Decimal;

    /// <summary>
    /// A floating-point number as text: fractional ("1.5", "1E+16") or negative unless rounded to a whole-number format
    /// (<c>"F0"</c>, <c>"0"</c>, <c>"#"</c>) or already whole (<c>Math.Ceiling(x)</c>, <c>Math.Round(x)</c>). An unknown format is left alone.
    /// </summary>
    private static RetryAfterValueKind ClassifyNumber(IOperation number, Optional<object?> format)
    {
        if (number.WithoutConversions() is IInvocationOperation { TargetMethod: { Name: "Ceiling" or "Floor" or "Round" or "Truncate", ContainingType.Name: "Math" } })
        {
            return RetryAfterValueKind.Valid;
        }

        if (!format.HasValue || format.Value is null)
        {
            return RetryAfterValueKind.Fractional;
        }

        return format.Value is string text
            ? (text is "F0" or "f0" or "0" or "#" or "#0" ? RetryAfterValueKind.Valid : RetryAfterValueKind.Fractional)
            : RetryAfterValueKind.Valid;
    }

    /// <summary>The constant value of the <c>format</c> argument: none when there is no such argument.</summary>
    private static Optional<object?> FormatArgumentValue(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == "format")
            {
                // A format that is not a constant: a non-null marker the caller leaves alone.
                return argument.Value.ConstantValue.HasValue ? argument.Value.ConstantValue : new Optional<object?>(new object());
            }
        }

        return default;
    }

    private enum Format
    {
        None,
        HttpDate,
        Other,
        Unknown,
    }

    private static Format FormatArgument(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name != "format")
            {
                continue;
            }

            if (argument.Value.ConstantValue is { HasValue: true, Value: string format })
            {
                return format is "R" or "r" or ImfFixdatePattern ? Format.HttpDate : Format.Other;
            }

            return argument.Value.ConstantValue is { HasValue: true, Value: null } ? Format.None : Format.Unknown;
        }

        return Format.None;
    }

    /// <summary><c>DateTime.Now</c>, possibly shifted by <c>Add…</c> calls: a local <c>DateTime</c>.</summary>
    public static bool IsLocalNow(IOperation value)
    {
        for (var depth = 0; depth < 16; depth++)
        {
            switch (value)
            {
                case IInvocationOperation { TargetMethod.Name: { } name, Instance: { } receiver } call
                    when name.StartsWith("Add", StringComparison.Ordinal) && IsSystemDateTime(call.TargetMethod.ContainingType):
                    value = receiver;
                    continue;
                case IPropertyReferenceOperation { Property: { Name: "Now", IsStatic: true } property }:
                    return IsSystemDateTime(property.ContainingType);
                default:
                    return false;
            }
        }

        return false;
    }

    private static bool IsSystemDateTime(ITypeSymbol? type)
        => type is { Name: "DateTime", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static RetryAfterValueKind ClassifyFormatting(ITypeSymbol? type, Format format)
    {
        if (type is null || type.ContainingNamespace?.Name != "System" || type.ContainingNamespace.ContainingNamespace?.IsGlobalNamespace != true)
        {
            return RetryAfterValueKind.Valid;
        }

        switch (type.Name)
        {
            case "TimeSpan":
                // Standard formats ("c", "g", "G") and the default all produce "hh:mm:ss"; custom formats are left alone.
                return format == Format.None ? RetryAfterValueKind.TimeSpan : RetryAfterValueKind.Valid;
            case "DateTime":
            case "DateTimeOffset":
                return format is Format.None or Format.Other ? RetryAfterValueKind.Date : RetryAfterValueKind.Valid;
            default:
                return RetryAfterValueKind.Valid;
        }
    }
}
