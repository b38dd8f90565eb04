using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryAfterIgnoredAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryAfterIgnoredCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE2003PolicyTests
{
    [Fact]
    public Task V8_Names503_AddsDelayGenerator()
    {
        var test = Verify.Create(
            """
            using System.Net;
            using Polly;
            using Polly.Retry;

            public static class Pipelines
            {
                public static RetryStrategyOptions<HttpResponseMessage> Create() => [|new RetryStrategyOptions<HttpResponseMessage>|]
                {
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(r => r.StatusCode == HttpStatusCode.ServiceUnavailable),
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
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>().HandleResult(r => r.StatusCode == HttpStatusCode.ServiceUnavailable),
                    BackoffType = DelayBackoffType.Exponential,
                    DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
                };
            }
            """);
        test.ExpectedMessages = new() { "This retry handles 503 Service Unavailable but never reads the Retry-After header" };
        return test.RunAsync();
    }

    [Fact]
    public Task V8_Names429InLambda_TopLevelArgs_UsesFreeName() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        var options = [|new RetryStrategyOptions<HttpResponseMessage>|] { ShouldHandle = a => ValueTask.FromResult((int)a.Outcome.Result!.StatusCode == 429) };
        Console.WriteLine(options);
        """,
        """
        using Polly;
        using Polly.Retry;

        var options = new RetryStrategyOptions<HttpResponseMessage> { ShouldHandle = a => ValueTask.FromResult((int)a.Outcome.Result!.StatusCode == 429), DelayGenerator = args1 => ValueTask.FromResult(args1.Outcome.Result?.Headers.RetryAfter?.Delta) };
        Console.WriteLine(options);
        """);

    [Fact]
    public Task V7_Names429_SwitchesToOutcomeSleepProvider() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                .[|WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))|];
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                .WaitAndRetryAsync(3, (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)), (result, delay, retryCount, retryContext) => Task.CompletedTask);
        }
        """);

    [Fact]
    public Task V7_CSharp7_3_WithoutTasksImport_NamesTheCallbackAndAddsTheUsing()
    {
        // A netstandard2.0 library: C# 7.3, no implicit usings. Discards `(_, _, _, _)` would be CS8370 here.
        var test = Verify.Create(
            """
            using System;
            using System.Net;
            using System.Net.Http;
            using Polly;

            public static class Policies
            {
                public static IAsyncPolicy<HttpResponseMessage> Create()
                {
                    return Policy
                        .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                        .[|WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))|];
                }
            }
            """,
            """
            using System;
            using System.Net;
            using System.Net.Http;
            using System.Threading.Tasks;
            using Polly;

            public static class Policies
            {
                public static IAsyncPolicy<HttpResponseMessage> Create()
                {
                    return Policy
                        .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                        .WaitAndRetryAsync(3, (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)), (result, delay, retryCount, retryContext) => Task.CompletedTask);
                }
            }
            """,
            Stubs.RetryStubs.PollyExtensionsHttp);
        test.LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3;
        test.WebImplicitUsings = false;
        return test.RunAsync();
    }

    [Fact]
    public Task V7_HandleResultOrResult429_DiagnosticGoneAfterTheFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                .[|WaitAndRetryAsync(3, retryAttempt => TimeSpan.FromSeconds(Math.Pow(2, retryAttempt)))|];
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                .WaitAndRetryAsync(3, (retryAttempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, retryAttempt)), (result, delay, retryCount, retryContext) => Task.CompletedTask);
        }
        """);

    [Fact]
    public Task V7_Sync_OrResult429_DiscardedAttempt_DiagnosticGoneAfterTheFix() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static ISyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                .[|WaitAndRetry(3, _ => TimeSpan.FromSeconds(2))|];
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static ISyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                .OrResult(r => r.StatusCode == HttpStatusCode.TooManyRequests)
                .WaitAndRetry(3, (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(2), (result, delay, retryCount, retryContext) => { });
        }
        """);

    [Fact]
    public Task HttpRetryStrategyOptions_ShouldRetryAfterHeaderFalse_Flagged_FixTurnsItBackOn() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static HttpRetryStrategyOptions Create() => new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                [|ShouldRetryAfterHeader = false|],
            };

            public static HttpRetryStrategyOptions Later()
            {
                var options = new HttpRetryStrategyOptions();
                [|options.ShouldRetryAfterHeader = false|];
                return options;
            }
        }
        """,
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static HttpRetryStrategyOptions Create() => new HttpRetryStrategyOptions
            {
                MaxRetryAttempts = 4,
                ShouldRetryAfterHeader = true,
            };

            public static HttpRetryStrategyOptions Later()
            {
                var options = new HttpRetryStrategyOptions();
                options.ShouldRetryAfterHeader = true;
                return options;
            }
        }
        """);

    [Fact]
    public Task HttpRetryStrategyOptions_RetryAfterStillHonoredOrNotNamed_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net;
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static HttpRetryStrategyOptions A() => new HttpRetryStrategyOptions { ShouldRetryAfterHeader = true };
            public static HttpRetryStrategyOptions B(bool honor) => new HttpRetryStrategyOptions { ShouldRetryAfterHeader = honor };
            public static HttpRetryStrategyOptions C() => new HttpRetryStrategyOptions
            {
                ShouldRetryAfterHeader = false,
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
            };
            public static HttpRetryStrategyOptions D() => new HttpRetryStrategyOptions
            {
                ShouldRetryAfterHeader = false,
                ShouldHandle = args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500),
            };
        }
        """);

    [Fact]
    public Task GenericConditions_Silent() => Verify.VerifyAnalyzerAsync(
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
            public static IAsyncPolicy<HttpResponseMessage> C() => Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                .WaitAndRetryAsync(3, (i, outcome, ctx) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(i), (_, _, _, _) => Task.CompletedTask);
            public static HttpRetryStrategyOptions D() => new() { ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.ServiceUnavailable) };
            public static RetryStrategyOptions<HttpResponseMessage> E() => new()
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.ServiceUnavailable),
                DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
            };
            public static RetryStrategyOptions<HttpResponseMessage> F() => new()
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode != HttpStatusCode.ServiceUnavailable && (int)args.Outcome.Result!.StatusCode >= 500),
            };
        }
        """);

    [Fact]
    public Task IncompleteCode_DoesNotThrow()
    {
        var test = Verify.Create(
            """
            using Polly;

            public static class Policies
            {
                public static object A() => Policy.HandleResult<HttpResponseMessage>(r => (int)r.StatusCode == 503).WaitAndRetryAsync(3, );
            }
            """);
        test.AllowCompilerErrors = true;
        return test.RunAsync();
    }
}
