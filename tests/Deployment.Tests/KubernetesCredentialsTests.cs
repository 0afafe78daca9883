namespace QuoteToCash.Deployment.Tests;

/// <summary>k8s/: no management UI, no guest, a broker and database user per service, MongoDB with authentication, a key-encryption key.</summary>
public sealed class KubernetesCredentialsTests
{
    private readonly KubernetesManifests _k8s = KubernetesManifests.Load();

    private string AllText => string.Join('\n', _k8s.Resources.Select(r => File.ReadAllText(RepoPaths.Full(Path.Combine(KubernetesManifests.Directory, r)))));

    [Fact]
    public void Nothing_exposes_the_management_ui_or_uses_guest()
    {
        Assert.DoesNotContain("15672", AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("rabbitmq_management", AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("3.13-management", AllText, StringComparison.Ordinal);
        Assert.DoesNotContain("guest:guest", AllText, StringComparison.Ordinal);
        Assert.NotEqual("guest", _k8s.DataValue("Secret", "rabbitmq-credentials", "username"));
    }

    [Fact]
    public void Each_service_has_its_own_broker_and_database_user()
    {
        var users = new HashSet<string>();
        foreach (var service in ComposeTests.BackendServices)
        {
            var deployment = _k8s.Get("Deployment", service);
            var rabbit = _k8s.ValueOf(deployment, service, "ConnectionStrings__rabbitmq") ?? "";
            Assert.StartsWith($"amqp://{service}:", rabbit, StringComparison.Ordinal);
            Assert.EndsWith("@rabbitmq:5672/quotetocash", rabbit, StringComparison.Ordinal);
            var database = _k8s.ValueOf(deployment, service, "Storage__Database");
            var mongo = _k8s.ValueOf(deployment, service, "ConnectionStrings__mongodb") ?? "";
            Assert.StartsWith($"mongodb://{service}:", mongo, StringComparison.Ordinal);
            Assert.EndsWith($"authSource={database}", mongo, StringComparison.Ordinal);
            Assert.True(users.Add(service));

            // The passwords the jobs set are the ones in the connection strings.
            var brokerPassword = _k8s.DataValue("Secret", "rabbitmq-credentials", $"{service}-password");
            var databasePassword = _k8s.DataValue("Secret", "mongodb-credentials", $"{service}-password");
            Assert.Contains($":{brokerPassword}@", rabbit, StringComparison.Ordinal);
            Assert.Contains($":{databasePassword}@", mongo, StringComparison.Ordinal);
        }

        var job = _k8s.Get("Job", "rabbitmq-users");
        var script = string.Join(' ', job.Containers.Single().Get("command").Strings());
        Assert.Contains("set_permissions -p quotetocash \"$service\" \"$pattern\" \"$pattern\" \"$pattern\"", script, StringComparison.Ordinal);
        Assert.Contains("pattern=\"^(${service}.*|", script, StringComparison.Ordinal);
        Assert.Contains("delete_user guest", script, StringComparison.Ordinal);
        Assert.Contains("*CHANGE-ME*", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Mongodb_requires_authentication()
    {
        var mongo = _k8s.Get("StatefulSet", "mongodb");
        var container = mongo.Containers.Single();
        Assert.Contains("--keyFile", container.Get("args").Strings());
        Assert.Equal("root-password", container.Get("env").Items().Single(e => e.Scalar("name") == "MONGO_INITDB_ROOT_PASSWORD").ScalarAt("valueFrom", "secretKeyRef", "key"));

        var init = _k8s.Get("Job", "mongodb-rs-init").Containers.Single();
        var script = string.Join(' ', init.Get("command").Strings());
        Assert.Contains("authSource=admin", script, StringComparison.Ordinal);
        Assert.Contains("createUser", script, StringComparison.Ordinal);
        Assert.Contains("role: 'readWrite', db: database", script, StringComparison.Ordinal);
        Assert.Contains("CHANGE-ME", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Services_get_a_key_encryption_key_and_the_gateway_no_local_issuer()
    {
        foreach (var service in ComposeTests.BackendServices)
            Assert.False(string.IsNullOrEmpty(_k8s.ValueOf(_k8s.Get("Deployment", service), service, "DataProtection__KeyEncryptionKey")), $"{service} has no key-encryption key.");
        var gateway = _k8s.Get("Deployment", "gateway");
        Assert.NotEqual("true", _k8s.ValueOf(gateway, "gateway", "Auth__DevIssuer__Enabled"));
        Assert.Null(_k8s.ValueOf(gateway, "gateway", "ASPNETCORE_ENVIRONMENT"));
    }

    [Fact]
    public void The_web_app_gets_a_key_encryption_key_of_its_own_from_a_secret()
    {
        var webapp = _k8s.Get("Deployment", ComposeTests.WebApp);
        var sources = _k8s.EnvironmentOf(webapp).Where(v => v.Variable == "DataProtection__KeyEncryptionKey").Select(v => v.Source).ToList();
        var source = Assert.Single(sources);
        Assert.StartsWith("Secret/", source, StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(_k8s.ValueOf(webapp, ComposeTests.WebApp, "DataProtection__KeyEncryptionKey")), "webapp has no key-encryption key.");

        // Not the services' Secret: the pods that face browsers hold nothing that opens the services' key rings.
        var services = ComposeTests.BackendServices
            .SelectMany(s => _k8s.EnvironmentOf(_k8s.Get("Deployment", s)))
            .Where(v => v.Variable == "DataProtection__KeyEncryptionKey")
            .Select(v => v.Source.Split(" via ")[0])
            .ToHashSet();
        Assert.NotEmpty(services);
        Assert.DoesNotContain(source.Split(" via ")[0], services);
    }

    [Fact]
    public void Every_secret_value_is_a_placeholder_that_must_be_replaced()
    {
        foreach (var secret in _k8s.OfKind("Secret"))
        {
            foreach (var key in KubernetesManifests.DataKeys(secret).Where(k => k is not "username" and not "root-username"))
            {
                var value = _k8s.DataValue("Secret", secret.Name, key) ?? "";
                Assert.True(value.Contains("CHANGE-ME", StringComparison.Ordinal), $"Secret/{secret.Name} key {key} holds a value instead of a CHANGE-ME placeholder.");
            }
        }
    }
}
