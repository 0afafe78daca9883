namespace QuoteToCash.Deployment.Tests;

/// <summary>k8s/: the manifests parse and hang together.</summary>
public sealed class KubernetesTests
{
    private static readonly string[] BackendServices = ComposeTests.BackendServices;

    private const string WebApp = ComposeTests.WebApp;

    private readonly KubernetesManifests _k8s = KubernetesManifests.Load();

    [Fact]
    public void Kustomization_lists_every_manifest_and_all_parse_into_the_namespace()
    {
        Assert.Equal(KubernetesManifests.Namespace, _k8s.Kustomization.Scalar("namespace"));

        var onDisk = Directory.EnumerateFiles(RepoPaths.Full(KubernetesManifests.Directory), "*.yaml")
            .Select(f => Path.GetFileName(f))
            .Where(f => f != "kustomization.yaml")
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Equal(onDisk, _k8s.Resources.Order(StringComparer.Ordinal).ToList());
        Assert.NotEmpty(_k8s.Objects);

        Assert.Contains(_k8s.Objects, o => o.Kind == "Namespace" && o.Name == KubernetesManifests.Namespace);
        foreach (var o in _k8s.Objects.Where(o => KubernetesManifests.IsNamespaced(o.Kind)))
            Assert.True(o.Namespace == KubernetesManifests.Namespace, $"{o} is not in namespace {KubernetesManifests.Namespace}.");

        var duplicates = _k8s.Objects.GroupBy(o => (o.Kind, o.Name)).Where(g => g.Count() > 1).Select(g => g.Key).ToList();
        Assert.Empty(duplicates);
    }

    [Fact]
    public void Deployments_are_the_five_services_the_web_app_and_the_gateway()
    {
        Assert.Equal(
            BackendServices.Append(WebApp).Append("gateway").Order(StringComparer.Ordinal),
            _k8s.PlatformDeployments.Select(d => d.Name).Order(StringComparer.Ordinal));
        // Besides them only the telemetry: the collector and the trace UI.
        Assert.Equal(
            BackendServices.Append(WebApp).Append("gateway").Append(KubernetesTelemetryTests.Collector).Append(KubernetesTelemetryTests.TraceUi).Order(StringComparer.Ordinal),
            _k8s.Deployments.Select(d => d.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_deployment_has_readiness_and_liveness_probes_on_the_health_endpoints()
    {
        Assert.NotEmpty(_k8s.PlatformDeployments);
        foreach (var deployment in _k8s.PlatformDeployments)
        {
            Assert.NotEmpty(deployment.Containers);
            foreach (var container in deployment.Containers)
            {
                var name = $"{deployment}, container {container.Scalar("name")}";
                // The gateway's /health/ready aggregates the whole platform; its own pods are ready when live.
                var readiness = deployment.ToString().Contains("gateway", StringComparison.Ordinal) ? "/health/live" : "/health/ready";
                Assert.True(container.ScalarAt("readinessProbe", "httpGet", "path") == readiness, $"{name}: readiness probe is not GET {readiness}.");
                Assert.True(container.ScalarAt("livenessProbe", "httpGet", "path") == "/health/live", $"{name}: liveness probe is not GET /health/live.");
                foreach (var probe in new[] { "readinessProbe", "livenessProbe", "startupProbe" })
                {
                    if (container.Get(probe) is null)
                        continue;
                    var port = KubernetesManifests.ResolvePort(container.ScalarAt(probe, "httpGet", "port"), [container]);
                    Assert.True(port == 8080, $"{name}: {probe} targets port {port}, not 8080.");
                }

                Assert.Contains(container.Get("ports").Items(), p => p.Scalar("containerPort") == "8080");
            }
        }
    }

    [Fact]
    public void Every_deployment_has_resource_requests_and_a_memory_limit()
    {
        foreach (var deployment in _k8s.Deployments)
        {
            foreach (var container in deployment.Containers)
            {
                var name = $"{deployment}, container {container.Scalar("name")}";
                Assert.True(container.ScalarAt("resources", "requests", "cpu") is not null, $"{name}: no CPU request.");
                Assert.True(container.ScalarAt("resources", "requests", "memory") is not null, $"{name}: no memory request.");
                Assert.True(container.ScalarAt("resources", "limits", "memory") is not null, $"{name}: no memory limit.");
                Assert.Equal("true", container.ScalarAt("securityContext", "readOnlyRootFilesystem"));
                Assert.Equal("false", container.ScalarAt("securityContext", "allowPrivilegeEscalation"));
            }

            Assert.Equal("true", deployment.PodSpec.ScalarAt("securityContext", "runAsNonRoot"));
        }
    }

    [Fact]
    public void Every_service_selector_matches_a_workloads_pod_labels()
    {
        Assert.NotEmpty(_k8s.OfKind("Service"));
        foreach (var service in _k8s.OfKind("Service"))
        {
            var selector = service.Node.At("spec", "selector").StringMap();
            var targets = _k8s.Workloads.Where(w => KubernetesManifests.SelectorMatches(selector, w.PodLabels)).ToList();
            Assert.True(targets.Count > 0, $"{service}: selector {string.Join(',', selector)} matches no Deployment or StatefulSet pods.");

            foreach (var port in service.Node.At("spec", "ports").Items())
            {
                var targetPort = port.Scalar("targetPort") ?? port.Scalar("port");
                foreach (var target in targets)
                {
                    Assert.True(KubernetesManifests.ResolvePort(targetPort, target.Containers) is not null,
                        $"{service}: targetPort {targetPort} is no container port of {target}.");
                }
            }
        }

        foreach (var deployment in _k8s.PlatformDeployments)
        {
            var service = _k8s.Get("Service", deployment.Name);
            Assert.True(KubernetesManifests.SelectorMatches(service.Node.At("spec", "selector").StringMap(), deployment.PodLabels),
                $"Service/{deployment.Name} does not select the pods of {deployment}.");
            Assert.Contains(service.Node.At("spec", "ports").Items(), p => p.Scalar("port") == "8080" &&
                KubernetesManifests.ResolvePort(p.Scalar("targetPort"), deployment.Containers) == 8080);
            Assert.True(KubernetesManifests.LabelSelectorMatches(deployment.Node.At("spec", "selector"), deployment.PodLabels),
                $"{deployment}: spec.selector does not match its own pod template.");
        }
    }

    [Fact]
    public void Services_have_autoscalers_and_disruption_budgets()
    {
        foreach (var deployment in _k8s.PlatformDeployments)
        {
            var hpa = _k8s.OfKind("HorizontalPodAutoscaler").SingleOrDefault(h =>
                h.Node.ScalarAt("spec", "scaleTargetRef", "kind") == "Deployment" && h.Node.ScalarAt("spec", "scaleTargetRef", "name") == deployment.Name);
            Assert.True(hpa is not null, $"{deployment} has no HorizontalPodAutoscaler.");
            var min = int.Parse(hpa.Node.ScalarAt("spec", "minReplicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
            var max = int.Parse(hpa.Node.ScalarAt("spec", "maxReplicas") ?? "0", System.Globalization.CultureInfo.InvariantCulture);
            Assert.True(min >= 2 && max >= min, $"{hpa}: minReplicas {min}, maxReplicas {max}.");
            Assert.True(deployment.Containers.All(c => c.ScalarAt("resources", "requests", "cpu") is not null),
                $"{deployment}: CPU-based autoscaling needs CPU requests.");
            Assert.True(deployment.Node.ScalarAt("spec", "replicas") is null,
                $"{deployment} sets spec.replicas, which every apply would reset under its autoscaler.");

            var pdbs = _k8s.OfKind("PodDisruptionBudget")
                .Where(p => KubernetesManifests.LabelSelectorMatches(p.Node.At("spec", "selector"), deployment.PodLabels))
                .ToList();
            Assert.True(pdbs.Count == 1, $"{deployment} is covered by {pdbs.Count} PodDisruptionBudgets.");
        }
    }

    [Fact]
    public void Services_accept_http_only_from_the_gateway()
    {
        var gateway = _k8s.Get("Deployment", "gateway");
        var policies = _k8s.OfKind("NetworkPolicy").ToList();
        foreach (var name in ComposeTests.GatewayClusters)
        {
            var deployment = _k8s.Get("Deployment", name);
            var applying = policies.Where(p => KubernetesManifests.LabelSelectorMatches(p.Node.At("spec", "podSelector"), deployment.PodLabels)).ToList();
            Assert.True(applying.Count > 0, $"No NetworkPolicy selects the pods of {deployment}.");
            foreach (var policy in applying)
            {
                var types = policy.Node.At("spec", "policyTypes").Strings();
                Assert.True(types.Count == 0 || types.Contains("Ingress"), $"{policy} does not restrict ingress.");
                var rules = policy.Node.At("spec", "ingress").Items();
                Assert.NotEmpty(rules);
                foreach (var rule in rules)
                {
                    var peers = rule.Get("from").Items();
                    Assert.NotEmpty(peers); // an empty 'from' admits everyone
                    Assert.All(peers, peer =>
                    {
                        Assert.Null(peer.Get("namespaceSelector"));
                        Assert.Null(peer.Get("ipBlock"));
                        Assert.True(peer.Get("podSelector") is not null && KubernetesManifests.LabelSelectorMatches(peer.Get("podSelector"), gateway.PodLabels),
                            $"{policy} admits pods other than the gateway's.");
                        Assert.False(peer.Get("podSelector").Entries().Count == 0, $"{policy} admits every pod.");
                    });
                    var ports = rule.Get("ports").Items();
                    Assert.NotEmpty(ports);
                    Assert.All(ports, p => Assert.Equal("8080", p.Scalar("port")));
                }
            }

            Assert.True(policies.All(p => !KubernetesManifests.LabelSelectorMatches(p.Node.At("spec", "podSelector"), gateway.PodLabels)),
                "A NetworkPolicy selects the gateway's pods, which must stay reachable from outside.");
        }
    }

    [Fact]
    public void Env_references_point_at_existing_config_maps_and_secrets()
    {
        foreach (var workload in _k8s.Objects.Where(o => o.PodSpec is not null))
        {
            foreach (var container in workload.AllContainers)
            {
                foreach (var source in container.Get("envFrom").Items())
                {
                    var (kind, name) = source.Get("configMapRef") is { } cm ? ("ConfigMap", cm.Scalar("name")) : ("Secret", source.ScalarAt("secretRef", "name"));
                    Assert.True(_k8s.Objects.Any(o => o.Kind == kind && o.Name == name), $"{workload}: envFrom {kind}/{name} does not exist.");
                }

                foreach (var env in container.Get("env").Items())
                {
                    foreach (var (refKind, kind) in new[] { ("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap") })
                    {
                        var reference = env.At("valueFrom", refKind);
                        if (reference is null)
                            continue;
                        Assert.True(_k8s.DataValue(kind, reference.Scalar("name"), reference.Scalar("key")) is not null,
                            $"{workload}: {env.Scalar("name")} reads {kind}/{reference.Scalar("name")} key {reference.Scalar("key")}, which does not exist.");
                    }
                }
            }

            foreach (var volume in workload.PodSpec.Get("volumes").Items())
            {
                if (volume.ScalarAt("configMap", "name") is { } configMap)
                    Assert.True(_k8s.Objects.Any(o => o.Kind == "ConfigMap" && o.Name == configMap), $"{workload}: volume ConfigMap/{configMap} does not exist.");
                if (volume.ScalarAt("secret", "secretName") is { } secret)
                    Assert.True(_k8s.Objects.Any(o => o.Kind == "Secret" && o.Name == secret), $"{workload}: volume Secret/{secret} does not exist.");
            }
        }
    }

    [Fact]
    public void Settings_match_the_clustered_infrastructure()
    {
        var rabbit = _k8s.Get("StatefulSet", "rabbitmq");
        Assert.Equal("3", rabbit.Node.ScalarAt("spec", "replicas"));
        Assert.Equal("rabbitmq:3.13", rabbit.Containers.Single().Scalar("image"));
        var mongo = _k8s.Get("StatefulSet", "mongodb");
        Assert.Equal("3", mongo.Node.ScalarAt("spec", "replicas"));
        Assert.Contains("--replSet rs0", string.Join(' ', mongo.Containers.Single().Get("args").Strings().Concat(mongo.Containers.Single().Get("command").Strings())), StringComparison.Ordinal);
        var init = _k8s.OfKind("Job").Single(j => j.Name.StartsWith("mongodb", StringComparison.Ordinal));
        Assert.Contains("rs.initiate(", string.Join(' ', init.Containers.Single().Get("command").Strings()), StringComparison.Ordinal);

        foreach (var name in BackendServices)
        {
            var deployment = _k8s.Get("Deployment", name);
            Assert.Equal("true", _k8s.ValueOf(deployment, name, "Messaging__QuorumQueues"));
            Assert.Equal("mongodb", _k8s.ValueOf(deployment, name, "Storage__Engine"));
            Assert.Equal(name, _k8s.ValueOf(deployment, name, "OTEL_SERVICE_NAME"));
            Assert.False(string.IsNullOrEmpty(_k8s.ValueOf(deployment, name, "Storage__Database")));
            Assert.False(string.IsNullOrEmpty(_k8s.ValueOf(deployment, name, "Auth__SigningKey")));
            Assert.StartsWith("amqp://", _k8s.ValueOf(deployment, name, "ConnectionStrings__rabbitmq") ?? "", StringComparison.Ordinal);
            Assert.Contains("@rabbitmq:5672", _k8s.ValueOf(deployment, name, "ConnectionStrings__rabbitmq") ?? "", StringComparison.Ordinal);
            var mongoConnection = _k8s.ValueOf(deployment, name, "ConnectionStrings__mongodb") ?? "";
            Assert.Contains("replicaSet=rs0", mongoConnection, StringComparison.Ordinal);
            for (var member = 0; member < 3; member++)
                Assert.Contains($"mongodb-{member}.mongodb.{KubernetesManifests.Namespace}.svc.cluster.local:27017", mongoConnection, StringComparison.Ordinal);
            Assert.Null(_k8s.ValueOf(deployment, name, "Auth__DevIssuer__Enabled"));
        }

        var gateway = _k8s.Get("Deployment", "gateway");
        Assert.Equal("false", _k8s.ValueOf(gateway, "gateway", "Auth__DevIssuer__Enabled"));
        Assert.Null(_k8s.ValueOf(gateway, "gateway", "ConnectionStrings__mongodb"));
        Assert.Null(_k8s.ValueOf(gateway, "gateway", "ConnectionStrings__rabbitmq"));
        Assert.Equal(
            _k8s.ValueOf(_k8s.Get("Deployment", "crm-ingest"), "crm-ingest", "Auth__SigningKey"),
            _k8s.ValueOf(gateway, "gateway", "Auth__SigningKey"));
        var clusters = GatewayRouting.Load().Clusters;
        Assert.Equal(ComposeTests.GatewayClusters.Order(StringComparer.Ordinal), clusters.Order(StringComparer.Ordinal));
        foreach (var cluster in clusters)
        {
            var address = _k8s.ValueOf(gateway, "gateway", GatewayRouting.DestinationVariable(cluster));
            Assert.True(address is not null, $"The gateway Deployment does not set {GatewayRouting.DestinationVariable(cluster)}: cluster {cluster} would go to its local address.");
            Assert.Equal($"http://{cluster}:8080", address.TrimEnd('/'));
            Assert.Contains(_k8s.Get("Service", cluster).Node.At("spec", "ports").Items(), p => p.Scalar("port") == "8080");
        }

        Assert.Equal(clusters.Count, _k8s.EnvironmentOf(gateway).Count(v => v.Variable.StartsWith("ReverseProxy__Clusters__", StringComparison.Ordinal)));

        var accountingSync = _k8s.OfKind("HorizontalPodAutoscaler").Single(h => h.Node.ScalarAt("spec", "scaleTargetRef", "name") == "accounting-sync");
        Assert.True(int.Parse(accountingSync.Node.ScalarAt("spec", "minReplicas")!, System.Globalization.CultureInfo.InvariantCulture) >= 2,
            "accounting-sync runs as competing consumers: at least two replicas.");
    }

    [Fact]
    public void Web_app_calls_the_apis_through_the_gateway_and_owns_no_store_or_broker()
    {
        var webapp = _k8s.Get("Deployment", WebApp);
        Assert.Equal("http://gateway:8080", _k8s.ValueOf(webapp, WebApp, "WebApp__GatewayUrl")?.TrimEnd('/'));
        Assert.Contains(_k8s.Get("Service", "gateway").Node.At("spec", "ports").Items(), p => p.Scalar("port") == "8080");
        Assert.Equal(WebApp, _k8s.ValueOf(webapp, WebApp, "OTEL_SERVICE_NAME"));

        var misplaced = _k8s.EnvironmentOf(webapp)
            .Where(v => ComposeTests.NotForTheWebApp.Any(p => v.Variable.StartsWith(p, StringComparison.OrdinalIgnoreCase)))
            .Select(v => $"{v.Variable} ({v.Source})")
            .ToList();
        Assert.True(misplaced.Count == 0, "webapp gets settings of a service with a store or broker: " + string.Join(", ", misplaced));
        Assert.DoesNotContain(webapp.Containers.Single().Get("envFrom").Items(), s => s.ScalarAt("configMapRef", "name") == "quotetocash-services");
    }

    [Fact]
    public void Web_app_keeps_its_data_protection_keys_on_storage_every_replica_shares()
    {
        var webapp = _k8s.Get("Deployment", WebApp);
        var container = webapp.Containers.Single();
        var keys = _k8s.ValueOf(webapp, WebApp, "WebApp__KeysDirectory");
        Assert.Equal(ComposeTests.WebAppKeysDirectory, keys);

        var mount = container.Get("volumeMounts").Items().SingleOrDefault(m => m.Scalar("mountPath")?.TrimEnd('/') == keys);
        Assert.True(mount is not null, $"{webapp}: nothing is mounted at {keys}; with a read-only root file system the keys could not even be written.");
        Assert.NotEqual("true", mount.Scalar("readOnly"));
        var volume = webapp.PodSpec.Get("volumes").Items().Single(v => v.Scalar("name") == mount.Scalar("name"));
        var claimName = volume.ScalarAt("persistentVolumeClaim", "claimName");
        Assert.True(claimName is not null, $"{webapp}: {keys} is not a PersistentVolumeClaim, so a restart would lose the keys and sign everyone out.");

        // The autoscaler runs at least two replicas: all of them must read and write the one key ring.
        var claim = _k8s.Get("PersistentVolumeClaim", claimName);
        Assert.Contains("ReadWriteMany", claim.Node.At("spec", "accessModes").Strings());
        Assert.NotNull(claim.Node.ScalarAt("spec", "resources", "requests", "storage"));
        // The image's non-root user writes there: the volume must be given to its group.
        Assert.Equal("1654", webapp.PodSpec.ScalarAt("securityContext", "fsGroup"));
    }

    [Fact]
    public void Deployment_images_are_managed_by_the_kustomization()
    {
        var managed = _k8s.Kustomization.Get("images").Items().Select(i => i.Scalar("name")).ToHashSet();
        foreach (var deployment in _k8s.PlatformDeployments)
        {
            foreach (var container in deployment.Containers)
            {
                var image = container.Scalar("image") ?? "";
                var name = image.Split(':')[0];
                Assert.True(managed.Contains(name), $"{deployment}: image {name} is not listed under images: in kustomization.yaml.");
                Assert.Equal($"quotetocash/{deployment.Name}", name);
            }
        }
    }
}
