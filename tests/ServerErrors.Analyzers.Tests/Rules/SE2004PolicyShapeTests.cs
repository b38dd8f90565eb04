using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.UnboundedRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.UnboundedRetryCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>SE2004 on real shapes: reconnect policies of long-lived connections are deliberate; HTTP retries forever are not.</summary>
public class SE2004PolicyShapeTests
{
    // An event-bus connection (RabbitMQ-style) that must come back, with its own capped backoff: deliberate, silent.
    [Fact]
    public Task ReconnectPolicy_GrowingBackoff_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Net.Sockets;
        using Polly;

        public sealed class BusConnection
        {
            public void Connect() => Policy.Handle<SocketException>().Or<TimeoutException>()
                .WaitAndRetryForever(attempt => TimeSpan.FromSeconds(Math.Min(Math.Pow(2, attempt), 60)), (ex, wait) => Console.WriteLine(wait))
                .Execute(() => Open());

            private void Open()
            {
            }
        }
        """);

    // The same connection retried forever at a constant pace has no backoff of its own: flagged.
    [Fact]
    public Task ReconnectPolicy_ConstantWait_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using System.Net.Sockets;
        using Polly;

        public sealed class Consumer
        {
            private readonly int _retrySeconds = 5;

            public void Consume() => Policy.Handle<SocketException>()
                .[|WaitAndRetryForever(retryAttempt => TimeSpan.FromSeconds(_retrySeconds))|]
                .Execute(() => Open());

            private void Open()
            {
            }
        }
        """,
        """
        using System.Net.Sockets;
        using Polly;

        public sealed class Consumer
        {
            private readonly int _retrySeconds = 5;

            public void Consume() => Policy.Handle<SocketException>()
                .WaitAndRetry(3, retryAttempt => TimeSpan.FromSeconds(_retrySeconds))
                .Execute(() => Open());

            private void Open()
            {
            }
        }
        """);

    // A growing wait around HTTP is still an HTTP retry that never gives up: flagged.
    [Fact]
    public Task HttpForever_GrowingBackoff_Flagged() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public sealed class Poller
        {
            private readonly HttpClient _client = new HttpClient();

            public Task<string> Get() => Policy.Handle<TaskCanceledException>()
                .[|WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))|]
                .ExecuteAsync(() => _client.GetStringAsync("status"));
        }
        """,
        """
        using Polly;

        public sealed class Poller
        {
            private readonly HttpClient _client = new HttpClient();

            public Task<string> Get() => Policy.Handle<TaskCanceledException>()
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))
                .ExecuteAsync(() => _client.GetStringAsync("status"));
        }
        """);
}
