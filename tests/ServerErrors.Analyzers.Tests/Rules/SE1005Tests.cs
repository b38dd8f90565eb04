using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Verifiers.Verifier<
    ServerErrors.Analyzers.Server.RetryAfterFormatAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Server.RetryAfterFormatCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE1005Tests
{
    [Fact]
    public Task ConstantWithUnit_BecomesSeconds() => new CodeFixTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        TestCode = """
            public class Middleware
            {
                public void A(HttpContext context) => context.Response.Headers.RetryAfter = [|"5 minutes"|];
                public void B(HttpContext context) => context.Response.Headers["Retry-After"] = [|"2h"|];
                public void C(HttpContext context) => context.Response.Headers.Append("Retry-After", [|"1.5"|]);
                public void D(HttpContext context) => context.Response.Headers.Add(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter, [|"30s"|]);
            }
            """,
        FixedCode = """
            public class Middleware
            {
                public void A(HttpContext context) => context.Response.Headers.RetryAfter = "300";
                public void B(HttpContext context) => context.Response.Headers["Retry-After"] = "7200";
                public void C(HttpContext context) => context.Response.Headers.Append("Retry-After", "2");
                public void D(HttpContext context) => context.Response.Headers.Add(Microsoft.Net.Http.Headers.HeaderNames.RetryAfter, "30");
            }
            """,
        ExpectedMessages = new()
        {
            "'5 minutes' is not a valid Retry-After value; use a whole number of seconds or an HTTP-date",
            "'2h' is not a valid Retry-After value; use a whole number of seconds or an HTTP-date",
            "'1.5' is not a valid Retry-After value; use a whole number of seconds or an HTTP-date",
            "'30s' is not a valid Retry-After value; use a whole number of seconds or an HTTP-date",
        },
    }.RunAsync();

    [Fact]
    public Task LocalTimeAsHttpDate_Flagged_FixUsesUtcNow() => Verify.VerifyCodeFixAsync(
        """
        public class Middleware
        {
            public void A(HttpContext context) => context.Response.Headers.RetryAfter = [|DateTime.Now.AddSeconds(30).ToString("R")|];
            public void B(HttpContext context) => context.Response.Headers["Retry-After"] = [|DateTime.Now.ToString("r")|];
            public void C(HttpContext context) => context.Response.Headers.RetryAfter = [|DateTime.Now.AddMinutes(1).ToString()|];
        }
        """,
        """
        public class Middleware
        {
            public void A(HttpContext context) => context.Response.Headers.RetryAfter = DateTime.UtcNow.AddSeconds(30).ToString("R");
            public void B(HttpContext context) => context.Response.Headers["Retry-After"] = DateTime.UtcNow.ToString("r");
            public void C(HttpContext context) => context.Response.Headers.RetryAfter = DateTime.UtcNow.AddMinutes(1).ToString("R");
        }
        """);

    [Fact]
    public Task UtcOrOffsetTimeAsHttpDate_Silent() => Verify.VerifyAnalyzerAsync(
        """
        public class Middleware
        {
            public void A(HttpContext context) => context.Response.Headers.RetryAfter = DateTime.UtcNow.AddSeconds(30).ToString("R");
            public void B(HttpContext context) => context.Response.Headers.RetryAfter = DateTimeOffset.Now.AddSeconds(30).ToString("R");
            public void C(HttpContext context, DateTime at) => context.Response.Headers.RetryAfter = at.ToString("R");
        }
        """);

    [Fact]
    public Task ConstantWithoutReading_GetsTheDefaultSeconds() => Verify.VerifyCodeFixAsync(
        """
        public class Middleware
        {
            private const string Later = "later";

            public void A(HttpContext context) => context.Response.Headers.RetryAfter = [|"-1"|];
            public void B(HttpContext context) => context.Response.Headers.RetryAfter = [|Later|];
        }
        """,
        """
        public class Middleware
        {
            private const string Later = "later";

            public void A(HttpContext context) => context.Response.Headers.RetryAfter = "30";
            public void B(HttpContext context) => context.Response.Headers.RetryAfter = "30";
        }
        """);

    [Fact]
    public Task ConstantWithoutReading_GetsTheConfiguredSeconds() => new CodeFixTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        EditorConfig = "server_errors.retry_after_seconds = 120",
        TestCode = """
            public class Middleware
            {
                public void A(HttpContext context) => context.Response.Headers.RetryAfter = [|"soon"|];
            }
            """,
        FixedCode = """
            public class Middleware
            {
                public void A(HttpContext context) => context.Response.Headers.RetryAfter = "120";
            }
            """,
    }.RunAsync();

    [Fact]
    public Task TimeSpanToString_BecomesWholeSeconds() => Verify.VerifyCodeFixAsync(
        """
        public class Middleware
        {
            public void A(HttpContext context, TimeSpan delay)
            {
                context.Response.Headers.RetryAfter = [|delay.ToString()|];
            }

            public void B(HttpContext context)
            {
                context.Response.Headers.Append("Retry-After", [|TimeSpan.FromMinutes(1).ToString()|]);
            }

            public void C(HttpContext context, TimeSpan delay)
            {
                context.Response.Headers["Retry-After"] = [|$"{delay}"|];
            }
        }
        """,
        """
        using System.Globalization;

        public class Middleware
        {
            public void A(HttpContext context, TimeSpan delay)
            {
                context.Response.Headers.RetryAfter = ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }

            public void B(HttpContext context)
            {
                context.Response.Headers.Append("Retry-After", ((int)TimeSpan.FromMinutes(1).TotalSeconds).ToString(CultureInfo.InvariantCulture));
            }

            public void C(HttpContext context, TimeSpan delay)
            {
                context.Response.Headers["Retry-After"] = ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
            }
        }
        """);

    [Fact]
    public Task DateToString_BecomesHttpDate() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(DateTimeOffset until)
            {
                Response.Headers.RetryAfter = [|DateTime.UtcNow.AddMinutes(5).ToString()|];
                Response.Headers["Retry-After"] = [|until.ToString("yyyy-MM-dd HH:mm:ss")|];
                return StatusCode(503);
            }
        }
        """,
        """
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult Get(DateTimeOffset until)
            {
                Response.Headers.RetryAfter = DateTime.UtcNow.AddMinutes(5).ToString("R");
                Response.Headers["Retry-After"] = until.ToString("R");
                return StatusCode(503);
            }
        }
        """);

    [Fact]
    public Task ValidValues_Silent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Globalization;
        using System.Net.Http.Headers;

        public class Middleware
        {
            public void M(HttpContext context, TimeSpan delay, DateTimeOffset until, int seconds, string fromConfig, HttpResponseMessage message)
            {
                var headers = context.Response.Headers;
                headers.RetryAfter = "120";
                headers.RetryAfter = "0";
                headers.RetryAfter = "Wed, 21 Oct 2015 07:28:00 GMT";
                headers.RetryAfter = seconds.ToString();
                headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                headers.RetryAfter = ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                headers.RetryAfter = until.ToString("R");
                headers.RetryAfter = DateTime.UtcNow.ToString("r", CultureInfo.InvariantCulture);
                headers.RetryAfter = $"{seconds}";
                headers.RetryAfter = fromConfig;
                headers["Retry-After"] = "60";
                headers.Append("Retry-After", "60");
                headers["X-Other"] = "5 minutes";
                message.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
            }
        }
        """);

    [Fact]
    public Task NoAspNetCoreReference_Silent() => new AnalyzerTest<RetryAfterFormatAnalyzer>
    {
        References = TestReferences.NetCore,
        TestCode = """
            using System.Collections.Generic;

            public class C
            {
                public void M(Dictionary<string, string> headers) => headers.Add("Retry-After", "5 minutes");
            }
            """,
    }.RunAsync();

    [Fact]
    public Task IncompleteCode_DoesNotThrow() => new AnalyzerTest<RetryAfterFormatAnalyzer>
    {
        AllowCompilerErrors = true,
        TestCode = """
            public class Middleware
            {
                public void A(HttpContext context) => context.Response.Headers.RetryAfter = ;
                public void B(HttpContext context) => context.Response.Headers.Append("Retry-After", );
                public void C(HttpContext context) => context.Response.Headers[ = "5";
                public void D(HttpContext context) => context.Response.Headers.RetryAfter = Unknown.ToString(;
            }
            """,
    }.RunAsync();

    // ---- Numbers that can be fractional or negative ----

    [Fact]
    public Task FloatingPointSeconds_BecomeWholeNonNegativeSeconds() => new CodeFixTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        TestCode = """
            using System.Threading.RateLimiting;

            public class Middleware
            {
                public void A(HttpContext context, TimeSpan retryAfter)
                {
                    context.Response.Headers.RetryAfter = [|retryAfter.TotalSeconds.ToString()|];
                }

                public void B(HttpContext context, DateTimeOffset reset)
                {
                    var seconds = (reset - DateTimeOffset.UtcNow).TotalSeconds;
                    context.Response.Headers["Retry-After"] = [|seconds.ToString(System.Globalization.CultureInfo.InvariantCulture)|];
                }

                public void C(HttpContext context, TimeSpan window)
                {
                    context.Response.Headers.Append("Retry-After", [|$"{window.TotalSeconds}"|]);
                }

                public void D(HttpContext context, float delay, decimal cost)
                {
                    context.Response.Headers.RetryAfter = [|(delay / 2).ToString()|];
                    context.Response.Headers.RetryAfter = [|cost.ToString("F2")|];
                }

                public void E(OnRejectedContextLike context)
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = [|retryAfter.TotalSeconds.ToString()|];
                    }
                }
            }

            public class OnRejectedContextLike
            {
                public HttpContext HttpContext { get; set; } = null!;
                public RateLimitLease Lease { get; set; } = null!;
            }
            """,
        FixedCode = """
            using System.Globalization;
            using System.Threading.RateLimiting;

            public class Middleware
            {
                public void A(HttpContext context, TimeSpan retryAfter)
                {
                    context.Response.Headers.RetryAfter = Math.Max(0, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                public void B(HttpContext context, DateTimeOffset reset)
                {
                    var seconds = (reset - DateTimeOffset.UtcNow).TotalSeconds;
                    context.Response.Headers["Retry-After"] = Math.Max(0, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
                }

                public void C(HttpContext context, TimeSpan window)
                {
                    context.Response.Headers.Append("Retry-After", Math.Max(0, (int)Math.Ceiling(window.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
                }

                public void D(HttpContext context, float delay, decimal cost)
                {
                    context.Response.Headers.RetryAfter = Math.Max(0, (int)Math.Ceiling((delay / 2))).ToString(CultureInfo.InvariantCulture);
                    context.Response.Headers.RetryAfter = Math.Max(0, (int)Math.Ceiling(cost)).ToString(CultureInfo.InvariantCulture);
                }

                public void E(OnRejectedContextLike context)
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = Math.Max(0, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                    }
                }
            }

            public class OnRejectedContextLike
            {
                public HttpContext HttpContext { get; set; } = null!;
                public RateLimitLease Lease { get; set; } = null!;
            }
            """,
    }.RunAsync();

    [Fact]
    public Task FloatingPointSeconds_Message() => new AnalyzerTest<RetryAfterFormatAnalyzer>
    {
        TestCode = """
            public class Middleware
            {
                public void A(HttpContext context, TimeSpan retryAfter) => context.Response.Headers.RetryAfter = [|retryAfter.TotalSeconds.ToString()|];
            }
            """,
        ExpectedMessages = new() { "'retryAfter.TotalSeconds.ToString()' can be fractional or negative, which is not a valid Retry-After value; use a whole number of seconds or an HTTP-date" },
    }.RunAsync();

    [Fact]
    public Task FloatingPointSeconds_WithoutSystemUsing_AddsIt() => new CodeFixTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        WebImplicitUsings = false,
        TestCode = """
            using Microsoft.AspNetCore.Http;

            public class Middleware
            {
                public void A(HttpContext context, double seconds) => context.Response.Headers.RetryAfter = [|seconds.ToString()|];
            }
            """,
        FixedCode = """
            using System;
            using System.Globalization;
            using Microsoft.AspNetCore.Http;

            public class Middleware
            {
                public void A(HttpContext context, double seconds) => context.Response.Headers.RetryAfter = Math.Max(0, (int)Math.Ceiling(seconds)).ToString(CultureInfo.InvariantCulture);
            }
            """,
    }.RunAsync();

    [Fact]
    public Task FloatingPointSeconds_FixCompilesInCSharp7_3() => new CodeFixTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        LanguageVersion = Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp7_3,
        WebImplicitUsings = false,
        TestCode = """
            using System;
            using Microsoft.AspNetCore.Http;

            public class Middleware
            {
                public void A(HttpContext context, TimeSpan delay)
                {
                    context.Response.Headers["Retry-After"] = [|delay.TotalSeconds.ToString()|];
                }
            }
            """,
        FixedCode = """
            using System;
            using System.Globalization;
            using Microsoft.AspNetCore.Http;

            public class Middleware
            {
                public void A(HttpContext context, TimeSpan delay)
                {
                    context.Response.Headers["Retry-After"] = Math.Max(0, (int)Math.Ceiling(delay.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task WholeNumbers_AreSilent() => Verify.VerifyAnalyzerAsync(
        """
        using System.Globalization;

        public class Middleware
        {
            public void M(HttpContext context, TimeSpan delay, double seconds, string format)
            {
                var headers = context.Response.Headers;
                headers.RetryAfter = delay.TotalSeconds.ToString("F0");
                headers.RetryAfter = seconds.ToString("0", CultureInfo.InvariantCulture);
                headers.RetryAfter = $"{delay.TotalSeconds:F0}";
                headers.RetryAfter = Math.Ceiling(delay.TotalSeconds).ToString();
                headers.RetryAfter = Math.Round(seconds).ToString(CultureInfo.InvariantCulture);
                headers.RetryAfter = ((int)seconds).ToString();
                headers.RetryAfter = seconds.ToString(format);
                headers["X-Elapsed"] = seconds.ToString();
            }
        }
        """);
}
