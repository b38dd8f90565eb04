using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.UnboundedRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.UnboundedRetryCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2004LoopTests
{
    [Theory]
    [MemberData(nameof(NotRetryLoops.All), MemberType = typeof(NotRetryLoops))]
    public Task NotARetry_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task WhileTrue_StatusRetry_Message()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    [|while|] (true)
                    {
                        var response = await client.GetAsync(url);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }
            """,
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    while (true)
                    {
                        var response = await client.GetAsync(url);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }

                        if (++attempt >= 3)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }
            """);
        test.ExpectedMessages = new() { "This 'while (true)' loop retries without limit; bound the number of attempts" };
        return test.RunAsync();
    }

    [Fact]
    public Task ExistingCounter_BeforeTheDelay_IsReused() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var tries = 0;
                [|while|] (true)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    tries++;
                    await Task.Delay(TimeSpan.FromSeconds(tries));
                }
            }
        }
        """,
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var tries = 0;
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    tries++;
                    if (tries >= 3)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(tries));
                }
            }
        }
        """);

    [Fact]
    public Task ForEver_CatchRetry_Rethrows() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                [|for|] (;;)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500)
                    {
                        await Task.Delay(2000);
                    }
                }
            }
        }
        """,
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                var attempt = 0;
                for (;;)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500)
                    {
                        if (++attempt >= 3)
                        {
                            throw;
                        }

                        await Task.Delay(2000);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task DoWhileTrue_ContinueRetry_ThrowsWithStatus() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public async Task Post(HttpClient client, HttpContent content)
            {
                [|do|]
                {
                    var response = await client.PostAsync("orders", content);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    return;
                }
                while (true);
            }
        }
        """,
        """
        using System.Net;

        public class Api
        {
            public async Task Post(HttpClient client, HttpContent content)
            {
                var attempt = 0;
                do
                {
                    var response = await client.PostAsync("orders", content);
                    if (response.StatusCode == HttpStatusCode.ServiceUnavailable)
                    {
                        if (++attempt >= 3)
                        {
                            throw new HttpRequestException($"The request failed after {attempt} attempts.", null, response.StatusCode);
                        }

                        continue;
                    }

                    response.EnsureSuccessStatusCode();
                    return;
                }
                while (true);
            }
        }
        """);

    [Fact]
    public Task Option_MaxRetryAttempts()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public HttpResponseMessage Get(HttpClient client, HttpRequestMessage request)
                {
                    [|while|] (true)
                    {
                        var response = client.Send(request);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        Thread.Sleep(1000);
                    }
                }
            }
            """,
            """
            public class Api
            {
                public HttpResponseMessage Get(HttpClient client, HttpRequestMessage request)
                {
                    var attempt = 0;
                    while (true)
                    {
                        var response = client.Send(request);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        if (++attempt >= 5)
                        {
                            return response;
                        }

                        Thread.Sleep(1000);
                    }
                }
            }
            """);
        test.EditorConfig = "server_errors.max_retry_attempts = 5";
        return test.RunAsync();
    }

    [Fact]
    public Task LoopConditionOnResponseOnly_ReturnsLastResponse() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage response;
                [|do|]
                {
                    response = await client.GetAsync(url);
                    await Task.Delay(1000);
                }
                while ((int)response.StatusCode >= 500);
                return response;
            }
        }
        """,
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage response;
                var attempt = 0;
                do
                {
                    response = await client.GetAsync(url);
                    if (++attempt >= 3)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }
                while ((int)response.StatusCode >= 500);
                return response;
            }
        }
        """);

    [Fact]
    public Task LoopConditionOnResponseOnly_NoResponseReturned_NoFix() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task Get(HttpClient client, string url)
            {
                HttpResponseMessage response;
                [|do|]
                {
                    response = await client.GetAsync(url);
                    await Task.Delay(1000);
                }
                while ((int)response.StatusCode >= 500);
            }
        }
        """,
        """
        public class Api
        {
            public async Task Get(HttpClient client, string url)
            {
                HttpResponseMessage response;
                [|do|]
                {
                    response = await client.GetAsync(url);
                    await Task.Delay(1000);
                }
                while ((int)response.StatusCode >= 500);
            }
        }
        """);

    [Fact]
    public Task TwoLoops_FixAll() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<string> A(HttpClient client)
            {
                [|while|] (true)
                {
                    try
                    {
                        return await client.GetStringAsync("a");
                    }
                    catch (HttpRequestException)
                    {
                    }
                }
            }

            public string B(HttpClient client)
            {
                var attempt = "unused name";
                [|while|] (true)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "b"));
                    if (response.IsSuccessStatusCode)
                    {
                        return attempt;
                    }
                }
            }
        }
        """,
        """
        public class Api
        {
            public async Task<string> A(HttpClient client)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await client.GetStringAsync("a");
                    }
                    catch (HttpRequestException)
                    {
                        if (++attempt >= 3)
                        {
                            throw;
                        }
                    }
                }
            }

            public string B(HttpClient client)
            {
                var attempt = "unused name";
                var attempt1 = 0;
                while (true)
                {
                    var response = client.Send(new HttpRequestMessage(HttpMethod.Get, "b"));
                    if (response.IsSuccessStatusCode)
                    {
                        return attempt;
                    }

                    if (++attempt1 >= 3)
                    {
                        throw new HttpRequestException($"The request failed after {attempt1} attempts.", null, response.StatusCode);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Bounded_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> ForCounter(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                }

                return response!;
            }

            public async Task<HttpResponseMessage> WhileTrueWithCounter(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || ++attempt >= 3)
                    {
                        return response;
                    }
                }
            }

            public async Task<string> CatchFilterCounter(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (attempt++ < 3)
                    {
                    }
                }
            }

            public async Task<string> CatchThrowsAtLimit(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        if (++attempt == 5)
                        {
                            throw;
                        }
                    }
                }
            }

            public async Task<string> WhileCounter(HttpClient client, string url)
            {
                var attempts = 0;
                while (attempts < 3)
                {
                    attempts++;
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                    }
                }

                throw new InvalidOperationException();
            }

            public async Task<string> Deadline(HttpClient client, string url, DateTime deadline)
            {
                while (true)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException) when (DateTime.UtcNow < deadline)
                    {
                    }
                }
            }
        }
        """);

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    while (true)
                    {
                        var response = await client.GetAsync(url
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }
                    }
                }

                public async Task Other(HttpClient client)
                {
                    for (;;)
                    {
                        var r = await client.GetAsync(
                    }
                }
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }

    [Fact]
    public Task RetryLoopInsideForeachOverUrls_InnerLoopFlagged()
    {
        var test = Verify.Create(
            """
            public class Crawler
            {
                public async Task<List<string>> FetchAll(HttpClient client, string[] urls)
                {
                    var pages = new List<string>();
                    foreach (var url in urls)
                    {
                        [|for|] (;;)
                        {
                            try
                            {
                                pages.Add(await client.GetStringAsync(url));
                                break;
                            }
                            catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500)
                            {
                                await Task.Delay(1000);
                            }
                        }
                    }

                    return pages;
                }
            }
            """,
            """
            public class Crawler
            {
                public async Task<List<string>> FetchAll(HttpClient client, string[] urls)
                {
                    var pages = new List<string>();
                    foreach (var url in urls)
                    {
                        var attempt = 0;
                        for (;;)
                        {
                            try
                            {
                                pages.Add(await client.GetStringAsync(url));
                                break;
                            }
                            catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500)
                            {
                                if (++attempt >= 3)
                                {
                                    throw;
                                }

                                await Task.Delay(1000);
                            }
                        }
                    }

                    return pages;
                }
            }
            """);
        test.ExpectedMessages = new() { "This 'for (;;)' loop retries without limit; bound the number of attempts" };
        return test.RunAsync();
    }

    [Fact]
    public Task BreakOnSuccess_InLambda_Flagged() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public Func<Task<string>> Create(HttpClient client, string url) => async () =>
            {
                string? body = null;
                [|while|] (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        body = await response.Content.ReadAsStringAsync();
                        break;
                    }
                }

                return body;
            };
        }
        """,
        """
        public class Api
        {
            public Func<Task<string>> Create(HttpClient client, string url) => async () =>
            {
                string? body = null;
                var attempt = 0;
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        body = await response.Content.ReadAsStringAsync();
                        break;
                    }

                    if (++attempt >= 3)
                    {
                        throw new HttpRequestException($"The request failed after {attempt} attempts.", null, response.StatusCode);
                    }
                }

                return body;
            };
        }
        """);

    [Fact]
    public Task Suppressed_WithPragma() => Verify.VerifyAnalyzerAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
        #pragma warning disable SE2004
                while (true)
        #pragma warning restore SE2004
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                }
            }
        }
        """);
}
