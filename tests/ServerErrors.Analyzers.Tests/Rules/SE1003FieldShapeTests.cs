using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Verifiers.Verifier<
    ServerErrors.Analyzers.Server.RetryAfterMissingAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Server.RetryAfterMissingCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE1003/SE1004 on statuses held in variables, as public error middlewares and filters map exceptions to statuses
/// (re-typed shapes, with a reviewer's verdict). The header check is per path: a header set only for another status
/// does not count for the 503 path. See docs/rules/SE1003.md.
/// </summary>
public class SE1003FieldShapeTests
{
    [Fact]
    public Task Middleware_SwitchExpressionWithServiceUnavailableArm_GuardedHeaderFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class EmailDeliveryException : Exception { }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate _next;
            public ErrorMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (Exception ex)
                {
                    var statusCode = ex switch
                    {
                        ArgumentException => HttpStatusCode.BadRequest,
                        EmailDeliveryException => HttpStatusCode.ServiceUnavailable,
                        _ => HttpStatusCode.InternalServerError,
                    };

                    // Verdict: the mail outage is a 503 and says nothing about when to come back.
                    [|context.Response.StatusCode = (int)statusCode|];
                    await context.Response.WriteAsJsonAsync(new { error = "Service unavailable." });
                }
            }
        }
        """,
        """
        using System.Net;

        public class EmailDeliveryException : Exception { }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate _next;
            public ErrorMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (Exception ex)
                {
                    var statusCode = ex switch
                    {
                        ArgumentException => HttpStatusCode.BadRequest,
                        EmailDeliveryException => HttpStatusCode.ServiceUnavailable,
                        _ => HttpStatusCode.InternalServerError,
                    };

                    if (statusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        context.Response.Headers.RetryAfter = "30";
                    }

                    // Verdict: the mail outage is a 503 and says nothing about when to come back.
                    context.Response.StatusCode = (int)statusCode;
                    await context.Response.WriteAsJsonAsync(new { error = "Service unavailable." });
                }
            }
        }
        """);

    [Fact]
    public Task Middleware_ExceptionSwitchWithServiceUnavailable_IsFlagged() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public class IdentityServerUnreachableException : Exception { }
        public class NotFoundException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var statusCode = exception switch
                {
                    NotFoundException => HttpStatusCode.NotFound,
                    IdentityServerUnreachableException => HttpStatusCode.ServiceUnavailable,
                    TimeoutException => HttpStatusCode.RequestTimeout,
                    _ => HttpStatusCode.InternalServerError,
                };

                [|context.Response.StatusCode = (int)statusCode|];
                return context.Response.WriteAsJsonAsync(new { error = "Request failed", traceId = context.TraceIdentifier });
            }
        }
        """);

    [Fact]
    public Task HeaderSetOnTheServiceUnavailablePath_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        public class BusyException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = StatusCodes.Status500InternalServerError;
                if (exception is BusyException)
                {
                    // Verdict: the 503 path sets the header; the 500 path does not need one.
                    code = StatusCodes.Status503ServiceUnavailable;
                    context.Response.Headers.RetryAfter = "10";
                }

                context.Response.StatusCode = code;
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task HeaderGuardedByTheStatus_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = exception is TimeoutException ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.InternalServerError;
                context.Response.StatusCode = (int)code;
                if (code == HttpStatusCode.ServiceUnavailable)
                {
                    context.Response.Headers.RetryAfter = "15";
                }

                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task HeaderSetOnlyForTooManyRequests_FlagsTheServiceUnavailablePath() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public class ThrottledException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = exception switch
                {
                    ThrottledException => HttpStatusCode.TooManyRequests,
                    TimeoutException => HttpStatusCode.ServiceUnavailable,
                    _ => HttpStatusCode.InternalServerError,
                };

                // Verdict: the header is written for the 429 only; a 503 still goes out without it.
                if (code == HttpStatusCode.TooManyRequests)
                {
                    context.Response.Headers.RetryAfter = "60";
                }

                {|SE1003:context.Response.StatusCode = (int)code|};
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task ClientAndServerErrorMapping_WithoutServiceUnavailable_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public class NotFoundException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                switch (exception)
                {
                    case NotFoundException:
                        code = HttpStatusCode.NotFound;
                        break;
                    case ArgumentException:
                        code = HttpStatusCode.BadRequest;
                        break;
                }

                context.Response.StatusCode = (int)code;
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task Filter_JsonResultWithStatusLocal_GuardedHeaderFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class GlobalExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                var statusCode = context.Exception switch
                {
                    ArgumentException => HttpStatusCode.BadRequest,
                    TaskCanceledException => HttpStatusCode.ServiceUnavailable,
                    _ => HttpStatusCode.InternalServerError,
                };

                context.Result = [|new JsonResult(new { error = "Request failed" }) { StatusCode = (int)statusCode }|];
            }
        }
        """,
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class GlobalExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                var statusCode = context.Exception switch
                {
                    ArgumentException => HttpStatusCode.BadRequest,
                    TaskCanceledException => HttpStatusCode.ServiceUnavailable,
                    _ => HttpStatusCode.InternalServerError,
                };

                if (statusCode == HttpStatusCode.ServiceUnavailable)
                {
                    context.HttpContext.Response.Headers.RetryAfter = "30";
                }

                context.Result = new JsonResult(new { error = "Request failed" }) { StatusCode = (int)statusCode };
            }
        }
        """);

    [Fact]
    public Task MappingHelperReturningServiceUnavailable_IsFlagged() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public enum Outcome { Invalid, Missing, Unavailable, Failed }

        public class UseCaseController : ControllerBase
        {
            public IActionResult Fail(Outcome outcome, object data)
            {
                var httpStatus = GetStatus(outcome);
                return [|new ObjectResult(data) { StatusCode = (int)httpStatus }|];
            }

            private static HttpStatusCode GetStatus(Outcome outcome) => outcome switch
            {
                Outcome.Invalid => HttpStatusCode.BadRequest,
                Outcome.Missing => HttpStatusCode.NotFound,
                Outcome.Unavailable => HttpStatusCode.ServiceUnavailable,
                _ => HttpStatusCode.InternalServerError,
            };
        }
        """);

    [Fact]
    public Task TooManyRequestsInAnIntLocal_GuardedHeaderFix() => new Verifiers.CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        TestCode = """
            public class QuotaExceededException : Exception { }

            public static class Handler
            {
                public static Task Handle(HttpContext context, Exception exception)
                {
                    var status = exception is QuotaExceededException ? StatusCodes.Status429TooManyRequests : StatusCodes.Status500InternalServerError;
                    {|SE1004:context.Response.StatusCode = status|};
                    return Task.CompletedTask;
                }
            }
            """,
        FixedCode = """
            public class QuotaExceededException : Exception { }

            public static class Handler
            {
                public static Task Handle(HttpContext context, Exception exception)
                {
                    var status = exception is QuotaExceededException ? StatusCodes.Status429TooManyRequests : StatusCodes.Status500InternalServerError;
                    if (status == 429)
                    {
                        context.Response.Headers.RetryAfter = "30";
                    }

                    context.Response.StatusCode = status;
                    return Task.CompletedTask;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task HelperTakingTheStatus_ServiceUnavailableArgument_FixSetsTheHeaderInTheHelper() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorMiddleware
        {
            private readonly RequestDelegate _next;
            public ErrorMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (TimeoutException)
                {
                    // Verdict: the database outage is a 503 written by the helper, without Retry-After.
                    await HandleExceptionAsync(context, [|HttpStatusCode.ServiceUnavailable|], "The database cannot be reached");
                }
                catch (Exception)
                {
                    await HandleExceptionAsync(context, HttpStatusCode.BadRequest, "Request failed");
                }
            }

            private static async Task HandleExceptionAsync(HttpContext context, HttpStatusCode code, string message)
            {
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
            }
        }
        """,
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorMiddleware
        {
            private readonly RequestDelegate _next;
            public ErrorMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (TimeoutException)
                {
                    // Verdict: the database outage is a 503 written by the helper, without Retry-After.
                    await HandleExceptionAsync(context, HttpStatusCode.ServiceUnavailable, "The database cannot be reached");
                }
                catch (Exception)
                {
                    await HandleExceptionAsync(context, HttpStatusCode.BadRequest, "Request failed");
                }
            }

            private static async Task HandleExceptionAsync(HttpContext context, HttpStatusCode code, string message)
            {
                context.Response.ContentType = "application/json";
                if (code == HttpStatusCode.ServiceUnavailable)
                {
                    context.Response.Headers.RetryAfter = "30";
                }

                context.Response.StatusCode = (int)code;
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
            }
        }
        """);

    [Fact]
    public Task HelperTakingTheStatus_ClientErrorsOnly_IsSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public static class Errors
        {
            public static Task Write(HttpContext context, HttpStatusCode code, string message)
            {
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(message);
            }

            public static Task NotFound(HttpContext context) => Write(context, HttpStatusCode.NotFound, "Not found");
            public static Task Invalid(HttpContext context) => Write(context, HttpStatusCode.BadRequest, "Invalid");
        }
        """);

    [Fact]
    public Task StatusThatCanBeServiceUnavailableOrTooManyRequests_BothFlaggedAndGuarded() => Verify.VerifyCodeFixAsync(
        """
        public class QuotaExceededException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = exception is QuotaExceededException ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                {|SE1003:{|SE1004:context.Response.StatusCode = code|}|};
                return Task.CompletedTask;
            }
        }
        """,
        """
        public class QuotaExceededException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = exception is QuotaExceededException ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                if (code == 503)
                {
                    context.Response.Headers.RetryAfter = "30";
                }

                if (code == 429)
                {
                    context.Response.Headers.RetryAfter = "30";
                }

                context.Response.StatusCode = code;
                return Task.CompletedTask;
            }
        }
        """);
}
