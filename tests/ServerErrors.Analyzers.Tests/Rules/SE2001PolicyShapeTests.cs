using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryPredicateAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE2001 wherever the policy is built: predicates as method groups or stored lambdas, builders in locals, fields and helpers,
/// Polly v8 pipelines that handle HttpRequestException around code that throws it for every 4xx. Each shape is re-typed from a
/// public project; the comment gives the reviewer's verdict. Reported (and fixed) where the user writes the condition.
/// </summary>
public class SE2001PolicyShapeTests
{
    // A predicate method passed as a method group: reported in the method, narrowed there.
    [Fact]
    public Task MethodGroupPredicate_FlaggedInMethod() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public sealed class Classifier
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .OrResult(ShouldRetry)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            private static bool ShouldRetry(HttpResponseMessage response) => [|!response.IsSuccessStatusCode|];
        }
        """,
        """
        using System.Net;
        using Polly;

        public sealed class Classifier
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .OrResult(ShouldRetry)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            private static bool ShouldRetry(HttpResponseMessage response) => (int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.RequestTimeout;
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    // A block-bodied predicate method that names 503 and 429 (a text-classification service): transient only, silent.
    [Fact]
    public Task MethodGroupPredicate_TransientOnly_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Polly;

        public sealed class Classifier
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .OrResult(IsRetryableStatusCode)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            private bool IsRetryableStatusCode(HttpResponseMessage response)
            {
                return response.StatusCode == HttpStatusCode.ServiceUnavailable || response.StatusCode == HttpStatusCode.TooManyRequests || response.StatusCode == HttpStatusCode.GatewayTimeout;
            }
        }
        """);

    // A lambda in a static readonly field, used by two retries and a circuit breaker: one diagnostic, at the lambda.
    [Fact]
    public Task FieldLambdaPredicate_ReportedOnce() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            private static readonly Func<HttpResponseMessage, bool> IsFailure = [|r => r.StatusCode != HttpStatusCode.OK|];

            public static IAsyncPolicy<HttpResponseMessage> Retry() => Policy.HandleResult(IsFailure).RetryAsync(2);

            public static IAsyncPolicy<HttpResponseMessage> SlowRetry() => Policy.HandleResult(IsFailure).WaitAndRetryAsync(2, a => TimeSpan.FromSeconds(a));

            public static IAsyncPolicy<HttpResponseMessage> Breaker() => Policy.HandleResult(IsFailure).CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            private static readonly Func<HttpResponseMessage, bool> IsFailure = r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout;

            public static IAsyncPolicy<HttpResponseMessage> Retry() => Policy.HandleResult(IsFailure).RetryAsync(2);

            public static IAsyncPolicy<HttpResponseMessage> SlowRetry() => Policy.HandleResult(IsFailure).WaitAndRetryAsync(2, a => TimeSpan.FromSeconds(a));

            public static IAsyncPolicy<HttpResponseMessage> Breaker() => Policy.HandleResult(IsFailure).CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    // A predicate only a circuit breaker uses is not a retry: silent.
    [Fact]
    public Task FieldLambdaPredicate_OnlyCircuitBreaker_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public static class Policies
        {
            private static readonly Func<HttpResponseMessage, bool> IsFailure = r => !r.IsSuccessStatusCode;

            public static IAsyncPolicy<HttpResponseMessage> Breaker() => Policy.HandleResult(IsFailure).CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
        }
        """);

    // A predicate in a local delegate.
    [Fact]
    public Task LocalLambdaPredicate_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> Create()
            {
                Func<HttpResponseMessage, bool> retryable = [|r => r.StatusCode >= HttpStatusCode.BadRequest|];
                return Policy.HandleResult(retryable).WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> Create()
            {
                Func<HttpResponseMessage, bool> retryable = r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout;
                return Policy.HandleResult(retryable).WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
            }
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    // The builder in a local, the retry built from it later (a client that also builds a breaker from the same builder).
    [Fact]
    public Task BuilderInLocal_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> Create()
            {
                var failures = Policy.HandleResult<HttpResponseMessage>([|r => !r.IsSuccessStatusCode|]).Or<HttpRequestException>();
                var breaker = failures.CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
                var retry = failures.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
                return Policy.WrapAsync(retry, breaker);
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> Create()
            {
                var failures = Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout).Or<HttpRequestException>();
                var breaker = failures.CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
                var retry = failures.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
                return Policy.WrapAsync(retry, breaker);
            }
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    // The builder returned by a helper of the application and the policy registered elsewhere (AddPolicyHandler(GetRetryPolicy())).
    [Fact]
    public Task BuilderFromHelper_RegisteredElsewhere_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Startup
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("rates").AddPolicyHandler(GetRetryPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy() => Failures().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));

            private static PolicyBuilder<HttpResponseMessage> Failures() => Policy.HandleResult<HttpResponseMessage>([|r => r.StatusCode == HttpStatusCode.NotFound || (int)r.StatusCode >= 500|]);
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Startup
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("rates").AddPolicyHandler(GetRetryPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy() => Failures().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));

            private static PolicyBuilder<HttpResponseMessage> Failures() => Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout || (int)r.StatusCode >= 500);
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    // ---- Polly v8: ShouldHandle from a field or a method ----

    [Fact]
    public Task V8_ShouldHandleField_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Pipelines
        {
            private static readonly Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> _shouldHandle =
                [|args => ValueTask.FromResult(args.Outcome.Result is { IsSuccessStatusCode: false })|];

            public RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = _shouldHandle,
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Pipelines
        {
            private static readonly Func<RetryPredicateArguments<HttpResponseMessage>, ValueTask<bool>> _shouldHandle =
                args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout);

            public RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = _shouldHandle,
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """);

    // Reported at what the method returns; the condition inside ValueTask.FromResult is narrowed.
    [Fact]
    public Task V8_ShouldHandleMethodGroup_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Pipelines
        {
            public RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = ShouldRetry,
                BackoffType = DelayBackoffType.Exponential,
            };

            private static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
                => [|ValueTask.FromResult(args.Outcome.Result.StatusCode != HttpStatusCode.OK)|];
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Pipelines
        {
            public RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = ShouldRetry,
                BackoffType = DelayBackoffType.Exponential,
            };

            private static ValueTask<bool> ShouldRetry(RetryPredicateArguments<HttpResponseMessage> args)
                => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout);
        }
        """);

    // ---- HttpRequestException around code that throws it for every 4xx ----

    // Polly v7 around GetFromJsonAsync (a GitHub search client): GetFromJsonAsync throws for 404 and 422 too.
    [Fact]
    public Task V7_GetFromJsonAsync_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net.Http.Json;
        using Polly;

        public sealed record SearchResult(int Total);

        public sealed class SearchClient
        {
            private readonly HttpClient _client = new HttpClient();

            public async Task<SearchResult?> Search(string query)
            {
                var retry = Policy.[|Handle<HttpRequestException>()|].WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
                return await retry.ExecuteAsync(() => _client.GetFromJsonAsync<SearchResult>("search?q=" + query));
            }
        }
        """,
        """
        using System.Net;
        using System.Net.Http.Json;
        using Polly;

        public sealed record SearchResult(int Total);

        public sealed class SearchClient
        {
            private readonly HttpClient _client = new HttpClient();

            public async Task<SearchResult?> Search(string query)
            {
                var retry = Policy.Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout).WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
                return await retry.ExecuteAsync(() => _client.GetFromJsonAsync<SearchResult>("search?q=" + query));
            }
        }
        """);

    // Polly v7 around a helper of the application that calls EnsureSuccessStatusCode().
    [Fact]
    public Task V7_HelperEnsuresSuccess_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class Reports
        {
            private readonly HttpClient _client = new HttpClient();

            public Task Send(string body) => Policy.{|SE2001:Handle<HttpRequestException>()|}.Or<TaskCanceledException>()
                .WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)))
                .ExecuteAsync(() => Post(body));

            private async Task Post(string body)
            {
                using var content = new StringContent(body);
                var response = await _client.PostAsync("reports", content);
                response.EnsureSuccessStatusCode();
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public sealed class Reports
        {
            private readonly HttpClient _client = new HttpClient();

            public Task Send(string body) => Policy.Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout).Or<TaskCanceledException>()
                .WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)))
                .ExecuteAsync(() => Post(body));

            private async Task Post(string body)
            {
                using var content = new StringContent(body);
                var response = await _client.PostAsync("reports", content);
                response.EnsureSuccessStatusCode();
            }
        }
        """);

    // Polly v8, a static pipeline field (a WhatsApp notification provider): the callback ensures success.
    [Fact]
    public Task V8_PredicateBuilderHandle_PipelineField_EnsureSuccess_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Notifier
        {
            private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = new PredicateBuilder().[|Handle<HttpRequestException>()|],
                })
                .Build();

            private readonly HttpClient _client = new HttpClient();

            public async Task Send(string text)
            {
                await Pipeline.ExecuteAsync(async token =>
                {
                    using var content = new StringContent(text);
                    var response = await _client.PostAsync("messages", content, token);
                    response.EnsureSuccessStatusCode();
                });
            }
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Notifier
        {
            private static readonly ResiliencePipeline Pipeline = new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    MaxRetryAttempts = 3,
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout),
                })
                .Build();

            private readonly HttpClient _client = new HttpClient();

            public async Task Send(string text)
            {
                await Pipeline.ExecuteAsync(async token =>
                {
                    using var content = new StringContent(text);
                    var response = await _client.PostAsync("messages", content, token);
                    response.EnsureSuccessStatusCode();
                });
            }
        }
        """);

    // Polly v8, the pipeline built in the constructor (a report agent), the callback calls GetStringAsync.
    [Fact]
    public Task V8_PipelineBuiltInConstructor_GetStringAsync_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Agent
        {
            private readonly HttpClient _client = new HttpClient();
            private readonly ResiliencePipeline _retryPipeline;

            public Agent()
            {
                _retryPipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions
                    {
                        MaxRetryAttempts = 3,
                        Delay = TimeSpan.FromSeconds(2),
                        BackoffType = DelayBackoffType.Exponential,
                        ShouldHandle = new PredicateBuilder().{|SE2001:Handle<HttpRequestException>()|}.Handle<TaskCanceledException>(),
                    })
                    .Build();
            }

            public ValueTask<string> Config() => _retryPipeline.ExecuteAsync(async token => await _client.GetStringAsync("config", token));
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Agent
        {
            private readonly HttpClient _client = new HttpClient();
            private readonly ResiliencePipeline _retryPipeline;

            public Agent()
            {
                _retryPipeline = new ResiliencePipelineBuilder()
                    .AddRetry(new RetryStrategyOptions
                    {
                        MaxRetryAttempts = 3,
                        Delay = TimeSpan.FromSeconds(2),
                        BackoffType = DelayBackoffType.Exponential,
                        ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout).Handle<TaskCanceledException>(),
                    })
                    .Build();
            }

            public ValueTask<string> Config() => _retryPipeline.ExecuteAsync(async token => await _client.GetStringAsync("config", token));
        }
        """);

    // Every HttpClient helper that throws for 4xx makes Handle<HttpRequestException>() retry client errors.
    [Theory]
    [InlineData("await _client.GetStringAsync(\"a\", token)")]
    [InlineData("await _client.GetByteArrayAsync(\"a\", token)")]
    [InlineData("await _client.GetStreamAsync(\"a\", token)")]
    [InlineData("await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<string>(_client, \"a\", token)")]
    [InlineData("(await _client.GetAsync(\"a\", token)).EnsureSuccessStatusCode()")]
    public Task V8_ThrowingCallbacks_Flagged(string call) => Verify.VerifyCodeFixAsync(
        $$"""
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<object?> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, ShouldHandle = new PredicateBuilder().[|Handle<HttpRequestException>()|] })
                .Build()
                .ExecuteAsync<object?>(async token => {{call}});
        }
        """,
        $$"""
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<object?> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout) })
                .Build()
                .ExecuteAsync<object?>(async token => {{call}});
        }
        """);

    // ShouldHandle written as a lambda over the outcome's exception: the same retry of every 4xx the callback throws for.
    [Theory]
    [InlineData("await _client.GetStringAsync(\"a\", token)")]
    [InlineData("await _client.GetByteArrayAsync(\"a\", token)")]
    [InlineData("(await _client.GetAsync(\"a\", token)).EnsureSuccessStatusCode()")]
    public Task V8_ExceptionLambda_ThrowingCallbacks_FixedWithStatusFilter(string call) => Verify.VerifyCodeFixAsync(
        $$"""
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<object?> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = [|args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException)|],
                })
                .Build()
                .ExecuteAsync<object?>(async token => {{call}});
        }
        """,
        $$"""
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<object?> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException e && (e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout)),
                })
                .Build()
                .ExecuteAsync<object?>(async token => {{call}});
        }
        """);

    [Fact]
    public Task V8_ExceptionLambda_OrPattern_HttpAlternativeFiltered() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<string> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = [|args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException or TimeoutException)|],
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("a", token));
        }
        """,
        """
        using System;
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<string> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult((args.Outcome.Exception is HttpRequestException e && (e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout)) || args.Outcome.Exception is TimeoutException),
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("a", token));
        }
        """);

    [Fact]
    public Task V8_ExceptionLambda_OrOfTypeTests_HttpTestFiltered() => Verify.VerifyCodeFixAsync(
        """
        using System;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<string> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = [|args => new ValueTask<bool>(args.Outcome.Exception is TimeoutException || args.Outcome.Exception is HttpRequestException)|],
                    BackoffType = DelayBackoffType.Exponential,
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("a", token));
        }
        """,
        """
        using System;
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<string> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = args => new ValueTask<bool>(args.Outcome.Exception is TimeoutException || (args.Outcome.Exception is HttpRequestException e && (e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout))),
                    BackoffType = DelayBackoffType.Exponential,
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("a", token));
        }
        """);

    [Fact]
    public Task V8_ExceptionLambda_PredicateResultConditional_HttpTestFiltered() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<byte[]> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = [|args => args.Outcome.Exception is HttpRequestException ? PredicateResult.True() : PredicateResult.False()|],
                    BackoffType = DelayBackoffType.Exponential,
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetByteArrayAsync("a", token));
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Client
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<byte[]> Run() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    ShouldHandle = args => args.Outcome.Exception is HttpRequestException e && (e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout) ? PredicateResult.True() : PredicateResult.False(),
                    BackoffType = DelayBackoffType.Exponential,
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetByteArrayAsync("a", token));
        }
        """);

    // Near misses of the lambda form: a status filter already, a callback that does not throw for 4xx, one that catches the
    // exception itself, an exception test that is not HttpRequestException.
    [Fact]
    public Task V8_ExceptionLambda_NearMisses_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System;
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Clients
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<string> A() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException e && (e.StatusCode is null || (int)e.StatusCode >= 500)),
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("a", token));

            public ValueTask<HttpResponseMessage> B() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException),
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetAsync("b", token));

            public ValueTask<string?> C() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is HttpRequestException),
                })
                .Build()
                .ExecuteAsync(async token =>
                {
                    try
                    {
                        return await _client.GetStringAsync("c", token);
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                });

            public ValueTask<string> D() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions
                {
                    BackoffType = DelayBackoffType.Exponential,
                    ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is TimeoutException),
                })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("d", token));
        }
        """);

    // The near misses: a transient filter, a callback that does not throw for 4xx, one that catches the exception itself,
    // a pipeline that is never executed here.
    [Fact]
    public Task V8_HttpRequestException_NearMisses_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public sealed class Clients
        {
            private readonly HttpClient _client = new HttpClient();

            public ValueTask<string> A() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500) })
                .Build()
                .ExecuteAsync(async token => await _client.GetStringAsync("a", token));

            public ValueTask<HttpResponseMessage> B() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>() })
                .Build()
                .ExecuteAsync(async token => await _client.GetAsync("b", token));

            public ValueTask<string?> C() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>() })
                .Build()
                .ExecuteAsync(async token =>
                {
                    try
                    {
                        return await _client.GetStringAsync("c", token);
                    }
                    catch (HttpRequestException)
                    {
                        return null;
                    }
                });

            public ResiliencePipeline D() => new ResiliencePipelineBuilder()
                .AddRetry(new RetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>() })
                .Build();
        }
        """);

    // ---- a single retry after refreshing the token on 401 ----

    // The reviewer's verdict: deliberate. The resent request carries a new token; silent.
    [Fact]
    public Task CredentialRefresh_Silent() => Verify.VerifyAnalyzerAsync(
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

    // Retrying 401 several times, or without refreshing anything, is the same request failing again: flagged.
    [Fact]
    public Task RepeatedUnauthorizedRetry_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public sealed class TokenClient
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>([|r => r.StatusCode == HttpStatusCode.Unauthorized|])
                .RetryAsync(3, onRetryAsync: async (outcome, attempt) => await RefreshToken());

            private Task RefreshToken() => Task.CompletedTask;
        }
        """,
        """
        using System.Net;
        using Polly;

        public sealed class TokenClient
        {
            public IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout)
                .RetryAsync(3, onRetryAsync: async (outcome, attempt) => await RefreshToken());

            private Task RefreshToken() => Task.CompletedTask;
        }
        """,
        RetryStubs.MicrosoftExtensionsHttpPolly);

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            using Polly;
            using Polly.Retry;

            public sealed class Broken
            {
                private static readonly Func<HttpResponseMessage, bool> IsFailure = r => r.;
                public object A() => Policy.HandleResult(IsFailure).WaitAndRetryAsync(3, );
                public object B() => Policy.HandleResult<HttpResponseMessage>(Missing).RetryAsync(1);
                public object C() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions { ShouldHandle = new PredicateBuilder().Handle<HttpRequestException>( }).Build().ExecuteAsync(async t => await );
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }
}
