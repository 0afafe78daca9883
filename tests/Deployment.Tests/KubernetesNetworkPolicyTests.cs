namespace QuoteToCash.Deployment.Tests;

/// <summary>
/// k8s/network-policies.yaml, evaluated pod to pod: who may open a connection to whom, on which port. The services are
/// reached over HTTP only from the gateway and talk to each other only through the broker; the broker and the database
/// admit the services (and their own peers and jobs); the collector admits the platform's pods; the trace UI the collector.
/// </summary>
public sealed class KubernetesNetworkPolicyTests
{
    private const int Http = 8080;
    private const int Amqp = 5672;
    private const int ErlangDistribution = 25672;
    private const int Epmd = 4369;
    private const int Mongo = 27017;
    private const int OtlpGrpc = 4317;
    private const int OtlpHttp = 4318;
    private const int TraceUiPort = 16686;

    private readonly KubernetesManifests _k8s = KubernetesManifests.Load();

    private K8sObject Workload(string kind, string name) => _k8s.Get(kind, name);

    private K8sObject Broker => Workload("StatefulSet", "rabbitmq");

    private K8sObject Database => Workload("StatefulSet", "mongodb");

    private K8sObject Collector => Workload("Deployment", KubernetesTelemetryTests.Collector);

    private K8sObject TraceUi => Workload("Deployment", KubernetesTelemetryTests.TraceUi);

    private IEnumerable<K8sObject> Backends => ComposeTests.BackendServices.Select(s => Workload("Deployment", s));

    [Fact]
    public void Every_workload_is_covered_by_a_policy_except_the_gateway()
    {
        var policies = _k8s.OfKind("NetworkPolicy").ToList();
        foreach (var workload in _k8s.PodOwners)
        {
            var covered = policies.Any(p => KubernetesManifests.LabelSelectorMatches(p.Node.At("spec", "podSelector"), workload.PodLabels));
            var isGateway = workload.Name == "gateway";
            var isJob = workload.Kind == "Job";
            if (isGateway)
                Assert.False(covered, "The gateway is the entry point: no policy may select its pods.");
            else if (!isJob)
                Assert.True(covered, $"No NetworkPolicy selects the pods of {workload}: anything in the cluster may reach them.");
        }
    }

    [Fact]
    public void Services_and_the_web_app_are_reached_over_http_only_from_the_gateway()
    {
        var gateway = Workload("Deployment", "gateway");
        foreach (var target in ComposeTests.GatewayClusters.Select(c => Workload("Deployment", c)))
        {
            Assert.True(_k8s.Admits(gateway, target, Http), $"The gateway may not reach {target} on {Http}.");
            foreach (var source in _k8s.PodOwners.Where(o => o.Name != "gateway"))
                Assert.False(_k8s.Admits(source, target, Http), $"{source} may reach {target} on {Http}: only the gateway may.");
        }
    }

    [Fact]
    public void The_broker_admits_the_services_its_own_nodes_and_its_users_job_only()
    {
        foreach (var service in Backends)
            Assert.True(_k8s.Admits(service, Broker, Amqp), $"{service} may not reach RabbitMQ.");
        foreach (var port in new[] { ErlangDistribution, Epmd, Amqp })
            Assert.True(_k8s.Admits(Broker, Broker, port), $"RabbitMQ's nodes may not reach each other on {port}.");
        Assert.True(_k8s.Admits(Workload("Job", "rabbitmq-users"), Broker, ErlangDistribution), "The rabbitmq-users Job may not reach the nodes.");

        foreach (var outsider in new[] { Workload("Deployment", "gateway"), Workload("Deployment", ComposeTests.WebApp), Collector, TraceUi, Database, Workload("Job", "mongodb-rs-init") })
            Assert.False(_k8s.Admits(outsider, Broker, Amqp), $"{outsider} may reach RabbitMQ, which it never uses.");
    }

    [Fact]
    public void The_database_admits_the_services_its_own_members_and_its_init_job_only()
    {
        foreach (var service in Backends)
            Assert.True(_k8s.Admits(service, Database, Mongo), $"{service} may not reach MongoDB.");
        Assert.True(_k8s.Admits(Database, Database, Mongo), "MongoDB's members may not reach each other.");
        Assert.True(_k8s.Admits(Workload("Job", "mongodb-rs-init"), Database, Mongo), "The mongodb-rs-init Job may not reach the members.");

        foreach (var outsider in new[] { Workload("Deployment", "gateway"), Workload("Deployment", ComposeTests.WebApp), Collector, TraceUi, Broker, Workload("Job", "rabbitmq-users") })
            Assert.False(_k8s.Admits(outsider, Database, Mongo), $"{outsider} may reach MongoDB, which it never uses.");
    }

    [Fact]
    public void The_platforms_pods_reach_the_collector_on_otlp_and_nothing_else_is_opened_there()
    {
        foreach (var deployment in _k8s.PlatformDeployments)
        {
            Assert.True(_k8s.Admits(deployment, Collector, OtlpGrpc), $"{deployment} may not export to the collector over gRPC.");
            Assert.True(_k8s.Admits(deployment, Collector, OtlpHttp), $"{deployment} may not export to the collector over HTTP.");
        }

        foreach (var other in _k8s.PodOwners.Where(o => !_k8s.PlatformDeployments.Contains(o)))
        {
            Assert.False(_k8s.Admits(other, Collector, OtlpGrpc), $"{other} may send to the collector.");
            Assert.False(_k8s.Admits(other, Collector, OtlpHttp), $"{other} may send to the collector.");
        }

        // The Prometheus and health ports are not opened to anyone by these manifests.
        foreach (var source in _k8s.PodOwners)
        {
            foreach (var port in Collector.Containers.Single().Get("ports").Items().Select(p => int.Parse(p.Scalar("containerPort")!, System.Globalization.CultureInfo.InvariantCulture)).Where(p => p is not OtlpGrpc and not OtlpHttp))
                Assert.False(_k8s.Admits(source, Collector, port), $"{source} may reach the collector on {port}.");
        }
    }

    [Fact]
    public void Only_the_collector_reaches_the_trace_ui_and_only_on_otlp()
    {
        Assert.True(_k8s.Admits(Collector, TraceUi, OtlpGrpc), "The collector may not send traces to the trace UI.");
        foreach (var source in _k8s.PodOwners)
        {
            if (source.Name != KubernetesTelemetryTests.Collector)
                Assert.False(_k8s.Admits(source, TraceUi, OtlpGrpc), $"{source} may send to the trace UI.");
            Assert.False(_k8s.Admits(source, TraceUi, TraceUiPort), $"{source} may open the trace UI, which has no sign-in.");
        }
    }

    [Fact]
    public void The_evaluator_admits_what_no_policy_selects_and_refuses_what_a_policy_leaves_out()
    {
        // The gateway is selected by no policy: everyone may reach it. The web app is selected: the broker may not.
        var gateway = Workload("Deployment", "gateway");
        Assert.True(_k8s.Admits(Broker, gateway, Http));
        Assert.False(_k8s.Admits(Broker, Workload("Deployment", ComposeTests.WebApp), Http));
        // A port the rule does not list.
        Assert.False(_k8s.Admits(gateway, Workload("Deployment", "crm-ingest"), 9090));
    }
}
