using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE1002 on shapes found in public repositories (re-typed, not copied), each with the verdict a senior reviewer
/// would give. The comment on each test says where the shape comes from.
/// </summary>
public class SE1002FieldShapeTests
{
    private static Task Analyze(string source, params string[] stubs)
    {
        var test = new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer> { TestCode = source };
        test.AdditionalSources.AddRange(stubs);
        return test.RunAsync();
    }

    private static Task Fix(string source, string fixedSource, params string[] stubs)
    {
        var test = new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix> { TestCode = source, FixedCode = fixedSource };
        test.AdditionalSources.AddRange(stubs);
        return test.RunAsync();
    }

    // A microservices reference app's Program.cs: Development or a "Docker" environment. Verdict: correct, silent.
    [Fact]
    public Task DevelopmentOrDockerEnvironmentName_Silent() => Analyze(
        """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        if (app.Environment.IsDevelopment() || app.Environment.EnvironmentName == "Docker")
        {
            app.UseDeveloperExceptionPage();
        }
        app.Run();
        """);

    // A service-registration extension with an optional environment and null-conditional checks. Verdict: silent.
    [Fact]
    public Task OptionalEnvironmentWithNullConditionalChecks_Silent() => Analyze(
        """
        public static class DatabaseSetup
        {
            public static IServiceCollection AddDatabase(this IServiceCollection services, IHostEnvironment? environment = null)
            {
                if (environment?.IsDevelopment() == true || environment?.EnvironmentName == "Testing")
                {
                    services.AddSignalR(o => o.EnableDetailedErrors = true);
                }

                return services;
            }
        }
        """);

    // A localisation-heavy app's startup: `IsDevelopment() || EnvironmentName == "Test"`. Verdict: silent.
    [Fact]
    public Task DevelopmentOrTestEnvironment_Silent() => Analyze(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment() || env.EnvironmentName == "Test")
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);

    // A to-do API whose Main forces the environment to Development before the template's guard.
    // Verdict: a real leak — every deployment shows the developer page; remove the assignment.
    [Fact]
    public Task EnvironmentForcedToDevelopmentInMain_FlaggedAndRemoved() => Fix(
        """
        public class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                [|builder.Environment.EnvironmentName = Environments.Development|];
                var env = builder.Environment.EnvironmentName;
                var app = builder.Build();
                if (app.Environment.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
                app.Run();
            }
        }
        """,
        """
        public class Program
        {
            public static void Main(string[] args)
            {
                var builder = WebApplication.CreateBuilder(args);
                var env = builder.Environment.EnvironmentName;
                var app = builder.Build();
                if (app.Environment.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
                app.Run();
            }
        }
        """);

    // A Blazor Server admin app: the guard around DetailedErrors was commented out. Verdict: flagged, fixed to the environment.
    [Fact]
    public Task BlazorCircuitOptionsWithCommentedOutGuard_Flagged() => Fix(
        """
        public class Startup
        {
            public Startup(IWebHostEnvironment hostEnvironment) => HostEnvironment = hostEnvironment;

            public IWebHostEnvironment HostEnvironment { get; }

            public void ConfigureServices(IServiceCollection services)
            {
                services.AddServerSideBlazor().AddCircuitOptions(options =>
                {
                    //if (HostEnvironment.IsDevelopment())
                    [|options.DetailedErrors = true|];
                });
            }
        }
        """,
        """
        public class Startup
        {
            public Startup(IWebHostEnvironment hostEnvironment) => HostEnvironment = hostEnvironment;

            public IWebHostEnvironment HostEnvironment { get; }

            public void ConfigureServices(IServiceCollection services)
            {
                services.AddServerSideBlazor().AddCircuitOptions(options =>
                {
                    //if (HostEnvironment.IsDevelopment())
                    options.DetailedErrors = HostEnvironment.IsDevelopment();
                });
            }
        }
        """);

    // A .NET 8 Blazor app: `AddInteractiveServerComponents(options => options.DetailedErrors = true)`. Verdict: flagged.
    [Fact]
    public Task InteractiveServerComponentsDetailedErrors_Flagged() => Fix(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(options => [|options.DetailedErrors = true|]);
        """,
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(options => options.DetailedErrors = builder.Environment.IsDevelopment());
        """);

    // An actor-system host registering gRPC in a static local function with no environment. Verdict: flagged; `false` is the safe fix.
    [Fact]
    public Task GrpcInStaticLocalFunction_FlaggedFixedToFalse() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            using System.IO.Compression;

            RegisterGrpc(new ServiceCollection());

            static void RegisterGrpc(IServiceCollection services)
            {
                services.AddGrpc(options =>
                {
                    options.ResponseCompressionLevel = CompressionLevel.Fastest;
                    [|options.EnableDetailedErrors = true|];
                });
            }
            """,
        FixedCode = """
            using System.IO.Compression;

            RegisterGrpc(new ServiceCollection());

            static void RegisterGrpc(IServiceCollection services)
            {
                services.AddGrpc(options =>
                {
                    options.ResponseCompressionLevel = CompressionLevel.Fastest;
                    options.EnableDetailedErrors = false;
                });
            }
            """,
        AdditionalSources =
        {
            """
            namespace Grpc.AspNetCore.Server
            {
                public class GrpcServiceOptions
                {
                    public bool? EnableDetailedErrors { get; set; }
                    public System.IO.Compression.CompressionLevel? ResponseCompressionLevel { get; set; }
                }
            }

            namespace Microsoft.Extensions.DependencyInjection
            {
                public static class GrpcServicesExtensions
                {
                    public static IServiceCollection AddGrpc(this IServiceCollection services, System.Action<Grpc.AspNetCore.Server.GrpcServiceOptions> configure) => services;
                }
            }
            """,
        },
    }.RunAsync();

    // A chat sample: per-hub options with detailed errors and filters. Verdict: flagged.
    [Fact]
    public Task SignalRPerHubOptions_Flagged() => Analyze(
        """
        using Microsoft.AspNetCore.SignalR;

        public class ChatHub : Hub { }

        public static class ChatSetup
        {
            public static void Add(IServiceCollection services)
            {
                services.AddSignalR().AddHubOptions<ChatHub>(options =>
                {
                    [|options.EnableDetailedErrors = true|];
                    options.MaximumReceiveMessageSize = 64 * 1024;
                });
            }
        }
        """);

    // Hellang ProblemDetails (v6) resolving the environment from the request services. Verdict: correct, silent.
    [Fact]
    public Task HellangPredicateResolvingEnvironment_Silent() => Analyze(
        """
        using Hellang.Middleware.ProblemDetails;

        public static class ErrorSetup
        {
            public static void AddCustomProblemDetails(this IServiceCollection services)
            {
                services.AddProblemDetails(options =>
                {
                    options.IncludeExceptionDetails = (ctx, ex) =>
                    {
                        var env = ctx.RequestServices.GetRequiredService<IWebHostEnvironment>();
                        return env.IsDevelopment();
                    };
                });
            }
        }
        """,
        DetailedErrorsStubs.HellangProblemDetails);

    // Hellang ProblemDetails turned off, or on for Development and Staging. Verdict: silent (no constant `true`;
    // showing details on a staging slot is a team decision the analyzer cannot judge).
    [Fact]
    public Task HellangPredicatesThatDecide_Silent() => Analyze(
        """
        using Hellang.Middleware.ProblemDetails;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddProblemDetails(opt => opt.IncludeExceptionDetails = (context, exception) => false);
        builder.Services.AddProblemDetails(opt =>
        {
            opt.ExceptionDetailsPropertyName = "Exception Details";
            opt.IncludeExceptionDetails = (ctx, ex) => builder.Environment.IsDevelopment() || builder.Environment.IsStaging();
        });
        """,
        DetailedErrorsStubs.HellangProblemDetails);

    // A Hellang setup that always includes the details (the shape the package's docs warn about). Verdict: flagged.
    [Fact]
    public Task HellangAlwaysTrue_Flagged() => Fix(
        """
        using Hellang.Middleware.ProblemDetails;

        public static class ErrorSetup
        {
            public static void AddErrors(this IServiceCollection services, IWebHostEnvironment currentEnvironment)
            {
                services.AddProblemDetails(setup =>
                {
                    [|setup.IncludeExceptionDetails = (ctx, env) => true|];
                });
            }
        }
        """,
        """
        using Hellang.Middleware.ProblemDetails;

        public static class ErrorSetup
        {
            public static void AddErrors(this IServiceCollection services, IWebHostEnvironment currentEnvironment)
            {
                services.AddProblemDetails(setup =>
                {
                    setup.IncludeExceptionDetails = (ctx, env) => currentEnvironment.IsDevelopment();
                });
            }
        }
        """,
        DetailedErrorsStubs.HellangProblemDetails);

    // A CoreWCF school-records service: `options.DebugBehavior.IncludeExceptionDetailInFaults = true`. Verdict: flagged.
    [Fact]
    public Task CoreWcfServiceOptionsDebugBehavior_Flagged() => Fix(
        """
        var app = WebApplication.CreateBuilder(args).Build();
        app.UseServiceModel(serviceBuilder =>
        {
            serviceBuilder.AddService<RecordsService>(options =>
            {
                [|options.DebugBehavior.IncludeExceptionDetailInFaults = true|];
            });
        });

        public class RecordsService { }
        """,
        """
        var app = WebApplication.CreateBuilder(args).Build();
        app.UseServiceModel(serviceBuilder =>
        {
            serviceBuilder.AddService<RecordsService>(options =>
            {
                options.DebugBehavior.IncludeExceptionDetailInFaults = app.Environment.IsDevelopment();
            });
        });

        public class RecordsService { }
        """,
        DetailedErrorsStubs.CoreWcf);

    // A betting service host adding `new ServiceDebugBehavior() { IncludeExceptionDetailInFaults = true }`
    // (re-typed for CoreWCF). Verdict: flagged.
    [Fact]
    public Task ServiceDebugBehaviorInitializer_Flagged() => Analyze(
        """
        using System.Collections.Generic;
        using CoreWCF.Description;

        public static class Host
        {
            public static void Configure(List<object> behaviors)
            {
                behaviors.Add(new ServiceDebugBehavior() { [|IncludeExceptionDetailInFaults = true|] });
            }
        }
        """,
        DetailedErrorsStubs.CoreWcf);

    // The MVC template (2.x/3.x) with the database error page inside the guard. Verdict: silent.
    [Fact]
    public Task TemplateDatabaseErrorPageInsideGuard_Silent() => Analyze(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                    app.UseDatabaseErrorPage();
                }
                else
                {
                    app.UseExceptionHandler("/Home/Error");
                    app.UseHsts();
                }
            }
        }
        """,
        DetailedErrorsStubs.DatabaseErrorPage);

    // An API whose Configure enables both pages for everyone, then HSTS. Verdict: both flagged and wrapped.
    [Fact]
    public Task BothPagesUnguarded_FlaggedAndWrapped() => Fix(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                app.[|UseDatabaseErrorPage()|];
                app.[|UseDeveloperExceptionPage()|];
                app.UseHsts();
            }
        }
        """,
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment())
                {
                    app.UseDatabaseErrorPage();
                }
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
                app.UseHsts();
            }
        }
        """,
        DetailedErrorsStubs.DatabaseErrorPage);

    // Test hosts created with `new WebApplicationOptions { EnvironmentName = Environments.Development }`. Verdict: silent
    // (not a host environment assignment; the option is how integration tests pick their environment).
    [Fact]
    public Task WebApplicationOptionsEnvironmentName_Silent() => Analyze(
        """
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
        var app = builder.Build();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        """);

    // The most common WCF shape (a city-lookup service, a CRM payments endpoint, a data-selection service):
    // `[ServiceBehavior(IncludeExceptionDetailInFaults = true)]` on the service class, re-typed for CoreWCF.
    // Verdict: flagged — an attribute is compiled in, so faults carry stack traces in every environment; fixed to `false`.
    [Fact]
    public Task ServiceBehaviorAttribute_FlaggedFixedToFalse() => Fix(
        """
        using CoreWCF;

        [ServiceBehavior([|IncludeExceptionDetailInFaults = true|])]
        public class ProvideCities { }

        [ServiceBehavior(MaxItemsInObjectGraph = int.MaxValue, [|IncludeExceptionDetailInFaults = true|])]
        public class DataSelectionService { }
        """,
        """
        using CoreWCF;

        [ServiceBehavior(IncludeExceptionDetailInFaults = false)]
        public class ProvideCities { }

        [ServiceBehavior(MaxItemsInObjectGraph = int.MaxValue, IncludeExceptionDetailInFaults = false)]
        public class DataSelectionService { }
        """,
        DetailedErrorsStubs.CoreWcf);

    // The attribute chosen per build configuration (the active branch here is the one with `true`), or set to false.
    // Verdict: silent (a deliberate build-time choice).
    [Fact]
    public Task ServiceBehaviorAttributeUnderDebugOrFalse_Silent() => Analyze(
        """
        using CoreWCF;

        #if !SHIPPING
        [ServiceBehavior(IncludeExceptionDetailInFaults = true)]
        #else
        [ServiceBehavior(IncludeExceptionDetailInFaults = false)]
        #endif
        public class TextTransfer { }

        [ServiceBehavior(IncludeExceptionDetailInFaults = false)]
        public class Quiet { }
        """,
        DetailedErrorsStubs.CoreWcf);
}
