extern alias accountingsync;
extern alias billingrules;
extern alias crmingest;
extern alias masterdata;
extern alias reporting;
using System.Diagnostics;

namespace QuoteToCash.Fuzz.Tests;

/// <summary>
/// Every public endpoint of every service, as its running host lists them, driven with hostile input. An endpoint fails
/// the fuzz when it answers 5xx, when it refuses a request (4xx) with anything but problem+json, or when it stores
/// or publishes anything for a request it refused.
/// </summary>
public sealed class EndpointFuzzTests
{
    /// <summary>Every endpoint the services map is fuzzed; nothing is left out.</summary>
    private static bool Excluded(string route) => false;

    public static TheoryData<string> Services => ["accounting-sync", "billing-rules", "crm-ingest", "master-data", "reporting"];

    private static IFuzzedService Start(string name) => name switch
    {
        "accounting-sync" => new FuzzedService<accountingsync::Program>(name),
        "billing-rules" => new FuzzedService<billingrules::Program>(name),
        "crm-ingest" => new FuzzedService<crmingest::Program>(name),
        "master-data" => new FuzzedService<masterdata::Program>(name),
        "reporting" => new FuzzedService<reporting::Program>(name),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "No such service."),
    };

    [Theory]
    [MemberData(nameof(Services))]
    public async Task No_endpoint_answers_hostile_input_with_a_server_error_or_changes_anything_when_it_refuses(string service)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var host = Start(service);
        using var client = host.Client();
        var endpoints = FuzzedEndpoint.Discover(host.Endpoints, Excluded);
        Assert.NotEmpty(endpoints);

        var failures = new List<string>();
        var requests = 0;
        var watch = Stopwatch.StartNew();
        foreach (var endpoint in endpoints)
        {
            foreach (var fuzz in HostileInputs.For(endpoint))
            {
                requests++;
                // The OpenAPI document is ASP.NET's own endpoint; its plain 404 for an unknown document name is no API answer.
                await FuzzRun.SendAsync(host, client, fuzz, failures, plainRefusalAllowed: endpoint.Route.Contains("/openapi/", StringComparison.Ordinal), ct);
            }
        }

        TestContext.Current.SendDiagnosticMessage($"{service}: {requests} requests to {endpoints.Count} endpoints in {watch.Elapsed.TotalSeconds:F1} s");
        Assert.True(failures.Count == 0,
            $"{failures.Count} of {requests} hostile requests to {service} were mishandled:\n" + string.Join("\n", failures.Take(60)));
    }
}
