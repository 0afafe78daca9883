namespace QuoteToCash.Deployment.Tests;

/// <summary>Every environment variable the deployment files set is a key the code (or the framework) reads.</summary>
public sealed class ConfigurationKeyTests
{
    private static readonly Lazy<ConfigKeyCatalog> LazyCatalog =
        new(() => ConfigKeyCatalog.Scan(RepoPaths.Full("services"), RepoPaths.Full("gateway")));

    private static ConfigKeyCatalog Catalog => LazyCatalog.Value;

    [Fact]
    public void Catalog_reads_the_service_and_gateway_sources()
    {
        Assert.True(Catalog.SourceCount > 0, "No C# sources found under services/ and gateway/.");
        Assert.True(Catalog.SettingsCount > 0, "No appsettings*.json found under services/ and gateway/.");
    }

    [Fact]
    public void Compose_environment_variables_are_keys_the_code_reads()
    {
        var compose = ComposeFile.Load();
        var unknown = compose.Built
            .SelectMany(s => s.Environment.Keys.Select(v => (Service: s.Name, Check: Catalog.Check(v))))
            .Where(x => !x.Check.Known)
            .Select(x => $"{x.Service}: {x.Check}")
            .ToList();
        Assert.True(unknown.Count == 0, "docker-compose.yml sets variables no code reads:\n" + string.Join('\n', unknown));
    }

    [Fact]
    public void Kubernetes_environment_variables_are_keys_the_code_reads()
    {
        var manifests = KubernetesManifests.Load();
        // The platform's own pods; the collector's and the trace UI's variables are their images' business.
        var variables = manifests.PlatformDeployments.SelectMany(manifests.EnvironmentOf).ToList();
        Assert.NotEmpty(variables);
        var unknown = variables
            .Select(v => (v.Source, Check: Catalog.Check(v.Variable)))
            .Where(x => !x.Check.Known)
            .Select(x => $"{x.Source}: {x.Check}")
            .Distinct()
            .ToList();
        Assert.True(unknown.Count == 0, "k8s/ sets variables no code reads:\n" + string.Join('\n', unknown));
    }

    /// <summary>The same checker on the real sources: a misspelt or invented key must fail.</summary>
    [Theory]
    [InlineData("Storage__Engnie")]
    [InlineData("Storage__Databse")]
    [InlineData("Messaging__QuorumQueue")]
    [InlineData("Auth__SigningKye")]
    [InlineData("ConnectionStrings__rabbit")]
    [InlineData("OTEL_SERVICE_NAMES")]
    [InlineData("Q2C__Made__Up__Key")]
    public void Checker_rejects_misspelt_keys_against_the_real_sources(string variable)
    {
        var check = Catalog.Check(variable);
        Assert.False(check.Known, check.ToString());
    }
}
