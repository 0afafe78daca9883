using System.Text.RegularExpressions;

namespace QuoteToCash.Deployment.Tests;

/// <summary>
/// docker-compose.yml in the production shape: replicas of the five services, a three-node RabbitMQ cluster with quorum
/// queues, a three-member MongoDB replica set, the collector and the trace UI, and nothing published but the gateway
/// and (on loopback) the trace UI.
/// </summary>
public sealed partial class ComposeProductionShapeTests
{
    private const string BrokerAlias = "rabbitmq";
    private const string ClusterConfig = "deploy/rabbitmq-cluster.conf";
    private const string CookieVariable = "Q2C_RABBITMQ_ERLANG_COOKIE";

    private readonly ComposeFile _compose = ComposeFile.Load();

    [Fact]
    public void The_five_services_run_at_least_two_replicas_and_the_gateway_and_web_app_one()
    {
        foreach (var backend in ComposeTests.BackendServices)
        {
            var service = _compose.Service(backend);
            Assert.True(service.Replicas >= 2, $"{backend}: deploy.replicas is {service.Replicas?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "unset"}, not 2 or more.");
            // A fixed container name or a published host port would stop the second replica from starting.
            Assert.Null(service.Node.Scalar("container_name"));
            Assert.Empty(service.Ports);
        }

        foreach (var single in new[] { "gateway", ComposeTests.WebApp })
            Assert.True(_compose.Service(single).Replicas is null or 1, $"{single} runs more than one container.");
    }

    [Fact]
    public void Accounting_sync_says_where_it_sets_its_replicas_why_they_are_safe()
    {
        var text = File.ReadAllText(RepoPaths.Full(ComposeFile.RelativePath));
        var at = text.IndexOf("  accounting-sync:\n", StringComparison.Ordinal);
        var deploy = text.IndexOf("    deploy:\n", at, StringComparison.Ordinal);
        Assert.True(at >= 0 && deploy > at, "accounting-sync has no deploy section.");
        var comment = text[at..deploy];
        Assert.Contains("realm-leases", comment, StringComparison.Ordinal);
        Assert.Contains("QuickBooks:Ownership:LeaseDuration", comment, StringComparison.Ordinal);
    }

    [Fact]
    public void Rabbitmq_is_a_cluster_of_three_nodes_formed_from_the_nodes_listed_in_its_config()
    {
        var brokers = _compose.Services.Where(s => (s.Node.Scalar("image") ?? "").StartsWith("rabbitmq:", StringComparison.Ordinal)).Select(s => s.Name);
        Assert.Equal(ComposeTests.BrokerNodes.Order(StringComparer.Ordinal), brokers.Order(StringComparer.Ordinal));

        var config = File.ReadAllLines(RepoPaths.Full(ClusterConfig))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split('=', 2, StringSplitOptions.TrimEntries))
            .ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        Assert.Equal("classic_config", config.GetValueOrDefault("cluster_formation.peer_discovery_backend"));
        var listed = config.Where(c => c.Key.StartsWith("cluster_formation.classic_config.nodes.", StringComparison.Ordinal)).Select(c => c.Value);
        Assert.Equal(ComposeTests.BrokerNodes.Select(n => $"rabbit@{n}").Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));

        var dataVolumes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in ComposeTests.BrokerNodes)
        {
            var node = _compose.Service(name);
            // The node name is rabbit@<hostname>: the hostname must be the one the config lists and the others resolve.
            Assert.Equal(name, node.Node.Scalar("hostname"));
            Assert.Contains(node.Volumes, v => v == $"./{ClusterConfig}:/etc/rabbitmq/conf.d/20-cluster.conf:ro");
            var data = node.Volumes.SingleOrDefault(v => v.Split(':') is [_, "/var/lib/rabbitmq", ..]);
            Assert.True(data is not null, $"{name} keeps no data volume at /var/lib/rabbitmq.");
            Assert.True(dataVolumes.Add(data.Split(':')[0]), $"{name} shares its data volume with another node.");
            Assert.Contains(data.Split(':')[0], _compose.Root.Get("volumes").Entries().Select(e => e.Key));
            Assert.NotNull(node.HealthcheckTest);
        }

        // The first node forms the cluster; the others join it once it is up (and compose stops them before it).
        foreach (var joiner in ComposeTests.BrokerNodes.Skip(1))
            Assert.Equal("service_healthy", _compose.Service(joiner).DependsOn.GetValueOrDefault(ComposeTests.BrokerNodes[0]));
        Assert.DoesNotContain(_compose.Service(ComposeTests.BrokerNodes[0]).DependsOn.Keys, k => ComposeTests.BrokerNodes.Contains(k));
    }

    [Fact]
    public void The_broker_nodes_share_one_erlang_cookie_from_the_secrets_script()
    {
        var values = ComposeTests.BrokerNodes.Select(n => _compose.Service(n).Environment.GetValueOrDefault(CookieVariable)).Distinct().ToList();
        var value = Assert.Single(values);
        Assert.NotNull(value);
        Assert.StartsWith($"${{{CookieVariable}:?", value, StringComparison.Ordinal);
        Assert.Null(ComposeFile.DefaultOf(value));

        foreach (var name in ComposeTests.BrokerNodes)
        {
            var node = _compose.Service(name);
            // Written before the broker starts, as the rabbitmq user (so rabbitmqctl in the same container shares it).
            var script = node.Script;
            Assert.Contains($"printf '%s' \"$${CookieVariable}\" > \"$$cookie\"", script, StringComparison.Ordinal);
            Assert.Contains("cookie=/var/lib/rabbitmq/.erlang.cookie", script, StringComparison.Ordinal);
            Assert.Contains("umask 077", script, StringComparison.Ordinal);
            Assert.True(script.IndexOf(".erlang.cookie", StringComparison.Ordinal) < script.IndexOf("rabbitmq-server", StringComparison.Ordinal),
                $"{name} starts the broker before it writes the cookie.");
            Assert.Equal("999:999", node.Node.Scalar("user"));
        }

        var secrets = File.ReadAllText(RepoPaths.Full("scripts/compose-secrets.sh"));
        Assert.Contains($"add {CookieVariable} \"$(random ", secrets, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_reach_the_cluster_through_a_name_every_node_carries_and_declare_quorum_queues()
    {
        Assert.DoesNotContain(_compose.Services, s => s.Name == BrokerAlias);
        foreach (var service in _compose.Services)
        {
            var carries = service.NetworkAliases.Contains(BrokerAlias);
            Assert.True(carries == ComposeTests.BrokerNodes.Contains(service.Name),
                carries ? $"{service.Name} carries the broker's alias '{BrokerAlias}' but is no broker node." : $"Broker node {service.Name} does not carry the alias '{BrokerAlias}'.");
        }

        foreach (var backend in ComposeTests.BackendServices)
        {
            var env = _compose.Service(backend).Environment;
            var uri = env.GetValueOrDefault("ConnectionStrings__rabbitmq") ?? "";
            var host = BrokerHost().Match(uri);
            Assert.True(host.Success, $"{backend}: '{uri}' names no broker host.");
            Assert.Equal((BrokerAlias, "5672"), (host.Groups["host"].Value, host.Groups["port"].Value));
            Assert.Equal("true", env.GetValueOrDefault("Messaging__QuorumQueues"));
        }
    }

    [Fact]
    public void Mongodb_is_a_replica_set_of_three_members_that_every_service_names()
    {
        var databases = _compose.Services.Where(s => (s.Node.Scalar("image") ?? "").StartsWith("mongo:", StringComparison.Ordinal) && s.Name != "mongodb-init").Select(s => s.Name);
        Assert.Equal(ComposeTests.DatabaseMembers.Order(StringComparer.Ordinal), databases.Order(StringComparer.Ordinal));
        var hosts = ComposeTests.DatabaseMembers.Select(m => $"{m}:27017").ToList();

        var dataVolumes = new HashSet<string>(StringComparer.Ordinal);
        foreach (var member in ComposeTests.DatabaseMembers)
        {
            var mongod = _compose.Service(member);
            Assert.Equal(member, mongod.Node.Scalar("hostname"));
            Assert.Contains("--replSet rs0", mongod.Script, StringComparison.Ordinal);
            Assert.Contains("--keyFile", mongod.Script, StringComparison.Ordinal);
            var data = mongod.Volumes.SingleOrDefault(v => v.Split(':') is [_, "/data/db", ..]);
            Assert.True(data is not null, $"{member} keeps no data volume at /data/db.");
            Assert.True(dataVolumes.Add(data.Split(':')[0]), $"{member} shares its data volume with another member.");
            Assert.NotNull(mongod.HealthcheckTest);
        }

        var init = _compose.Service("mongodb-init");
        var script = init.Script;
        Assert.Contains("rs.initiate({ _id: 'rs0', members: hosts.map(", script, StringComparison.Ordinal);
        Assert.Contains("rs.add(host)", script, StringComparison.Ordinal);
        foreach (var list in InitHostLists().Matches(script).Select(m => m.Groups["hosts"].Value))
            Assert.Equal(hosts, list.Split(',').Select(h => h.Trim().Trim('\'')).ToList());
        Assert.Equal(2, InitHostLists().Count(script));
        Assert.Contains($"@{string.Join(',', hosts)}/?replicaSet=rs0&authSource=admin", script, StringComparison.Ordinal);
        Assert.Equal("\"no\"", "\"" + init.Node.Scalar("restart") + "\"");

        foreach (var backend in ComposeTests.BackendServices)
        {
            var connection = _compose.Service(backend).Environment.GetValueOrDefault("ConnectionStrings__mongodb") ?? "";
            var seeds = MongoSeeds().Match(connection);
            Assert.True(seeds.Success, $"{backend}: '{connection}' is no MongoDB connection string with credentials.");
            Assert.Equal(hosts, seeds.Groups["hosts"].Value.Split(',').ToList());
            Assert.Contains("replicaSet=rs0", connection, StringComparison.Ordinal);
            Assert.DoesNotContain("directConnection", connection, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Only_the_gateway_and_the_trace_ui_on_loopback_are_published()
    {
        var published = _compose.Services.SelectMany(s => s.Ports.Select(p => (s.Name, Port: p))).ToList();
        foreach (var (name, port) in published)
        {
            switch (name)
            {
                case "gateway":
                    Assert.Equal(((int?)8080, 8080), (port.Published, port.Target));
                    break;
                case "jaeger":
                    Assert.Equal(((int?)16686, 16686), (port.Published, port.Target));
                    Assert.StartsWith("127.0.0.1:", port.Source, StringComparison.Ordinal);
                    break;
                default:
                    Assert.Fail($"{name} publishes '{port.Source}': only the gateway and the trace UI (on loopback) are published.");
                    break;
            }
        }

        Assert.Contains(published, p => p.Name == "gateway");
    }

    [Fact]
    public void Every_process_exports_to_a_collector_port_its_configuration_receives_on()
    {
        foreach (var service in _compose.Built)
        {
            var endpoint = service.Environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT");
            Assert.True(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri), $"{service.Name}: OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is no URL.");
            var collector = _compose.Service(uri.Host);
            Assert.Equal("service_started", service.DependsOn.GetValueOrDefault(collector.Name));

            var mount = collector.Volumes.Select(v => v.Split(':')).Single(v => v[0].StartsWith("./", StringComparison.Ordinal));
            var configPath = collector.Node.Get("command").Strings().Single(a => a.StartsWith("--config=", StringComparison.Ordinal))["--config=".Length..];
            Assert.Equal(mount[1], configPath);
            var config = YamlExtensions.LoadDocuments(RepoPaths.Full(mount[0][2..])).Single();
            var protocol = service.Environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_PROTOCOL") is "http/protobuf" ? "http" : "grpc";
            Assert.Equal($"0.0.0.0:{uri.Port}", config.ScalarAt("receivers", "otlp", "protocols", protocol, "endpoint"));
        }
    }

    [GeneratedRegex("""@(?<host>[a-z0-9.-]+):(?<port>[0-9]+)/""")]
    private static partial Regex BrokerHost();

    [GeneratedRegex("""^mongodb://[^:@/]+:[^@]+@(?<hosts>[^/]+)/""")]
    private static partial Regex MongoSeeds();

    [GeneratedRegex("""const hosts = \[(?<hosts>[^\]]*)\];""")]
    private static partial Regex InitHostLists();
}
