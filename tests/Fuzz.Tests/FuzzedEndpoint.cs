using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// A route endpoint as the running app describes it (its <see cref="EndpointDataSource"/>): method, pattern, route
/// parameters with their constraints, the JSON body type it binds and the simple parameters it reads from the query.
/// </summary>
public sealed record FuzzedEndpoint(string Method, RoutePattern Pattern, Type? BodyType, IReadOnlyList<ParameterInfo> QueryParameters)
{
    public string Route => "/" + (Pattern.RawText ?? "").TrimStart('/');

    public override string ToString() => $"{Method} {Route}";

    /// <summary>
    /// Every method of every route endpoint, except those in <paramref name="excluded"/>. Health checks and the
    /// OpenAPI document are included: they are public too.
    /// </summary>
    public static IReadOnlyList<FuzzedEndpoint> Discover(IEnumerable<Endpoint> endpoints, Func<string, bool> excluded)
    {
        var found = new List<FuzzedEndpoint>();
        foreach (var endpoint in endpoints.OfType<RouteEndpoint>())
        {
            var route = "/" + (endpoint.RoutePattern.RawText ?? "").TrimStart('/');
            if (excluded(route))
                continue;
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is { Count: > 0 } m ? m : ["GET"];
            var handler = endpoint.Metadata.OfType<MethodInfo>().FirstOrDefault();
            var accepts = endpoint.Metadata.GetMetadata<IAcceptsMetadata>();
            var routeNames = endpoint.RoutePattern.Parameters.Select(p => p.Name).ToHashSet(StringComparer.OrdinalIgnoreCase);
            var query = handler?.GetParameters()
                .Where(p => p.Name is not null && !routeNames.Contains(p.Name) && IsSimple(p.ParameterType) && p.ParameterType != accepts?.RequestType)
                .ToList() ?? [];
            foreach (var method in methods)
                found.Add(new FuzzedEndpoint(method, endpoint.RoutePattern, accepts?.RequestType, query));
        }
        return found.OrderBy(e => e.Route, StringComparer.Ordinal).ThenBy(e => e.Method, StringComparer.Ordinal).ToList();
    }

    private static bool IsSimple(Type type)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        return type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(Guid)
               || type == typeof(DateTime) || type == typeof(DateTimeOffset) || type == typeof(DateOnly) || type == typeof(TimeSpan);
    }

    /// <summary>A value each route parameter accepts, by its constraint or its name, so that one hostile value is tried at a time.</summary>
    public string PlausibleRouteValue(RoutePatternParameterPart parameter)
    {
        var constraints = parameter.ParameterPolicies.Select(p => p.Content ?? "").ToList();
        if (constraints.Contains("guid"))
            return "3f2c1a9e-55b7-4c1d-9a4e-0c6b8d2f7e11";
        if (constraints.Any(c => c is "int" or "long"))
            return "1";
        return parameter.Name.Equals("tenant", StringComparison.OrdinalIgnoreCase) ? "fuzz" : "fuzz-key";
    }

    /// <summary>The path with every parameter plausible except <paramref name="hostile"/> (already URL-encoded) for one of them.</summary>
    public string Path(string? parameterName = null, string? hostile = null)
    {
        var path = Route;
        foreach (var parameter in Pattern.Parameters)
        {
            var value = parameter.Name == parameterName ? hostile! : Uri.EscapeDataString(PlausibleRouteValue(parameter));
            path = System.Text.RegularExpressions.Regex.Replace(path, @"\{\*{0,2}" + parameter.Name + @"(:[^}]*)?\??\}", value.Replace("$", "$$"));
        }
        return path;
    }

    public bool TakesBody => BodyType is not null || Method is "POST" or "PUT" or "PATCH";

    /// <summary>A well-formed JSON body of the bound type, with plausible values, for mutation one part at a time.</summary>
    public JsonElement BaselineBody() => JsonSerializer.SerializeToElement(BodySkeleton.For(BodyType), BodySkeleton.Options);
}
