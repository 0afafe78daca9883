using YamlDotNet.RepresentationModel;

namespace QuoteToCash.Deployment.Tests;

/// <summary>Small, null-tolerant accessors over YamlDotNet's representation model.</summary>
internal static class YamlExtensions
{
    /// <summary>Every non-empty document of a (multi-document) YAML file.</summary>
    public static IReadOnlyList<YamlNode> LoadDocuments(string fullPath)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(fullPath))
            stream.Load(reader);
        return stream.Documents
            .Select(d => d.RootNode)
            .Where(n => !(n is YamlScalarNode scalar && string.IsNullOrEmpty(scalar.Value)))
            .ToList();
    }

    public static YamlNode? Get(this YamlNode? node, string key)
    {
        if (node is not YamlMappingNode mapping)
            return null;
        foreach (var (k, v) in mapping.Children)
        {
            if (k is YamlScalarNode scalar && scalar.Value == key)
                return v;
        }

        return null;
    }

    public static YamlNode? At(this YamlNode? node, params string[] path)
    {
        foreach (var key in path)
            node = node.Get(key);
        return node;
    }

    public static string? Scalar(this YamlNode? node) => (node as YamlScalarNode)?.Value;

    public static string? Scalar(this YamlNode? node, string key) => node.Get(key).Scalar();

    public static string? ScalarAt(this YamlNode? node, params string[] path) => node.At(path).Scalar();

    public static IReadOnlyList<YamlNode> Items(this YamlNode? node) =>
        node is YamlSequenceNode sequence ? sequence.Children.ToList() : [];

    public static IReadOnlyList<KeyValuePair<string, YamlNode>> Entries(this YamlNode? node)
    {
        if (node is not YamlMappingNode mapping)
            return [];
        return mapping.Children
            .Where(e => e.Key is YamlScalarNode { Value: not null })
            .Select(e => new KeyValuePair<string, YamlNode>(((YamlScalarNode)e.Key).Value!, e.Value))
            .ToList();
    }

    /// <summary>A mapping of scalars (e.g. labels) as a dictionary; empty when absent.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(this YamlNode? node) =>
        node.Entries().ToDictionary(e => e.Key, e => e.Value.Scalar() ?? "", StringComparer.Ordinal);

    /// <summary>A scalar or a sequence of scalars as a list of strings.</summary>
    public static IReadOnlyList<string> Strings(this YamlNode? node) => node switch
    {
        YamlScalarNode { Value: { } value } => [value],
        YamlSequenceNode sequence => sequence.Children.Select(c => c.Scalar()).OfType<string>().ToList(),
        _ => [],
    };
}
