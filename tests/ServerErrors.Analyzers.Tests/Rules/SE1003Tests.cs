using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Verifiers.Verifier<
    ServerErrors.Analyzers.Server.RetryAfterMissingAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Server.RetryAfterMissingCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE1003Tests
{
    // ---- MVC controllers ----

    [Fact]
    public Task Controller_StatusCode503_InsertsHeaderBefore() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(bool busy)
            {
                if (busy)
                {
                    return [|StatusCode(503)|];
                }

                return Ok();
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(bool busy)
            {
                if (busy)
                {
                    Response.Headers.RetryAfter = "30";
                    return StatusCode(503);
                }

                return Ok();
            }
        }
        """);

    [Fact]
    public Task Controller_StatusCodeWithBody_StatusCodesConstant() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                return [|StatusCode(StatusCodes.Status503ServiceUnavailable, new { error = "busy" })|];
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                Response.Headers.RetryAfter = "30";
                return StatusCode(StatusCodes.Status503ServiceUnavailable, new { error = "busy" });
            }
        }
        """);

    [Fact]
    public Task Controller_Problem_HttpStatusCodeCast() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get() => [|Problem(detail: "Down for maintenance", statusCode: (int)HttpStatusCode.ServiceUnavailable)|];
        }
        """,
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                Response.Headers.RetryAfter = "30";
                return Problem(detail: "Down for maintenance", statusCode: (int)HttpStatusCode.ServiceUnavailable);
            }
        }
        """);

    [Fact]
    public Task Controller_NewStatusCodeResult_WithConst_EmbeddedStatementBecomesBlock() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            private const int Unavailable = 503;

            public IActionResult Get(bool busy)
            {
                if (busy)
                    return [|new StatusCodeResult(Unavailable)|];
                return Ok();
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            private const int Unavailable = 503;

            public IActionResult Get(bool busy)
            {
                if (busy)
                {
                    Response.Headers.RetryAfter = "30";
                    return new StatusCodeResult(Unavailable);
                }
                return Ok();
            }
        }
        """);

    [Fact]
    public Task Controller_ObjectResultInitializer() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                var result = [|new ObjectResult(new { error = "busy" }) { StatusCode = 503 }|];
                return result;
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                Response.Headers.RetryAfter = "30";
                var result = new ObjectResult(new { error = "busy" }) { StatusCode = 503 };
                return result;
            }
        }
        """);

    [Fact]
    public Task Controller_ResultStatusCodeAssignment() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                var result = new JsonResult(new { error = "busy" });
                [|result.StatusCode = 503|];
                return result;
            }
        }
        """);

    [Fact]
    public Task Controller_ProblemDetailsAndCustomResultTypes() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class ServiceUnavailableResult : ObjectResult
        {
            public ServiceUnavailableResult(object value) : base(value)
            {
                StatusCode = 503;
            }
        }

        public class OrdersController : ControllerBase
        {
            public IActionResult Custom() => [|new ServiceUnavailableResult(new { error = "busy" })|];

            public IActionResult WrappedProblem() => [|new ObjectResult(new ProblemDetails { Status = 503, Title = "Busy" })|];

            public IResult ProblemObject() => [|Results.Problem(new ProblemDetails { Status = StatusCodes.Status503ServiceUnavailable })|];

            public IActionResult ProblemDefault() => Problem("Something failed");
        }
        """);

    [Fact]
    public Task Controller_ResponseStatusCodeAssignment_UsesResponse() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public void Get()
            {
                [|Response.StatusCode = 503|];
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public void Get()
            {
                Response.Headers.RetryAfter = "30";
                Response.StatusCode = 503;
            }
        }
        """);

    // ---- Minimal APIs ----

    [Fact]
    public Task MinimalApi_ExpressionLambda_AddsHttpContextParameterAndBlock() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.MapGet("/orders", () => [|Results.StatusCode(503)|]);
        app.Run();
        """,
        """
        var app = WebApplication.Create(args);
        app.MapGet("/orders", (HttpContext httpContext) =>
        {
            httpContext.Response.Headers.RetryAfter = "30";
            return Results.StatusCode(503);
        });
        app.Run();
        """);

    [Fact]
    public Task MinimalApi_LambdaWithParameters_AppendsHttpContext() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.MapGet("/orders/{id}", (int id) =>
        {
            if (id == 0)
            {
                return [|Results.Problem(statusCode: 503)|];
            }

            return Results.Ok(id);
        });
        app.Run();
        """,
        """
        var app = WebApplication.Create(args);
        app.MapGet("/orders/{id}", (int id, HttpContext httpContext) =>
        {
            if (id == 0)
            {
                httpContext.Response.Headers.RetryAfter = "30";
                return Results.Problem(statusCode: 503);
            }

            return Results.Ok(id);
        });
        app.Run();
        """);

    [Fact]
    public Task MinimalApi_LambdaWithHttpContext_UsesIt() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.MapPost("/orders", async (HttpContext context) =>
        {
            await Task.Yield();
            return [|TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable)|];
        });
        app.Run();
        """,
        """
        var app = WebApplication.Create(args);
        app.MapPost("/orders", async (HttpContext context) =>
        {
            await Task.Yield();
            context.Response.Headers.RetryAfter = "30";
            return TypedResults.StatusCode(StatusCodes.Status503ServiceUnavailable);
        });
        app.Run();
        """);

    [Fact]
    public Task TwoResponsesOnOnePath_OneHeaderFixesBoth() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.MapGet("/busy", (HttpContext context) =>
        {
            [|context.Response.StatusCode = 503|];
            return [|Results.StatusCode(503)|];
        });
        app.Run();
        """,
        """
        var app = WebApplication.Create(args);
        app.MapGet("/busy", (HttpContext context) =>
        {
            context.Response.Headers.RetryAfter = "30";
            context.Response.StatusCode = 503;
            return Results.StatusCode(503);
        });
        app.Run();
        """);

    [Fact]
    public Task MinimalApi_ResultsJsonWithStatus() => Verify.VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        app.MapGet("/a", () => [|Results.Json(new { error = "busy" }, statusCode: 503)|]);
        app.MapGet("/b", () => [|TypedResults.Problem("busy", statusCode: 503)|]);
        app.Run();
        """);

    // ---- HttpResponse.StatusCode in middleware ----

    [Fact]
    public Task Middleware_ResponseStatusCode_UsesContextResponse() => Verify.VerifyCodeFixAsync(
        """
        public class MaintenanceMiddleware
        {
            private readonly RequestDelegate _next;

            public MaintenanceMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                [|context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable|];
                await context.Response.WriteAsync("Down for maintenance");
            }
        }
        """,
        """
        public class MaintenanceMiddleware
        {
            private readonly RequestDelegate _next;

            public MaintenanceMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                context.Response.Headers.RetryAfter = "30";
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                await context.Response.WriteAsync("Down for maintenance");
            }
        }
        """);

    [Fact]
    public Task InlineMiddleware_Lambda() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/down")
            {
                [|ctx.Response.StatusCode = 503|];
                return;
            }

            await next();
        });
        app.Run();
        """,
        """
        var app = WebApplication.Create(args);
        app.Use(async (ctx, next) =>
        {
            if (ctx.Request.Path == "/down")
            {
                ctx.Response.Headers.RetryAfter = "30";
                ctx.Response.StatusCode = 503;
                return;
            }

            await next();
        });
        app.Run();
        """);

    // ---- Header already set: silent ----

    [Fact]
    public Task HeaderSetBefore_Property_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                Response.Headers.RetryAfter = "120";
                return StatusCode(503);
            }
        }
        """);

    [Fact]
    public Task HeaderSetBefore_IndexerAndHeaderNames_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.Net.Http.Headers;

        public class Middleware
        {
            public Task A(HttpContext context)
            {
                context.Response.Headers["Retry-After"] = "10";
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            public Task B(HttpContext context)
            {
                context.Response.Headers[HeaderNames.RetryAfter] = "10";
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            public Task C(HttpContext context)
            {
                context.Response.Headers.Append("Retry-After", "10");
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            public Task D(HttpContext context)
            {
                context.Response.Headers.Add(HeaderNames.RetryAfter, "10");
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }

            public Task E(HttpContext context)
            {
                context.Response.Headers.TryAdd("retry-after", "10");
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task HeaderSetAfterStatusBeforeBody_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public async Task InvokeAsync(HttpContext context)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "30";
                await context.Response.WriteAsync("busy");
            }
        }
        """);

    [Fact]
    public Task HeaderSetOnEveryBranchBefore_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(bool maintenance)
            {
                if (maintenance)
                {
                    Response.Headers.RetryAfter = "3600";
                }
                else
                {
                    Response.Headers.RetryAfter = "5";
                }

                return StatusCode(503);
            }
        }
        """);

    [Fact]
    public Task HeaderSetBeforeTry_CatchReturns503_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                Response.Headers.RetryAfter = "30";
                try
                {
                    return Ok();
                }
                catch (TimeoutException)
                {
                    return StatusCode(503);
                }
            }
        }
        """);

    [Fact]
    public Task HelperThatSetsRetryAfter_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                SetRetryAfter(Response, 30);
                return StatusCode(503);
            }

            private static void SetRetryAfter(HttpResponse response, int seconds) => response.Headers.RetryAfter = seconds.ToString();
        }
        """);

    // ---- Header only on another path: still flagged ----

    [Fact]
    public Task HeaderOnlyInOtherBranch_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(bool maintenance)
            {
                if (maintenance)
                {
                    Response.Headers.RetryAfter = "3600";
                    return StatusCode(503);
                }
                else
                {
                    return [|StatusCode(503)|];
                }
            }
        }
        """);

    [Fact]
    public Task HeaderOnlyInOneBranchBefore_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool planned)
            {
                if (planned)
                {
                    context.Response.Headers.RetryAfter = "3600";
                }

                [|context.Response.StatusCode = 503|];
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task HeaderSetInElseAfterStatusInThen_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool down)
            {
                if (down)
                {
                    [|context.Response.StatusCode = 503|];
                }
                else
                {
                    context.Response.Headers.RetryAfter = "1";
                }

                return Task.CompletedTask;
            }
        }
        """);

    // ---- Out of scope: silent ----

    [Fact]
    public Task OtherStatuses_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult A() => StatusCode(500);
            public IActionResult B() => StatusCode(404);
            public IActionResult C() => Problem();
            public IActionResult D() => StatusCode(502);
            public IActionResult E(int status) => StatusCode(status);
            public void F() => Response.StatusCode = 500;
        }
        """);

    [Fact]
    public Task ClientSideHttpResponseMessage_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using System.Net.Http;

        public class FakeHandler : HttpMessageHandler
        {
            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
                => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

            public HttpResponseMessage Other() => new HttpResponseMessage { StatusCode = HttpStatusCode.ServiceUnavailable };
        }
        """);

    [Fact]
    public Task HealthChecks_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Diagnostics.HealthChecks;
        using Microsoft.Extensions.Diagnostics.HealthChecks;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddHealthChecks();
        var app = builder.Build();
        app.MapHealthChecks("/health", new HealthCheckOptions
        {
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status503ServiceUnavailable,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
            ResponseWriter = (context, report) =>
            {
                context.Response.StatusCode = 503;
                return Task.CompletedTask;
            },
        });
        app.MapGet("/readyz", (bool ready) => ready ? Results.Ok() : Results.StatusCode(503));
        app.Run();
        """);

    [Fact]
    public Task HealthController_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class HealthController : ControllerBase
        {
            public IActionResult Get() => StatusCode(503);
        }

        public class StatusController : ControllerBase
        {
            [HttpGet("healthz")]
            public IActionResult Probe() => StatusCode(503);
        }
        """);

    [Fact]
    public Task HealthcareIsNotAHealthProbe_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class HealthcareController : ControllerBase
        {
            public IActionResult Get() => [|StatusCode(503)|];
        }

        public static class Endpoints
        {
            public static void Map(WebApplication app) => app.MapGet("/healthcare/records", () => [|Results.StatusCode(503)|]);
        }
        """);

    [Fact]
    public Task NoAspNetCoreReference_Silent() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        References = TestReferences.NetCore,
        TestCode = """
            public class Response { public int StatusCode { get; set; } }

            public class C
            {
                public void M(Response response) => response.StatusCode = 503;
                public int StatusCode(int code) => code;
                public int N() => StatusCode(503);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task IncompleteCode_DoesNotThrow() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        AllowCompilerErrors = true,
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                public IActionResult Get()
                {
                    Response.Headers.RetryAfter = ;
                    if (
                    return StatusCode(503
                }

                public IActionResult Other() => StatusCode(;
                public void Third(HttpContext context) { context.Response.StatusCode = Unknown; context.Response. }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task IncompleteMinimalApi_DoesNotThrow() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        AllowCompilerErrors = true,
        TestCode = """
            var app = WebApplication.Create(args);
            app.MapGet("/", (HttpContext c) => { [|c.Response.StatusCode = 503|]; c.Response.Headers.
            app.MapGet("/b", () => {|SE1004:Results.StatusCode(429)|}
            """ +
#if ROSLYN4_5
            // Roslyn 4.5 recovers from the broken lambda above differently: `o` does not bind here.
            "builder.Services.AddRateLimiter(o => o.RejectionStatusCode = 503; o.OnRejected = ",
#else
            "builder.Services.AddRateLimiter(o => [|o.RejectionStatusCode = 503|]; o.OnRejected = ",
#endif
    }.RunAsync();

    [Fact]
    public Task GeneratedCode_Silent() => Verify.VerifyAnalyzerAsync(
        """
        // <auto-generated/>
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get() => StatusCode(503);
        }
        """);

    // ---- Options ----

    [Fact]
    public Task Option_CustomSeconds() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        EditorConfig = "server_errors.retry_after_seconds = 120",
        TestCode = """
            public class Middleware
            {
                public void Invoke(HttpContext context)
                {
                    [|context.Response.StatusCode = 503|];
                }
            }
            """,
        FixedCode = """
            public class Middleware
            {
                public void Invoke(HttpContext context)
                {
                    context.Response.Headers.RetryAfter = "120";
                    context.Response.StatusCode = 503;
                }
            }
            """,
    }.RunAsync();

    // ---- FixAll ----

    [Fact]
    public Task FixAll_SeveralResponsesAndForms() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult A() => [|StatusCode(503)|];

            public IActionResult B(bool x)
            {
                if (x)
                {
                    return [|Problem(statusCode: 503)|];
                }

                return {|SE1004:StatusCode(429)|};
            }
        }

        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/a", () => [|Results.StatusCode(503)|]);
                app.MapGet("/b", (string id) => {|SE1004:TypedResults.StatusCode(429)|});
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult A()
            {
                Response.Headers.RetryAfter = "30";
                return StatusCode(503);
            }

            public IActionResult B(bool x)
            {
                if (x)
                {
                    Response.Headers.RetryAfter = "30";
                    return Problem(statusCode: 503);
                }

                Response.Headers.RetryAfter = "30";
                return StatusCode(429);
            }
        }

        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/a", (HttpContext httpContext) =>
                {
                    httpContext.Response.Headers.RetryAfter = "30";
                    return Results.StatusCode(503);
                });
                app.MapGet("/b", (string id, HttpContext httpContext) =>
                {
                    httpContext.Response.Headers.RetryAfter = "30";
                    return TypedResults.StatusCode(429);
                });
            }
        }
        """);
    // ---- Older ASP.NET Core without IHeaderDictionary.RetryAfter: the fix uses the indexer ----

    private const string AspNetCore6Stub = """
        namespace Microsoft.AspNetCore.Http
        {
            public interface IHeaderDictionary
            {
                string this[string key] { get; set; }
            }

            public abstract class HttpResponse
            {
                public abstract int StatusCode { get; set; }
                public abstract IHeaderDictionary Headers { get; }
            }

            public abstract class HttpContext
            {
                public abstract HttpResponse Response { get; }
            }
        }
        """;

    [Fact]
    public Task NoRetryAfterProperty_UsesIndexer() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        References = TestReferences.NetCore,
        AdditionalSources = { AspNetCore6Stub },
        TestCode = """
            using Microsoft.AspNetCore.Http;

            public class Middleware
            {
                public void Invoke(HttpContext context)
                {
                    [|context.Response.StatusCode = 503|];
                }

                public void Fine(HttpContext context)
                {
                    context.Response.Headers["Retry-After"] = "5";
                    context.Response.StatusCode = 503;
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Http;

            public class Middleware
            {
                public void Invoke(HttpContext context)
                {
                    context.Response.Headers["Retry-After"] = "30";
                    context.Response.StatusCode = 503;
                }

                public void Fine(HttpContext context)
                {
                    context.Response.Headers["Retry-After"] = "5";
                    context.Response.StatusCode = 503;
                }
            }
            """,
    }.RunAsync();

    // ---- More shapes for the fix ----

    [Fact]
    public Task ExpressionBodiedLocalFunction_AndSwitchSection() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(int mode)
            {
                switch (mode)
                {
                    case 1:
                        return [|StatusCode(503)|];
                    default:
                        return Busy();
                }

                IActionResult Busy() => [|StatusCode(503)|];
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(int mode)
            {
                switch (mode)
                {
                    case 1:
                        Response.Headers.RetryAfter = "30";
                        return StatusCode(503);
                    default:
                        return Busy();
                }

                IActionResult Busy()
                {
                    Response.Headers.RetryAfter = "30";
                    return StatusCode(503);
                }
            }
        }
        """);

    [Fact]
    public Task EndpointFilter_UsesFilterContext() => Verify.VerifyCodeFixAsync(
        """
        var app = WebApplication.Create(args);
        app.MapGet("/", () => "ok").AddEndpointFilter(async (context, next) =>
        {
            if (DateTime.UtcNow.Hour == 3)
            {
                return [|Results.StatusCode(503)|];
            }

            return await next(context);
        });
        app.Run();
        """,
        """
        var app = WebApplication.Create(args);
        app.MapGet("/", () => "ok").AddEndpointFilter(async (context, next) =>
        {
            if (DateTime.UtcNow.Hour == 3)
            {
                context.HttpContext.Response.Headers.RetryAfter = "30";
                return Results.StatusCode(503);
            }

            return await next(context);
        });
        app.Run();
        """);

    [Fact]
    public Task NoResponseReachable_FlaggedWithoutFix() => Verify.VerifyCodeFixAsync(
        """
        public class ResultFactory
        {
            public IResult Busy() => [|Results.StatusCode(503)|];
        }
        """,
        """
        public class ResultFactory
        {
            public IResult Busy() => [|Results.StatusCode(503)|];
        }
        """);

    [Fact]
    public Task HeaderSetInLoopBody_ResponseAfterLoop_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, int[] items)
            {
                foreach (var item in items)
                {
                    context.Response.Headers.RetryAfter = item.ToString();
                }

                [|context.Response.StatusCode = 503|];
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task HeaderSetInUsingAndTryBefore_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public async Task InvokeAsync(HttpContext context, Stream stream)
            {
                using (stream)
                {
                    context.Response.Headers.RetryAfter = "30";
                    try
                    {
                        await stream.FlushAsync();
                    }
                    catch (IOException)
                    {
                        context.Response.StatusCode = 503;
                        return;
                    }
                }
            }
        }
        """);

    [Fact]
    public Task HeaderSetInOuterMethod_ResponseInLambda_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public static class Endpoints
        {
            public static void Map(WebApplication app, HttpContext unrelated)
            {
                unrelated.Response.Headers.RetryAfter = "30";
                app.MapGet("/", (HttpContext context) => [|Results.StatusCode(503)|]);
            }
        }
        """);

    // ---- The tree proves the header without a control flow graph (Debug builds cross-check with the graph) ----

    [Fact]
    public Task TreeProof_ControllerHeaderBeforeIf_AndResultObjects_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Busy(bool busy, ILogger<OrdersController> logger)
            {
                Response.Headers.RetryAfter = "30";
                logger.LogWarning("shedding load");
                if (busy)
                {
                    logger.LogWarning("busy");
                    return StatusCode(503);
                }

                return Ok();
            }

            public IActionResult Created(object payload)
            {
                Response.Headers.Append("Retry-After", "15");
                return new ObjectResult(payload) { StatusCode = StatusCodes.Status503ServiceUnavailable };
            }

            public IActionResult Deferred()
            {
                var result = StatusCode(503, new { error = "busy" });
                Response.Headers.RetryAfter = "60";
                return result;
            }

            public IActionResult InTry(bool busy)
            {
                Response.Headers.RetryAfter = "5";
                try
                {
                    using (HttpContext.RequestAborted.Register(() => { }))
                    {
                        return busy ? StatusCode(503) : Ok();
                    }
                }
                finally
                {
                    Response.Headers.CacheControl = "no-store";
                }
            }
        }
        """);

    [Fact]
    public Task TreeProof_MiddlewareStatusThenHeader_AndSwitchSection_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public async Task InvokeAsync(HttpContext context, string reason)
            {
                switch (reason)
                {
                    case "maintenance":
                        context.Response.Headers.RetryAfter = "3600";
                        context.Response.StatusCode = 503;
                        return;
                    case "overload":
                        context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                        await context.Response.WriteAsync("busy");
                        context.Response.Headers["Retry-After"] = "10";
                        return;
                }

                context.Response.StatusCode = 503;
                var seconds = 30;
                context.Response.Headers.RetryAfter = seconds.ToString();
                await context.Response.WriteAsync("busy");
            }
        }
        """);

    [Fact]
    public Task TreeProof_MinimalApiLambdaBlock_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public static class Endpoints
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/orders", (HttpContext context) =>
                {
                    context.Response.Headers.Append("Retry-After", "30");
                    return Results.StatusCode(503);
                });
            }
        }
        """);

    [Fact]
    public Task TreeProof_StatusInLocal_HeaderBeforeEveryConstant_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool busy)
            {
                context.Response.Headers.RetryAfter = "30";
                var status = busy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_LabelBetween_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool quick)
            {
                if (quick)
                {
                    goto respond;
                }

                context.Response.Headers.RetryAfter = "30";
            respond:
                [|context.Response.StatusCode = 503|];
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_ReturnBeforeHeader_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public async Task InvokeAsync(HttpContext context, bool down)
            {
                if (down)
                {
                    [|context.Response.StatusCode = 503|];
                    await context.Response.WriteAsync("down");
                    return;
                }

                context.Response.Headers.RetryAfter = "30";
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_ConditionalReturnBeforeHeader_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool planned)
            {
                context.Response.StatusCode = 503;
                if (!planned)
                {
                    return Task.CompletedTask;
                }

                // Reached on the planned path: may be set after the status.
                context.Response.Headers.RetryAfter = "3600";
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_HeaderInLambdaOrCallback_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                Action later = () => Response.Headers.RetryAfter = "30";
                return [|StatusCode(503)|];
            }

            public IActionResult OnStarting()
            {
                Response.OnStarting(() =>
                {
                    Response.Headers.RetryAfter = "30";
                    return Task.CompletedTask;
                });
                return [|StatusCode(503)|];
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_StatusInLambda_HeaderInEnclosingBlock_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public static class Endpoints
        {
            public static void Map(WebApplication app, HttpContext unrelated)
            {
                unrelated.Response.Headers.Append("Retry-After", "30");
                app.MapGet("/a", () =>
                {
                    return [|Results.StatusCode(503)|];
                });
                unrelated.Response.Headers.RetryAfter = "30";
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_HeaderUnderConditionalAccessOrAnd_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task A(HttpContext? context, HttpResponse response, bool busy)
            {
                _ = busy && response.Headers.TryAdd("Retry-After", "30");
                [|response.StatusCode = 503|];
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task TreeProofNearMiss_HeaderInIfBefore_StatusInNestedBlock_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(bool planned, bool busy)
            {
                if (planned)
                {
                    Response.Headers.RetryAfter = "3600";
                }

                if (busy)
                {
                    return [|StatusCode(503)|];
                }

                return Ok();
            }
        }
        """);

    [Fact]
    public Task ReportWithoutGraph_StatusThenThrowOrReturn_HeaderOnlyAfterTheBlock_Flagged() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool down)
            {
                if (down)
                {
                    [|context.Response.StatusCode = 503|];
                    throw new OperationCanceledException();
                }

                context.Response.Headers.RetryAfter = "30";
                return Task.CompletedTask;
            }
        }

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(bool down)
            {
                if (down)
                {
                    return [|StatusCode(StatusCodes.Status503ServiceUnavailable, new { error = "Down for maintenance" })|];
                }

                Response.Headers.RetryAfter = "120";
                return StatusCode(503);
            }
        }
        """);

    [Fact]
    public Task ReportWithoutGraphNearMiss_BreakOutOfSwitch_HeaderAfter_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, int mode)
            {
                switch (mode)
                {
                    case 1:
                        context.Response.StatusCode = 503;
                        break;
                }

                // The break leads here: set after the status.
                context.Response.Headers.RetryAfter = "30";
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task ReportWithoutGraphNearMiss_StatusLocal_CheckedFromItsAssignment_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public Task InvokeAsync(HttpContext context, bool busy, bool quick)
            {
                var status = busy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
                if (quick)
                {
                    context.Response.StatusCode = status;
                    return Task.CompletedTask;
                }

                // A status in a local is checked from where each constant is assigned: from there a path sets the header.
                context.Response.Headers.RetryAfter = "30";
                context.Response.StatusCode = status;
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task ReportWithoutGraph_LambdaAndLocalFunction_HeaderWrittenElsewhereInTheMethod() => Verify.VerifyAnalyzerAsync(
        """
        public static class Endpoints
        {
            public static void Map(WebApplication app, HttpContext unrelated)
            {
                unrelated.Response.Headers.RetryAfter = "30";
                app.MapGet("/busy", () => [|Results.StatusCode(503)|]);
                app.MapGet("/throttled", () => {|SE1004:TypedResults.StatusCode(429)|});
                app.MapGet("/ok", (HttpContext context) =>
                {
                    context.Response.Headers.RetryAfter = "30";
                    return Results.StatusCode(503);
                });

                IResult Busy() => [|Results.StatusCode(503)|];
                IResult Planned(HttpContext context)
                {
                    context.Response.Headers.RetryAfter = "3600";
                    return Results.StatusCode(503);
                }

                app.MapGet("/busy2", Busy);
                app.MapGet("/planned", Planned);
            }
        }
        """);

    [Fact]
    public Task ReportWithoutGraphNearMiss_StatusLocalCapturedByLambda_CheckedFromItsAssignment_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public static class Endpoints
        {
            public static void Map(WebApplication app, HttpContext unrelated, bool busy)
            {
                var status = busy ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status429TooManyRequests;
                // Each constant is checked from where it is assigned, in this method's graph: a header follows it there.
                unrelated.Response.Headers.RetryAfter = "30";
                app.Run(context =>
                {
                    context.Response.StatusCode = status;
                    return Task.CompletedTask;
                });
            }
        }
        """);
}
