using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.RetryAfterIgnoredAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.RetryAfterIgnoredCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>SE2003 wherever the policy is built: a predicate method that names 429, a builder kept in a local.</summary>
public class SE2003PolicyShapeTests
{
    // A throttling client: the predicate method names 429 and the provider never sees the response.
    [Fact]
    public Task MethodGroupPredicateNames429_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public sealed class Throttled
        {
            public AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(IsThrottled)
                .[|WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))|];

            private static bool IsThrottled(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests;
        }
        """,
        """
        using System.Net;
        using Polly;

        public sealed class Throttled
        {
            public AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(IsThrottled)
                .WaitAndRetryAsync(3, (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)), (result, delay, retryCount, retryContext) => Task.CompletedTask);

            private static bool IsThrottled(HttpResponseMessage response) => response.StatusCode == HttpStatusCode.TooManyRequests;
        }
        """);

    // The builder in a local: the retry built from it still names 503.
    [Fact]
    public Task BuilderInLocalNames503_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create()
            {
                var unavailable = Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
                return unavailable.[|WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))|];
            }
        }
        """,
        """
        using System.Net;
        using Polly;

        public static class Policies
        {
            public static AsyncPolicy<HttpResponseMessage> Create()
            {
                var unavailable = Policy.HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable);
                return unavailable.WaitAndRetryAsync(3, (attempt, outcome, context) => outcome.Result?.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(Math.Pow(2, attempt)), (result, delay, retryCount, retryContext) => Task.CompletedTask);
            }
        }
        """);

    // A predicate method with only generic conditions: silent.
    [Fact]
    public Task MethodGroupPredicateGeneric_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using Polly;

        public sealed class Generic
        {
            public AsyncPolicy<HttpResponseMessage> Create() => Policy
                .HandleResult<HttpResponseMessage>(IsServerError)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            private static bool IsServerError(HttpResponseMessage response) => (int)response.StatusCode >= 500;
        }
        """);
}
