using System.Diagnostics;
using System.Text.RegularExpressions;
using Xunit;

namespace ServerErrors.Analyzers.ConsumerTests;

/// <summary>The README's demo: building the samples shows every rule that ships.</summary>
public sealed class SampleTests
{
    // SE0001 reports a broken .editorconfig value; a sample with one would only teach a bad setting.
    private static readonly string[] NotDemonstrated = { "SE0001" };

    [Fact]
    public async Task Samples_TripEveryShippedRule()
    {
        var root = Repository.Root();
        var shipped = Regex.Matches(
                File.ReadAllText(Path.Combine(root, "src/Analyzers/AnalyzerReleases.Shipped.md")) + File.ReadAllText(Path.Combine(root, "src/Analyzers/AnalyzerReleases.Unshipped.md")),
                @"^(SE\d{4})\s*\|", RegexOptions.Multiline)
            .Select(m => m.Groups[1].Value)
            .Except(NotDemonstrated)
            .Distinct()
            .ToList();
        Assert.NotEmpty(shipped);

        var start = new ProcessStartInfo("dotnet", "build samples/Samples.sln --no-incremental -nodeReuse:false")
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, "The samples do not build:\n" + output);

        var reported = Regex.Matches(output, @"warning (SE\d{4})|info (SE\d{4})").Select(m => m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value).ToHashSet();
        var missing = shipped.Where(id => !reported.Contains(id)).ToList();
        Assert.True(missing.Count == 0, $"The samples do not show {string.Join(", ", missing)}. Build output:\n{output}");
    }
}

internal static class Repository
{
    public static string Root()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerErrors.Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ServerErrors.Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
