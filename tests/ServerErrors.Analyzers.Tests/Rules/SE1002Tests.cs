using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Verifiers.Verifier<
    ServerErrors.Analyzers.Server.DetailedErrorsOutsideDevelopmentAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Server.DetailedErrorsOutsideDevelopmentCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE1002Tests
{
    private const string GrpcStub = """
        namespace Grpc.AspNetCore.Server
        {
            public class GrpcServiceOptions
            {
                public bool? EnableDetailedErrors { get; set; }
            }

            public class GrpcServiceOptions<TService> : GrpcServiceOptions where TService : class
            {
            }
        }

        namespace Microsoft.Extensions.DependencyInjection
        {
            public static class GrpcServicesExtensions
            {
                public static IServiceCollection AddGrpc(this IServiceCollection services, System.Action<Grpc.AspNetCore.Server.GrpcServiceOptions> configure) => services;
            }
        }
        """;

    // ---- UseDeveloperExceptionPage: flagged forms and their fixes ----

    [Fact]
    public Task TopLevel_Unguarded_WrapsWithAppEnvironment() => Verify.VerifyCodeFixAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        app.[|UseDeveloperExceptionPage()|];
        app.Run();
        """,
        """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        app.Run();
        """);

    [Fact]
    public Task Startup_WithEnvironmentParameter_WrapsWithParameter() => Verify.VerifyCodeFixAsync(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                // show errors
                app.[|UseDeveloperExceptionPage()|];
                app.UseRouting();
            }
        }
        """,
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                // show errors
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
                app.UseRouting();
            }
        }
        """);

    [Fact]
    public Task Startup_EnvironmentField_WrapsWithField() => Verify.VerifyCodeFixAsync(
        """
        public class Startup
        {
            private readonly IHostEnvironment _environment;

            public Startup(IHostEnvironment environment) => _environment = environment;

            public void Configure(IApplicationBuilder app)
            {
                app.[|UseDeveloperExceptionPage()|];
            }
        }
        """,
        """
        public class Startup
        {
            private readonly IHostEnvironment _environment;

            public Startup(IHostEnvironment environment) => _environment = environment;

            public void Configure(IApplicationBuilder app)
            {
                if (_environment.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);

#if !ROSLYN4_5 // primary constructors are C# 12
    [Fact]
    public Task Startup_PrimaryConstructorParameter_WrapsWithIt() => Verify.VerifyCodeFixAsync(
        """
        public class Startup(IWebHostEnvironment env)
        {
            public void Configure(IApplicationBuilder app)
            {
                app.[|UseDeveloperExceptionPage()|];
            }
        }
        """,
        """
        public class Startup(IWebHostEnvironment env)
        {
            public void Configure(IApplicationBuilder app)
            {
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);
#endif

    [Fact]
    public Task NoEnvironmentInScope_AsksApplicationServices() => Verify.VerifyCodeFixAsync(
        """
        public static class Pipeline
        {
            public static void Configure(IApplicationBuilder app)
            {
                app.[|UseDeveloperExceptionPage()|];
            }
        }
        """,
        """
        public static class Pipeline
        {
            public static void Configure(IApplicationBuilder app)
            {
                if (app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);

    [Fact]
    public Task WithoutImplicitUsings_AddsTheUsingsTheFixNeeds() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        WebImplicitUsings = false,
        TestCode = """
            using Microsoft.AspNetCore.Builder;

            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    app.[|UseDeveloperExceptionPage()|];
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public static class Pipeline
            {
                public static void Configure(IApplicationBuilder app)
                {
                    if (app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
                    {
                        app.UseDeveloperExceptionPage();
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task WithoutImplicitUsings_EnvironmentParameter_AddsHostingUsing() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        WebImplicitUsings = false,
        TestCode = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;

            public class Startup
            {
                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    app.[|UseDeveloperExceptionPage()|];
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Builder;
            using Microsoft.AspNetCore.Hosting;
            using Microsoft.Extensions.Hosting;

            public class Startup
            {
                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    if (env.IsDevelopment())
                    {
                        app.UseDeveloperExceptionPage();
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task InsideNegatedCheck_IsFlagged() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        if (!app.Environment.IsDevelopment())
        {
            app.[|UseDeveloperExceptionPage()|];
        }
        """,
        """
        var app = WebApplication.Create(args);
        if (!app.Environment.IsDevelopment())
        {
            if (app.Environment.IsDevelopment())
            {
                app.UseDeveloperExceptionPage();
            }
        }
        """);

    [Fact]
    public Task InElseOfDevelopmentCheck_IsFlagged() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsDevelopment())
            app.UseHsts();
        else
            app.[|UseDeveloperExceptionPage()|];
        """,
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsDevelopment())
            app.UseHsts();
        else
        {
            if (app.Environment.IsDevelopment())
            {
                app.UseDeveloperExceptionPage();
            }
        }
        """);

    [Fact]
    public Task UnderIsProduction_IsFlagged() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsProduction())
        {
            app.[|UseDeveloperExceptionPage()|];
        }
        """);

    [Fact]
    public Task UnderIsStagingOrProductionName_IsFlagged() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsStaging())
        {
            app.[|UseDeveloperExceptionPage()|];
        }
        if (app.Environment.IsEnvironment("Production"))
        {
            app.[|UseDeveloperExceptionPage()|];
        }
        """);

    [Fact]
    public Task OrWithNonDevelopmentCheck_IsFlagged() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        var verbose = args.Length > 0;
        if (app.Environment.IsDevelopment() || verbose)
        {
            app.[|UseDeveloperExceptionPage()|];
        }
        """);

    [Fact]
    public Task Chained_SplitsTheChain() => Verify.VerifyCodeFixAsync(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                app.[|UseDeveloperExceptionPage()|].UseRouting();
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
                    app.UseDeveloperExceptionPage();
                }

                app.UseRouting();
            }
        }
        """);

    [Fact]
    public Task WithOptions_IsFlaggedAndFixed() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.[|UseDeveloperExceptionPage(new DeveloperExceptionPageOptions { SourceCodeLineCount = 3 })|];
        """,
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage(new DeveloperExceptionPageOptions { SourceCodeLineCount = 3 });
        }
        """);

    [Fact]
    public Task FixAll_FixesEveryCallInTheFile() => Verify.VerifyCodeFixAsync(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                app.[|UseDeveloperExceptionPage()|];
            }

            public void ConfigureStaging(IApplicationBuilder app, IWebHostEnvironment env)
            {
                app.[|UseDeveloperExceptionPage()|];
            }

            public void ConfigureOther(IApplicationBuilder app)
            {
                app.[|UseDeveloperExceptionPage()|];
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
                    app.UseDeveloperExceptionPage();
                }
            }

            public void ConfigureStaging(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }

            public void ConfigureOther(IApplicationBuilder app)
            {
                if (app.ApplicationServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);

    // ---- UseDeveloperExceptionPage: guarded, silent ----

    [Fact]
    public Task GuardedByIsDevelopment_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        if (app.Environment.IsDevelopment()) app.UseDeveloperExceptionPage();
        if (app.Environment.IsDevelopment() && args.Length == 0)
        {
            app.UseDeveloperExceptionPage();
        }
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }
        else
        {
            app.UseDeveloperExceptionPage();
        }
        """);

    [Fact]
    public Task GuardedByEarlyReturn_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
            {
                if (!env.IsDevelopment())
                {
                    app.UseHsts();
                    return;
                }

                app.UseDeveloperExceptionPage();
            }
        }
        """);

    [Fact]
    public Task GuardedByCustomEnvironment_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsEnvironment("Local"))
        {
            app.UseDeveloperExceptionPage();
        }
        if (!app.Environment.IsProduction())
        {
            app.UseDeveloperExceptionPage();
        }
        """);

    [Fact]
    public Task GuardedByLocalHoldingTheCheck_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        var isDevelopment = app.Environment.IsDevelopment();
        if (isDevelopment)
        {
            app.UseDeveloperExceptionPage();
        }
        """);

    [Fact]
    public Task GuardedByTernary_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        _ = app.Environment.IsDevelopment() ? app.UseDeveloperExceptionPage() : app.UseExceptionHandler("/error");
        """);

    [Fact]
    public Task SameNamedMethodOfAnotherType_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        public class Fake
        {
            public void UseDeveloperExceptionPage() { }
            public bool EnableDetailedErrors { get; set; }
        }

        public class Use
        {
            public void M(Fake f)
            {
                f.UseDeveloperExceptionPage();
                f.EnableDetailedErrors = true;
            }
        }
        """);

    // ---- EnableDetailedErrors ----

    [Fact]
    public Task SignalR_EnableDetailedErrorsTrue_AssignsIsDevelopment() => Verify.VerifyCodeFixAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSignalR(o => [|o.EnableDetailedErrors = true|]);
        """,
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddSignalR(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment());
        """);

    [Fact]
    public Task SignalR_ObjectInitializer_AssignsEnvironmentParameter() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.SignalR;

        public class Setup
        {
            public HubOptions Create(IHostEnvironment env) => new HubOptions { [|EnableDetailedErrors = true|] };
        }
        """,
        """
        using Microsoft.AspNetCore.SignalR;

        public class Setup
        {
            public HubOptions Create(IHostEnvironment env) => new HubOptions { EnableDetailedErrors = env.IsDevelopment() };
        }
        """);

    [Fact]
    public Task SignalR_NoEnvironment_AssignsFalse() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.SignalR;

        public static class Setup
        {
            public static void Configure(HubOptions options)
            {
                [|options.EnableDetailedErrors = true|];
            }
        }
        """,
        """
        using Microsoft.AspNetCore.SignalR;

        public static class Setup
        {
            public static void Configure(HubOptions options)
            {
                options.EnableDetailedErrors = false;
            }
        }
        """);

    [Fact]
    public Task Grpc_EnableDetailedErrorsTrue_AssignsIsDevelopment() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddGrpc(o => [|o.EnableDetailedErrors = true|]);
            """,
        FixedCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddGrpc(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment());
            """,
        AdditionalSources = { GrpcStub },
    }.RunAsync();

    [Fact]
    public Task EnableDetailedErrors_GuardedOrFalseOrFromEnvironment_IsSilent() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSignalR(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment());
            builder.Services.AddSignalR(o => o.EnableDetailedErrors = false);
            builder.Services.AddGrpc(o => o.EnableDetailedErrors = builder.Environment.IsDevelopment());
            if (builder.Environment.IsDevelopment())
            {
                builder.Services.AddSignalR(o => o.EnableDetailedErrors = true);
                builder.Services.AddGrpc(o => o.EnableDetailedErrors = true);
            }
            """,
        AdditionalSources = { GrpcStub },
    }.RunAsync();

    [Fact]
    public Task Message_NamesWhatIsEnabled() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddSignalR(o => [|o.EnableDetailedErrors = true|]);
            var app = builder.Build();
            app.[|UseDeveloperExceptionPage()|];
            """,
        ExpectedMessages = new()
        {
            "'EnableDetailedErrors = true' is not guarded by an IsDevelopment() check and sends exception details to clients in every environment",
            "'UseDeveloperExceptionPage()' is not guarded by an IsDevelopment() check and sends exception details to clients in every environment",
        },
    }.RunAsync();

    // ---- Custom environment checks through EnvironmentName ----

    [Fact]
    public Task EnvironmentNameComparedWithCustomName_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        if (app.Environment.IsDevelopment() || app.Environment.EnvironmentName == "Docker")
        {
            app.UseDeveloperExceptionPage();
        }
        if ("Local" == app.Environment.EnvironmentName)
        {
            app.UseDeveloperExceptionPage();
        }
        if (string.Equals(app.Environment.EnvironmentName, "Testing", StringComparison.OrdinalIgnoreCase))
        {
            app.UseDeveloperExceptionPage();
        }
        if (app.Environment.EnvironmentName.Equals("Docker", StringComparison.Ordinal) || app.Environment.EnvironmentName.Equals(Environments.Development))
        {
            app.UseDeveloperExceptionPage();
        }
        if (app.Environment.EnvironmentName != Environments.Production)
        {
            app.UseDeveloperExceptionPage();
        }
        if (Environment.GetEnvironmentVariable("ASPNETCORE_ENVIRONMENT") == "Development")
        {
            app.UseDeveloperExceptionPage();
        }
        switch (app.Environment.EnvironmentName)
        {
            case "Development":
            case "Docker":
                app.UseDeveloperExceptionPage();
                break;
        }
        """);

    [Fact]
    public Task EnvironmentNameOnParameters_NullConditional_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        public class Startup
        {
            public void Configure(IApplicationBuilder app, IWebHostEnvironment? env)
            {
                if (env?.IsDevelopment() == true || env?.EnvironmentName == "Testing")
                {
                    app.UseDeveloperExceptionPage();
                }
            }
        }
        """);

    [Fact]
    public Task EnvironmentNameComparedWithSharedName_IsFlaggedWithConditionMessage() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var app = WebApplication.Create(args);
            if (app.Environment.EnvironmentName == "Production" || app.Environment.EnvironmentName == Environments.Staging)
            {
                app.[|UseDeveloperExceptionPage()|];
            }
            switch (app.Environment.EnvironmentName)
            {
                case "Staging":
                    app.[|UseDeveloperExceptionPage()|];
                    break;
                default:
                    app.[|UseDeveloperExceptionPage()|];
                    break;
            }
            """,
        ExpectedMessages = new()
        {
            "'UseDeveloperExceptionPage()' is not limited to Development by the condition around it and sends exception details to clients wherever that condition holds",
            "'UseDeveloperExceptionPage()' is not limited to Development by the condition around it and sends exception details to clients wherever that condition holds",
            "'UseDeveloperExceptionPage()' is not limited to Development by the condition around it and sends exception details to clients wherever that condition holds",
        },
    }.RunAsync();

    [Fact]
    public Task ConditionNotUnderstood_MessageDoesNotClaimEveryEnvironment() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            if (builder.Configuration.GetValue<bool>("ShowErrors"))
            {
                app.[|UseDeveloperExceptionPage()|];
            }
            if (!app.Environment.IsDevelopment())
            {
                app.[|UseDeveloperExceptionPage()|];
            }
            app.[|UseDeveloperExceptionPage()|];
            """,
        ExpectedMessages = new()
        {
            "'UseDeveloperExceptionPage()' is not limited to Development by the condition around it and sends exception details to clients wherever that condition holds",
            "'UseDeveloperExceptionPage()' is not limited to Development by the condition around it and sends exception details to clients wherever that condition holds",
            "'UseDeveloperExceptionPage()' is not guarded by an IsDevelopment() check and sends exception details to clients in every environment",
        },
    }.RunAsync();

    [Fact]
    public Task StartupConventionForDevelopment_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        public class Startup
        {
            public void ConfigureDevelopment(IApplicationBuilder app) => app.UseDeveloperExceptionPage();

            public void ConfigureDevelopmentServices(IServiceCollection services) => services.AddSignalR(o => o.EnableDetailedErrors = true);
        }

        public class StartupDevelopment
        {
            public void Configure(IApplicationBuilder app) => app.UseDeveloperExceptionPage();
        }
        """);

    // ---- EnvironmentName forced to Development before the guard ----

    [Fact]
    public Task EnvironmentNameSetToDevelopment_BeforeGuard_FlaggedAtAssignmentAndRemoved() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            [|builder.Environment.EnvironmentName = Environments.Development|];
            var app = builder.Build();
            if (app.Environment.IsDevelopment())
            {
                app.UseDeveloperExceptionPage();
            }
            app.Run();
            """,
        FixedCode = """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            if (app.Environment.IsDevelopment())
            {
                app.UseDeveloperExceptionPage();
            }
            app.Run();
            """,
        ExpectedMessages = new()
        {
            "'builder.Environment.EnvironmentName = Environments.Development' makes the environment check around 'UseDeveloperExceptionPage()' always true and sends exception details to clients in every environment",
        },
    }.RunAsync();

    [Fact]
    public Task EnvironmentNameSetToDevelopment_InStartup_LiteralAndDetailedErrors() => Verify.VerifyCodeFixAsync(
        """
        public class Startup
        {
            public void ConfigureServices(IServiceCollection services, IWebHostEnvironment env)
            {
                [|env.EnvironmentName = "Development"|];
                services.AddSignalR(o => o.EnableDetailedErrors = env.IsDevelopment() ? true : false);
                if (!env.IsProduction())
                {
                    services.AddSignalR(o => o.EnableDetailedErrors = true);
                }
            }
        }
        """,
        """
        public class Startup
        {
            public void ConfigureServices(IServiceCollection services, IWebHostEnvironment env)
            {
                services.AddSignalR(o => o.EnableDetailedErrors = env.IsDevelopment() ? true : false);
                if (!env.IsProduction())
                {
                    services.AddSignalR(o => o.EnableDetailedErrors = true);
                }
            }
        }
        """);

    [Fact]
    public Task EnvironmentNameSet_ConditionallyOrAfterOrToOtherName_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        if (args.Contains("--dev"))
        {
            builder.Environment.EnvironmentName = Environments.Development;
        }
        builder.Environment.EnvironmentName = "Docker";
        var app = builder.Build();
        if (app.Environment.IsDevelopment())
        {
            app.UseDeveloperExceptionPage();
        }
        app.Environment.EnvironmentName = "Development";
        """);

    [Fact]
    public Task EnvironmentNameSetToDevelopment_CustomGuardAfter_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Environment.EnvironmentName = "Development";
        var app = builder.Build();
        if (app.Environment.IsEnvironment("Local"))
        {
            app.UseDeveloperExceptionPage();
        }
        app.Run();
        """);

    // ---- Minimal hosting: the developer page is on in Development already ----

    [Fact]
    public Task WebApplication_SecondVariant_RemovesTheCall() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.[|UseDeveloperExceptionPage()|];
            app.[|UseDeveloperExceptionPage()|].UseRouting();
            app.Run();
            """,
        FixedCode = """
            var builder = WebApplication.CreateBuilder(args);
            var app = builder.Build();
            app.UseRouting();
            app.Run();
            """,
        CodeActionEquivalenceKey = DetailedErrorsOutsideDevelopmentCodeFix.RemoveCallKey,
        ExpectedCodeActionTitles = new()
        {
            "Use the developer exception page only in Development",
            "Remove UseDeveloperExceptionPage() (WebApplication shows it in Development already)",
        },
    }.RunAsync();

    [Fact]
    public Task NotWebApplication_OrWithOptions_OnlyTheGuardIsOffered() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            public class Startup
            {
                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    app.[|UseDeveloperExceptionPage()|];
                }

                public void Configure(WebApplication app)
                {
                    app.[|UseDeveloperExceptionPage(new DeveloperExceptionPageOptions { SourceCodeLineCount = 3 })|];
                }
            }
            """,
        FixedCode = """
            public class Startup
            {
                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    app.[|UseDeveloperExceptionPage()|];
                }

                public void Configure(WebApplication app)
                {
                    app.[|UseDeveloperExceptionPage(new DeveloperExceptionPageOptions { SourceCodeLineCount = 3 })|];
                }
            }
            """,
        CodeActionEquivalenceKey = DetailedErrorsOutsideDevelopmentCodeFix.RemoveCallKey,
        ExpectedCodeActionTitles = new() { "Use the developer exception page only in Development" },
    }.RunAsync();

    // ---- UseDatabaseErrorPage ----

    [Fact]
    public Task DatabaseErrorPage_Unguarded_Wrapped() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            public class Startup
            {
                public void Configure(IApplicationBuilder app, IWebHostEnvironment env)
                {
                    app.[|UseDatabaseErrorPage()|];
                    app.[|UseDatabaseErrorPage(new DatabaseErrorPageOptions())|];
                    if (env.IsDevelopment())
                    {
                        app.UseDatabaseErrorPage();
                    }
                }
            }
            """,
        FixedCode = """
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
                        app.UseDatabaseErrorPage(new DatabaseErrorPageOptions());
                    }
                    if (env.IsDevelopment())
                    {
                        app.UseDatabaseErrorPage();
                    }
                }
            }
            """,
        AdditionalSources = { DetailedErrorsStubs.DatabaseErrorPage },
        ExpectedCodeActionTitles = new() { "Use the database error page only in Development" },
    }.RunAsync();

    [Fact]
    public Task DatabaseErrorPage_OnWebApplication_HasNoRemoveVariant() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            var app = WebApplication.Create(args);
            app.[|UseDatabaseErrorPage()|];
            """,
        FixedCode = """
            var app = WebApplication.Create(args);
            if (app.Environment.IsDevelopment())
            {
                app.UseDatabaseErrorPage();
            }
            """,
        AdditionalSources = { DetailedErrorsStubs.DatabaseErrorPage },
        ExpectedCodeActionTitles = new() { "Use the database error page only in Development" },
    }.RunAsync();

    // ---- Blazor Server CircuitOptions.DetailedErrors ----

    [Fact]
    public Task Blazor_DetailedErrorsTrue_EveryRegistration_AssignsIsDevelopment() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Components.Server;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddServerSideBlazor(o => [|o.DetailedErrors = true|]);
        builder.Services.AddServerSideBlazor().AddCircuitOptions(o => { [|o.DetailedErrors = true|]; });
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o => [|o.DetailedErrors = true|]);
        builder.Services.Configure<CircuitOptions>(o => [|o.DetailedErrors = true|]);
        """,
        """
        using Microsoft.AspNetCore.Components.Server;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddServerSideBlazor(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddServerSideBlazor().AddCircuitOptions(o => { o.DetailedErrors = builder.Environment.IsDevelopment(); });
        builder.Services.AddRazorComponents().AddInteractiveServerComponents(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.Configure<CircuitOptions>(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        """);

    [Fact]
    public Task Blazor_DetailedErrors_GuardedOrFromConfiguration_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddServerSideBlazor(o => o.DetailedErrors = builder.Environment.IsDevelopment());
        builder.Services.AddServerSideBlazor(o => o.DetailedErrors = builder.Configuration.GetValue<bool>("DetailedErrors"));
        if (builder.Environment.IsDevelopment())
        {
            builder.Services.AddServerSideBlazor(o => o.DetailedErrors = true);
        }
        builder.Services.AddServerSideBlazor(o => o.DetailedErrors = false);
        """);

    [Fact]
    public Task Blazor_DetailedErrors_Message() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddServerSideBlazor(o => [|o.DetailedErrors = true|]);
            """,
        ExpectedMessages = new() { "'DetailedErrors = true' is not guarded by an IsDevelopment() check and sends exception details to clients in every environment" },
    }.RunAsync();

    // ---- Hellang ProblemDetailsOptions.IncludeExceptionDetails ----

    [Fact]
    public Task Hellang_IncludeExceptionDetailsAlwaysTrue_ReturnsIsDevelopment() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            using Hellang.Middleware.ProblemDetails;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddProblemDetails(o => [|o.IncludeExceptionDetails = (ctx, ex) => true|]);
            builder.Services.AddProblemDetails(o =>
            {
                [|o.IncludeExceptionDetails = (_, _) =>
                {
                    return true;
                }|];
            });
            """,
        FixedCode = """
            using Hellang.Middleware.ProblemDetails;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddProblemDetails(o => o.IncludeExceptionDetails = (ctx, ex) => builder.Environment.IsDevelopment());
            builder.Services.AddProblemDetails(o =>
            {
                o.IncludeExceptionDetails = (_, _) =>
                {
                    return builder.Environment.IsDevelopment();
                };
            });
            """,
        AdditionalSources = { DetailedErrorsStubs.HellangProblemDetails },
        ExpectedMessages = new()
        {
            "'IncludeExceptionDetails = (ctx, ex) => true' is not guarded by an IsDevelopment() check and sends exception details to clients in every environment",
            "'IncludeExceptionDetails = (ctx, ex) => true' is not guarded by an IsDevelopment() check and sends exception details to clients in every environment",
        },
    }.RunAsync();

    [Fact]
    public Task Hellang_NoEnvironmentInScope_AsksTheRequestServices() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        WebImplicitUsings = false,
        TestCode = """
            using Hellang.Middleware.ProblemDetails;
            using Microsoft.Extensions.DependencyInjection;

            public static class ProblemDetailsSetup
            {
                public static IServiceCollection AddErrors(this IServiceCollection services)
                    => services.AddProblemDetails(options => [|options.IncludeExceptionDetails = (context, exception) => true|]);

                public static IServiceCollection AddOtherErrors(this IServiceCollection services)
                    => services.AddProblemDetails(options => [|options.IncludeExceptionDetails = (_, _) => true|]);
            }
            """,
        FixedCode = """
            using Hellang.Middleware.ProblemDetails;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            public static class ProblemDetailsSetup
            {
                public static IServiceCollection AddErrors(this IServiceCollection services)
                    => services.AddProblemDetails(options => options.IncludeExceptionDetails = (context, exception) => context.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment());

                public static IServiceCollection AddOtherErrors(this IServiceCollection services)
                    => services.AddProblemDetails(options => options.IncludeExceptionDetails = (_, _) => false);
            }
            """,
        AdditionalSources = { DetailedErrorsStubs.HellangProblemDetails },
    }.RunAsync();

    [Fact]
    public Task Hellang_PredicateThatDecides_IsSilent() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            using Hellang.Middleware.ProblemDetails;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddProblemDetails(o =>
            {
                o.IncludeExceptionDetails = (ctx, ex) => builder.Environment.IsDevelopment();
                o.IncludeExceptionDetails = (ctx, ex) => false;
                o.IncludeExceptionDetails = (ctx, ex) => ex is not TimeoutException;
                o.IncludeExceptionDetails = (ctx, ex) => ctx.RequestServices.GetRequiredService<IHostEnvironment>().IsDevelopment();
            });
            if (builder.Environment.IsDevelopment())
            {
                builder.Services.AddProblemDetails(o => o.IncludeExceptionDetails = (ctx, ex) => true);
            }
            """,
        AdditionalSources = { DetailedErrorsStubs.HellangProblemDetails },
    }.RunAsync();

    // ---- CoreWCF ServiceDebugBehavior.IncludeExceptionDetailInFaults ----

    [Fact]
    public Task CoreWcf_IncludeExceptionDetailInFaults_AssignsIsDevelopment() => new CodeFixTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        TestCode = """
            using CoreWCF.Description;

            var app = WebApplication.Create(args);
            app.UseServiceModel(services => services.AddService<Calculator>(o => [|o.DebugBehavior.IncludeExceptionDetailInFaults = true|]));
            var behavior = new ServiceDebugBehavior { [|IncludeExceptionDetailInFaults = true|], HttpHelpPageEnabled = true };
            if (app.Environment.IsDevelopment())
            {
                behavior.IncludeExceptionDetailInFaults = true;
            }

            public class Calculator { }
            """,
        FixedCode = """
            using CoreWCF.Description;

            var app = WebApplication.Create(args);
            app.UseServiceModel(services => services.AddService<Calculator>(o => o.DebugBehavior.IncludeExceptionDetailInFaults = app.Environment.IsDevelopment()));
            var behavior = new ServiceDebugBehavior { IncludeExceptionDetailInFaults = app.Environment.IsDevelopment(), HttpHelpPageEnabled = true };
            if (app.Environment.IsDevelopment())
            {
                behavior.IncludeExceptionDetailInFaults = true;
            }

            public class Calculator { }
            """,
        AdditionalSources = { DetailedErrorsStubs.CoreWcf },
    }.RunAsync();

    [Fact]
    public Task NewSwitches_WithoutTheirPackages_SameNamesAreSilent() => Verify.VerifyAnalyzerAsync(
        """
        public class Options
        {
            public bool DetailedErrors { get; set; }
            public bool IncludeExceptionDetailInFaults { get; set; }
            public Func<HttpContext, Exception, bool>? IncludeExceptionDetails { get; set; }
        }

        public static class Setup
        {
            public static void UseDatabaseErrorPage(this IApplicationBuilder app) { }

            public static void Configure(IApplicationBuilder app, Options o)
            {
                o.DetailedErrors = true;
                o.IncludeExceptionDetailInFaults = true;
                o.IncludeExceptionDetails = (ctx, ex) => true;
                app.UseDatabaseErrorPage();
            }
        }
        """);

    // ---- Configuration and bad input ----

    [Fact]
    public Task EditorConfigSeverityNone_Silences() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var app = WebApplication.Create(args);
            app.UseDeveloperExceptionPage();
            """,
        EditorConfig = "dotnet_diagnostic.SE1002.severity = none",
    }.RunAsync();

    [Fact]
    public Task PragmaSuppression_Silences() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        #pragma warning disable SE1002
        app.UseDeveloperExceptionPage();
        #pragma warning restore SE1002
        """);

    [Fact]
    public Task ConsoleApp_WithoutAspNetCore_ReportsNothing() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        References = TestReferences.NetCore,
        TestCode = """
            public class App
            {
                public void UseDeveloperExceptionPage() { }
                public bool EnableDetailedErrors { get; set; }
                public static void Main() { var a = new App(); a.UseDeveloperExceptionPage(); a.EnableDetailedErrors = true; }
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("var app = WebApplication.Create(args);\napp.[|UseDeveloperExceptionPage(|]")]
    [InlineData("var app = WebApplication.Create(args);\nif (app.Environment.IsDevelopment(\napp.[|UseDeveloperExceptionPage()|];")]
    [InlineData("unknown.UseDeveloperExceptionPage();")]
    [InlineData("var app = WebApplication.Create(args);\napp.UseDeveloperExceptionPage(42);")]
    [InlineData("var b = WebApplication.CreateBuilder(args);\nb.Services.AddSignalR(o => o.EnableDetailedErrors = );")]
    [InlineData("var b = WebApplication.CreateBuilder(args);\nb.Services.AddSignalR(o => [|o.EnableDetailedErrors = true|]")]
    [InlineData("class C { void M(IApplicationBuilder app) { if (!missing.IsDevelopment()) return; app.UseDeveloperExceptionPage(); } }")]
    [InlineData("class C { void M(IApplicationBuilder app) { if (app.Environment.IsDevelopment()) app.UseDeveloperExceptionPage(); } }")]
    [InlineData("var b = WebApplication.CreateBuilder(args);\nb.Services.AddServerSideBlazor(o => o.DetailedErrors = );")]
    [InlineData("var b = WebApplication.CreateBuilder(args);\nb.Environment.EnvironmentName = ;\nif (b.Environment.IsDevelopment()) b.Services.AddSignalR(o => o.EnableDetailedErrors = true);")]
    [InlineData("var b = WebApplication.CreateBuilder(args);\n[|b.Environment.EnvironmentName = \"Development\"|];\nif (b.Environment.IsDevelopment()) b.Services.AddSignalR(o => o.EnableDetailedErrors = true)")]
    [InlineData("var app = WebApplication.Create(args);\nif (app.Environment.EnvironmentName == ) app.UseDeveloperExceptionPage();")]
    [InlineData("var app = WebApplication.Create(args);\nif (string.Equals(app.Environment.EnvironmentName)) app.UseDeveloperExceptionPage();")]
    [InlineData("var app = WebApplication.Create(args);\nswitch (app.Environment.EnvironmentName) { case : app.UseDeveloperExceptionPage(); break; }")]
    public Task IncompleteCode_DoesNotThrow(string source) => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = source,
        AllowCompilerErrors = true,
    }.RunAsync();

    [Fact]
    public Task IncompleteCode_StillFlagsWhatBinds() => new AnalyzerTest<DetailedErrorsOutsideDevelopmentAnalyzer>
    {
        TestCode = """
            var app = WebApplication.Create(args);
            app.[|UseDeveloperExceptionPage()|];
            app.UseRouting(
            """,
        AllowCompilerErrors = true,
    }.RunAsync();

    [Fact]
    public Task GeneratedCode_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        // <auto-generated/>
        public static class Generated
        {
            public static void Configure(IApplicationBuilder app) => app.UseDeveloperExceptionPage();
        }
        """);
}
