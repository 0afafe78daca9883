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
