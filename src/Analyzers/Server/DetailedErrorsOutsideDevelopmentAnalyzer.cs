using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using ServerErrors.Analyzers.Flow;

namespace ServerErrors.Analyzers.Server;

/// <summary>SE1002: <c>UseDeveloperExceptionPage()</c> and <c>EnableDetailedErrors = true</c> outside an IsDevelopment() guard.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class DetailedErrorsOutsideDevelopmentAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Property bag key telling the fix which form was reported.</summary>
    internal const string KindKey = "Kind";
    internal const string KindDeveloperExceptionPage = "DeveloperExceptionPage";
    internal const string KindDetailedErrors = "DetailedErrors";

    private static readonly ImmutableDictionary<string, string?> DeveloperExceptionPageProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindDeveloperExceptionPage);

    private static readonly ImmutableDictionary<string, string?> DetailedErrorsProperties =
        ImmutableDictionary<string, string?>.Empty.Add(KindKey, KindDetailedErrors);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.SE1002_DetailedErrorsOutsideDevelopment);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var types = WellKnownTypes.Get(context.Compilation);
        var developerExceptionPage = types.Get(WellKnownType.Microsoft_AspNetCore_Builder_DeveloperExceptionPageExtensions);
        var hubOptions = types.Get(WellKnownType.Microsoft_AspNetCore_SignalR_HubOptions);
        var grpcOptions = types.Get(WellKnownType.Grpc_AspNetCore_Server_GrpcServiceOptions);

        if (developerExceptionPage is not null)
        {
            context.RegisterOperationAction(c => AnalyzeInvocation(c, developerExceptionPage), OperationKind.Invocation);
        }

        if (hubOptions is not null || grpcOptions is not null)
        {
            context.RegisterOperationAction(c => AnalyzeAssignment(c, types), OperationKind.SimpleAssignment);
        }
    }

    private static void AnalyzeInvocation(OperationAnalysisContext context, INamedTypeSymbol developerExceptionPage)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        if (method.Name != "UseDeveloperExceptionPage"
            || !SymbolEqualityComparer.Default.Equals(method.ContainingType, developerExceptionPage)
            || EnvironmentGuard.IsGuarded(invocation))
        {
            return;
        }

        var location = invocation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax syntax
            && syntax.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax memberAccess
                ? Location.Create(syntax.SyntaxTree, Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(memberAccess.Name.SpanStart, syntax.Span.End))
                : invocation.Syntax.GetLocation();

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE1002_DetailedErrorsOutsideDevelopment, location, DeveloperExceptionPageProperties, "UseDeveloperExceptionPage()"));
    }

    // `EnableDetailedErrors` is `bool?`: the literal arrives wrapped in a nullable conversion.
    private static IOperation WithoutImplicitConversions(IOperation operation)
    {
        while (operation is IConversionOperation { IsImplicit: true } conversion)
        {
            operation = conversion.Operand;
        }

        return operation;
    }

    private static void AnalyzeAssignment(OperationAnalysisContext context, WellKnownTypes types)
    {
        var assignment = (ISimpleAssignmentOperation)context.Operation;
        if (assignment.Target is not IPropertyReferenceOperation { Property.Name: "EnableDetailedErrors" } target
            || WithoutImplicitConversions(assignment.Value).ConstantValue is not { HasValue: true, Value: true })
        {
            return;
        }

        var owner = target.Property.ContainingType;
        if (!types.IsA(owner, WellKnownType.Microsoft_AspNetCore_SignalR_HubOptions)
            && !types.IsA(owner, WellKnownType.Grpc_AspNetCore_Server_GrpcServiceOptions))
        {
            return;
        }

        if (EnvironmentGuard.IsGuarded(assignment))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.SE1002_DetailedErrorsOutsideDevelopment, assignment.Syntax.GetLocation(), DetailedErrorsProperties, "EnableDetailedErrors = true"));
    }
}
