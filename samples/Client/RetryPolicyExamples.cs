// Retry policies that trip SE2001-SE2004. A console project with <ImplicitUsings>enable</ImplicitUsings>
// and a reference to Polly 8.6.4 (v7 Policy API + Polly.Core v8) compiles this file as it is.
using System.Net;
using Polly;
using Polly.Retry;

namespace ServerErrors.Samples.Client;

public static class RetryPolicyExamples
{
    // SE2001: !IsSuccessStatusCode also retries 400, 401, 403, 404…
    // SE2002: RetryAsync retries immediately, without any backoff.
    public static AsyncPolicy<HttpResponseMessage> RetriesClientErrors() => Policy
        .HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)
        .RetryAsync(3);

    // SE2002: the same two seconds before every attempt.
    public static AsyncPolicy ConstantWait() => Policy
        .Handle<HttpRequestException>()
        .WaitAndRetryAsync(5, _ => TimeSpan.FromSeconds(2));

    // SE2003: retries 503 explicitly but never looks at Retry-After.
    public static AsyncPolicy<HttpResponseMessage> IgnoresRetryAfter() => Policy
        .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
        .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

    // SE2004: never gives up.
    public static AsyncPolicy RetriesForever() => Policy
        .Handle<HttpRequestException>()
        .WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

    // Polly v8: SE2002 (default constant backoff), SE2003 (429 without DelayGenerator), SE2004 (int.MaxValue).
    public static ResiliencePipeline<HttpResponseMessage> V8Pipeline() => new ResiliencePipelineBuilder<HttpResponseMessage>()
        .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
        {
            ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                .Handle<HttpRequestException>()
                .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || r.StatusCode == HttpStatusCode.NotFound), // SE2001
            MaxRetryAttempts = int.MaxValue,
        })
        .Build();

    public static async Task<string> RunAsync(HttpClient client)
    {
        var response = await V8Pipeline().ExecuteAsync(async ct => await client.GetAsync("https://example.com/api", ct));
        return await response.Content.ReadAsStringAsync();
    }
}
