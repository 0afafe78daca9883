using System.Text;

namespace QuoteToCash.Deployment.Tests;

/// <summary>docker-compose.yml: what it builds, publishes and waits for.</summary>
public sealed class ComposeTests
{
    /// <summary>
    /// Compose service → Dockerfile and the project its build arguments must select, as fixed for this repository:
    /// the root Dockerfile serves the five services and the gateway; the finance web app has its own, because it compiles a
    /// file of reporting's and keeps its Data Protection keys in a directory its user owns.
    /// </summary>
    public static readonly TheoryData<string, string, string> BuiltServices = new()
    {
        { "crm-ingest", "Dockerfile", "services/CrmIngest/QuoteToCash.CrmIngest.csproj" },
        { "master-data", "Dockerfile", "services/MasterData/QuoteToCash.MasterData.csproj" },
        { "billing-rules", "Dockerfile", "services/BillingRules/QuoteToCash.BillingRules.csproj" },
        { "accounting-sync", "Dockerfile", "services/AccountingSync/QuoteToCash.AccountingSync.csproj" },
        { "reporting", "Dockerfile", "services/Reporting/QuoteToCash.Reporting.csproj" },
        { "gateway", "Dockerfile", "gateway/QuoteToCash.Gateway/QuoteToCash.Gateway.csproj" },
        { WebApp, "gateway/QuoteToCash.WebApp/Dockerfile", "gateway/QuoteToCash.WebApp/QuoteToCash.WebApp.csproj" },
    };

    /// <summary>Variables the Dockerfile may use without defining them: the aspnet base image sets them.</summary>
    private static readonly string[] BaseImageVariables = ["APP_UID"];

    public static readonly string[] BackendServices = ["crm-ingest", "master-data", "billing-rules", "accounting-sync", "reporting"];

    /// <summary>The RabbitMQ cluster's nodes: compose services, hostnames and (as rabbit@name) node names.</summary>
    public static readonly string[] BrokerNodes = ["rabbitmq-1", "rabbitmq-2", "rabbitmq-3"];

    /// <summary>The members of replica set rs0: compose services and hostnames, on port 27017.</summary>
    public static readonly string[] DatabaseMembers = ["mongodb-1", "mongodb-2", "mongodb-3"];

    /// <summary>The finance web app: its compose service, Kubernetes Deployment and Service, and gateway cluster share this name.</summary>
    public const string WebApp = "webapp";

    /// <summary>Where the web app's Data Protection keys live in its container (the image's default and the mounted volume).</summary>
    public const string WebAppKeysDirectory = "/var/lib/quotetocash/webapp-keys";

    /// <summary>Everything the gateway proxies to: the five services and the web app.</summary>
    public static readonly string[] GatewayClusters = [.. BackendServices, WebApp];

    /// <summary>
    /// Settings that belong to a process with a store, a broker or the platform's signing key; the web app has none. Its
    /// own key-encryption key (DataProtection__KeyEncryptionKey) it does have: it wraps the session keys.
    /// </summary>
    public static readonly string[] NotForTheWebApp = ["ConnectionStrings__", "Storage__", "Messaging__", "Auth__SigningKey", "RabbitMq", "Mongo"];

    /// <summary>The compose variable of the web app's key-encryption key: its own, not the services' Q2C_KEY_ENCRYPTION_KEY.</summary>
    public const string WebAppKeyEncryptionVariable = "Q2C_WEBAPP_KEY_ENCRYPTION_KEY";

    private readonly ComposeFile _compose = ComposeFile.Load();

    /// <summary>The Dockerfile as compose builds it for the service: with the service's build arguments.</summary>
    private DockerfileModel Model(string service, string dockerfile) => DockerfileModel.Load(dockerfile, _compose.Service(service).BuildArgs);

    [Fact]
    public void Builds_exactly_the_five_services_the_web_app_and_the_gateway_from_the_repository_root()
    {
        var expected = BuiltServices.Select(row => (row.Data.Item1, row.Data.Item2)).OrderBy(x => x.Item1).ToList();
        var actual = _compose.Built.Select(s => (s.Name, s.DockerfilePath ?? "")).OrderBy(x => x.Name).ToList();
        Assert.Equal(expected, actual);
        Assert.All(_compose.Built, s => Assert.Equal(".", s.BuildContext));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Build_arguments_are_the_ones_the_dockerfile_declares(string service, string dockerfile, string project)
    {
        _ = project;
        var given = _compose.Service(service).BuildArgs;
        var declared = Model(service, dockerfile).DeclaredArguments;
        foreach (var (name, value) in given)
        {
            Assert.True(declared.Any(a => a.Name == name), $"{service}: build argument {name} is not an ARG of {dockerfile}.");
            Assert.False(string.IsNullOrWhiteSpace(value), $"{service}: build argument {name} has no value.");
        }

        foreach (var argument in declared.Where(a => a.Default is null))
            Assert.True(given.ContainsKey(argument.Name), $"{service}: {dockerfile} needs the build argument {argument.Name}, which compose does not pass.");
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_uses_only_variables_it_defines_or_the_base_image_sets(string service, string dockerfile, string project)
    {
        _ = project;
        var undefined = Model(service, dockerfile).UndefinedVariables.Where(v => !BaseImageVariables.Contains(v.Name)).ToList();
        Assert.True(undefined.Count == 0,
            $"{service}: {dockerfile} uses variables that no ARG or ENV before them defines: " + string.Join(", ", undefined.Select(v => $"{v.Name} (line {v.Line})")));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_exists_and_publishes_an_existing_project(string service, string dockerfile, string project)
    {
        Assert.Equal(dockerfile, _compose.Service(service).DockerfilePath);
        Assert.True(File.Exists(RepoPaths.Full(dockerfile)), $"{service}: {dockerfile} does not exist.");

        var model = Model(service, dockerfile);
        var publish = model.Run("dotnet publish");
        Assert.NotNull(publish);
        var published = model.ProjectsOf(publish, "publish");
        Assert.NotEmpty(published);
        foreach (var path in published)
        {
            // WORKDIR-relative in the image; the COPY check below makes that the repository-relative path.
            Assert.True(File.Exists(RepoPaths.Full(path)), $"{dockerfile} publishes {path}, which does not exist in the repository.");
        }

        Assert.Equal([project], published);
        Assert.Equal("/app", DockerfileModel.OptionValue(publish, "-o", "--output"));
        Assert.Equal("Release", DockerfileModel.OptionValue(publish, "-c", "--configuration"));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_copies_everything_the_project_needs(string service, string dockerfile, string project)
    {
        var model = Model(service, dockerfile);
        var ignore = DockerIgnore.Load();
        var restore = model.Run("dotnet restore");
        var publish = model.Run("dotnet publish");
        Assert.NotNull(publish);
        var restoreAt = restore is null ? model.Instructions.ToList().IndexOf(publish) : model.Instructions.ToList().IndexOf(restore);
        var publishAt = model.Instructions.ToList().IndexOf(publish);
        var problems = new List<string>();

        void Require(string repoPath, int before, string why)
        {
            if (ignore.Excludes(repoPath))
                problems.Add($"{repoPath} ({why}) is excluded by .dockerignore");
            var landed = model.ImagePathOf(repoPath, before);
            if (landed != repoPath)
                problems.Add(landed is null ? $"{repoPath} ({why}) is not copied before line {model.Instructions[before].Line}" : $"{repoPath} ({why}) lands at {landed}");
        }

        foreach (var rootFile in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props" })
            Require(rootFile, restoreAt, "root build file");

        var closure = ProjectGraph.Closure(project);
        foreach (var referenced in closure)
        {
            Assert.True(File.Exists(RepoPaths.Full(referenced)), $"{service}: {project} references {referenced}, which does not exist.");
            Require(referenced, restoreAt, "project file, for restore");
            var directory = RepoPaths.Full(ProjectGraph.DirectoryOf(referenced));
            var sources = Directory.EnumerateFiles(directory, "*", SearchOption.AllDirectories)
                .Select(RepoPaths.Relative)
                .Where(f => !f.Split('/').Any(part => part is "bin" or "obj"))
                .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal));
            foreach (var source in sources)
                Require(source, publishAt, $"source of {Path.GetFileName(referenced)}");
            foreach (var outside in ProjectGraph.FilesOutsideProjectFolder(referenced))
                Require(outside, publishAt, $"included by {Path.GetFileName(referenced)} from outside its folder");
        }

        Assert.True(problems.Count == 0, $"{dockerfile}:\n" + string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Dockerfile_runs_the_published_assembly_as_a_non_root_user(string service, string dockerfile, string project)
    {
        var model = Model(service, dockerfile);
        Assert.True(model.Stages.Count >= 2, $"{service}: {dockerfile} is not multi-stage.");
        Assert.Equal("mcr.microsoft.com/dotnet/sdk:10.0", model.BaseImage(0));
        Assert.Equal("mcr.microsoft.com/dotnet/aspnet:10.0", model.BaseImage(model.FinalStage));

        Assert.Contains(model.Instructions, i => i.Keyword == "COPY" && i.Stage == model.FinalStage &&
                                                 i.Arguments.StartsWith("--from=", StringComparison.Ordinal) && i.Arguments.Contains("/app", StringComparison.Ordinal));

        var user = model.Instructions.LastOrDefault(i => i.Keyword == "USER" && i.Stage == model.FinalStage);
        Assert.NotNull(user);
        Assert.DoesNotContain(user.Arguments.Split(':')[0].Trim(), new[] { "root", "0" });

        var assembly = File.Exists(RepoPaths.Full(project)) ? ProjectGraph.AssemblyName(project) : Path.GetFileNameWithoutExtension(project);
        Assert.Equal(["dotnet", assembly + ".dll"], model.Entrypoint());
    }

    [Fact]
    public void Dockerignore_keeps_build_output_local_data_and_git_out_of_the_context()
    {
        var ignore = DockerIgnore.Load();
        foreach (var path in new[] { "artifacts/bin/x.dll", "data/crm-ingest/crm-ingest.db", "node_modules/x/index.js", ".git/HEAD", "services/CrmIngest/bin/Debug/x.dll", "services/CrmIngest/obj/project.assets.json" })
            Assert.True(ignore.Excludes(path), $".dockerignore does not exclude {path}");
        foreach (var path in new[] { "global.json", "Directory.Build.props", "Directory.Packages.props", "services/CrmIngest/Program.cs", "contracts/QuoteToCash.Contracts/QuoteToCash.Contracts.csproj" })
            Assert.False(ignore.Excludes(path), $".dockerignore excludes {path}, which the images need");
    }

    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Ports_of_our_services_are_8080_inside_the_container(string service, string dockerfile, string project)
    {
        _ = project;
        var composed = _compose.Service(service);
        foreach (var port in composed.Ports.Concat(composed.Exposed))
            Assert.True(port.Target == 8080, $"{service}: '{port.Source}' targets container port {port.Target}, not 8080.");

        var health = composed.HealthcheckTest;
        Assert.NotNull(health);
        Assert.Contains("8080", health, StringComparison.Ordinal);
        Assert.Contains("/health/", health, StringComparison.Ordinal);

        var model = Model(service, dockerfile);
        Assert.Contains(model.Instructions, i => i.Keyword == "EXPOSE" && i.Stage == model.FinalStage && i.Arguments.Split(' ').Contains("8080"));
    }

    /// <summary>
    /// What Kestrel actually binds. A "urls" setting wins over ASPNETCORE_HTTP_PORTS, and an "Urls" entry in
    /// appsettings.json outranks ASPNETCORE_URLS (prefixed variables are read first); only an un-prefixed URLS
    /// variable (or the command line) outranks appsettings.json.
    /// </summary>
    [Theory]
    [MemberData(nameof(BuiltServices))]
    public void Service_listens_on_8080_on_all_interfaces(string service, string dockerfile, string project)
    {
        var model = Model(service, dockerfile);
        var env = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in model.Env(model.FinalStage))
            env[key] = value;
        foreach (var (key, value) in _compose.Service(service).Environment)
            env[key] = value;

        var projectDirectory = ProjectGraph.DirectoryOf(project);
        var appSettingsUrls = new[] { "appsettings.json", "appsettings.Production.json" }
            .Select(f => RepoPaths.Full($"{projectDirectory}/{f}"))
            .Where(File.Exists)
            .Select(f => System.Text.Json.JsonDocument.Parse(File.ReadAllText(f), new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true }))
            .Select(d => d.RootElement.EnumerateObject().FirstOrDefault(p => p.Name.Equals("Urls", StringComparison.OrdinalIgnoreCase)))
            .Where(p => p.Value.ValueKind == System.Text.Json.JsonValueKind.String)
            .Select(p => p.Value.GetString())
            .ToList();

        string effective;
        if (env.TryGetValue("URLS", out var urls) && !string.IsNullOrEmpty(urls))
            effective = urls;
        else if (appSettingsUrls.Count > 0)
            effective = appSettingsUrls[^1]!;
        else if (env.TryGetValue("ASPNETCORE_URLS", out var aspnetUrls) && !string.IsNullOrEmpty(aspnetUrls))
            effective = aspnetUrls;
        else
            effective = "http://+:" + (env.TryGetValue("ASPNETCORE_HTTP_PORTS", out var ports) && !string.IsNullOrEmpty(ports) ? ports : "8080");

        var bindings = effective.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.True(bindings.Length > 0 && bindings.All(b => b.EndsWith(":8080", StringComparison.Ordinal)),
            $"{service} would listen on '{effective}', not on port 8080.");
        Assert.True(bindings.All(b => !b.Contains("127.0.0.1", StringComparison.Ordinal) && !b.Contains("localhost", StringComparison.OrdinalIgnoreCase)),
            $"{service} would listen on '{effective}', which is not reachable from outside the container.");
    }

    [Fact]
    public void Only_the_gateway_and_the_jaeger_ui_are_published()
    {
        var published = _compose.Services
            .SelectMany(s => s.Ports.Select(p => (s.Name, p.Published, p.Target)))
            .OrderBy(x => x.Name)
            .ToList();
        Assert.Equal(
            [("gateway", (int?)8080, 8080), ("jaeger", 16686, 16686)],
            published);
    }

    [Fact]
    public void The_trace_ui_which_has_no_sign_in_is_published_on_the_loopback_address_only()
    {
        var jaeger = Assert.Single(_compose.Service("jaeger").Ports);
        Assert.Equal(16686, jaeger.Published);
        Assert.StartsWith("127.0.0.1:", jaeger.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void Gateway_is_published_on_8080()
    {
        var gateway = _compose.Service("gateway");
        Assert.Contains(gateway.Ports, p => p.Published == 8080 && p.Target == 8080);
    }

    [Fact]
    public void Gateway_declares_the_six_clusters_and_serves_the_web_app_at_the_root_and_under_app()
    {
        var routing = GatewayRouting.Load();
        Assert.Equal(GatewayClusters.Order(StringComparer.Ordinal), routing.Clusters.Order(StringComparer.Ordinal));
        Assert.Equal((WebApp, "/"), routing.Routes.GetValueOrDefault("webapp-root"));
        Assert.Equal((WebApp, "/app/{**rest}"), routing.Routes.GetValueOrDefault("webapp"));
        Assert.All(routing.Routes, r => Assert.Contains(r.Value.ClusterId, routing.Clusters));
    }

    [Fact]
    public void Gateway_routes_each_cluster_to_its_compose_service_on_8080()
    {
        var env = _compose.Service("gateway").Environment;
        foreach (var cluster in GatewayRouting.Load().Clusters)
        {
            var key = GatewayRouting.DestinationVariable(cluster);
            Assert.True(env.TryGetValue(key, out var address), $"gateway has no {key}: cluster {cluster} would go to its local address.");
            Assert.Equal($"http://{cluster}:8080", address?.TrimEnd('/'));
            Assert.True(_compose.Service(cluster).IsBuilt, $"{cluster} is not one of the services compose builds.");
            Assert.Contains(_compose.Service(cluster).Exposed.Concat(_compose.Service(cluster).Ports), p => p.Target == 8080);
        }

        var routed = env.Keys.Where(k => k.StartsWith("ReverseProxy__Clusters__", StringComparison.Ordinal)).ToList();
        Assert.Equal(GatewayClusters.Length, routed.Count);
    }

    [Fact]
    public void Web_app_calls_the_apis_through_the_gateway_and_owns_no_store_or_broker()
    {
        var webapp = _compose.Service(WebApp);
        var env = webapp.Environment;
        Assert.Equal("http://gateway:8080", env.GetValueOrDefault("WebApp__GatewayUrl")?.TrimEnd('/'));
        Assert.Equal(WebApp, env.GetValueOrDefault("OTEL_SERVICE_NAME"));
        Assert.Equal("Production", env.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
        var misplaced = env.Keys.Where(k => NotForTheWebApp.Any(p => k.StartsWith(p, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(misplaced.Count == 0, "webapp has settings of a service with a store or broker: " + string.Join(", ", misplaced));
        foreach (var infrastructure in new[] { "rabbitmq", "mongodb", "mongodb-init" })
            Assert.False(webapp.DependsOn.ContainsKey(infrastructure), $"webapp waits for {infrastructure}, which it never uses.");
        Assert.Empty(webapp.Ports);
        Assert.Null(webapp.Node.Scalar("hostname")); // no broker: no request-response queue to name after the host
    }

    [Fact]
    public void Web_app_keeps_its_data_protection_keys_on_a_named_volume_its_user_can_write()
    {
        var webapp = _compose.Service(WebApp);
        var dockerfile = webapp.DockerfilePath!;
        var model = DockerfileModel.Load(dockerfile, webapp.BuildArgs);
        var keys = webapp.Environment.GetValueOrDefault("WebApp__KeysDirectory") ?? model.Env(model.FinalStage).GetValueOrDefault("WebApp__KeysDirectory");
        Assert.False(string.IsNullOrEmpty(keys), "webapp has no WebApp__KeysDirectory: its keys would be in memory and a restart would sign everyone out.");
        Assert.Equal(WebAppKeysDirectory, keys);

        // Short syntax "volume:/path[:mode]"; a bind mount ("./x", "/x") would not get the image's ownership.
        var mounts = webapp.Node.Get("volumes").Items().Select(v => v.Scalar() ?? "").Select(v => v.Split(':')).ToList();
        var mount = mounts.SingleOrDefault(m => m.Length >= 2 && m[1].TrimEnd('/') == keys);
        Assert.True(mount is not null, $"No volume is mounted at {keys}.");
        Assert.DoesNotContain("ro", mount.Skip(2));
        var volume = mount[0];
        Assert.False(volume.StartsWith('.') || volume.StartsWith('/') || volume.StartsWith('~'), $"{keys} is a bind mount ({volume}), not a named volume.");
        Assert.Contains(volume, _compose.Root.Get("volumes").Entries().Select(e => e.Key));
        Assert.Single(_compose.Services, s => s.Node.Get("volumes").Items().Any(v => (v.Scalar() ?? "").Split(':')[0] == volume));

        // A new named volume takes the ownership of the image's directory at the mount point: the app's user must own it.
        var prepared = model.Instructions.Where(i => i.Keyword == "RUN" && i.Stage == model.FinalStage).Select(i => i.Arguments).ToList();
        Assert.Contains(prepared, run => run.Contains($"mkdir -p {keys}", StringComparison.Ordinal) && run.Contains("chown", StringComparison.Ordinal) &&
                                         run.Contains("$APP_UID", StringComparison.Ordinal) && run.Contains(keys, StringComparison.Ordinal));
        var chownAt = model.Instructions.ToList().FindIndex(i => i.Keyword == "RUN" && i.Stage == model.FinalStage && i.Arguments.Contains("chown", StringComparison.Ordinal));
        var userAt = model.Instructions.ToList().FindLastIndex(i => i.Keyword == "USER" && i.Stage == model.FinalStage);
        Assert.True(chownAt >= 0 && chownAt < userAt, "The keys directory must be prepared before the image switches to its non-root user.");
    }

    [Fact]
    public void Services_wait_for_healthy_dependencies()
    {
        var names = _compose.Services.Select(s => s.Name).ToHashSet();
        foreach (var service in _compose.Services)
        {
            foreach (var (dependency, condition) in service.DependsOn)
            {
                Assert.True(names.Contains(dependency), $"{service.Name} depends on unknown service {dependency}.");
                Assert.Contains(condition, new[] { "service_started", "service_healthy", "service_completed_successfully" });
                if (condition == "service_healthy")
                    Assert.True(_compose.Service(dependency).HealthcheckTest is not null, $"{service.Name} waits for {dependency} to be healthy, but it has no healthcheck.");
            }
        }

        foreach (var backend in BackendServices)
        {
            var dependsOn = _compose.Service(backend).DependsOn;
            // Every node: a quorum queue gets a member on each node of the cluster as it is when the queue is declared.
            foreach (var node in BrokerNodes)
                Assert.Equal("service_healthy", dependsOn.GetValueOrDefault(node));
            Assert.Equal("service_completed_successfully", dependsOn.GetValueOrDefault("mongodb-init"));
            Assert.Contains("/health/ready", _compose.Service(backend).HealthcheckTest ?? "", StringComparison.Ordinal);
        }

        var gatewayDependsOn = _compose.Service("gateway").DependsOn;
        foreach (var cluster in GatewayClusters)
            Assert.Equal("service_healthy", gatewayDependsOn.GetValueOrDefault(cluster));
        // The web app needs the gateway only when a user asks for a page; waiting for it at start would be a cycle.
        Assert.False(_compose.Service(WebApp).DependsOn.ContainsKey("gateway"));
        Assert.Contains("/health/ready", _compose.Service(WebApp).HealthcheckTest ?? "", StringComparison.Ordinal);

        foreach (var member in DatabaseMembers)
            Assert.Equal("service_healthy", _compose.Service("mongodb-init").DependsOn.GetValueOrDefault(member));
    }

    [Fact]
    public void Settings_are_consistent_across_services()
    {
        var gateway = _compose.Service("gateway").Environment;
        var signingKey = gateway.GetValueOrDefault("Auth__SigningKey");
        Assert.NotNull(signingKey);
        Assert.StartsWith("${Q2C_SIGNING_KEY", signingKey, StringComparison.Ordinal);
        Assert.Null(ComposeFile.DefaultOf(signingKey));
        Assert.Equal("true", gateway.GetValueOrDefault("Auth__DevIssuer__Enabled"));
        Assert.Equal("Local", gateway.GetValueOrDefault("ASPNETCORE_ENVIRONMENT"));
        Assert.Equal("gateway", gateway.GetValueOrDefault("OTEL_SERVICE_NAME"));
        Assert.DoesNotContain(gateway.Keys, k => k.StartsWith("ConnectionStrings__", StringComparison.Ordinal) || k.StartsWith("Storage__", StringComparison.Ordinal) || k.StartsWith("Messaging__", StringComparison.Ordinal));

        var databases = new HashSet<string>();
        foreach (var backend in BackendServices)
        {
            var env = _compose.Service(backend).Environment;
            Assert.Equal(signingKey, env.GetValueOrDefault("Auth__SigningKey"));
            Assert.Equal(gateway.GetValueOrDefault("Auth__Issuer"), env.GetValueOrDefault("Auth__Issuer"));
            Assert.Equal(gateway.GetValueOrDefault("Auth__Audience"), env.GetValueOrDefault("Auth__Audience"));
            Assert.Equal("mongodb", env.GetValueOrDefault("Storage__Engine"));
            Assert.Equal("true", env.GetValueOrDefault("Messaging__QuorumQueues"));
            Assert.StartsWith("amqp://", env.GetValueOrDefault("ConnectionStrings__rabbitmq") ?? "", StringComparison.Ordinal);
            Assert.Contains("@rabbitmq:5672", env.GetValueOrDefault("ConnectionStrings__rabbitmq") ?? "", StringComparison.Ordinal);
            Assert.Equal(backend, env.GetValueOrDefault("OTEL_SERVICE_NAME"));
            Assert.DoesNotContain("Auth__DevIssuer__Enabled", env.Keys);
            var database = env.GetValueOrDefault("Storage__Database");
            Assert.False(string.IsNullOrEmpty(database), $"{backend} has no Storage__Database.");
            Assert.True(databases.Add(database!), $"{backend} shares database {database} with another service.");
        }

        foreach (var service in _compose.Built)
            Assert.Equal("http://otel-collector:4317", service.Environment.GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT"));
    }

    [Fact]
    public void Telemetry_flows_from_the_collector_to_jaeger()
    {
        Assert.All(BrokerNodes, node => Assert.Equal("rabbitmq:3.13", _compose.Service(node).Node.Scalar("image")));
        Assert.StartsWith("jaegertracing/all-in-one:", _compose.Service("jaeger").Node.Scalar("image"), StringComparison.Ordinal);
        Assert.StartsWith("otel/opentelemetry-collector-contrib:", _compose.Service("otel-collector").Node.Scalar("image"), StringComparison.Ordinal);

        var volumes = _compose.Service("otel-collector").Node.Get("volumes").Strings();
        Assert.Contains(volumes, v => v.StartsWith("./deploy/otel-collector.yaml:", StringComparison.Ordinal));

        var config = YamlExtensions.LoadDocuments(RepoPaths.Full("deploy/otel-collector.yaml")).Single();
        Assert.Equal("0.0.0.0:4317", config.ScalarAt("receivers", "otlp", "protocols", "grpc", "endpoint"));
        Assert.Equal("0.0.0.0:4318", config.ScalarAt("receivers", "otlp", "protocols", "http", "endpoint"));

        var pipelines = config.At("service", "pipelines").Entries();
        Assert.Contains(pipelines, p => p.Key.Split('/')[0] == "traces");
        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var (part, section) in new[] { ("receivers", "receivers"), ("processors", "processors"), ("exporters", "exporters") })
            {
                foreach (var component in pipeline.Get(part).Strings())
                    Assert.True(config.At(section, component) is not null, $"Pipeline {name} uses {part[..^1]} {component}, which is not defined.");
            }
        }

        var traceExporters = pipelines.Where(p => p.Key.Split('/')[0] == "traces").SelectMany(p => p.Value.Get("exporters").Strings());
        Assert.Contains(traceExporters, e => config.ScalarAt("exporters", e, "endpoint") == "jaeger:4317");
        foreach (var extension in config.At("service", "extensions").Strings())
            Assert.NotNull(config.At("extensions", extension));
    }
}
