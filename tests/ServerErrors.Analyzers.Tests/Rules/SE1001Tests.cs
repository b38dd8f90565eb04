using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using ServerErrors.Analyzers.CodeFixes.Server;
using Verify = ServerErrors.Analyzers.Tests.Verifiers.Verifier<
    ServerErrors.Analyzers.Server.ExceptionDetailsInResponseAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Server.ExceptionDetailsInResponseCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE1001Tests
{
    [Fact]
    public Task Mvc_StatusCode_Message() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (Exception ex)
                {
                    return StatusCode(500, [|ex.Message|]);
                }
            }
        }
        """);

    [Fact]
    public Task Smoke_ManyForms() => Verify.VerifyAnalyzerAsync(
        """
        using System.Text;
        using System.Text.Json;
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(StatusCodes.Status500InternalServerError, new { error = [|ex.Message|], trace = [|ex.StackTrace|], type = ex.GetType().Name });
            public IActionResult B(Exception ex) => Problem(detail: [|ex.ToString()|]);
            public IActionResult C(Exception ex) => Problem(detail: ex.Message, statusCode: 400);
            public IActionResult D(Exception ex) => new ObjectResult([|ex|]) { StatusCode = 503 };
            public IActionResult E(Exception ex) => new JsonResult(new { message = [|$"Failed: {ex.Message}"|] }) { StatusCode = (int)System.Net.HttpStatusCode.InternalServerError };
            public IActionResult F(Exception ex)
            {
                var msg = "Error: " + ex.Message;
                return StatusCode(500, [|msg|]);
            }
            public IActionResult G(Exception ex)
            {
                var sb = new StringBuilder();
                sb.Append(ex.StackTrace);
                return StatusCode(500, [|sb.ToString()|]);
            }
            public IActionResult H(Exception ex) => BadRequest(ex.Message);
            public IActionResult I(Exception ex, int code) => StatusCode(code, ex.Message);
            public IActionResult J(Exception ex) => StatusCode(500, new { requestId = HttpContext.TraceIdentifier, error = "An error occurred" });
            public IActionResult K(Exception ex) => StatusCode(500, [|Describe(ex)|]);
            public IActionResult L(Exception ex) => StatusCode(500, Safe(ex));
            private static string Describe(Exception e) => e.GetType().Name + ": " + e.Message;
            private static string Safe(Exception e) => e.GetType().Name;
        }

        public static class Api
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/a", () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Problem([|ex.Message|]); }
                });
                app.MapGet("/b", () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Json(new { error = [|ex.Message|] }, statusCode: 500); }
                });
                app.MapGet("/c", () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Json(new { error = ex.Message }, statusCode: 422); }
                });
                app.MapGet("/d", () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Problem(title: "Oops", statusCode: 500, extensions: new Dictionary<string, object?> { ["trace"] = [|ex.StackTrace|], ["id"] = "x" }); }
                });
                app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
                {
                    var feature = context.Features.Get<IExceptionHandlerFeature>();
                    await context.Response.WriteAsync([|feature?.Error.Message ?? "unknown"|]);
                }));
                app.Use(async (context, next) =>
                {
                    try { await next(context); }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 500;
                        await context.Response.WriteAsJsonAsync(new { error = [|ex.Message|] });
                    }
                });
                app.Use(async (context, next) =>
                {
                    try { await next(context); }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 400;
                        await context.Response.WriteAsJsonAsync(new { error = ex.Message });
                        await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = ex.Message }));
                    }
                });
            }
        }

        public class Handler : IExceptionHandler
        {
            private readonly IProblemDetailsService _problems;
            public Handler(IProblemDetailsService problems) => _problems = problems;
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                return await _problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = httpContext,
                    Exception = exception,
                    ProblemDetails = { Title = "Error", Detail = [|exception.Message|], Type = exception.GetType().Name },
                });
            }
        }
        """);

    [Fact]
    public Task Fix_Mvc_AnonymousObject() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (Exception ex)
                {
                    return StatusCode(500, new { error = [|ex.Message|], stackTrace = [|ex.StackTrace|] });
                }
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (Exception ex)
                {
                    HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrdersController").LogError(ex, "Unhandled exception");
                    return StatusCode(500, new { error = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });
                }
            }
        }
        """);

#if !ROSLYN4_5 // primary constructors are C# 12
    [Fact]
    public Task Fix_WithLoggerAsPrimaryConstructorParameter_LogsTheException() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController(ILogger<OrdersController> logger) : ControllerBase
            {
                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        // report
                        return StatusCode(500, [|ex.ToString()|]);
                    }
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController(ILogger<OrdersController> logger) : ControllerBase
            {
                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        // report
                        logger.LogError(ex, "Unhandled exception");
                        return StatusCode(500, "An unexpected error occurred.");
                    }
                }
            }
            """,
        CodeActionEquivalenceKey = ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey,
        ExpectedCodeActionTitles = new() { ExceptionDetailsInResponseCodeFix.GenericMessageAndLogTitle, ExceptionDetailsInResponseCodeFix.GenericMessageTitle },
    }.RunAsync();
#endif

    [Fact]
    public Task Fix_WithLogger_LogsTheException() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> logger;

                public OrdersController(ILogger<OrdersController> logger)
                {
                    this.logger = logger;
                }

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        // report
                        return StatusCode(500, [|ex.ToString()|]);
                    }
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> logger;

                public OrdersController(ILogger<OrdersController> logger)
                {
                    this.logger = logger;
                }

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        // report
                        logger.LogError(ex, "Unhandled exception");
                        return StatusCode(500, "An unexpected error occurred.");
                    }
                }
            }
            """,
        CodeActionEquivalenceKey = ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey,
        ExpectedCodeActionTitles = new() { ExceptionDetailsInResponseCodeFix.GenericMessageAndLogTitle, ExceptionDetailsInResponseCodeFix.GenericMessageTitle },
    }.RunAsync();

    [Fact]
    public Task Fix_FirstAction_WithLoggerInScope_Logs() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        // No equivalence key: the first action, as `dotnet format analyzers` applies it, logs the exception.
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> _logger;

                public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        return StatusCode(500, [|ex.Message|]);
                    }
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> _logger;

                public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "Unhandled exception");
                        return StatusCode(500, "An unexpected error occurred.");
                    }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Fix_FirstAction_NothingToLogWith_DropsTheNowUnusedCatchVariable() => Fix(
        """
        using Microsoft.AspNetCore.Http;

        public static class Guarded
        {
            public static IResult Run(Func<IResult> action)
            {
                try { return action(); }
                catch (InvalidOperationException ex)
                {
                    return Results.Problem([|ex.Message|]);
                }
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Http;

        public static class Guarded
        {
            public static IResult Run(Func<IResult> action)
            {
                try { return action(); }
                catch (InvalidOperationException)
                {
                    return Results.Problem("An unexpected error occurred.");
                }
            }
        }
        """);

    [Fact]
    public Task Fix_FirstAction_NoLoggerInScope_LogsThroughRequestServices() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (InvalidOperationException ex)
                {
                    return StatusCode(500, [|ex.Message|]);
                }
                catch (Exception ex) when (ex.Data.Count > 0)
                {
                    return StatusCode(500, [|ex.ToString()|]);
                }
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (InvalidOperationException ex)
                {
                    HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrdersController").LogError(ex, "Unhandled exception");
                    return StatusCode(500, "An unexpected error occurred.");
                }
                catch (Exception ex) when (ex.Data.Count > 0)
                {
                    HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrdersController").LogError(ex, "Unhandled exception");
                    return StatusCode(500, "An unexpected error occurred.");
                }
            }
        }
        """);

    [Fact]
    public Task Fix_MultiLineAnonymousObjectWithTrailingComma_KeepsTheLayout() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (Exception ex)
                {
                    return StatusCode(500, new
                    {
                        error = "Order lookup failed",
                        detail = [|ex.Message|],
                    });
                }
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (Exception ex)
                {
                    HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("OrdersController").LogError(ex, "Unhandled exception");
                    return StatusCode(500, new
                    {
                        error = "Order lookup failed",
                        detail = "An unexpected error occurred.",
                        requestId = HttpContext.TraceIdentifier,
                    });
                }
            }
        }
        """);

    private static Task Fix(string source, string fixedSource) => Verify.VerifyCodeFixAsync(source, fixedSource);

    /// <summary>A C# 7.3 project has no implicit usings: the fix adds the logging and DI imports itself.</summary>
    private static Task Fix(string source, string fixedSource, string fixedSourceCSharp7_3)
        => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
        {
            TestCode = source,
            FixedCode = fixedSource,
            FixedCodeCSharp7_3 = fixedSourceCSharp7_3,
        }.RunAsync();

    private static Task Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    // ---- MVC sinks ----

    [Fact]
    public Task Mvc_StatusCode_String_ReplacedWithGenericMessage() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => StatusCode(StatusCodes.Status500InternalServerError, [|ex.Message|]);
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => StatusCode(StatusCodes.Status500InternalServerError, "An unexpected error occurred.");
        }
        """);

    [Fact]
    public Task Mvc_Problem_DefaultsTo500() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => Problem(detail: [|ex.ToString()|], title: "Failure");
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => Problem(detail: "An unexpected error occurred.", title: "Failure");
        }
        """);

    [Fact]
    public Task Mvc_Problem_ExplicitServerErrorStatus() => Fix(
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => Problem([|ex.Message|], statusCode: (int)HttpStatusCode.BadGateway);
        }
        """,
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => Problem("An unexpected error occurred.", statusCode: (int)HttpStatusCode.BadGateway);
        }
        """);

    [Fact]
    public Task Mvc_ObjectResult_ExceptionObject_BecomesGenericObjectWithRequestId() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            private const int Unavailable = 503;

            public IActionResult Get(Exception ex) => new ObjectResult([|ex|]) { StatusCode = Unavailable };
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            private const int Unavailable = 503;

            public IActionResult Get(Exception ex) => new ObjectResult(new { error = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier }) { StatusCode = Unavailable };
        }
        """);

    [Fact]
    public Task Mvc_JsonResult_Interpolation() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : Controller
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (InvalidOperationException e)
                {
                    return new JsonResult(new { message = [|$"Failed: {e.Message}"|] }) { StatusCode = 500 };
                }
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : Controller
        {
            public IActionResult Get()
            {
                try { return Ok(); }
                catch (InvalidOperationException e)
                {
                    HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("C").LogError(e, "Unhandled exception");
                    return new JsonResult(new { message = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier }) { StatusCode = 500 };
                }
            }
        }
        """);

    [Fact]
    public Task Mvc_ContentResult() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => new ContentResult { Content = [|ex.ToString()|], StatusCode = 500 };
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => new ContentResult { Content = "An unexpected error occurred.", StatusCode = 500 };
        }
        """);

    [Fact]
    public Task Mvc_ObjectResultSubclassSettingStatusInConstructor() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class InternalServerErrorObjectResult : ObjectResult
        {
            public InternalServerErrorObjectResult(object? value) : base(value) { StatusCode = StatusCodes.Status500InternalServerError; }
        }

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => new InternalServerErrorObjectResult(new { ex.Message, ex.StackTrace });
        }
        """.Replace("new { ex.Message, ex.StackTrace }", "new { [|ex.Message|], [|ex.StackTrace|] }"),
        """
        using Microsoft.AspNetCore.Mvc;

        public class InternalServerErrorObjectResult : ObjectResult
        {
            public InternalServerErrorObjectResult(object? value) : base(value) { StatusCode = StatusCodes.Status500InternalServerError; }
        }

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => new InternalServerErrorObjectResult(new { Message = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });
        }
        """);

    [Fact]
    public Task Mvc_ObjectResultWithProblemDetailsStatus() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => new ObjectResult(new ProblemDetails { Status = 500, Title = "Error", Detail = [|ex.Message|] });
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => new ObjectResult(new ProblemDetails { Status = 500, Title = "Error", Detail = "An unexpected error occurred." });
        }
        """);

    [Fact]
    public Task Mvc_ErrorEndpointReadingExceptionHandlerFeature() => Fix(
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class ErrorController : ControllerBase
        {
            [Route("/error")]
            public IActionResult Error()
            {
                var error = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Error;
                return Problem(title: "Server error", detail: [|error?.StackTrace|]);
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class ErrorController : ControllerBase
        {
            [Route("/error")]
            public IActionResult Error()
            {
                var error = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Error;
                HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ErrorController").LogError(error, "Unhandled exception");
                return Problem(title: "Server error", detail: "An unexpected error occurred.");
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;

        public class ErrorController : ControllerBase
        {
            [Route("/error")]
            public IActionResult Error()
            {
                var error = HttpContext.Features.Get<IExceptionHandlerPathFeature>()?.Error;
                HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ErrorController").LogError(error, "Unhandled exception");
                return Problem(title: "Server error", detail: "An unexpected error occurred.");
            }
        }
        """);

    // ---- Flow ----

    [Fact]
    public Task Flow_LocalAndConcatenation() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex)
            {
                var message = "Error: " + ex.Message;
                message += " (see logs)";
                return StatusCode(500, [|message|]);
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex)
            {
                var message = "Error: " + ex.Message;
                message += " (see logs)";
                HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("C").LogError(ex, "Unhandled exception");
                return StatusCode(500, "An unexpected error occurred.");
            }
        }
        """);

    [Fact]
    public Task Flow_StringFormatConcatAndStringBuilder() => Fix(
        """
        using System.Text;
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, [|string.Format("{0}: {1}", "Error", ex.Message)|]);

            public IActionResult B(Exception ex) => StatusCode(500, [|string.Concat("Error: ", ex.Source)|]);

            public IActionResult D(Exception ex)
            {
                var builder = new StringBuilder("Failure");
                builder.AppendLine().Append(ex.TargetSite?.Name);
                return StatusCode(500, [|builder.ToString()|]);
            }
        }
        """,
        """
        using System.Text;
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, "An unexpected error occurred.");

            public IActionResult B(Exception ex) => StatusCode(500, "An unexpected error occurred.");

            public IActionResult D(Exception ex)
            {
                var builder = new StringBuilder("Failure");
                builder.AppendLine().Append(ex.TargetSite?.Name);
                HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("C").LogError(ex, "Unhandled exception");
                return StatusCode(500, "An unexpected error occurred.");
            }
        }
        """);

    [Fact]
    public Task Flow_ConditionalAndCoalesce() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex, bool verbose) => StatusCode(500, verbose ? [|ex.ToString()|] : "Error");

            public IActionResult B(Exception ex) => StatusCode(500, [|ex.InnerException?.Message ?? ex.Message|]);

            public IActionResult D(Exception ex) => StatusCode(500, [|ex.GetBaseException().Message|]);

            public IActionResult E(Exception ex) => StatusCode(500, new { data = [|ex.Data|] });
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex, bool verbose) => StatusCode(500, verbose ? "An unexpected error occurred." : "Error");

            public IActionResult B(Exception ex) => StatusCode(500, "An unexpected error occurred.");

            public IActionResult D(Exception ex) => StatusCode(500, "An unexpected error occurred.");

            public IActionResult E(Exception ex) => StatusCode(500, new { data = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });
        }
        """);

    [Fact]
    public Task Flow_HelperMethodBuildingFromItsExceptionParameter() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => StatusCode(500, [|Describe(ex)|]);

            public IActionResult Safe(Exception ex) => StatusCode(500, Category(ex));

            private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

            private static string Category(Exception exception) => exception is TimeoutException ? "timeout" : exception.GetType().Name;
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => StatusCode(500, "An unexpected error occurred.");

            public IActionResult Safe(Exception ex) => StatusCode(500, Category(ex));

            private static string Describe(Exception exception) => $"{exception.GetType().Name}: {exception.Message}";

            private static string Category(Exception exception) => exception is TimeoutException ? "timeout" : exception.GetType().Name;
        }
        """);

    [Fact]
    public Task Flow_HelperReturningObject_BecomesGenericObject() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => StatusCode(500, [|ToError(ex)|]);

            private static object ToError(Exception e)
            {
                var trace = e.StackTrace;
                return new { message = "failed", trace };
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Get(Exception ex) => StatusCode(500, new { error = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });

            private static object ToError(Exception e)
            {
                var trace = e.StackTrace;
                return new { message = "failed", trace };
            }
        }
        """);

    [Fact]
    public Task Flow_LocalOverwrittenWithGenericText_IsSilent() => Silent(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult Unconditional(Exception ex)
            {
                var message = ex.Message;
                message = "An error occurred.";
                return StatusCode(500, message);
            }

            public IActionResult OutsideDevelopment(Exception ex, IWebHostEnvironment env)
            {
                var message = ex.ToString();
                if (!env.IsDevelopment())
                {
                    message = "An error occurred.";
                }

                return StatusCode(500, message);
            }
        }
        """);

    [Fact]
    public Task Flow_LocalTaintedAfterOrFromItself_IsFlagged() => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                public IActionResult CleanThenTainted(Exception ex)
                {
                    var message = "An error occurred.";
                    message = ex.Message;
                    return StatusCode(500, [|message|]);
                }

                public IActionResult OverwriteReadsItself(Exception ex)
                {
                    var message = ex.Message;
                    message = message.Trim();
                    return StatusCode(500, [|message|]);
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Flow_DtoAndProblemDetailsInLocal() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public record ErrorResponse(string Code, string Message);

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, new ErrorResponse("E1", [|ex.Message|]));

            public IActionResult B(Exception ex)
            {
                var problem = new ProblemDetails { Title = "Error", Detail = [|ex.Message|] };
                problem.Extensions["trace"] = [|ex.StackTrace|];
                problem.Extensions["id"] = HttpContext.TraceIdentifier;
                return StatusCode(500, problem);
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public record ErrorResponse(string Code, string Message);

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, new ErrorResponse("E1", "An unexpected error occurred."));

            public IActionResult B(Exception ex)
            {
                HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("C").LogError(ex, "Unhandled exception");
                var problem = new ProblemDetails { Title = "Error", Detail = "An unexpected error occurred." };
                problem.Extensions["id"] = HttpContext.TraceIdentifier;
                return StatusCode(500, problem);
            }
        }
        """);

    [Fact]
    public Task Flow_DictionaryEntriesAndExceptionMember() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, new Dictionary<string, object?>
            {
                ["error"] = [|ex.Message|],
                ["stack"] = [|ex.StackTrace|],
            });

            public IActionResult B(Exception ex) => StatusCode(500, new Dictionary<string, string?> { { "error", [|ex.Message|] }, { "stack", [|ex.StackTrace|] } });

            public IActionResult D(Exception ex) => StatusCode(500, new { exception = [|ex|] });
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, new Dictionary<string, object?>
            {
                ["error"] = "An unexpected error occurred.",
            });

            public IActionResult B(Exception ex) => StatusCode(500, new Dictionary<string, string?> { { "error", "An unexpected error occurred." } });

            public IActionResult D(Exception ex) => StatusCode(500, new { exception = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });
        }
        """);

    // ---- Minimal APIs ----

    [Fact]
    public Task Results_ProblemJsonContentText() => Fix(
        """
        public static class Api
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/a", IResult () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Problem([|ex.Message|]); }
                });
                app.MapGet("/b", IResult (HttpContext context) =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Json(new { error = [|ex.Message|], trace = [|ex.StackTrace|] }, statusCode: 500); }
                });
                app.MapGet("/c", IResult () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Content([|ex.ToString()|], "text/plain", statusCode: 503); }
                });
                app.MapGet("/d", IResult () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { return Results.Text([|ex.Message|], statusCode: 500); }
                });
            }
        }
        """,
        """
        public static class Api
        {
            public static void Map(WebApplication app)
            {
                app.MapGet("/a", IResult () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception) { return Results.Problem("An unexpected error occurred."); }
                });
                app.MapGet("/b", IResult (HttpContext context) =>
                {
                    try { return Results.Ok(); }
                    catch (Exception ex) { context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Api").LogError(ex, "Unhandled exception");
                        return Results.Json(new { error = "An unexpected error occurred.", requestId = context.TraceIdentifier }, statusCode: 500); }
                });
                app.MapGet("/c", IResult () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception) { return Results.Content("An unexpected error occurred.", "text/plain", statusCode: 503); }
                });
                app.MapGet("/d", IResult () =>
                {
                    try { return Results.Ok(); }
                    catch (Exception) { return Results.Text("An unexpected error occurred.", statusCode: 500); }
                });
            }
        }
        """);

    [Fact]
    public Task TypedResults_ProblemJsonInternalServerError() => Fix(
        """
        public static class Api
        {
            public static IResult A(Exception ex) => TypedResults.Problem(title: "Failed", detail: [|ex.Message|]);

            public static IResult B(Exception ex) => TypedResults.Json([|ex|], statusCode: StatusCodes.Status500InternalServerError);

            public static IResult D(Exception ex) => TypedResults.InternalServerError([|ex.Message|]);

            public static IResult E(Exception ex) => Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails { Detail = [|ex.Message|] });
        }
        """,
        """
        public static class Api
        {
            public static IResult A(Exception ex) => TypedResults.Problem(title: "Failed", detail: "An unexpected error occurred.");

            public static IResult B(Exception ex) => TypedResults.Json(new { error = "An unexpected error occurred." }, statusCode: StatusCodes.Status500InternalServerError);

            public static IResult D(Exception ex) => TypedResults.InternalServerError("An unexpected error occurred.");

            public static IResult E(Exception ex) => Results.Problem(new Microsoft.AspNetCore.Mvc.ProblemDetails { Detail = "An unexpected error occurred." });
        }
        """);

    [Fact]
    public Task Results_ProblemExtensionsDictionary() => Fix(
        """
        public static class Api
        {
            public static IResult A(Exception ex) => Results.Problem(
                title: "Failed",
                statusCode: 500,
                extensions: new Dictionary<string, object?> { ["exception"] = [|ex.ToString()|], ["stackTrace"] = [|ex.StackTrace|], ["kind"] = ex.GetType().Name });
        }
        """,
        """
        public static class Api
        {
            public static IResult A(Exception ex) => Results.Problem(
                title: "Failed",
                statusCode: 500,
                extensions: new Dictionary<string, object?> { ["exception"] = "An unexpected error occurred.", ["kind"] = ex.GetType().Name });
        }
        """);

    // ---- HttpResponse writes ----

    [Fact]
    public Task UseExceptionHandler_WriteAsync() => Fix(
        """
        using Microsoft.AspNetCore.Diagnostics;

        var app = WebApplication.Create(args);
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            context.Response.ContentType = "text/plain";
            await context.Response.WriteAsync([|feature?.Error.Message ?? "unknown"|]);
        }));
        app.Run();
        """,
        """
        using Microsoft.AspNetCore.Diagnostics;

        var app = WebApplication.Create(args);
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var feature = context.Features.Get<IExceptionHandlerFeature>();
            context.Response.ContentType = "text/plain";
            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Program").LogError(feature?.Error, "Unhandled exception");
            await context.Response.WriteAsync("An unexpected error occurred.");
        }));
        app.Run();
        """);

    [Fact]
    public Task ExceptionHandlerOptions_WriteAsJsonAsync() => Fix(
        """
        using Microsoft.AspNetCore.Diagnostics;

        var app = WebApplication.Create(args);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()!.Error;
                await context.Response.WriteAsJsonAsync(new { message = [|error.Message|], detail = [|error.ToString()|] });
            },
        });
        app.Run();
        """,
        """
        using Microsoft.AspNetCore.Diagnostics;

        var app = WebApplication.Create(args);
        app.UseExceptionHandler(new ExceptionHandlerOptions
        {
            ExceptionHandler = async context =>
            {
                var error = context.Features.Get<IExceptionHandlerFeature>()!.Error;
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Program").LogError(error, "Unhandled exception");
                await context.Response.WriteAsJsonAsync(new { message = "An unexpected error occurred.", detail = "An unexpected error occurred.", requestId = context.TraceIdentifier });
            },
        });
        app.Run();
        """);

    [Fact]
    public Task Middleware_CatchSetting500_WriteAsJsonAsync_WithLogger() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = """
            public class ErrorMiddleware
            {
                private readonly RequestDelegate _next;
                private readonly ILogger<ErrorMiddleware> _logger;

                public ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
                {
                    _next = next;
                    _logger = logger;
                }

                public async Task InvokeAsync(HttpContext context)
                {
                    try
                    {
                        await _next(context);
                    }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                        await context.Response.WriteAsJsonAsync(new
                        {
                            error = [|ex.Message|],
                            stackTrace = [|ex.StackTrace|]
                        });
                    }
                }
            }
            """,
        FixedCode = """
            public class ErrorMiddleware
            {
                private readonly RequestDelegate _next;
                private readonly ILogger<ErrorMiddleware> _logger;

                public ErrorMiddleware(RequestDelegate next, ILogger<ErrorMiddleware> logger)
                {
                    _next = next;
                    _logger = logger;
                }

                public async Task InvokeAsync(HttpContext context)
                {
                    try
                    {
                        await _next(context);
                    }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                        _logger.LogError(ex, "Unhandled exception");
                        await context.Response.WriteAsJsonAsync(new
                        {
                            error = "An unexpected error occurred.",
                            requestId = context.TraceIdentifier
                        });
                    }
                }
            }
            """,
        CodeActionEquivalenceKey = ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey,
    }.RunAsync();

    [Fact]
    public Task Middleware_SerializeAndBodyWrite() => Fix(
        """
        using System.Text;
        using System.Text.Json;

        public static class Pipeline
        {
            public static void Configure(IApplicationBuilder app)
            {
                app.Use(async (context, next) =>
                {
                    try { await next(context); }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 500;
                        if (ex is TimeoutException)
                        {
                            await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = [|ex.Message|] }));
                            return;
                        }

                        await context.Response.Body.WriteAsync([|Encoding.UTF8.GetBytes(ex.ToString())|]);
                    }
                });
            }
        }
        """,
        """
        using System.Text;
        using System.Text.Json;

        public static class Pipeline
        {
            public static void Configure(IApplicationBuilder app)
            {
                app.Use(async (context, next) =>
                {
                    try { await next(context); }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 500;
                        if (ex is TimeoutException)
                        {
                            context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Pipeline").LogError(ex, "Unhandled exception");
                            await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = "An unexpected error occurred.", requestId = context.TraceIdentifier }));
                            return;
                        }

                        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes("An unexpected error occurred."));
                    }
                });
            }
        }
        """);

    [Fact]
    public Task ExceptionHandler_ProblemDetailsService_WithLogger() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = """
            using Microsoft.AspNetCore.Diagnostics;

            public sealed class GlobalExceptionHandler : IExceptionHandler
            {
                private readonly IProblemDetailsService problemDetails;
                private readonly ILogger<GlobalExceptionHandler> logger;

                public GlobalExceptionHandler(IProblemDetailsService problemDetails, ILogger<GlobalExceptionHandler> logger)
                {
                    this.problemDetails = problemDetails; this.logger = logger;
                }

                public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
                {
                    return await problemDetails.TryWriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = httpContext,
                        Exception = exception,
                        ProblemDetails = { Title = "An error occurred", Detail = [|exception.Message|], Type = exception.GetType().Name },
                    });
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Diagnostics;

            public sealed class GlobalExceptionHandler : IExceptionHandler
            {
                private readonly IProblemDetailsService problemDetails;
                private readonly ILogger<GlobalExceptionHandler> logger;

                public GlobalExceptionHandler(IProblemDetailsService problemDetails, ILogger<GlobalExceptionHandler> logger)
                {
                    this.problemDetails = problemDetails; this.logger = logger;
                }

                public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
                {
                    logger.LogError(exception, "Unhandled exception");
                    return await problemDetails.TryWriteAsync(new ProblemDetailsContext
                    {
                        HttpContext = httpContext,
                        Exception = exception,
                        ProblemDetails = { Title = "An error occurred", Detail = "An unexpected error occurred.", Type = exception.GetType().Name },
                    });
                }
            }
            """,
        CodeActionEquivalenceKey = ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey,
    }.RunAsync();

    [Fact]
    public Task ExceptionHandler_WriteAsJsonAsync_DefaultStatusIs500() => Fix(
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public sealed class Handler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                await httpContext.Response.WriteAsJsonAsync(new ProblemDetails { Title = "Server error", Detail = [|exception.ToString()|] }, cancellationToken);
                return true;
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public sealed class Handler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Handler").LogError(exception, "Unhandled exception");
                await httpContext.Response.WriteAsJsonAsync(new ProblemDetails { Title = "Server error", Detail = "An unexpected error occurred." }, cancellationToken);
                return true;
            }
        }
        """);

    [Fact]
    public Task CustomizeProblemDetails_ExceptionMessage() => Fix(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Detail = [|context.Exception?.Message|];
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
        });
        """,
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Program").LogError(context.Exception, "Unhandled exception");
            context.ProblemDetails.Detail = "An unexpected error occurred.";
            context.ProblemDetails.Extensions["requestId"] = context.HttpContext.TraceIdentifier;
        });
        """);

    // ---- Messages, FixAll and fix variants ----

    [Fact]
    public Task Message_NamesTheLeakAndTheStatus() => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                public IActionResult A(Exception ex) => StatusCode(503, new { trace = [|ex.StackTrace|] });
                public IActionResult B(Exception ex) => Problem([|$"Failed: {ex?.Message}"|]);
                public IActionResult D(Exception ex) => StatusCode(500, [|ex|]);
            }
            """,
        ExpectedMessages = new()
        {
            "'ex.StackTrace' is sent to the client in a 503 response",
            "'ex?.Message' is sent to the client in a 500 response",
            "'ex' is sent to the client in a 500 response",
        },
    }.RunAsync();

    [Fact]
    public Task FixAll_ManyLeaksInOneFile() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, [|ex.Message|]);
            public IActionResult B(Exception ex) => Problem([|ex.ToString()|]);
            public IActionResult D(Exception ex) => StatusCode(500, new { message = [|ex.Message|], stack = [|ex.StackTrace|], inner = [|ex.InnerException|] });
            public IActionResult E(Exception ex) => new ObjectResult(new { error = [|ex.Message|] }) { StatusCode = 502 };
            public IActionResult F(Exception ex)
            {
                var text = $"{ex.Message}\n{ex.StackTrace}";
                return StatusCode(500, [|text|]);
            }
        }

        public static class Api
        {
            public static IResult G(Exception ex, HttpContext http) => Results.Json(new { ex.Message, requestId = http.TraceIdentifier }, statusCode: 500).Equals(null) ? Results.Ok() : Results.Problem(detail: [|ex.Message|], title: [|ex.GetType().Name + ex.Source|]);
        }
        """.Replace("new { ex.Message, requestId", "new { [|ex.Message|], requestId"),
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, "An unexpected error occurred.");
            public IActionResult B(Exception ex) => Problem("An unexpected error occurred.");
            public IActionResult D(Exception ex) => StatusCode(500, new { message = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });
            public IActionResult E(Exception ex) => new ObjectResult(new { error = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier }) { StatusCode = 502 };
            public IActionResult F(Exception ex)
            {
                var text = $"{ex.Message}\n{ex.StackTrace}";
                HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("C").LogError(ex, "Unhandled exception");
                return StatusCode(500, "An unexpected error occurred.");
            }
        }

        public static class Api
        {
            public static IResult G(Exception ex, HttpContext http) => Results.Json(new { Message = "An unexpected error occurred.", requestId = http.TraceIdentifier }, statusCode: 500).Equals(null) ? Results.Ok() : Results.Problem(detail: "An unexpected error occurred.", title: "An unexpected error occurred.");
        }
        """);

    [Fact]
    public Task LogVariant_NotOfferedWhenAlreadyLoggedOrNoLogger() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                private readonly ILogger<C> logger;

                public C(ILogger<C> logger)
                {
                    this.logger = logger;
                }

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        logger.LogError(ex, "Failed");
                        return StatusCode(500, [|ex.Message|]);
                    }
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                private readonly ILogger<C> logger;

                public C(ILogger<C> logger)
                {
                    this.logger = logger;
                }

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        logger.LogError(ex, "Failed");
                        return StatusCode(500, "An unexpected error occurred.");
                    }
                }
            }
            """,
        ExpectedCodeActionTitles = new() { ExceptionDetailsInResponseCodeFix.GenericMessageTitle },
    }.RunAsync();

    [Fact]
    public Task LogVariant_TwoLeaksInOneCatch_LogsOnce() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = """
            public class Middleware
            {
                private readonly RequestDelegate next;
                private readonly ILogger<Middleware> logger;

                public Middleware(RequestDelegate next, ILogger<Middleware> logger)
                {
                    this.next = next; this.logger = logger;
                }

                public async Task InvokeAsync(HttpContext context)
                {
                    try { await next(context); }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 500;
                        await context.Response.WriteAsJsonAsync(new { error = [|ex.Message|], trace = [|ex.StackTrace|] });
                    }
                }
            }
            """,
        FixedCode = """
            public class Middleware
            {
                private readonly RequestDelegate next;
                private readonly ILogger<Middleware> logger;

                public Middleware(RequestDelegate next, ILogger<Middleware> logger)
                {
                    this.next = next; this.logger = logger;
                }

                public async Task InvokeAsync(HttpContext context)
                {
                    try { await next(context); }
                    catch (Exception ex)
                    {
                        context.Response.StatusCode = 500;
                        logger.LogError(ex, "Unhandled exception");
                        await context.Response.WriteAsJsonAsync(new { error = "An unexpected error occurred.", requestId = context.TraceIdentifier });
                    }
                }
            }
            """,
        CodeActionEquivalenceKey = ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey,
    }.RunAsync();

    [Fact]
    public Task LogVariant_AddsLoggingUsingWithoutImplicitUsings() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        WebImplicitUsings = false,
        TestCode = """
            using System;
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                private readonly Microsoft.Extensions.Logging.ILogger _log;

                public C(Microsoft.Extensions.Logging.ILogger<C> log) => _log = log;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        return StatusCode(500, [|ex.Message|]);
                    }
                }
            }
            """,
        FixedCode = """
            using System;
            using Microsoft.AspNetCore.Mvc;
            using Microsoft.Extensions.Logging;

            public class C : ControllerBase
            {
                private readonly Microsoft.Extensions.Logging.ILogger _log;

                public C(Microsoft.Extensions.Logging.ILogger<C> log) => _log = log;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        _log.LogError(ex, "Unhandled exception");
                        return StatusCode(500, "An unexpected error occurred.");
                    }
                }
            }
            """,
        CodeActionEquivalenceKey = ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey,
    }.RunAsync();

    // ---- Silent: near misses ----

    [Fact]
    public Task ClientErrors_WithDomainMessage_AreSilent() => Silent(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => BadRequest(ex.Message);
            public IActionResult B(Exception ex) => StatusCode(422, new { error = ex.Message });
            public IActionResult D(Exception ex) => Problem(detail: ex.Message, statusCode: StatusCodes.Status409Conflict);
            public IActionResult E(Exception ex) => new ObjectResult(ex.Message) { StatusCode = 400 };
            public IActionResult F(Exception ex) => UnprocessableEntity(new { ex.Message });
            public IActionResult G(Exception ex) => new JsonResult(new { error = ex.Message });
            public IActionResult H(Exception ex) => new ObjectResult(ex.Message);
            public IActionResult I(Exception ex) => ValidationProblem(detail: ex.Message);
        }

        public static class Api
        {
            public static IResult A(Exception ex) => Results.Problem(ex.Message, statusCode: 400);
            public static IResult B(Exception ex) => Results.Json(new { error = ex.Message }, statusCode: 422);
            public static IResult D(Exception ex) => Results.Json(new { error = ex.Message });
            public static IResult E(Exception ex) => TypedResults.BadRequest(ex.Message);
            public static IResult F(Exception ex) => Results.Text(ex.Message);

            public static void Map(WebApplication app) => app.Use(async (context, next) =>
            {
                try { await next(context); }
                catch (ArgumentException ex)
                {
                    context.Response.StatusCode = StatusCodes.Status400BadRequest;
                    await context.Response.WriteAsJsonAsync(new { error = ex.Message });
                }
            });
        }

        public sealed class Handler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                if (exception is not ArgumentException)
                {
                    return false;
                }

                httpContext.Response.StatusCode = 400;
                await httpContext.Response.WriteAsJsonAsync(new { error = exception.Message }, cancellationToken);
                return true;
            }
        }
        """);

    [Fact]
    public Task Logging_IsNotASink_AndGenericResponsesAreSilent() => Silent(
        """
        using System.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            private readonly ILogger<C> logger;

            public C(ILogger<C> logger)
            {
                this.logger = logger;
            }

            public IActionResult Get()
            {
                try { return Ok(); }
                catch (Exception ex)
                {
                    logger.LogError(ex, "Failed: {Message} {Trace}", ex.Message, ex.StackTrace);
                    Console.WriteLine(ex.ToString());
                    Debug.WriteLine(ex.Message);
                    Trace.TraceError(ex.ToString());
                    return StatusCode(500, new { error = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier, traceId = Activity.Current?.Id });
                }
            }

            public IActionResult Kind(Exception ex) => StatusCode(500, new { type = ex.GetType().Name, fullType = ex.GetType().FullName, code = ex.HResult });

            public IActionResult Problem2(Exception ex) => Problem(title: nameof(Exception), detail: "See the logs with id " + HttpContext.TraceIdentifier);
        }
        """);

    [Fact]
    public Task GuardedByIsDevelopment_IsSilent() => Silent(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            private readonly IWebHostEnvironment env;

            public C(IWebHostEnvironment env)
            {
                this.env = env;
            }

            public IActionResult A(Exception ex)
            {
                if (env.IsDevelopment())
                {
                    return StatusCode(500, ex.ToString());
                }

                return StatusCode(500, "An unexpected error occurred.");
            }

            public IActionResult B(Exception ex) => Problem(detail: env.IsDevelopment() ? ex.ToString() : null);

            public IActionResult D(Exception ex)
            {
                if (!env.IsDevelopment())
                {
                    return Problem();
                }

                return Problem(ex.StackTrace);
            }

            public IActionResult E(Exception ex)
            {
                var detail = "An unexpected error occurred.";
                if (env.IsDevelopment())
                {
                    detail = ex.ToString();
                }

                return StatusCode(500, new { detail });
            }
        }

        public static class Api
        {
            public static void Map(WebApplication app) => app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
            {
                var error = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()?.Error;
                var isDev = app.Environment.IsDevelopment();
                await context.Response.WriteAsJsonAsync(new { error = isDev ? error?.ToString() : "An unexpected error occurred." });
            }));
        }
        """);

    [Fact]
    public Task UnknownStatus_IsSilent() => Silent(
        """
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex, int status) => StatusCode(status, ex.Message);
            public IActionResult B(Exception ex, int? status) => Problem(ex.Message, statusCode: status);
            public IActionResult D(Exception ex, int status) => new ObjectResult(ex.Message) { StatusCode = status };
        }

        public static class Api
        {
            public static void Map(WebApplication app) => app.Use(async (context, next) =>
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    // Not an exception handler and no status set: whatever the pipeline set.
                    await context.Response.WriteAsync(ex.Message);
                }
            });

            public static void Map2(WebApplication app) => app.Use(async (context, next) =>
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    // 400 or 404 only: a client error mapping.
                    context.Response.StatusCode = ex is ArgumentException ? 400 : 404;
                    await context.Response.WriteAsync(ex.Message);
                }
            });
        }
        """);

    // Until issue 11 these were expected silent (a status that is not one constant); a status set that contains a
    // 5xx makes that path a 5xx response, so they are flagged now.
    [Fact]
    public Task StatusSetWithServerError_IsFlagged() => Verify.VerifyAnalyzerAsync(
        """
        public static class Api
        {
            public static void Map(WebApplication app) => app.Use(async (context, next) =>
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    context.Response.StatusCode = ex is ArgumentException ? 400 : 500;
                    await context.Response.WriteAsync([|ex.Message|]);
                }
            });

            public static void Map2(WebApplication app) => app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
            {
                var error = context.Features.Get<Microsoft.AspNetCore.Diagnostics.IExceptionHandlerFeature>()!.Error;
                if (error is ArgumentException)
                {
                    context.Response.StatusCode = 400;
                }

                // 500 when it is not an ArgumentException: the handler's default.
                await context.Response.WriteAsync([|error.Message|]);
            }));
        }
        """);

    [Fact]
    public Task DataNotFromTheException_IsSilent() => Silent(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrderException : Exception
        {
            private readonly string code;

            public OrderException(string code) : base("Order failed")
            {
                this.code = code;
            }

            public string Code => code;
        }

        public class C : ControllerBase
        {
            private readonly string _support = "support@example.com";

            public IActionResult A(OrderException ex) => StatusCode(500, new { code = ex.Code, contact = _support });

            public IActionResult B() => StatusCode(500, new InvalidOperationException("Generic failure").GetType().Name);

            public IActionResult D(Exception ex)
            {
                var message = ex.Message;
                message = "An unexpected error occurred.";
                return StatusCode(500, Sanitize(message));
            }

            public IActionResult E(Exception ex) => StatusCode(500, new { ok = ex.Message.Length > 0, count = ex.Data.Count });

            private static string Sanitize(string text) => "An unexpected error occurred.";
        }

        public sealed class Handler : Microsoft.AspNetCore.Diagnostics.IExceptionHandler
        {
            private readonly IProblemDetailsService problems;

            public Handler(IProblemDetailsService problems)
            {
                this.problems = problems;
            }

            public ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
                => problems.TryWriteAsync(new ProblemDetailsContext
                {
                    HttpContext = httpContext,
                    Exception = exception,
                    ProblemDetails = { Title = "An error occurred", Type = exception.GetType().Name },
                });
        }
        """);

    // ---- Configuration, bad input, no ASP.NET Core ----

    [Fact]
    public Task EditorConfigSeverityNone_Silences() => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                public IActionResult A(Exception ex) => StatusCode(500, ex.Message);
            }
            """,
        EditorConfig = "dotnet_diagnostic.SE1001.severity = none",
    }.RunAsync();

    [Fact]
    public Task PragmaAndSuppressMessage_Silence() => Silent(
        """
        using System.Diagnostics.CodeAnalysis;
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
        #pragma warning disable SE1001
            public IActionResult A(Exception ex) => StatusCode(500, ex.Message);
        #pragma warning restore SE1001

            [SuppressMessage("Security", "SE1001", Justification = "Internal diagnostics endpoint")]
            public IActionResult B(Exception ex) => StatusCode(500, ex.Message);
        }
        """);

    [Fact]
    public Task GeneratedCode_IsSilent() => Silent(
        """
        // <auto-generated/>
        using Microsoft.AspNetCore.Mvc;

        public class C : ControllerBase
        {
            public IActionResult A(Exception ex) => StatusCode(500, ex.Message);
        }
        """);

    [Fact]
    public Task ConsoleApp_WithoutAspNetCore_ReportsNothing() => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        References = TestReferences.NetCore,
        TestCode = """
            public class ControllerBase
            {
                public object StatusCode(int status, object value) => value;
            }

            public class C : ControllerBase
            {
                public object A(System.Exception ex) => StatusCode(500, ex.Message);
            }
            """,
    }.RunAsync();

    [Theory]
    [InlineData("using Microsoft.AspNetCore.Mvc;\npublic class C : ControllerBase { public IActionResult A(Exception ex) => StatusCode(500, [|ex.Message|] }")]
    [InlineData("using Microsoft.AspNetCore.Mvc;\npublic class C : ControllerBase { public IActionResult A(Exception ex) => StatusCode(500, ex. }")]
    [InlineData("using Microsoft.AspNetCore.Mvc;\npublic class C : ControllerBase { public IActionResult A(Exception ex) => StatusCode(, ex.Message); }")]
    [InlineData("using Microsoft.AspNetCore.Mvc;\npublic class C : ControllerBase { public IActionResult A(Exception ex) => Problem(detail: ex.Messag); }")]
    [InlineData("using Microsoft.AspNetCore.Mvc;\npublic class C : ControllerBase { public IActionResult A(Exception ex) => new ObjectResult(ex.Message) { StatusCode = }; }")]
    [InlineData("using Microsoft.AspNetCore.Mvc;\npublic class C : ControllerBase { public IActionResult A() => StatusCode(500, Helper(missing)); string Helper(Exception e) => e.Message; }")]
    [InlineData("public static class Api { public static IResult A(Exception ex) => Results.Json(new { error = [|ex.Message|], }, statusCode: 500 }")]
    [InlineData("public static class Api { public static IResult A(Exception ex) => Results.Json(new { error = [|ex.Message|], trace = }, statusCode: 500); }")]
    [InlineData("var app = WebApplication.Create(args);\napp.Use(async (context, next) => { try { await next(context); } catch (Exception ex) { context.Response.StatusCode = ; await context.Response.WriteAsync(ex.Message); } });")]
    [InlineData("var app = WebApplication.Create(args);\napp.UseExceptionHandler(e => e.Run(async ctx => await ctx.Response.WriteAsync(unknown.Error.Message)));")]
    [InlineData("public class C { string M(Exception ex) { var s = s + ex.Message; return s; } }")]
    [InlineData("public static class Api { public static IResult A(Exception ex) { var msg = msg2; var msg2 = msg; return Results.Problem(msg); } }")]
    public Task IncompleteCode_DoesNotThrow(string source) => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        TestCode = source,
        AllowCompilerErrors = true,
    }.RunAsync();

    [Fact]
    public Task IncompleteCode_StillFlagsWhatBinds() => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class C : ControllerBase
            {
                public IActionResult A(Exception ex) => StatusCode(500, new { error = [|ex.Message|], other = missing });
                public IActionResult B(Exception ex) => StatusCode(500, [|ex.StackTrace|]
            }
            """,
        AllowCompilerErrors = true,
    }.RunAsync();

    [Fact]
    public Task Middleware_SerializedLocal_FixKeepsJsonShape() => Fix(
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorHandlingMiddleware
        {
            private readonly RequestDelegate next;

            public ErrorHandlingMiddleware(RequestDelegate next)
            {
                this.next = next;
            }

            public async Task Invoke(HttpContext context)
            {
                try
                {
                    await next(context);
                }
                catch (Exception ex)
                {
                    context.Response.ContentType = "application/json";
                    context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                    var response = new { StatusCode = context.Response.StatusCode, Message = [|ex.Message|] };
                    var json = JsonSerializer.Serialize(response);
                    await context.Response.WriteAsync(json);
                }
            }
        }
        """,
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorHandlingMiddleware
        {
            private readonly RequestDelegate next;

            public ErrorHandlingMiddleware(RequestDelegate next)
            {
                this.next = next;
            }

            public async Task Invoke(HttpContext context)
            {
                try
                {
                    await next(context);
                }
                catch (Exception ex)
                {
                    context.Response.ContentType = "application/json";
                    context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ErrorHandlingMiddleware").LogError(ex, "Unhandled exception");
                    var response = new { StatusCode = context.Response.StatusCode, Message = "An unexpected error occurred.", requestId = context.TraceIdentifier };
                    var json = JsonSerializer.Serialize(response);
                    await context.Response.WriteAsync(json);
                }
            }
        }
        """);

    [Fact]
    public Task Mvc_ExceptionFilter_ObjectResult() => Fix(
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public sealed class ApiExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                context.Result = new ObjectResult(new { error = [|context.Exception.Message|] }) { StatusCode = 500 };
                context.ExceptionHandled = true;
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public sealed class ApiExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ApiExceptionFilter").LogError(context.Exception, "Unhandled exception");
                context.Result = new ObjectResult(new { error = "An unexpected error occurred.", requestId = context.HttpContext.TraceIdentifier }) { StatusCode = 500 };
                context.ExceptionHandled = true;
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Logging;

        public sealed class ApiExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ApiExceptionFilter").LogError(context.Exception, "Unhandled exception");
                context.Result = new ObjectResult(new { error = "An unexpected error occurred.", requestId = context.HttpContext.TraceIdentifier }) { StatusCode = 500 };
                context.ExceptionHandled = true;
            }
        }
        """);
}
