using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Polly.Extensions.Http;
using Polly.Retry;

namespace EveryRuleApp;

public static class RetryPolicies
{
    // SE2001, SE2002
    public static IAsyncPolicy<HttpResponseMessage> RetriesClientErrors() => Policy
        .HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)
        .RetryAsync(3);

    // SE2002 (Polly.Extensions.Http)
    public static IAsyncPolicy<HttpResponseMessage> TransientWithoutBackoff() => HttpPolicyExtensions
        .HandleTransientHttpError()
        .WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(2));

    // SE2003
    public static IAsyncPolicy<HttpResponseMessage> IgnoresRetryAfter() => Policy
        .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
        .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

    // SE2004
    public static IAsyncPolicy RetriesForever() => Policy
        .Handle<HttpRequestException>()
        .WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

    // Polly v8: SE2001 (404), SE2002 (default constant backoff), SE2003 (429 without DelayGenerator), SE2004
    public static ResiliencePipeline<HttpResponseMessage> Pipeline() => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || r.StatusCode == HttpStatusCode.NotFound),
            MaxRetryAttempts = int.MaxValue,
        })
        .Build();

    public static IServiceCollection AddResilienceExamples(this IServiceCollection services)
    {
        // Microsoft.Extensions.Http.Resilience: SE2002 (constant backoff), SE2004 (no bound)
        services.AddHttpClient("catalog").AddStandardResilienceHandler(options =>
        {
            options.Retry.BackoffType = DelayBackoffType.Constant;
            options.Retry.MaxRetryAttempts = int.MaxValue;
        });

        // SE2001 (a resilience handler that retries every failure)
        services.AddHttpClient("orders").AddResilienceHandler("orders", pipeline => pipeline.AddRetry(new HttpRetryStrategyOptions
        {
            ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result is { IsSuccessStatusCode: false }),
        }));

        // SE2006 (PricesClient retries by hand under a retrying handler)
        services.AddHttpClient<PricesClient>().AddStandardResilienceHandler();

        return services;
    }
}

public class PricesClient
{
    private readonly HttpClient _http;

    public PricesClient(HttpClient http) => _http = http;

    public async Task<string> GetPrice(string sku)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await _http.GetStringAsync("prices/" + sku);
            }
            catch (HttpRequestException) when (attempt < 2)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
        }
    }
}

public static class RetryLoops
{
    // SE2001, SE2002, SE2004
    public static async Task<HttpResponseMessage> GetWithRetry(HttpClient client, string url)
    {
        while (true)
        {
            var response = await client.GetAsync(url);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            await Task.Delay(1000);
        }
    }

    // SE2003
    public static async Task<HttpResponseMessage> GetWhenAvailable(HttpClient client, string url, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var response = await client.GetAsync(url, cancellationToken);
            if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3)
            {
                return response;
            }

            await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), cancellationToken);
        }
    }

    // SE2005 (a POST retried without an idempotency key)
    public static async Task<HttpResponseMessage> PlaceOrder(HttpClient client, string json)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                return await client.PostAsync("orders", new StringContent(json));
            }
            catch (HttpRequestException) when (attempt < 2)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
        }
    }

    // SE2001 (the catch retries 4xx from EnsureSuccessStatusCode), with a bound and backoff
    public static async Task<string?> GetText(HttpClient client, string url)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                var response = await client.GetAsync(url);
                response.EnsureSuccessStatusCode();
                return await response.Content.ReadAsStringAsync();
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
        }

        return null;
    }
}
