using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>
/// &lt;ServerErrorsAnalysisMode&gt; (buildTransitive/ServerErrors.Analyzers.targets): each preset changes what
/// `dotnet build` reports, and the user's .editorconfig and .globalconfig still win over it.
/// </summary>
[Collection(ConsumerCollection.Name)]
public sealed class AnalysisModeTests
{
    // SE1002 is a Warning rule, SE1004 an Info rule.
    private const string Program = """
        var builder = WebApplication.CreateBuilder(args);
        var app = builder.Build();

        app.UseDeveloperExceptionPage();

        app.MapGet("/", () => Results.StatusCode(429));

        app.Run();
        """;

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public AnalysisModeTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public async Task AnalysisMode_SelectsThePreset_AndUserConfigurationWins()
    {
        var app = await ConsumerApp.CreateAsync(_package, _output, "modes");
        app.Write("Program.cs", Program);

        // Default: the Info rule stays out of the build output.
        var defaults = await app.BuildAsync(expectSuccess: true);
        Assert.Contains("warning SE1002", defaults);
        Assert.DoesNotContain("SE1004", defaults);

        // Recommended, set in the project file as users do: the Info rule becomes a warning.
        File.WriteAllText(app.ProjectFile, File.ReadAllText(app.ProjectFile).Replace("</Project>", """
              <PropertyGroup>
                <ServerErrorsAnalysisMode>Recommended</ServerErrorsAnalysisMode>
              </PropertyGroup>
            </Project>
            """, StringComparison.Ordinal));
        var recommended = await app.BuildAsync(expectSuccess: true);
        Assert.Contains("warning SE1002", recommended);
        Assert.Contains("warning SE1004", recommended);

        // All: every rule is an error (a global property overrides the project's value).
        var all = await app.BuildAsync(expectSuccess: false, "-p:ServerErrorsAnalysisMode=All");
        Assert.Contains("error SE1002", all);
        Assert.Contains("error SE1004", all);

        // None: nothing at all.
        var none = await app.BuildAsync(expectSuccess: true, "-p:ServerErrorsAnalysisMode=None");
        Assert.DoesNotContain("SE1002", none);
        Assert.DoesNotContain("SE1004", none);

        // A typo is reported and falls back to Default.
        var typo = await app.BuildAsync(expectSuccess: true, "-p:ServerErrorsAnalysisMode=Recomended");
        Assert.Contains("ServerErrorsAnalysisMode 'Recomended' is not one of Default, Recommended, All, None", typo);
        Assert.Contains("warning SE1002", typo);
        Assert.DoesNotContain("SE1004", typo);

        // The user's .editorconfig and .globalconfig win over the preset.
        app.Write(".editorconfig", "root = true\n\n[*.cs]\ndotnet_diagnostic.SE1004.severity = none\n");
        app.Write(".globalconfig", "is_global = true\ndotnet_diagnostic.SE1002.severity = warning\n");
        var userWins = await app.BuildAsync(expectSuccess: true, "-p:ServerErrorsAnalysisMode=All");
        Assert.Contains("warning SE1002", userWins);
        Assert.DoesNotContain("error SE1002", userWins);
        Assert.DoesNotContain("SE1004", userWins);
    }
}
