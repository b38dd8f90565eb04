using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>
/// Proves the package works for a real consumer: pack it, reference it from a fresh `dotnet new web`
/// project through a local folder feed, and drive the SDK the way users and CI do.
/// </summary>
public sealed class ConsumerTests : IDisposable
{
    private const string UnguardedProgram = """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();

        app.UseDeveloperExceptionPage();

        app.MapGet("/", () => "Hello World!");

        app.Run();
        """;

    private readonly ITestOutputHelper _output;
    private readonly string _root = Path.Combine(Path.GetTempPath(), "se-consumer-" + Guid.NewGuid().ToString("N"));

    public ConsumerTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task Package_FailsWarnAsErrorBuild_IsFixedByDotnetFormat_AndIsSilencedByEditorConfig()
    {
        // A unique version keeps NuGet from reusing a package cached by an earlier run.
        var version = "0.0.0-consumer." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + Guid.NewGuid().ToString("N")[..6];
        var feed = Path.Combine(_root, "feed");
        var app = Path.Combine(_root, "app");
        var packages = Path.Combine(_root, "packages");

        await RunAsync(Repository.Root(), "dotnet", "pack", "src/Package", "-c", "Release", "-o", feed, $"-p:Version={version}");
        Assert.True(File.Exists(Path.Combine(feed, $"ServerErrors.Analyzers.{version}.nupkg")), "dotnet pack did not produce the package.");

        await RunAsync(_root, "dotnet", "new", "web", "-o", app, "--no-restore");
        File.WriteAllText(Path.Combine(app, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="local" value="{feed}" />
              </packageSources>
            </configuration>
            """);
        var project = Directory.GetFiles(app, "*.csproj").Single();
        var csproj = File.ReadAllText(project);
        File.WriteAllText(project, csproj.Replace("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="ServerErrors.Analyzers" Version="{version}" />
              </ItemGroup>
            </Project>
            """, StringComparison.Ordinal));
        var program = Path.Combine(app, "Program.cs");
        File.WriteAllText(program, UnguardedProgram);

        // The warning fails a warnings-as-errors build.
        var failed = await RunAsync(app, expectSuccess: false, "dotnet", "build", "-warnaserror", "--packages", packages);
        Assert.Contains("error SE1002", failed);

        // `dotnet format analyzers` applies the code fix.
        await RunAsync(app, "dotnet", "format", "analyzers", "--diagnostics", "SE1002", "--severity", "warn", "--no-restore");
        var fixedProgram = File.ReadAllText(program);
        Assert.Contains("if (app.Environment.IsDevelopment())", fixedProgram);
        Assert.Contains("app.UseDeveloperExceptionPage();", fixedProgram);

        var rebuilt = await RunAsync(app, "dotnet", "build", "-warnaserror", "--packages", packages);
        Assert.DoesNotContain("SE1002", rebuilt);

        // An .editorconfig severity of none silences the rule.
        File.WriteAllText(program, UnguardedProgram);
        File.WriteAllText(Path.Combine(app, ".editorconfig"), "root = true\n\n[*.cs]\ndotnet_diagnostic.SE1002.severity = none\n");
        var silenced = await RunAsync(app, "dotnet", "build", "-warnaserror", "--packages", packages);
        Assert.DoesNotContain("SE1002", silenced);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is not worth failing a passing test over.
        }
    }

    private Task<string> RunAsync(string directory, string fileName, params string[] arguments)
        => RunAsync(directory, expectSuccess: true, fileName, arguments);

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

        // No build servers outliving the test, no first-run noise.
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
