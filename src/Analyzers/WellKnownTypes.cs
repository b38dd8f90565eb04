using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace ServerErrors.Analyzers;

/// <summary>Types the rules look for, by metadata name; see <see cref="WellKnownTypes"/>.</summary>
internal enum WellKnownType
{
    // Hosting
    Microsoft_Extensions_Hosting_IHostEnvironment,
    Microsoft_AspNetCore_Hosting_IHostingEnvironment,
    Microsoft_AspNetCore_Builder_WebApplication,
    Microsoft_AspNetCore_Builder_WebApplicationBuilder,

    // ASP.NET Core responses (several rules)
    Microsoft_AspNetCore_Http_HttpContext,
    Microsoft_AspNetCore_Http_HttpResponse,
    Microsoft_AspNetCore_Http_Results,
    Microsoft_AspNetCore_Http_TypedResults,
    Microsoft_AspNetCore_Mvc_ControllerBase,

    // Detailed errors (SE1002)
    Microsoft_AspNetCore_Builder_DeveloperExceptionPageExtensions,
    Microsoft_AspNetCore_SignalR_HubOptions,
    Grpc_AspNetCore_Server_GrpcServiceOptions,
    Microsoft_AspNetCore_Builder_DatabaseErrorPageExtensions,
    Microsoft_AspNetCore_Components_Server_CircuitOptions,
    Hellang_Middleware_ProblemDetails_ProblemDetailsOptions,
    CoreWCF_Description_ServiceDebugBehavior,
    CoreWCF_ServiceBehaviorAttribute,

    // Exception details in responses (SE1001)
    System_Exception,
    System_Text_StringBuilder,
    System_Text_Encoding,
    System_Text_Json_JsonSerializer,
    Newtonsoft_Json_JsonConvert,
    Microsoft_AspNetCore_Http_HttpResponseWritingExtensions,
    Microsoft_AspNetCore_Http_HttpResponseJsonExtensions,
    Microsoft_AspNetCore_Http_IProblemDetailsService,
    Microsoft_AspNetCore_Http_ProblemDetailsContext,
    Microsoft_AspNetCore_Http_ProblemDetailsOptions,
    Microsoft_AspNetCore_Mvc_ObjectResult,
    Microsoft_AspNetCore_Mvc_JsonResult,
    Microsoft_AspNetCore_Mvc_ContentResult,
    Microsoft_AspNetCore_Mvc_ProblemDetails,
    Microsoft_AspNetCore_Diagnostics_IExceptionHandler,
    Microsoft_AspNetCore_Diagnostics_IExceptionHandlerFeature,
    Microsoft_AspNetCore_Builder_ExceptionHandlerExtensions,
    Microsoft_AspNetCore_Builder_ExceptionHandlerOptions,
    Microsoft_Extensions_Logging_ILogger,

    // Retry-After on 503/429 and its format (SE1003, SE1004, SE1005)
    Microsoft_AspNetCore_Http_IHeaderDictionary,
    Microsoft_AspNetCore_Mvc_RazorPages_PageModel,
    Microsoft_AspNetCore_Mvc_Infrastructure_IStatusCodeActionResult,
    Microsoft_AspNetCore_RateLimiting_RateLimiterOptions,
    Microsoft_AspNetCore_Diagnostics_HealthChecks_HealthCheckOptions,

    // Retry policies: Polly v7, Polly v8, Microsoft.Extensions.Http.Resilience (SE2001-SE2004)
    Polly_RetrySyntax,
    Polly_AsyncRetrySyntax,
    Polly_RetryTResultSyntax,
    Polly_AsyncRetryTResultSyntax,
    Polly_Retry_RetryStrategyOptions__1,
    Polly_Extensions_Http_HttpPolicyExtensions,
    Microsoft_Extensions_Http_Resilience_HttpRetryStrategyOptions,

    // Hand-written retry loops (SE2001-SE2004)
    System_Net_Http_HttpClient,

    // HttpClient registrations: resilience handlers per client and by default (SE2005, SE2006)
    Microsoft_Extensions_DependencyInjection_IHttpClientBuilder,
}

/// <summary>
/// Symbols resolved at most once per compilation and shared by every analyzer of the package.
/// Lookups are lazy so that a rule pays only for the types it asks for.
/// </summary>
internal sealed class WellKnownTypes
{
    private static readonly ConditionalWeakTable<Compilation, WellKnownTypes> Cache = new();
    private static readonly string[] MetadataNames = CreateMetadataNames();

    private static readonly object Unresolved = new();

    private readonly Compilation _compilation;
    private readonly object?[] _symbols = new object?[MetadataNames.Length];

    private WellKnownTypes(Compilation compilation) => _compilation = compilation;

    public static WellKnownTypes Get(Compilation compilation) => Cache.GetValue(compilation, static c => new WellKnownTypes(c));

    /// <summary>The type, or null when the compilation does not reference it.</summary>
    public INamedTypeSymbol? Get(WellKnownType type)
    {
        var index = (int)type;
        var value = Volatile.Read(ref _symbols[index]);
        if (value is null)
        {
            value = (object?)_compilation.GetTypeByMetadataName(MetadataNames[index]) ?? Unresolved;
            Volatile.Write(ref _symbols[index], value);
        }

        return value as INamedTypeSymbol;
    }

    /// <summary>True when <paramref name="type"/> is, derives from or implements the well-known type.</summary>
    public bool IsA(ITypeSymbol? type, WellKnownType wellKnown) => IsA(type, Get(wellKnown));

    /// <summary>True when <paramref name="type"/> is, derives from or implements <paramref name="target"/> (generic types by definition).</summary>
    public static bool IsA(ITypeSymbol? type, INamedTypeSymbol? target)
    {
        if (type is null || target is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, target))
            {
                return true;
            }
        }

        if (target.TypeKind == TypeKind.Interface)
        {
            foreach (var implemented in type.AllInterfaces)
            {
                if (SymbolEqualityComparer.Default.Equals(implemented.OriginalDefinition, target))
                {
                    return true;
                }
            }

            return type.TypeKind == TypeKind.Interface && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, target);
        }

        return false;
    }

    private static string[] CreateMetadataNames()
    {
        // Enum member names encode the metadata name: '_' separates namespace parts, "__N" a generic arity.
        var members = (WellKnownType[])System.Enum.GetValues(typeof(WellKnownType));
        var names = new string[members.Length];
        foreach (var member in members)
        {
            names[(int)member] = member.ToString().Replace("__", "`").Replace('_', '.');
        }

        return names;
    }
}
