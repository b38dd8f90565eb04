using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryPredicateAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryPredicateCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2001PolicyTests
{
    private const string InlineKey = "SE2001.TransientStatusesOnly";

    [Theory]
    [InlineData("r => !r.IsSuccessStatusCode")]
    [InlineData("r => r.StatusCode != HttpStatusCode.OK")]
    [InlineData("r => (int)r.StatusCode >= 400")]
    [InlineData("r => r.StatusCode >= HttpStatusCode.BadRequest")]
    [InlineData("r => r.StatusCode == HttpStatusCode.NotFound")]
    [InlineData("r => r.StatusCode == HttpStatusCode.Unauthorized || r.StatusCode == HttpStatusCode.Forbidden")]
    [InlineData("r => r.StatusCode == HttpStatusCode.Conflict")]
    [InlineData("r => r is { IsSuccessStatusCode: false }")]
    [InlineData("r => r.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.ServiceUnavailable")]
    [InlineData("r => r.IsSuccessStatusCode == false")]
    public Task V7_HandleResult_Flagged(string predicate)
    {
        var test = Verify.Create(
            $$"""
            using System.Net;
            using Polly;

            public static class Policies
            {
                public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                    .HandleResult<HttpResponseMessage>([|{{predicate}}|])
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,
            """
            using System.Net;
            using Polly;

            public static class Policies
            {
                public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                    .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout)
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,
            RetryStubs.MicrosoftExtensionsHttpPolly);
        return test.RunAsync();
    }

    [Fact]
    public Task V7_OrResult_KeepsTransientClauses()
    {
        var test = Verify.Create(
            """
            using System.Net;
            using Polly;

            public static class Policies
            {
                public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                    .Handle<TimeoutException>()
                    .OrResult([|r => r.StatusCode == HttpStatusCode.NotFound || r.StatusCode == HttpStatusCode.BadGateway|])
                    .RetryAsync(3);
            }
            """,
            """
            using System.Net;
            using Polly;

            public static class Policies
            {
                public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                    .Handle<TimeoutException>()
                    .OrResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout || r.StatusCode == HttpStatusCode.BadGateway)
                    .RetryAsync(3);
            }
            """,
            RetryStubs.MicrosoftExtensionsHttpPolly);
        return test.RunAsync();
    }

    [Fact]
    public Task V7_HandleTransientHttpError_WhenReferenced() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>([|r => !r.IsSuccessStatusCode|])
                .Or<HttpRequestException>()
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """,
        """
        using Polly;
        using Polly.Extensions.Http;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => HttpPolicyExtensions.HandleTransientHttpError()
                .Or<HttpRequestException>()
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    [Fact]
    public Task V7_InlineVariant_AddsSystemNetImport()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .OrResult([|r => !r.IsSuccessStatusCode|])
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));
            }
            """,
            """
            using System.Net;
            using Polly;

            public static class Policies
            {
                public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .OrResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout)
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));
            }
            """);
        test.CodeActionEquivalenceKey = InlineKey;
        return test.RunAsync();
    }

    [Fact]
    public Task V7_EnsureSuccessStatusCode_FiltersException() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Calls
        {
            public static async Task<string> Run(HttpClient client)
            {
                var policy = Policy.[|Handle<HttpRequestException>()|].WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                return await policy.ExecuteAsync(async () =>
                {
                    var response = await client.GetAsync("https://example.com");
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync();
                });
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Calls
        {
            public static async Task<string> Run(HttpClient client)
            {
                var policy = Policy.Handle<HttpRequestException>(e => e.StatusCode is null || (int)e.StatusCode >= 500 || e.StatusCode == HttpStatusCode.RequestTimeout).WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                return await policy.ExecuteAsync(async () =>
                {
                    var response = await client.GetAsync("https://example.com");
                    response.EnsureSuccessStatusCode();
                    return await response.Content.ReadAsStringAsync();
                });
            }
        }
        """);

    [Fact]
    public Task V8_ShouldHandleLambda_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = [|args => ValueTask.FromResult(args.Outcome.Result != null && !args.Outcome.Result.IsSuccessStatusCode)|],
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout),
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """);

    [Fact]
    public Task V8_PredicateBuilder_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult([|r => r.StatusCode >= HttpStatusCode.BadRequest|]),
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                    .Handle<HttpRequestException>()
                    .HandleResult(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout),
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """);

    [Fact]
    public Task V8_SwitchExpression_FixedByNarrowingArms() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = [|args => args.Outcome switch
                {
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    { Result.StatusCode: HttpStatusCode.NotFound } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                }|],
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => args.Outcome switch
                {
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                },
                BackoffType = DelayBackoffType.Exponential,
            };
        }
        """);

    [Fact]
    public Task V8_SwitchExpression_StatusListArm_KeepsTransientStatusesOnly() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = [|args => args.Outcome switch
                {
                    { Result.StatusCode: HttpStatusCode.NotFound or HttpStatusCode.ServiceUnavailable } => PredicateResult.True(),
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                }|],
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => args.Outcome switch
                {
                    { Result.StatusCode: HttpStatusCode.NotFound or HttpStatusCode.ServiceUnavailable } when (int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout => PredicateResult.True(),
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                },
            };
        }
        """);

    [Fact]
    public Task V8_SwitchExpression_RelationalStatusArm_GuardedToTransient() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = [|args => args.Outcome switch
                {
                    { Result.StatusCode: >= HttpStatusCode.BadRequest } => PredicateResult.True(),
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                }|],
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => args.Outcome switch
                {
                    { Result.StatusCode: >= HttpStatusCode.BadRequest } when (int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout => PredicateResult.True(),
                    { Exception: HttpRequestException } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                },
            };
        }
        """);

    [Fact]
    public Task V8_SwitchExpression_SuccessFlagArm_GuardedToTransient() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = [|args => args.Outcome switch
                {
                    { Result.IsSuccessStatusCode: false } => PredicateResult.True(),
                    _ => PredicateResult.False(),
                }|],
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => args.Outcome switch
                {
                    { Result.IsSuccessStatusCode: false } when (int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout => PredicateResult.True(),
                    _ => PredicateResult.False(),
                },
            };
        }
        """);

    [Fact]
    public Task V8_SwitchExpression_CatchAllRetry_GuardedAndClosedWithNoRetry() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = [|args => args.Outcome switch
                {
                    { Result.IsSuccessStatusCode: true } => PredicateResult.False(),
                    _ => PredicateResult.True(),
                }|],
            };
        }
        """,
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => args.Outcome switch
                {
                    { Result.IsSuccessStatusCode: true } => PredicateResult.False(),
                    _ when args.Outcome.Exception != null || (int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout => PredicateResult.True(),
                    _ => PredicateResult.False(),
                },
            };
        }
        """);

    [Fact]
    public Task Resilience_ShouldHandleOverride_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o =>
                    o.Retry.ShouldHandle = [|args => ValueTask.FromResult(args.Outcome.Result is { IsSuccessStatusCode: false })|]);
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o =>
                    o.Retry.ShouldHandle = args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout));
            }
        }
        """);

    [Fact]
    public Task Resilience_ShouldHandle_ConditionalAccessSuccessFlag_FixedNullSafely() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o =>
                    o.Retry.ShouldHandle = [|args => ValueTask.FromResult(args.Outcome.Result?.IsSuccessStatusCode == false)|]);
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o =>
                    o.Retry.ShouldHandle = args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500 || args.Outcome.Result?.StatusCode == HttpStatusCode.RequestTimeout));
            }
        }
        """);

    // ---- near misses ----

    [Fact]
    public Task TransientConditions_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Microsoft.Extensions.Http.Resilience;
        using Polly;
        using Polly.Extensions.Http;
        using Polly.Retry;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> A() => HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
            public static IAsyncPolicy<HttpResponseMessage> B() => Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500).WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
            public static IAsyncPolicy<HttpResponseMessage> C() => Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.RequestTimeout || r.StatusCode == HttpStatusCode.TooManyRequests).WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
            public static IAsyncPolicy<HttpResponseMessage> D() => HttpPolicyExtensions.HandleTransientHttpError().OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests).WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
            public static IAsyncPolicy<HttpResponseMessage> E(Func<HttpResponseMessage, bool> custom) => Policy.HandleResult(custom).WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
            public static IAsyncPolicy<HttpResponseMessage> F() => Policy.HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode).CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
            public static RetryStrategyOptions<HttpResponseMessage> G() => new() { ShouldHandle = args => ValueTask.FromResult(HttpClientResiliencePredicates.IsTransient(args.Outcome)) };
            public static RetryStrategyOptions<HttpResponseMessage> H() => new() { ShouldHandle = new PredicateBuilder<HttpResponseMessage>().Handle<HttpRequestException>().HandleResult(r => r.StatusCode >= HttpStatusCode.InternalServerError) };
        }
        """);

    [Fact]
    public Task HttpRequestException_WithoutEnsureSuccess_OrFiltered_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public static class Calls
        {
            public static async Task<HttpResponseMessage> A(HttpClient client)
            {
                var policy = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
                return await policy.ExecuteAsync(() => client.GetAsync("https://example.com"));
            }

            public static async Task B(HttpClient client)
            {
                var policy = Policy.Handle<HttpRequestException>(e => e.StatusCode >= System.Net.HttpStatusCode.InternalServerError)
                    .WaitAndRetryAsync(3, i => TimeSpan.FromSeconds(i));
                await policy.ExecuteAsync(async () => (await client.GetAsync("https://example.com")).EnsureSuccessStatusCode());
            }
        }
        """);

    [Fact]
    public Task NoPollyReference_Silent() => new AnalyzerTest<ServerErrors.Analyzers.Client.RetryPredicateAnalyzer>
    {
        TestCode = """
            public static class Policy
            {
                public static bool HandleResult(Func<HttpResponseMessage, bool> predicate) => predicate(new HttpResponseMessage());
                public static bool Run() => HandleResult(r => !r.IsSuccessStatusCode);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static object A() => Policy.HandleResult<HttpResponseMessage>(r => r.).WaitAndRetryAsync(3, );
                public static object B() => new Polly.Retry.RetryStrategyOptions<HttpResponseMessage> { ShouldHandle = args => };
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }
}
