using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests.Rules;

public class SE1004Tests
{
    private static Task VerifyAnalyzerAsync(string source)
        => new AnalyzerTest<RetryAfterMissingAnalyzer> { TestCode = source }.RunAsync();

    private static Task VerifyCodeFixAsync(string source, string fixedSource, string? equivalenceKey = null)
        => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = equivalenceKey,
        }.RunAsync();

    [Fact]
    public Task Controller_StatusCode429_IsInfoSeverity() => new AnalyzerTest<RetryAfterMissingAnalyzer>
    {
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                public IActionResult Get() => {|SE1004:StatusCode(429)|};
            }
            """,
        ExpectedMessages = new() { "This 429 response does not set a Retry-After header" },
    }.RunAsync();

    [Fact]
    public void Descriptor_DefaultSeverityIsInfo()
        => Assert.Equal(Microsoft.CodeAnalysis.DiagnosticSeverity.Info, new RetryAfterMissingAnalyzer().SupportedDiagnostics.Single(d => d.Id == "SE1004").DefaultSeverity);

    [Fact]
    public Task Controller_TooManyRequestsForms_Fixed() => VerifyCodeFixAsync(
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult A()
            {
                return {|SE1004:StatusCode(StatusCodes.Status429TooManyRequests)|};
            }

            public IActionResult B()
            {
                return {|SE1004:StatusCode((int)HttpStatusCode.TooManyRequests, "slow down")|};
            }

            public IActionResult C()
            {
                return {|SE1004:Problem(title: "Too many requests", statusCode: 429)|};
            }
        }
        """,
        """
        using System.Net;
        using Microsoft.AspNetCore.Mvc;

        public class OrdersController : ControllerBase
        {
            public IActionResult A()
            {
                Response.Headers.RetryAfter = "30";
                return StatusCode(StatusCodes.Status429TooManyRequests);
            }

            public IActionResult B()
            {
                Response.Headers.RetryAfter = "30";
                return StatusCode((int)HttpStatusCode.TooManyRequests, "slow down");
            }

            public IActionResult C()
            {
                Response.Headers.RetryAfter = "30";
                return Problem(title: "Too many requests", statusCode: 429);
            }
        }
        """);

    [Fact]
    public Task MinimalApi_TypedResults429_HeaderBefore_Silent() => VerifyAnalyzerAsync(
        """
        var app = WebApplication.Create(args);
        app.MapGet("/", (HttpResponse response) =>
        {
            response.Headers.RetryAfter = "60";
            return TypedResults.StatusCode(429);
        });
        app.Run();
        """);

    [Fact]
    public Task Middleware_Response429_Fixed() => VerifyCodeFixAsync(
        """
        public class ThrottleMiddleware
        {
            public async Task InvokeAsync(HttpContext context, RequestDelegate next)
            {
                if (context.Request.Headers.ContainsKey("X-Flood"))
                {
                    {|SE1004:context.Response.StatusCode = StatusCodes.Status429TooManyRequests|};
                    await context.Response.WriteAsync("Slow down");
                    return;
                }

                await next(context);
            }
        }
        """,
        """
        public class ThrottleMiddleware
        {
            public async Task InvokeAsync(HttpContext context, RequestDelegate next)
            {
                if (context.Request.Headers.ContainsKey("X-Flood"))
                {
                    context.Response.Headers.RetryAfter = "30";
                    context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                    await context.Response.WriteAsync("Slow down");
                    return;
                }

                await next(context);
            }
        }
        """);

    // ---- Rate limiter ----

    [Fact]
    public Task RateLimiter_RejectionStatusCode_AddsOnRejected() => VerifyCodeFixAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            {|SE1004:options.RejectionStatusCode = StatusCodes.Status429TooManyRequests|};
        });
        var app = builder.Build();
        app.UseRateLimiter();
        app.Run();
        """,
        """
        using System.Globalization;
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = (context, _) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                }
                else
                {
                    context.HttpContext.Response.Headers.RetryAfter = "30";
                }

                return ValueTask.CompletedTask;
            };
        });
        var app = builder.Build();
        app.UseRateLimiter();
        app.Run();
        """,
        RetryAfterMissingCodeFix.SetRetryAfterKey);

    [Fact]
    public Task RateLimiter_Rejection503_ExpressionLambda_AddsOnRejected() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        EditorConfig = "server_errors.retry_after_seconds = 10",
        TestCode = """
            using System.Globalization;
            using System.Threading.RateLimiting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(o => {|SE1003:o.RejectionStatusCode = 503|});
            builder.Build().Run();
            """,
        FixedCode = """
            using System.Globalization;
            using System.Threading.RateLimiting;

            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(o =>
            {
                o.RejectionStatusCode = 503;
                o.OnRejected = (context, _) =>
                {
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        context.HttpContext.Response.Headers.RetryAfter = "10";
                    }

                    return ValueTask.CompletedTask;
                };
            });
            builder.Build().Run();
            """,
    }.RunAsync();

    [Fact]
    public Task RateLimiter_OnRejectedSetsHeader_Silent() => VerifyAnalyzerAsync(
        """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = 429;
            options.OnRejected = (context, token) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString();
                }

                return ValueTask.CompletedTask;
            };
        });
        builder.Build().Run();
        """);

    [Fact]
    public Task RateLimiter_OnRejectedMethodGroup_Silent() => VerifyAnalyzerAsync(
        """
        using Microsoft.AspNetCore.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = 429;
            options.OnRejected = Handlers.Reject;
        });
        builder.Build().Run();

        static class Handlers
        {
            public static ValueTask Reject(OnRejectedContext context, CancellationToken token) => ValueTask.CompletedTask;
        }
        """);

    [Fact]
    public Task RateLimiter_OnRejectedWithoutHeader_Flagged() => VerifyAnalyzerAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            {|SE1004:options.RejectionStatusCode = 429|};
            options.OnRejected = async (context, token) =>
            {
                await context.HttpContext.Response.WriteAsync("Too many requests", token);
            };
        });
        builder.Build().Run();
        """);

    [Fact]
    public Task RateLimiter_DefaultRejection503NotSet_Silent() => VerifyAnalyzerAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options => options.RejectionStatusCode = 403);
        builder.Build().Run();
        """);

    // ---- Rate limiter: the documented OnRejected pattern and fixes that keep the limiter's delay ----

    [Fact]
    public Task RateLimiter_DocumentedOnRejected_HeaderWhenLimiterKnowsTheDelay_Silent() => VerifyAnalyzerAsync(
        """
        using System.Globalization;
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.OnRejected = async (context, cancellationToken) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(NumberFormatInfo.InvariantInfo);
                }

                context.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                await context.HttpContext.Response.WriteAsync("Too many requests. Please try again later.", cancellationToken);
            };
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = (context, token) =>
            {
                if (!context.Lease.TryGetMetadata(MetadataName.RetryAfter, out TimeSpan delay))
                {
                    context.HttpContext.Response.StatusCode = 429;
                    return ValueTask.CompletedTask;
                }

                context.HttpContext.Response.Headers["Retry-After"] = ((int)delay.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                context.HttpContext.Response.StatusCode = 429;
                return ValueTask.CompletedTask;
            };
        });
        builder.Build().Run();
        """);

    [Fact]
    public Task RateLimiter_OnRejected_OtherConditionOrNoWrite_StillFlagged() => VerifyAnalyzerAsync(
        """
        using System.Threading.RateLimiting;

        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, token) =>
            {
                if (context.HttpContext.Request.Headers.ContainsKey("X-Debug"))
                {
                    context.HttpContext.Response.Headers.RetryAfter = "5";
                }

                {|SE1004:context.HttpContext.Response.StatusCode = 429|};
                await context.HttpContext.Response.WriteAsync("Too many requests", token);
            };
        });
        builder.Services.AddRateLimiter(options =>
        {
            options.OnRejected = async (context, token) =>
            {
                if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    await context.HttpContext.Response.WriteAsync($"Retry in {retryAfter}", token);
                }

                {|SE1004:context.HttpContext.Response.StatusCode = 429|};
            };
        });
        builder.Build().Run();
        """);

    [Fact]
    public Task RateLimiter_ExistingOnRejectedAfter_CopyGoesIntoIt() => VerifyCodeFixAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            {|SE1004:options.RejectionStatusCode = 429|};
            options.OnRejected = async (context, token) =>
            {
                await context.HttpContext.Response.WriteAsync("Too many requests", token);
            };
        });
        builder.Build().Run();
        """,
        """
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

                await context.HttpContext.Response.WriteAsync("Too many requests", token);
            };
        });
        builder.Build().Run();
        """,
        RetryAfterMissingCodeFix.SetRetryAfterKey);

    [Fact]
    public Task RateLimiter_ExistingOnRejectedBefore_ExpressionBodied_CopyGoesIntoIt() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        TestCode = """
            public static class Limits
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddRateLimiter(limiter =>
                    {
                        limiter.OnRejected = async (ctx, _) => await ctx.HttpContext.Response.WriteAsync("Slow down");
                        {|SE1004:limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests|};
                    });
                }
            }
            """,
        FixedCode = """
            using System.Globalization;
            using System.Threading.RateLimiting;

            public static class Limits
            {
                public static void Add(IServiceCollection services)
                {
                    services.AddRateLimiter(limiter =>
                    {
                        limiter.OnRejected = async (ctx, _) =>
                        {
                            if (ctx.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                            {
                                ctx.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                            }
                            else
                            {
                                ctx.HttpContext.Response.Headers.RetryAfter = "30";
                            }

                            await ctx.HttpContext.Response.WriteAsync("Slow down");
                        };
                        limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
                    });
                }
            }
            """,
        ExpectedCodeActionTitles = new() { "Set Retry-After in OnRejected from the lease" },
    }.RunAsync();

    [Fact]
    public Task RateLimiter_StatusInsideOnRejected_CopiesTheLeaseDelayNotAConstant() => new CodeFixTest<RetryAfterMissingAnalyzer, RetryAfterMissingCodeFix>
    {
        TestCode = """
            var builder = WebApplication.CreateBuilder(args);
            builder.Services.AddRateLimiter(options =>
            {
                options.OnRejected = async (context, token) =>
                {
                    var retryAfter = 1;
                    {|SE1004:context.HttpContext.Response.StatusCode = 429|};
                    await context.HttpContext.Response.WriteAsync($"Too many requests ({retryAfter})", token);
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
                    var retryAfter = 1;
                    if (context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter2))
                    {
                        context.HttpContext.Response.Headers.RetryAfter = ((int)retryAfter2.TotalSeconds).ToString(CultureInfo.InvariantCulture);
                    }
                    else
                    {
                        context.HttpContext.Response.Headers.RetryAfter = "30";
                    }

                    context.HttpContext.Response.StatusCode = 429;
                    await context.HttpContext.Response.WriteAsync($"Too many requests ({retryAfter})", token);
                };
            });
            builder.Build().Run();
            """,
        ExpectedCodeActionTitles = new() { "Set the Retry-After header from the lease" },
    }.RunAsync();

    [Fact]
    public Task RateLimiter_RejectionAndStatusInsideOnRejected_OneCopy() => VerifyCodeFixAsync(
        """
        var builder = WebApplication.CreateBuilder(args);
        builder.Services.AddRateLimiter(options =>
        {
            {|SE1004:options.RejectionStatusCode = 429|};
            options.OnRejected = async (context, token) =>
            {
                {|SE1004:context.HttpContext.Response.StatusCode = 429|};
                await context.HttpContext.Response.WriteAsync("Too many requests", token);
            };
        });
        builder.Build().Run();
        """,
        """
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

                context.HttpContext.Response.StatusCode = 429;
                await context.HttpContext.Response.WriteAsync("Too many requests", token);
            };
        });
        builder.Build().Run();
        """);
}
