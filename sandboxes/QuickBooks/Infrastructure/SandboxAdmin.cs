using System.Security.Cryptography;
using QuoteToCash.Sandbox.QuickBooks.Domain;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Infrastructure;

/// <summary>What the Intuit developer portal and the user's consent screen do: companies, apps, connections.</summary>
public sealed class SandboxAdmin(SandboxState state, TokenService tokens, QboClock clock)
{
    public sealed record ConnectionGrant(string RealmId, string ClientId, string AuthorizationCode, TokenService.TokenPair Tokens);

    /// <summary>Creates a seeded company, or returns the one with that name (created = false).</summary>
    public (Realm Realm, bool Created) CreateRealm(string name)
    {
        lock (state.Gate)
        {
            var existing = state.Data.Realms.Values.FirstOrDefault(r => string.Equals(r.Name, name, StringComparison.Ordinal));
            if (existing is not null)
                return (existing, false);
            string id;
            do
                id = "9341" + RandomNumberGenerator.GetInt32(100_000_000, 999_999_999) + RandomNumberGenerator.GetInt32(100, 999);
            while (state.Data.Realms.ContainsKey(id));
            var realm = CompanySeed.Create(id, name, clock);
            state.Data.Realms[id] = realm;
            state.Touch();
            return (realm, true);
        }
    }

    /// <summary>Registers an app, or returns the one with that name unchanged (created = false).</summary>
    public (SandboxApp App, bool Created) CreateApp(string name, string? webhookUrl, string webhookFormat)
    {
        lock (state.Gate)
        {
            var existing = state.Data.Apps.Values.FirstOrDefault(a => string.Equals(a.Name, name, StringComparison.Ordinal));
            if (existing is not null)
                return (existing, false);
            var app = new SandboxApp
            {
                ClientId = "AB" + TokenService.RandomText(48),
                ClientSecret = TokenService.RandomText(40),
                VerifierToken = Guid.NewGuid().ToString(),
                Name = name,
                WebhookUrl = string.IsNullOrWhiteSpace(webhookUrl) ? null : webhookUrl,
                WebhookFormat = webhookFormat,
            };
            state.Data.Apps[app.ClientId] = app;
            state.Touch();
            return (app, true);
        }
    }

    public SandboxApp? UpdateApp(string clientId, bool setUrl, string? webhookUrl, string? webhookFormat)
    {
        lock (state.Gate)
        {
            if (!state.Data.Apps.TryGetValue(clientId, out var app))
                return null;
            if (setUrl)
                app.WebhookUrl = string.IsNullOrWhiteSpace(webhookUrl) ? null : webhookUrl;
            if (webhookFormat is not null)
                app.WebhookFormat = webhookFormat;
            state.Touch();
            return app;
        }
    }

    public SandboxApp? FindApp(string clientId)
    {
        lock (state.Gate)
            return state.Data.Apps.GetValueOrDefault(clientId);
    }

    /// <summary>The user consents: the app is connected to the realm, gets a one-time code and a token pair.</summary>
    public ConnectionGrant? Connect(string realmId, string clientId, string? redirectUri)
    {
        lock (state.Gate)
        {
            if (!state.Data.Realms.ContainsKey(realmId) || !state.Data.Apps.ContainsKey(clientId))
                return null;
            var connection = state.Data.Connections.FirstOrDefault(c => c.RealmId == realmId && c.ClientId == clientId);
            if (connection is null)
            {
                connection = new Connection { RealmId = realmId, ClientId = clientId, ConnectedAt = clock.UtcNow };
                state.Data.Connections.Add(connection);
            }
            connection.RedirectUri = redirectUri;
            var code = tokens.IssueCode(clientId, realmId, redirectUri);
            var pair = tokens.Issue(clientId, realmId);
            state.Touch();
            return new ConnectionGrant(realmId, clientId, code, pair);
        }
    }

    /// <summary>Closes the realm's books through the date (null reopens them); false for an unknown realm.</summary>
    public bool SetClosingDate(string realmId, DateOnly? closingDate)
    {
        lock (state.Gate)
        {
            if (!state.Data.Realms.TryGetValue(realmId, out var realm))
                return false;
            Domain.Rules.ClosedBooks.SetClosingDate(realm, closingDate, clock);
            state.Touch();
            return true;
        }
    }

    public IReadOnlyList<Realm> Realms()
    {
        lock (state.Gate)
            return state.Data.Realms.Values.ToList();
    }
}
