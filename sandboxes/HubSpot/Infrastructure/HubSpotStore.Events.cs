using System.Globalization;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.HubSpot.Domain;

namespace QuoteToCash.Sandbox.HubSpot.Infrastructure;

/// <summary>One change inside a request, later matched against every app's subscriptions.</summary>
internal sealed record Change(
    string Action, ObjectType Type, string ObjectId, string? Property = null, string? Value = null,
    AssociationType? Association = null, string? ToObjectId = null, bool Removed = false);

/// <summary>Who changed what, in one request.</summary>
internal sealed class ChangeContext(Caller caller, DateTimeOffset now, bool emitEvents = true)
{
    public Caller Caller { get; } = caller;
    public DateTimeOffset Now { get; } = now;
    public bool EmitEvents { get; } = emitEvents;
    public List<Change> Changes { get; } = [];

    /// <summary>HubSpot reports API writes by an app as changeSource INTEGRATION with the app id as sourceId.</summary>
    public string SourceType => "INTEGRATION";
    public string SourceId => Caller.AppId.ToString(CultureInfo.InvariantCulture);
}

public sealed partial class HubSpotStore
{
    /// <summary>Turns the request's changes into webhook events for every subscribed app of the portal.</summary>
    private void Commit(Portal portal, ChangeContext context)
    {
        Touch();
        if (!context.EmitEvents || context.Changes.Count == 0)
            return;
        var occurredAt = context.Now.ToUnixTimeMilliseconds();
        foreach (var app in portal.Apps.Where(a => !a.TokenOnly && a.TargetUrl is not null))
        {
            foreach (var change in context.Changes)
            {
                foreach (var subscription in app.Subscriptions)
                {
                    if (!subscription.Active || subscription.ObjectSingular != change.Type.Singular || subscription.Action != change.Action)
                        continue;
                    if (change.Action == "propertyChange" && subscription.PropertyName != change.Property)
                        continue;
                    var body = new JsonObject
                    {
                        ["eventId"] = _state.NextEventId++,
                        ["subscriptionId"] = subscription.Id,
                        ["portalId"] = portal.PortalId,
                        ["appId"] = app.AppId,
                        ["occurredAt"] = occurredAt,
                        ["subscriptionType"] = subscription.EventType,
                        ["attemptNumber"] = 0,
                    };
                    switch (change.Action)
                    {
                        case "associationChange":
                            body["changeSource"] = context.SourceType;
                            body["sourceId"] = context.SourceId;
                            body["associationType"] = change.Association!.WebhookName;
                            body["fromObjectId"] = long.Parse(change.ObjectId, CultureInfo.InvariantCulture);
                            body["toObjectId"] = long.Parse(change.ToObjectId!, CultureInfo.InvariantCulture);
                            body["associationRemoved"] = change.Removed;
                            body["isPrimaryAssociation"] = change.Association.IsPrimary;
                            break;
                        case "propertyChange":
                            body["objectId"] = long.Parse(change.ObjectId, CultureInfo.InvariantCulture);
                            body["propertyName"] = change.Property;
                            body["propertyValue"] = change.Value ?? "";
                            body["changeSource"] = context.SourceType;
                            body["sourceId"] = context.SourceId;
                            break;
                        default:
                            body["objectId"] = long.Parse(change.ObjectId, CultureInfo.InvariantCulture);
                            body["changeFlag"] = change.Action == "creation" ? "NEW" : "DELETED";
                            body["changeSource"] = context.SourceType;
                            body["sourceId"] = context.SourceId;
                            break;
                    }
                    _queue.Enqueue(new QueuedEvent(Generation, portal.PortalId, app.AppId, body));
                }
            }
        }
    }
}
