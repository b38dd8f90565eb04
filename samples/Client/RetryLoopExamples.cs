// Hand-written retry loops that trip SE2001-SE2004. A console project with <ImplicitUsings>enable</ImplicitUsings>
// compiles this file as it is: no retry library is involved.
using System.Net;

namespace ServerErrors.Samples.Client;

public static class RetryLoopExamples
{
    // SE2001: every non-success response is sent again, 400, 401, 404… included.
    // SE2002: the same second before every attempt.
    // SE2004: `while (true)` never gives up.
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

    // SE2003: retries 503 explicitly, with backoff and a bound, but never looks at Retry-After.
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

    // Not a retry: a different URL in every iteration. No warning.
    public static async Task<List<string>> FetchAll(HttpClient client, string[] urls)
    {
        var pages = new List<string>();
        for (var i = 0; i < urls.Length; i++)
        {
            var response = await client.GetAsync(urls[i]);
            if (response.IsSuccessStatusCode)
            {
                pages.Add(await response.Content.ReadAsStringAsync());
            }

            await Task.Delay(200);
        }

        return pages;
    }

    // SE2003: one resend after a fixed wait when the first answer was 429, without looking at Retry-After.
    public static async Task<HttpResponseMessage> GetOnceMore(HttpClient client, string url)
    {
        var response = await client.GetAsync(url).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            await Task.Delay(2000).ConfigureAwait(false);
            response = await client.GetAsync(url).ConfigureAwait(false);
        }

        return response;
    }
}

// The usual home of retries in SDKs: a DelegatingHandler that resends the request down the handler chain.
// SE2001: every non-success response is sent again. SE2002: no wait at all between the attempts.
public sealed class ResendHandler : DelegatingHandler
{
    private const int MaxAttempts = 3;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage? response = null;
        for (var i = 0; i < MaxAttempts; i++)
        {
            response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return response;
            }

            response.Dispose();
        }

        return response!;
    }
}
