// Retry-After examples: each commented line shows the diagnostic ServerErrors.Analyzers reports.
// Self-contained for an ASP.NET Core web project with implicit usings (Microsoft.NET.Sdk.Web).
using Microsoft.AspNetCore.Mvc;

namespace WebApp;

[ApiController]
[Route("api/[controller]")]
public class MaintenanceController : ControllerBase
{
    private static bool _maintenance = true;

    [HttpGet]
    public IActionResult Get()
    {
        if (_maintenance)
        {
            // SE1003: This 503 response does not set a Retry-After header
            return StatusCode(StatusCodes.Status503ServiceUnavailable, new { error = "Down for maintenance" });
        }

        return Ok();
    }

    [HttpGet("throttled")]
    public IActionResult Throttled()
    {
        // SE1004 (Info): This 429 response does not set a Retry-After header
        return Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests);
    }

    [HttpGet("later")]
    public IActionResult Later()
    {
        // SE1005: '5 minutes' is not a valid Retry-After value
        Response.Headers.RetryAfter = "5 minutes";
        return StatusCode(503);
    }

    [HttpGet("fine")]
    public IActionResult Fine()
    {
        // No diagnostic: the header is set on this path.
        Response.Headers.RetryAfter = "120";
        return StatusCode(503);
    }
}

public static class RetryAfterEndpoints
{
    public static WebApplication MapRetryAfterExamples(this WebApplication app)
    {
        // SE1003: the fix adds an HttpContext parameter and turns the lambda into a block.
        app.MapGet("/orders", () => Results.StatusCode(503));

        // SE1004 (Info)
        app.MapGet("/search", (string q) => TypedResults.StatusCode(429));

        app.MapGet("/reports", (HttpContext context, TimeSpan wait) =>
        {
            // SE1005: TimeSpan.ToString() gives "00:05:00"; the fix sends whole seconds.
            context.Response.Headers.RetryAfter = wait.ToString();
            return Results.StatusCode(503);
        });

        // Health probes are not flagged.
        app.MapGet("/healthz", (bool ready) => ready ? Results.Ok() : Results.StatusCode(503));
        return app;
    }

    public static IServiceCollection AddRetryAfterExamples(this IServiceCollection services)
        => services.AddRateLimiter(options =>
        {
            // SE1004 (Info): no OnRejected sets Retry-After; the fix adds one that copies the lease's RetryAfter.
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        });

    public static IServiceCollection AddDocumentedRateLimiter(this IServiceCollection services)
        => services.AddRateLimiter(options =>
        {
            // Correct (no SE1004): the header is set whenever the limiter knows the delay.
            options.OnRejected = async (context, token) =>
            {
                if (context.Lease.TryGetMetadata(System.Threading.RateLimiting.MetadataName.RetryAfter, out var retryAfter))
                {
                    // SE1005: a double as text can be "12.5"; the fix sends whole, non-negative seconds.
                    context.HttpContext.Response.Headers.RetryAfter = retryAfter.TotalSeconds.ToString();
                }

                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await context.HttpContext.Response.WriteAsync("Too many requests.", token);
            };
        });
}

public class MaintenanceMiddleware
{
    private readonly RequestDelegate _next;

    public MaintenanceMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/admin"))
        {
            // SE1003
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await context.Response.WriteAsync("Down for maintenance");
            return;
        }

        await _next(context);
    }
}
