namespace ServerErrors.Analyzers.Tests.Verifiers;

/// <summary>Files of this repository (docs, release tracking, samples) that tests read.</summary>
public static class RepositoryFiles
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "ServerErrors.Analyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("ServerErrors.Analyzers.sln not found above " + AppContext.BaseDirectory);
    });

    public static string Root => LazyRoot.Value;

    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(Root, relativePath));
}
