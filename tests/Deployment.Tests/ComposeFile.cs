using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace QuoteToCash.Deployment.Tests;

/// <summary>A port entry of a compose service: <c>ports</c> (short or long syntax) or <c>expose</c>.</summary>
internal sealed record ComposePort(int? Published, int Target, string Source)
{
    /// <summary>Parses "8080", "8080:8080", "127.0.0.1:8080:8080", "[::1]:8080:8080", each optionally with "/tcp".</summary>
    public static ComposePort ParseShort(string text)
    {
        var withoutProtocol = text.Split('/')[0].Trim();
        var lastColon = withoutProtocol.LastIndexOf(':');
        var target = ParsePort(withoutProtocol[(lastColon + 1)..], text);
        if (lastColon < 0)
            return new(null, target, text);

        var host = withoutProtocol[..lastColon];
        var hostColon = host.LastIndexOf(':');
        var published = host[(hostColon + 1)..];
        return new(published.Length == 0 ? null : ParsePort(published, text), target, text);
    }

    public static ComposePort ParseLong(YamlNode node)
    {
        var target = ParsePort(node.ScalarAt("target") ?? "", node.ToString());
        var published = node.ScalarAt("published");
        return new(string.IsNullOrEmpty(published) ? null : ParsePort(published, node.ToString()), target, node.ToString());
    }

    private static int ParsePort(string text, string entry) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            ? port
            : throw new FormatException($"Port entry '{entry}': '{text}' is not a single port number.");
}

internal sealed record ComposeService(string Name, YamlNode Node)
{
    public bool IsBuilt => Node.Get("build") is not null;

    /// <summary>The build context, relative to the compose file's directory (the repository root).</summary>
    public string? BuildContext => Node.Get("build") switch
    {
        YamlScalarNode scalar => scalar.Value,
        { } build => build.ScalarAt("context") ?? ".",
        null => null,
    };

    /// <summary>Repository-relative path of the Dockerfile (context + dockerfile).</summary>
    public string? DockerfilePath
    {
        get
        {
            if (BuildContext is not { } context)
                return null;
            var dockerfile = Node.ScalarAt("build", "dockerfile") ?? "Dockerfile";
            return RepoPaths.Relative(Path.GetFullPath(Path.Combine(RepoPaths.Full(context), dockerfile)));
        }
    }

    /// <summary>build.args, from either the mapping or the list ("KEY=value") syntax; a bare "KEY" has no value.</summary>
    public IReadOnlyDictionary<string, string?> BuildArgs => KeyValues(Node.At("build", "args"));

    /// <summary>The environment, from either the mapping or the list ("KEY=value") syntax.</summary>
    public IReadOnlyDictionary<string, string?> Environment => KeyValues(Node.Get("environment"));

    public IReadOnlyList<ComposePort> Ports => Node.Get("ports").Items()
        .Select(p => p is YamlScalarNode { Value: { } s } ? ComposePort.ParseShort(s) : ComposePort.ParseLong(p))
        .ToList();

    public IReadOnlyList<ComposePort> Exposed => Node.Get("expose").Items()
        .Select(p => p.Scalar() ?? "")
        .Select(ComposePort.ParseShort)
        .ToList();

    /// <summary>depends_on as service → condition (the list syntax means service_started).</summary>
    public IReadOnlyDictionary<string, string> DependsOn
    {
        get
        {
            var node = Node.Get("depends_on");
            var result = node.Entries().ToDictionary(e => e.Key, e => e.Value.ScalarAt("condition") ?? "service_started", StringComparer.Ordinal);
            foreach (var name in node.Items().Select(i => i.Scalar()).OfType<string>())
                result[name] = "service_started";
            return result;
        }
    }

    /// <summary>deploy.replicas, or null when the file leaves it to compose (one container).</summary>
    public int? Replicas => int.TryParse(Node.ScalarAt("deploy", "replicas"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var replicas)
        ? replicas
        : null;

    /// <summary>The network aliases the service carries, on any network.</summary>
    public IReadOnlyList<string> NetworkAliases => Node.Get("networks").Entries().SelectMany(e => e.Value.Get("aliases").Strings()).ToList();

    /// <summary>The volumes as "source:target[:mode]" strings (short syntax).</summary>
    public IReadOnlyList<string> Volumes => Node.Get("volumes").Strings();

    /// <summary>The command (or, when it has none, the entrypoint) as one string.</summary>
    public string Script => string.Join(' ', Node.Get("entrypoint").Strings().Concat(Node.Get("command").Strings()));

    /// <summary>The healthcheck test as one string (CMD / CMD-SHELL forms joined with spaces).</summary>
    public string? HealthcheckTest
    {
        get
        {
            var test = Node.At("healthcheck", "test");
            return test is null ? null : string.Join(' ', test.Strings());
        }
    }

    private static Dictionary<string, string?> KeyValues(YamlNode? node)
    {
        var result = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (key, value) in node.Entries())
            result[key] = value.Scalar();
        foreach (var item in node.Items().Select(i => i.Scalar()).OfType<string>())
        {
            var eq = item.IndexOf('=');
            result[eq < 0 ? item : item[..eq]] = eq < 0 ? null : item[(eq + 1)..];
        }

        return result;
    }
}

/// <summary>docker-compose.yml at the repository root.</summary>
internal sealed class ComposeFile
{
    public const string RelativePath = "docker-compose.yml";

    private ComposeFile(YamlNode root)
    {
        Root = root;
        Services = root.Get("services").Entries().Select(e => new ComposeService(e.Key, e.Value)).ToList();
    }

    public YamlNode Root { get; }

    public IReadOnlyList<ComposeService> Services { get; }

    public IEnumerable<ComposeService> Built => Services.Where(s => s.IsBuilt);

    public ComposeService Service(string name) =>
        Services.SingleOrDefault(s => s.Name == name) ?? throw new InvalidOperationException($"{RelativePath} has no service '{name}'.");

    public static ComposeFile Load()
    {
        var documents = YamlExtensions.LoadDocuments(RepoPaths.Full(RelativePath));
        Assert.Single(documents);
        return new ComposeFile(documents[0]);
    }

    /// <summary>
    /// The default of a "${VAR:-default}" or "${VAR-default}" value, null for "${VAR}", "${VAR:?error}" and "${VAR?error}"
    /// (no default: compose stops when VAR is unset), or the value itself when it is not a variable reference.
    /// </summary>
    public static string? DefaultOf(string? value)
    {
        if (value is null || !value.StartsWith("${", StringComparison.Ordinal) || !value.EndsWith('}'))
            return value;
        var inner = value[2..^1];
        var name = 0;
        while (name < inner.Length && (char.IsAsciiLetterOrDigit(inner[name]) || inner[name] == '_'))
            name++;
        var rest = inner[name..];
        if (rest.StartsWith(":-", StringComparison.Ordinal))
            return rest[2..];
        if (rest.StartsWith('-'))
            return rest[1..];
        return null;
    }

    /// <summary>Every "${VAR...}" reference in the text, with its variable name and what follows the name ("", ":-x", ":?msg").</summary>
    public static IEnumerable<(string Name, string Operator)> VariableReferences(string text)
    {
        foreach (System.Text.RegularExpressions.Match match in System.Text.RegularExpressions.Regex.Matches(text, @"(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)([^}]*)\}"))
            yield return (match.Groups[1].Value, match.Groups[2].Value);
    }
}
