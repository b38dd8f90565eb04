using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using ServerErrors.Analyzers.Tests.Stubs;

namespace ServerErrors.Analyzers.Benchmarks;

/// <summary>
/// The corpora the ratio benchmark compiles, generated in code so that every run (and every machine) measures the
/// same source. Each file differs only in its names, so the cost grows linearly with the file count.
/// </summary>
public static class Corpora
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> NetCoreReferences = new(() => FromDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!));

    private static readonly Lazy<ImmutableArray<MetadataReference>> WebReferences = new(() => NetCoreReferences.Value
        .AddRange(FromDirectory(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!))
        .Add(MetadataReference.CreateFromFile(typeof(Polly.Policy).Assembly.Location))
        .Add(MetadataReference.CreateFromFile(typeof(Polly.ResiliencePipeline).Assembly.Location)));

    public static ImmutableArray<string> Names { get; } = ImmutableArray.Create("dense", "realistic", "console", "business");

    /// <summary>The corpus by name; <paramref name="scale"/> multiplies its file count (1 = the documented size).</summary>
    public static CSharpCompilation Create(string name, double scale = 1.0, bool concurrentBuild = false) => name switch
    {
        // (a) Every file holds every rule's shapes: the worst case the rules must stay cheap on.
        "dense" => Create("Dense", WebReferences.Value, Scaled(400, scale), i => DenseWebFile(i), withStubs: true, concurrentBuild),
        // (b) An ordinary app: business code, one file in twenty handles HTTP errors or retries.
        "realistic" => Create("Realistic", WebReferences.Value, Scaled(520, scale), i => i % 20 == 7 ? DenseWebFile(i) : BusinessFile(i, web: true), withStubs: true, concurrentBuild),
        // (c) A console app / library: no ASP.NET Core, no Polly, no retry loops.
        "console" => Create("Console", NetCoreReferences.Value, Scaled(500, scale), i => BusinessFile(i, web: false), withStubs: false, concurrentBuild),
        // (d) The realistic corpus without its web error-handling files: what ordinary web code costs, where no rule can
        // report; its floor is the driver's per-callback cost times the operation actions registered.
        "business" => Create("Business", WebReferences.Value, Scaled(500, scale), i => BusinessFile(i, web: true), withStubs: true, concurrentBuild),
        _ => throw new ArgumentException($"unknown corpus '{name}' (expected one of: {string.Join(", ", Names)})"),
    };

    private static int Scaled(int files, double scale) => Math.Max(1, (int)Math.Round(files * scale));

    private static CSharpCompilation Create(string name, ImmutableArray<MetadataReference> references, int files, Func<int, string> source, bool withStubs, bool concurrentBuild)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree>(files + 1);
        for (var i = 0; i < files; i++)
        {
            trees.Add(CSharpSyntaxTree.ParseText(source(i), parse, path: $"/src/{name}/File{i:D4}.cs"));
        }

        if (withStubs)
        {
            // The retry packages the registry copy lacks, with their real namespaces (the tests use the same stubs).
            var stubs = RetryStubs.PollyExtensionsHttp + "\n" + RetryStubs.MicrosoftExtensionsHttpPolly + "\n" + RetryStubs.MicrosoftExtensionsHttpResilience + "\n" + RetryStubs.PollyContribWaitAndRetry;
            trees.Add(CSharpSyntaxTree.ParseText(stubs, parse, path: $"/src/{name}/Stubs.cs"));
        }

        return CSharpCompilation.Create(
            name,
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: concurrentBuild));
    }

    /// <summary>
    /// Every rule's shapes, firing and near misses: controllers, minimal APIs, middleware whose status is a local
    /// narrowed by a switch, exception handlers, 503/429 responses, Retry-After values, startup code, Polly v7/v8
    /// policies, resilience handlers (also stacked on a typed client), hand-written HttpClient retry loops (also resending a POST).
    /// </summary>
    public static string DenseWebFile(int i) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Net;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.AspNetCore.Builder;
        using Microsoft.AspNetCore.Diagnostics;
        using Microsoft.AspNetCore.Hosting;
        using Microsoft.AspNetCore.Http;
        using Microsoft.AspNetCore.Mvc;
        using Microsoft.AspNetCore.RateLimiting;
        using Microsoft.Extensions.DependencyInjection;
        using Microsoft.Extensions.Hosting;
        using Microsoft.Extensions.Http.Resilience;
        using Microsoft.Extensions.Logging;
        using Polly;
        using Polly.Contrib.WaitAndRetry;
        using Polly.Extensions.Http;
        using Polly.Retry;

        namespace Dense{{i}};

        public sealed record OrderDto{{i}}(int Id, string Name, decimal Total);

        [ApiController]
        [Route("api/orders{{i}}")]
        public class OrdersController{{i}} : ControllerBase
        {
            private readonly ILogger<OrdersController{{i}}> _logger;
            private readonly Dictionary<int, OrderDto{{i}}> _orders = new();

            public OrdersController{{i}}(ILogger<OrdersController{{i}}> logger) => _logger = logger;

            [HttpGet("{id:int}")]
            public IActionResult Get(int id)
            {
                try
                {
                    if (id < 0) return BadRequest("negative id");
                    return _orders.TryGetValue(id, out var order) ? Ok(order) : NotFound();
                }
                catch (InvalidOperationException ex)
                {
                    _logger.LogError(ex, "failed");
                    return StatusCode(500, new { error = ex.Message, trace = ex.StackTrace });
                }
            }

            [HttpPost]
            public IActionResult Create(OrderDto{{i}} dto)
            {
                try
                {
                    _orders.Add(dto.Id, dto);
                    return Ok(dto);
                }
                catch (ArgumentException ex)
                {
                    // A 4xx with the message: not flagged.
                    return BadRequest(ex.Message);
                }
                catch (Exception ex)
                {
                    var detail = "Create failed: " + ex;
                    return Problem(detail: detail);
                }
            }

            [HttpGet("safe")]
            public IActionResult Safe()
            {
                try
                {
                    return Ok(_orders.Values.Where(o => o.Total > 10).Select(o => o.Name).ToList());
                }
                catch (Exception ex)
                {
                    _logger.LogError(ex, "listing failed");
                    return StatusCode(StatusCodes.Status500InternalServerError, new { error = "An unexpected error occurred.", HttpContext.TraceIdentifier });
                }
            }

            [HttpGet("busy")]
            public IActionResult Busy() => StatusCode(503);

            [HttpGet("maintenance")]
            public IActionResult Maintenance(bool down)
            {
                if (down)
                {
                    return StatusCode(StatusCodes.Status503ServiceUnavailable, new { error = "Down for maintenance" });
                }

                Response.Headers.RetryAfter = "120";
                return StatusCode(503);
            }

            [HttpGet("throttled")]
            public IActionResult Throttled() => Problem(title: "Too many requests", statusCode: StatusCodes.Status429TooManyRequests);

            [HttpGet("later")]
            public IActionResult Later()
            {
                Response.Headers.RetryAfter = "5 minutes";
                return StatusCode(503);
            }

            [HttpGet("computed")]
            public IActionResult Computed(bool overloaded)
            {
                var status = overloaded ? 503 : 200;
                return StatusCode(status);
            }
        }

        public class ErrorMiddleware{{i}}
        {
            private readonly RequestDelegate _next;
            private readonly ILogger<ErrorMiddleware{{i}}> _logger;

            public ErrorMiddleware{{i}}(RequestDelegate next, ILogger<ErrorMiddleware{{i}}> logger)
            {
                _next = next;
                _logger = logger;
            }

            public async Task InvokeAsync(HttpContext context)
            {
                try
                {
                    await _next(context);
                }
                catch (Exception ex)
                {
                    int status;
                    switch (ex)
                    {
                        case ArgumentException:
                            status = StatusCodes.Status400BadRequest;
                            break;
                        case TimeoutException:
                            status = StatusCodes.Status503ServiceUnavailable;
                            break;
                        default:
                            status = StatusCodes.Status500InternalServerError;
                            break;
                    }

                    _logger.LogError(ex, "request failed");
                    context.Response.StatusCode = status;
                    await context.Response.WriteAsync(ex.Message);
                }
            }
        }

        public class MaintenanceMiddleware{{i}}
        {
            private readonly RequestDelegate _next;

            public MaintenanceMiddleware{{i}}(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                if (context.Request.Path.StartsWithSegments("/admin{{i}}"))
                {
                    context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                    await context.Response.WriteAsync("Down for maintenance");
                    return;
                }

                if (context.Request.Path.StartsWithSegments("/slow{{i}}"))
                {
                    context.Response.Headers.RetryAfter = TimeSpan.FromMinutes(1).ToString();
                    context.Response.StatusCode = 429;
                    return;
                }

                await _next(context);
            }
        }

        public class ProblemMiddleware{{i}}
        {
            private readonly RequestDelegate _next;

            public ProblemMiddleware{{i}}(RequestDelegate next) => _next = next;

            public async Task InvokeAsync(HttpContext context)
            {
                try
                {
                    await _next(context);
                }
                catch (Exception ex)
                {
                    var status = ex switch
                    {
                        KeyNotFoundException => StatusCodes.Status404NotFound,
                        TimeoutException => StatusCodes.Status503ServiceUnavailable,
                        _ => StatusCodes.Status500InternalServerError,
                    };

                    await WriteError(context, status, ex);
                }
            }

            private static Task WriteError(HttpContext context, int status, Exception ex)
            {
                context.Response.StatusCode = status;
                return context.Response.WriteAsJsonAsync(new { error = Describe(ex) });
            }

            private static string Describe(Exception ex) => ex.GetType().Name + ": " + ex.Message;
        }

        public sealed class ExceptionHandler{{i}} : IExceptionHandler
        {
            public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
            {
                httpContext.Response.StatusCode = 500;
                await httpContext.Response.WriteAsJsonAsync(new ProblemDetails { Title = "Error", Detail = exception.ToString() }, cancellationToken);
                return true;
            }
        }

        public static class Startup{{i}}
        {
            public static void Configure(WebApplication app, IWebHostEnvironment env)
            {
                if (env.IsDevelopment())
                {
                    app.UseDeveloperExceptionPage();
                }

                app.UseDeveloperExceptionPage();

                app.UseExceptionHandler(errorApp => errorApp.Run(async context =>
                {
                    var feature = context.Features.Get<IExceptionHandlerFeature>();
                    context.Response.StatusCode = 500;
                    await context.Response.WriteAsync(feature?.Error.Message ?? "error");
                }));

                app.MapGet("/a{{i}}", () => Results.Ok());
                app.MapGet("/orders{{i}}", () => Results.StatusCode(503));
                app.MapGet("/search{{i}}", (string q) => TypedResults.StatusCode(429));
                app.MapGet("/healthz{{i}}", (bool ready) => ready ? Results.Ok() : Results.StatusCode(503));
                app.MapGet("/b{{i}}", (HttpContext ctx) =>
                {
                    ctx.Response.Headers.RetryAfter = "30";
                    return Results.StatusCode(503);
                });
                app.MapGet("/c{{i}}", (int id) =>
                {
                    try
                    {
                        return Results.Ok(id > 0 ? id : throw new ArgumentOutOfRangeException(nameof(id)));
                    }
                    catch (Exception ex)
                    {
                        return Results.Problem(detail: ex.ToString(), title: "lookup failed");
                    }
                });
            }

            public static void Services(IServiceCollection services, IHostEnvironment env)
            {
                services.AddSignalR(o => o.EnableDetailedErrors = true);
                services.AddSignalR(o => o.EnableDetailedErrors = env.IsDevelopment());
                services.AddRateLimiter(options => options.RejectionStatusCode = StatusCodes.Status429TooManyRequests);
                services.AddHttpClient("orders{{i}}").AddTransientHttpErrorPolicy(p => p.WaitAndRetryAsync(3, _ => TimeSpan.FromSeconds(1)));
                services.AddHttpClient("stock{{i}}").AddPolicyHandler(Policies{{i}}.RetriesClientErrors());
                services.AddHttpClient("prices{{i}}").AddResilienceHandler("retry", b => b.AddRetry(new RetryStrategyOptions<HttpResponseMessage> { MaxRetryAttempts = 3 }));
                services.AddHttpClient<OrdersClient{{i}}>().AddTransientHttpErrorPolicy(p => p.RetryAsync(2)).AddStandardResilienceHandler();
            }
        }

        public static class Policies{{i}}
        {
            public static AsyncPolicy<HttpResponseMessage> RetriesClientErrors() => Policy
                .HandleResult<HttpResponseMessage>(r => !r.IsSuccessStatusCode)
                .RetryAsync(3);

            public static AsyncPolicy ConstantWait() => Policy
                .Handle<HttpRequestException>()
                .WaitAndRetryAsync(5, _ => TimeSpan.FromSeconds(2));

            public static AsyncPolicy<HttpResponseMessage> IgnoresRetryAfter() => Policy
                .HandleResult<HttpResponseMessage>(r => r.StatusCode == HttpStatusCode.ServiceUnavailable)
                .WaitAndRetryAsync(3, attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            public static AsyncPolicy RetriesForever() => Policy
                .Handle<HttpRequestException>()
                .WaitAndRetryForeverAsync(attempt => TimeSpan.FromSeconds(Math.Pow(2, attempt)));

            public static AsyncPolicy<HttpResponseMessage> Transient() => HttpPolicyExtensions
                .HandleTransientHttpError()
                .WaitAndRetryAsync(Backoff.ExponentialBackoff(TimeSpan.FromMilliseconds(200), 4));

            public static AsyncPolicy<HttpResponseMessage> ConstantList() => HttpPolicyExtensions
                .HandleTransientHttpError()
                .WaitAndRetryAsync(Backoff.ConstantBackoff(TimeSpan.FromMilliseconds(200), 4));

            public static ResiliencePipeline<HttpResponseMessage> V8Pipeline() => new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    ShouldHandle = new PredicateBuilder<HttpResponseMessage>()
                        .Handle<HttpRequestException>()
                        .HandleResult(r => r.StatusCode == HttpStatusCode.TooManyRequests || r.StatusCode == HttpStatusCode.NotFound),
                    MaxRetryAttempts = int.MaxValue,
                })
                .Build();

            public static ResiliencePipeline<HttpResponseMessage> V8Good() => new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddRetry(new HttpRetryStrategyOptions { MaxRetryAttempts = 4, Delay = TimeSpan.FromMilliseconds(300) })
                .Build();
        }

        public class OrdersClient{{i}}
        {
            private readonly HttpClient _http;

            public OrdersClient{{i}}(HttpClient http) => _http = http;

            public async Task<HttpResponseMessage> GetWithRetry(string url)
            {
                while (true)
                {
                    var response = await _http.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        return response;
                    }

                    await Task.Delay(1000);
                }
            }

            public async Task<HttpResponseMessage> GetWhenAvailable(string url, CancellationToken cancellationToken)
            {
                for (var attempt = 0; ; attempt++)
                {
                    var response = await _http.GetAsync(url, cancellationToken);
                    if (response.StatusCode != HttpStatusCode.ServiceUnavailable || attempt == 3)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)), cancellationToken);
                }
            }

            public async Task<HttpResponseMessage> Send(string url)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await _http.GetAsync(url);
                    if ((int)response.StatusCode < 500) return response;
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * Math.Pow(2, attempt)));
                }

                return await _http.GetAsync(url);
            }

            public async Task<string> EnsureLoop(string url)
            {
                var attempt = 0;
                do
                {
                    try
                    {
                        var response = await _http.GetAsync(url);
                        response.EnsureSuccessStatusCode();
                        return await response.Content.ReadAsStringAsync();
                    }
                    catch (HttpRequestException) when (attempt < 4)
                    {
                        await Task.Delay(500);
                    }

                    attempt++;
                }
                while (true);
            }

            public async Task<HttpResponseMessage> Throttled(string url)
            {
                HttpResponseMessage response;
                var tries = 0;
                do
                {
                    response = await _http.GetAsync(url);
                    if (response.StatusCode == HttpStatusCode.TooManyRequests && response.Headers.RetryAfter?.Delta is { } wait)
                    {
                        await Task.Delay(wait);
                        continue;
                    }

                    break;
                }
                while (++tries < 5);

                return response;
            }

            public async Task<HttpResponseMessage> PostWithRetry(string url, HttpContent content)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await _http.PostAsync(url, content);
                    if (response.IsSuccessStatusCode) return response;
                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                return await _http.PostAsync(url, content);
            }

            public Task<HttpResponseMessage> PostWithPolicy(string url, HttpContent content) =>
                Policies{{i}}.Transient().ExecuteAsync(() => _http.PostAsync(url, content));

            public async Task<List<string>> FetchAll(string[] urls)
            {
                var pages = new List<string>();
                foreach (var url in urls)
                {
                    var response = await _http.GetAsync(url);
                    if (response.IsSuccessStatusCode)
                    {
                        pages.Add(await response.Content.ReadAsStringAsync());
                    }
                }

                return pages;
            }
        }
        """;

    /// <summary>
    /// Ordinary business code: DTOs, a repository, a service with LINQ, validation that throws, and (in a web app)
    /// a controller without any error handling of its own.
    /// </summary>
    public static string BusinessFile(int i, bool web) => $$"""
        using System;
        using System.Collections.Generic;
        using System.Globalization;
        using System.Linq;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;
        {{(web ? "using Microsoft.AspNetCore.Mvc;\nusing Microsoft.Extensions.Logging;" : "")}}

        namespace Business{{i}};

        public sealed record CustomerDto{{i}}(int Id, string Name, string Email, DateTime Created);

        public sealed record InvoiceLine{{i}}(string Sku, int Quantity, decimal UnitPrice)
        {
            public decimal Total => Quantity * UnitPrice;
        }

        public sealed class Invoice{{i}}
        {
            public int Id { get; set; }
            public int CustomerId { get; set; }
            public List<InvoiceLine{{i}}> Lines { get; } = new();
            public DateTime Due { get; set; }
            public bool Paid { get; set; }
        }

        public interface ICustomerRepository{{i}}
        {
            Task<CustomerDto{{i}}?> FindAsync(int id, CancellationToken cancellationToken);
            IReadOnlyList<CustomerDto{{i}}> All();
        }

        public sealed class InMemoryCustomerRepository{{i}} : ICustomerRepository{{i}}
        {
            private readonly Dictionary<int, CustomerDto{{i}}> _customers = new();

            public Task<CustomerDto{{i}}?> FindAsync(int id, CancellationToken cancellationToken)
                => Task.FromResult(_customers.TryGetValue(id, out var customer) ? customer : null);

            public IReadOnlyList<CustomerDto{{i}}> All() => _customers.Values.OrderBy(c => c.Name, StringComparer.Ordinal).ToList();

            public void Add(CustomerDto{{i}} customer)
            {
                if (string.IsNullOrWhiteSpace(customer.Email) || !customer.Email.Contains('@'))
                {
                    throw new ArgumentException("invalid email", nameof(customer));
                }

                _customers[customer.Id] = customer;
            }
        }

        public sealed class BillingService{{i}}
        {
            private readonly ICustomerRepository{{i}} _customers;
            private readonly List<Invoice{{i}}> _invoices = new();

            public BillingService{{i}}(ICustomerRepository{{i}} customers) => _customers = customers;

            public decimal Outstanding(int customerId)
                => _invoices.Where(x => x.CustomerId == customerId && !x.Paid).SelectMany(x => x.Lines).Sum(l => l.Total);

            public IEnumerable<(string Name, decimal Total)> TopCustomers(int count)
                => _invoices.GroupBy(x => x.CustomerId)
                    .Select(g => (Name: _customers.All().FirstOrDefault(c => c.Id == g.Key)?.Name ?? "?", Total: g.SelectMany(x => x.Lines).Sum(l => l.Total)))
                    .OrderByDescending(t => t.Total)
                    .Take(count);

            public async Task<string> StatementAsync(int customerId, CancellationToken cancellationToken)
            {
                var customer = await _customers.FindAsync(customerId, cancellationToken) ?? throw new InvalidOperationException($"customer {customerId} not found");
                var builder = new StringBuilder();
                builder.Append(customer.Name).Append(' ').AppendLine(customer.Email);
                foreach (var invoice in _invoices.Where(x => x.CustomerId == customerId).OrderBy(x => x.Due))
                {
                    builder.AppendLine(string.Create(CultureInfo.InvariantCulture, $"{invoice.Id}: {invoice.Lines.Sum(l => l.Total):0.00} due {invoice.Due:yyyy-MM-dd}"));
                }

                return builder.ToString();
            }

            public int Overdue(DateTime now)
            {
                var count = 0;
                for (var k = 0; k < _invoices.Count; k++)
                {
                    if (_invoices[k].Paid) continue;
                    if (_invoices[k].Due < now) count++;
                }

                return count;
            }

            public bool TryParseSku(string text, out int sku)
            {
                try
                {
                    sku = int.Parse(text.AsSpan(4), NumberStyles.Integer, CultureInfo.InvariantCulture);
                    return true;
                }
                catch (FormatException ex)
                {
                    Console.Error.WriteLine(ex.Message);
                    sku = 0;
                    return false;
                }
            }

            public string Classify(Invoice{{i}} invoice) => invoice switch
            {
                { Paid: true } => "paid",
                { Lines.Count: 0 } => "empty",
                _ when invoice.Due < DateTime.UtcNow => "overdue",
                _ => "open",
            };
        }
        {{(web ? WebController(i) : "")}}
        """;

    private static string WebController(int i) => $$"""

        [ApiController]
        [Route("api/customers{{i}}")]
        public sealed class CustomersController{{i}} : ControllerBase
        {
            private readonly ICustomerRepository{{i}} _customers;
            private readonly BillingService{{i}} _billing;
            private readonly ILogger<CustomersController{{i}}> _logger;

            public CustomersController{{i}}(ICustomerRepository{{i}} customers, BillingService{{i}} billing, ILogger<CustomersController{{i}}> logger)
            {
                _customers = customers;
                _billing = billing;
                _logger = logger;
            }

            [HttpGet("{id:int}")]
            public async Task<IActionResult> Get(int id, CancellationToken cancellationToken)
            {
                var customer = await _customers.FindAsync(id, cancellationToken);
                _logger.LogInformation("customer {Id} requested", id);
                return customer is null ? NotFound() : Ok(customer);
            }

            [HttpGet]
            public IActionResult List([FromQuery] int top = 10) => Ok(_billing.TopCustomers(top).Select(t => new { t.Name, t.Total }));

            [HttpGet("{id:int}/outstanding")]
            public IActionResult Outstanding(int id) => id <= 0 ? BadRequest() : Ok(_billing.Outstanding(id));
        }
        """;

    private static ImmutableArray<MetadataReference> FromDirectory(string directory)
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            using var stream = File.OpenRead(file);
            using var reader = new PEReader(stream);
            if (reader.HasMetadata && reader.GetMetadataReader().IsAssembly)
            {
                builder.Add(MetadataReference.CreateFromFile(file));
            }
        }

        return builder.ToImmutable();
    }
}
