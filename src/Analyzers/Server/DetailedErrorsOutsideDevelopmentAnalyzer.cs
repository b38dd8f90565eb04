using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Server;

/// <summary>
/// SE1002: a switch that shows exception details to clients — <c>UseDeveloperExceptionPage()</c>,
/// <c>UseDatabaseErrorPage()</c>, SignalR/gRPC <c>EnableDetailedErrors = true</c>, Blazor Server
/// <c>CircuitOptions.DetailedErrors = true</c>, Hellang <c>ProblemDetailsOptions.IncludeExceptionDetails = (ctx, ex) => true</c>,
/// CoreWCF <c>ServiceDebugBehavior.IncludeExceptionDetailInFaults = true</c> — outside an IsDevelopment() guard; and an
/// <c>EnvironmentName = "Development"</c> assignment that makes such a guard always true.
/// </summary>
public sealed class DetailedErrorsOutsideDevelopmentAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property bag key telling the fix which form was reported.</summary>
    internal const string KindKey = "Kind";

    /// <summary>A middleware call (<c>UseDeveloperExceptionPage()</c>): the fix wraps it in a guard.</summary>
    internal const string KindDeveloperExceptionPage = "DeveloperExceptionPage";

    /// <summary><c>UseDatabaseErrorPage()</c>: the fix wraps it in a guard (WebApplication does not enable it by itself).</summary>
    internal const string KindDatabaseErrorPage = "DatabaseErrorPage";

    /// <summary>A boolean option assigned <c>true</c>: the fix assigns the environment check.</summary>
    internal const string KindDetailedErrors = "DetailedErrors";

    /// <summary>A predicate that returns <c>true</c>: the fix makes it return the environment check.</summary>
    internal const string KindIncludeExceptionDetails = "IncludeExceptionDetails";

    /// <summary><c>EnvironmentName = "Development"</c> before a guard: the fix removes the assignment.</summary>
    internal const string KindForcedEnvironment = "ForcedEnvironment";

    /// <summary><c>[ServiceBehavior(IncludeExceptionDetailInFaults = true)]</c>: an attribute cannot ask the environment; the fix sets <c>false</c>.</summary>
    internal const string KindAttribute = "Attribute";

    private const string NotGuarded = "is not guarded by an IsDevelopment() check";
    private const string EveryEnvironment = "in every environment";
    private const string NotLimited = "is not limited to Development by the condition around it";
    private const string WhereConditionHolds = "wherever that condition holds";

    private static readonly ImmutableDictionary<string, string?>[] PropertiesByKind =
    {
        Properties(KindDeveloperExceptionPage),
        Properties(KindDatabaseErrorPage),
        Properties(KindDetailedErrors),
        Properties(KindIncludeExceptionDetails),
        Properties(KindForcedEnvironment),
        Properties(KindAttribute),
    };

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE1002_DetailedErrorsOutsideDevelopment);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.Flags);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static ImmutableDictionary<string, string?> Properties(string kind) => ImmutableDictionary<string, string?>.Empty.Add(KindKey, kind);

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var switches = new Switches(WellKnownTypes.Get(context.Compilation));
        if (!switches.Any)
        {
            return;
        }

        if (switches.DeveloperExceptionPage is not null || switches.DatabaseErrorPage is not null)
        {
            OperationFilter.RegisterInvocationAction(context, n => n is "UseDeveloperExceptionPage" or "UseDatabaseErrorPage", c => AnalyzeSwitch(c, switches));
        }

        // Options switches, and `EnvironmentName = "Development"` ahead of any guarded switch.
        OperationFilter.RegisterPropertyAssignmentAction(context, n => n == "EnvironmentName" || Switches.IsOptionName(n), c => AnalyzeAssignment(c, switches));

        if (WellKnownTypes.Get(context.Compilation).Get(WellKnownType.CoreWCF_ServiceBehaviorAttribute) is { } serviceBehavior)
        {
            context.RegisterSymbolAction(c => AnalyzeServiceBehavior(c, serviceBehavior), SymbolKind.NamedType);
        }
    }

    /// <summary>CoreWCF <c>[ServiceBehavior(IncludeExceptionDetailInFaults = true)]</c>: compiled in, so on in every environment.</summary>
    private static void AnalyzeServiceBehavior(SymbolAnalysisContext context, INamedTypeSymbol serviceBehavior)
    {
        foreach (var attribute in context.Symbol.GetAttributes())
        {
            if (!SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, serviceBehavior) || !IncludesExceptionDetails(attribute)
                || attribute.ApplicationSyntaxReference?.GetSyntax(context.CancellationToken) is not AttributeSyntax { ArgumentList: { } arguments } syntax
                || IsUnderPreprocessorCondition(syntax)
                // The driver analyzes a partial type when one part is hand-written; the attribute may be on a generated part.
                || (context.Symbol.DeclaringSyntaxReferences.Length > 1 && GeneratedCode.IsInGeneratedFile(syntax, context.Compilation, context.CancellationToken)))
            {
                continue;
            }

            foreach (var argument in arguments.Arguments)
            {
                if (argument.NameEquals?.Name.Identifier.ValueText == "IncludeExceptionDetailInFaults")
                {
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.SE1002_DetailedErrorsOutsideDevelopment,
                        argument.GetLocation(),
                        PropertiesByKind[Switches.AttributeKind],
                        "IncludeExceptionDetailInFaults = true",
                        NotGuarded,
                        EveryEnvironment));
                }
            }
        }
    }

    private static bool IncludesExceptionDetails(AttributeData attribute)
    {
        foreach (var named in attribute.NamedArguments)
        {
            if (named.Key == "IncludeExceptionDetailInFaults" && named.Value.Value is true)
            {
                return true;
            }
        }

        return false;
    }

    // `#if DEBUG [ServiceBehavior(IncludeExceptionDetailInFaults = true)] #else … #endif` is a deliberate build-time choice.
    private static bool IsUnderPreprocessorCondition(AttributeSyntax attribute)
    {
        if (attribute.Parent is not AttributeListSyntax list)
        {
            return false;
        }

        foreach (var trivia in list.OpenBracketToken.LeadingTrivia)
        {
            if (trivia.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.IfDirectiveTrivia)
                || trivia.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ElifDirectiveTrivia)
                || trivia.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ElseDirectiveTrivia))
            {
                return true;
            }
        }

        return false;
    }

    private static void AnalyzeSwitch(OperationAnalysisContext context, Switches switches)
    {
        var operation = context.Operation;
        if (!switches.TryMatch(operation, out var kind, out var display) || RunsOnlyInDevelopmentByConvention(context.ContainingSymbol))
        {
            return;
        }

        var state = EnvironmentGuard.Classify(operation);
        if (state == GuardState.Guarded)
        {
            return;
        }

        var unguarded = state == GuardState.Unguarded;
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE1002_DetailedErrorsOutsideDevelopment,
            LocationOf(operation),
            PropertiesByKind[kind],
            display,
            unguarded ? NotGuarded : NotLimited,
            unguarded ? EveryEnvironment : WhereConditionHolds));
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, Switches switches)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "EnvironmentName" })
        {
            AnalyzeSwitch(context, switches);
            return;
        }

        // `env.EnvironmentName = Environments.Development;` run unconditionally, then a guarded switch after it.
        if (!EnvironmentGuard.IsEnvironmentNameRead(assignment.Target)
            || !string.Equals(EnvironmentGuard.EnvironmentNameConstant(assignment.Value), "Development", StringComparison.OrdinalIgnoreCase)
            || !RunsUnconditionally(assignment))
        {
            return;
        }

        var end = assignment.Syntax.Span.End;
        foreach (var descendant in assignment.Root().Descendants())
        {
            if (descendant.Syntax.SpanStart >= end
                && descendant.Kind is OperationKind.Invocation or OperationKind.SimpleAssignment
                && switches.TryMatch(descendant, out _, out var display)
                && EnvironmentGuard.IsGuardedByDevelopmentCheck(descendant))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.SE1002_DetailedErrorsOutsideDevelopment,
                    assignment.Syntax.GetLocation(),
                    PropertiesByKind[Switches.ForcedEnvironment],
                    assignment.Syntax.ToString(),
                    "makes the environment check around '" + display + "' always true",
                    EveryEnvironment));
                return;
            }
        }
    }

    // A statement of the body itself: not under a condition, a loop, a lambda or a try.
    private static bool RunsUnconditionally(IOperation operation)
    {
        for (var parent = operation.Parent; parent is not null; parent = parent.Parent)
        {
            if (parent is not (IExpressionStatementOperation or IBlockOperation or IMethodBodyOperation or IConstructorBodyOperation))
            {
                return false;
            }
        }

        return true;
    }

    // Startup conventions: `ConfigureDevelopment`, `ConfigureDevelopmentServices` and `StartupDevelopment` run only in Development.
    private static bool RunsOnlyInDevelopmentByConvention(ISymbol symbol)
        => symbol is IMethodSymbol { Name: "ConfigureDevelopment" or "ConfigureDevelopmentServices" }
        || symbol.ContainingType?.Name == "StartupDevelopment";

    private static Location LocationOf(IOperation operation)
        => operation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax memberAccess } syntax
            ? Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(memberAccess.Name.SpanStart, syntax.Span.End))
            : operation.Syntax.GetLocation();

    /// <summary>The switches the compilation references, resolved once.</summary>
    private sealed class Switches
    {
        public const int DeveloperExceptionPageKind = 0;
        public const int DatabaseErrorPageKind = 1;
        public const int DetailedErrorsKind = 2;
        public const int IncludeExceptionDetailsKind = 3;
        public const int ForcedEnvironment = 4;
        public const int AttributeKind = 5;

        // The option types are resolved when an assignment to a property of their switch's name is seen (or by `Any`
        // when no middleware type exists): a type a compilation does not reference costs a lookup in every reference.
        private readonly WellKnownTypes _types;

        public Switches(WellKnownTypes types)
        {
            _types = types;
            DeveloperExceptionPage = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_DeveloperExceptionPageExtensions);
            DatabaseErrorPage = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_DatabaseErrorPageExtensions);
        }

        public INamedTypeSymbol? DeveloperExceptionPage { get; }

        public INamedTypeSymbol? DatabaseErrorPage { get; }

        public bool Any => DeveloperExceptionPage is not null || DatabaseErrorPage is not null
            || _types.Get(WellKnownType.Microsoft_AspNetCore_SignalR_HubOptions) is not null
            || _types.Get(WellKnownType.Grpc_AspNetCore_Server_GrpcServiceOptions) is not null
            || _types.Get(WellKnownType.Microsoft_AspNetCore_Components_Server_CircuitOptions) is not null
            || _types.Get(WellKnownType.Hellang_Middleware_ProblemDetails_ProblemDetailsOptions) is not null
            || _types.Get(WellKnownType.CoreWCF_Description_ServiceDebugBehavior) is not null;

        /// <summary>True when <paramref name="operation"/> turns on one of the switches; <paramref name="display"/> names it in the message.</summary>
        public bool TryMatch(IOperation operation, out int kind, out string display)
        {
            kind = -1;
            display = string.Empty;
            switch (operation)
            {
                case IInvocationOperation invocation:
                    var method = invocation.TargetMethod;
                    if (method.Name == "UseDeveloperExceptionPage" && Is(method.ContainingType, DeveloperExceptionPage))
                    {
                        kind = DeveloperExceptionPageKind;
                        display = "UseDeveloperExceptionPage()";
                        return true;
                    }

                    if (method.Name == "UseDatabaseErrorPage" && Is(method.ContainingType, DatabaseErrorPage))
                    {
                        kind = DatabaseErrorPageKind;
                        display = "UseDatabaseErrorPage()";
                        return true;
                    }

                    return false;

                case ISimpleAssignmentOperation { Target: IPropertyReferenceOperation target } assignment:
                    return TryMatchOption(target.Property, assignment.Value, out kind, out display);

                default:
                    return false;
            }
        }

        /// <summary>The property names <see cref="TryMatchOption"/> accepts.</summary>
        public static bool IsOptionName(string name)
            => name is "EnableDetailedErrors" or "DetailedErrors" or "IncludeExceptionDetailInFaults" or "IncludeExceptionDetails";

        private bool TryMatchOption(IPropertySymbol property, IOperation value, out int kind, out string display)
        {
            kind = DetailedErrorsKind;
            display = string.Empty;
            var owner = property.ContainingType;
            switch (property.Name)
            {
                case "EnableDetailedErrors" when _types.IsA(owner, WellKnownType.Microsoft_AspNetCore_SignalR_HubOptions)
                    || _types.IsA(owner, WellKnownType.Grpc_AspNetCore_Server_GrpcServiceOptions):
                    display = "EnableDetailedErrors = true";
                    return IsTrue(value);
                case "DetailedErrors" when _types.IsA(owner, WellKnownType.Microsoft_AspNetCore_Components_Server_CircuitOptions):
                    display = "DetailedErrors = true";
                    return IsTrue(value);
                case "IncludeExceptionDetailInFaults" when _types.IsA(owner, WellKnownType.CoreWCF_Description_ServiceDebugBehavior):
                    display = "IncludeExceptionDetailInFaults = true";
                    return IsTrue(value);
                case "IncludeExceptionDetails" when _types.IsA(owner, WellKnownType.Hellang_Middleware_ProblemDetails_ProblemDetailsOptions):
                    kind = IncludeExceptionDetailsKind;
                    display = "IncludeExceptionDetails = (ctx, ex) => true";
                    return ReturnsTrue(value);
                default:
                    return false;
            }
        }

        private static bool Is(INamedTypeSymbol? type, INamedTypeSymbol? expected)
            => expected is not null && SymbolEqualityComparer.Default.Equals(type, expected);

        // `EnableDetailedErrors` is `bool?`: the literal arrives wrapped in a nullable conversion.
        private static bool IsTrue(IOperation value) => value.WithoutConversions().ConstantValue is { HasValue: true, Value: true };

        /// <summary>A lambda or anonymous method whose only statement returns <c>true</c>.</summary>
        private static bool ReturnsTrue(IOperation value)
        {
            while (value is IConversionOperation or IDelegateCreationOperation)
            {
                value = value is IConversionOperation conversion ? conversion.Operand : ((IDelegateCreationOperation)value).Target;
            }

            if (value is not IAnonymousFunctionOperation { Body.Operations: { Length: 1 } statements })
            {
                return false;
            }

            return statements[0] is IReturnOperation { ReturnedValue: { } returned } && IsTrue(returned);
        }
    }
}
