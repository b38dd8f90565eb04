using System.Collections.Immutable;
using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Server;

/// <summary>SE1005: a Retry-After header value that is neither delta-seconds nor an HTTP-date.</summary>
public sealed class RetryAfterFormatAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property: a <see cref="RetryAfterValueKind"/> name telling the fix what to rewrite.</summary>
    internal const string KindKey = "Kind";

    /// <summary>Property: for a constant with a recognisable unit, its whole seconds.</summary>
    internal const string SecondsKey = "Seconds";

    /// <summary>The <see cref="KindKey"/> property of each kind, built once (indexed by the enum's value).</summary>
    private static readonly ImmutableDictionary<string, string?>[] PropertiesByKind = CreatePropertiesByKind();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE1005_InvalidRetryAfterValue);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = WellKnownTypes.Get(context.Compilation);
        if (types.Get(WellKnownType.Microsoft_AspNetCore_Http_IHeaderDictionary) is null)
        {
            return;
        }

        // `Headers["Retry-After"] = …`, `Headers.RetryAfter = …`, `Headers.Append("Retry-After", …)`.
        OperationFilter.RegisterPropertyAssignmentAction(context, n => n == "RetryAfter", Analyze, indexers: true);
        OperationFilter.RegisterInvocationAction(context, RetryAfterHeader.IsHeaderWriteName, Analyze);
    }

    private static ImmutableDictionary<string, string?>[] CreatePropertiesByKind()
    {
        var kinds = (RetryAfterValueKind[])System.Enum.GetValues(typeof(RetryAfterValueKind));
        var properties = new ImmutableDictionary<string, string?>[kinds.Length];
        foreach (var kind in kinds)
        {
            properties[(int)kind] = ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind.ToString());
        }

        return properties;
    }

    private static void Analyze(OperationAnalysisContext context)
    {
        if (!RetryAfterHeader.TryGetWrittenValue(context.Operation, out var value, requireResponseHeaders: true) || value is null)
        {
            return;
        }

        var kind = RetryAfterValue.Classify(value, out var expression, out var display);
        if (kind == RetryAfterValueKind.Valid)
        {
            return;
        }

        var properties = PropertiesByKind[(int)kind];
        if (kind == RetryAfterValueKind.Constant)
        {
            // A constant with no reading ("-1", "later") gets the configured default, as SE1003 writes it: every
            // diagnostic has a fix, so Fix All and `dotnet format analyzers` never skip the rule.
            var seconds = RetryAfterValue.TryConvertToSeconds(display)
                ?? AnalyzerConfig.GetPositiveInt(context.Options, expression.Syntax.SyntaxTree, AnalyzerConfig.RetryAfterSeconds, RetryAfterMissingAnalyzer.DefaultSeconds, out _);
            properties = properties.Add(SecondsKey, seconds.ToString(CultureInfo.InvariantCulture));
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE1005_InvalidRetryAfterValue,
            expression.Syntax.GetLocation(),
            properties,
            display,
            kind == RetryAfterValueKind.Fractional ? "can be fractional or negative, which is not a valid Retry-After value" : "is not a valid Retry-After value"));
    }
}
