using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE1004 (429 without Retry-After) and SE1005 (Retry-After format) on rate-limiter shapes found in public repositories
/// (re-typed, not copied), each with the verdict a senior reviewer would give.
/// </summary>
public class SE1004FieldShapeTests
{
    private static Task Missing(string source) => new AnalyzerTest<RetryAfterMissingAnalyzer> { TestCode = source }.RunAsync();

    private static Task Format(string source) => new AnalyzerTest<RetryAfterFormatAnalyzer> { TestCode = source }.RunAsync();

    // An e-commerce API: status first, header when the lease knows the delay, JSON body. Verdict: SE1004 silent.
    private const string StatusThenConditionalHeader = """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, cancellationToken) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = {|SE1005:retryAfter.TotalSeconds.ToString()|};
                }

                await context.HttpContext.Response.WriteAsJsonAsync(new { error = "TooManyRequests" }, cancellationToken);
            };
        });
        builder.Build().Run();
        """;

    [Fact]
    public Task StatusThenConditionalHeader_NoSE1004() => Missing(StatusThenConditionalHeader.Replace("{|SE1005:", string.Empty).Replace("ToString()|}", "ToString()"));

    // …and the value is a double as text ("12.5"): a reviewer asks for whole seconds. Verdict: SE1005, fixed.
    [Fact]
    public Task StatusThenConditionalHeader_DoubleSecondsFixed() => new CodeFixTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        TestCode = StatusThenConditionalHeader.Replace("{|SE1005:", "[|").Replace("ToString()|}", "ToString()|]"),
        FixedCode = StatusThenConditionalHeader
            .Replace("using System.Threading.RateLimiting;", "using System.Globalization;\nusing System.Threading.RateLimiting;")
            .Replace("{|SE1005:retryAfter.TotalSeconds.ToString()|}", "Math.Max(0, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture)"),
    }.RunAsync();

    // A rate-limiting library's sample: header in an embedded `if`, then the status. Verdict: SE1004 silent (the
    // documented pattern), SE1005 flagged (a double as text).
    [Fact]
    public Task EmbeddedConditionalHeaderThenStatus_OnlySE1005() => Format(
        """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = [|retryAfter.TotalSeconds.ToString()|];

                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                context.HttpContext.Response.ContentType = "application/json";
                await context.HttpContext.Response.WriteAsJsonAsync(new { message = "slow down" }, cancellationToken);
            };
        });
        builder.Build().Run();
        """);

    [Fact]
    public Task EmbeddedConditionalHeaderThenStatus_NoSE1004() => Missing(
        """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    context.HttpContext.Response.Headers.RetryAfter = retryAfter.TotalSeconds.ToString();

                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await context.HttpContext.Response.WriteAsJsonAsync(new { message = "slow down" }, cancellationToken);
            };
        });
        builder.Build().Run();
        """);

    // A Spanish-language API: the lease's delay or a minute, formatted "F0". Verdict: both rules silent (whole seconds).
    [Fact]
    public Task DelayOrDefaultFormattedF0_Silent() => Format(
        """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.StatusCode = 429;
                var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var metadata) ? metadata : TimeSpan.FromMinutes(1);
                context.HttpContext.Response.Headers.RetryAfter = retryAfter.TotalSeconds.ToString("F0");
                await context.HttpContext.Response.WriteAsync($"Try again in {retryAfter.TotalSeconds:F0} seconds.", token);
            };
        });
        builder.Build().Run();
        """);

    // An API with `out TimeSpan retryAfter` and the invariant culture: still a double as text. Verdict: SE1005.
    [Fact]
    public Task InvariantCultureDouble_SE1005() => Format(
        """
        using System.Globalization;
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, token) =>
            {
                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = [|retryAfter.TotalSeconds.ToString(CultureInfo.InvariantCulture)|];
                }

                await context.HttpContext.Response.WriteAsync("Rate limit exceeded", token);
            };
        });
        builder.Build().Run();
        """);

    // A tab-indented library extension: synchronous OnRejected returning `new ValueTask()`. Verdict: SE1004 silent.
    [Fact]
    public Task SynchronousHandlerReturningValueTask_NoSE1004() => Missing(
        """
        using System.Threading.RateLimiting;
        using Microsoft.AspNetCore.RateLimiting;

        public static class Limits
        {
            public static void Configure(RateLimiterOptions rlOptions)
            {
                rlOptions.OnRejected = (context, cancellationToken) =>
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString();
                    }

                    context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    _ = context.HttpContext.Response.WriteAsync("Too many requests. Please try again later.", cancellationToken);
                    return new ValueTask();
                };
            }
        }
        """);

    // A JWT-protected API: a strict policy whose OnRejected answers 429 with a text body and no header.
    // Verdict: SE1004; the fix copies the lease's delay (never a constant in place of what the limiter knows).
    [Fact]
    public Task OnRejectedWithoutHeader_FixedWithLeaseDelay() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(options =>
            {
                options.OnRejected = async (context, token) =>
                {
                    {|SE1004:context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests|};
                    await context.HttpContext.Response.WriteAsync("Too many requests. Please try again later.", token);
                };
            });
            builder.Build().Run();
            """,
        FixedCode = """
            using System.Globalization;
            using System.Threading.RateLimiting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(options =>
            {
                options.OnRejected = async (context, token) =>
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        context.HttpContext.Response.Headers.RetryAfter = "30";
                    }

                    context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    await context.HttpContext.Response.WriteAsync("Too many requests. Please try again later.", token);
                };
            });
            builder.Build().Run();
            """,
    }.RunAsync();

    // A course platform: `RejectionStatusCode = 429` and an OnRejected that sets the status and a JSON body.
    // Verdict: both flagged; one copy of the delay goes into the existing handler (no second OnRejected).
    [Fact]
    public Task RejectionStatusAndHandlerWithoutHeader_OneCopyInTheHandler() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(options =>
            {
                {|SE1004:options.RejectionStatusCode = 429|};

                options.OnRejected = async (context, token) =>
                {
                    context.HttpContext.Response.ContentType = "application/json";
                    {|SE1004:context.HttpContext.Response.StatusCode = 429|};
                    await context.HttpContext.Response.WriteAsJsonAsync(new { success = false }, token);
                };
            });
            builder.Build().Run();
            """,
        FixedCode = """
            using System.Globalization;
            using System.Threading.RateLimiting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(options =>
            {
                options.RejectionStatusCode = 429;

                options.OnRejected = async (context, token) =>
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        context.HttpContext.Response.Headers.RetryAfter = "30";
                    }

                    context.HttpContext.Response.ContentType = "application/json";
                    context.HttpContext.Response.StatusCode = 429;
                    await context.HttpContext.Response.WriteAsJsonAsync(new { success = false }, token);
                };
            });
            builder.Build().Run();
            """,
    }.RunAsync();

    // A Portuguese-language API: status, then the delay only in the body. Verdict: SE1004 (the body is not a header).
    [Fact]
    public Task DelayOnlyInTheBody_SE1004() => Missing(
        """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, token) =>
            {
                {|SE1004:context.HttpContext.Response.StatusCode = 429|};
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    await context.HttpContext.Response.WriteAsync($"Too many requests. Try again in {retryAfter.TotalMinutes} minute(s).", token);
                }
            };
        });
        builder.Build().Run();
        """);
}
