using System.Collections.Immutable;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Microsoft.CodeAnalysis;

namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>Metadata references for test sources, created once per process.</summary>
public static class TestReferences
{
    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyNetCore =
        new(() => FromDirectory(Path.GetDirectoryName(typeof(object).Assembly.Location)!));

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyAspNetCore =
        new(() => LazyNetCore.Value.AddRange(FromDirectory(Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Http.HttpContext).Assembly.Location)!)));

    private static readonly Lazy<ImmutableArray<MetadataReference>> LazyPolly =
        new(() => ImmutableArray.Create<MetadataReference>(
            MetadataReference.CreateFromFile(typeof(Polly.Policy).Assembly.Location),
            MetadataReference.CreateFromFile(typeof(Polly.ResiliencePipeline).Assembly.Location)));

    /// <summary>The .NET runtime: what a console app sees.</summary>
    public static ImmutableArray<MetadataReference> NetCore => LazyNetCore.Value;

    /// <summary>The .NET runtime plus the ASP.NET Core shared framework: what a web app sees.</summary>
    public static ImmutableArray<MetadataReference> AspNetCore => LazyAspNetCore.Value;

    /// <summary>Polly (v7 <c>Policy</c> API) and Polly.Core (v8 resilience pipelines).</summary>
    public static ImmutableArray<MetadataReference> Polly => LazyPolly.Value;

    private static ImmutableArray<MetadataReference> FromDirectory(string directory)
    {
        var builder = ImmutableArray.CreateBuilder<MetadataReference>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.dll").OrderBy(f => f, StringComparer.Ordinal))
        {
            if (IsManagedAssembly(file))
            {
                builder.Add(MetadataReference.CreateFromFile(file));
            }
        }

        return builder.ToImmutable();
    }

    private static bool IsManagedAssembly(string file)
    {
        using var stream = File.OpenRead(file);
        using var reader = new PEReader(stream);
        return reader.HasMetadata && reader.GetMetadataReader().IsAssembly;
    }
}
