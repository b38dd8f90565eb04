using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using ServerErrors.Analyzers.Tests.Verifiers;
using Xunit;

namespace ServerErrors.Analyzers.Tests;

/// <summary>
/// The packed DLLs load in the oldest host the README promises (VS 17.5 / SDK 7.0.200, Roslyn 4.5): they may
/// reference nothing newer than that host carries. A newer reference (System.Composition 8.0/9.0 pulled in by
/// <c>[Shared]</c>, say) makes fix-provider discovery throw FileNotFoundException there, and no lightbulb appears.
/// </summary>
public class AssemblyReferenceTests
{
    // What a Roslyn 4.5 host ships; a reference must be at most this version.
    private static readonly Dictionary<string, Version> HostSet = new(StringComparer.Ordinal)
    {
        ["netstandard"] = new Version(2, 0, 0, 0),
        ["Microsoft.CodeAnalysis"] = new Version(4, 5, 0, 0),
        ["Microsoft.CodeAnalysis.CSharp"] = new Version(4, 5, 0, 0),
        ["Microsoft.CodeAnalysis.Workspaces"] = new Version(4, 5, 0, 0),
        ["Microsoft.CodeAnalysis.CSharp.Workspaces"] = new Version(4, 5, 0, 0),
        ["System.Collections.Immutable"] = new Version(6, 0, 0, 0),
        ["System.Reflection.Metadata"] = new Version(6, 0, 0, 0),
        ["System.Composition.AttributedModel"] = new Version(6, 0, 0, 0),
        ["System.Composition.Convention"] = new Version(6, 0, 0, 0),
        ["System.Composition.Hosting"] = new Version(6, 0, 0, 0),
        ["System.Composition.Runtime"] = new Version(6, 0, 0, 0),
        ["System.Composition.TypedParts"] = new Version(6, 0, 0, 0),
    };

    public static TheoryData<string> PackedAssemblies() => new()
    {
        "src/Analyzers/ServerErrors.Analyzers.dll",
        "src/CodeFixes/ServerErrors.Analyzers.CodeFixes.dll",
    };

    [Theory]
    [MemberData(nameof(PackedAssemblies))]
    public void ReferencesNothingNewerThanARoslyn45Host(string packed)
    {
        var path = BuildOutput(packed);
        var problems = new List<string>();
        foreach (var (name, version) in ReadReferences(path))
        {
            if (name.StartsWith("ServerErrors.Analyzers", StringComparison.Ordinal))
            {
                continue; // the package's own assemblies ship together
            }

            if (!HostSet.TryGetValue(name, out var max))
            {
                problems.Add($"{name} {version}: not part of a Roslyn 4.5 host, so it would not load there");
            }
            else if (version > max)
            {
                problems.Add($"{name} {version}: newer than the {max} a Roslyn 4.5 host carries");
            }
        }

        Assert.True(problems.Count == 0, $"{path} references:\n  " + string.Join("\n  ", problems));
    }

    [Fact]
    public void TheCheckSeesTheReferencesItJudges()
    {
        // Guards the test above against reading nothing: the fix assembly must show its Roslyn references.
        var names = ReadReferences(BuildOutput("src/CodeFixes/ServerErrors.Analyzers.CodeFixes.dll")).Select(r => r.Name).ToList();
        Assert.Contains("Microsoft.CodeAnalysis.Workspaces", names);
        Assert.Contains("netstandard", names);
    }

    private static List<(string Name, Version Version)> ReadReferences(string path)
    {
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        var result = new List<(string, Version)>();
        foreach (var handle in metadata.AssemblyReferences)
        {
            var reference = metadata.GetAssemblyReference(handle);
            result.Add((metadata.GetString(reference.Name), reference.Version));
        }

        return result;
    }

    /// <summary>
    /// The netstandard2.0 build output of a src/ project in this test run's configuration: the files the package
    /// project copies and packs into analyzers/dotnet/cs.
    /// </summary>
    private static string BuildOutput(string packed)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var project = Path.GetDirectoryName(packed)!;
        var path = Path.Combine(RepositoryFiles.Root, project, "bin", configuration, "netstandard2.0", Path.GetFileName(packed));
        Assert.True(File.Exists(path), $"{path} not found; build the solution in the {configuration} configuration first.");
        return path;
    }
}
