// SE1001 — exception details in a server error response.
// Each method below trips SE1001 on purpose; apply the code fix to see the safe version.
using Microsoft.AspNetCore.Mvc;

namespace WebApp;

[ApiController]
[Route("api/se1001")]
public sealed class Se1001Controller(ILogger<Se1001Controller> logger) : ControllerBase
{
    [HttpGet("{id:int}")]
    public IActionResult Get(int id)
    {
        try
        {
            return Ok(LoadOrder(id));
        }
        catch (Exception ex)
        {
            logger.LogWarning("Order {Id} failed", id);

            // SE1001 (×2): the message and the stack trace are sent with the 500.
            return StatusCode(StatusCodes.Status500InternalServerError, new { error = ex.Message, stackTrace = ex.StackTrace });
        }
    }

    private static object LoadOrder(int id) => throw new InvalidOperationException($"Connection to orders-db-01 failed for order {id}");
}

public static class Se1001Endpoints
{
    public static IEndpointRouteBuilder MapSe1001(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/se1001/minimal/{id:int}", (int id, HttpContext context) =>
        {
            try
            {
                return Results.Ok(id > 0 ? id : throw new ArgumentOutOfRangeException(nameof(id)));
            }
            catch (Exception ex)
            {
                // SE1001: Problem() is a 500, and its detail is the full exception text.
                return Results.Problem(detail: ex.ToString(), title: "Order lookup failed");
            }
        });

        return endpoints;
    }
}
