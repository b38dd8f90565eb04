using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace EveryRuleApp;

[ApiController]
[Route("api/orders")]
public sealed class OrdersController : ControllerBase
{
    private readonly ILogger<OrdersController> _logger;

    public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

    [HttpGet("{id:int}")]
    public IActionResult Get(int id)
    {
        try
        {
            return Ok(Load(id));
        }
        catch (Exception ex)
        {
            // SE1001 ×2 (a logger is in scope)
            return StatusCode(500, new { error = ex.Message, stackTrace = ex.StackTrace });
        }
    }

    [HttpGet("maintenance")]
    public IActionResult Maintenance()
    {
        // SE1003
        return StatusCode(StatusCodes.Status503ServiceUnavailable, new { error = "Down for maintenance" });
    }

    [HttpGet("throttled")]
    public IActionResult Throttled()
    {
        // SE1004
        return Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests);
    }

    [HttpGet("later")]
    public IActionResult Later()
    {
        // SE1005
        Response.Headers.RetryAfter = "5 minutes";
        return StatusCode(503);
    }

    private object Load(int id)
    {
        _logger.LogInformation("Loading order {Id}", id);
        throw new InvalidOperationException("Connection to orders-db-01 failed");
    }
}

public static class ServerExamples
{
    public static WebApplication MapServerExamples(this WebApplication app)
    {
        // SE1001 (no logger in scope)
        app.MapGet("/minimal/{id:int}", (int id) =>
        {
            try
            {
                return Results.Ok(id > 0 ? id : throw new ArgumentOutOfRangeException(nameof(id)));
            }
            catch (Exception ex)
            {
                return Results.Problem(detail: ex.ToString());
            }
        });

        // SE1001 in an exception handler
        app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
        {
            var error = context.Features.Get<IExceptionHandlerFeature>()?.Error;
            await context.Response.WriteAsync(error?.Message ?? "");
        }));

        // SE1003
        app.MapGet("/reports", () => Results.StatusCode(503));

        // SE1004
        app.MapGet("/search", (string q) => TypedResults.StatusCode(429));

        app.MapGet("/wait", (HttpContext context, TimeSpan wait) =>
        {
            // SE1005
            context.Response.Headers.RetryAfter = wait.ToString();
            return Results.StatusCode(503);
        });

        return app;
    }

    public static IServiceCollection AddRetryAfterExamples(this IServiceCollection services)
        => services.AddRateLimiter(options =>
        {
            // SE1004
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
        });
}

public sealed class MaintenanceMiddleware
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
