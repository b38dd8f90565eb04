using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>
/// SE2005 and SE2006 for a real consumer: a fresh console project that references the packed analyzers and the real
/// Microsoft.Extensions.Http.Resilience fails a warnings-as-errors build on both rules, `dotnet format analyzers` fixes
/// both (the fixed code must build without errors: RemoveAllResilienceHandlers is [Experimental] in that package), and
/// the rebuild is clean.
/// </summary>
[Collection(ConsumerCollection.Name)]
public sealed class RetryLayerConsumerTests
{
    private const string Program = """
        using System.Net.Http.Json;
        using Microsoft.Extensions.DependencyInjection;

        var services = new ServiceCollection();
        services.ConfigureHttpClientDefaults(http => http.AddStandardResilienceHandler());
        services.AddHttpClient("orders").AddStandardResilienceHandler(o => o.Retry.MaxRetryAttempts = 5);
        await Orders.Place(new HttpClient(), new Order("sku-1"));

        public record Order(string Sku);

        public static class Orders
        {
            public static async Task<HttpResponseMessage> Place(HttpClient client, Order order)
            {
                for (var attempt = 0; attempt < 3; attempt++)
                {
                    var response = await client.PostAsJsonAsync("https://orders.invalid/orders", order);
                    if ((int)response.StatusCode < 500)
                    {
                        return response;
                    }

                    await Task.Delay(TimeSpan.FromSeconds(Math.Pow(2, attempt)));
                }

                throw new HttpRequestException("gave up");
            }
        }
        """;

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public RetryLayerConsumerTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public async Task SE2005_SE2006_FailWarnAsErrorBuild_AndAreFixedByDotnetFormat()
    {
        // The resilience package comes from the machine's package sources, the analyzers from the local feed.
        var app = await ConsumerApp.CreateAsync(_package, _output, "retry-layers", """
              <ItemGroup>
                <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="10.0.0" />
              </ItemGroup>
            """, template: "console");
        app.Write("Program.cs", Program);

        var failed = await app.BuildAsync(false, "-warnaserror");
        Assert.Contains("error SE2005", failed);
        Assert.Contains("error SE2006", failed);

        await app.RunAsync(true, "format", "analyzers", "--diagnostics", "SE2005", "SE2006", "--severity", "warn", "--no-restore");
        var fixedProgram = app.Read("Program.cs");
        Assert.Contains("var idempotencyKey = Guid.NewGuid().ToString();", fixedProgram);
        Assert.Contains("\"Idempotency-Key\", idempotencyKey", fixedProgram);
        Assert.Contains("RemoveAllResilienceHandlers().AddStandardResilienceHandler(", fixedProgram);
        Assert.Contains("#pragma warning disable EXTEXP0001", fixedProgram);

        var rebuilt = await app.BuildAsync(true, "-warnaserror");
        Assert.DoesNotContain("SE2005", rebuilt);
        Assert.DoesNotContain("SE2006", rebuilt);
    }
}
