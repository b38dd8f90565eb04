using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Client;

/// <summary>SE2003: a retry (Polly v7/v8 policy or hand-written loop) whose condition names 503 or 429 but whose delay never looks at Retry-After.</summary>
public sealed class RetryAfterIgnoredAnalyzer : DiagnosticAnalyzer
{
    internal const string KindKey = "Kind";
    internal const string KindV7 = "V7";
    internal const string KindV8 = "V8";

    /// <summary><c>HttpRetryStrategyOptions</c> with <c>ShouldRetryAfterHeader = false</c>; the diagnostic is on that assignment.</summary>
    internal const string KindHttpOptions = "HttpOptions";

    internal const string KindLoop = "Loop";

    /// <summary>A single resend after a wait, without a loop (<see cref="SingleResendShape"/>).</summary>
    internal const string KindResend = "Resend";

    private static readonly ImmutableDictionary<string, string?> ResendProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindResend);

    private static readonly ImmutableDictionary<string, string?> LoopProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindLoop);
    private static readonly ImmutableDictionary<string, string?> V7Properties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindV7);
    private static readonly ImmutableDictionary<string, string?> V8Properties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindV8);
    private static readonly ImmutableDictionary<string, string?> HttpOptionsProperties = ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindHttpOptions);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE2003_RetryIgnoresRetryAfter);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (RetryLoopShape.MayOccurIn(context.Compilation, context.CancellationToken))
        {
            context.RegisterOperationAction(AnalyzeLoop, OperationKind.Loop);
            context.RegisterSyntaxNodeAction(AnalyzeResend, Microsoft.CodeAnalysis.CSharp.SyntaxKind.IfStatement);
        }

        var libraries = RetryLibraries.Get(context.Compilation);
        if (libraries is null)
        {
            return;
        }

        if (libraries.HasV7)
        {
            OperationFilter.RegisterInvocationAction(context, PollyV7Retry.IsRetryName, c => AnalyzeV7(c, libraries));
        }

        if (libraries.HasV8)
        {
            context.RegisterOperationAction(c => AnalyzeV8(c, libraries), OperationKind.ObjectCreation);
        }
    }

    private static void AnalyzeV7(OperationAnalysisContext context, RetryLibraries libraries)
    {
        var retry = PollyV7Retry.TryCreate((IInvocationOperation)context.Operation, libraries, context.Compilation, context.CancellationToken);
        if (retry is null || !retry.Waits || retry.SleepProviderSeesOutcome || !RetryCondition.IsHttpResponseMessage(retry.ResultType)
            || DelaySchedule.ReadsRetryAfter(retry.Invocation))
        {
            return;
        }

        foreach (var predicate in retry.ResultPredicates)
        {
            if (RetryPolicies.ResolvePredicate(predicate, context.Compilation, context.CancellationToken) is not { } resolved)
            {
                continue;
            }

            var facts = RetryCondition.AnalyzeResponseCondition(resolved);
            if (facts.NamesComeBackLater)
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE2003_RetryIgnoresRetryAfter, RetryPolicies.NameToEnd(retry.Invocation), V7Properties, RetryCondition.Describe(facts.NamedComeBackLater)));
                return;
            }
        }
    }

    private static void AnalyzeV8(OperationAnalysisContext context, RetryLibraries libraries)
    {
        var options = PollyV8RetryOptions.TryCreate((IObjectCreationOperation)context.Operation, libraries);
        if (options is { IsHttpOptions: true, Incomplete: false })
        {
            AnalyzeHttpOptions(context, options);
            return;
        }

        if (options is null || options.IsHttpOptions || options.Incomplete || options.DelayGenerator is not null || options.ReadsRetryAfter
            || options.ShouldHandle is not { } shouldHandle || !RetryCondition.IsHttpResponseMessage(options.ResultType))
        {
            return;
        }

        var named = NamedComeBackLater(shouldHandle.Value);
        if (named != 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2003_RetryIgnoresRetryAfter, RetryPolicies.CreationHead(options.Creation), V8Properties, RetryCondition.Describe(named)));
        }
    }

    // HttpRetryStrategyOptions honours Retry-After by default; `ShouldRetryAfterHeader = false` turns that off. Flagged
    // when its condition still covers 429/503: the default ShouldHandle (5xx, 408, 429) or one that names them.
    private static void AnalyzeHttpOptions(OperationAnalysisContext context, PollyV8RetryOptions options)
    {
        if (options.ShouldRetryAfterHeader is not { } disabled || disabled.Value.ConstantValue is not { HasValue: true, Value: false }
            || options.DelayGenerator is not null || options.ReadsRetryAfter)
        {
            return;
        }

        var named = options.ShouldHandle is { } shouldHandle ? NamedComeBackLater(shouldHandle.Value) : 429;
        if (named != 0)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2003_RetryIgnoresRetryAfter, disabled.Syntax.GetLocation(), HttpOptionsProperties, RetryCondition.Describe(named)));
        }
    }

    private static int NamedComeBackLater(IOperation value)
    {
        while (value is IConversionOperation { OperatorMethod: null } conversion)
        {
            value = conversion.Operand;
        }

        if (DelaySchedule.UnwrapLambda(value) is { } lambda)
        {
            return RetryCondition.AnalyzeResponseCondition(lambda).NamedComeBackLater;
        }

        if (value is IConversionOperation { OperatorMethod: not null } builderConversion)
        {
            var current = builderConversion.Operand;
            for (var depth = 0; current is IInvocationOperation call && depth < 32; depth++)
            {
                if (call.TargetMethod.Name == "HandleResult" && call.Arguments.Length == 1 && call.Arguments[0].Parameter?.Type.TypeKind == TypeKind.Delegate)
                {
                    var named = RetryCondition.AnalyzeResponseCondition(call.Arguments[0].Value).NamedComeBackLater;
                    if (named != 0)
                    {
                        return named;
                    }
                }

                current = call.Instance;
            }
        }

        return 0;
    }

    private static void AnalyzeResend(SyntaxNodeAnalysisContext context)
    {
        var node = (Microsoft.CodeAnalysis.CSharp.Syntax.IfStatementSyntax)context.Node;
        if (!SourceWords.Contains(node.SyntaxTree, Words.Send, context.CancellationToken))
        {
#if DEBUG
            if (SingleResendShape.MightBe(node))
            {
                throw new System.InvalidOperationException($"SourceWords missed a send name in the if statement at {node.GetLocation()}");
            }
#endif
            return;
        }

        if (SingleResendShape.MightBe(node)
            && context.SemanticModel.GetOperation(context.Node, context.CancellationToken) is IConditionalOperation conditional
            && SingleResendShape.TryCreate(conditional) is { } resend)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2003_RetryIgnoresRetryAfter, resend.KeywordLocation, ResendProperties, RetryCondition.Describe(resend.NamedComeBackLater)));
        }
    }

    private static void AnalyzeLoop(OperationAnalysisContext context)
    {
        if (RetryLoopShape.TryCreate(context) is { NamedComeBackLater: not 0, ReadsRetryAfter: false } loop)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.SE2003_RetryIgnoresRetryAfter, loop.KeywordLocation, LoopProperties, RetryCondition.Describe(loop.NamedComeBackLater)));
        }
    }
}
