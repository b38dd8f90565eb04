using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// Loop shapes checked against all four loop rules at once: <c>[|…|]</c> marks the loop keyword; the rules listed are the
/// ones expected to report there, every other loop rule must stay silent.
/// </summary>
public class SE200xLoopTests
{
    private static readonly string[] AllRules = { "SE2001", "SE2002", "SE2003", "SE2004" };

    internal static async Task Rules(string markup, params string[] expected)
    {
        foreach (var rule in AllRules)
        {
            var source = Array.IndexOf(expected, rule) >= 0 ? markup : markup.Replace("[|", string.Empty).Replace("|]", string.Empty);
            var task = rule switch
            {
                "SE2001" => new AnalyzerTest<RetryPredicateAnalyzer> { TestCode = source }.RunAsync(),
                "SE2002" => new AnalyzerTest<RetryBackoffAnalyzer> { TestCode = source }.RunAsync(),
                "SE2003" => new AnalyzerTest<RetryAfterIgnoredAnalyzer> { TestCode = source }.RunAsync(),
                _ => new AnalyzerTest<UnboundedRetryAnalyzer> { TestCode = source }.RunAsync(),
            };
            try
            {
                await task;
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException(rule + ": " + e.Message);
            }
        }
    }

    [Fact]
    public Task ConfigureAwait_OnSendAndDelay() => Rules(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000).ConfigureAwait(false);
                }

                return response!;
            }
        }
        """,
        "SE2001", "SE2002");

    [Fact]
    public Task DelayLocal_InsideLoop() => Rules(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                while (true)
                {
                    var response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    var delay = TimeSpan.FromSeconds(2);
                    await Task.Delay(delay);
                }
            }
        }
        """.Replace("while", "[|while|]"),
        "SE2002", "SE2004");

    [Fact]
    public Task DelayLocal_BeforeLoop() => Rules(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var delay = TimeSpan.FromSeconds(1);
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < 3; i++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(delay);
                }

                return response!;
            }
        }
        """,
        "SE2002");

    [Fact]
    public Task DelayHelper_Constant() => Rules(
        """
        public class Api
        {
            private readonly int _waitMs = 500;

            private TimeSpan Wait() => TimeSpan.FromMilliseconds(_waitMs);

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < 3; i++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(Wait());
                }

                return response!;
            }
        }
        """,
        "SE2002");

    [Fact]
    public Task CatchAndLoop_NoDelay() => Rules(
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                var attempts = 0;
                [|while|] (true)
                {
                    try
                    {
                        var response = await client.GetAsync(url).ConfigureAwait(false);
                        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                    catch (HttpRequestException) when (attempts++ < 3)
                    {
                    }
                }
            }
        }
        """,
        "SE2002");

    [Fact]
    public Task Factory_CreateRequest() => Rules(
        """
        public class Api
        {
            private HttpRequestMessage CreateRequest() => new HttpRequestMessage(HttpMethod.Get, "items");

            public async Task<HttpResponseMessage> Get(HttpClient client)
            {
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < 3; i++)
                {
                    response = await client.SendAsync(CreateRequest());
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }

                return response!;
            }
        }
        """,
        "SE2001", "SE2002");

    [Fact]
    public Task Factory_Func() => Rules(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, Func<HttpRequestMessage> make)
            {
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < 3; i++)
                {
                    response = await client.SendAsync(make());
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }

                return response!;
            }
        }
        """,
        "SE2001", "SE2002");

    [Fact]
    public Task DelegatingHandler_BaseSend() => Rules(
        """
        public class RetryHandler : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage response;
                [|while|] (true)
                {
                    response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000, cancellationToken);
                }
            }
        }
        """,
        "SE2001", "SE2002", "SE2004");

    [Fact]
    public Task StatusNotXAndBelow500() => Rules(
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage response;
                var attempt = 0;
                [|do|]
                {
                    response = await client.GetAsync(url);
                    await Task.Delay(1000 * (int)Math.Pow(2, attempt));
                }
                while (response.StatusCode != HttpStatusCode.OK && (int)response.StatusCode < 500 && ++attempt < 3);

                return response;
            }
        }
        """,
        "SE2001");

    [Fact]
    public Task PredicateHelper() => Rules(
        """
        public class Api
        {
            private static bool ShouldRetry(HttpResponseMessage response) => !response.IsSuccessStatusCode;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (ShouldRetry(response))
                    {
                        await Task.Delay(1000 * (attempt + 1));
                        continue;
                    }

                    return response;
                }

                return response!;
            }
        }
        """,
        "SE2001");

    private static Task Fix<TAnalyzer, TCodeFix>(string markup, string fixedCode)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
        where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
        => new CodeFixTest<TAnalyzer, TCodeFix> { TestCode = markup, FixedCode = fixedCode }.RunAsync();

    [Fact]
    public Task ConfigureAwait_SE2002Fix() => Fix<RetryBackoffAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url, CancellationToken ct)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url, ct).ConfigureAwait(false);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(1000, ct).ConfigureAwait(false);
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
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url, ct).ConfigureAwait(false);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt), 30000)), ct).ConfigureAwait(false);
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task DelayLocalInsideLoop_SE2002Fix() => Fix<RetryBackoffAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    var delay = TimeSpan.FromSeconds(2);
                    await Task.Delay(delay);
                }

                return response!;
            }
        }
        """,
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    var delay = TimeSpan.FromSeconds(2);
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * Math.Pow(2, attempt), 30000)));
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task DelayHelper_SE2002Fix() => Fix<RetryBackoffAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>(
        """
        public class Api
        {
            private readonly int _waitMs = 500;

            private TimeSpan WaitTime(int attempt) => TimeSpan.FromMilliseconds(_waitMs);

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(WaitTime(attempt));
                }

                return response!;
            }
        }
        """,
        """
        public class Api
        {
            private readonly int _waitMs = 500;

            private TimeSpan WaitTime(int attempt) => TimeSpan.FromMilliseconds(_waitMs);

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(WaitTime(attempt).TotalMilliseconds * Math.Pow(2, attempt), 30000)));
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task CatchAndLoop_NoDelay_SE2002Fix() => Fix<RetryBackoffAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>(
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string url)
            {
                [|for|] (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var response = await client.GetAsync(url).ConfigureAwait(false);
                        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
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
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var response = await client.GetAsync(url).ConfigureAwait(false);
                        return await response.Content.ReadAsStringAsync().ConfigureAwait(false);
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, attempt), 30000)));
                    }
                }
            }
        }
        """);

    [Fact]
    public Task DelegatingHandler_SE2001Fix() => Fix<RetryPredicateAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>(
        """
        public class RetryHandler : DelegatingHandler
        {
            private const int MaxRetries = 3;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < MaxRetries; i++)
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
        """,
        """
        public class RetryHandler : DelegatingHandler
        {
            private const int MaxRetries = 3;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? response = null;
                for (var i = 0; i < MaxRetries; i++)
                {
                    response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                    {
                        return response;
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    response.Dispose();
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task DelegatingHandler_SE2002Fix() => Fix<RetryBackoffAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>(
        """
        public class RetryHandler : DelegatingHandler
        {
            private const int MaxRetries = 3;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < MaxRetries; i++)
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
        """,
        """
        public class RetryHandler : DelegatingHandler
        {
            private const int MaxRetries = 3;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? response = null;
                for (var i = 0; i < MaxRetries; i++)
                {
                    response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    response.Dispose();
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(1000 * Math.Pow(2, i), 30000)), cancellationToken);
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task DelegatingHandler_SE2004Fix() => Fix<UnboundedRetryAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.UnboundedRetryCodeFix>(
        """
        public class RetryHandler : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                [|while|] (true)
                {
                    try
                    {
                        return await base.SendAsync(request, cancellationToken);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }
            }
        }
        """,
        """
        public class RetryHandler : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        return await base.SendAsync(request, cancellationToken);
                    }
                    catch (HttpRequestException)
                    {
                        if (++attempt >= 3)
                        {
                            throw;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Factory_SE2001Fix() => Fix<RetryPredicateAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>(
        """
        public class Api
        {
            private HttpRequestMessage CreateRequest() => new HttpRequestMessage(HttpMethod.Get, "items");

            public async Task<HttpResponseMessage> Get(HttpClient client)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.SendAsync(CreateRequest());
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000 * (int)Math.Pow(2, attempt));
                }

                return response!;
            }
        }
        """,
        """
        public class Api
        {
            private HttpRequestMessage CreateRequest() => new HttpRequestMessage(HttpMethod.Get, "items");

            public async Task<HttpResponseMessage> Get(HttpClient client)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.SendAsync(CreateRequest());
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                    {
                        return response;
                    }

                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000 * (int)Math.Pow(2, attempt));
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task PredicateHelper_SE2001Fix() => Fix<RetryPredicateAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>(
        """
        public class Api
        {
            private static bool ShouldRetry(HttpResponseMessage response) => !response.IsSuccessStatusCode;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (ShouldRetry(response))
                    {
                        await Task.Delay(1000 * (attempt + 1));
                        continue;
                    }

                    return response;
                }

                return response!;
            }
        }
        """,
        """
        public class Api
        {
            private static bool ShouldRetry(HttpResponseMessage response) => !response.IsSuccessStatusCode;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408 and not 429)
                    {
                        return response;
                    }

                    if (ShouldRetry(response))
                    {
                        await Task.Delay(1000 * (attempt + 1));
                        continue;
                    }

                    return response;
                }

                return response!;
            }
        }
        """);
}
