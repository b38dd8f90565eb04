// Retries of non-idempotent requests (SE2005) and stacked retry layers (SE2006). A console project with
// <ImplicitUsings>enable</ImplicitUsings> and references to Polly and Microsoft.Extensions.Http.Resilience compiles it.
using System.Net.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace ServerErrors.Samples.Client;

public record Order(string Sku, int Quantity);

public static class IdempotencyExamples
{
    // SE2005: a lost response makes the next attempt place the order again.
    public static async Task<HttpResponseMessage> PlaceOrder(HttpClient client, Order order)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var response = await client.PostAsJsonAsync("orders", order);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }

        throw new HttpRequestException("The order could not be placed.");
    }

    // Not flagged: one key for every attempt, so the server can return the first result again.
    public static async Task<HttpResponseMessage> PlaceOrderOnce(HttpClient client, Order order)
    {
        var idempotencyKey = Guid.NewGuid().ToString();
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "orders")
            {
                Content = JsonContent.Create(order),
                Headers = { { "Idempotency-Key", idempotencyKey } },
            });
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }

        throw new HttpRequestException("The order could not be placed.");
    }

    public static IServiceCollection AddClients(this IServiceCollection services)
    {
        // The service-defaults template: every client gets the standard resilience handler (3 retries)...
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());

        // SE2006: ...and this client adds 5 more on top of it: up to 24 requests per call.
        // SE2005: the standard handler retries OrdersClient's POSTs.
        services.AddHttpClient<OrdersClient>(c => c.BaseAddress = new Uri("https://orders.example.com"))
            .AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 5);
        return services;
    }
}

public class OrdersClient
{
    private readonly HttpClient _http;

    public OrdersClient(HttpClient http) => _http = http;

    public Task<HttpResponseMessage> Create(Order order) => _http.PostAsJsonAsync("orders", order);

    // SE2005 (Polly) — the policy resends the POST.
    public Task<HttpResponseMessage> CreateWithPolly(Order order) => Policy<HttpResponseMessage>
        .Handle<HttpRequestException>()
        .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))
        .ExecuteAsync(() => _http.PostAsJsonAsync("orders", order));
}
