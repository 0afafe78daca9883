using System.Text.RegularExpressions;

namespace QuoteToCash.Deployment.Tests;

/// <summary>docs/operations.md: the alerts name metrics the code records, and every alert has its runbook.</summary>
public sealed partial class OperationsDocTests
{
    private const string RelativePath = "docs/operations.md";

    private static readonly string[] PrometheusSuffixes = ["", "_seconds", "_total", "_bucket", "_seconds_bucket"];

    private readonly string _text = File.ReadAllText(RepoPaths.Full(RelativePath));

    /// <summary>Every instrument name the services and the gateway create (q2c.*), as the collector's Prometheus exporter writes it, without suffixes.</summary>
    private static HashSet<string> RecordedMetrics()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var root in new[] { "services", "gateway" })
        {
            foreach (var file in Directory.EnumerateFiles(RepoPaths.Full(root), "*.cs", SearchOption.AllDirectories)
                         .Where(f => !f.Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj")))
            {
                foreach (Match match in Instrument().Matches(File.ReadAllText(file)))
                    names.Add(match.Groups["name"].Value.Replace('.', '_'));
            }
        }

        return names;
    }

    private string Section(string heading)
    {
        var start = _text.IndexOf($"\n## {heading}\n", StringComparison.Ordinal);
        Assert.True(start >= 0, $"{RelativePath} has no section '{heading}'.");
        var end = _text.IndexOf("\n## ", start + 4, StringComparison.Ordinal);
        return end < 0 ? _text[start..] : _text[start..end];
    }

    [Theory]
    [InlineData("Scaling")]
    [InlineData("Failover")]
    [InlineData("Backup and restore")]
    [InlineData("Alerts and runbooks")]
    [InlineData("Rotating secrets")]
    public void The_operations_guide_has_the_section(string heading) => Assert.NotEmpty(Section(heading));

    [Fact]
    public void Alerts_name_only_metrics_the_code_records()
    {
        var recorded = RecordedMetrics();
        Assert.Contains("q2c_outbox_oldest_age", recorded);
        var named = PrometheusName().Matches(Section("Alerts and runbooks")).Select(m => m.Value).Distinct().ToList();
        Assert.NotEmpty(named);
        foreach (var name in named)
            Assert.True(PrometheusSuffixes.Any(suffix => name.EndsWith(suffix, StringComparison.Ordinal) && recorded.Contains(name[..^suffix.Length])),
                $"{RelativePath} alerts on {name}, which no instrument of the code becomes.");
    }

    [Fact]
    public void Every_alert_has_a_runbook()
    {
        var section = Section("Alerts and runbooks");
        var alerts = AlertRow().Matches(section).Select(m => m.Groups["alert"].Value).Where(a => a != "Alert").ToList();
        Assert.True(alerts.Count >= 8, $"{RelativePath} lists {alerts.Count} alerts.");
        var runbooks = section[section.IndexOf("### Runbooks", StringComparison.Ordinal)..];
        var covered = RunbookHeading().Matches(runbooks).SelectMany(m => m.Groups["alerts"].Value.Split(',', StringSplitOptions.TrimEntries)).ToHashSet(StringComparer.Ordinal);
        foreach (var alert in alerts)
            Assert.True(covered.Contains(alert), $"Alert {alert} has no runbook (a '- **{alert}** —' entry under ### Runbooks).");
        foreach (var runbook in covered)
            Assert.True(alerts.Contains(runbook), $"Runbook {runbook} is for no alert in the table.");
    }

    [Fact]
    public void The_lease_duration_and_setting_it_names_are_the_codes()
    {
        var options = File.ReadAllText(RepoPaths.Full("services/AccountingSync/Infrastructure/QuickBooks/RealmOwnership.cs"));
        Assert.Contains("public const string Section = \"QuickBooks:Ownership\";", options, StringComparison.Ordinal);
        Assert.Contains("public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(30);", options, StringComparison.Ordinal);
        Assert.Contains("public const string CollectionName = \"realm-leases\";", options, StringComparison.Ordinal);
        foreach (var heading in new[] { "Scaling", "Failover" })
        {
            var section = Section(heading);
            Assert.Contains("QuickBooks:Ownership:LeaseDuration", section, StringComparison.Ordinal);
            Assert.Contains("30 s", section, StringComparison.Ordinal);
        }
    }

    [GeneratedRegex("""Create(?:Counter|Histogram|ObservableGauge|ObservableCounter|ObservableUpDownCounter|UpDownCounter|Gauge)(?:<[^>]+>)?\(\s*"(?<name>q2c\.[a-z_.]+)\x22""")]
    private static partial Regex Instrument();

    [GeneratedRegex("""\bq2c_[a-z_]+\b""")]
    private static partial Regex PrometheusName();

    [GeneratedRegex("""^\| (?<alert>[A-Z][A-Za-z]+) \| """, RegexOptions.Multiline)]
    private static partial Regex AlertRow();

    [GeneratedRegex("""^- \*\*(?<alerts>[A-Z][A-Za-z]+(?:, [A-Z][A-Za-z]+)*)\*\* —""", RegexOptions.Multiline)]
    private static partial Regex RunbookHeading();
}
