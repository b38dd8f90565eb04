using ServerErrors.Analyzers.Tests.Stubs;
using Xunit;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.StackedRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.StackedRetryCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE2006: more than one retry layer on one HttpClient. Shapes re-typed from public code (verdicts of a reviewer):
/// the service-defaults template <c>ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler())</c> with a
/// client that adds its own standard handler (flag) or calls <c>RemoveAllResilienceHandlers()</c> first under
/// <c>#pragma warning disable EXTEXP0001</c> (silent); <c>AddPolicyHandler(GetRetryPolicy()).AddPolicyHandler(GetCircuitBreakerPolicy())</c>
/// (silent: one retry); a transient-error retry followed by a second retry policy (flag); named clients with one
/// handler each under retrying defaults (silent).
/// </summary>
public class SE2006Tests
{
    private const string Client = """

        public class CatalogClient
        {
            private readonly HttpClient _http;

            public CatalogClient(HttpClient http) => _http = http;

            public Task<string> Get(string id) => _http.GetStringAsync("items/" + id);
        }
        """;

    [Fact]
    public Task Chain_TwoPolicyRetries_RemovesTheLaterOne() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Extensions.Http;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<CatalogClient>()
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a))))
                    .[|AddPolicyHandler(GetRetryPolicy())|];
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(5, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
        }
        """ + Client,
        """
        using Polly;
        using Polly.Extensions.Http;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<CatalogClient>()
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a))));
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(5, a => TimeSpan.FromSeconds(Math.Pow(2, a)));
        }
        """ + Client);

    [Fact]
    public Task Chain_PolicyThenStandardHandler() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("catalog")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(a)))
                    .[|AddStandardResilienceHandler()|];
            }
        }
        """,
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("catalog")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(a)));
            }
        }
        """);

    [Fact]
    public Task Defaults_PerClientStandardHandler_GetsRemoveAllResilienceHandlers() => Verify.VerifyCodeFixAsync(
        """
        public static class ServiceDefaults
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http =>
                {
                    http.AddStandardResilienceHandler();
                });

                services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new Uri("https://catalog"))
                    .[|AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 5)|];
            }
        }
        """ + Client,
        """
        public static class ServiceDefaults
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http =>
                {
                    http.AddStandardResilienceHandler();
                });

        #pragma warning disable EXTEXP0001
                services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new Uri("https://catalog"))
                    .RemoveAllResilienceHandlers().AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 5);
        #pragma warning restore EXTEXP0001
            }
        }
        """ + Client);

    [Fact]
    public Task Defaults_NamedClientHedging_Flagged() => Verify.VerifyCodeFixAsync(
        """
        public static class ServiceDefaults
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                services.AddHttpClient("search").[|AddStandardHedgingHandler()|];
            }
        }
        """,
        """
        public static class ServiceDefaults
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        #pragma warning disable EXTEXP0001
                services.AddHttpClient("search").RemoveAllResilienceHandlers().AddStandardHedgingHandler();
        #pragma warning restore EXTEXP0001
            }
        }
        """);

    [Fact]
    public Task TypedClientLoop_OverRetryingRegistration_RemovesRegistrationHandler() => Verify.VerifyCodeFixAsync(
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<PricesClient>().AddStandardResilienceHandler();
            }
        }

        public class PricesClient
        {
            private readonly HttpClient _http;

            public PricesClient(HttpClient http) => _http = http;

            public async Task<HttpResponseMessage> Get(string sku)
            {
                [|for|] (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await _http.GetAsync("prices/" + sku);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("prices unavailable");
            }
        }
        """,
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<PricesClient>();
            }
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
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("prices unavailable");
            }
        }
        """);

    [Fact]
    public Task TypedClientPolly_UnderDefaults_ClearsDefaultsForThatClient() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
                services.AddHttpClient<PricesClient>();
            }
        }

        public class PricesClient
        {
            private readonly HttpClient _http;

            public PricesClient(HttpClient http) => _http = http;

            public Task<HttpResponseMessage> Get(string sku) => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)))
                .[|ExecuteAsync(() => _http.GetAsync("prices/" + sku))|];
        }
        """,
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(b => b.AddStandardResilienceHandler());
        #pragma warning disable EXTEXP0001
                services.AddHttpClient<PricesClient>().RemoveAllResilienceHandlers();
        #pragma warning restore EXTEXP0001
            }
        }

        public class PricesClient
        {
            private readonly HttpClient _http;

            public PricesClient(HttpClient http) => _http = http;

            public Task<HttpResponseMessage> Get(string sku) => Policy<HttpResponseMessage>
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)))
                .ExecuteAsync(() => _http.GetAsync("prices/" + sku));
        }
        """);

    [Fact]
    public Task TwoClients_FixAll() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("a")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, x => TimeSpan.FromSeconds(x)))
                    .[|AddTransientHttpErrorPolicy(p => p.RetryAsync(2))|];
                services.AddHttpClient("b")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, x => TimeSpan.FromSeconds(x)))
                    .[|AddTransientHttpErrorPolicy(p => p.RetryAsync(2))|];
            }
        }
        """,
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("a")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, x => TimeSpan.FromSeconds(x)));
                services.AddHttpClient("b")
                    .AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, x => TimeSpan.FromSeconds(x)));
            }
        }
        """);

    public static TheoryData<string> Silent() => new()
    {
        // retry + circuit breaker: one retry layer
        """
        using Polly;
        using Polly.Extensions.Http;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<CatalogClient>()
                    .AddPolicyHandler(GetRetryPolicy())
                    .AddPolicyHandler(GetCircuitBreakerPolicy());
            }

            private static IAsyncPolicy<HttpResponseMessage> GetRetryPolicy()
                => HttpPolicyExtensions.HandleTransientHttpError().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(Math.Pow(2, a)));

            private static IAsyncPolicy<HttpResponseMessage> GetCircuitBreakerPolicy()
                => HttpPolicyExtensions.HandleTransientHttpError().CircuitBreakerAsync(5, TimeSpan.FromSeconds(30));
        }
        """ + Client,
        // a timeout policy next to the standard handler
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("catalog")
                    .AddPolicyHandler(Policy.TimeoutAsync<HttpResponseMessage>(10))
                    .AddStandardResilienceHandler();
            }
        }
        """,
        // one layer per client, on different clients
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("a").AddStandardResilienceHandler();
                services.AddHttpClient("b").AddStandardResilienceHandler();
            }
        }
        """,
        // the defaults are cleared first (RemoveAllResilienceHandlers), then a client-specific pipeline
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        #pragma warning disable EXTEXP0001
                services.AddHttpClient<CatalogClient>()
                    .RemoveAllResilienceHandlers()
                    .AddResilienceHandler("catalog", b => b.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2 }));
        #pragma warning restore EXTEXP0001
            }
        }
        """ + Client,
        // defaults that retry, named clients without their own layer
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http =>
                {
                    http.AddStandardResilienceHandler();
                });
                services.AddHttpClient("catalog", c => c.Timeout = TimeSpan.FromSeconds(5));
            }
        }
        """,
        // defaults without retry (service discovery style configuration only)
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http => http.ConfigureHttpClient(c => c.Timeout = TimeSpan.FromSeconds(30)));
                services.AddHttpClient("catalog").AddStandardResilienceHandler();
            }
        }
        """,
        // a hand-written retry in a typed client whose registration does not retry
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<PricesClient>();
            }
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
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("prices unavailable");
            }
        }
        """,
        // a retry loop over a client the class creates itself, not the registered one
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<PricesClient>().AddStandardResilienceHandler();
            }
        }

        public class PricesClient
        {
            public PricesClient(HttpClient http)
            {
            }

            public async Task<HttpResponseMessage> Get(string sku)
            {
                using var own = new HttpClient();
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await own.GetAsync("prices/" + sku);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("prices unavailable");
            }
        }
        """,
    };

    [Theory]
    [MemberData(nameof(Silent))]
    public Task Silent_Cases(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task IncompleteCode_DoesNotThrow() => new ServerErrors.Analyzers.Tests.Verifiers.CodeFixTest<
        ServerErrors.Analyzers.Client.StackedRetryAnalyzer,
        ServerErrors.Analyzers.CodeFixes.Client.StackedRetryCodeFix>
    {
        AllowCompilerErrors = true,
        TestCode = """
            public static class Registration
            {
                public static void Configure(IServiceCollection services)
                {
                    services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(
                    services.AddHttpClient<Missing>().AddStandardResilienceHandler()
                }
            }
            """,
        FixedCode = """
            public static class Registration
            {
                public static void Configure(IServiceCollection services)
                {
                    services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler(
                    services.AddHttpClient<Missing>().AddStandardResilienceHandler()
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ConsoleWithoutHttpClientFactory_RegistersNothing() => new ServerErrors.Analyzers.Tests.Verifiers.CodeFixTest<
        ServerErrors.Analyzers.Client.StackedRetryAnalyzer,
        ServerErrors.Analyzers.CodeFixes.Client.StackedRetryCodeFix>
    {
        References = ServerErrors.Analyzers.Tests.Verifiers.TestReferences.NetCore,
        TestCode = """
            public class Prices
            {
                public async Task<HttpResponseMessage> Get(HttpClient http, string sku)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await http.GetAsync("prices/" + sku);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    throw new HttpRequestException("prices unavailable");
                }
            }
            """,
        FixedCode = """
            public class Prices
            {
                public async Task<HttpResponseMessage> Get(HttpClient http, string sku)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await http.GetAsync("prices/" + sku);
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                    }

                    throw new HttpRequestException("prices unavailable");
                }
            }
            """,
    }.RunAsync();
}
