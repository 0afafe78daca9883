using System.Text.Json;
using System.Text.RegularExpressions;

namespace QuoteToCash.Deployment.Tests;

/// <summary>The answer for one environment variable: whether the code reads it, and how we know.</summary>
internal sealed record ConfigKeyCheck(string Variable, string Key, bool Known, string Evidence)
{
    public override string ToString() => Known
        ? $"{Variable} ({Key}): read via {Evidence}"
        : $"{Variable} ({Key}): NOT read by any code or appsettings ({Evidence})";
}

/// <summary>
/// Knows which configuration keys the code reads, from the C# sources and appsettings*.json files, so that a
/// deployment file naming an environment variable can be checked against it. <c>A__B__C</c> stands for the
/// key <c>A:B:C</c>; keys match case-insensitively, as in Microsoft.Extensions.Configuration. A key is known when:
/// <list type="bullet">
/// <item>the variable is one of the framework variables in <see cref="FrameworkVariables"/>;</item>
/// <item>an appsettings*.json file has that path;</item>
/// <item>it is <c>ConnectionStrings:x</c> and the code calls <c>GetConnectionString("x")</c>;</item>
/// <item>the code reads the whole key by name: <c>configuration["Auth:DevIssuer:Enabled"]</c>, <c>GetValue&lt;T&gt;("…")</c>,
/// <c>GetSection("…")</c> or a <c>const string</c> holding it;</item>
/// <item>a prefix of it is read as a section and the rest as a key in it (<c>GetSection("Auth").GetValue&lt;bool&gt;("DevIssuer:Enabled")</c>);</item>
/// <item>a prefix of it names an options class (a <c>const string</c> holding it, e.g. <c>Section = "Storage"</c>, or
/// <c>GetSection("x").Get&lt;T&gt;()</c>, <c>Configure&lt;T&gt;(...GetSection("x"))</c>, <c>AddOptions&lt;T&gt;().BindConfiguration("x")</c>)
/// and the rest is a chain of that class's properties (records' positional parameters count).</item>
/// </list>
/// Anything else, a misspelling included, is unknown.
/// </summary>
internal sealed partial class ConfigKeyCatalog
{
    /// <summary>Read by ASP.NET Core, the .NET host or the OpenTelemetry SDK rather than by our code.</summary>
    public static readonly IReadOnlySet<string> FrameworkVariables = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "ASPNETCORE_ENVIRONMENT",
        "ASPNETCORE_HTTP_PORTS",
        "ASPNETCORE_HTTPS_PORTS",
        "ASPNETCORE_URLS",
        "DOTNET_ENVIRONMENT",
        "URLS", // the host's "urls" key without the ASPNETCORE_ prefix: outranks appsettings.json, unlike ASPNETCORE_URLS
        "OTEL_EXPORTER_OTLP_ENDPOINT",
        "OTEL_EXPORTER_OTLP_PROTOCOL",
        "OTEL_RESOURCE_ATTRIBUTES",
        "OTEL_SERVICE_NAME",
    };

    private static readonly string[] IgnoredDirectories = ["bin", "obj", "artifacts", "node_modules", "TestResults", ".git"];

    private readonly List<CSharpSource> _sources;
    private readonly List<JsonElement> _settings;
    private readonly Dictionary<string, List<TypeShape>> _types = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _keyLiterals = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _sectionLiterals = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _connectionStrings = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<string>> _sectionRoots = new(StringComparer.OrdinalIgnoreCase);

    public ConfigKeyCatalog(IEnumerable<string> csharpTexts, IEnumerable<string> appSettingsTexts)
    {
        _sources = csharpTexts.Select(CSharpSource.Parse).ToList();
        _settings = appSettingsTexts
            .Select(t => JsonDocument.Parse(t, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement.Clone())
            .ToList();
        foreach (var source in _sources)
            Index(source);
    }

    public int SourceCount => _sources.Count;

    public int SettingsCount => _settings.Count;

    /// <summary>The catalog of every *.cs and appsettings*.json under the given directories (build output excluded).</summary>
    public static ConfigKeyCatalog Scan(params string[] directories)
    {
        var files = directories
            .Where(Directory.Exists)
            .SelectMany(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories))
            .Where(f => !Path.GetRelativePath(RepoPaths.Root, f).Split(Path.DirectorySeparatorChar).Any(part => IgnoredDirectories.Contains(part, StringComparer.OrdinalIgnoreCase)))
            .ToList();
        var csharp = files.Where(f => f.EndsWith(".cs", StringComparison.OrdinalIgnoreCase)).Select(File.ReadAllText);
        var settings = files
            .Where(f => Path.GetFileName(f).StartsWith("appsettings", StringComparison.OrdinalIgnoreCase) && f.EndsWith(".json", StringComparison.OrdinalIgnoreCase))
            .Select(File.ReadAllText);
        return new ConfigKeyCatalog(csharp, settings);
    }

    /// <summary>Converts <c>A__B__C</c> to <c>A:B:C</c>, as the environment-variable configuration provider does.</summary>
    public static string KeyOf(string variable) => variable.Replace("__", ":", StringComparison.Ordinal);

    public ConfigKeyCheck Check(string variable)
    {
        var key = KeyOf(variable);
        if (FrameworkVariables.Contains(variable))
            return new(variable, key, true, "the framework allow-list");

        var segments = key.Split(':');
        if (segments.Any(string.IsNullOrWhiteSpace))
            return new(variable, key, false, "empty key segment");

        if (_settings.Any(s => JsonHasPath(s, segments)))
            return new(variable, key, true, "an appsettings*.json path");

        if (segments.Length == 2 && segments[0].Equals("ConnectionStrings", StringComparison.OrdinalIgnoreCase))
        {
            return _connectionStrings.Contains(segments[1]) || _keyLiterals.Contains(key)
                ? new(variable, key, true, $"GetConnectionString(\"{segments[1]}\")")
                : new(variable, key, false, $"no GetConnectionString(\"{segments[1]}\")");
        }

        if (_keyLiterals.Contains(key))
            return new(variable, key, true, $"the key literal \"{key}\"");

        for (var split = segments.Length - 1; split >= 1; split--)
        {
            var prefix = string.Join(':', segments[..split]);
            var rest = segments[split..];
            if (_sectionLiterals.Contains(prefix) && _keyLiterals.Contains(string.Join(':', rest)))
                return new(variable, key, true, $"section \"{prefix}\" and key \"{string.Join(':', rest)}\"");

            if (_sectionRoots.TryGetValue(prefix, out var roots) && roots.Any(root => PropertyChainExists(root, rest)))
                return new(variable, key, true, $"section \"{prefix}\" bound to {string.Join(" or ", roots.Distinct())}");
        }

        return new(variable, key, false, "no options class, literal or appsettings path matches");
    }

    private void Index(CSharpSource source)
    {
        var code = source.Code;
        foreach (Match m in SectionCall().Matches(code))
        {
            _sectionLiterals.Add(source.Literal(m.Groups["lit"].Value));
            _keyLiterals.Add(source.Literal(m.Groups["lit"].Value));
        }

        foreach (Match m in KeyRead().Matches(code))
            _keyLiterals.Add(source.Literal(m.Groups["lit"].Value));

        // Constants used as names: "const string Section = ...", "const string DevIssuerKey = ...", or any "a:b" path.
        foreach (Match m in StringConstant().Matches(code))
        {
            var value = source.Literal(m.Groups["lit"].Value);
            var id = m.Groups["id"].Value;
            if (!id.Contains("Section", StringComparison.Ordinal) && !id.EndsWith("Key", StringComparison.Ordinal) && !value.Contains(':', StringComparison.Ordinal))
                continue;
            _sectionLiterals.Add(value);
            _keyLiterals.Add(value);
        }

        foreach (Match m in GetConnectionStringCall().Matches(code))
            _connectionStrings.Add(source.Literal(m.Groups["lit"].Value));

        foreach (Match m in GetSectionGet().Matches(code))
            AddSectionRoot(source.Literal(m.Groups["lit"].Value), m.Groups["type"].Value);
        foreach (Match m in ConfigureWithSection().Matches(code))
            AddSectionRoot(source.Literal(m.Groups["lit"].Value), m.Groups["type"].Value);
        foreach (Match m in BindConfiguration().Matches(code))
            AddSectionRoot(source.Literal(m.Groups["lit"].Value), m.Groups["type"].Value);

        foreach (Match m in TypeDeclaration().Matches(code))
        {
            var name = m.Groups["name"].Value;
            var shape = new TypeShape(name);
            if (m.Groups["kind"].Value.StartsWith("record", StringComparison.Ordinal) && m.Groups["params"].Success)
                AddPositionalParameters(shape, m.Groups["params"].Value);

            var body = BodyAfter(code, m.Index + m.Length);
            if (body is not null)
            {
                foreach (Match p in PropertyDeclaration().Matches(body))
                {
                    if (DepthAt(body, p.Index) == 0)
                        shape.Properties.Add(new(p.Groups["name"].Value, p.Groups["type"].Value));
                }

                // A string constant holding a section name marks this type as that section's options class.
                foreach (Match c in StringConstant().Matches(body))
                {
                    if (DepthAt(body, c.Index) == 0)
                        AddSectionRoot(source.Literal(c.Groups["lit"].Value), name);
                }
            }

            if (!_types.TryGetValue(name, out var list))
                _types[name] = list = [];
            list.Add(shape);
        }
    }

    private void AddSectionRoot(string section, string type)
    {
        if (!_sectionRoots.TryGetValue(section, out var list))
            _sectionRoots[section] = list = [];
        list.Add(type);
    }

    private static void AddPositionalParameters(TypeShape shape, string parameters)
    {
        foreach (var parameter in SplitTopLevel(parameters, ','))
        {
            var declaration = parameter.Split('=')[0];
            declaration = AttributeList().Replace(declaration, " ").Trim();
            var lastSpace = declaration.LastIndexOfAny([' ', '\t', '\n', '\r']);
            if (lastSpace <= 0)
                continue;
            shape.Properties.Add(new(declaration[(lastSpace + 1)..].Trim(), declaration[..lastSpace].Trim()));
        }
    }

    /// <summary>True when <paramref name="segments"/> is a chain of properties starting at type <paramref name="typeName"/>.</summary>
    private bool PropertyChainExists(string typeName, ReadOnlySpan<string> segments)
    {
        if (segments.IsEmpty)
            return true;
        if (!_types.TryGetValue(typeName, out var shapes))
            return false;

        var first = segments[0];
        foreach (var shape in shapes)
        {
            foreach (var property in shape.Properties.Where(p => p.Name.Equals(first, StringComparison.OrdinalIgnoreCase)))
            {
                if (ValueChainExists(property.Type, segments[1..]))
                    return true;
            }
        }

        return false;
    }

    /// <summary>The remaining segments under a value of the given declared type.</summary>
    private bool ValueChainExists(string declaredType, ReadOnlySpan<string> rest)
    {
        if (rest.IsEmpty)
            return true;

        var type = declaredType.Replace(" ", "", StringComparison.Ordinal).TrimEnd('?');
        if (type.EndsWith("[]", StringComparison.Ordinal))
            return int.TryParse(rest[0], out _) && ValueChainExists(type[..^2], rest[1..]);

        var generic = GenericType().Match(type);
        if (generic.Success)
        {
            var outer = generic.Groups["outer"].Value;
            var arguments = SplitTopLevel(generic.Groups["args"].Value, ',');
            if (outer.EndsWith("Dictionary", StringComparison.Ordinal) && arguments.Count == 2)
                return ValueChainExists(arguments[1], rest[1..]); // any key, then the value type
            if (arguments.Count == 1 && (outer.EndsWith("List", StringComparison.Ordinal) || outer.EndsWith("Enumerable", StringComparison.Ordinal) ||
                                         outer.EndsWith("Collection", StringComparison.Ordinal) || outer.EndsWith("Set", StringComparison.Ordinal)))
                return int.TryParse(rest[0], out _) && ValueChainExists(arguments[0], rest[1..]);
            return false;
        }

        var simpleName = type[(type.LastIndexOf('.') + 1)..];
        return PropertyChainExists(simpleName, rest);
    }

    private static bool JsonHasPath(JsonElement element, ReadOnlySpan<string> segments)
    {
        if (segments.IsEmpty)
            return true;
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    if (property.Name.Equals(segments[0], StringComparison.OrdinalIgnoreCase) && JsonHasPath(property.Value, segments[1..]))
                        return true;
                }

                return false;
            case JsonValueKind.Array:
                return int.TryParse(segments[0], out var index) && index >= 0 && index < element.GetArrayLength() &&
                       JsonHasPath(element[index], segments[1..]);
            default:
                return false;
        }
    }

    /// <summary>The text between the '{' that opens a type body and its matching '}', or null for a body-less declaration.</summary>
    private static string? BodyAfter(string code, int from)
    {
        var open = -1;
        for (var i = from; i < code.Length; i++)
        {
            if (code[i] == ';')
                return null;
            if (code[i] == '{')
            {
                open = i;
                break;
            }
        }

        if (open < 0)
            return null;
        var depth = 0;
        for (var i = open; i < code.Length; i++)
        {
            if (code[i] == '{')
                depth++;
            else if (code[i] == '}' && --depth == 0)
                return code[(open + 1)..i];
        }

        return code[(open + 1)..];
    }

    /// <summary>Brace depth at a position of a type body: 0 for the type's own members.</summary>
    private static int DepthAt(string body, int index)
    {
        var depth = 0;
        for (var i = 0; i < index; i++)
        {
            if (body[i] == '{')
                depth++;
            else if (body[i] == '}')
                depth--;
        }

        return depth;
    }

    private static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            switch (text[i])
            {
                case '<' or '(' or '[' or '{':
                    depth++;
                    break;
                case '>' or ')' or ']' or '}':
                    depth--;
                    break;
                default:
                    if (text[i] == separator && depth == 0)
                    {
                        parts.Add(text[start..i].Trim());
                        start = i + 1;
                    }

                    break;
            }
        }

        if (start < text.Length && text[start..].Trim().Length > 0)
            parts.Add(text[start..].Trim());
        return parts;
    }

    private sealed record PropertyShape(string Name, string Type);

    private sealed class TypeShape(string name)
    {
        public string Name { get; } = name;

        public List<PropertyShape> Properties { get; } = [];
    }

    // Placeholders in CSharpSource.Code look like "<12>"; 'lit' captures the index.
    [GeneratedRegex("""GetConnectionString\s*\(\s*"<(?<lit>\d+)>"\s*\)""")]
    private static partial Regex GetConnectionStringCall();

    // GetSection("x"), GetRequiredSection("x"), BindConfiguration("x"): x names a section.
    [GeneratedRegex("""(?:GetSection|GetRequiredSection|BindConfiguration)\s*\(\s*"<(?<lit>\d+)>"\s*[,)]""")]
    private static partial Regex SectionCall();

    // configuration["x"], GetValue<T>("x"): x names a key.
    [GeneratedRegex("""(?:\[\s*"<(?<lit>\d+)>"\s*\]|GetValue\s*<[^>]*>\s*\(\s*"<(?<lit>\d+)>")""")]
    private static partial Regex KeyRead();

    [GeneratedRegex("""GetSection\s*\(\s*"<(?<lit>\d+)>"\s*\)\s*\.\s*(?:Get|Bind)\s*<\s*(?<type>\w+)\s*>""")]
    private static partial Regex GetSectionGet();

    [GeneratedRegex("""Configure\s*<\s*(?<type>\w+)\s*>\s*\([^;]*?GetSection\s*\(\s*"<(?<lit>\d+)>"\s*\)""")]
    private static partial Regex ConfigureWithSection();

    [GeneratedRegex("""AddOptions\s*<\s*(?<type>\w+)\s*>\s*\([^;]*?BindConfiguration\s*\(\s*"<(?<lit>\d+)>"\s*""")]
    private static partial Regex BindConfiguration();

    [GeneratedRegex("""\b(?<kind>record\s+class|record\s+struct|record|class|struct)\s+(?<name>\w+)\s*(?:<[^>{;(]*>)?\s*(?:\((?<params>[^)]*)\))?""")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex("""\b(?:public|internal)\s+(?:(?:required|virtual|override|new|sealed|partial)\s+)*(?<type>[\w.]+(?:\s*<[^;{}()=]*?>)?(?:\s*\[\s*\])*\s*\??)\s+(?<name>\w+)\s*\{\s*(?:get|set|init)\b""")]
    private static partial Regex PropertyDeclaration();

    [GeneratedRegex("""\b(?:const\s+string|static\s+readonly\s+string)\s+(?<id>\w+)\s*=\s*"<(?<lit>\d+)>"\s*;""")]
    private static partial Regex StringConstant();

    [GeneratedRegex("""\[[^\]]*\]""")]
    private static partial Regex AttributeList();

    [GeneratedRegex("""^(?<outer>[\w.]+)<(?<args>.+)>$""")]
    private static partial Regex GenericType();
}
