using YamlDotNet.RepresentationModel;

namespace QuoteToCash.Deployment.Tests;

internal sealed record K8sObject(string File, string ApiVersion, string Kind, string Name, string? Namespace, YamlNode Node)
{
    public override string ToString() => $"{Kind}/{Name} ({File})";

    public YamlNode? PodSpec => Kind switch
    {
        "Deployment" or "StatefulSet" or "Job" or "DaemonSet" or "ReplicaSet" => Node.At("spec", "template", "spec"),
        "Pod" => Node.Get("spec"),
        _ => null,
    };

    public IReadOnlyDictionary<string, string> PodLabels => Node.At("spec", "template", "metadata", "labels").StringMap();

    public IReadOnlyList<YamlNode> Containers => PodSpec.Get("containers").Items();

    public IReadOnlyList<YamlNode> AllContainers => [.. PodSpec.Get("initContainers").Items(), .. Containers];
}

/// <summary>The manifests under k8s/, as listed by k8s/kustomization.yaml.</summary>
internal sealed class KubernetesManifests
{
    public const string Directory = "k8s";
    public const string Namespace = "quotetocash";

    private static readonly HashSet<string> ClusterScopedKinds =
        ["Namespace", "ClusterRole", "ClusterRoleBinding", "PersistentVolume", "StorageClass", "CustomResourceDefinition", "PriorityClass"];

    private KubernetesManifests(YamlNode kustomization, IReadOnlyList<string> resources, IReadOnlyList<K8sObject> objects)
    {
        Kustomization = kustomization;
        Resources = resources;
        Objects = objects;
    }

    public YamlNode Kustomization { get; }

    public IReadOnlyList<string> Resources { get; }

    public IReadOnlyList<K8sObject> Objects { get; }

    public IEnumerable<K8sObject> Deployments => OfKind("Deployment");

    /// <summary>The component labels of the platform's own pods: the five services, the web app and the gateway.</summary>
    public static readonly string[] PlatformComponents = ["service", "webapp", "gateway"];

    /// <summary>The Deployments of the platform's own images (the five services, the web app, the gateway), not the telemetry's.</summary>
    public IEnumerable<K8sObject> PlatformDeployments =>
        Deployments.Where(d => PlatformComponents.Contains(d.PodLabels.GetValueOrDefault("app.kubernetes.io/component")));

    /// <summary>Every object with a pod template or pod spec: Deployments, StatefulSets, Jobs.</summary>
    public IEnumerable<K8sObject> PodOwners => Objects.Where(o => o.PodSpec is not null);

    public IEnumerable<K8sObject> Workloads => Objects.Where(o => o.Kind is "Deployment" or "StatefulSet");

    public static bool IsNamespaced(string kind) => !ClusterScopedKinds.Contains(kind);

    public IEnumerable<K8sObject> OfKind(string kind) => Objects.Where(o => o.Kind == kind);

    public K8sObject Get(string kind, string name) =>
        Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name) ?? throw new InvalidOperationException($"No {kind}/{name} in {Directory}/.");

    public static KubernetesManifests Load()
    {
        var kustomization = YamlExtensions.LoadDocuments(RepoPaths.Full($"{Directory}/kustomization.yaml")).Single();
        var resources = kustomization.Get("resources").Strings();
        var objects = new List<K8sObject>();
        foreach (var resource in resources)
        {
            var relative = $"{Directory}/{resource}";
            foreach (var document in YamlExtensions.LoadDocuments(RepoPaths.Full(relative)))
            {
                objects.Add(new K8sObject(
                    relative,
                    document.Scalar("apiVersion") ?? throw new InvalidOperationException($"{relative}: a document has no apiVersion."),
                    document.Scalar("kind") ?? throw new InvalidOperationException($"{relative}: a document has no kind."),
                    document.ScalarAt("metadata", "name") ?? throw new InvalidOperationException($"{relative}: a document has no metadata.name."),
                    document.ScalarAt("metadata", "namespace"),
                    document));
            }
        }

        return new KubernetesManifests(kustomization, resources, objects);
    }

    /// <summary>True when every label of the selector is on the pod with the same value.</summary>
    public static bool SelectorMatches(IReadOnlyDictionary<string, string> selector, IReadOnlyDictionary<string, string> labels) =>
        selector.Count > 0 && selector.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value);

    /// <summary>A LabelSelector (matchLabels and matchExpressions) against pod labels; empty selects everything.</summary>
    public static bool LabelSelectorMatches(YamlNode? selector, IReadOnlyDictionary<string, string> labels)
    {
        var matchLabels = selector.Get("matchLabels").StringMap();
        if (!matchLabels.All(s => labels.TryGetValue(s.Key, out var value) && value == s.Value))
            return false;
        foreach (var expression in selector.Get("matchExpressions").Items())
        {
            var key = expression.Scalar("key") ?? "";
            var values = expression.Get("values").Strings();
            var has = labels.TryGetValue(key, out var value);
            var ok = expression.Scalar("operator") switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
            if (!ok)
                return false;
        }

        return true;
    }

    /// <summary>
    /// Whether the namespace's NetworkPolicies let a pod of <paramref name="source"/> (in the same namespace) open a TCP
    /// connection to a pod of <paramref name="target"/> on <paramref name="port"/>: allowed when no policy selects the
    /// target for ingress, else when a rule of one that does admits the source on that port. Named ports resolve against
    /// the target's containers.
    /// </summary>
    public bool Admits(K8sObject source, K8sObject target, int port)
    {
        var policies = OfKind("NetworkPolicy")
            .Where(p => LabelSelectorMatches(p.Node.At("spec", "podSelector"), target.PodLabels))
            .Where(p => p.Node.At("spec", "policyTypes").Strings() is var types && (types.Count == 0 || types.Contains("Ingress")))
            .ToList();
        if (policies.Count == 0)
            return true;
        foreach (var rule in policies.SelectMany(p => p.Node.At("spec", "ingress").Items()))
        {
            var peers = rule.Get("from").Items();
            var fromAdmits = peers.Count == 0 || peers.Any(peer =>
                peer.Get("ipBlock") is null &&
                (peer.Get("namespaceSelector") is not { } namespaces || LabelSelectorMatches(namespaces, NamespaceLabels)) &&
                (peer.Get("podSelector") is not { } pods || LabelSelectorMatches(pods, source.PodLabels)));
            var ports = rule.Get("ports").Items();
            var portAdmits = ports.Count == 0 || ports.Any(p =>
                (p.Scalar("protocol") ?? "TCP") == "TCP" &&
                (p.Scalar("port") is not { } named || (ResolvePort(named, target.Containers) is { } first &&
                    port >= first && port <= (int.TryParse(p.Scalar("endPort"), out var last) ? last : first))));
            if (fromAdmits && portAdmits)
                return true;
        }

        return false;
    }

    /// <summary>The labels of the namespace object, as a namespaceSelector sees them (plus the name label Kubernetes sets).</summary>
    private IReadOnlyDictionary<string, string> NamespaceLabels =>
        new Dictionary<string, string>(Get("Namespace", Namespace).Node.At("metadata", "labels").StringMap(), StringComparer.Ordinal)
        {
            ["kubernetes.io/metadata.name"] = Namespace,
        };

    /// <summary>The container port a probe or Service targets: a number, or the name of a container port.</summary>
    public static int? ResolvePort(string? port, IEnumerable<YamlNode> containers)
    {
        if (port is null)
            return null;
        if (int.TryParse(port, out var number))
            return number;
        var match = containers.SelectMany(c => c.Get("ports").Items()).FirstOrDefault(p => p.Scalar("name") == port);
        return int.TryParse(match.Scalar("containerPort"), out var resolved) ? resolved : null;
    }

    /// <summary>Every environment variable a workload's containers get: env names and the keys of envFrom sources.</summary>
    public IReadOnlyList<(string Variable, string Source)> EnvironmentOf(K8sObject workload)
    {
        var result = new List<(string, string)>();
        foreach (var container in workload.Containers)
        {
            foreach (var env in container.Get("env").Items())
                result.Add((env.Scalar("name") ?? "", $"{workload} env"));
            foreach (var source in container.Get("envFrom").Items())
            {
                var prefix = source.Scalar("prefix") ?? "";
                var (kind, name) = source.Get("configMapRef") is { } cm ? ("ConfigMap", cm.Scalar("name"))
                    : source.Get("secretRef") is { } sr ? ("Secret", sr.Scalar("name"))
                    : ("?", null);
                var referenced = Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);
                if (referenced is null)
                    continue; // reported by the reference test
                foreach (var key in DataKeys(referenced))
                    result.Add((prefix + key, $"{referenced} via {workload} envFrom"));
            }
        }

        return result;
    }

    public static IReadOnlyList<string> DataKeys(K8sObject configMapOrSecret) =>
    [
        .. configMapOrSecret.Node.Get("data").Entries().Select(e => e.Key),
        .. configMapOrSecret.Node.Get("stringData").Entries().Select(e => e.Key),
    ];

    /// <summary>The literal value of an env entry, or of the ConfigMap/Secret key it or an envFrom points at.</summary>
    public string? ValueOf(K8sObject workload, string container, string variable)
    {
        var node = workload.Containers.Single(c => c.Scalar("name") == container);
        var env = node.Get("env").Items().LastOrDefault(e => e.Scalar("name") == variable);
        if (env is not null)
        {
            if (env.Scalar("value") is { } value)
                return value;
            var secretRef = env.At("valueFrom", "secretKeyRef");
            var configRef = env.At("valueFrom", "configMapKeyRef");
            var (kind, reference) = secretRef is not null ? ("Secret", secretRef) : ("ConfigMap", configRef);
            return reference is null ? null : DataValue(kind, reference.Scalar("name"), reference.Scalar("key"));
        }

        foreach (var source in node.Get("envFrom").Items().Reverse())
        {
            var (kind, name) = source.Get("configMapRef") is { } cm ? ("ConfigMap", cm.Scalar("name")) : ("Secret", source.ScalarAt("secretRef", "name"));
            if (DataValue(kind, name, variable) is { } value)
                return value;
        }

        return null;
    }

    public string? DataValue(string kind, string? name, string? key)
    {
        var target = Objects.SingleOrDefault(o => o.Kind == kind && o.Name == name);
        if (target is null || key is null)
            return null;
        if (target.Node.ScalarAt("stringData", key) is { } plain)
            return plain;
        if (target.Node.ScalarAt("data", key) is not { } data)
            return null;
        return kind == "Secret" ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(data)) : data; // only a Secret's data is base64
    }
}
