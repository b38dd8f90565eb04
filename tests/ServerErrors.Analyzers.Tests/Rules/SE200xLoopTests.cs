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

    /// <summary>Not retries of one request: every loop rule (and the SE2003 resend check) stays silent.</summary>
    public static TheoryData<string> NotRetries() => new()
    {
        // fail-over: the next attempt goes to another host
        """
        public class Api
        {
            public async Task<string> Get(HttpClient client, string primary, string backup)
            {
                var domain = primary;
                for (var attempt = 0; attempt < 2; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync($"https://{domain}/status").ConfigureAwait(false);
                    }
                    catch (HttpRequestException)
                    {
                        domain = backup;
                    }
                }

                throw new InvalidOperationException("both hosts failed");
            }
        }
        """,
        // fail-over on a status, with a constant pause and no attempt limit of its own
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string[] hosts)
            {
                var domain = hosts[0];
                var index = 0;
                while (true)
                {
                    var response = await client.GetAsync("https://" + domain + "/api").ConfigureAwait(false);
                    if (response.IsSuccessStatusCode || index == hosts.Length - 1)
                    {
                        return response;
                    }

                    domain = hosts[++index];
                    await Task.Delay(500).ConfigureAwait(false);
                }
            }
        }
        """,
        // paging: page++ after every page, the failed page is asked again
        """
        public class Pager
        {
            public async Task<List<string>> All(HttpClient client)
            {
                var all = new List<string>();
                var page = 1;
                while (true)
                {
                    var response = await client.GetAsync($"items?page={page}");
                    if (!response.IsSuccessStatusCode)
                    {
                        await Task.Delay(1000);
                        continue;
                    }

                    var items = await response.Content.ReadFromJsonAsync<List<string>>();
                    if (items is null || items.Count == 0)
                    {
                        return all;
                    }

                    all.AddRange(items);
                    page++;
                }
            }
        }
        """,
        // paging through next links in a request factory's argument
        """
        public record Page(List<string> Items, string? Next);

        public class Pager
        {
            private static HttpRequestMessage Request(string url) => new HttpRequestMessage(HttpMethod.Get, url);

            public async Task<List<string>> All(HttpClient client)
            {
                var all = new List<string>();
                string? next = "items";
                while (next is not null)
                {
                    using var response = await client.SendAsync(Request(next)).ConfigureAwait(false);
                    if (!response.IsSuccessStatusCode)
                    {
                        await Task.Delay(1000).ConfigureAwait(false);
                        continue;
                    }

                    var page = await response.Content.ReadFromJsonAsync<Page>().ConfigureAwait(false);
                    all.AddRange(page!.Items);
                    next = page.Next;
                }

                return all;
            }
        }
        """,
        // polling a job until it is done
        """
        public record Job(bool Done);

        public class Poller
        {
            public async Task<Job> Wait(HttpClient client, string statusUrl, CancellationToken ct)
            {
                while (true)
                {
                    using var response = await client.GetAsync(statusUrl, ct).ConfigureAwait(false);
                    response.EnsureSuccessStatusCode();
                    var job = await response.Content.ReadFromJsonAsync<Job>(ct).ConfigureAwait(false);
                    if (job!.Done)
                    {
                        return job;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
                }
            }
        }
        """,
        // polling through a request factory until the status says done
        """
        public class Poller
        {
            private HttpRequestMessage StatusRequest() => new HttpRequestMessage(HttpMethod.Get, "status");

            public async Task Wait(HttpClient client)
            {
                for (var i = 0; i < 60; i++)
                {
                    var response = await client.SendAsync(StatusRequest());
                    var body = await response.Content.ReadAsStringAsync();
                    if (body == "done")
                    {
                        return;
                    }

                    await Task.Delay(1000);
                }
            }
        }
        """,
        // a single retry after refreshing a token on 401 (loop form)
        """
        using System.Net;

        public class Api
        {
            private async Task RefreshTokenAsync(HttpClient client) => await Task.Yield();

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 2; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.Unauthorized && attempt == 0)
                    {
                        await RefreshTokenAsync(client);
                        continue;
                    }

                    return response;
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """,
        // a single retry after refreshing a token on 401, inside a DelegatingHandler
        """
        using System.Net;
        using System.Net.Http.Headers;

        public class AuthHandler : DelegatingHandler
        {
            private string _token = "";

            private Task<string> FetchTokenAsync(CancellationToken ct) => Task.FromResult("new");

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var refreshed = false;
                while (true)
                {
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                    var response = await base.SendAsync(request, cancellationToken);
                    if (response.StatusCode != HttpStatusCode.Unauthorized || refreshed)
                    {
                        return response;
                    }

                    _token = await FetchTokenAsync(cancellationToken);
                    refreshed = true;
                }
            }
        }
        """,
        // a single retry after refreshing a token on 401 (no loop)
        """
        using System.Net;

        public class Api
        {
            private Task RefreshAsync() => Task.CompletedTask;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                var response = await client.GetAsync(url);
                if (response.StatusCode == HttpStatusCode.Unauthorized)
                {
                    await RefreshAsync();
                    await Task.Delay(100);
                    response = await client.GetAsync(url);
                }

                return response;
            }
        }
        """,
        // reconnect loop of a long-lived stream with its own backoff
        """
        public class EventStream
        {
            public async Task Listen(HttpClient client, string url, Action<string> handle, CancellationToken ct)
            {
                var delay = TimeSpan.FromSeconds(1);
                while (!ct.IsCancellationRequested)
                {
                    try
                    {
                        using var stream = await client.GetStreamAsync(url, ct).ConfigureAwait(false);
                        using var reader = new StreamReader(stream);
                        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
                        {
                            handle(line);
                        }

                        delay = TimeSpan.FromSeconds(1);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(delay, ct).ConfigureAwait(false);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromMinutes(1).Ticks));
                    }
                }
            }
        }
        """,
        // reconnect loop of a long-lived stream with a constant pause: it is meant to run forever
        """
        public class Tail
        {
            public async Task Follow(HttpClient client, string url, CancellationToken ct)
            {
                while (true)
                {
                    try
                    {
                        using var response = await client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, ct);
                        using var stream = await response.Content.ReadAsStreamAsync(ct);
                        await stream.CopyToAsync(Stream.Null, ct);
                    }
                    catch (HttpRequestException)
                    {
                    }

                    await Task.Delay(5000, ct);
                }
            }
        }
        """,
        // a WebSocket reconnect loop: not HttpClient
        """
        using System.Net.WebSockets;

        public class Socket
        {
            public async Task Run(Uri uri, CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    using var socket = new ClientWebSocket();
                    try
                    {
                        await socket.ConnectAsync(uri, ct);
                        return;
                    }
                    catch (WebSocketException)
                    {
                        await Task.Delay(1000, ct);
                    }
                }
            }
        }
        """,
        // the request factory reads a member the loop writes: a different request every time
        """
        public class Feed
        {
            private int _offset;

            private HttpRequestMessage Next() => new HttpRequestMessage(HttpMethod.Get, "items?offset=" + _offset);

            public async Task<HttpResponseMessage> Get(HttpClient client)
            {
                while (true)
                {
                    var response = await client.SendAsync(Next());
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    _offset += 10;
                }
            }
        }
        """,
        // the request factory takes the next item from a queue (it changes state)
        """
        public class Feed
        {
            private readonly Queue<string> _urls = new();

            private HttpRequestMessage Next() => new HttpRequestMessage(HttpMethod.Get, _urls.Dequeue());

            public async Task<HttpResponseMessage> Get(HttpClient client)
            {
                while (true)
                {
                    var response = await client.SendAsync(Next());
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }
            }
        }
        """,
    };

    [Theory]
    [MemberData(nameof(NotRetries))]
    public Task NotARetry_AllRulesSilent(string source) => Rules(source);

    [Theory]
    [MemberData(nameof(Stubs.NotRetryLoops.All), MemberType = typeof(Stubs.NotRetryLoops))]
    public Task SharedNotRetryLoops_AllRulesSilent(string source) => Rules(source);

    [Fact]
    public Task DelayHelper_Growing_Silent() => Rules(
        """
        public class Api
        {
            private static TimeSpan Backoff(int attempt) => TimeSpan.FromMilliseconds(200 * Math.Pow(2, attempt));

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

                    await Task.Delay(Backoff(attempt));
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task DelayHelper_Unknown_Silent() => Rules(
        """
        public class Api
        {
            private readonly Random _random = new();

            private TimeSpan Jitter() => TimeSpan.FromMilliseconds(_random.Next(100, 1000));

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

                    var wait = Jitter();
                    await Task.Delay(wait);
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task DelayLocal_InsideLoop_FromAttempt_Silent() => Rules(
        """
        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    var delay = TimeSpan.FromSeconds(attempt * 2);
                    await Task.Delay(delay);
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task PredicateHelper_Transient_Silent() => Rules(
        """
        public class Api
        {
            private static bool IsTransient(HttpResponseMessage r) => (int)r.StatusCode >= 500 || (int)r.StatusCode == 408;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (!IsTransient(response))
                    {
                        return response;
                    }

                    await Task.Delay(500 * (int)Math.Pow(2, attempt));
                }

                return response!;
            }
        }
        """);

    // The status classes of a loop include the constants of the predicates it inlines: 404 lives only in the helper, so
    // the class 400–407 must be split there (before, only the loop's method was searched for constants: 404 was
    // simulated as 400, and Debug builds threw because 404 does not behave like 400). A 4xx the condition names is
    // retried on purpose: silent, as when the loop names it itself.
    [Fact]
    public Task PredicateHelper_NamesNotFound_Silent() => Rules(
        """
        using System.Net;

        public class Api
        {
            private static bool ShouldRetry(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.NotFound || (int)r.StatusCode >= 500;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (!ShouldRetry(response))
                    {
                        return response;
                    }

                    await Task.Delay(500 * (int)Math.Pow(2, attempt));
                }

                return response!;
            }
        }
        """);

    // A helper that calls another helper: the constants two levels down count as well (410 Gone).
    [Fact]
    public Task NestedPredicateHelper_NamesGone_Silent() => Rules(
        """
        using System.Net;

        public class Api
        {
            private static bool IsGone(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.Gone;

            private static bool ShouldRetry(HttpResponseMessage r) => IsGone(r) || (int)r.StatusCode >= 500;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (!ShouldRetry(response))
                    {
                        return response;
                    }

                    await Task.Delay(500 * (int)Math.Pow(2, attempt));
                }

                return response!;
            }
        }
        """);

    [Fact]
    public Task PredicateHelper_NamesServiceUnavailable_SE2003() => Rules(
        """
        using System.Net;

        public class Api
        {
            private static bool ComeBackLater(HttpResponseMessage r) => r.StatusCode == HttpStatusCode.ServiceUnavailable;

            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (!ComeBackLater(response))
                    {
                        return response;
                    }

                    await Task.Delay(500 * (int)Math.Pow(2, attempt));
                }

                return response!;
            }
        }
        """,
        "SE2003");

    [Fact]
    public Task StatusNotOkAndBelow500_SE2001Fix() => Fix<RetryPredicateAnalyzer, ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>(
        """
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (response.StatusCode != HttpStatusCode.OK && (int)response.StatusCode < 500)
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
        using System.Net;

        public class Api
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                HttpResponseMessage? response = null;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
                    {
                        return response;
                    }

                    if (response.StatusCode != HttpStatusCode.OK && (int)response.StatusCode < 500)
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
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
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
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
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
                    if ((int)response.StatusCode is >= 400 and < 500 and not 408)
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
