using System.Diagnostics;
using System.Text;
using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>The consumer tests share one packed package and run one at a time (each drives the SDK).</summary>
[CollectionDefinition(Name)]
public sealed class ConsumerCollection : ICollectionFixture<PackedPackage>
{
    public const string Name = "Consumer";
}

/// <summary>
/// The package packed once per test run into a local folder feed, with a unique version so that NuGet never reuses a
/// package cached by an earlier run, and a packages folder of its own so nothing lands in the user's cache.
/// </summary>
public sealed class PackedPackage : IDisposable
{
    public PackedPackage()
    {
        Version = "0.0.0-consumer." + DateTime.UtcNow.ToString("yyyyMMddHHmmss") + Guid.NewGuid().ToString("N")[..6];
        Feed = Path.Combine(Root, "feed");
        Packages = Path.Combine(Root, "packages");
        var (exitCode, output) = Dotnet.Run(Repository.Root(), "pack", "src/Package", "-c", "Release", "-o", Feed, $"-p:Version={Version}").GetAwaiter().GetResult();
        if (exitCode != 0 || !File.Exists(Path.Combine(Feed, $"ServerErrors.Analyzers.{Version}.nupkg")))
        {
            throw new InvalidOperationException("dotnet pack did not produce the package:\n" + output);
        }
    }

    public string Root { get; } = Path.Combine(Path.GetTempPath(), "se-consumer-" + Guid.NewGuid().ToString("N"));

    public string Version { get; }

    public string Feed { get; }

    public string Packages { get; }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: the temp folder is not worth failing a passing run over.
        }
    }
}

/// <summary>A fresh `dotnet new web` (or other template) project that references the packed package through the local feed.</summary>
public sealed class ConsumerApp
{
    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    private ConsumerApp(PackedPackage package, ITestOutputHelper output, string directory)
    {
        _package = package;
        _output = output;
        Directory = directory;
    }

    public string Directory { get; }

    public string ProjectFile => System.IO.Directory.GetFiles(Directory, "*.csproj").Single();

    /// <summary>
    /// Creates the project. <paramref name="projectAdditions"/> is inserted before <c>&lt;/Project&gt;</c> (package
    /// references, properties). The local feed is added to the machine's package sources, which serve the rest.
    /// </summary>
    public static async Task<ConsumerApp> CreateAsync(PackedPackage package, ITestOutputHelper output, string name, string projectAdditions = "", string template = "web")
    {
        var directory = Path.Combine(package.Root, name);
        var (exitCode, text) = await Dotnet.Run(package.Root, "new", template, "-o", directory, "--no-restore");
        output.WriteLine(text);
        Assert.True(exitCode == 0, $"dotnet new {template} failed:\n" + text);

        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <add key="local" value="{package.Feed}" />
              </packageSources>
            </configuration>
            """);
        var app = new ConsumerApp(package, output, directory);
        var csproj = File.ReadAllText(app.ProjectFile);
        File.WriteAllText(app.ProjectFile, csproj.Replace("</Project>", $"""
              <ItemGroup>
                <PackageReference Include="ServerErrors.Analyzers" Version="{package.Version}" />
              </ItemGroup>
            {projectAdditions}
            </Project>
            """, StringComparison.Ordinal));
        return app;
    }

    public void Write(string relativePath, string content) => File.WriteAllText(Path.Combine(Directory, relativePath), content);

    public string Read(string relativePath) => File.ReadAllText(Path.Combine(Directory, relativePath));

    public void Delete(string relativePath) => File.Delete(Path.Combine(Directory, relativePath));

    /// <summary>`dotnet build` (restoring into the run's own packages folder); fails the test when the exit code is not the expected one.</summary>
    public Task<string> BuildAsync(bool expectSuccess, params string[] arguments)
        => RunAsync(expectSuccess, new[] { "build", "--packages", _package.Packages }.Concat(arguments).ToArray());

    public async Task<string> RunAsync(bool expectSuccess, params string[] arguments)
    {
        var (exitCode, output) = await Dotnet.Run(Directory, arguments);
        _output.WriteLine($"> dotnet {string.Join(' ', arguments)} (exit {exitCode})\n{output}");
        if (expectSuccess != (exitCode == 0))
        {
            Assert.Fail($"'dotnet {string.Join(' ', arguments)}' exited with {exitCode}, expected {(expectSuccess ? "success" : "failure")}:\n{output}");
        }

        return output;
    }
}

internal static class Dotnet
{
    public static async Task<(int ExitCode, string Output)> Run(string directory, params string[] arguments)
    {
        System.IO.Directory.CreateDirectory(directory);
        var start = new ProcessStartInfo("dotnet")
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
        return (process.ExitCode, new StringBuilder().Append(await stdout).Append(await stderr).ToString());
    }
}
