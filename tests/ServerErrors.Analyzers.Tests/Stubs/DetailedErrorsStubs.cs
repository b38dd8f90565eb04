namespace ServerErrors.Analyzers.Tests.Stubs;

/// <summary>
/// Stubs of packages with detailed-error switches (SE1002), with their real namespaces, type names and member
/// signatures. Blazor Server's <c>CircuitOptions</c> and SignalR's <c>HubOptions</c> come from the shared framework.
/// </summary>
public static class DetailedErrorsStubs
{
    /// <summary>
    /// Microsoft.AspNetCore.Diagnostics.EntityFrameworkCore. The registry serves it, but referencing it would pull
    /// EF Core into every test compilation; the analyzer only needs the type's metadata name.
    /// </summary>
    public const string DatabaseErrorPage = """
        namespace Microsoft.AspNetCore.Builder
        {
            public class DatabaseErrorPageOptions
            {
            }

            public static class DatabaseErrorPageExtensions
            {
                public static IApplicationBuilder UseDatabaseErrorPage(this IApplicationBuilder app) => app;

                public static IApplicationBuilder UseDatabaseErrorPage(this IApplicationBuilder app, DatabaseErrorPageOptions options) => app;
            }
        }
        """;

    /// <summary>Hellang.Middleware.ProblemDetails (v6: the predicate takes the context and the exception).</summary>
    public const string HellangProblemDetails = """
        namespace Hellang.Middleware.ProblemDetails
        {
            using System;
            using Microsoft.AspNetCore.Http;
            using Microsoft.Extensions.DependencyInjection;

            public class ProblemDetailsOptions
            {
                public Func<HttpContext, Exception, bool> IncludeExceptionDetails { get; set; }

                public string ExceptionDetailsPropertyName { get; set; }
            }

            public static class ProblemDetailsExtensions
            {
                public static IServiceCollection AddProblemDetails(this IServiceCollection services, Action<ProblemDetailsOptions> configure) => services;
            }
        }
        """;

    /// <summary>CoreWCF (CoreWCF.Primitives / CoreWCF.Http).</summary>
    public const string CoreWcf = """
        namespace CoreWCF
        {
            [System.AttributeUsage(System.AttributeTargets.Class)]
            public sealed class ServiceBehaviorAttribute : System.Attribute
            {
                public bool IncludeExceptionDetailInFaults { get; set; }

                public int MaxItemsInObjectGraph { get; set; }
            }
        }

        namespace CoreWCF.Description
        {
            public class ServiceDebugBehavior
            {
                public bool IncludeExceptionDetailInFaults { get; set; }

                public bool HttpHelpPageEnabled { get; set; }
            }
        }

        namespace CoreWCF.Configuration
        {
            using System;

            public class ServiceOptions
            {
                public CoreWCF.Description.ServiceDebugBehavior DebugBehavior { get; } = new CoreWCF.Description.ServiceDebugBehavior();
            }

            public interface IServiceBuilder
            {
                IServiceBuilder AddService<TService>(Action<ServiceOptions> options) where TService : class;
            }
        }

        namespace Microsoft.AspNetCore.Builder
        {
            using System;

            public static class ServiceModelApplicationBuilderExtensions
            {
                public static IApplicationBuilder UseServiceModel(this IApplicationBuilder app, Action<CoreWCF.Configuration.IServiceBuilder> configure) => app;
            }
        }
        """;
}
