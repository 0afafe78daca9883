using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.Salesforce.Domain;

namespace QuoteToCash.Sandbox.Salesforce.Infrastructure;

/// <summary>The user (and so the org) behind an access token, and the API client it says it is.</summary>
public sealed record SfCaller(string OrgId, string UserId, string ApiVersion, string? Client);

/// <summary>
/// The whole sandbox state behind one lock. Public methods take the lock, do their work, render their answer while
/// still holding it, and hand outbound notifications and change events to the queues.
/// </summary>
public sealed partial class SalesforceStore(TimeProvider time, EventQueues queues) : QuoteToCash.Sandbox.Shared.IPersistentState
{
    private readonly Lock _gate = new();
    private SalesforceState _state = new();
    private long _version;
    private long _generation;

    public long Version => Interlocked.Read(ref _version);

    public long Generation => Interlocked.Read(ref _generation);

    private DateTimeOffset Now => time.GetUtcNow();

    private void Touch() => Interlocked.Increment(ref _version);

    public string Serialize()
    {
        lock (_gate)
            return JsonSerializer.Serialize(_state, StateJson.Options);
    }

    public void Load(string json)
    {
        var loaded = JsonSerializer.Deserialize<SalesforceState>(json, StateJson.Options) ?? new SalesforceState();
        lock (_gate)
        {
            foreach (var declared in loaded.CustomFields)
                Schema.Resolve(declared.ObjectName)?.AddCustomField(declared.Field);
            _state = loaded;
            Touch();
        }
    }

    /// <summary>Declares a custom field on an sObject type; false when the type already has a field of that name.</summary>
    public bool DeclareCustomField(SObjectType type, FieldDef field)
    {
        lock (_gate)
        {
            if (!type.AddCustomField(field))
                return false;
            _state.CustomFields.Add(new DeclaredField { ObjectName = type.Name, Field = field });
            Touch();
            return true;
        }
    }

    public void Reset()
    {
        lock (_gate)
        {
            _state = new SalesforceState { CustomFields = _state.CustomFields }; // declared fields are part of the schema, not of the data
            _cursors.Clear();
            Interlocked.Increment(ref _generation);
            Touch();
        }
    }

    public SfCaller? Authenticate(string? token, string apiVersion, string? client)
    {
        if (string.IsNullOrEmpty(token))
            return null;
        lock (_gate)
        {
            foreach (var org in _state.Orgs)
            {
                var user = org.Users.FirstOrDefault(u => u.AccessTokens.Contains(token));
                if (user is not null)
                    return new SfCaller(org.OrgId, user.UserId, apiVersion, client);
            }
        }
        return null;
    }

    private Org? FindOrg(string orgId)
    {
        var normalized = SalesforceId.Normalize(orgId) ?? orgId;
        return _state.Orgs.FirstOrDefault(o => o.OrgId == normalized);
    }

    private Org OrgOf(SfCaller caller) => FindOrg(caller.OrgId) ?? throw new InvalidOperationException($"Org {caller.OrgId} is gone (sandbox reset?).");

    private static string NewId(Org org, SObjectType type)
    {
        var next = org.Sequences.GetValueOrDefault(type.KeyPrefix, 1);
        org.Sequences[type.KeyPrefix] = next + 1;
        return SalesforceId.Create(type.KeyPrefix, next);
    }

    private static string Secret(int bytes) => Convert.ToBase64String(RandomNumberGenerator.GetBytes(bytes)).TrimEnd('=').Replace('+', 'A').Replace('/', 'z');

    // ---- control API ----

    public (bool Created, JsonObject Body) CreateOrg(string name, string instanceUrl)
    {
        lock (_gate)
        {
            var existing = _state.Orgs.FirstOrDefault(o => o.Name == name);
            if (existing is not null)
            {
                if (!string.IsNullOrEmpty(instanceUrl) && existing.InstanceUrl != instanceUrl)
                {
                    existing.InstanceUrl = instanceUrl;
                    Touch();
                }
                return (false, RenderOrg(existing));
            }
            var now = Now;
            var org = new Org
            {
                OrgId = SalesforceId.Create("00D", _state.NextOrgNumber++),
                Name = name,
                InstanceUrl = instanceUrl,
                CreatedAt = now,
            };
            foreach (var type in Schema.All)
                org.Records[type.Name] = [];
            _state.Orgs.Add(org);
            var admin = AddUser(org, "Sandbox Admin", integrationUser: false);
            Seed(org, admin, now);
            Touch();
            return (true, RenderOrg(org));
        }
    }

    public JsonArray ListOrgs()
    {
        lock (_gate)
            return new JsonArray(_state.Orgs.Select(o => (JsonNode)RenderOrg(o)).ToArray());
    }

    /// <summary>A user with an access token; the same name returns the same user and token.</summary>
    public ApiResult CreateToken(string orgId, string name, bool integrationUser)
    {
        lock (_gate)
        {
            var org = FindOrg(orgId);
            if (org is null)
                return ApiResult.NotFound();
            var user = org.Users.FirstOrDefault(u => u.Name == name);
            var created = user is null;
            user ??= AddUser(org, name, integrationUser);
            if (integrationUser && !user.IntegrationUser)
                user.IntegrationUser = true;
            Touch();
            return new ApiResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, new JsonObject
            {
                ["accessToken"] = user.AccessTokens[0],
                ["userId"] = user.UserId,
                ["username"] = user.Username,
                ["password"] = user.Password,
                ["clientId"] = user.ClientId,
                ["clientSecret"] = user.ClientSecret,
                ["refreshToken"] = user.RefreshToken,
                ["integrationUser"] = user.IntegrationUser,
                ["orgId"] = org.OrgId,
                ["instanceUrl"] = org.InstanceUrl,
            });
        }
    }

    public ApiResult CreateOutboundMessage(string orgId, string name, string endpointUrl, IReadOnlyList<string> fields)
    {
        lock (_gate)
        {
            var org = FindOrg(orgId);
            if (org is null)
                return ApiResult.NotFound();
            var canonical = new List<string> { "Id" };
            foreach (var field in fields)
            {
                var definition = Schema.Opportunity.Field(field);
                if (definition is null)
                    return ApiResult.BadRequest(new SfError("INVALID_FIELD", $"No such column '{field}' on sobject of type Opportunity"));
                if (!canonical.Contains(definition.Name))
                    canonical.Add(definition.Name);
            }
            var rule = org.OutboundMessages.FirstOrDefault(r => r.Name == name);
            var created = rule is null;
            if (rule is null)
            {
                rule = new OutboundMessageRule { Id = NewId(org, OutboundMessageKey), Name = name };
                org.OutboundMessages.Add(rule);
            }
            rule.EndpointUrl = endpointUrl;
            rule.Fields = canonical;
            Touch();
            return new ApiResult(created ? StatusCodes.Status201Created : StatusCodes.Status200OK, new JsonObject
            {
                ["id"] = rule.Id,
                ["name"] = rule.Name,
                ["endpointUrl"] = rule.EndpointUrl,
                ["sObject"] = rule.SObject,
                ["fields"] = new JsonArray(rule.Fields.Select(f => (JsonNode)JsonValue.Create(f)).ToArray()),
                ["criteria"] = "Opportunity: IsWon became true (on create or on edit)",
            });
        }
    }

    public ApiResult EnableChangeEvents(string orgId, string endpointUrl, IReadOnlyList<string>? entities)
    {
        lock (_gate)
        {
            var org = FindOrg(orgId);
            if (org is null)
                return ApiResult.NotFound();
            var chosen = new List<string>();
            foreach (var entity in entities is { Count: > 0 } ? entities : ["Opportunity", "Account"])
            {
                var type = Schema.Resolve(entity);
                if (type is null || !type.Createable)
                    return ApiResult.BadRequest(new SfError("INVALID_TYPE", $"Change Data Capture is not available for {entity}"));
                chosen.Add(type.Name);
            }
            org.ChangeEvents = new ChangeEventSettings { EndpointUrl = endpointUrl, Entities = chosen };
            Touch();
            return ApiResult.Ok(new JsonObject
            {
                ["endpointUrl"] = endpointUrl,
                ["entities"] = new JsonArray(chosen.Select(e => (JsonNode)JsonValue.Create(e)).ToArray()),
                ["channels"] = new JsonArray(chosen.Select(e => (JsonNode)JsonValue.Create($"/data/{e}ChangeEvent")).ToArray()),
            });
        }
    }

    // ---- OAuth 2.0 token endpoint ----

    /// <summary>POST /services/oauth2/token: client_credentials, password and refresh_token grants.</summary>
    public (int Status, JsonObject Body) IssueToken(IReadOnlyDictionary<string, string> form, string requestInstanceUrl)
    {
        lock (_gate)
        {
            var grant = form.GetValueOrDefault("grant_type");
            var clientId = form.GetValueOrDefault("client_id");
            var clientSecret = form.GetValueOrDefault("client_secret");
            if (grant is not ("client_credentials" or "password" or "refresh_token"))
                return OAuthError("unsupported_grant_type", "grant type not supported");
            var candidates = _state.Orgs.SelectMany(o => o.Users.Select(u => (Org: o, User: u))).ToList();
            (Org Org, SandboxUser User)? match = null;
            switch (grant)
            {
                case "client_credentials":
                    if (!candidates.Any(c => c.User.ClientId == clientId))
                        return OAuthError("invalid_client_id", "client identifier invalid");
                    match = candidates.FirstOrDefault(c => c.User.ClientId == clientId && c.User.ClientSecret == clientSecret);
                    if (match?.User is null)
                        return OAuthError("invalid_client", "invalid client credentials");
                    break;
                case "password":
                    var byName = candidates.FirstOrDefault(c => string.Equals(c.User.Username, form.GetValueOrDefault("username"), StringComparison.OrdinalIgnoreCase));
                    if (byName.User is null || byName.User.Password != form.GetValueOrDefault("password"))
                        return OAuthError("invalid_grant", "authentication failure");
                    if (clientId is not null && !candidates.Any(c => c.User.ClientId == clientId))
                        return OAuthError("invalid_client_id", "client identifier invalid");
                    match = byName;
                    break;
                default:
                    var byToken = candidates.FirstOrDefault(c => c.User.RefreshToken == form.GetValueOrDefault("refresh_token"));
                    if (byToken.User is null)
                        return OAuthError("invalid_grant", "expired access/refresh token");
                    match = byToken;
                    break;
            }
            var (org, user) = match!.Value;
            var accessToken = org.OrgId[..15] + "!" + Secret(48);
            user.AccessTokens.Add(accessToken);
            Touch();
            var instanceUrl = string.IsNullOrEmpty(org.InstanceUrl) ? requestInstanceUrl : org.InstanceUrl;
            var issuedAt = Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
            var identity = $"{instanceUrl}/id/{org.OrgId}/{user.UserId}";
            var body = new JsonObject
            {
                ["access_token"] = accessToken,
                ["instance_url"] = instanceUrl,
                ["id"] = identity,
                ["token_type"] = "Bearer",
                ["issued_at"] = issuedAt,
                ["signature"] = Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(user.ClientSecret), Encoding.UTF8.GetBytes(identity + issuedAt))),
                ["scope"] = "api",
            };
            return (StatusCodes.Status200OK, body);
        }
    }

    private static (int, JsonObject) OAuthError(string error, string description) =>
        (StatusCodes.Status400BadRequest, new JsonObject { ["error"] = error, ["error_description"] = description });

    // ---- seeding ----

    private static readonly SObjectType OutboundMessageKey = new("WorkflowOutboundMessage", "Outbound Message", "Outbound Messages", "04k", []);

    private SandboxUser AddUser(Org org, string name, bool integrationUser)
    {
        var userId = NewId(org, Schema.User);
        var slug = new string(name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '.').ToArray()).Trim('.');
        var orgSlug = new string(org.Name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray());
        var user = new SandboxUser
        {
            UserId = userId,
            Name = name,
            Username = $"{slug}@{orgSlug}.sandbox",
            Password = "sandbox-" + Secret(12),
            IntegrationUser = integrationUser,
            ClientId = "3MVG9" + Secret(60),
            ClientSecret = Secret(32),
            RefreshToken = "5Aep" + Secret(60),
        };
        user.AccessTokens.Add(org.OrgId[..15] + "!" + Secret(48));
        org.Users.Add(user);
        var now = Now;
        var parts = name.Split(' ', 2);
        org.Records[Schema.User.Name][userId] = new SRecord
        {
            Id = userId,
            Type = Schema.User.Name,
            Fields = new Dictionary<string, JsonNode?>
            {
                ["Id"] = userId,
                ["IsDeleted"] = false,
                ["Username"] = user.Username,
                ["Name"] = name,
                ["FirstName"] = parts.Length > 1 ? parts[0] : null,
                ["LastName"] = parts.Length > 1 ? parts[1] : parts[0],
                ["Email"] = user.Username,
                ["IsActive"] = true,
                ["CreatedDate"] = FieldValues.FormatDateTime(now),
                ["CreatedById"] = userId,
                ["LastModifiedDate"] = FieldValues.FormatDateTime(now),
                ["LastModifiedById"] = userId,
                ["SystemModstamp"] = FieldValues.FormatDateTime(now),
            },
        };
        return user;
    }

    private void Seed(Org org, SandboxUser admin, DateTimeOffset now)
    {
        (string Label, int Probability, bool Closed, bool Won, string Forecast)[] stages =
        [
            ("Prospecting", 10, false, false, "Pipeline"),
            ("Qualification", 10, false, false, "Pipeline"),
            ("Needs Analysis", 20, false, false, "Pipeline"),
            ("Value Proposition", 50, false, false, "Pipeline"),
            ("Id. Decision Makers", 60, false, false, "Pipeline"),
            ("Perception Analysis", 70, false, false, "Pipeline"),
            ("Proposal/Price Quote", 75, false, false, "Pipeline"),
            ("Negotiation/Review", 90, false, false, "Commit"),
            ("Contract Signed", 100, true, true, "Closed"),
            ("Closed Won", 100, true, true, "Closed"),
            ("Closed Lost", 0, true, false, "Omitted"),
        ];
        var order = 1;
        foreach (var stage in stages)
        {
            var id = NewId(org, Schema.OpportunityStage);
            org.Records[Schema.OpportunityStage.Name][id] = new SRecord
            {
                Id = id,
                Type = Schema.OpportunityStage.Name,
                Fields = new Dictionary<string, JsonNode?>
                {
                    ["Id"] = id,
                    ["MasterLabel"] = stage.Label,
                    ["ApiName"] = stage.Label,
                    ["IsActive"] = true,
                    ["SortOrder"] = order++,
                    ["IsClosed"] = stage.Closed,
                    ["IsWon"] = stage.Won,
                    ["ForecastCategory"] = stage.Forecast == "Commit" ? "Forecast" : stage.Forecast,
                    ["ForecastCategoryName"] = stage.Forecast,
                    ["DefaultProbability"] = (decimal)stage.Probability,
                    ["Description"] = null,
                    ["CreatedDate"] = FieldValues.FormatDateTime(now),
                    ["LastModifiedDate"] = FieldValues.FormatDateTime(now),
                    ["SystemModstamp"] = FieldValues.FormatDateTime(now),
                },
            };
        }

        var caller = new SfCaller(org.OrgId, admin.UserId, "60.0", null);
        var change = new ChangeSet(caller, now) { Silent = true };
        var standard = Insert(org, Schema.Pricebook2, new JsonObject { ["Name"] = "Standard Price Book", ["IsActive"] = true }, change, standardPricebook: true);
        (string Name, string Code, decimal Price, string Family, string Description)[] products =
        [
            ("Consulting hour", "CONSULT-HR", 150m, "Services", "One hour of senior consulting, billed as time and materials."),
            ("Implementation package", "IMPL-PKG", 5000m, "Services", "Fixed-price implementation, billed on milestones."),
            ("Annual support subscription", "SUPPORT-12M", 12000m, "Subscriptions", "Twelve months of support, billed yearly."),
        ];
        foreach (var product in products)
        {
            var productId = Insert(org, Schema.Product2, new JsonObject
            {
                ["Name"] = product.Name, ["ProductCode"] = product.Code, ["Family"] = product.Family, ["Description"] = product.Description, ["IsActive"] = true,
            }, change).Id;
            Insert(org, Schema.PricebookEntry, new JsonObject
            {
                ["Pricebook2Id"] = standard.Id, ["Product2Id"] = productId, ["UnitPrice"] = product.Price, ["IsActive"] = true,
            }, change);
        }
    }

    private static JsonObject RenderOrg(Org org) => new()
    {
        ["orgId"] = org.OrgId,
        ["name"] = org.Name,
        ["instanceUrl"] = org.InstanceUrl,
    };
}

internal static class StateJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
