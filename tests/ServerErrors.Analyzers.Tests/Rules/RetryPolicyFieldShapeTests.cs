using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using V2001 = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryPredicateAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>;
using V2002 = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryBackoffAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// Retry policies found in public repositories (found with exact-string search for <c>WaitAndRetryAsync(</c>, <c>AddRetry(</c>,
/// <c>AddPolicyHandler(GetRetryPolicy())</c>, <c>PredicateBuilder().Handle&lt;HttpRequestException&gt;()</c>, <c>Policy.WrapAsync(</c>,
/// <c>retryAttempt =&gt; TimeSpan.FromSeconds(_</c>), re-typed in our own words with the verdict a senior reviewer gives.
/// The shapes already covered elsewhere are named in docs/rules/SE2001.md–SE2004.md; these are the rest.
/// </summary>
public class RetryPolicyFieldShapeTests
{
    // (1) Minimal API Program.cs of a currency converter: a local function GetRetryPolicy() registered with AddPolicyHandler,
    // retrying every non-success response after a fixed 2 s. Verdict: both wrong — retries 4xx, and no backoff.
    [Fact]
    public Task CurrencyConverter_GetRetryPolicy_RetriesClientErrors() => V2001.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Program
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("ApiClient").AddPolicyHandler(GetRetryPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => Policy.HandleResult<HttpResponseMessage>([|r => !r.IsSuccessStatusCode|]).WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(2));
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Program
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("ApiClient").AddPolicyHandler(GetRetryPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout).WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(2));
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    [Fact]
    public Task CurrencyConverter_GetRetryPolicy_ConstantWait() => V2002.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Program
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("ApiClient").AddPolicyHandler(GetRetryPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500).[|WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(2))|];
        }
        """,
        """
        using Polly;

        public static class Program
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("ApiClient").AddPolicyHandler(GetRetryPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500).WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    // (2) A remote-control agent: HttpRequestException retried with the configured delay from IOptions. Verdict: constant wait; keep the
    // configured value as the base of the backoff.
    [Fact]
    public Task RemoteAgent_OptionsDelay_ConstantWait() => V2002.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Options;
        using Polly;

        public sealed class AgentOptions
        {
            public int MaxConnectionRetries { get; set; } = 5;
            public int RetryDelaySeconds { get; set; } = 3;
        }

        public sealed class Agent
        {
            private readonly IOptions<AgentOptions> _options;
            private readonly AsyncPolicy _retryPolicy;

            public Agent(IOptions<AgentOptions> options)
            {
                _options = options;
                _retryPolicy = Policy.Handle<HttpRequestException>().Or<TimeoutException>()
                    .[|WaitAndRetryAsync(_options.Value.MaxConnectionRetries, retryAttempt => TimeSpan.FromSeconds(_options.Value.RetryDelaySeconds))|];
            }
        }
        """,
        """
        using Microsoft.Extensions.Options;
        using Polly;

        public sealed class AgentOptions
        {
            public int MaxConnectionRetries { get; set; } = 5;
            public int RetryDelaySeconds { get; set; } = 3;
        }

        public sealed class Agent
        {
            private readonly IOptions<AgentOptions> _options;
            private readonly AsyncPolicy _retryPolicy;

            public Agent(IOptions<AgentOptions> options)
            {
                _options = options;
                _retryPolicy = Policy.Handle<HttpRequestException>().Or<TimeoutException>()
                    .WaitAndRetryAsync(_options.Value.MaxConnectionRetries, retryAttempt => TimeSpan.FromSeconds(_options.Value.RetryDelaySeconds * Math.Pow(2, retryAttempt)));
            }
        }
        """);

    // (3) A configuration client: non-success responses retried with a linear wait. Verdict: 4xx retried (SE2001); linear growth is backoff.
    [Fact]
    public Task ConfigClient_LinearWait_RetriesClientErrors() => V2001.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public sealed class ConfigClient
        {
            private readonly int _retryCount = 3;
            private readonly int _retryDelaySeconds = 1;

            public AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>([|r => !r.IsSuccessStatusCode|])
                .Or<HttpRequestException>()
                .Or<TaskCanceledException>()
                .WaitAndRetryAsync(_retryCount, retryAttempt => TimeSpan.FromSeconds(_retryDelaySeconds * retryAttempt));
        }
        """,
        """
        using System.Net;
        using Polly;

        public sealed class ConfigClient
        {
            private readonly int _retryCount = 3;
            private readonly int _retryDelaySeconds = 1;

            public AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout)
                .Or<HttpRequestException>()
                .Or<TaskCanceledException>()
                .WaitAndRetryAsync(_retryCount, retryAttempt => TimeSpan.FromSeconds(_retryDelaySeconds * retryAttempt));
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    [Fact]
    public Task ConfigClient_LinearWait_IsBackoff() => V2002.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class ConfigClient
        {
            private readonly int _retryDelaySeconds = 1;

            public AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(_retryDelaySeconds * retryAttempt));
        }
        """);

    // (4) Non-HTTP work with a configured constant wait (a data seeder, a Google Sheets writer, an S3 bucket helper, a workflow
    // task completer). Verdict: not our business in the default scope — silent; with scope = all, the seeder is fixed keeping its base.
    [Fact]
    public Task NonHttpConstantWaits_SilentByDefault() => V2002.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class SeedOptions
        {
            public int? DelayInSeconds { get; set; }
        }

        public sealed class Jobs
        {
            private readonly SeedOptions? _seed = new SeedOptions();
            private readonly int _retries = 3;
            private readonly int _retryInSeconds = 2;

            public AsyncPolicy Seeder() => Policy.Handle<Exception>()
                .WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(_seed?.DelayInSeconds ?? 2));

            public Policy Bucket() => Policy.Handle<IOException>().Or<UnauthorizedAccessException>()
                .WaitAndRetry(_retries, retryAttempt => TimeSpan.FromSeconds(_retryInSeconds), (ex, time) => Console.WriteLine(time));

            public void Complete() => Policy.Handle<TimeoutException>()
                .WaitAndRetry(_retries, retryAttempt => TimeSpan.FromSeconds(_retryInSeconds))
                .Execute(() => Console.WriteLine("done"));
        }
        """);

    [Fact]
    public Task Seeder_ScopeAll_KeepsConfiguredBase()
    {
        var test = V2002.Create(
            """
            using Polly;

            public sealed class SeedOptions
            {
                public int? DelayInSeconds { get; set; }
            }

            public sealed class Seeder
            {
                private readonly SeedOptions? _seed = new SeedOptions();

                public AsyncPolicy Create() => Policy.Handle<Exception>()
                    .[|WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(_seed?.DelayInSeconds ?? 2))|];
            }
            """,
            """
            using Polly;

            public sealed class SeedOptions
            {
                public int? DelayInSeconds { get; set; }
            }

            public sealed class Seeder
            {
                private readonly SeedOptions? _seed = new SeedOptions();

                public AsyncPolicy Create() => Policy.Handle<Exception>()
                    .WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds((_seed?.DelayInSeconds ?? 2) * Math.Pow(2, retryAttempt)));
            }
            """);
        test.EditorConfig = "server_errors.SE2002.scope = all";
        return test.RunAsync();
    }

    // (5) A database migration runner with a configured base and exponential growth. Verdict: fine.
    [Fact]
    public Task Migration_ConfiguredBaseTimesPow_Silent() => V2002.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class Migrator
        {
            private readonly int _retryDelaySeconds = 2;

            public AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>.Handle<Exception>()
                .WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(_retryDelaySeconds * Math.Pow(2, retryAttempt)));
        }
        """);

    // (6) A rates client whose REST call goes through an interface of the application: the HTTP use is behind dynamic dispatch.
    // Verdict: constant wait, but not provably HTTP — silent in the default scope (deliberately uncovered).
    [Fact]
    public Task RatesClient_InterfaceCall_SilentByDefault() => V2002.VerifyAnalyzerAsync(
        """
        using Polly;

        public interface IRestClient
        {
            Task<HttpResponseMessage> Get(string url);
        }

        public sealed class Rates
        {
            private readonly IRestClient _restClient;
            private readonly int _retryIntervalInSeconds = 2;

            public Rates(IRestClient restClient) => _restClient = restClient;

            public Task<HttpResponseMessage> Daily() => Policy.Handle<Exception>()
                .WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(_retryIntervalInSeconds))
                .ExecuteAsync(() => _restClient.Get("daily"));
        }
        """);

    // (7) Polly v8 pipelines with exponential backoff handling HttpRequestException around code that does not throw it for 4xx
    // (a simulated unreliable service, an OpenAI SDK call, an LLM router): silent for SE2001 and SE2002.
    [Fact]
    public Task V8_ExponentialPipelines_Silent() => V2002.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Router
        {
            private readonly HttpClient _client = new HttpClient();
            private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    Delay = TimeSpan.FromMilliseconds(500),
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>(),
                })
                .Build();

            public ValueTask<HttpResponseMessage> Route() => _pipeline.ExecuteAsync(async token => await _client.GetAsync("primary", token));
        }
        """);

    [Fact]
    public Task V8_ExponentialPipelines_NoClientErrorRetry() => V2001.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Router
        {
            private readonly HttpClient _client = new HttpClient();
            private readonly ResiliencePipeline _pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TimeoutException>(),
                })
                .Build();

            public ValueTask<HttpResponseMessage> Route() => _pipeline.ExecuteAsync(async token => await _client.GetAsync("primary", token));
        }
        """);

    // (8) A named pipeline registered with AddResiliencePipeline and fetched by key elsewhere, and a pipeline returned by a factory
    // method (a Graph API helper): the execution is not visible where the pipeline is built. Verdict: silent (deliberately uncovered).
    [Fact]
    public Task V8_PipelineReturnedOrRegistered_Silent() => V2001.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Graph
        {
            public ResiliencePipeline CreateGraphApiPolicy() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>().Handle<TaskCanceledException>(),
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                })
                .Build();

            public async Task ExecuteWithRetryAsync(Func<Task> operation, ResiliencePipeline policy) => await policy.ExecuteAsync(async _ => await operation());
        }
        """);

    // (9) A decorator that retries an inner client through an exception predicate in a local and wraps the retry with a timeout; the
    // inner client is an interface. Verdict: no wait, but not provably HTTP — silent in the default scope.
    [Fact]
    public Task Decorator_LocalExceptionPredicate_Wrap_SilentByDefault() => V2002.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Timeout;

        public interface ISender
        {
            Task<string> Send(CancellationToken token);
        }

        public sealed class RetryingSender
        {
            private readonly ISender _inner;
            private readonly AsyncPolicy _policy;

            public RetryingSender(ISender inner)
            {
                _inner = inner;
                Func<Exception, bool> transient = e => e is TimeoutRejectedException || e is TaskCanceledException;
                var retry = Policy.Handle(transient).RetryAsync(2);
                var timeout = Policy.TimeoutAsync(TimeSpan.FromSeconds(5), TimeoutStrategy.Pessimistic);
                _policy = Policy.WrapAsync(retry, timeout);
            }

            public Task<string> Send(CancellationToken token) => _policy.ExecuteAsync(ct => _inner.Send(ct), token);
        }
        """);

    // (10) The same decorator around a concrete HttpClient helper: the wrap is executed around HTTP — flagged at the retry.
    [Fact]
    public Task Decorator_WrapAroundHttpHelper_Flagged() => V2002.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Timeout;

        public sealed class RetryingSender
        {
            private readonly HttpClient _client = new HttpClient();
            private readonly AsyncPolicy _policy;

            public RetryingSender()
            {
                Func<Exception, bool> transient = e => e is TimeoutRejectedException || e is TaskCanceledException;
                var retry = Policy.Handle(transient).[|RetryAsync(2)|];
                var timeout = Policy.TimeoutAsync(TimeSpan.FromSeconds(5), TimeoutStrategy.Pessimistic);
                _policy = Policy.WrapAsync(retry, timeout);
            }

            public Task<string> Send(CancellationToken token) => _policy.ExecuteAsync(ct => Fetch(ct), token);

            private Task<string> Fetch(CancellationToken token) => _client.GetStringAsync("data", token);
        }
        """,
        """
        using Polly;
        using Polly.Timeout;

        public sealed class RetryingSender
        {
            private readonly HttpClient _client = new HttpClient();
            private readonly AsyncPolicy _policy;

            public RetryingSender()
            {
                Func<Exception, bool> transient = e => e is TimeoutRejectedException || e is TaskCanceledException;
                var retry = Policy.Handle(transient).WaitAndRetryAsync(2, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                var timeout = Policy.TimeoutAsync(TimeSpan.FromSeconds(5), TimeoutStrategy.Pessimistic);
                _policy = Policy.WrapAsync(retry, timeout);
            }

            public Task<string> Send(CancellationToken token) => _policy.ExecuteAsync(ct => Fetch(ct), token);

            private Task<string> Fetch(CancellationToken token) => _client.GetStringAsync("data", token);
        }
        """);

    // (11) A throttling-aware client: HandleResult(isResponseThrottled) with a method-group sleep provider that sees the outcome,
    // wrapped with a circuit breaker. Verdict: the predicate method names 429 only (transient) — silent for SE2001.
    [Fact]
    public Task ThrottlingClient_MethodGroups_Silent() => V2001.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Polly;

        public sealed class Throttling
        {
            private readonly IAsyncPolicy<HttpResponseMessage> _policy;

            public Throttling()
            {
                var retry = Policy.HandleResult<HttpResponseMessage>(IsResponseThrottled)
                    .WaitAndRetryAsync(retryCount: 5, sleepDurationProvider: CalculateRetryTime, onRetryAsync: OnRetry);
                var breaker = Policy.HandleResult<HttpResponseMessage>(IsResponseThrottled).CircuitBreakerAsync(10, TimeSpan.FromMinutes(1));
                _policy = Policy.WrapAsync(retry, breaker);
            }

            private static bool IsResponseThrottled(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests;

            private static TimeSpan CalculateRetryTime(int attempt, DelegateResult<HttpResponseMessage> outcome, Context context)
                => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt));

            private static Task OnRetry(DelegateResult<HttpResponseMessage> outcome, TimeSpan wait, int attempt, Context context) => Task.CompletedTask;
        }
        """);
}
