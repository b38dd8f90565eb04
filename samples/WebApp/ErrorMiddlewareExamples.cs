// SE1001 / SE1003 in the hand-written error middleware most projects carry: the exception arrives as a parameter,
// the status lives in a local narrowed by a switch, and a helper writes the response.
using System.Net;
using System.Text.Json;

namespace WebApp;

public sealed class NotFoundException(string message) : Exception(message);

public sealed class ErrorHandlingMiddleware(RequestDelegate next)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (TimeoutException)
        {
            // SE1003: the helper writes this 503 without Retry-After (the fix sets it there, guarded by the status).
            await WriteError(context, HttpStatusCode.ServiceUnavailable, "The order database cannot be reached.");
        }
        catch (Exception ex)
        {
            await HandleExceptionAsync(context, ex);
        }
    }

    private static Task HandleExceptionAsync(HttpContext context, Exception exception)
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

        // SE1001: every exception that is not mapped above goes out as a 500 with its message.
        var body = JsonSerializer.Serialize(new { error = exception.Message });
        context.Response.ContentType = "application/json";
        context.Response.StatusCode = (int)code;
        return context.Response.WriteAsync(body);
    }

    private static Task WriteError(HttpContext context, HttpStatusCode code, string message)
    {
        context.Response.ContentType = "application/json";
        context.Response.StatusCode = (int)code;
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }));
    }
}
