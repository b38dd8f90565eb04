using ServerErrors.Analyzers.Tests.Stubs;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;
using Loop = ServerErrors.Analyzers.Tests.Stubs.LoopVerifier<
    ServerErrors.Analyzers.Client.NonIdempotentRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.NonIdempotentRetryCodeFix>;
using Verify = ServerErrors.Analyzers.Tests.Stubs.PolicyVerifier<
    ServerErrors.Analyzers.Client.NonIdempotentRetryAnalyzer,
    ServerErrors.Analyzers.CodeFixes.Client.NonIdempotentRetryCodeFix>;

namespace ServerErrors.Analyzers.Tests.Rules;

/// <summary>
/// SE2005: retries that resend POST/PATCH without an idempotency key. Shapes re-typed from public code (verdicts of a
/// reviewer): an inline <c>Policy…WaitAndRetryAsync(…).ExecuteAsync(() => _httpClient.PostAsync(uri, data, ct))</c>
/// (flag); <c>_retryPolicy.ExecuteAsync(() => _httpClient.PostAsync(…))</c> with the policy injected (silent: not
/// visible); <c>CreateRetryPolicy(codes).ExecuteAsync(…)</c> helpers for POST and DELETE (flag POST only); a circuit
/// breaker around a POST (silent); <c>AddStandardResilienceHandler(o => o.Retry.DisableForUnsafeHttpMethods())</c>
/// (silent); <c>HttpRetryStrategyOptions</c> local passed to <c>AddRetry</c> (flag, fixed on the local);
/// <c>X-Idempotency-Key</c>/<c>PayPal-Request-Id</c>/<c>X-Request-Id</c> headers set once (silent).
/// </summary>
public class SE2005Tests
{
    [Fact]
    public void EveryIdempotencyHeader_ContainsAWordOfTheTextPreCheck()
    {
        foreach (var header in ServerErrors.Analyzers.Flow.RequestMethod.IdempotencyHeaders)
        {
            Assert.True(
                header.IndexOf("Idempotency", System.StringComparison.OrdinalIgnoreCase) >= 0 || header.IndexOf("Request-Id", System.StringComparison.OrdinalIgnoreCase) >= 0,
                header);
        }
    }

    // ---- Hand-written retry loops ----

    [Fact]
    public Task Loop_PostAsync_GetsKeyAndSendAsync() => Loop.VerifyCodeFixAsync(
        """
        public class Orders
        {
            public async Task<HttpResponseMessage> Create(HttpClient client, string json)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.[|PostAsync("orders", new StringContent(json))|];
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("gave up");
            }
        }
        """,
        """
        public class Orders
        {
            public async Task<HttpResponseMessage> Create(HttpClient client, string json)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "orders") { Content = new StringContent(json), Headers = { { "Idempotency-Key", idempotencyKey } } });
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("gave up");
            }
        }
        """);

    [Fact]
    public Task Loop_PostAsJsonAsync_WithToken_CatchRetry() => Loop.VerifyCodeFixAsync(
        """
        public record Order(string Id);

        public class Orders
        {
            public async Task<HttpResponseMessage> Create(HttpClient client, Order order, CancellationToken ct)
            {
                var attempt = 0;
                while (true)
                {
                    try
                    {
                        var response = await client.[|PostAsJsonAsync("orders", order, ct)|];
                        response.EnsureSuccessStatusCode();
                        return response;
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        attempt++;
                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                    }
                }
            }
        }
        """,
        """
        public record Order(string Id);

        public class Orders
        {
            public async Task<HttpResponseMessage> Create(HttpClient client, Order order, CancellationToken ct)
            {
                var attempt = 0;
                var idempotencyKey = Guid.NewGuid().ToString();
                while (true)
                {
                    try
                    {
                        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(order), Headers = { { "Idempotency-Key", idempotencyKey } } }, ct);
                        response.EnsureSuccessStatusCode();
                        return response;
                    }
                    catch (HttpRequestException) when (attempt < 3)
                    {
                        attempt++;
                        await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), ct);
                    }
                }
            }
        }
        """);

    [Fact]
    public Task Loop_PatchAsJsonAsync_WithOptions() => Loop.VerifyCodeFixAsync(
        """
        using System.Text.Json;

        public class Profiles
        {
            private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

            public async Task Update(HttpClient client, Uri uri, object patch)
            {
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    var response = await client.[|PatchAsJsonAsync(uri, patch, Options)|];
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    await Task.Delay(attempt * 1000);
                }
            }
        }
        """,
        """
        using System.Text.Json;

        public class Profiles
        {
            private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

            public async Task Update(HttpClient client, Uri uri, object patch)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                for (var attempt = 1; attempt <= 3; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, uri) { Content = JsonContent.Create(patch, options: Options), Headers = { { "Idempotency-Key", idempotencyKey } } });
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    await Task.Delay(attempt * 1000);
                }
            }
        }
        """);

    [Fact]
    public Task Loop_SendAsync_RequestBuiltInAttempt_HeaderAfterDeclaration() => Loop.VerifyCodeFixAsync(
        """
        public class Payments
        {
            public async Task<HttpResponseMessage> Charge(HttpClient client, string body)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "charges/" + body + "/capture");
                    var response = await client.[|SendAsync(request)|];
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(200 << attempt);
                }

                throw new HttpRequestException("unavailable");
            }
        }
        """,
        """
        public class Payments
        {
            public async Task<HttpResponseMessage> Charge(HttpClient client, string body)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "charges/" + body + "/capture");
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                    var response = await client.SendAsync(request);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(200 << attempt);
                }

                throw new HttpRequestException("unavailable");
            }
        }
        """);

    [Fact]
    public Task Loop_SendAsync_InlineRequest_NewHttpMethodPost() => Loop.VerifyCodeFixAsync(
        """
        public class Webhooks
        {
            public async Task<HttpResponseMessage> Deliver(HttpClient client, string url, string payload)
            {
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var response = await client.[|SendAsync(new HttpRequestMessage(new HttpMethod("POST"), url + "?payload=" + payload))|];
                    if (response.IsSuccessStatusCode || (int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1 << attempt));
                }

                throw new HttpRequestException("not delivered");
            }
        }
        """,
        """
        public class Webhooks
        {
            public async Task<HttpResponseMessage> Deliver(HttpClient client, string url, string payload)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 5; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod("POST"), url + "?payload=" + payload) { Headers = { { "Idempotency-Key", idempotencyKey } } });
                    if (response.IsSuccessStatusCode || (int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(1 << attempt));
                }

                throw new HttpRequestException("not delivered");
            }
        }
        """);

    [Fact]
    public Task Loop_KeyNamePicksFreeName_AndGuidQualifiedWithoutUsing() => new CodeFixTest<
        ServerErrors.Analyzers.Client.NonIdempotentRetryAnalyzer,
        ServerErrors.Analyzers.CodeFixes.Client.NonIdempotentRetryCodeFix>
    {
        WebImplicitUsings = false,
        TestCode = """
            using System.Net.Http;
            using System.Threading.Tasks;

            public class Orders
            {
                public async Task<HttpResponseMessage> Create(HttpClient client, HttpContent content, string idempotencyKey)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.[|PostAsync("orders", content)|];
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(1000 * (attempt + 1));
                    }

                    return null!;
                }
            }
            """,
        FixedCode = """
            using System.Net.Http;
            using System.Threading.Tasks;

            public class Orders
            {
                public async Task<HttpResponseMessage> Create(HttpClient client, HttpContent content, string idempotencyKey)
                {
                    var idempotencyKey1 = System.Guid.NewGuid().ToString();
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "orders") { Content = content, Headers = { { "Idempotency-Key", idempotencyKey1 } } });
                        if (response.IsSuccessStatusCode)
                        {
                            return response;
                        }

                        await Task.Delay(1000 * (attempt + 1));
                    }

                    return null!;
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task Loop_TwoRetriesInOneMethod_FixAllNamesKeysApart() => Loop.VerifyCodeFixAsync(
        """
        public class Orders
        {
            public async Task Create(HttpClient client, HttpContent order, HttpContent invoice)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.[|PostAsync("orders", order)|];
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    await Task.Delay(1000 << attempt);
                }

                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.[|PostAsync("invoices", invoice)|];
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    await Task.Delay(1000 << attempt);
                }
            }
        }
        """,
        """
        public class Orders
        {
            public async Task Create(HttpClient client, HttpContent order, HttpContent invoice)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "orders") { Content = order, Headers = { { "Idempotency-Key", idempotencyKey } } });
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    await Task.Delay(1000 << attempt);
                }

                var idempotencyKey1 = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "invoices") { Content = invoice, Headers = { { "Idempotency-Key", idempotencyKey1 } } });
                    if (response.IsSuccessStatusCode)
                    {
                        break;
                    }

                    await Task.Delay(1000 << attempt);
                }
            }
        }
        """);

    [Fact]
    public Task Loop_KeyCreatedPerAttempt_StillFlagged() => Loop.VerifyCodeFixAsync(
        """
        public class Payments
        {
            public async Task<HttpResponseMessage> Capture(HttpClient client, string id)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "charges/" + id + "/capture");
                    request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString());
                    var response = await client.[|SendAsync(request)|];
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(200 << attempt);
                }

                throw new HttpRequestException("unavailable");
            }
        }
        """,
        """
        public class Payments
        {
            public async Task<HttpResponseMessage> Capture(HttpClient client, string id)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "charges/" + id + "/capture");
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                    var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(200 << attempt);
                }

                throw new HttpRequestException("unavailable");
            }
        }
        """);

    public static TheoryData<string> SilentLoops() => new()
    {
        // GET, PUT and DELETE are idempotent (RFC 9110)
        """
        public class Reader
        {
            public async Task<HttpResponseMessage> Get(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000 << attempt);
                }

                throw new HttpRequestException();
            }
        }
        """,
        """
        public class Writer
        {
            public async Task Put(HttpClient client, string url, object value)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.PutAsJsonAsync(url, value);
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    await Task.Delay(1000 << attempt);
                }
            }
        }
        """,
        """
        public class Remover
        {
            public async Task Delete(HttpClient client, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Delete, url));
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    await Task.Delay(1000 << attempt);
                }
            }
        }
        """,
        // one key for all attempts: created before the loop, added in the attempt
        """
        public class Payments
        {
            public async Task<HttpResponseMessage> Charge(HttpClient client, string body)
            {
                var key = Guid.NewGuid().ToString("N");
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, "charges") { Content = new StringContent(body) };
                    request.Headers.Add("Idempotency-Key", key);
                    var response = await client.SendAsync(request);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(200 << attempt);
                }

                throw new HttpRequestException("unavailable");
            }
        }
        """,
        // the key set once on the client for the whole operation (X-Idempotency-Key, Mercado Pago style)
        """
        public class Payments
        {
            public async Task<HttpResponseMessage> Pay(HttpClient client, HttpContent content, string operationId)
            {
                client.DefaultRequestHeaders.TryAddWithoutValidation("X-Idempotency-Key", operationId);
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.PostAsync("v1/payments", content);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(500 << attempt);
                }

                throw new HttpRequestException("failed");
            }
        }
        """,
        // the request id as the deduplication key, in the request's collection initializer
        """
        public class Events
        {
            public async Task Publish(HttpClient client, string url, HttpContent content, string eventId)
            {
                for (var attempt = 0; attempt < 4; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = content, Headers = { { "X-Request-Id", eventId } } });
                    if (response.IsSuccessStatusCode)
                    {
                        return;
                    }

                    await Task.Delay(250 << attempt);
                }
            }
        }
        """,
        // not a retry: a different item every iteration
        """
        public class Uploader
        {
            public async Task Upload(HttpClient client, List<string> items)
            {
                for (var i = 0; i < items.Count; i++)
                {
                    var response = await client.PostAsync("items", new StringContent(items[i]));
                    response.EnsureSuccessStatusCode();
                }
            }
        }
        """,
        // the method of the request is not a constant
        """
        public class Proxy
        {
            public async Task<HttpResponseMessage> Forward(HttpClient client, HttpMethod method, string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.SendAsync(new HttpRequestMessage(method, url));
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000 << attempt);
                }

                throw new HttpRequestException();
            }
        }
        """,
    };

    [Theory]
    [MemberData(nameof(SilentLoops))]
    public Task Loop_Silent(string source) => Loop.VerifyAnalyzerAsync(source);

    // ---- Polly v7/v8 retries ----

    [Fact]
    public Task PollyV7_InlinePolicy_PostAsync() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public class Registrations
        {
            public async Task<HttpResponseMessage> Register(HttpClient client, Uri uri, HttpContent data, CancellationToken cancellationToken)
            {
                var response = await Policy
                    .Handle<HttpRequestException>()
                    .OrResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))
                    .ExecuteAsync(() => client.[|PostAsync(uri, data, cancellationToken)|]);
                return response;
            }
        }
        """,
        """
        using Polly;

        public class Registrations
        {
            public async Task<HttpResponseMessage> Register(HttpClient client, Uri uri, HttpContent data, CancellationToken cancellationToken)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                var response = await Policy
                    .Handle<HttpRequestException>()
                    .OrResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500)
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)))
                    .ExecuteAsync(() => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, uri) { Content = data, Headers = { { "Idempotency-Key", idempotencyKey } } }, cancellationToken));
                return response;
            }
        }
        """);

    [Fact]
    public Task PollyV7_PolicyInLocal_PostAsJsonAsync() => Verify.VerifyCodeFixAsync(
        """
        using Polly;

        public record Order(string Sku);

        public class Checkout
        {
            public async Task<HttpResponseMessage> Place(HttpClient client, Order order)
            {
                var retry = Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)));
                return await retry.ExecuteAsync(() => client.[|PostAsJsonAsync("orders", order)|]);
            }
        }
        """,
        """
        using Polly;

        public record Order(string Sku);

        public class Checkout
        {
            public async Task<HttpResponseMessage> Place(HttpClient client, Order order)
            {
                var retry = Policy<HttpResponseMessage>
                    .Handle<HttpRequestException>()
                    .WaitAndRetryAsync(3, attempt => TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)));
                var idempotencyKey = Guid.NewGuid().ToString();
                return await retry.ExecuteAsync(() => client.SendAsync(new HttpRequestMessage(HttpMethod.Post, "orders") { Content = JsonContent.Create(order), Headers = { { "Idempotency-Key", idempotencyKey } } }));
            }
        }
        """);

    [Fact]
    public Task PollyV7_PolicyFromHelperMethod_ExpressionBodyBecomesBlock() => Verify.VerifyCodeFixAsync(
        """
        using System.Net;
        using Polly;

        public class Api
        {
            private readonly HttpClient _httpClient;

            public Api(HttpClient httpClient) => _httpClient = httpClient;

            private static IAsyncPolicy<HttpResponseMessage> CreateRetryPolicy(HttpStatusCode[] permitted) => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 && Array.IndexOf(permitted, r.StatusCode) < 0)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));

            public async Task<HttpResponseMessage> PostWithRetry(Uri url, HttpContent value, params HttpStatusCode[] permitted)
                => await CreateRetryPolicy(permitted).ExecuteAsync(() => _httpClient.[|PostAsync(url, value)|]);

            public async Task<HttpResponseMessage> DeleteWithRetry(Uri url, params HttpStatusCode[] permitted)
                => await CreateRetryPolicy(permitted).ExecuteAsync(() => _httpClient.DeleteAsync(url));
        }
        """,
        """
        using System.Net;
        using Polly;

        public class Api
        {
            private readonly HttpClient _httpClient;

            public Api(HttpClient httpClient) => _httpClient = httpClient;

            private static IAsyncPolicy<HttpResponseMessage> CreateRetryPolicy(HttpStatusCode[] permitted) => Policy
                .HandleResult<HttpResponseMessage>(r => (int)r.StatusCode >= 500 && Array.IndexOf(permitted, r.StatusCode) < 0)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(attempt));

            public async Task<HttpResponseMessage> PostWithRetry(Uri url, HttpContent value, params HttpStatusCode[] permitted)
            {
                var idempotencyKey = Guid.NewGuid().ToString();
                return await CreateRetryPolicy(permitted).ExecuteAsync(() => _httpClient.SendAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = value, Headers = { { "Idempotency-Key", idempotencyKey } } }));
            }

            public async Task<HttpResponseMessage> DeleteWithRetry(Uri url, params HttpStatusCode[] permitted)
                => await CreateRetryPolicy(permitted).ExecuteAsync(() => _httpClient.DeleteAsync(url));
        }
        """);

    [Fact]
    public Task PollyV8_Pipeline_SendAsyncOfPostRequest() => Verify.VerifyCodeFixAsync(
        """
        using Polly;
        using Polly.Retry;

        public class Jobs
        {
            public async Task Submit(HttpClient client, string url, string json, CancellationToken token)
            {
                var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
                    .AddRetry(new RetryStrategyOptions<HttpResponseMessage> { BackoffType = DelayBackoffType.Exponential, MaxRetryAttempts = 3 })
                    .Build();
                await pipeline.ExecuteAsync(async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json) };
                    return await client.[|SendAsync(request, ct)|];
                }, token);
            }
        }
        """,
        """
        using Polly;
        using Polly.Retry;

        public class Jobs
        {
            public async Task Submit(HttpClient client, string url, string json, CancellationToken token)
            {
                var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
                    .AddRetry(new RetryStrategyOptions<HttpResponseMessage> { BackoffType = DelayBackoffType.Exponential, MaxRetryAttempts = 3 })
                    .Build();
                var idempotencyKey = Guid.NewGuid().ToString();
                await pipeline.ExecuteAsync(async ct =>
                {
                    using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json) };
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                    return await client.SendAsync(request, ct);
                }, token);
            }
        }
        """);

    public static TheoryData<string> SilentPolicies() => new()
    {
        // the policy comes from a field: what it is cannot be seen here
        """
        using Polly;

        public class Jira
        {
            private readonly IAsyncPolicy<HttpResponseMessage> _retryPolicy;
            private readonly HttpClient _httpClient;

            public Jira(IAsyncPolicy<HttpResponseMessage> retryPolicy, HttpClient httpClient)
            {
                _retryPolicy = retryPolicy;
                _httpClient = httpClient;
            }

            public Task<HttpResponseMessage> Comment(string url, HttpContent content, CancellationToken cancellationToken)
                => _retryPolicy.ExecuteAsync(() => _httpClient.PostAsync(url, content, cancellationToken));
        }
        """,
        // a circuit breaker alone does not resend
        """
        using Polly;

        public class Facebook
        {
            public async Task<bool> Send(HttpClient client, string url, HttpContent content)
            {
                var breaker = Policy.Handle<HttpRequestException>().CircuitBreakerAsync(2, TimeSpan.FromMinutes(1));
                var response = await breaker.ExecuteAsync(() => client.PostAsync(url, content));
                return response.IsSuccessStatusCode;
            }
        }
        """,
        // a retried GET
        """
        using Polly;

        public class Reader
        {
            public Task<string> Read(HttpClient client, string url)
                => Policy.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(a)).ExecuteAsync(() => client.GetStringAsync(url));
        }
        """,
        // a key stable across attempts (PayPal style)
        """
        using Polly;

        public class PayPal
        {
            public async Task<HttpResponseMessage> Capture(HttpClient client, string url, HttpContent content, string requestId)
            {
                var retry = Policy<HttpResponseMessage>.Handle<HttpRequestException>().WaitAndRetryAsync(3, a => TimeSpan.FromSeconds(a));
                return await retry.ExecuteAsync(async () =>
                {
                    var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
                    request.Headers.Add("PayPal-Request-Id", requestId);
                    return await client.SendAsync(request);
                });
            }
        }
        """,
    };

    [Theory]
    [MemberData(nameof(SilentPolicies))]
    public Task Policy_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    // ---- Resilience handlers of typed clients ----

    private const string OrdersClient = """

        public class OrdersClient
        {
            private readonly HttpClient _http;

            public OrdersClient(HttpClient http) => _http = http;

            public Task<HttpResponseMessage> Create(object order) => _http.PostAsJsonAsync("orders", order);

            public Task<string> Get(string id) => _http.GetStringAsync("orders/" + id);
        }
        """;

    [Fact]
    public Task Handler_StandardWithoutOptions_DisablesUnsafeMethods() => Verify.VerifyCodeFixAsync(
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>(c => c.BaseAddress = new Uri("https://orders"))
                    .[|AddStandardResilienceHandler()|];
            }
        }
        """ + OrdersClient,
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>(c => c.BaseAddress = new Uri("https://orders"))
                    .AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            }
        }
        """ + OrdersClient);

    [Fact]
    public Task Handler_StandardWithExpressionLambda_BecomesBlock() => Verify.VerifyCodeFixAsync(
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<IOrders, OrdersClient>()
                    .[|AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 2)|];
            }
        }

        public interface IOrders
        {
        }
        """ + OrdersClient.Replace("public class OrdersClient", "public class OrdersClient : IOrders"),
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<IOrders, OrdersClient>()
                    .AddStandardResilienceHandler(o =>
                    {
                        o.Retry.MaxRetryAttempts = 2;
                        o.Retry.DisableForUnsafeHttpMethods();
                    });
            }
        }

        public interface IOrders
        {
        }
        """ + OrdersClient.Replace("public class OrdersClient", "public class OrdersClient : IOrders"));

    [Fact]
    public Task Handler_StandardWithBlockLambda_AppendsCall() => Verify.VerifyCodeFixAsync(
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().[|AddStandardResilienceHandler(options =>
                {
                    options.Retry.MaxRetryAttempts = 4;
                })|];
            }
        }
        """ + OrdersClient,
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options =>
                {
                    options.Retry.MaxRetryAttempts = 4;
                    options.Retry.DisableForUnsafeHttpMethods();
                });
            }
        }
        """ + OrdersClient);

    [Fact]
    public Task Handler_StandardFromConfiguration_ChainsConfigure() => Verify.VerifyCodeFixAsync(
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services, IConfiguration configuration)
            {
                services.AddHttpClient<OrdersClient>().[|AddStandardResilienceHandler(configuration.GetSection("Resilience"))|];
            }
        }
        """ + OrdersClient,
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services, IConfiguration configuration)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(configuration.GetSection("Resilience")).Configure(options => options.Retry.DisableForUnsafeHttpMethods());
            }
        }
        """ + OrdersClient);

    [Fact]
    public Task Handler_CustomPipelineWithInlineHttpRetryOptions() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>()
                    .[|AddResilienceHandler("orders", builder => builder.AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 2 }))|];
            }
        }
        """ + OrdersClient,
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>()
                    .AddResilienceHandler("orders", builder =>
                    {
                        var retryOptions = new HttpRetryStrategyOptions { MaxRetryAttempts = 2 };
                        retryOptions.DisableForUnsafeHttpMethods();
                        builder.AddRetry(retryOptions);
                    });
            }
        }
        """ + OrdersClient);

    [Fact]
    public Task Handler_CustomPipelineWithOptionsLocal() => Verify.VerifyCodeFixAsync(
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>()
                    .[|AddResilienceHandler("orders", pipeline =>
                    {
                        var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential };
                        pipeline.AddRetry(retry);
                    })|];
            }
        }
        """ + OrdersClient,
        """
        using Microsoft.Extensions.Http.Resilience;
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>()
                    .AddResilienceHandler("orders", pipeline =>
                    {
                        var retry = new HttpRetryStrategyOptions { MaxRetryAttempts = 3, BackoffType = DelayBackoffType.Exponential };
                        retry.DisableForUnsafeHttpMethods();
                        pipeline.AddRetry(retry);
                    });
            }
        }
        """ + OrdersClient);

    [Fact]
    public Task Handler_ExperimentalDisableFor_IsSuppressed()
    {
        var experimentalStub = RetryStubs.MicrosoftExtensionsHttpResilience.Replace(
            "public static void DisableForUnsafeHttpMethods(",
            "[System.Diagnostics.CodeAnalysis.Experimental(\"EXTEXP0001\")] public static void DisableForUnsafeHttpMethods(",
            StringComparison.Ordinal);
        return Verify.VerifyCodeFixAsync(
            """
            public static class Registration
            {
                public static void Configure(IServiceCollection services)
                {
                    services.AddHttpClient<OrdersClient>().[|AddStandardResilienceHandler()|];
                }
            }
            """ + OrdersClient,
            """
            using Microsoft.Extensions.Http.Resilience;

            public static class Registration
            {
                public static void Configure(IServiceCollection services)
                {
            #pragma warning disable EXTEXP0001
                    services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            #pragma warning restore EXTEXP0001
                }
            }
            """ + OrdersClient,
            RetryStubs.PollyExtensionsHttp, RetryStubs.MicrosoftExtensionsHttpPolly, experimentalStub);
    }

    public static TheoryData<string> SilentHandlers() => new()
    {
        // unsafe methods already skipped
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options => options.Retry.DisableForUnsafeHttpMethods());
            }
        }
        """ + OrdersClient,
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options =>
                {
                    options.Retry.DisableFor(HttpMethod.Post, HttpMethod.Patch);
                    options.Retry.MaxRetryAttempts = 2;
                });
            }
        }
        """ + OrdersClient,
        // a ShouldHandle that looks at the request's method
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(options =>
                    options.Retry.ShouldHandle = args => new ValueTask<bool>(args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get && (int)args.Outcome.Result.StatusCode >= 500));
            }
        }
        """ + OrdersClient,
        // .Configure(…) chained on the handler
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services, IConfiguration configuration)
            {
                services.AddHttpClient<OrdersClient>()
                    .AddStandardResilienceHandler(configuration.GetSection("Resilience"))
                    .Configure(o => o.Retry.DisableForUnsafeHttpMethods());
            }
        }
        """ + OrdersClient,
        // a named client: its calls cannot be seen
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient("orders").AddStandardResilienceHandler();
            }
        }
        """,
        // a typed client that only reads
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<CatalogClient>().AddStandardResilienceHandler();
            }
        }

        public class CatalogClient
        {
            private readonly HttpClient _http;

            public CatalogClient(HttpClient http) => _http = http;

            public Task<string> Get(string id) => _http.GetStringAsync("items/" + id);

            public Task<HttpResponseMessage> Replace(string id, object item) => _http.PutAsJsonAsync("items/" + id, item);
        }
        """,
        // a typed client that sends an idempotency key with its posts
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<StripeClient>().AddStandardResilienceHandler();
            }
        }

        public class StripeClient
        {
            private readonly HttpClient _http;

            public StripeClient(HttpClient http) => _http = http;

            public Task<HttpResponseMessage> Charge(HttpContent content, string key)
            {
                var request = new HttpRequestMessage(HttpMethod.Post, "v1/charges") { Content = content };
                request.Headers.Add("Idempotency-Key", key);
                return _http.SendAsync(request);
            }
        }
        """,
        // defaults for every client: which clients post is not known
        """
        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
                services.AddHttpClient<OrdersClient>();
            }
        }
        """ + OrdersClient,
        // a custom pipeline without retry
        """
        using Polly;

        public static class Registration
        {
            public static void Configure(IServiceCollection services)
            {
                services.AddHttpClient<OrdersClient>().AddResilienceHandler("orders", b => b.AddTimeout(TimeSpan.FromSeconds(5)));
            }
        }
        """ + OrdersClient,
        // options passed as a delegate defined elsewhere
        """
        using Microsoft.Extensions.Http.Resilience;

        public static class Registration
        {
            public static void Configure(IServiceCollection services, Action<HttpStandardResilienceOptions> configure)
            {
                services.AddHttpClient<OrdersClient>().AddStandardResilienceHandler(configure);
            }
        }
        """ + OrdersClient,
    };

    [Theory]
    [MemberData(nameof(SilentHandlers))]
    public Task Handler_Silent(string source) => Verify.VerifyAnalyzerAsync(source);

    [Fact]
    public Task IncompleteCode_DoesNotThrow() => new CodeFixTest<
        ServerErrors.Analyzers.Client.NonIdempotentRetryAnalyzer,
        ServerErrors.Analyzers.CodeFixes.Client.NonIdempotentRetryCodeFix>
    {
        AllowCompilerErrors = true,
        TestCode = """
            public class Broken
            {
                public async Task Post(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.PostAsync("orders", );
                        if (response.IsSuccessStatusCode) return;
                    }

                    services.AddHttpClient<Missing>().AddStandardResilienceHandler(
                }
            }
            """,
        FixedCode = """
            public class Broken
            {
                public async Task Post(HttpClient client)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.PostAsync("orders", );
                        if (response.IsSuccessStatusCode) return;
                    }

                    services.AddHttpClient<Missing>().AddStandardResilienceHandler(
                }
            }
            """,
    }.RunAsync();

    [Fact]
    public Task ConsoleWithoutRetryLibraries_LoopStillChecked() => new CodeFixTest<
        ServerErrors.Analyzers.Client.NonIdempotentRetryAnalyzer,
        ServerErrors.Analyzers.CodeFixes.Client.NonIdempotentRetryCodeFix>
    {
        References = TestReferences.NetCore,
        TestCode = """
            public class Orders
            {
                public async Task Create(HttpClient client, HttpContent content)
                {
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.[|PatchAsync("orders/1", content)|];
                        if (response.IsSuccessStatusCode)
                        {
                            return;
                        }

                        await Task.Delay(1000 << attempt);
                    }
                }
            }
            """,
        FixedCode = """
            public class Orders
            {
                public async Task Create(HttpClient client, HttpContent content)
                {
                    var idempotencyKey = Guid.NewGuid().ToString();
                    for (var attempt = 0; attempt < 3; attempt++)
                    {
                        var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Patch, "orders/1") { Content = content, Headers = { { "Idempotency-Key", idempotencyKey } } });
                        if (response.IsSuccessStatusCode)
                        {
                            return;
                        }

                        await Task.Delay(1000 << attempt);
                    }
                }
            }
            """,
    }.RunAsync();
}
