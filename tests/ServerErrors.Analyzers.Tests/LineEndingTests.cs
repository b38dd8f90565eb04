using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Client;
using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// Fixes that insert lines write the file's own end of line, on LF and on CRLF files alike (the verifier fails on a
/// mixed file); the host default (CRLF on Windows, LF elsewhere) must not leak in.
/// </summary>
public class LineEndingTests
{
    public static TheoryData<string> LineEndings() => new() { "\n", "\r\n" };

    [Theory]
    [MemberData(nameof(LineEndings))]
    public Task SE1001_InsertedLogLine(string eol) => new CodeFixTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        LineEnding = eol,
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> _logger;

                public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        return StatusCode(500, [|ex.Message|]);
                    }
                }
            }
            """,
        FixedCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> _logger;

                public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex)
                    {
                        _logger.LogError(ex, "Unhandled exception");
                        return StatusCode(500, "An unexpected error occurred.");
                    }
                }
            }
            """,
    }.RunAsync();

    [Theory]
    [MemberData(nameof(LineEndings))]
    public Task SE2001_InsertedUsingAndCondition(string eol)
    {
        var test = PolicyVerifier<RetryPredicateAnalyzer, RetryPredicateCodeFix>.Create(
            """
            using Polly;

            public static class Policies
            {
                public static IAsyncPolicy<HttpResponseMessage> Create() => Policy
                    .HandleResult<HttpResponseMessage>([|r => !r.IsSuccessStatusCode|])
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,
            """
            using System.Net;
            using Polly;

            public static class Policies
            {
                public static IAsyncPolicy<HttpResponseMessage> Create() => Policy
                    .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 || r.StatusCode == HttpStatusCode.RequestTimeout)
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
            }
            """,
            RetryStubs.MicrosoftExtensionsHttpResilience);
        test.LineEnding = eol;
        return test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(LineEndings))]
    public Task SE2004_InsertedCounterAndGiveUp(string eol)
    {
        var test = LoopVerifier<UnboundedRetryAnalyzer, UnboundedRetryCodeFix>.Create(
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    [|while|] (true)
                    {
                        var response = await client.GetAsync(url);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }
            """,
            """
            public class Api
            {
                public async Task<HttpResponseMessage> Get(HttpClient client, string url)
                {
                    var attempt = 0;
                    while (true)
                    {
                        var response = await client.GetAsync(url);
                        if ((int)response.StatusCode < 500)
                        {
                            return response;
                        }

                        if (++attempt >= 3)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(1));
                    }
                }
            }
            """);
        test.LineEnding = eol;
        return test.RunAsync();
    }

    [Theory]
    [MemberData(nameof(LineEndings))]
    public Task SE1003_InsertedHeaderLine(string eol) => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        LineEnding = eol,
        TestCode = """
            public class Middleware
            {
                public async Task Invoke(HttpContext context)
                {
                    [|context.Response.StatusCode = 503|];
                    await context.Response.WriteAsync("busy");
                }
            }
            """,
        FixedCode = """
            public class Middleware
            {
                public async Task Invoke(HttpContext context)
                {
                    context.Response.Headers.RetryAfter = "30";
                    context.Response.StatusCode = 503;
                    await context.Response.WriteAsync("busy");
                }
            }
            """,
    }.RunAsync();
}
