using System.Text.Json;

namespace QuoteToCash.Deployment.Tests;

/// <summary>The gateway's YARP routes and clusters as its appsettings.json declares them (the local addresses deployments override).</summary>
internal sealed class GatewayRouting
{
    public const string RelativePath = "gateway/QuoteToCash.Gateway/appsettings.json";

    private GatewayRouting(IReadOnlyDictionary<string, (string ClusterId, string Path)> routes, IReadOnlyList<string> clusters)
    {
        Routes = routes;
        Clusters = clusters;
    }

    /// <summary>Route id → the cluster it goes to and the path it matches.</summary>
    public IReadOnlyDictionary<string, (string ClusterId, string Path)> Routes { get; }

    /// <summary>Every cluster id, in file order.</summary>
    public IReadOnlyList<string> Clusters { get; }

    /// <summary>The compose or k8s variable that sets a cluster's destination, as run.sh, compose and k8s name it.</summary>
    public static string DestinationVariable(string cluster) => $"ReverseProxy__Clusters__{cluster}__Destinations__primary__Address";

    public static GatewayRouting Load()
    {
        using var document = JsonDocument.Parse(RepoPaths.ReadText(RelativePath),
            new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var proxy = document.RootElement.GetProperty("ReverseProxy");
        var routes = proxy.GetProperty("Routes").EnumerateObject().ToDictionary(
            r => r.Name,
            r => (r.Value.GetProperty("ClusterId").GetString() ?? "", r.Value.GetProperty("Match").GetProperty("Path").GetString() ?? ""),
            StringComparer.Ordinal);
        var clusters = proxy.GetProperty("Clusters").EnumerateObject().Select(c => c.Name).ToList();
        return new GatewayRouting(routes, clusters);
    }
}
