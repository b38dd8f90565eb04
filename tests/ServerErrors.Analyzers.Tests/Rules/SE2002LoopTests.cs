using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.RetryBackoffAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2002LoopTests
{
    [Theory]
    [MemberData(nameof(NotRetryLoops.All), MemberType = typeof(NotRetryLoops))]
    public Task NotARetry_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task ConstantDelay_ForCounter_KeepsCancellationToken()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
                {
                    HttpResponseMessage? response = null;
                    [|for|] (var attempt = 0; attempt < 5; attempt++)
                    {
                        response = await client.GetAsync(url, ct);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }

                        await Task.Delay(1000, ct);
                    }

                    return response!;
                }
            }
            """,
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
                {
                    HttpResponseMessage? response = null;
                    for (var attempt = 0; attempt < 5; attempt++)
                    {
                        response = await client.GetAsync(url, ct);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt), 30000)), ct);
                    }

                    return response!;
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry loop waits the same time before every attempt; use exponential backoff" };
        return test.RunAsync();
    }

    [Fact]
    public Task ConstantTimeSpan_WhileWithCounter() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

            public async Task<string> Get(HttpClient client, string url)
            {
                var attempts = 0;
                [|while|] (attempts < 3)
                {
                    attempts++;
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500)
                    {
                        await Task.Delay(Pause);
                    }
                }

                throw new InvalidOperationException("gave up");
            }
        }
        """,
        """
        public class Api
        {
            private static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

            public async Task<string> Get(HttpClient client, string url)
            {
                var attempts = 0;
                while (attempts < 3)
                {
                    attempts++;
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null || (int)e.StatusCode >= 500)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(Pause.TotalMilliseconds * Math.Pow(2, attempts), 30000)));
                    }
                }

                throw new InvalidOperationException("gave up");
            }
        }
        """);

    [Fact]
    public Task ThreadSleep_Const_StaysThreadSleep_IntroducesCounter() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            private const int DelayMs = 500;

            public HttpResponseMessage Get(HttpClient client, HttpRequestMessage request)
            {
                [|while|] (true)
                {
                    var response = client.Send(request);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    Thread.Sleep(DelayMs);
                }
            }
        }
        """,
        """
        public class Api
        {
            private const int DelayMs = 500;

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

                    Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(500 * Math.Pow(2, attempt++), 30000)));
                }
            }
        }
        """);

    [Fact]
    public Task ParameterDelay_IsConstantAcrossAttempts() => Verify.VerifyCodeFixAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url, int delayMs)
            {
                for (var attempt = 1; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || attempt == 4)
                    {
                        return response;
                    }

                    await Task.Delay(delayMs);
                }
            }
        }
        """.Replace("for (var", "[|for|] (var"),
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url, int delayMs)
            {
                for (var attempt = 1; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || attempt == 4)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(delayMs * Math.Pow(2, attempt), 30000)));
                }
            }
        }
        """);

    [Fact]
    public Task NoDelay_Async_AddsDelayWithToken()
    {
        var test = Verify.Create(
            """
            public class Api
            {
                public async Task<string> Get(HttpClient client, string url, CancellationToken cancellationToken)
                {
                    [|for|] (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.GetAsync(url, cancellationToken);
                        if (response.IsSuccessStatusCode)
                        {
                            return await response.Content.ReadAsStringAsync(cancellationToken);
                        }
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """,
            """
            public class Api
            {
                public async Task<string> Get(HttpClient client, string url, CancellationToken cancellationToken)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.GetAsync(url, cancellationToken);
                        if (response.IsSuccessStatusCode)
                        {
                            return await response.Content.ReadAsStringAsync(cancellationToken);
                        }

                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt), 30000)), cancellationToken);
                    }

                    throw new HttpRequestException("gave up");
                }
            }
            """);
        test.ExpectedMessages = new() { "This retry loop does not wait between attempts; use exponential backoff" };
        return test.RunAsync();
    }

    [Fact]
    public Task NoDelay_CatchAndContinue_Sync_AddsThreadSleep() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;

        public class Api
        {
            public HttpResponseMessage Get(HttpClient client, string url)
            {
                var attempt = 0;
                [|while|] (true)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    }
                    catch (HttpRequestException) when (attempt++ < 3)
                    {
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.BadGateway && attempt++ < 3)
                    {
                        continue;
                    }

                    return response;
                }
            }
        }
        """,
        """
        using System.Net;

        public class Api
        {
            public HttpResponseMessage Get(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    HttpResponseMessage response;
                    try
                    {
                        response = client.Send(new HttpRequestMessage(HttpMethod.Get, url));
                    }
                    catch (HttpRequestException) when (attempt++ < 3)
                    {
                        Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt), 30000)));
                        continue;
                    }

                    if (response.StatusCode == HttpStatusCode.BadGateway && attempt++ < 3)
                    {
                        Thread.Sleep(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt), 30000)));
                        continue;
                    }

                    return response;
                }
            }
        }
        """);

    [Fact]
    public Task Growing_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Exponential(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || attempt == 3)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }
            }

            public async Task<HttpResponseMessage> Shift(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || attempt == 3)
                    {
                        return response;
                    }

                    await Task.Delay(100 << attempt);
                }
            }

            public async Task<HttpResponseMessage> Doubling(HttpClient client, string url)
            {
                var delay = 200;
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || attempt == 3)
                    {
                        return response;
                    }

                    await Task.Delay(delay);
                    delay *= 2;
                }
            }

            public async Task<HttpResponseMessage> Linear(HttpClient client, string url)
            {
                var attempt = 0;
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || ++attempt == 3)
                    {
                        return response;
                    }

                    await Task.Delay(1000 * attempt);
                }
            }

            public async Task<HttpResponseMessage> RetryAfter(HttpClient client, string url)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || i == 3)
                    {
                        return response;
                    }

                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1));
                }
            }

            public async Task<HttpResponseMessage> Helper(HttpClient client, string url)
            {
                for (var i = 0; ; i++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode || i == 3)
                    {
                        return response;
                    }

                    await BackoffAsync(i);
                }
            }

            private static Task BackoffAsync(int attempt) => Task.Delay(100 * attempt);
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
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.GetAsync(url);
                        if (response.IsSuccessStatusCode)
                            return response;
                        await Task.Delay(
                    }
                }
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_TwoLoops_NoCounter() => Verify.VerifyCodeFixAsync(
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
                    catch (HttpRequestException e) when (e.StatusCode is null)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }

            public async Task<string> B(HttpClient client)
            {
                [|while|] (true)
                {
                    try
                    {
                        return await client.GetStringAsync("b");
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null)
                    {
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
                    catch (HttpRequestException e) when (e.StatusCode is null)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt++), 30000)));
                    }
                }
            }

            public async Task<string> B(HttpClient client)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await client.GetStringAsync("b");
                    }
                    catch (HttpRequestException e) when (e.StatusCode is null)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt++), 30000)));
                    }
                }
            }
        }
        """);
}
