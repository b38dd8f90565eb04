using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryBackoffAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE2002 on retry policies as public repositories write them: constant waits in disguise (a provider that never reads its
/// attempt, or cancels it), policies executed through wraps, fields and helpers of the application. Each shape is re-typed
/// from a real project; the comment gives the reviewer's verdict.
/// </summary>
public class SE2002PolicyShapeTests
{
    // Seen in a currency-rates client: the interval comes from settings; it is still the same wait before every attempt.
    [Fact]
    public Task Provider_IgnoresAttempt_SettingsField_KeepsBase() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class RatesClient
        {
            private readonly int _retryCount = 3;
            private readonly double _retryIntervalInSeconds = 2;

            public AsyncPolicy Create() => Policy.Handle<HttpRequestException>()
                .[|WaitAndRetryAsync(_retryCount, retryAttempt => TimeSpan.FromSeconds(_retryIntervalInSeconds))|];
        }
        """,
        """
        using Polly;

        public sealed class RatesClient
        {
            private readonly int _retryCount = 3;
            private readonly double _retryIntervalInSeconds = 2;

            public AsyncPolicy Create() => Policy.Handle<HttpRequestException>()
                .WaitAndRetryAsync(_retryCount, retryAttempt => TimeSpan.FromSeconds(_retryIntervalInSeconds * Math.Pow(2, retryAttempt)));
        }
        """);

    // An options object passed to the method and captured by the lambda: constant, whatever it holds.
    [Fact]
    public Task Provider_IgnoresAttempt_CapturedOptionsParameter() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Options;
        using Polly;

        public sealed class WaitOptions
        {
            public int Wait { get; set; }
        }

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create(IOptions<WaitOptions> options) => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .[|WaitAndRetryAsync(4, (attempt, ctx) => TimeSpan.FromMilliseconds(options.Value.Wait), (outcome, wait, ctx) => Task.CompletedTask)|];
        }
        """,
        """
        using Microsoft.Extensions.Options;
        using Polly;

        public sealed class WaitOptions
        {
            public int Wait { get; set; }
        }

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create(IOptions<WaitOptions> options) => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(4, (attempt, ctx) => TimeSpan.FromMilliseconds(options.Value.Wait * Math.Pow(2, attempt)), (outcome, wait, ctx) => Task.CompletedTask);
        }
        """);

    // `_ => delay` with a TimeSpan local: the wait keeps the local as its base.
    [Fact]
    public Task Provider_Discard_CapturedTimeSpanLocal() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy Create(int seconds)
            {
                var delay = TimeSpan.FromSeconds(seconds);
                return Policy.Handle<HttpRequestException>().[|WaitAndRetryAsync(3, _ => delay)|];
            }
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy Create(int seconds)
            {
                var delay = TimeSpan.FromSeconds(seconds);
                return Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(delay.TotalMilliseconds * Math.Pow(2, attempt)));
            }
        }
        """);

    // Reads the attempt but cancels it: Math.Pow(1, n) is 1, n * 0 + 2 is 2, Math.Min(n, 1) is 1 for every attempt ≥ 1.
    [Theory]
    [InlineData("attempt => TimeSpan.FromSeconds(Math.Pow(1, attempt))")]
    [InlineData("attempt => TimeSpan.FromSeconds(attempt * 0 + 2)")]
    [InlineData("attempt => TimeSpan.FromMilliseconds(Math.Min(attempt, 1) * 500)")]
    [InlineData("attempt => TimeSpan.FromSeconds(Math.Pow(attempt, 0) * 3)")]
    [InlineData("attempt => TimeSpan.FromSeconds(attempt % 1 + 1)")]
    public Task Provider_CancelsAttempt_Flagged(string provider) => Verify.VerifyCodeFixAsync(
        $$"""
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy Create() => Policy.Handle<HttpRequestException>().[|WaitAndRetryAsync(3, {{provider}})|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy Create() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    // Growth that is real, or not provable: silent.
    [Fact]
    public Task Provider_GrowingOrUnknown_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class Policies
        {
            private readonly Random _random = new Random();
            private double _backoff = 1;

            public AsyncPolicy A(double baseSeconds) => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(baseSeconds * Math.Pow(2, a)));
            public AsyncPolicy B() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Min(a, 10)));
            public AsyncPolicy C() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Max(a, 2)));
            public AsyncPolicy D() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, _ => TimeSpan.FromMilliseconds(_random.Next(100, 900)));
            public AsyncPolicy E(Func<int, TimeSpan> next) => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => next(a));
            public AsyncPolicy F() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(a * a));
            public AsyncPolicy G()
            {
                var delay = TimeSpan.FromSeconds(1);
                return Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, _ => delay, (ex, wait) => delay = delay + delay);
            }

            public AsyncPolicy H() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(_backoff), (ex, wait) => _backoff *= 2);
            public AsyncPolicy I() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(a, 1)));
        }
        """);

    // A reviewer's verdict on a seeding job: constant but not HTTP, so silent in the default scope.
    [Fact]
    public Task Provider_IgnoresAttempt_NotHttp_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class Seeder
        {
            private readonly int _delaySeconds = 2;

            public AsyncPolicy Create() => Policy.Handle<InvalidOperationException>().WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(_delaySeconds));
        }
        """);

    // ---- HTTP scope follows wraps, fields and the application's helpers ----

    // A retry wrapped with a timeout, the wrap executed around an HttpClient call.
    [Fact]
    public Task Wrap_ExecutedAroundHttpClient_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Calls
        {
            public static async Task<string> Run(HttpClient client)
            {
                var retry = Policy.Handle<TimeoutException>().[|RetryAsync(2)|];
                var timeout = Policy.TimeoutAsync(10);
                var wrap = Policy.WrapAsync(retry, timeout);
                return await wrap.ExecuteAsync(() => client.GetStringAsync("https://example.com"));
            }
        }
        """,
        """
        using Polly;

        public static class Calls
        {
            public static async Task<string> Run(HttpClient client)
            {
                var retry = Policy.Handle<TimeoutException>().WaitAndRetryAsync(2, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                var timeout = Policy.TimeoutAsync(10);
                var wrap = Policy.WrapAsync(retry, timeout);
                return await wrap.ExecuteAsync(() => client.GetStringAsync("https://example.com"));
            }
        }
        """);

    // A fallback wrapping the retry (fallback.WrapAsync(retry)), executed around an upload helper of the application.
    [Fact]
    public Task InstanceWrap_HelperReachesHttpClient_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class Uploader
        {
            private readonly HttpClient _client = new HttpClient();

            public async Task<string> Upload(string file)
            {
                var fallback = Policy<string>.Handle<Exception>().FallbackAsync("offline");
                var retry = Policy<string>.Handle<Exception>().[|RetryAsync(3)|];
                return await fallback.WrapAsync(retry).ExecuteAsync(() => PostFile(file));
            }

            private async Task<string> PostFile(string file)
            {
                using var content = new StringContent(file);
                var response = await _client.PostAsync("https://upload.example.com", content);
                return await response.Content.ReadAsStringAsync();
            }
        }
        """,
        """
        using Polly;

        public sealed class Uploader
        {
            private readonly HttpClient _client = new HttpClient();

            public async Task<string> Upload(string file)
            {
                var fallback = Policy<string>.Handle<Exception>().FallbackAsync("offline");
                var retry = Policy<string>.Handle<Exception>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                return await fallback.WrapAsync(retry).ExecuteAsync(() => PostFile(file));
            }

            private async Task<string> PostFile(string file)
            {
                using var content = new StringContent(file);
                var response = await _client.PostAsync("https://upload.example.com", content);
                return await response.Content.ReadAsStringAsync();
            }
        }
        """);

    // The policy in a field built in the constructor and executed by the methods of the class.
    [Fact]
    public Task FieldPolicy_ExecutedInOtherMethod_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class StatusClient
        {
            private readonly HttpClient _client;
            private readonly AsyncPolicy _policy;

            public StatusClient(HttpClient client)
            {
                _client = client;
                _policy = Policy.Handle<TaskCanceledException>().[|WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(1))|];
            }

            public Task<string> Get() => _policy.ExecuteAsync(() => _client.GetStringAsync("status"));
        }
        """,
        """
        using Polly;

        public sealed class StatusClient
        {
            private readonly HttpClient _client;
            private readonly AsyncPolicy _policy;

            public StatusClient(HttpClient client)
            {
                _client = client;
                _policy = Policy.Handle<TaskCanceledException>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }

            public Task<string> Get() => _policy.ExecuteAsync(() => _client.GetStringAsync("status"));
        }
        """);

    // Executed around a helper that does not touch HTTP: still silent in the default scope.
    [Fact]
    public Task HelperWithoutHttp_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class Jobs
        {
            public Task Run() => Policy.Handle<IOException>().RetryAsync(3).ExecuteAsync(() => Write());

            private Task Write() => File.WriteAllTextAsync("x.txt", "x");
        }
        """);

    // The summary survives recursion (a helper that calls itself) and stops at its depth bound: a send six calls deep is not seen.
    [Fact]
    public Task HelperSummary_RecursionAndDepthBound() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class Chains
        {
            private readonly HttpClient _client = new HttpClient();

            public Task<string> Recursive() => Policy.Handle<TimeoutException>().[|RetryAsync(2)|].ExecuteAsync(() => Fetch(3));

            public Task<string> Deep() => Policy.Handle<TimeoutException>().RetryAsync(2).ExecuteAsync(() => L1());

            private async Task<string> Fetch(int depth) => depth == 0 ? await _client.GetStringAsync("x") : await Fetch(depth - 1);

            private Task<string> L1() => L2();
            private Task<string> L2() => L3();
            private Task<string> L3() => L4();
            private Task<string> L4() => L5();
            private Task<string> L5() => L6();
            private Task<string> L6() => _client.GetStringAsync("deep");
        }
        """,
        """
        using Polly;

        public sealed class Chains
        {
            private readonly HttpClient _client = new HttpClient();

            public Task<string> Recursive() => Policy.Handle<TimeoutException>().WaitAndRetryAsync(2, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt))).ExecuteAsync(() => Fetch(3));

            public Task<string> Deep() => Policy.Handle<TimeoutException>().RetryAsync(2).ExecuteAsync(() => L1());

            private async Task<string> Fetch(int depth) => depth == 0 ? await _client.GetStringAsync("x") : await Fetch(depth - 1);

            private Task<string> L1() => L2();
            private Task<string> L2() => L3();
            private Task<string> L3() => L4();
            private Task<string> L4() => L5();
            private Task<string> L5() => L6();
            private Task<string> L6() => _client.GetStringAsync("deep");
        }
        """);

    // ---- Polly v8 ----

    // A non-generic pipeline whose callback calls an HttpClient helper (the official samples' shape): HTTP.
    [Fact]
    public Task V8_PipelineCallbackCallsHelper_DefaultConstant_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Weather
        {
            private readonly HttpClient _client = new HttpClient();

            public async Task<string> Forecast()
            {
                var pipeline = new ResiliencePipelineBuilder()
                    .AddRetry([|new RetryStrategyOptions|] { MaxRetryAttempts = 3, Delay = TimeSpan.FromSeconds(2) })
                    .AddTimeout(TimeSpan.FromSeconds(10))
                    .Build();
                return await pipeline.ExecuteAsync(async token => await Fetch(token));
            }

            private async Task<string> Fetch(CancellationToken token)
            {
                var response = await _client.GetAsync("https://weather.example.com", token);
                return await response.Content.ReadAsStringAsync(token);
            }
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public sealed class Weather
        {
            private readonly HttpClient _client = new HttpClient();

            public async Task<string> Forecast()
            {
                var pipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.FromSeconds(2), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                    .AddTimeout(TimeSpan.FromSeconds(10))
                    .Build();
                return await pipeline.ExecuteAsync(async token => await Fetch(token));
            }

            private async Task<string> Fetch(CancellationToken token)
            {
                var response = await _client.GetAsync("https://weather.example.com", token);
                return await response.Content.ReadAsStringAsync(token);
            }
        }
        """);

    // Delay from configuration and BackoffType left at its default (Constant), in a static pipeline field used by a method.
    [Fact]
    public Task V8_StaticPipelineField_DelayFromConfiguration_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Config
        {
            public static int DelaySeconds { get; set; } = 2;
        }

        public sealed class Notifier
        {
            private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
                .AddRetry([|new RetryStrategyOptions|] { MaxRetryAttempts = 3, Delay = TimeSpan.FromSeconds(Config.DelaySeconds) })
                .Build();

            private readonly IHttpClientFactory _factory;

            public Notifier(IHttpClientFactory factory) => _factory = factory;

            public async Task Send(string text)
            {
                await Pipeline.ExecuteAsync(async token =>
                {
                    var client = _factory.CreateClient("notify");
                    using var content = new StringContent(text);
                    await client.PostAsync("messages", content, token);
                });
            }
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public static class Config
        {
            public static int DelaySeconds { get; set; } = 2;
        }

        public sealed class Notifier
        {
            private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3, Delay = TimeSpan.FromSeconds(Config.DelaySeconds), BackoffType = DelayBackoffType.Exponential, UseJitter = true })
                .Build();

            private readonly IHttpClientFactory _factory;

            public Notifier(IHttpClientFactory factory) => _factory = factory;

            public async Task Send(string text)
            {
                await Pipeline.ExecuteAsync(async token =>
                {
                    var client = _factory.CreateClient("notify");
                    using var content = new StringContent(text);
                    await client.PostAsync("messages", content, token);
                });
            }
        }
        """);

    // Options bound from configuration may set BackoffType there: not proven, silent.
    [Fact]
    public Task V8_OptionsBoundFromConfiguration_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.Extensions.Configuration;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline<HttpResponseMessage> Create(IConfiguration configuration)
            {
                var options = new RetryStrategyOptions<HttpResponseMessage>();
                configuration.GetSection("Retry").Bind(options);
                return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(options).Build();
            }
        }
        """);

    // A pipeline around file work (no HTTP anywhere): silent in the default scope.
    [Fact]
    public Task V8_PipelineWithoutHttp_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Files
        {
            private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { MaxRetryAttempts = 3 })
                .Build();

            public static ValueTask Save(string text) => Pipeline.ExecuteAsync(async token => await File.WriteAllTextAsync("x.txt", text, token));
        }
        """);

    // ---- a single retry after refreshing the token ----

    // Resending once after refreshing credentials on 401: deliberate (the request carries a new token); waiting would not help.
    [Fact]
    public Task CredentialRefresh_SingleImmediateRetry_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Polly;

        public sealed class TokenClient
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.Unauthorized)
                .RetryAsync(1, onRetryAsync: async (outcome, attempt) => await RefreshToken());

            private Task RefreshToken() => Task.CompletedTask;
        }
        """);

    // Retrying 5xx once without waiting is not a credential refresh: still flagged.
    [Fact]
    public Task SingleRetryOfServerErrors_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class Client
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .[|RetryAsync(1, onRetry: (outcome, attempt) => Console.WriteLine(attempt))|];
        }
        """,
        """
        using Polly;

        public sealed class Client
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .WaitAndRetryAsync(1, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)), (outcome, delay, attempt, context) => Console.WriteLine(attempt));
        }
        """);

    // ---- reconnect policies ----

    // A broker connection retried with a growing wait is not HTTP: silent in the default scope (and for SE2004, see its tests).
    [Fact]
    public Task ReconnectPolicy_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net.Sockets;
        using Polly;

        public sealed class Connection
        {
            public void Connect() => Policy.Handle<SocketException>()
                .WaitAndRetryForever(attempt => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt), 60)))
                .Execute(() => Open());

            private void Open()
            {
            }
        }
        """);
}
