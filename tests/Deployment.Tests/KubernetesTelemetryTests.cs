using YamlDotNet.RepresentationModel;

namespace QuoteToCash.Deployment.Tests;

/// <summary>k8s/: the OpenTelemetry collector and the trace UI run in the namespace, wired to each other and to the platform's pods.</summary>
public sealed class KubernetesTelemetryTests
{
    /// <summary>The collector's Deployment, Service and pods' app.kubernetes.io/name.</summary>
    public const string Collector = "otel-collector";

    /// <summary>The trace UI's Deployment, Service and pods' app.kubernetes.io/name.</summary>
    public const string TraceUi = "jaeger";

    private const string ComposeCollectorConfig = "deploy/otel-collector.yaml";

    private readonly KubernetesManifests _k8s = KubernetesManifests.Load();

    /// <summary>The Service a URL's host names, and the container port of the Service's pods that its port leads to.</summary>
    private (K8sObject Service, K8sObject Workload, int ContainerPort) Resolve(string host, int port)
    {
        var service = _k8s.Get("Service", host);
        var entry = service.Node.At("spec", "ports").Items().SingleOrDefault(p => p.Scalar("port") == port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.True(entry is not null, $"{service} has no port {port}.");
        var selector = service.Node.At("spec", "selector").StringMap();
        var workload = Assert.Single(_k8s.Workloads, w => KubernetesManifests.SelectorMatches(selector, w.PodLabels));
        var target = KubernetesManifests.ResolvePort(entry.Scalar("targetPort") ?? entry.Scalar("port"), workload.Containers);
        Assert.True(target is not null, $"{service} port {port} leads to no container port of {workload}.");
        return (service, workload, target.Value);
    }

    /// <summary>The collector's configuration as its container reads it: the ConfigMap key mounted at the path of --config.</summary>
    private YamlNode CollectorConfig()
    {
        var deployment = _k8s.Get("Deployment", Collector);
        var container = deployment.Containers.Single();
        var path = container.Get("args").Strings().Concat(container.Get("command").Strings())
            .Single(a => a.StartsWith("--config=", StringComparison.Ordinal))["--config=".Length..];
        var mount = container.Get("volumeMounts").Items().Single(m => path.StartsWith(m.Scalar("mountPath")!.TrimEnd('/') + "/", StringComparison.Ordinal));
        var volume = deployment.PodSpec.Get("volumes").Items().Single(v => v.Scalar("name") == mount.Scalar("name"));
        var configMap = volume.ScalarAt("configMap", "name");
        var key = path[(mount.Scalar("mountPath")!.TrimEnd('/').Length + 1)..];
        var text = _k8s.DataValue("ConfigMap", configMap, key);
        Assert.True(text is not null, $"{deployment} reads {path}, which no key of ConfigMap/{configMap} provides.");
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Single().RootNode;
    }

    [Fact]
    public void Every_platform_pod_exports_to_the_collectors_service_on_a_port_the_collector_receives_on()
    {
        var config = CollectorConfig();
        foreach (var deployment in _k8s.PlatformDeployments)
        {
            var container = deployment.Containers.Single().Scalar("name")!;
            var endpoint = _k8s.ValueOf(deployment, container, "OTEL_EXPORTER_OTLP_ENDPOINT");
            Assert.True(Uri.TryCreate(endpoint, UriKind.Absolute, out var uri), $"{deployment}: OTEL_EXPORTER_OTLP_ENDPOINT '{endpoint}' is no URL.");
            Assert.Equal("http", uri.Scheme);
            var (_, workload, containerPort) = Resolve(uri.Host, uri.Port);
            Assert.Equal(Collector, workload.Name);
            var protocol = _k8s.ValueOf(deployment, container, "OTEL_EXPORTER_OTLP_PROTOCOL") is "http/protobuf" ? "http" : "grpc";
            Assert.Equal($"0.0.0.0:{containerPort}", config.ScalarAt("receivers", "otlp", "protocols", protocol, "endpoint"));
            Assert.Equal(deployment.Name, _k8s.ValueOf(deployment, container, "OTEL_SERVICE_NAME"));
        }
    }

    [Fact]
    public void The_collector_sends_traces_to_the_trace_uis_otlp_port()
    {
        var config = CollectorConfig();
        var pipelines = config.At("service", "pipelines").Entries();
        foreach (var (name, pipeline) in pipelines)
        {
            foreach (var part in new[] { "receivers", "processors", "exporters" })
            {
                foreach (var component in pipeline.Get(part).Strings())
                    Assert.True(config.At(part, component) is not null, $"Pipeline {name} uses {part[..^1]} {component}, which is not defined.");
            }
        }

        var traceExporters = pipelines.Where(p => p.Key.Split('/')[0] == "traces").SelectMany(p => p.Value.Get("exporters").Strings()).ToList();
        Assert.NotEmpty(traceExporters);
        var endpoints = traceExporters.Select(e => config.ScalarAt("exporters", e, "endpoint")).OfType<string>().ToList();
        var toTraceUi = endpoints.Where(e => e.StartsWith(TraceUi + ":", StringComparison.Ordinal)).ToList();
        var endpoint = Assert.Single(toTraceUi);
        var (service, workload, containerPort) = Resolve(TraceUi, int.Parse(endpoint.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(TraceUi, workload.Name);
        Assert.Equal(4317, containerPort); // the trace UI's OTLP gRPC receiver
        Assert.Equal("true", _k8s.ValueOf(workload, workload.Containers.Single().Scalar("name")!, "COLLECTOR_OTLP_ENABLED"));
        Assert.NotEqual("NodePort", service.Node.ScalarAt("spec", "type"));
    }

    [Fact]
    public void The_collector_runs_the_pipeline_of_the_compose_configuration()
    {
        var cluster = CollectorConfig();
        var compose = YamlExtensions.LoadDocuments(RepoPaths.Full(ComposeCollectorConfig)).Single();
        foreach (var protocol in new[] { "grpc", "http" })
        {
            Assert.Equal(compose.ScalarAt("receivers", "otlp", "protocols", protocol, "endpoint"),
                cluster.ScalarAt("receivers", "otlp", "protocols", protocol, "endpoint"));
        }

        foreach (var (name, pipeline) in compose.At("service", "pipelines").Entries())
        {
            var same = cluster.At("service", "pipelines", name);
            Assert.True(same is not null, $"The cluster's collector has no {name} pipeline.");
            Assert.Equal(pipeline.Get("receivers").Strings(), same.Get("receivers").Strings());
            Assert.Equal(pipeline.Get("processors").Strings(), same.Get("processors").Strings());
        }

        Assert.Equal(compose.ScalarAt("exporters", "otlp/jaeger", "endpoint"), cluster.ScalarAt("exporters", "otlp/jaeger", "endpoint"));
        Assert.Equal(compose.At("service", "extensions").Strings(), cluster.At("service", "extensions").Strings());

        // The probes ask the health_check extension.
        var health = cluster.ScalarAt("extensions", "health_check", "endpoint")!;
        var container = _k8s.Get("Deployment", Collector).Containers.Single();
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            var port = KubernetesManifests.ResolvePort(container.ScalarAt(probe, "httpGet", "port"), [container]);
            Assert.Equal($"0.0.0.0:{port}", health);
        }

        // The memory limiter stays below the container's limit.
        var limit = container.ScalarAt("resources", "limits", "memory")!;
        Assert.EndsWith("Mi", limit, StringComparison.Ordinal);
        var limitMib = int.Parse(cluster.ScalarAt("processors", "memory_limiter", "limit_mib")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(limitMib < int.Parse(limit[..^2], System.Globalization.CultureInfo.InvariantCulture), $"memory_limiter allows {limitMib} MiB of a {limit} container.");
    }

    [Fact]
    public void The_collector_survives_a_disruption_and_the_trace_ui_keeps_one_store()
    {
        var collector = _k8s.Get("Deployment", Collector);
        Assert.True(int.Parse(collector.Node.ScalarAt("spec", "replicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture) >= 2, $"{collector} runs one replica.");
        Assert.Single(_k8s.OfKind("PodDisruptionBudget"), p => KubernetesManifests.LabelSelectorMatches(p.Node.At("spec", "selector"), collector.PodLabels));

        // In-memory storage: one pod, replaced rather than rolled (two would each hold part of the traces).
        var traceUi = _k8s.Get("Deployment", TraceUi);
        Assert.Equal("1", traceUi.Node.ScalarAt("spec", "replicas"));
        Assert.Equal("Recreate", traceUi.Node.ScalarAt("spec", "strategy", "type"));
        Assert.DoesNotContain(_k8s.OfKind("HorizontalPodAutoscaler"), h => h.Node.ScalarAt("spec", "scaleTargetRef", "name") == TraceUi);

        foreach (var deployment in new[] { collector, traceUi })
        {
            Assert.Equal("telemetry", deployment.PodLabels.GetValueOrDefault("app.kubernetes.io/component"));
            var container = deployment.Containers.Single();
            Assert.NotNull(container.ScalarAt("readinessProbe", "httpGet", "port"));
            Assert.NotNull(container.ScalarAt("livenessProbe", "httpGet", "port"));
            Assert.Equal("false", deployment.PodSpec.Scalar("automountServiceAccountToken"));
        }
    }

    [Fact]
    public void Nothing_is_exposed_outside_the_cluster_and_the_trace_ui_is_reached_by_port_forward()
    {
        Assert.Empty(_k8s.OfKind("Ingress"));
        foreach (var service in _k8s.OfKind("Service"))
        {
            var type = service.Node.ScalarAt("spec", "type") ?? "ClusterIP";
            Assert.True(type == "ClusterIP", $"{service} is of type {type}: nothing in these manifests is exposed outside the cluster.");
        }

        foreach (var workload in _k8s.PodOwners)
        {
            Assert.NotEqual("true", workload.PodSpec.Scalar("hostNetwork"));
            foreach (var container in workload.AllContainers)
                Assert.DoesNotContain(container.Get("ports").Items(), p => p.Scalar("hostPort") is not null);
        }

        var ui = _k8s.Get("Service", TraceUi).Node.At("spec", "ports").Items().Single(p => p.Scalar("name") == "ui");
        Assert.Equal("16686", ui.Scalar("port"));
        var readme = File.ReadAllText(RepoPaths.Full("k8s/README.md"));
        Assert.Contains("kubectl -n quotetocash port-forward svc/jaeger 16686:16686", readme, StringComparison.Ordinal);
        Assert.Contains("kubectl -n quotetocash port-forward svc/jaeger 16686:16686", File.ReadAllText(RepoPaths.Full("k8s/jaeger.yaml")), StringComparison.Ordinal);
    }
}
