namespace QuoteToCash.Deployment.Tests;

/// <summary>docker-compose.yml has no public credentials: no guest, no management UI, no secret defaults, broker and database users per service.</summary>
public sealed class ComposeCredentialsTests
{
    private readonly ComposeFile _compose = ComposeFile.Load();
    private readonly string _text = File.ReadAllText(RepoPaths.Full(ComposeFile.RelativePath));

    private static string Variable(string service) => service.ToUpperInvariant().Replace('-', '_');

    [Fact]
    public void No_secret_has_a_default_value()
    {
        var secrets = ComposeFile.VariableReferences(_text)
            .Where(r => r.Name.Contains("KEY", StringComparison.Ordinal) || r.Name.Contains("PASSWORD", StringComparison.Ordinal) || r.Name.Contains("SECRET", StringComparison.Ordinal) || r.Name.Contains("COOKIE", StringComparison.Ordinal))
            .ToList();
        Assert.NotEmpty(secrets);
        Assert.All(secrets, r => Assert.True(r.Operator.StartsWith(":?", StringComparison.Ordinal),
            $"${{{r.Name}{r.Operator}}}: a secret must be required (${{{r.Name}:?…}}), never defaulted."));
        foreach (var service in _compose.Services)
        {
            foreach (var (key, value) in service.Environment)
            {
                if (key.Contains("SigningKey", StringComparison.Ordinal) || key.Contains("KeyEncryptionKey", StringComparison.Ordinal) || key.EndsWith("PASSWORD", StringComparison.Ordinal) || key.EndsWith("__Password", StringComparison.Ordinal) ||
                    key.EndsWith("_COOKIE", StringComparison.Ordinal) || key.EndsWith("_PASS", StringComparison.Ordinal) || key.EndsWith("REPLICA_KEY", StringComparison.Ordinal))
                    Assert.True(value is not null && value.StartsWith("${", StringComparison.Ordinal), $"{service.Name}: {key} is written into the file.");
            }
        }
        Assert.DoesNotContain("change-me", _text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Nothing_uses_guest_or_publishes_the_management_ui()
    {
        Assert.DoesNotContain("guest:guest", _text, StringComparison.Ordinal);
        Assert.DoesNotContain(_compose.Services, s => s.Ports.Any(p => p.Target is 15672 or 5672 or 27017 or 15692 or 4369 or 25672));
        foreach (var node in ComposeTests.BrokerNodes)
        {
            var rabbit = _compose.Service(node);
            Assert.DoesNotContain("management", rabbit.Node.Scalar("image") ?? "", StringComparison.Ordinal);
            Assert.DoesNotContain("guest", rabbit.Environment.GetValueOrDefault("RABBITMQ_DEFAULT_USER") ?? "guest", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Each_service_connects_to_the_broker_as_its_own_user_in_the_platform_vhost()
    {
        var users = new HashSet<string>();
        foreach (var backend in ComposeTests.BackendServices)
        {
            var uri = _compose.Service(backend).Environment.GetValueOrDefault("ConnectionStrings__rabbitmq") ?? "";
            var password = $"${{Q2C_RABBITMQ_{Variable(backend)}_PASSWORD:?";
            Assert.StartsWith($"amqp://{backend}:{password}", uri, StringComparison.Ordinal);
            Assert.EndsWith("@rabbitmq:5672/quotetocash", uri, StringComparison.Ordinal);
            Assert.True(users.Add(backend));
            // Every node gets the same password to create the user with.
            foreach (var node in ComposeTests.BrokerNodes)
                Assert.StartsWith(password, _compose.Service(node).Environment.GetValueOrDefault($"Q2C_RABBITMQ_{Variable(backend)}_PASSWORD") ?? "", StringComparison.Ordinal);
            // The request-response queue is named after the host: it must fall under the service's permissions.
            Assert.Equal(backend, _compose.Service(backend).Node.Scalar("hostname"));
        }
        foreach (var node in ComposeTests.BrokerNodes)
        {
            var rabbit = _compose.Service(node);
            Assert.Contains(rabbit.Volumes, v => v.StartsWith("./scripts/rabbitmq-users.sh:/usr/local/bin/q2c-rabbitmq-users.sh", StringComparison.Ordinal));
            Assert.Contains("q2c-rabbitmq-users.sh", rabbit.Script, StringComparison.Ordinal);
            Assert.Contains("q2c-users-ready", rabbit.HealthcheckTest ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Broker_users_script_grants_each_service_its_own_names_only_and_removes_guest()
    {
        var script = File.ReadAllText(RepoPaths.Full("scripts/rabbitmq-users.sh"));
        Assert.Contains("for service in crm-ingest master-data billing-rules accounting-sync reporting", script, StringComparison.Ordinal);
        Assert.Contains(@"pattern=""^(${service}.*|QuoteToCash\\.Contracts\\..*|MassTransit:.*)\$""", script, StringComparison.Ordinal);
        Assert.Contains("set_permissions -p \"$vhost\" \"$service\" \"$pattern\" \"$pattern\" \"$pattern\"", script, StringComparison.Ordinal);
        Assert.Contains("set_user_tags \"$service\" >", script, StringComparison.Ordinal);
        Assert.Contains("delete_user guest", script, StringComparison.Ordinal);
        Assert.DoesNotContain("\".*\" \".*\" \".*\"", script, StringComparison.Ordinal);
        Assert.DoesNotContain("set_user_tags \"$service\" administrator", script, StringComparison.Ordinal);
    }

    [Fact]
    public void Mongodb_requires_authentication_and_each_service_has_its_own_user()
    {
        foreach (var member in ComposeTests.DatabaseMembers)
        {
            var mongo = _compose.Service(member);
            Assert.Equal("root", mongo.Environment.GetValueOrDefault("MONGO_INITDB_ROOT_USERNAME"));
            Assert.StartsWith("${Q2C_MONGO_ROOT_PASSWORD:?", mongo.Environment.GetValueOrDefault("MONGO_INITDB_ROOT_PASSWORD") ?? "", StringComparison.Ordinal);
            Assert.StartsWith("${Q2C_MONGO_REPLICA_KEY:?", mongo.Environment.GetValueOrDefault("Q2C_MONGO_REPLICA_KEY") ?? "", StringComparison.Ordinal);
            Assert.Contains("--keyFile", mongo.Script, StringComparison.Ordinal);
        }

        var init = _compose.Service("mongodb-init");
        var script = string.Join(' ', init.Node.Get("command").Strings());
        Assert.Contains("mongodb://root:$${Q2C_MONGO_ROOT_PASSWORD}@mongodb-1:27017/", script, StringComparison.Ordinal);
        Assert.Contains("createUser", script, StringComparison.Ordinal);
        Assert.Contains("role: 'readWrite', db: database", script, StringComparison.Ordinal);
        foreach (var backend in ComposeTests.BackendServices)
        {
            var env = _compose.Service(backend).Environment;
            var database = env.GetValueOrDefault("Storage__Database")!;
            var connection = env.GetValueOrDefault("ConnectionStrings__mongodb") ?? "";
            Assert.StartsWith($"mongodb://{backend}:${{Q2C_MONGO_{Variable(backend)}_PASSWORD:?", connection, StringComparison.Ordinal);
            Assert.EndsWith($"authSource={database}", connection, StringComparison.Ordinal);
            Assert.Contains($"'{backend}': '{database}'", script, StringComparison.Ordinal);
            Assert.StartsWith($"${{Q2C_MONGO_{Variable(backend)}_PASSWORD:?", init.Environment.GetValueOrDefault($"Q2C_MONGO_{Variable(backend)}_PASSWORD") ?? "", StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Services_run_as_production_with_a_key_encryption_key_and_only_the_gateway_issues_tokens_as_local()
    {
        foreach (var backend in ComposeTests.BackendServices)
        {
            var env = _compose.Service(backend).Environment;
            Assert.Equal("Production", env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
            Assert.StartsWith("${Q2C_KEY_ENCRYPTION_KEY:?", env.GetValueOrDefault("DataProtection__KeyEncryptionKey") ?? "", StringComparison.Ordinal);
        }
        var gateway = _compose.Service("gateway").Environment;
        Assert.Equal("Local", gateway.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
        Assert.StartsWith("${Q2C_ADMIN_PASSWORD:?", gateway.GetValueOrDefault("Auth__DevIssuer__Users__admin__Password") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void The_web_app_wraps_its_session_keys_with_a_key_encryption_key_of_its_own()
    {
        var env = _compose.Service(ComposeTests.WebApp).Environment;
        Assert.Equal("Production", env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
        Assert.StartsWith($"${{{ComposeTests.WebAppKeyEncryptionVariable}:?", env.GetValueOrDefault("DataProtection__KeyEncryptionKey") ?? "", StringComparison.Ordinal);
        Assert.DoesNotContain(ComposeTests.BackendServices,
            service => _compose.Service(service).Environment.Values.Any(v => v?.Contains(ComposeTests.WebAppKeyEncryptionVariable, StringComparison.Ordinal) == true));
        // 32 random bytes, base64 (not the alphanumeric form of the other secrets, which would not decode to 32 bytes).
        var script = File.ReadAllText(RepoPaths.Full("scripts/compose-secrets.sh"));
        Assert.Contains($"add {ComposeTests.WebAppKeyEncryptionVariable} \"$(head -c 32 /dev/urandom | base64 | tr -d '\\n')\"", script, StringComparison.Ordinal);
    }

    [Fact]
    public void The_secrets_script_generates_every_variable_the_file_requires()
    {
        var script = File.ReadAllText(RepoPaths.Full("scripts/compose-secrets.sh"));
        var required = ComposeFile.VariableReferences(_text).Where(r => r.Operator.StartsWith(":?", StringComparison.Ordinal)).Select(r => r.Name).Distinct();
        foreach (var name in required)
        {
            var generated = script.Contains($"add {name} ", StringComparison.Ordinal) ||
                (name.StartsWith("Q2C_RABBITMQ_", StringComparison.Ordinal) && name.EndsWith("_PASSWORD", StringComparison.Ordinal) && name != "Q2C_RABBITMQ_ADMIN_PASSWORD" && script.Contains("add \"Q2C_RABBITMQ_${service}_PASSWORD\"", StringComparison.Ordinal)) ||
                (name.StartsWith("Q2C_MONGO_", StringComparison.Ordinal) && name.EndsWith("_PASSWORD", StringComparison.Ordinal) && name != "Q2C_MONGO_ROOT_PASSWORD" && script.Contains("add \"Q2C_MONGO_${service}_PASSWORD\"", StringComparison.Ordinal));
            Assert.True(generated, $"scripts/compose-secrets.sh does not generate {name}.");
        }
    }
}
