using System.Text.RegularExpressions;

namespace QuoteToCash.Deployment.Tests;

/// <summary>
/// run.sh, the local run: every process it starts is a production build in the Local environment (production rules
/// for secrets), never Production or Development, and only the gateway issues operator tokens itself.
/// </summary>
public sealed partial class RunScriptTests
{
    private const string RelativePath = "run.sh";
    private const string Gateway = "gateway";
    private readonly RunScript _script = RunScript.Load(RelativePath);

    [Fact]
    public void The_script_starts_every_project_it_builds_through_one_start_function()
    {
        Assert.NotEmpty(_script.Projects);
        Assert.Equal(_script.Projects.Keys.Order(StringComparer.Ordinal), _script.Starts.Select(s => s.Name).Order(StringComparer.Ordinal));
        Assert.Contains(Gateway, _script.Projects.Keys);
        Assert.Contains(ComposeTests.WebApp, _script.Projects.Keys);
        Assert.All(ComposeTests.BackendServices, service => Assert.Contains(service, _script.Projects.Keys));

        // The one command line that runs a platform process is start's; the only other program run from the build
        // output is the demo player, a console tool without a host.
        var launches = _script.Commands.Where(c => DotnetRunsAnAssembly().IsMatch(c)).ToList();
        Assert.Single(launches, c => _script.StartBody.Contains(c, StringComparison.Ordinal));
        Assert.All(launches.Where(c => !_script.StartBody.Contains(c, StringComparison.Ordinal)),
            c => Assert.Contains("QuoteToCash.DemoHistory.dll", c, StringComparison.Ordinal));
    }

    [Fact]
    public void Every_process_runs_as_local_and_nothing_sets_another_environment()
    {
        var launch = _script.StartBody.Split('\n').Single(c => DotnetRunsAnAssembly().IsMatch(c));
        var environment = EnvironmentAssignment().Matches(launch).Select(m => (m.Groups["name"].Value, m.Groups["value"].Value)).ToList();
        Assert.Equal([("ASPNETCORE_ENVIRONMENT", "Local")], environment);
        Assert.StartsWith("env ASPNETCORE_ENVIRONMENT=Local ", launch, StringComparison.Ordinal);
        Assert.DoesNotContain("--environment", launch, StringComparison.Ordinal);

        // The caller's arguments come after it in the same env command and would win: none of them names an environment.
        foreach (var start in _script.Starts)
            Assert.DoesNotContain(start.Arguments, a => a.Contains("ENVIRONMENT", StringComparison.Ordinal) || a.StartsWith("--environment", StringComparison.Ordinal));

        // Nowhere else: no export, no second assignment, no Production or Development for any process.
        var elsewhere = _script.Commands.Where(c => !_script.StartBody.Contains(c, StringComparison.Ordinal))
            .Where(c => c.Contains("ASPNETCORE_ENVIRONMENT", StringComparison.Ordinal) || c.Contains("DOTNET_ENVIRONMENT", StringComparison.Ordinal))
            .ToList();
        Assert.True(elsewhere.Count == 0, "run.sh sets the host environment outside start(): " + string.Join(" | ", elsewhere));
        Assert.DoesNotContain(_script.Commands, c => c.Contains("=Production", StringComparison.Ordinal) || c.Contains("=Development", StringComparison.Ordinal));
    }

    [Fact]
    public void Only_the_gateway_turns_the_local_token_issuer_on()
    {
        var issuing = _script.Starts.Where(s => s.Arguments.Any(a => a.StartsWith("Auth__DevIssuer__", StringComparison.Ordinal))).Select(s => s.Name).ToList();
        Assert.Equal([Gateway], issuing);
        Assert.Contains("Auth__DevIssuer__Enabled=true", _script.Starts.Single(s => s.Name == Gateway).Arguments);
        Assert.DoesNotContain("Auth__DevIssuer__", _script.StartBody, StringComparison.Ordinal);
        var outsideStarts = _script.Commands.Where(c => c.Contains("DevIssuer", StringComparison.Ordinal) && !c.StartsWith("start ", StringComparison.Ordinal)).ToList();
        Assert.True(outsideStarts.Count == 0, "run.sh sets the local issuer outside a start line: " + string.Join(" | ", outsideStarts));
    }

    [Fact]
    public void Every_process_gets_the_key_encryption_key_the_script_generates()
    {
        Assert.Contains("DataProtection__KeyEncryptionKey=\"$Q2C_KEY_ENCRYPTION_KEY\"", _script.StartBody, StringComparison.Ordinal);
        Assert.Contains(_script.Commands, c => c.Contains("Q2C_KEY_ENCRYPTION_KEY=$(head -c 32 /dev/urandom | base64", StringComparison.Ordinal));
        Assert.Contains(ComposeTests.WebApp, _script.Starts.Select(s => s.Name));
    }

    /// <summary>A dotnet command that runs a built assembly (not dotnet build).</summary>
    [GeneratedRegex("""\bdotnet\s+"[^"]*\.dll"|DEMO_TOOL=\(dotnet\s""")]
    private static partial Regex DotnetRunsAnAssembly();

    [GeneratedRegex("""\b(?<name>(?:ASPNETCORE|DOTNET)_ENVIRONMENT)=(?<value>[^\s"]+)""")]
    private static partial Regex EnvironmentAssignment();
}

/// <summary>run.sh read as logical command lines (continuations joined, comments dropped), its projects and its start calls.</summary>
internal sealed partial class RunScript
{
    /// <summary>One start of a platform process: its name (a key of PROJECTS) and the settings passed after the port.</summary>
    public sealed record Start(string Name, IReadOnlyList<string> Arguments);

    public IReadOnlyList<string> Commands { get; }

    /// <summary>The body of the start() function, one logical command per line.</summary>
    public string StartBody { get; }

    /// <summary>PROJECTS: process name → project (assembly) name.</summary>
    public IReadOnlyDictionary<string, string> Projects { get; }

    public IReadOnlyList<Start> Starts { get; }

    private RunScript(IReadOnlyList<string> commands)
    {
        Commands = commands;
        var open = commands.ToList().FindIndex(c => c.StartsWith("start() {", StringComparison.Ordinal));
        Assert.True(open >= 0, "run.sh has no start() function.");
        var close = commands.ToList().FindIndex(open, c => c == "}");
        StartBody = string.Join('\n', commands.Skip(open + 1).Take(close - open - 1));

        var declaration = string.Join(' ', commands.SkipWhile(c => !c.StartsWith("declare -A PROJECTS=(", StringComparison.Ordinal)).TakeWhile(c => c != ")"));
        Projects = ProjectEntry().Matches(declaration).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["project"].Value, StringComparer.Ordinal);

        var services = ArrayEntries(commands.Single(c => c.StartsWith("SERVICES=(", StringComparison.Ordinal)));
        var starts = new List<Start>();
        foreach (var command in commands.Skip(close + 1))
        {
            if (command.StartsWith("start ", StringComparison.Ordinal))
            {
                var words = Words(command);
                starts.Add(new Start(words[1].Trim('"'), words.Skip(3).ToList()));
            }
            else if (ServiceLoop().Match(command) is { Success: true } loop)
            {
                var words = Words(loop.Groups["call"].Value);
                Assert.Equal("\"$name\"", words[1]);
                starts.AddRange(services.Select(s => new Start(s, words.Skip(3).ToList())));
            }
        }
        Starts = starts;
    }

    public static RunScript Load(string relativePath)
    {
        var commands = new List<string>();
        var current = "";
        foreach (var raw in File.ReadAllLines(RepoPaths.Full(relativePath)))
        {
            var line = raw.Trim();
            if (current.Length == 0 && (line.Length == 0 || line.StartsWith('#')))
                continue;
            if (line.EndsWith('\\'))
            {
                current += line[..^1].TrimEnd() + " ";
                continue;
            }
            commands.Add(current + line);
            current = "";
        }
        return new RunScript(commands);
    }

    private static List<string> ArrayEntries(string assignment) =>
        Words(assignment[(assignment.IndexOf('(', StringComparison.Ordinal) + 1)..assignment.LastIndexOf(')')]);

    private static List<string> Words(string command) => [.. command.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    [GeneratedRegex("""\[(?<name>[a-z-]+)\]=(?<project>QuoteToCash\.[A-Za-z.]+)""")]
    private static partial Regex ProjectEntry();

    [GeneratedRegex("""^for name in "\$\{SERVICES\[@\]\}"; do (?<call>start [^;]*); done$""")]
    private static partial Regex ServiceLoop();
}
