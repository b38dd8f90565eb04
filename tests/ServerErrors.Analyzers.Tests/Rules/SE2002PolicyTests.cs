using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryBackoffAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryBackoffCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2002PolicyTests
{
    // ---- Polly v7 ----

    [Fact]
    public Task V7_RetryAsync_BecomesWaitAndRetryAsync() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .[|RetryAsync(3)|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    [Fact]
    public Task V7_Retry_WithOnRetry_KeepsCallback() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>()
                .[|Retry(4, (ex, count) => Console.WriteLine($"{count}: {ex.Message}"))|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>()
                .WaitAndRetry(4, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)), (ex, delay, count, context) => Console.WriteLine($"{count}: {ex.Message}"));
        }
        """);

    [Fact]
    public Task V7_RetryWithoutCount_UsesOne() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>().[|Retry()|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>().WaitAndRetry(1, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    [Fact]
    public Task V7_ConstantSleepProvider_BecomesExponential() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .[|WaitAndRetryAsync(5, _ => TimeSpan.FromSeconds(2), (outcome, delay) => Console.WriteLine(delay))|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(5, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)), (outcome, delay) => Console.WriteLine(delay));
        }
        """);

    [Fact]
    public Task V7_ConstantSchedule_BecomesExponential() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>()
                .[|WaitAndRetry(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1) })|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>()
                .WaitAndRetry(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    [Fact]
    public Task V7_ConstantBackoff_BecomesExponential() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Contrib.WaitAndRetry;

        public static class Policies
        {
            public static AsyncPolicy Create() => Policy.Handle<HttpRequestException>()
                .[|WaitAndRetryAsync(Backoff.ConstantBackoff(TimeSpan.FromMilliseconds(500), retryCount: 4))|];
        }
        """,
        """
        using Polly;
        using Polly.Contrib.WaitAndRetry;

        public static class Policies
        {
            public static AsyncPolicy Create() => Policy.Handle<HttpRequestException>()
                .WaitAndRetryAsync(4, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    [Fact]
    public Task V7_TransientHttpErrorPolicy_ConstantWait() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddTransientHttpErrorPolicy(p => p.[|WaitAndRetryAsync(3, _ => TimeSpan.FromMilliseconds(300))|]);
            }
        }
        """,
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt))));
            }
        }
        """);

    [Fact]
    public Task V7_Growing_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Contrib.WaitAndRetry;

        public static class Policies
        {
            public static Policy A() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            public static Policy B() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, attempt => TimeSpan.FromSeconds(attempt));
            public static Policy C() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, attempt => TimeSpan.FromMilliseconds(100 << attempt));
            public static Policy D() => Policy.Handle<HttpRequestException>().WaitAndRetry(Backoff.ExponentialBackoff(TimeSpan.FromSeconds(1), 5));
            public static Policy E() => Policy.Handle<HttpRequestException>().WaitAndRetry(Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromSeconds(1), 5));
            public static Policy F() => Policy.Handle<HttpRequestException>().WaitAndRetry(Backoff.LinearBackoff(TimeSpan.FromSeconds(1), 5));
            public static Policy G() => Policy.Handle<HttpRequestException>().WaitAndRetry(new[] { TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4) });
            public static Policy H(Func<int, TimeSpan> schedule) => Policy.Handle<HttpRequestException>().WaitAndRetry(3, schedule);
        }
        """);

    [Fact]
    public Task V7_NotHttp_SilentByDefault() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<TimeoutException>().Retry(3);
            public static void Run() => Policy.Handle<IOException>().WaitAndRetry(3, _ => TimeSpan.FromSeconds(1)).Execute(() => File.ReadAllText("x"));
        }
        """);

    [Fact]
    public Task V7_DelegateCallsHttpClient_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Calls
        {
            public static async Task<string> Run(HttpClient client)
            {
                var policy = Policy.Handle<TimeoutException>().[|RetryAsync(2)|];
                return await policy.ExecuteAsync(() => client.GetStringAsync("https://example.com"));
            }
        }
        """,
        """
        using Polly;

        public static class Calls
        {
            public static async Task<string> Run(HttpClient client)
            {
                var policy = Policy.Handle<TimeoutException>().WaitAndRetryAsync(2, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                return await policy.ExecuteAsync(() => client.GetStringAsync("https://example.com"));
            }
        }
        """);

    [Fact]
    public Task Option_ScopeAll_FlagsNonHttpRetries()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<TimeoutException>().[|Retry(3)|];
            }
            """,
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<TimeoutException>().WaitAndRetry(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """);
        test.EditorConfig = "server_errors.SE2002.scope = all";
        return test.RunAsync();
    }

    [Fact]
    public Task Option_InvalidScope_ReportsSE0001AndKeepsHttpScope() => new AnalyzerTest<ServerErrors.Analyzers.Client.RetryBackoffAnalyzer>
    {
        TestCode = """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => {|SE0001:Policy.Handle<TimeoutException>().Retry(3)|};
            }
            """,
        References = TestReferences.AspNetCore.AddRange(TestReferences.Polly),
        EditorConfig = "server_errors.SE2002.scope = everything",
        ExpectedMessages = new() { "Option 'server_errors.SE2002.scope' has the invalid value 'everything'; http is used instead" },
    }.RunAsync();

    // ---- Polly v8 ----

    [Fact]
    public Task V8_DefaultConstantBackoff_AddsExponentialAndJitter() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline<HttpResponseMessage> Create() => new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry([|new RetryStrategyOptions<HttpResponseMessage>|]
                {
                    MaxRetryAttempts = 4,
                })
                .Build();
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline<HttpResponseMessage> Create() => new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = 4,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true
                })
                .Build();
        }
        """);

    [Fact]
    public Task V8_ExplicitConstant_BecomesExponential() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                [|BackoffType = DelayBackoffType.Constant|],
                Delay = TimeSpan.FromSeconds(1),
            };
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = TimeSpan.FromSeconds(1),
            };
        }
        """);

    [Fact]
    public Task V8_ZeroDelay_BecomesNonZero() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                BackoffType = DelayBackoffType.Exponential,
                [|Delay = TimeSpan.Zero|],
            };
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static RetryStrategyOptions<HttpResponseMessage> Create() => new RetryStrategyOptions<HttpResponseMessage>
            {
                BackoffType = DelayBackoffType.Exponential,
                Delay = TimeSpan.FromSeconds(2),
            };
        }
        """);

    [Fact]
    public Task V8_PropertyByProperty() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline<HttpResponseMessage> Create()
            {
                var options = new RetryStrategyOptions<HttpResponseMessage>();
                options.MaxRetryAttempts = 2;
                [|options.BackoffType = DelayBackoffType.Constant|];
                return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(options).Build();
            }
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline<HttpResponseMessage> Create()
            {
                var options = new RetryStrategyOptions<HttpResponseMessage>();
                options.MaxRetryAttempts = 2;
                options.BackoffType = DelayBackoffType.Exponential;
                options.UseJitter = true;
                return new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(options).Build();
            }
        }
        """);

    [Fact]
    public Task Resilience_StandardHandler_ConstantBackoff() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o => [|o.Retry.BackoffType = DelayBackoffType.Constant|]);
            }
        }
        """,
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o => o.Retry.BackoffType = DelayBackoffType.Exponential);
            }
        }
        """);

    [Fact]
    public Task Resilience_Defaults_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;
        using Polly.Retry;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("a").AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 5);
                services.AddHttpClient("b").AddResilienceHandler("retry", b => b.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 4 }));
                services.AddHttpClient("c").AddResilienceHandler("retry", b => b.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    BackoffType = DelayBackoffType.Linear,
                }));
                services.AddHttpClient("d").AddResilienceHandler("retry", b => b.AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    DelayGenerator = args => ValueTask.FromResult<TimeSpan?>(TimeSpan.FromSeconds(args.AttemptNumber)),
                }));
            }
        }
        """);

    [Fact]
    public Task Resilience_HttpOptionsExplicitConstant_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("b").AddResilienceHandler("retry", b => b.AddRetry(new HttpRetryStrategyOptions { [|BackoffType = DelayBackoffType.Constant|] }));
            }
        }
        """,
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("b").AddResilienceHandler("retry", b => b.AddRetry(new HttpRetryStrategyOptions { BackoffType = DelayBackoffType.Exponential, UseJitter = true }));
            }
        }
        """);

    [Fact]
    public Task V8_NonGenericOptions_SilentByDefault() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline Create() => new ResiliencePipelineBuilder().AddRetry(new RetryStrategyOptions()).Build();
        }
        """);

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            using Polly;
            using Polly.Retry;

            public static class Pipelines
            {
                public static object A() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, _ => );
                public static object B() => new RetryStrategyOptions<HttpResponseMessage> { BackoffType = , Delay = };
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }
}
