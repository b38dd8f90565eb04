using ServerErrors.Analyzers.Client;
using ServerErrors.Analyzers.CodeFixes.Client;
using ServerErrors.Analyzers.CodeFixes.Server;
using ServerErrors.Analyzers.Server;
using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// `dotnet format analyzers` fixes one equivalence key per rule per pass (the first action of the first diagnostic):
/// for every rule, one pass over a file that mixes the rule's shapes must fix them all.
/// </summary>
public class FormatPassTests
{
    private static FormatPassTest<TAnalyzer, TCodeFix> Policy<TAnalyzer, TCodeFix>(string source, int expected)
        where TAnalyzer : Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer, new()
        where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
    {
        var test = new FormatPassTest<TAnalyzer, TCodeFix> { TestCode = source, ExpectedDiagnostics = expected, References = TestReferences.AspNetCore.AddRange(TestReferences.Polly) };
        test.AdditionalSources.AddRange(PolicyVerifier<TAnalyzer, TCodeFix>.AllStubs);
        return test;
    }

    [Fact]
    public Task SE1001_WithAndWithoutLogger_OnePassFixesBoth() => new FormatPassTest<ExceptionDetailsInResponseAnalyzer, ExceptionDetailsInResponseCodeFix>
    {
        // The first action logs where a logger is in scope and cannot where none is: two choices, hence two keys. FixAll
        // with the logging key still fixes the leak without a logger (generic message only).
        SameFirstKey = false,
        ExpectedDiagnostics = 2,
        TestCode = """
            using Microsoft.AspNetCore.Mvc;

            public class OrdersController : ControllerBase
            {
                private readonly ILogger<OrdersController> _logger;

                public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex) { return StatusCode(500, ex.Message); }
                }
            }

            public class PlainController : ControllerBase
            {
                public IActionResult Get()
                {
                    try { return Ok(); }
                    catch (Exception ex) { return StatusCode(500, ex.ToString()); }
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task SE1002_PageAndDetailedErrors_OnePass() => new FormatPassTest<DetailedErrorsOutsideDevelopmentAnalyzer, DetailedErrorsOutsideDevelopmentCodeFix>
    {
        ExpectedDiagnostics = 2,
        TestCode = """
            public static class Startup
            {
                public static void Configure(WebApplicationBuilder builder, WebApplication app)
                {
                    builder.Services.AddSignalR(o => o.EnableDetailedErrors = true);
                    app.UseDeveloperExceptionPage();
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task SE1005_ConstantTimeSpanDateAndLocalTime_OnePass() => new FormatPassTest<RetryAfterFormatAnalyzer, RetryAfterFormatCodeFix>
    {
        ExpectedDiagnostics = 4,
        TestCode = """
            public class Middleware
            {
                public void A(HttpContext context) => context.Response.Headers.RetryAfter = "5 minutes";
                public void B(HttpContext context, TimeSpan delay) => context.Response.Headers.RetryAfter = delay.ToString();
                public void C(HttpContext context) => context.Response.Headers.RetryAfter = DateTime.UtcNow.AddMinutes(1).ToString();
                public void D(HttpContext context) => context.Response.Headers.RetryAfter = DateTime.Now.AddMinutes(1).ToString("R");
            }
            """,
    }.RunAsync();

    [Fact]
    public Task SE2001_V7V8AndLoop_OnePass() => Policy<RetryPredicateAnalyzer, RetryPredicateCodeFix>(
        """
        using System.Net;
        using Polly;
        using Polly.Retry;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> A() => Policy
                .HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            public static RetryStrategyOptions<HttpResponseMessage> B() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.IsSuccessStatusCode == false),
                BackoffType = DelayBackoffType.Exponential,
            };

            public static async Task<HttpResponseMessage> C(HttpClient client, string url)
            {
                HttpResponseMessage response = null!;
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(100 * (1 << attempt));
                }

                return response;
            }
        }
        """,
        3).RunAsync();

    [Fact]
    public Task SE2002_V7V8AndLoop_OnePass() => Policy<RetryBackoffAnalyzer, RetryBackoffCodeFix>(
        """
        using Polly;
        using Polly.Retry;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> A() => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                .WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(2));

            public static RetryStrategyOptions<HttpResponseMessage> B() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult((int?)args.Outcome.Result?.StatusCode >= 500),
                Delay = TimeSpan.FromSeconds(1),
            };

            public static async Task<string> C(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    try
                    {
                        return await client.GetStringAsync(url);
                    }
                    catch (HttpRequestException)
                    {
                        await Task.Delay(1000);
                    }
                }

                throw new InvalidOperationException("gave up");
            }
        }
        """,
        3).RunAsync();

    [Fact]
    public Task SE2003_V7V8HttpOptionsAndLoop_OnePass() => Policy<RetryAfterIgnoredAnalyzer, RetryAfterIgnoredCodeFix>(
        """
        using System.Net;
        using Microsoft.Extensions.Http.Resilience;
        using Polly;
        using Polly.Retry;

        public static class Policies
        {
            public static IAsyncPolicy<HttpResponseMessage> A() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            public static RetryStrategyOptions<HttpResponseMessage> B() => new RetryStrategyOptions<HttpResponseMessage>
            {
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Result?.StatusCode == HttpStatusCode.TooManyRequests),
                BackoffType = DelayBackoffType.Exponential,
            };

            public static HttpRetryStrategyOptions C() => new HttpRetryStrategyOptions { ShouldRetryAfterHeader = false };

            public static async Task<HttpResponseMessage> D(HttpClient client, string url)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.StatusCode != HttpStatusCode.TooManyRequests || attempt >= 3)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }
            }
        }
        """,
        4).RunAsync();

    [Fact]
    public Task SE2004_V7V8AndLoop_OnePass() => Policy<UnboundedRetryAnalyzer, UnboundedRetryCodeFix>(
        """
        using Polly;
        using Polly.Retry;

        public static class Policies
        {
            public static Policy A() => Policy.Handle<HttpRequestException>().RetryForever();

            public static RetryStrategyOptions<HttpResponseMessage> B() => new RetryStrategyOptions<HttpResponseMessage>
            {
                MaxRetryAttempts = int.MaxValue,
                BackoffType = DelayBackoffType.Exponential,
            };

            public static async Task<HttpResponseMessage> C(HttpClient client, string url)
            {
                while (true)
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
        3).RunAsync();

    [Fact]
    public Task SE2005_LoopPollyAndHandler_OnePass() => Policy<NonIdempotentRetryAnalyzer, NonIdempotentRetryCodeFix>(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler();
            }
        }

        public class OrdersClient
        {
            private readonly HttpClient _http;

            public OrdersClient(HttpClient http) => _http = http;

            public Task<HttpResponseMessage> Place(string json) => _http.PostAsync("orders", new StringContent(json));
        }

        public static class Payments
        {
            public static async Task<HttpResponseMessage> Charge(HttpClient client, string json)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.PostAsync("charges", new StringContent(json));
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("gave up");
            }

            public static async Task<HttpResponseMessage> Refund(HttpClient client, string json)
            {
                var policy = Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                return await policy.ExecuteAsync(() => client.PostAsync("refunds", new StringContent(json)));
            }
        }
        """,
        3).RunAsync();

    [Fact]
    public Task SE2006_ChainDefaultsAndTypedClientLoop_OnePass() => Policy<StackedRetryAnalyzer, StackedRetryCodeFix>(
        """
        using Polly;
        using Polly.Extensions.Http;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 5);
                services.AddHttpClient<PricesClient>();
                services.AddHttpClient("search")
                    .AddPolicyHandler(HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a))))
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a))));
            }
        }

        public class CatalogClient
        {
            private readonly HttpClient _http;

            public CatalogClient(HttpClient http) => _http = http;

            public Task<string> Get(string id) => _http.GetStringAsync("items/" + id);
        }

        public class PricesClient
        {
            private readonly HttpClient _http;

            public PricesClient(HttpClient http) => _http = http;

            public async Task<HttpResponseMessage> Get(string sku)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await _http.GetAsync("prices/" + sku);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("prices unavailable");
            }
        }
        """,
        4).RunAsync();
}
