using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.RetryAfterIgnoredAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryAfterIgnoredCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2003LoopTests
{
    [Theory]
    [MemberData(nameof(NotRetryLoops.All), MemberType = typeof(NotRetryLoops))]
    public Task NotARetry_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task ServiceUnavailable_ConstantDelay_WaitsForRetryAfter()
    {
        var test = Verify.Create(
            """
            using System.Net;

            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        var response = await client.GetAsync(url, ct);
                        if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                    }
                }
            }
            """.Replace("for (var", "{|SE2003:for|} (var"),
            """
            using System.Net;

            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
                {
                    for (var attempt = 0; ; attempt++)
                    {
                        var response = await client.GetAsync(url, ct);
                        if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3)
                        {
                            return response;
                        }

                        var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                        await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                    }
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry handles 503 Service Unavailable but never reads the Retry-After header" };
        return test.RunAsync();
    }

    [Fact]
    public Task TooManyRequests_IntDelay_Continue() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public string Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    if ((int)response.StatusCode == 429 && attempt++ < 5)
                    {
                        Thread.Sleep(2000);
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    return response.Content.ReadAsStringAsync().Result;
                }
            }
        }
        """.Replace("while (true)", "[|while|] (true)"),
        """
        public class Api
        {
            public string Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    if ((int)response.StatusCode == 429 && attempt++ < 5)
                    {
                        var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                        Thread.Sleep(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromMilliseconds(2000));
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    return response.Content.ReadAsStringAsync().Result;
                }
            }
        }
        """);

    [Fact]
    public Task NoDelay_AddsRetryAfterWait() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && ++attempt < 3)
                    {
                        continue;
                    }

                    return response;
                }
            }
        }
        """.Replace("while (true)", "[|while|] (true)"),
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode is HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable && ++attempt < 3)
                    {
                        var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                        await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromSeconds(1));
                        continue;
                    }

                    return response;
                }
            }
        }
        """);

    [Fact]
    public Task CatchFilterOnServiceUnavailable_Flagged_NoResponseInScope_NoFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(1000);
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        using System.Net;

        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (e.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        await Task.Delay(1000);
                    }
                }

                throw new InvalidOperationException();
            }
        }
        """.Replace("for (var", "[|for|] (var"));

    [Fact]
    public Task FixAll_TwoLoops() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> A(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync("a");
                    if (response.StatusCode != HttpStatusCode.TooManyRequests || i == 3)
                    {
                        return response;
                    }

                    await Task.Delay(500);
                }
            }

            public async Task<HttpResponseMessage> B(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync("b");
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || i == 3)
                    {
                        return response;
                    }

                    await Task.Delay(500);
                }
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> A(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync("a");
                    if (response.StatusCode != HttpStatusCode.TooManyRequests || i == 3)
                    {
                        return response;
                    }

                    var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                    await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromMilliseconds(500));
                }
            }

            public async Task<HttpResponseMessage> B(HttpClient client)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync("b");
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || i == 3)
                    {
                        return response;
                    }

                    var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                    await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromMilliseconds(500));
                }
            }
        }
        """);

    [Fact]
    public Task GenericOrReadsRetryAfter_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> EveryServerError(HttpClient client, string url)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500 || i == 3)
                    {
                        return response;
                    }

                    await Task.Delay(500 << i);
                }
            }

            public async Task<HttpResponseMessage> ReadsRetryAfter(HttpClient client, string url)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || i == 3)
                    {
                        return response;
                    }

                    var wait = response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1);
                    await Task.Delay(wait);
                }
            }

            public async Task<HttpResponseMessage> ServiceUnavailableLeaves(HttpClient client, string url)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable || response.IsSuccessStatusCode || i == 3)
                    {
                        return response;
                    }

                    await Task.Delay(500);
                }
            }
        }
        """);

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            using System.Net;

            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    while (true)
                    {
                        var response = await client.GetAsync(url);
                        if (response.StatusCode == HttpStatusCode.
                            continue;
                        return response;
                    }
                }
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }
}
