using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE1001 on the error handling that public ASP.NET Core repositories contain: hand-written error middlewares,
/// exception filters, <c>IExceptionHandler</c>s and helper-based handlers. Each test re-types one shape seen in a
/// public repository (in our own words, never copied) with the verdict a senior reviewer gives it; the list of
/// shapes covered and deliberately not covered is in docs/rules/SE1001.md.
/// </summary>
public class SE1001FieldShapeTests
{
    /// <summary>The part of Newtonsoft.Json the shapes use, with the package's real namespace and type names.</summary>
    internal const string NewtonsoftStub = """
        namespace Newtonsoft.Json
        {
            public enum Formatting { None, Indented }

            public static class JsonConvert
            {
                public static string SerializeObject(object? value) => "";
                public static string SerializeObject(object? value, Formatting formatting) => "";
            }
        }
        """;

    private static Task Analyze(string source) => new AnalyzerTest<ExceptionDetailsInResponseAnalyzer>
    {
        TestCode = source,
        AdditionalSources = { NewtonsoftStub },
    }.RunAsync();

    private static Task Fix(string source, string fixedSource, string? key = null) => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        TestCode = source,
        FixedCode = fixedSource,
        AdditionalSources = { NewtonsoftStub },
        CodeActionEquivalenceKey = key,
    }.RunAsync();

    // ---- Error middlewares: the exception as a parameter, the status in a local ----

    [Fact]
    public Task Middleware_StatusLocalNarrowedBySwitch_NewtonsoftBody_IsFlagged() => Analyze(
        """
        using System.Net;
        using Newtonsoft.Json;

        public class NotFoundException : Exception { }
        public class ValidationException : Exception { public string[] Errors { get; } = new string[0]; }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate _next;
            public ErrorMiddleware(RequestDelegate next) => _next = next;

            public async Task Invoke(HttpContext context)
            {
                try { await _next(context); }
                catch (Exception ex) { await HandleExceptionAsync(context, ex); }
            }

            private static Task HandleExceptionAsync(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                var body = string.Empty;
                switch (exception)
                {
                    case ValidationException invalid:
                        code = HttpStatusCode.BadRequest;
                        body = JsonConvert.SerializeObject(invalid.Errors);
                        break;
                    case NotFoundException:
                        code = HttpStatusCode.NotFound;
                        break;
                }

                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                if (body == string.Empty)
                {
                    // Verdict: every exception that is not mapped goes out as a 500 with its message.
                    body = JsonConvert.SerializeObject(new { error = [|exception.Message|] });
                }

                return context.Response.WriteAsync(body);
            }
        }
        """);

    [Fact]
    public Task Middleware_IfElseChainMapping_MessageAlwaysSerialized_IsFlagged() => Analyze(
        """
        using System.Net;
        using Newtonsoft.Json;

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                if (exception is ArgumentOutOfRangeException) code = HttpStatusCode.NotFound;
                else if (exception is InvalidOperationException) code = HttpStatusCode.Conflict;

                // Verdict: the author prepared a safe text for 500 but serializes the raw message anyway.
                var safe = exception.Message;
                if (code == HttpStatusCode.InternalServerError) safe = "Something went wrong on our side";
                var result = JsonConvert.SerializeObject(new { error = [|exception.Message|] });
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Middleware_FourxxOnlyMapping_IsSilent() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class DomainException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                // Verdict: only domain exceptions reach this helper, and they are all client errors.
                var code = exception is DomainException ? HttpStatusCode.UnprocessableEntity : HttpStatusCode.BadRequest;
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = exception.Message }));
            }
        }
        """);

    [Fact]
    public Task Middleware_SwitchExpressionStatus_WithComputedArm_IsFlagged() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class MailException : Exception { public HttpStatusCode StatusCode { get; set; } }
        public class ApiResponse<T> { public bool Success { get; set; } public int Status { get; set; } public string? Message { get; set; } }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception ex)
            {
                var code = HttpStatusCode.InternalServerError;
                code = ex switch
                {
                    UnauthorizedAccessException => HttpStatusCode.Unauthorized,
                    KeyNotFoundException => HttpStatusCode.NotFound,
                    MailException mail => mail.StatusCode,
                    _ => code,
                };

                // Verdict: the fallback arm keeps the 500; the mail arm is unknown and changes nothing.
                var result = JsonSerializer.Serialize(new ApiResponse<object> { Success = false, Status = (int)code, Message = [|ex.Message|] });
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Middleware_ConstantStatusLocal_MessageAndStackTrace_AreFlagged() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                var result = JsonSerializer.Serialize(new { error = [|exception.Message|], stackTrace = [|exception.StackTrace|] });
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Middleware_PlainMessageLocal_IsFlagged() => Analyze(
        """
        using System.Net;

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception ex)
            {
                var code = HttpStatusCode.InternalServerError;
                var result = ex.Message;
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync([|result|]);
            }
        }
        """);

    [Fact]
    public Task Middleware_ErrorListMutatedThenSerialized_IsFlagged() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorResponse
        {
            public int StatusCode { get; set; }
            public string? ErrorMessage { get; set; }
            public List<string> Errors { get; } = new();
        }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                var error = new ErrorResponse { StatusCode = (int)code, ErrorMessage = "Internal Server Error" };

                // Verdict: the generic message is undone by the full exception text added to the list.
                error.Errors.Add([|exception.ToString()|]);
                return context.Response.WriteAsync(JsonSerializer.Serialize(new { errors = error }));
            }
        }
        """);

    [Fact]
    public Task Middleware_DictionaryFilledThenSerialized_IsFlagged() => Analyze(
        """
        using Newtonsoft.Json;

        public static class Handler
        {
            public static async Task Handle(HttpContext context, Exception ex)
            {
                var payload = new Dictionary<string, object?>();
                payload["message"] = "Server error";
                payload["trace"] = [|ex.StackTrace|];
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync(JsonConvert.SerializeObject(payload));
            }
        }
        """);

    [Fact]
    public Task Middleware_DtoToStringSerializesItself_IsFlaggedOnTheMember() => Analyze(
        """
        using System.Text.Json;

        public class ErrorDetails
        {
            public int StatusCode { get; set; }
            public string? Message { get; set; }
            public override string ToString() => JsonSerializer.Serialize(this);
        }

        public class ExceptionMiddleware
        {
            private readonly RequestDelegate _next;
            public ExceptionMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext httpContext)
            {
                try { await _next(httpContext); }
                catch (Exception ex)
                {
                    httpContext.Response.ContentType = "application/json";
                    httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;

                    // Verdict: the JSON DTO carries the message; report (and fix) the member, not the whole body.
                    await httpContext.Response.WriteAsync(new ErrorDetails { StatusCode = httpContext.Response.StatusCode, Message = [|ex.Message|] }.ToString());
                }
            }
        }
        """);

    [Fact]
    public Task Middleware_ExtensionToJsonOfDto_WithLogger_IsFlagged() => Analyze(
        """
        using System.Net;
        using System.Text.Json;
        using Microsoft.Extensions.Logging;

        public class ResponseDto { public bool IsSuccess { get; set; } public string? Message { get; set; } }

        public static class JsonExtensions
        {
            public static string ToJson(this object value) => JsonSerializer.Serialize(value);
        }

        public class NotFoundException : Exception { }

        public class GlobalExceptionMiddleware
        {
            private readonly RequestDelegate _next;
            public GlobalExceptionMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context, ILogger<GlobalExceptionMiddleware> logger)
            {
                try { await _next(context); }
                catch (Exception exception) { await Handle(context, exception, logger); }
            }

            private static Task Handle(HttpContext context, Exception exception, ILogger logger)
            {
                var code = HttpStatusCode.InternalServerError;
                switch (exception)
                {
                    case NotFoundException:
                        code = HttpStatusCode.NotFound;
                        break;
                }

                context.Response.StatusCode = (int)code;

                // Verdict: logging the stack trace is right; sending the message in the 500 body is not.
                logger.LogError("{Message}{StackTrace}", exception.Message, exception.StackTrace);
                return context.Response.WriteAsync(new ResponseDto { IsSuccess = false, Message = [|exception.Message|] }.ToJson());
            }
        }
        """);

    [Fact]
    public Task Middleware_MessageOnlyOnTheClientErrorBranch_IsSilent() => Analyze(
        """
        using System.Text.Json;

        public class BusinessException : Exception { }

        public static class Handler
        {
            public static async Task Handle(HttpContext context, Exception ex)
            {
                string message;
                if (ex is BusinessException)
                {
                    context.Response.StatusCode = 400;
                    message = ex.Message;
                }
                else
                {
                    // Verdict: the 500 branch sends a generic text; the message only goes with the 400.
                    context.Response.StatusCode = 500;
                    message = "An unexpected error occurred.";
                }

                await context.Response.WriteAsync(JsonSerializer.Serialize(new { message }));
            }
        }
        """);

    [Fact]
    public Task Middleware_StatusByBranchAssignments_IsFlagged() => Analyze(
        """
        public class NotFoundException : Exception { }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    if (ex is NotFoundException) context.Response.StatusCode = 404;
                    else context.Response.StatusCode = 500;

                    // Verdict: on the else branch this is a 500 carrying the message.
                    await context.Response.WriteAsJsonAsync(new { error = [|ex.Message|] });
                }
            }
        }
        """);

    // ---- Helpers that take the status and the body ----

    [Fact]
    public Task Helper_StatusAndMessageParameters_FlaggedAtTheCallSite() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class NotFoundException : Exception { }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (NotFoundException ex)
                {
                    // Verdict: a 404 may say what was not found.
                    await WriteError(context, HttpStatusCode.NotFound, ex.Message);
                }
                catch (Exception ex)
                {
                    // Verdict: the caller passes the message into a 500: report it here, where it can be changed.
                    await WriteError(context, HttpStatusCode.InternalServerError, [|ex.Message|]);
                }
            }

            private static async Task WriteError(HttpContext context, HttpStatusCode code, string message)
            {
                var result = JsonSerializer.Serialize(new { error = message });
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                await context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Helper_MessageParameter_HelperSetsTheStatus_FlaggedAtTheCallSite() => Analyze(
        """
        using System.Net;
        using Newtonsoft.Json;

        public class ApiMiddleware
        {
            private readonly RequestDelegate next;
            public ApiMiddleware(RequestDelegate next) => this.next = next;
            public async Task Invoke(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex) { await HandleError(context, [|ex.Message|]); }
            }

            public static Task HandleError(HttpContext context, string error)
            {
                HttpStatusCode code = HttpStatusCode.InternalServerError;
                string result = JsonConvert.SerializeObject(new { error });
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Helper_BodyBuiltByTheCaller_StatusLocal_FlaggedInTheBody() => Analyze(
        """
        using System.Net;
        using Newtonsoft.Json;

        public class BaseResponse
        {
            public string? Message { get; set; }
            public List<string> Errors { get; } = new();
            public BaseResponse AsError(string message, params string[] errors)
            {
                Message = message;
                Errors.AddRange(errors);
                return this;
            }
        }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                var result = JsonConvert.SerializeObject(new BaseResponse().AsError("Unexpected error", [|$"message: {exception.Message}"|], [|$"stackTrace: {exception.StackTrace}"|]));
                return Write(context, result, code);
            }

            private static Task Write(HttpContext context, string result, HttpStatusCode code)
            {
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Helper_ServiceUnavailableWithLiteralText_IsSilent() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (TimeoutException)
                {
                    // Verdict: a fixed text in a 503 reveals nothing (SE1003's business, not SE1001's).
                    await Write(context, HttpStatusCode.ServiceUnavailable, "The database cannot be reached");
                }
                catch (Exception ex)
                {
                    await Write(context, HttpStatusCode.BadRequest, ex.Message);
                }
            }

            private static async Task Write(HttpContext context, HttpStatusCode code, string message)
            {
                context.Response.StatusCode = (int)code;
                await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
            }
        }
        """);

    [Fact]
    public Task Helper_ReturnsBodyBuiltFromTheException_TwoLevels_IsFlagged() => Analyze(
        """
        using System.Text.Json;

        public static class Errors
        {
            public static object Describe(Exception ex) => new { message = Text(ex), type = ex.GetType().Name };
            private static string Text(Exception ex) => ex.Message;
        }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync(JsonSerializer.Serialize([|Errors.Describe(ex)|]));
                }
            }
        }
        """);

    [Fact]
    public Task Helper_SanitizerByItsBody_IsSilent() => Analyze(
        """
        using System.Text.Json;

        public static class Errors
        {
            public static string Sanitize(string message) => "An error occurred";
            public static string Code(Exception ex) => ex is TimeoutException ? "timeout" : "internal";
        }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync(JsonSerializer.Serialize(new { error = Errors.Sanitize(ex.Message), code = Errors.Code(ex) }));
                }
            }
        }
        """);

    // ---- Exception filters ----

    [Fact]
    public Task Filter_StatusOnTheResponse_ThenResultWithoutStatus_IsFlagged() => Analyze(
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class ErrorJson { public ErrorJson(string message) => Message = message; public string Message { get; } }
        public class AppException : Exception { }

        public class ExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                if (context.Exception is AppException)
                {
                    context.HttpContext.Response.StatusCode = (int)HttpStatusCode.BadRequest;
                    context.Result = new BadRequestObjectResult(new ErrorJson(context.Exception.Message));
                }
                else
                {
                    // Verdict: the JsonResult has no status of its own; it goes out with the 500 set just before.
                    context.HttpContext.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                    context.Result = new JsonResult(new { error = [|context.Exception.Message|] });
                }
            }
        }
        """);

    [Fact]
    public Task Filter_ResultWithoutStatusAndNoStatusSet_IsSilent() => Analyze(
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class ResponseModel { public int Code { get; set; } public string? Message { get; set; } }

        public class ApiExceptionAttribute : Attribute, IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                // Verdict: a 200 with the message is a design smell, but not a server error response.
                context.ExceptionHandled = true;
                context.Result = new JsonResult(new ResponseModel { Code = -1, Message = context.Exception.Message });
            }
        }
        """);

    [Fact]
    public Task Filter_StatusLocalByBranches_ObjectResult_IsFlagged() => Analyze(
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class RemoteException : Exception { public bool AlreadyExists { get; set; } public string Detail { get; set; } = ""; }
        public class MessageReply { public string? Message { get; set; } }

        public class ExceptionFilter : Attribute, IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                int statusCode;
                string errorMessage;
                if (context.Exception is RemoteException remote)
                {
                    statusCode = remote.AlreadyExists ? 400 : 500;
                    errorMessage = remote.Detail;
                }
                else
                {
                    statusCode = 500;
                    errorMessage = context.Exception.Message;
                }

                var reply = new MessageReply { Message = [|errorMessage|] };
                context.Result = new ObjectResult(reply) { StatusCode = statusCode };
            }
        }
        """);

    [Fact]
    public Task Filter_SwitchExpressionStatus_JsonResult_IsFlagged() => Analyze(
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
                    ArgumentException or InvalidOperationException => HttpStatusCode.BadRequest,
                    UnauthorizedAccessException => HttpStatusCode.Forbidden,
                    HttpRequestException http => http.StatusCode ?? HttpStatusCode.InternalServerError,
                    TaskCanceledException => HttpStatusCode.ServiceUnavailable,
                    _ => HttpStatusCode.InternalServerError,
                };

                context.Result = new JsonResult(new
                {
                    Error = [|context.Exception.Message|],
                    Details = [|context.Exception.InnerException?.Message|],
                })
                {
                    StatusCode = (int)statusCode,
                };
            }
        }
        """);

    [Fact]
    public Task Filter_ExceptionObjectAndMessageWithConstant500_IsFlagged() => Analyze(
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class CustomExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                var exception = context.Exception;
                context.Result = new JsonResult(new { Error = [|exception|], details = [|exception.Message|] }) { StatusCode = 500 };
            }
        }
        """);

    [Fact]
    public Task Filter_StatusFromADtoProperty_IsSilent() => Analyze(
        """
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.Mvc.Filters;

        public class ErrorModel
        {
            public ErrorModel(int statusCode, string message) { StatusCode = statusCode; Message = message; }
            public int StatusCode { get; }
            public string Message { get; }
        }

        public class BaseExceptionFilter : IExceptionFilter
        {
            public void OnException(ExceptionContext context)
            {
                // Deliberately not followed: the status read back from a DTO property (documented as a known gap).
                var error = new ErrorModel(500, context.Exception.Message);
                context.Result = new JsonResult(error) { StatusCode = error.StatusCode };
            }
        }
        """);

    // ---- IExceptionHandler ----

    [Fact]
    public Task ExceptionHandler_StatusFromSwitchExpression_WriteAsJson_IsFlagged() => Analyze(
        """
        using Microsoft.AspNetCore.Diagnostics;

        public class ForbiddenException : Exception { }

        public class ApiExceptionHandler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                var code = exception switch
                {
                    UnauthorizedAccessException => StatusCodes.Status401Unauthorized,
                    ForbiddenException => StatusCodes.Status403Forbidden,
                    KeyNotFoundException => StatusCodes.Status404NotFound,
                    _ => StatusCodes.Status500InternalServerError,
                };

                httpContext.Response.StatusCode = code;
                await httpContext.Response.WriteAsJsonAsync(new { status = code, message = [|exception.Message|] }, cancellationToken);
                return true;
            }
        }
        """);

    [Fact]
    public Task ExceptionHandler_TupleFromSwitchExpression_ProblemDetails_IsFlagged() => Analyze(
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class NotFoundException : Exception { }

        public class GlobalExceptionHandler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                var (statusCode, title) = exception switch
                {
                    NotFoundException => (StatusCodes.Status404NotFound, "Resource Not Found"),
                    _ => (StatusCodes.Status500InternalServerError, "Internal Server Error"),
                };

                var problem = new ProblemDetails { Status = statusCode, Title = title, Detail = [|exception.Message|] };
                httpContext.Response.StatusCode = statusCode;
                await httpContext.Response.WriteAsJsonAsync(problem, cancellationToken);
                return true;
            }
        }
        """);

    [Fact]
    public Task ExceptionHandler_TupleFromMappingHelper_DetailOnlyInDevelopment_IsSilent() => Analyze(
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class NotFoundException : Exception { }

        public sealed class GlobalExceptionHandler : IExceptionHandler
        {
            private readonly IHostEnvironment environment;
            public GlobalExceptionHandler(IHostEnvironment environment) => this.environment = environment;

            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                var (statusCode, title) = Map(exception);
                var problem = new ProblemDetails
                {
                    Status = statusCode,
                    Title = title,
                    Detail = environment.IsDevelopment() ? exception.Message : null,
                };

                httpContext.Response.StatusCode = statusCode;
                await httpContext.Response.WriteAsJsonAsync(problem, cancellationToken);
                return true;
            }

            private static (int, string) Map(Exception exception) => exception switch
            {
                NotFoundException => (StatusCodes.Status404NotFound, "Not Found"),
                _ => (StatusCodes.Status500InternalServerError, "Server Error"),
            };
        }
        """);

    [Fact]
    public Task ExceptionHandler_TupleFromMappingHelper_MessageAsDetail_IsFlagged() => Analyze(
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class ConflictException : Exception { }

        public sealed class GlobalExceptionHandler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                var (statusCode, title) = Map(exception);
                httpContext.Response.StatusCode = statusCode;
                await httpContext.Response.WriteAsJsonAsync(new ProblemDetails { Status = statusCode, Title = title, Detail = [|exception.Message|] }, cancellationToken);
                return true;
            }

            private static (int StatusCode, string Title) Map(Exception exception)
            {
                if (exception is ConflictException)
                {
                    return (StatusCodes.Status409Conflict, "Conflict");
                }

                return (StatusCodes.Status500InternalServerError, "Server Error");
            }
        }
        """);

    [Fact]
    public Task ExceptionHandler_ProblemDetailsStatusNarrowedLater_IsFlagged() => Analyze(
        """
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Mvc;

        public class ValidationException : Exception { }

        public class GlobalExceptionHandler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                var problemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status500InternalServerError,
                    Title = "Server error",
                    Detail = [|exception.Message|],
                };

                if (exception is ValidationException)
                {
                    problemDetails.Status = StatusCodes.Status400BadRequest;
                    problemDetails.Title = "Validation Error";
                }

                httpContext.Response.StatusCode = problemDetails.Status.Value;
                await httpContext.Response.WriteAsJsonAsync(problemDetails, cancellationToken);
                return true;
            }
        }
        """);

    [Fact]
    public Task ExceptionHandler_ValidationOnly400_IsSilent() => Analyze(
        """
        using Microsoft.AspNetCore.Diagnostics;

        public class CustomValidationException : Exception { public Dictionary<string, string[]> Errors { get; } = new(); }

        public class ValidationHandler : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
            {
                if (exception is not CustomValidationException validation)
                {
                    return false;
                }

                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                await context.Response.WriteAsJsonAsync(new { errors = validation.Errors }, cancellationToken);
                return true;
            }
        }
        """);

    [Fact]
    public Task ExceptionHandler_MessageOnlyInTheServiceUnavailableArm_IsFlagged() => Analyze(
        """
        using System.Net;

        public class EmailDeliveryException : Exception { }

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex)
                {
                    var statusCode = ex switch
                    {
                        KeyNotFoundException => HttpStatusCode.NotFound,
                        EmailDeliveryException => HttpStatusCode.ServiceUnavailable,
                        _ => HttpStatusCode.InternalServerError,
                    };

                    context.Response.StatusCode = (int)statusCode;
                    context.Response.Headers.RetryAfter = "30";
                    var publicMessage = statusCode switch
                    {
                        HttpStatusCode.InternalServerError => "An unexpected error occurred.",
                        HttpStatusCode.ServiceUnavailable => ex.Message,
                        _ => "Request failed.",
                    };

                    // Verdict: the 503 arm forwards the mail server's exception text.
                    await context.Response.WriteAsJsonAsync(new { error = [|publicMessage|], traceId = context.TraceIdentifier });
                }
            }
        }
        """);

    // ---- Fixes on the new shapes ----

    [Fact]
    public Task Fix_DtoToString_ReplacesTheMemberAndKeepsTheJson() => Fix(
        """
        using System.Text.Json;

        public class ErrorDetails
        {
            public int StatusCode { get; set; }
            public string? Message { get; set; }
            public override string ToString() => JsonSerializer.Serialize(this);
        }

        public class ExceptionMiddleware
        {
            private readonly RequestDelegate next;
            public ExceptionMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext httpContext)
            {
                try { await next(httpContext); }
                catch (Exception ex)
                {
                    httpContext.Response.StatusCode = 500;
                    await httpContext.Response.WriteAsync(new ErrorDetails { StatusCode = 500, Message = [|ex.Message|] }.ToString());
                }
            }
        }
        """,
        """
        using System.Text.Json;

        public class ErrorDetails
        {
            public int StatusCode { get; set; }
            public string? Message { get; set; }
            public override string ToString() => JsonSerializer.Serialize(this);
        }

        public class ExceptionMiddleware
        {
            private readonly RequestDelegate next;
            public ExceptionMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext httpContext)
            {
                try { await next(httpContext); }
                catch (Exception ex)
                {
                    httpContext.Response.StatusCode = 500;
                    httpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ExceptionMiddleware").LogError(ex, "Unhandled exception");
                    await httpContext.Response.WriteAsync(new ErrorDetails { StatusCode = 500, Message = "An unexpected error occurred." }.ToString());
                }
            }
        }
        """);

    [Fact]
    public Task Fix_StatusLocal_NewtonsoftAnonymous_KeepsTheJsonAndAddsTheRequestId() => Fix(
        """
        using System.Net;
        using Newtonsoft.Json;

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                if (exception is KeyNotFoundException) code = HttpStatusCode.NotFound;
                var result = JsonConvert.SerializeObject(new { error = [|exception.Message|] });
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """,
        """
        using System.Net;
        using Newtonsoft.Json;

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                var code = HttpStatusCode.InternalServerError;
                if (exception is KeyNotFoundException) code = HttpStatusCode.NotFound;
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Handler").LogError(exception, "Unhandled exception");
                var result = JsonConvert.SerializeObject(new { error = "An unexpected error occurred.", requestId = context.TraceIdentifier });
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(result);
            }
        }
        """);

    [Fact]
    public Task Fix_HelperCallSiteArgument_IsReplaced() => Fix(
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex) { await WriteError(context, HttpStatusCode.InternalServerError, [|ex.Message|]); }
            }

            private static Task WriteError(HttpContext context, HttpStatusCode code, string message)
            {
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
            }
        }
        """,
        """
        using System.Net;
        using System.Text.Json;

        public class ErrorMiddleware
        {
            private readonly RequestDelegate next;
            public ErrorMiddleware(RequestDelegate next) => this.next = next;
            public async Task InvokeAsync(HttpContext context)
            {
                try { await next(context); }
                catch (Exception ex) { context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ErrorMiddleware").LogError(ex, "Unhandled exception");
                    await WriteError(context, HttpStatusCode.InternalServerError, "An unexpected error occurred."); }
            }

            private static Task WriteError(HttpContext context, HttpStatusCode code, string message)
            {
                context.Response.StatusCode = (int)code;
                return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
            }
        }
        """);

    [Fact]
    public Task Fix_NoLoggerInScope_LogVariantTakesTheLoggerFromRequestServices() => Fix(
        """
        public class ExceptionMiddleware
        {
            private readonly RequestDelegate _next;
            public ExceptionMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (Exception ex)
                {
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsJsonAsync(new { error = [|ex.Message|] });
                }
            }
        }
        """,
        """
        public class ExceptionMiddleware
        {
            private readonly RequestDelegate _next;
            public ExceptionMiddleware(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (Exception ex)
                {
                    context.Response.StatusCode = 500;
                    context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("ExceptionMiddleware").LogError(ex, "Unhandled exception");
                    await context.Response.WriteAsJsonAsync(new { error = "An unexpected error occurred.", requestId = context.TraceIdentifier });
                }
            }
        }
        """,
        ExceptionDetailsInResponseCodeFix.GenericMessageAndLogKey);

    // ---- More shapes from public repositories ----

    [Fact]
    public Task Middleware_StatusAssignedFromSwitchExpression_DtoToString_IsFlagged() => Analyze(
        """
        using System.Text.Json;

        public class NotFoundException : Exception { }
        public class ErrorDetails
        {
            public int StatusCode { get; set; }
            public string? Message { get; set; }
            public override string ToString() => JsonSerializer.Serialize(this);
        }

        public static class Handler
        {
            public static async Task Handle(HttpContext context, Exception exception)
            {
                context.Response.ContentType = "application/json";
                context.Response.StatusCode = exception switch
                {
                    NotFoundException => StatusCodes.Status404NotFound,
                    _ => StatusCodes.Status500InternalServerError,
                };
                await context.Response.WriteAsync(new ErrorDetails { StatusCode = context.Response.StatusCode, Message = [|exception.Message|] }.ToString());
            }
        }
        """);

    [Fact]
    public Task Middleware_MessageOnlyForNotFound_GenericFor500_IsSilent() => Analyze(
        """
        public class NotFoundException : Exception { }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                if (exception is NotFoundException)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return context.Response.WriteAsJsonAsync(new { message = exception.Message });
                }

                // Verdict: correct: the 500 says nothing about the failure.
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                return context.Response.WriteAsJsonAsync(new { message = "An unexpected error occurred." });
            }
        }
        """);

    [Fact]
    public Task Middleware_DetailsOnlyInDevelopment_IsSilent() => Analyze(
        """
        using System.Net;
        using System.Text.Json;
        using Microsoft.AspNetCore.Mvc;

        public class ErrorMiddleware
        {
            private readonly RequestDelegate _next;
            private readonly IWebHostEnvironment _environment;
            public ErrorMiddleware(RequestDelegate next, IWebHostEnvironment environment) { _next = next; _environment = environment; }

            public async Task InvokeAsync(HttpContext context)
            {
                try { await _next(context); }
                catch (Exception ex)
                {
                    var problem = new ProblemDetails
                    {
                        Status = (int)HttpStatusCode.InternalServerError,
                        Title = "An error occurred while processing your request",
                        Detail = _environment.IsDevelopment() ? ex.Message : "Internal server error",
                    };

                    if (_environment.IsDevelopment())
                    {
                        problem.Extensions["stackTrace"] = ex.StackTrace;
                    }

                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync(JsonSerializer.Serialize(problem));
                }
            }
        }
        """);

    [Fact]
    public Task MinimalApi_DiagnosticsWithStackTraceIn200_IsSilent() => Analyze(
        """
        public static class DiagnosticsEndpoint
        {
            public static void Map(WebApplication app) => app.MapGet("/diagnostics", () =>
            {
                var diagnostics = new Dictionary<string, object?>();
                try
                {
                    diagnostics["files"] = Directory.GetFiles(".").Length;
                }
                catch (Exception ex)
                {
                    // Deliberately not flagged: a 200 is not a server error response (SE1001's scope is 5xx).
                    diagnostics["FatalError"] = ex.Message;
                    diagnostics["StackTrace"] = ex.StackTrace;
                }

                return Results.Ok(diagnostics);
            });
        }
        """);

    [Fact]
    public Task Middleware_InternalServerErrorBranch_ResponseResultToString_IsFlagged() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class ValidationException : Exception { public List<string> Errors { get; } = new(); }
        public class ResponseResult<T>
        {
            public T? Entity { get; set; }
            public HttpStatusCode Status { get; set; }
            public string? Message { get; set; }
            public override string ToString() => JsonSerializer.Serialize(this);
        }

        public static class Handler
        {
            public static async Task Handle(HttpContext context, Exception exception)
            {
                if (exception is ValidationException validation)
                {
                    context.Response.StatusCode = (int)HttpStatusCode.BadRequest;
                    await context.Response.WriteAsJsonAsync(validation.Errors);
                }
                else
                {
                    context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                    await context.Response.WriteAsync(new ResponseResult<bool> { Entity = false, Status = HttpStatusCode.InternalServerError, Message = [|exception.Message|] }.ToString());
                }
            }
        }
        """);

    [Fact]
    public Task Middleware_StringLocalPerBranch_OnlyThe500BranchIsFlagged() => Analyze(
        """
        using System.Net;
        using System.Text.Json;

        public class ProductNotFound : Exception { }
        public class ErrorDetails
        {
            public string? Message { get; set; }
            public override string ToString() => JsonSerializer.Serialize(this);
        }

        public static class Handler
        {
            public static Task Handle(HttpContext context, Exception exception)
            {
                string errorMessage;
                if (exception is ProductNotFound)
                {
                    errorMessage = new ErrorDetails { Message = exception.Message }.ToString();
                    context.Response.StatusCode = (int)HttpStatusCode.NotFound;
                }
                else
                {
                    context.Response.StatusCode = (int)HttpStatusCode.InternalServerError;
                    errorMessage = new ErrorDetails { Message = [|exception.Message|] }.ToString();
                }

                // Verdict: the else branch sends the message with a 500; the 404 branch may.
                return context.Response.WriteAsync(errorMessage);
            }
        }
        """);

    [Fact]
    public Task Serializers_XmlSerializerAndStringJoin_AreFollowed() => Analyze(
        """
        using System.Xml.Serialization;

        public class ErrorInfo { public string? Message { get; set; } public string? Trace { get; set; } }

        public static class Handler
        {
            public static async Task Xml(HttpContext context, Exception ex)
            {
                var error = new ErrorInfo { Message = "Server error", Trace = ex.StackTrace };
                var writer = new StringWriter();
                new XmlSerializer(typeof(ErrorInfo)).Serialize(writer, error);
                context.Response.StatusCode = 500;
                context.Response.ContentType = "application/xml";
                await context.Response.WriteAsync([|writer.ToString()|]);
            }

            public static async Task Joined(HttpContext context, Exception ex)
            {
                var messages = new List<string> { "Request failed" };
                if (ex.InnerException is { } inner)
                {
                    messages.Add(inner.Message);
                }

                context.Response.StatusCode = 500;
                await context.Response.WriteAsync([|string.Join("; ", messages)|]);
            }
        }
        """);
}
