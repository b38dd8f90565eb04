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
                    return StatusCode(500, new { error = "An unexpected error occurred.", requestId = HttpContext.TraceIdentifier });
                }
            }
        }
        """);

    [Fact]
    public Task Fix_WithLogger_LogsTheException() => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
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
        ExpectedCodeActionTitles = new() { ExceptionDetailsInResponseCodeFix.GenericMessageTitle, ExceptionDetailsInResponseCodeFix.GenericMessageAndLogTitle },
    }.RunAsync();
}
