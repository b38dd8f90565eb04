using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.UnboundedRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.UnboundedRetryCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2004PolicyTests
{
    [Fact]
    public Task RetryForever_BecomesRetry() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>().[|RetryForever()|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>().Retry(3);
        }
        """);

    [Fact]
    public Task RetryForeverAsync_WithOnRetry_KeepsCallback() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy Create() => Policy.Handle<HttpRequestException>().[|RetryForeverAsync(ex => Console.WriteLine(ex.Message))|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy Create() => Policy.Handle<HttpRequestException>().RetryAsync(3, (ex, _) => Console.WriteLine(ex.Message));
        }
        """);

    [Fact]
    public Task WaitAndRetryForeverAsync_KeepsSleepProvider() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .[|WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
        }
        """);

    [Fact]
    public Task WaitAndRetryForever_WithOnRetry_KeepsBoth() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>()
                .[|WaitAndRetryForever(attempt => TimeSpan.FromSeconds(attempt), (ex, delay) => Console.WriteLine(delay))|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static Policy Create() => Policy.Handle<HttpRequestException>()
                .WaitAndRetry(3, attempt => TimeSpan.FromSeconds(attempt), (ex, delay) => Console.WriteLine(delay));
        }
        """);

    [Fact]
    public Task TransientHttpErrorPolicy_Forever() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api")
                    .AddTransientHttpErrorPolicy(p => p.[|WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(attempt))|]);
            }
        }
        """,
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt)));
            }
        }
        """);

    [Fact]
    public Task V8_MaxRetryAttemptsIntMax() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Pipelines
        {
            public static ResiliencePipeline<HttpResponseMessage> Create() => new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    BackoffType = DelayBackoffType.Exponential,
                    [|MaxRetryAttempts = int.MaxValue|],
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
                    BackoffType = DelayBackoffType.Exponential,
                    MaxRetryAttempts = 3,
                })
                .Build();
        }
        """);

    [Fact]
    public Task StandardResilienceHandler_MaxRetryAttemptsIntMax() => Verify.VerifyCodeFixAsync(
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o => [|o.Retry.MaxRetryAttempts = int.MaxValue|]);
            }
        }
        """,
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("api").AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 3);
            }
        }
        """);

    [Fact]
    public Task Option_MaxRetryAttempts_UsedByFix()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().[|RetryForever()|];
            }
            """,
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().Retry(5);
            }
            """);
        test.EditorConfig = "server_errors.max_retry_attempts = 5";
        return test.RunAsync();
    }

    [Fact]
    public Task Option_InvalidMaxRetryAttempts_ReportsSE0001AndFallsBackToDefault()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().{|SE0001:[|RetryForever()|]|};
            }
            """,
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().Retry(3);
            }
            """);
        test.EditorConfig = "server_errors.max_retry_attempts = lots";
        test.ExpectedMessages = new()
        {
            "Option 'server_errors.max_retry_attempts' has the invalid value 'lots'; 3 is used instead",
            "'RetryForever' retries without limit; bound the number of attempts",
        };
        return test.RunAsync();
    }

    [Fact]
    public Task Message_NamesTheMethod()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().[|RetryForever()|];
            }
            """,
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().Retry(3);
            }
            """);
        test.ExpectedMessages = new() { "'RetryForever' retries without limit; bound the number of attempts" };
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_FixesEveryForeverPolicy() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Policies
        {
            public static Policy A() => Policy.Handle<HttpRequestException>().[|RetryForever()|];
            public static AsyncPolicy B() => Policy.Handle<TimeoutException>().[|RetryForeverAsync()|];
            public static Policy C() => Policy.Handle<HttpRequestException>().[|WaitAndRetryForever(i => TimeSpan.FromSeconds(i))|];
        }
        """,
        """
        using Polly;

        public static class Policies
        {
            public static Policy A() => Policy.Handle<HttpRequestException>().Retry(3);
            public static AsyncPolicy B() => Policy.Handle<TimeoutException>().RetryAsync(3);
            public static Policy C() => Policy.Handle<HttpRequestException>().WaitAndRetry(3, i => TimeSpan.FromSeconds(i));
        }
        """);

    // ---- near misses ----

    [Fact]
    public Task BoundedRetries_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;
        using Polly.Retry;

        public static class Policies
        {
            public static Policy A() => Policy.Handle<HttpRequestException>().Retry(3);
            public static AsyncPolicy B() => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(5, i => TimeSpan.FromSeconds(i));
            public static RetryStrategyOptions C() => new RetryStrategyOptions { MaxRetryAttempts = 10 };
            public static RetryStrategyOptions D() => new RetryStrategyOptions { MaxRetryAttempts = int.MaxValue - 1 };
        }
        """);

    [Fact]
    public Task OtherForeverMethods_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public static class Other
        {
            public static void RetryForever() { }
            public static void Run() => RetryForever();
        }
        """);

    [Fact]
    public Task NoPollyReference_Silent()
    {
        var test = new AnalyzerTest<ServerErrors.Analyzers.Client.UnboundedRetryAnalyzer>
        {
            TestCode = """
                public static class Policy
                {
                    public static void RetryForever() { }
                    public static void Run() => RetryForever();
                }
                """,
        };
        return test.RunAsync();
    }

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static Policy Create() => Policy.Handle<HttpRequestException>().[|RetryForever(
            |]}
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }
}
