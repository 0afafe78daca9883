using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace QuoteToCash.Deployment.Tests;

/// <summary>
/// One Dockerfile instruction, continuation lines joined. <see cref="Arguments"/> are as the build sees them, with
/// ARG and ENV variables substituted; <see cref="Raw"/> as written.
/// </summary>
internal sealed record DockerInstruction(string Keyword, string Arguments, int Stage, int Line, string Raw);

/// <summary>A COPY from the build context: its sources and destination (flags removed).</summary>
internal sealed record DockerCopy(IReadOnlyList<string> Sources, string Destination, int Order);

/// <summary>An ARG, before the first FROM or in a stage, and the default it declares (null for none).</summary>
internal sealed record DockerArgument(string Name, string? Default);

/// <summary>A variable an instruction uses that neither an ARG nor an ENV before it defines (e.g. one the base image sets).</summary>
internal sealed record DockerUndefinedVariable(string Name, int Line);

/// <summary>Just enough of a Dockerfile, built with a set of build arguments, to check what it copies, publishes and runs.</summary>
internal sealed partial class DockerfileModel
{
    /// <summary>The instructions whose arguments Docker substitutes variables in (RUN's shell sees ARG and ENV values alike).</summary>
    private static readonly HashSet<string> Substituted = ["ADD", "ARG", "COPY", "ENV", "EXPOSE", "FROM", "LABEL", "ONBUILD", "RUN", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR"];

    private DockerfileModel(string relativePath, IReadOnlyList<DockerInstruction> instructions, IReadOnlyList<DockerArgument> declaredArguments,
        IReadOnlyList<DockerUndefinedVariable> undefined)
    {
        RelativePath = relativePath;
        Instructions = instructions;
        DeclaredArguments = declaredArguments;
        UndefinedVariables = undefined;
    }

    public string RelativePath { get; }

    public IReadOnlyList<DockerInstruction> Instructions { get; }

    /// <summary>Every ARG the Dockerfile declares, by name (with the first default written for it).</summary>
    public IReadOnlyList<DockerArgument> DeclaredArguments { get; }

    /// <summary>Variables used but not defined by the Dockerfile; they stay as written ("$NAME") in <see cref="DockerInstruction.Arguments"/>.</summary>
    public IReadOnlyList<DockerUndefinedVariable> UndefinedVariables { get; }

    public IReadOnlyList<DockerInstruction> Stages => Instructions.Where(i => i.Keyword == "FROM").ToList();

    public int FinalStage => Stages.Count - 1;

    /// <param name="buildArguments">The --build-arg values (compose: build.args); a null value counts as not given.</param>
    public static DockerfileModel Load(string relativePath, IReadOnlyDictionary<string, string?>? buildArguments = null)
    {
        buildArguments ??= new Dictionary<string, string?>();
        var instructions = new List<DockerInstruction>();
        var declared = new List<DockerArgument>();
        var undefined = new List<DockerUndefinedVariable>();
        // ARGs before the first FROM are visible to FROM lines only; a stage sees its own ARGs and ENVs, from where they stand.
        var global = new Dictionary<string, string>(StringComparer.Ordinal);
        var scope = global;
        var stage = -1;
        var pending = new StringBuilder();
        var startLine = 0;
        var lines = File.ReadAllLines(RepoPaths.Full(relativePath));
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var trimmed = line.Trim();
            if (pending.Length == 0 && (trimmed.Length == 0 || trimmed.StartsWith('#')))
                continue;
            if (pending.Length > 0 && trimmed.StartsWith('#'))
                continue; // comment lines inside a continued instruction are dropped
            if (pending.Length == 0)
                startLine = n + 1;

            if (trimmed.EndsWith('\\'))
            {
                pending.Append(trimmed[..^1]).Append(' ');
                continue;
            }

            pending.Append(trimmed);
            var text = pending.ToString().Trim();
            pending.Clear();
            var space = text.IndexOfAny([' ', '\t']);
            var keyword = (space < 0 ? text : text[..space]).ToUpperInvariant();
            var raw = space < 0 ? "" : text[(space + 1)..].Trim();
            if (keyword == "FROM")
            {
                stage++;
                scope = new Dictionary<string, string>(StringComparer.Ordinal);
            }

            var variables = keyword == "FROM" ? global : scope;
            var arguments = Substituted.Contains(keyword)
                ? Substitute(raw, variables, name => undefined.Add(new DockerUndefinedVariable(name, startLine)))
                : raw;
            if (keyword == "ARG")
            {
                foreach (var word in SplitArguments(arguments))
                {
                    var eq = word.IndexOf('=');
                    var name = eq < 0 ? word : word[..eq];
                    declared.Add(new DockerArgument(name, eq >= 0 ? word[(eq + 1)..] : null));
                    // Given value, else the default written here, else (in a stage) the default of the global ARG of that name.
                    scope[name] = buildArguments.GetValueOrDefault(name)
                                  ?? (eq >= 0 ? word[(eq + 1)..] : null)
                                  ?? (scope == global ? null : global.GetValueOrDefault(name))
                                  ?? "";
                }
            }
            else if (keyword == "ENV")
            {
                foreach (var (name, value) in EnvPairs(arguments))
                    scope[name] = value;
            }

            instructions.Add(new DockerInstruction(keyword, arguments, stage, startLine, raw));
        }

        return new DockerfileModel(relativePath, instructions, declared.GroupBy(a => a.Name).Select(g => g.FirstOrDefault(a => a.Default is not null) ?? g.First()).ToList(), undefined);
    }

    /// <summary>The base image of a stage ("FROM image AS name" → image).</summary>
    public string BaseImage(int stage) => Stages[stage].Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        .First(a => !a.StartsWith("--", StringComparison.Ordinal));

    /// <summary>COPY instructions that read the build context (not --from another stage), in order.</summary>
    public IReadOnlyList<DockerCopy> ContextCopies()
    {
        var result = new List<DockerCopy>();
        for (var i = 0; i < Instructions.Count; i++)
        {
            var instruction = Instructions[i];
            if (instruction.Keyword is not ("COPY" or "ADD"))
                continue;
            var words = SplitArguments(instruction.Arguments);
            if (words.Any(w => w.StartsWith("--from", StringComparison.Ordinal)))
                continue;
            var paths = words.Where(w => !w.StartsWith("--", StringComparison.Ordinal)).ToList();
            if (paths.Count < 2)
                continue;
            result.Add(new DockerCopy(paths[..^1], paths[^1], i));
        }

        return result;
    }

    /// <summary>The first RUN whose command contains the text, e.g. "dotnet publish".</summary>
    public DockerInstruction? Run(string contains) =>
        Instructions.FirstOrDefault(i => i.Keyword == "RUN" && i.Arguments.Contains(contains, StringComparison.Ordinal));

    /// <summary>The arguments after "dotnet &lt;verb&gt;" in a RUN that ends in .csproj.</summary>
    public IReadOnlyList<string> ProjectsOf(DockerInstruction run, string verb)
    {
        var words = SplitArguments(run.Arguments);
        var result = new List<string>();
        for (var i = 0; i + 2 < words.Count; i++)
        {
            if (words[i] == "dotnet" && words[i + 1] == verb)
            {
                result.AddRange(words.Skip(i + 2).TakeWhile(w => w is not ("&&" or ";" or "||"))
                    .Where(w => w.EndsWith(".csproj", StringComparison.OrdinalIgnoreCase)));
            }
        }

        return result;
    }

    /// <summary>The value after an option (e.g. "-o") in a RUN.</summary>
    public static string? OptionValue(DockerInstruction run, params string[] names)
    {
        var words = SplitArguments(run.Arguments);
        for (var i = 0; i + 1 < words.Count; i++)
        {
            if (names.Contains(words[i]))
                return words[i + 1];
        }

        return null;
    }

    /// <summary>ENV of a stage as a dictionary (both "ENV A=1 B=2" and the legacy "ENV A 1").</summary>
    public IReadOnlyDictionary<string, string> Env(int stage)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var instruction in Instructions.Where(i => i.Keyword == "ENV" && i.Stage == stage))
        {
            foreach (var (name, value) in EnvPairs(instruction.Arguments))
                result[name] = value;
        }

        return result;
    }

    /// <summary>
    /// The command the final stage starts, as the container runs it: the exec-form (JSON array) ENTRYPOINT, or, when
    /// that hands a script to a shell ("sh -c"), the script's words with the stage's ENV expanded and a leading "exec"
    /// dropped. Build arguments do not reach the running container, so only ENV counts there.
    /// </summary>
    public IReadOnlyList<string> Entrypoint()
    {
        var entrypoint = Instructions.LastOrDefault(i => i.Keyword == "ENTRYPOINT" && i.Stage == FinalStage)
            ?? throw new InvalidOperationException($"{RelativePath} has no ENTRYPOINT in its final stage.");
        var command = JsonSerializer.Deserialize<string[]>(entrypoint.Raw)
            ?? throw new InvalidOperationException($"{RelativePath}: ENTRYPOINT is not in exec (JSON array) form.");
        if (command is not [("sh" or "/bin/sh" or "bash" or "/bin/bash"), "-c", var script, ..])
            return command;

        var env = Env(FinalStage).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
        var words = SplitArguments(Substitute(script, env, _ => { }));
        return words is ["exec", .. var rest] ? rest : words;
    }

    /// <summary>
    /// Where a repository-relative path lands under WORKDIR, through the COPY instructions before
    /// <paramref name="beforeInstruction"/>; null when none copies it. "COPY a/ a/" keeps the path unchanged.
    /// </summary>
    public string? ImagePathOf(string repoPath, int beforeInstruction)
    {
        string? landed = null;
        foreach (var copy in ContextCopies().Where(c => c.Order < beforeInstruction))
        {
            foreach (var source in copy.Sources)
            {
                var src = Normalize(source);
                var dest = copy.Destination;
                if (src.Length == 0)
                {
                    landed = Join(dest, repoPath);
                }
                else if (repoPath == src && Directory.Exists(RepoPaths.Full(src)))
                {
                    landed = Normalize(dest); // a directory's contents go into the destination
                }
                else if (repoPath == src)
                {
                    var toDirectory = dest.EndsWith('/') || dest == "." || copy.Sources.Count > 1;
                    landed = toDirectory ? Join(dest, Path.GetFileName(src)) : Normalize(dest);
                }
                else if (repoPath.StartsWith(src + "/", StringComparison.Ordinal))
                {
                    landed = Join(dest, repoPath[(src.Length + 1)..]);
                }
            }
        }

        return landed;
    }

    private static string Join(string directory, string relative)
    {
        var dir = Normalize(directory);
        return dir.Length == 0 ? relative : dir + "/" + relative;
    }

    /// <summary>"./a/b/" → "a/b"; "." → "".</summary>
    private static string Normalize(string path)
    {
        var p = path.Replace('\\', '/');
        while (p.StartsWith("./", StringComparison.Ordinal))
            p = p[2..];
        p = p.TrimEnd('/');
        return p == "." ? "" : p;
    }

    /// <summary>
    /// Replaces $NAME, ${NAME} and ${NAME:-default} by their values; a variable without one stays as written and is
    /// reported to <paramref name="undefined"/> (a "${NAME:-default}" takes its default instead).
    /// </summary>
    private static string Substitute(string text, IReadOnlyDictionary<string, string> variables, Action<string> undefined) =>
        Variable().Replace(text, match =>
        {
            var name = match.Groups["braced"].Success ? match.Groups["braced"].Value : match.Groups["bare"].Value;
            if (variables.TryGetValue(name, out var value))
                return value;
            if (match.Groups["default"].Success)
                return match.Groups["default"].Value;
            undefined(name);
            return match.Value;
        });

    /// <summary>The name=value pairs of an ENV instruction (also the legacy "ENV NAME value").</summary>
    private static IEnumerable<(string Name, string Value)> EnvPairs(string arguments)
    {
        var words = SplitArguments(arguments);
        if (words.Count >= 1 && !words[0].Contains('=', StringComparison.Ordinal))
        {
            yield return (words[0], string.Join(' ', words.Skip(1)));
            yield break;
        }

        foreach (var word in words)
        {
            var eq = word.IndexOf('=');
            if (eq > 0)
                yield return (word[..eq], word[(eq + 1)..]);
        }
    }

    [GeneratedRegex(@"(?<!\\)\$(?:\{(?<braced>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}|(?<bare>[A-Za-z_][A-Za-z0-9_]*))")]
    private static partial Regex Variable();

    /// <summary>Splits shell-ish arguments on whitespace, honouring simple quotes.</summary>
    public static List<string> SplitArguments(string text) =>
        ShellWord().Matches(text).Select(m => m.Value.Trim('"', '\'')).ToList();

    [GeneratedRegex("""("[^"]*"|'[^']*'|\S+)""")]
    private static partial Regex ShellWord();
}

/// <summary>The root .dockerignore: Docker's pattern rules, simplified (no "!" exceptions are used).</summary>
internal sealed class DockerIgnore
{
    private readonly List<(string Pattern, Regex Regex)> _rules;

    private DockerIgnore(IEnumerable<string> patterns)
    {
        _rules = patterns.Select(p => (p, new Regex("^" + ToRegex(p) + "$", RegexOptions.CultureInvariant))).ToList();
    }

    public IReadOnlyList<string> Patterns => _rules.Select(r => r.Pattern).ToList();

    public static DockerIgnore Load() => new(File.ReadAllLines(RepoPaths.Full(".dockerignore"))
        .Select(l => l.Trim())
        .Where(l => l.Length > 0 && !l.StartsWith('#')));

    /// <summary>True when the path, or a directory above it, matches a pattern.</summary>
    public bool Excludes(string repoPath)
    {
        var parts = repoPath.Split('/');
        for (var n = 1; n <= parts.Length; n++)
        {
            var candidate = string.Join('/', parts[..n]);
            if (_rules.Any(r => r.Regex.IsMatch(candidate)))
                return true;
        }

        return false;
    }

    private static string ToRegex(string pattern)
    {
        var p = pattern.TrimStart('/').TrimEnd('/');
        var sb = new StringBuilder();
        for (var i = 0; i < p.Length; i++)
        {
            if (p[i] == '*' && i + 1 < p.Length && p[i + 1] == '*')
            {
                var slash = i + 2 < p.Length && p[i + 2] == '/';
                sb.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else if (p[i] == '*')
            {
                sb.Append("[^/]*");
            }
            else if (p[i] == '?')
            {
                sb.Append("[^/]");
            }
            else
            {
                sb.Append(Regex.Escape(p[i].ToString()));
            }
        }

        return sb.ToString();
    }
}

/// <summary>A project and, transitively, the projects it references (repository-relative paths).</summary>
internal static class ProjectGraph
{
    public static IReadOnlyList<string> Closure(string projectPath)
    {
        var seen = new List<string>();
        var queue = new Queue<string>([projectPath]);
        while (queue.Count > 0)
        {
            var project = queue.Dequeue();
            if (seen.Contains(project))
                continue;
            seen.Add(project);
            var full = RepoPaths.Full(project);
            if (!File.Exists(full))
                continue;
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")?.Value;
                if (string.IsNullOrWhiteSpace(include))
                    continue;
                var referenced = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(full)!, include.Replace('\\', Path.DirectorySeparatorChar)));
                queue.Enqueue(RepoPaths.Relative(referenced));
            }
        }

        return seen;
    }

    /// <summary>
    /// Files a project includes from outside its own folder (Content, None, EmbeddedResource, Compile… with a
    /// "../" path), repository-relative; wildcards are expanded from the folder before the first one.
    /// </summary>
    public static IReadOnlyList<string> FilesOutsideProjectFolder(string projectPath)
    {
        var full = RepoPaths.Full(projectPath);
        if (!File.Exists(full))
            return [];
        var projectDir = Path.GetDirectoryName(full)!;
        var result = new List<string>();
        foreach (var item in XDocument.Load(full).Descendants().Where(e => e.Name.LocalName is not ("ProjectReference" or "PackageReference" or "PackageVersion" or "FrameworkReference")))
        {
            var include = item.Attribute("Include")?.Value;
            if (string.IsNullOrWhiteSpace(include))
                continue;
            foreach (var pattern in include.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var normalized = pattern.Replace('\\', '/');
                if (!normalized.StartsWith("../", StringComparison.Ordinal) || normalized.Contains("$(", StringComparison.Ordinal))
                    continue;
                var wildcard = normalized.IndexOfAny(['*', '?']);
                if (wildcard < 0)
                {
                    result.Add(RepoPaths.Relative(Path.GetFullPath(Path.Combine(projectDir, normalized))));
                    continue;
                }

                var folder = Path.GetFullPath(Path.Combine(projectDir, normalized[..(normalized[..wildcard].LastIndexOf('/') + 1)]));
                if (System.IO.Directory.Exists(folder))
                    result.AddRange(System.IO.Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).Select(RepoPaths.Relative));
            }
        }

        return result;
    }

    /// <summary>The AssemblyName property, else the file name.</summary>
    public static string AssemblyName(string projectPath)
    {
        var name = XDocument.Load(RepoPaths.Full(projectPath)).Descendants("AssemblyName").FirstOrDefault()?.Value;
        return string.IsNullOrWhiteSpace(name) ? Path.GetFileNameWithoutExtension(projectPath) : name.Trim();
    }

    public static string DirectoryOf(string projectPath)
    {
        var slash = projectPath.LastIndexOf('/');
        return slash < 0 ? "" : projectPath[..slash];
    }
}
