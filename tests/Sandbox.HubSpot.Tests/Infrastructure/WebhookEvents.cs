using System.Text.Json.Nodes;
using QuoteToCash.Testing;

namespace QuoteToCash.Sandbox.HubSpot.Tests.Infrastructure;

/// <summary>HubSpot webhook requests carry a JSON array of events; these read them off a <see cref="HttpReceiver"/>.</summary>
public static class WebhookEvents
{
    /// <summary>Where the sandbox's webhooks point in these tests, as for the platform's intake.</summary>
    public const string Path = "/webhooks/hubspot/demo";

    public static Task<HttpReceiver> StartReceiverAsync() => HttpReceiver.StartAsync(Path);

    extension(ReceivedRequest request)
    {
        public JsonArray Events => request.Json.AsArray();
    }

    extension(HttpReceiver receiver)
    {
        public IEnumerable<JsonNode> AllEvents => receiver.Requests.SelectMany(r => r.Events.Select(e => e!));

        public Task<IReadOnlyList<ReceivedRequest>> WaitForEventsAsync(Func<JsonNode, bool> match, int count, string what) =>
            receiver.WaitForAsync(requests => requests.SelectMany(r => r.Events).Count(e => match(e!)) >= count, what);
    }
}
