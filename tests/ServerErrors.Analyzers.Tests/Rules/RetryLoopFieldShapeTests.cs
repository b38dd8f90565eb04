using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// Retry loops as public repositories write them, re-typed in our own words (names and details changed, the shape kept),
/// each with the verdict a senior reviewer gives. <c>[|…|]</c> marks the loop keyword; the listed rules must report there,
/// the other loop rules must stay silent. The docs pages (SE2001–SE2004, "Retry loops in real code") list these shapes.
/// </summary>
public class RetryLoopFieldShapeTests
{
    // shendongnian/code (a Stack Overflow answer): a DelegatingHandler that resends until the response is a success, no wait.
    // Reviewer: retries every 4xx (SE2001) and hammers the server (SE2002); bounded by the count.
    [Fact]
    public Task HandlerResendsUntilSuccess_NoWait() => SE200xLoopTests.Rules(
        """
        public class ResendHandler : DelegatingHandler
        {
            private readonly int _retries;

            public ResendHandler(HttpMessageHandler inner, int retries) : base(inner) => _retries = retries;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? response = null;
                [|for|] (int i = 0; i <= _retries; i++)
                {
                    response = await base.SendAsync(request, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                }

                return response!;
            }
        }
        """,
        "SE2001", "SE2002");

    // MGabala/WebAPI-ASP.NET: the same handler with the bound in a readonly field and the previous response disposed.
    // Reviewer: SE2001 + SE2002.
    [Fact]
    public Task HandlerResendsUntilSuccess_DisposesFailures() => SE200xLoopTests.Rules(
        """
        public class RetryPolicyHandler : DelegatingHandler
        {
            private readonly int _maxAttempts = 3;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? result = null;
                [|for|] (var n = 0; n < _maxAttempts; n++)
                {
                    result = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    if (result.IsSuccessStatusCode)
                    {
                        return result;
                    }

                    result.Dispose();
                }

                return result!;
            }
        }
        """,
        "SE2001", "SE2002");

    // Corona-Studio/ProjBobcat: a handler that retries socket errors immediately (the check is a helper), returns any status.
    // Reviewer: no 4xx retried; 20 immediate retries on network errors (SE2002); bounded.
    [Fact]
    public Task HandlerRetriesNetworkErrorsImmediately() => SE200xLoopTests.Rules(
        """
        using System.Net.Sockets;

        public class NetworkRetryHandler : DelegatingHandler
        {
            private readonly int _max = 20;

            private static bool IsSocketFailure(Exception e)
            {
                for (var current = e; current is not null; current = current.InnerException)
                {
                    if (current is SocketException)
                    {
                        return true;
                    }
                }

                return false;
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage? response = null;
                [|for|] (var i = 0; i < _max; i++)
                {
                    try
                    {
                        response = await base.SendAsync(request, cancellationToken);
                    }
                    catch (Exception e)
                    {
                        if (IsSocketFailure(e))
                        {
                            continue;
                        }

                        throw;
                    }

                    return response;
                }

                return response ?? new HttpResponseMessage(System.Net.HttpStatusCode.BadGateway);
            }
        }
        """,
        "SE2002");

    // loresoft/FluentRest (test helper, after the ASP.NET Core docs): catch HttpRequestException, rethrow on the last attempt,
    // otherwise wait a fixed 50 ms. Reviewer: constant wait (SE2002); statuses are returned, not retried.
    [Fact]
    public Task HandlerFixedShortPause_RethrowOnLast() => SE200xLoopTests.Rules(
        """
        public class RetryHandler : DelegatingHandler
        {
            public int RetryCount { get; set; } = 5;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                [|for|] (var i = 0; i < RetryCount; i++)
                {
                    try
                    {
                        return await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
                    }
                    catch (HttpRequestException) when (i == RetryCount - 1)
                    {
                        throw;
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(50));
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """,
        "SE2002");

    // RichardLauYoung/CoinKOL: the same docs handler with the pause passed the token and the bound as a constant.
    // Reviewer: SE2002.
    [Fact]
    public Task HandlerFixedPauseWithToken() => SE200xLoopTests.Rules(
        """
        public class RetryHandler : DelegatingHandler
        {
            private const int Attempts = 5;

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var i = 0;
                [|while|] (i < Attempts)
                {
                    i++;
                    try
                    {
                        return await base.SendAsync(request, cancellationToken);
                    }
                    catch (HttpRequestException) when (i < Attempts)
                    {
                        await Task.Delay(50, cancellationToken);
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """,
        "SE2002");

    // huanlin/async-book-support: GetStringAsync in a try, every exception swallowed, a linearly growing pause.
    // Reviewer: GetStringAsync throws for 404 too, and the loop retries it (SE2001); linear growth is backoff; bounded.
    [Fact]
    public Task GetStringSwallowAll_LinearPause() => SE200xLoopTests.Rules(
        """
        public static class Downloader
        {
            public static async Task<string> Page(HttpClient client, string url)
            {
                const int Tries = 3;
                [|for|] (int i = 0; i < Tries; i++)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine($"attempt {i + 1} failed: {e.Message}");
                    }

                    await Task.Delay(TimeSpan.FromSeconds(i + 1));
                }

                return await client.GetStringAsync(url);
            }
        }
        """,
        "SE2001");

    // shendongnian/code (another answer): GetAsync returned as is, exceptions retried after a constant pause until the last try.
    // Reviewer: constant wait (SE2002); statuses are returned to the caller.
    [Fact]
    public Task GetAsync_ExceptionFilterOnCount_ConstantPause() => SE200xLoopTests.Rules(
        """
        public static class Fetch
        {
            private const int Tries = 3;
            private const int PauseMs = 1000;

            public static async Task<HttpResponseMessage> FromUrl(HttpClient client, string url)
            {
                [|for|] (int i = 1; i <= Tries; ++i)
                {
                    try
                    {
                        return await client.GetAsync(url);
                    }
                    catch (Exception) when (i < Tries)
                    {
                        await Task.Delay(PauseMs);
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """,
        "SE2002");

    // NuGet/NuGet.Client (HttpRetryHandler): a request factory, a constant RetryDelay, retries >= 500 and exceptions — but the
    // send happens inside a lambda handed to a timeout helper. Reviewer: a real retry with a constant wait; the analyzer cannot
    // see the send through the lambda and stays silent (documented as not covered).
    [Fact]
    public Task SendInsideTimeoutLambda_NotCovered() => SE200xLoopTests.Rules(
        """
        public static class Timeouts
        {
            public static Task<T> Run<T>(Func<CancellationToken, Task<T>> work, CancellationToken ct) => work(ct);
        }

        public class NuGetLikeRetry
        {
            public async Task<HttpResponseMessage?> Send(HttpClient client, Func<HttpRequestMessage> factory, int maxTries, TimeSpan retryDelay, CancellationToken ct)
            {
                var tries = 0;
                HttpResponseMessage? response = null;
                var success = false;
                while (tries < maxTries && !success)
                {
                    if (tries > 0)
                    {
                        await Task.Delay(retryDelay, ct);
                    }

                    tries++;
                    success = true;
                    using var message = factory();
                    try
                    {
                        response?.Dispose();
                        response = await Timeouts.Run(t => client.SendAsync(message, t), ct);
                        if ((int)response.StatusCode >= 500)
                        {
                            success = false;
                        }
                    }
                    catch (Exception) when (tries < maxTries)
                    {
                        success = false;
                    }
                }

                return response;
            }
        }
        """);

    // adrianojlt/csharping: a load loop that sends the same URL a thousand times and sleeps longer on 429.
    // Reviewer: not a retry (it never stops on success); silent is right.
    [Fact]
    public Task LoadLoop_NotARetry() => SE200xLoopTests.Rules(
        """
        using System.Net;

        public static class Load
        {
            public static async Task Run(HttpClient client, string url)
            {
                for (int i = 0; i < 1000; i++)
                {
                    var result = await client.GetAsync(url);
                    Console.WriteLine(result.StatusCode);
                    Thread.Sleep(1000);
                    if (result.StatusCode == HttpStatusCode.TooManyRequests)
                    {
                        Thread.Sleep(32000);
                    }
                }
            }
        }
        """);

    // Jaxelr/linqpad-snippets: a generic Retry(times, delay, Action) with a doubling factor. Reviewer: not HTTP; the loop rules
    // only look at loops that send with HttpClient — silent.
    [Fact]
    public Task GenericActionRetry_NotHttp() => SE200xLoopTests.Rules(
        """
        public static class Retrier
        {
            public static void Retry(int times, TimeSpan delay, Action action)
            {
                var retries = 0;
                var factor = 1;
                do
                {
                    try
                    {
                        retries++;
                        action();
                        break;
                    }
                    catch
                    {
                        if (retries >= times)
                        {
                            throw;
                        }

                        Task.Delay(delay * factor).Wait();
                        factor += factor;
                    }
                }
                while (true);
            }
        }
        """);

    // MariaMam/Microservices-System-Constructor: `goto retry` around a Func<Task>, with an exponential helper object.
    // Reviewer: a retry, but written with goto around an arbitrary delegate — not a loop statement, not covered; silent.
    [Fact]
    public Task GotoRetry_NotCovered() => SE200xLoopTests.Rules(
        """
        public sealed class Backoff
        {
            private int _ms = 200;

            public Task Delay() { var wait = _ms; _ms = Math.Min(_ms * 2, 2000); return Task.Delay(wait); }
        }

        public sealed class RetryWithBackoff
        {
            public async Task Run(Func<Task> func)
            {
                var backoff = new Backoff();
            retry:
                try
                {
                    await func();
                }
                catch (HttpRequestException)
                {
                    await backoff.Delay();
                    goto retry;
                }
            }
        }
        """);

    // Jackett/Jackett: a recursive retry of GetStringAsync (an extension method calling itself with --retries).
    // Reviewer: retries 4xx by recursion without a wait; recursion is not a loop — not covered, silent.
    [Fact]
    public Task RecursiveRetry_NotCovered() => SE200xLoopTests.Rules(
        """
        public static class ClientExtensions
        {
            public static async Task<string> GetStringAsync(this HttpClient client, string uri, int retries)
            {
                Exception? failure;
                try
                {
                    return await client.GetStringAsync(uri);
                }
                catch (Exception ex)
                {
                    failure = ex;
                }

                if (retries > 0)
                {
                    return await client.GetStringAsync(uri, --retries);
                }

                throw failure;
            }
        }
        """);

    // 7702244/MAOToolkit: a handler that resends once on 429 after waiting for Retry-After (Date or Delta).
    // Reviewer: correct; the SE2003 single-resend check stays silent because the header is read.
    [Fact]
    public Task SingleResendHonoursRetryAfter() => SE200xLoopTests.Rules(
        """
        using System.Net;

        public class TooManyRequestsHandler : DelegatingHandler
        {
            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                var response = await base.SendAsync(request, cancellationToken);
                if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter is not null)
                {
                    var wait = response.Headers.RetryAfter.Delta
                        ?? (response.Headers.RetryAfter.Date.HasValue ? response.Headers.RetryAfter.Date.Value - DateTimeOffset.UtcNow : TimeSpan.Zero);
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, cancellationToken);
                    }

                    response = await base.SendAsync(request, cancellationToken);
                }

                return response;
            }
        }
        """);

    // dotnet docs' "basic retry handler" in its synchronous form (copied by many repositories, e.g. the FluentRest one above
    // before it was made async): `return base.SendAsync(…)` without await and `Task.Delay(…)` without await. Reviewer: it does
    // not retry at all (the exception lives in the returned task); flagging a wait would mislead. Silent.
    [Fact]
    public Task DocsSyncHandler_DoesNotActuallyRetry() => SE200xLoopTests.Rules(
        """
        public class RetryHandler : DelegatingHandler
        {
            public int RetryCount { get; set; } = 5;

            protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                for (var i = 0; i < RetryCount; i++)
                {
                    try
                    {
                        return base.SendAsync(request, cancellationToken);
                    }
                    catch (HttpRequestException) when (i == RetryCount - 1)
                    {
                        throw;
                    }
                    catch (HttpRequestException)
                    {
                        Task.Delay(TimeSpan.FromMilliseconds(50));
                    }
                }

                throw new InvalidOperationException("unreachable");
            }
        }
        """);

    // NuGet/NuGet.Client, shape 2 of the same handler family: a Func<HttpRequestMessage> factory resent until < 500, a constant
    // pause, exceptions retried. Reviewer: a retry of one request (the factory builds the same message) with a constant wait: SE2002.
    [Fact]
    public Task FactoryDelegate_ConstantPause() => SE200xLoopTests.Rules(
        """
        public class FactoryRetry
        {
            public async Task<HttpResponseMessage?> Send(HttpClient client, Func<HttpRequestMessage> requestFactory, int maxTries, TimeSpan retryDelay, CancellationToken ct)
            {
                HttpResponseMessage? response = null;
                [|for|] (var tries = 1; tries <= maxTries; tries++)
                {
                    try
                    {
                        response = await client.SendAsync(requestFactory(), ct);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }
                    }
                    catch (HttpRequestException) when (tries < maxTries)
                    {
                    }

                    await Task.Delay(retryDelay, ct);
                }

                return response;
            }
        }
        """,
        "SE2002");

    // dotnet/crank (AzureDevOpsWorker): the docs handler again, an internal class with a const bound, nullable off.
    // Reviewer: a 404 from Azure DevOps is sent three times in a row (SE2001), without a pause (SE2002).
    [Fact]
    public Task InternalHandler_ConstBound_NoWait() => SE200xLoopTests.Rules(
        """
        #nullable disable
        internal class WorkerRetryHandler : DelegatingHandler
        {
            private const int MaxRetries = 3;

            public WorkerRetryHandler(HttpMessageHandler innerHandler) : base(innerHandler)
            {
            }

            protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
            {
                HttpResponseMessage response = null;
                [|for|] (int i = 0; i < MaxRetries; i++)
                {
                    response = await base.SendAsync(request, cancellationToken);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }
                }

                return response;
            }
        }
        """,
        "SE2001", "SE2002");
}
