namespace QuoteToCash.Deployment.Tests;

/// <summary>The repository root, found by walking up from the test binaries.</summary>
internal static class RepoPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    public static string Root => LazyRoot.Value;

    /// <summary>Full path of a repository-relative path written with '/'.</summary>
    public static string Full(string relative) =>
        Path.GetFullPath(Path.Combine(Root, relative.Replace('/', Path.DirectorySeparatorChar)));

    /// <summary>Repository-relative path with '/' separators.</summary>
    public static string Relative(string fullPath) =>
        Path.GetRelativePath(Root, fullPath).Replace(Path.DirectorySeparatorChar, '/');

    public static string ReadText(string relative) => File.ReadAllText(Full(relative));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "QuoteToCash.sln")) ||
                File.Exists(Path.Combine(dir.FullName, "Directory.Packages.props")))
                return dir.FullName;
        }

        throw new InvalidOperationException(
            $"No directory above {AppContext.BaseDirectory} holds QuoteToCash.sln or Directory.Packages.props.");
    }
}
