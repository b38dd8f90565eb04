using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>
/// SE2005 and SE2006 for a real consumer: a fresh console project that references the packed analyzers and the real
/// Microsoft.Extensions.Http.Resilience fails a warnings-as-errors build on both rules, `dotnet format analyzers` fixes
/// both (the fixed code must build without errors: RemoveAllResilienceHandlers is [Experimental] in that package), and
/// the rebuild is clean.
/// </summary>
public sealed class RetryLayerConsumerTests : IDisposable
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

    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "se-retry-consumer-" + Guid.NewGuid().ToString("N"));

    public RetryLayerConsumerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task SE2005_SE2006_FailWarnAsErrorBuild_AndAreFixedByDotnetFormat()
    {
        var version = "0.0.0-retry." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + Guid.NewGuid().ToString("N")[..6];
        var feed = Path.Combine(_root, "feed");
        var app = Path.Combine(_root, "app");
        var packages = Path.Combine(_root, "packages");

        await RunAsync(Repository.Root(), true, "dotnet", "pack", "src/Package", "-c", "Release", "-o", feed, $"-p:Version={version}");
        await RunAsync(_root, true, "dotnet", "new", "console", "-o", app, "--no-restore");

        // The local feed comes on top of the machine's package sources: the resilience package is restored from there.
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var project = Directory.GetFiles(app, "*.csproj").Single();
        File.WriteAllText(project, File.ReadAllText(project).Replace("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="ServerErrors.Analyzers" Version="{version}" />
                <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="10.0.0" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        var program = Path.Combine(app, "Program.cs");
        File.WriteAllText(program, Program);

        var failed = await RunAsync(app, false, "dotnet", "build", "-warnaserror", "--packages", packages);
        Assert.Contains("error SE2005", failed);
        Assert.Contains("error SE2006", failed);

        await RunAsync(app, true, "dotnet", "format", "analyzers", "--diagnostics", "SE2005", "SE2006", "--severity", "warn", "--no-restore");
        var fixedProgram = File.ReadAllText(program);
        Assert.Contains("var idempotencyKey = Guid.NewGuid().ToString();", fixedProgram);
        Assert.Contains("\"Idempotency-Key\", idempotencyKey", fixedProgram);
        Assert.Contains("RemoveAllResilienceHandlers().AddStandardResilienceHandler(", fixedProgram);
        Assert.Contains("#pragma warning disable EXTEXP0001", fixedProgram);

        var rebuilt = await RunAsync(app, true, "dotnet", "build", "-warnaserror", "--packages", packages);
        Assert.DoesNotContain("SE2005", rebuilt);
        Assert.DoesNotContain("SE2006", rebuilt);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }

    private async Task<string> RunAsync(string directory, bool expectSuccess, string fileName, params string[] arguments)
    {
        Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["UseSharedCompilation"] = "false";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = new StringBuilder().Append(await stdout).Append(await stderr).ToString();
        _output.WriteLine($"> {fileName} {string.Join(' ', arguments)} (exit {process.ExitCode})\n{output}");
        if (expectSuccess != (process.ExitCode == 0))
        {
            Assert.Fail($"'{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}, expected {(expectSuccess ? "success" : "failure")}:\n{output}");
        }

        return output;
    }
}
