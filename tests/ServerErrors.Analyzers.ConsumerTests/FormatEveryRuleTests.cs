using System.Text.RegularExpressions;
using Xunit;
using Xunit.Abstractions;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>
/// `dotnet format analyzers` must leave a project that builds with -warnaserror: one pass over an app with the shapes
/// of every rule (EveryRuleApp/, with real Polly, Polly.Extensions.Http and Microsoft.Extensions.Http.Resilience)
/// fixes every diagnostic of every rule, and the fixed code compiles without a warning.
/// </summary>
[Collection(ConsumerCollection.Name)]
public sealed class FormatEveryRuleTests
{
    // SE0001 reports a broken .editorconfig value, not code.
    private static readonly string[] NotInCode = { "SE0001" };

    private const string ClientPackages = """
          <ItemGroup>
            <PackageReference Include="Polly" Version="8.6.5" />
            <PackageReference Include="Polly.Extensions.Http" Version="3.0.0" />
            <PackageReference Include="Microsoft.Extensions.Http.Resilience" Version="10.0.0" />
          </ItemGroup>
        """;

    private readonly PackedPackage _package;
    private readonly ITestOutputHelper _output;

    public FormatEveryRuleTests(PackedPackage package, ITestOutputHelper output)
    {
        _package = package;
        _output = output;
    }

    [Fact]
    public async Task OneFormatPass_FixesEveryRule_AndTheProjectBuildsWithWarningsAsErrors()
    {
        var app = await ConsumerApp.CreateAsync(_package, _output, "every-rule", ClientPackages);
        var sources = Path.Combine(Repository.Root(), "tests/ServerErrors.Analyzers.ConsumerTests/EveryRuleApp");
        foreach (var file in Directory.GetFiles(sources))
        {
            // Program.cs replaces the template's; .editorconfig raises the Info rules SE1004 and SE2003 to warning.
            File.Copy(file, Path.Combine(app.Directory, Path.GetFileName(file)), overwrite: true);
        }

        // Before: every rule is reported, and nothing but our rules (the app itself is clean).
        var before = await app.BuildAsync(expectSuccess: true);
        var reported = Regex.Matches(before, @"warning (SE\d{4}):").Select(m => m.Groups[1].Value).ToHashSet();
        var missing = ReleasedRules().Where(id => !reported.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"EveryRuleApp/ does not trip {string.Join(", ", missing)}: add a shape of each rule. Build output:\n{before}");
        var otherWarnings = WarningAndErrorLines(before).Where(l => !Regex.IsMatch(l, @"warning SE\d{4}:")).ToList();
        Assert.True(otherWarnings.Count == 0, "EveryRuleApp/ has warnings of its own:\n" + string.Join("\n", otherWarnings));

        // One pass, every rule, as the README says.
        var format = await app.RunAsync(expectSuccess: true, "format", "analyzers", "--severity", "info", "--no-restore");

        // After: a warnings-as-errors build passes and no SE diagnostic is left.
        var (exitCode, after) = await Dotnet.Run(app.Directory, "build", "-warnaserror", "--packages", _package.Packages);
        _output.WriteLine($"> dotnet build -warnaserror (exit {exitCode})\n{after}");
        var left = WarningAndErrorLines(after);
        Assert.True(
            exitCode == 0 && left.Count == 0 && !Regex.IsMatch(after, @"\bSE\d{4}\b"),
            $"After one `dotnet format analyzers --severity info` pass, `dotnet build -warnaserror` exited {exitCode} with:\n"
            + string.Join("\n", left)
            + "\n\ndotnet format said:\n" + format);
    }

    private static List<string> ReleasedRules()
        => Regex.Matches(
                File.ReadAllText(Path.Combine(Repository.Root(), "src/Analyzers/AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(Repository.Root(), "src/Analyzers/AnalyzerReleases.Unshipped.md")),
                @"^(SE\d{4})\s*\|", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .Except(NotInCode)
            .Distinct()
            .ToList();

    // MSBuild repeats each diagnostic in its summary; one line per distinct diagnostic, without the project suffix.
    private static List<string> WarningAndErrorLines(string output)
        => output.Split('\n')
            .Select(l => Regex.Replace(l.Trim(), @"\s*\[[^\]]*\.csproj\]$", string.Empty))
            .Where(l => Regex.IsMatch(l, @": (warning|error) [A-Z]+\d+"))
            .Distinct()
            .ToList();
}
