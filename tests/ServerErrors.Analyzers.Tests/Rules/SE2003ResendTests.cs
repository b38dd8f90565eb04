using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.RetryAfterIgnoredAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryAfterIgnoredCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>SE2003 on a single resend after a wait (no loop): the first response was 429/503, the code waits a fixed time and sends again.</summary>
public class SE2003ResendTests
{
    [Fact]
    public Task TooManyRequests_FixedDelay_Resend()
    {
        var test = Verify.Create(
            """
            using System.Net;

            public class Api
            {
                private HttpRequestMessage CreateRequest() => new HttpRequestMessage(HttpMethod.Get, "items");

                public async Task<HttpResponseMessage> Get(HttpClient client)
                {
                    var r = await client.SendAsync(CreateRequest());
                    [|if|] (r.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await Task.Delay(2000);
                        r = await client.SendAsync(CreateRequest());
                    }

                    return r;
                }
            }
            """,
            """
            using System.Net;

            public class Api
            {
                private HttpRequestMessage CreateRequest() => new HttpRequestMessage(HttpMethod.Get, "items");

                public async Task<HttpResponseMessage> Get(HttpClient client)
                {
                    var r = await client.SendAsync(CreateRequest());
                    if (r.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        var retryAfter = r.Headers.RetryAfter?.Delta ?? r.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                        await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromMilliseconds(2000));
                        r = await client.SendAsync(CreateRequest());
                    }

                    return r;
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry handles 429 Too Many Requests but never reads the Retry-After header" };
        return test.RunAsync();
    }

    [Fact]
    public Task ServiceUnavailable_TimeSpan_ReturnResend_CSharp73() => new Verifiers.CodeFixTest<ServerErrors.Analyzers.Client.RetryAfterIgnoredAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryAfterIgnoredCodeFix>
    {
        LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        WebImplicitUsings = false,
        TestCode =
            """
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            public class Api
            {
                private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

                public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
                {
                    var response = await client.GetAsync(url, ct).ConfigureAwait(false);
                    [|if|] ((int)response.StatusCode == 503 || response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        response.Dispose();
                        await Task.Delay(Pause, ct).ConfigureAwait(false);
                        return await client.GetAsync(url, ct).ConfigureAwait(false);
                    }

                    return response;
                }
            }
            """,
        FixedCode =
            """
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Threading;
            using System.Threading.Tasks;

            public class Api
            {
                private static readonly TimeSpan Pause = TimeSpan.FromSeconds(5);

                public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
                {
                    var response = await client.GetAsync(url, ct).ConfigureAwait(false);
                    if ((int)response.StatusCode == 503 || response.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        response.Dispose();
                        var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                        await Task.Delay(retryAfter > TimeSpan.Zero ? retryAfter.Value : Pause, ct).ConfigureAwait(false);
                        return await client.GetAsync(url, ct).ConfigureAwait(false);
                    }

                    return response;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Sync_ThreadSleep() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public HttpResponseMessage Get(HttpClient client, HttpRequestMessage request)
            {
                var response = client.Send(request);
                [|if|] (response.StatusCode is HttpStatusCode.ServiceUnavailable)
                {
                    Thread.Sleep(1000);
                    response = client.Send(request);
                }

                return response;
            }
        }
        """,
        """
        using System.Net;

        public class Api
        {
            public HttpResponseMessage Get(HttpClient client, HttpRequestMessage request)
            {
                var response = client.Send(request);
                if (response.StatusCode is HttpStatusCode.ServiceUnavailable)
                {
                    var retryAfter = response.Headers.RetryAfter?.Delta ?? response.Headers.RetryAfter?.Date - DateTimeOffset.UtcNow;
                    Thread.Sleep(retryAfter > TimeSpan.Zero ? retryAfter.Value : TimeSpan.FromMilliseconds(1000));
                    response = client.Send(request);
                }

                return response;
            }
        }
        """);

    [Theory]
    [InlineData(
        // reads Retry-After already
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var r = await client.GetAsync(url);
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(r.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2));
                    r = await client.GetAsync(url);
                }

                return r;
            }
        }
        """)]
    [InlineData(
        // a generic condition: not about 503/429
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var r = await client.GetAsync(url);
                if ((int)r.StatusCode >= 500)
                {
                    await Task.Delay(2000);
                    r = await client.GetAsync(url);
                }

                return r;
            }
        }
        """)]
    [InlineData(
        // a single retry after refreshing a token on 401
        """
        using System.Net;
        using System.Net.Http.Headers;

        public class Api
        {
            private async Task<string> RefreshTokenAsync() { await Task.Yield(); return "t"; }

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var r = await client.GetAsync(url);
                if (r.StatusCode == HttpStatusCode.Unauthorized)
                {
                    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", await RefreshTokenAsync());
                    await Task.Delay(100);
                    r = await client.GetAsync(url);
                }

                return r;
            }
        }
        """)]
    [InlineData(
        // a different request after the wait (fail-over to another host)
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client)
            {
                var r = await client.GetAsync("https://primary/items");
                if (r.StatusCode == HttpStatusCode.ServiceUnavailable)
                {
                    await Task.Delay(500);
                    r = await client.GetAsync("https://backup/items");
                }

                return r;
            }
        }
        """)]
    [InlineData(
        // no wait: the resend is immediate (not this rule's shape)
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var r = await client.GetAsync(url);
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    r = await client.GetAsync(url);
                }

                return r;
            }
        }
        """)]
    [InlineData(
        // the response is thrown away: the branch sends something else and does not keep it
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var r = await client.GetAsync(url);
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(1000);
                    await client.PostAsync("report", null);
                }

                return r;
            }
        }
        """)]
    [InlineData(
        // inside a loop the loop rules decide
        """
        using System.Net;

        public class Api
        {
            public async Task Get(HttpClient client, string[] urls)
            {
                foreach (var url in urls)
                {
                    var r = await client.GetAsync(url);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await Task.Delay(1000);
                        r = await client.GetAsync(url);
                    }
                }
            }
        }
        """)]
    [InlineData(
        // the wait is computed from the response (a helper may read the header)
        """
        using System.Net;

        public class Api
        {
            private static TimeSpan WaitFor(HttpResponseMessage r) => TimeSpan.FromSeconds(1);

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var r = await client.GetAsync(url);
                if (r.StatusCode == HttpStatusCode.TooManyRequests)
                {
                    await Task.Delay(WaitFor(r));
                    r = await client.GetAsync(url);
                }

                return r;
            }
        }
        """)]
    public Task NotThisShape_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task IncompleteCode_Silent() => new Verifiers.AnalyzerTest<ServerErrors.Analyzers.Client.RetryAfterIgnoredAnalyzer>
    {
        AllowCompilerErrors = true,
        TestCode =
            """
            using System.Net;

            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    var r = await client.GetAsync(url);
                    if (r.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        await Task.Delay(;
                        r = await client.GetAsync(url);
                    }

                    return r;
                }
            }
            """,
    }.RunAsync();
}
