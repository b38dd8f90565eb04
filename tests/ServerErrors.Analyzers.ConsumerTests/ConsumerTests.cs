using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>
/// Proves the package works for a real consumer: pack it, reference it from a fresh `dotnet new web`
/// project through a local folder feed, and drive the SDK the way users and CI do.
/// </summary>
[Collection(ConsumerCollection.Name)]
public sealed class ConsumerTests
{
    private const string UnguardedProgram = """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();

        app.UseDeveloperExceptionPage();

        app.MapGet("/", () => "Hello World!");

        app.Run();
        """;

    // The README's SARIF snippet, as written there.
    private const string SarifProperty = """
          <PropertyGroup>
            <ErrorLog>$(MSBuildProjectDirectory)/analyzers.sarif,version=2.1</ErrorLog>
          </PropertyGroup>
        """;

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public ConsumerTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public async Task Package_FailsWarnAsErrorBuild_WritesSarif_IsFixedByDotnetFormat_AndIsSilencedByEditorConfig()
    {
        var app = await ConsumerApp.CreateAsync(_package, _output, "unguarded", SarifProperty);
        app.Write("Program.cs", UnguardedProgram);

        // The warning fails a warnings-as-errors build.
        var failed = await app.BuildAsync(expectSuccess: false, "-warnaserror");
        Assert.Contains("error SE1002", failed);

        // The README's ErrorLog snippet works in a fresh project (no folder to create) and writes SARIF 2.1 with the result.
        AssertSarifHasResult(app.Read("analyzers.sarif"), "SE1002");

        // `dotnet format analyzers` applies the code fix.
        await app.RunAsync(expectSuccess: true, "format", "analyzers", "--diagnostics", "SE1002", "--severity", "warn", "--no-restore");
        var fixedProgram = app.Read("Program.cs");
        Assert.Contains("if (app.Environment.IsDevelopment())", fixedProgram);
        Assert.Contains("app.UseDeveloperExceptionPage();", fixedProgram);

        var rebuilt = await app.BuildAsync(expectSuccess: true, "-warnaserror");
        Assert.DoesNotContain("SE1002", rebuilt);

        // An .editorconfig severity of none silences the rule.
        app.Write("Program.cs", UnguardedProgram);
        app.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.SE1002.severity = none\n");
        var silenced = await app.BuildAsync(expectSuccess: true, "-warnaserror");
        Assert.DoesNotContain("SE1002", silenced);
    }

    internal static void AssertSarifHasResult(string sarif, string ruleId)
    {
        using var document = JsonDocument.Parse(sarif);
        var root = document.RootElement;
        Assert.Equal("2.1.0", root.GetProperty("version").GetString());
        var results = root.GetProperty("runs")[0].GetProperty("results").EnumerateArray().ToList();
        Assert.Contains(results, r => r.GetProperty("ruleId").GetString() == ruleId
            && r.GetProperty("locations")[0].GetProperty("physicalLocation").GetProperty("artifactLocation").GetProperty("uri").GetString()!.EndsWith("Program.cs", StringComparison.Ordinal));
    }
}
