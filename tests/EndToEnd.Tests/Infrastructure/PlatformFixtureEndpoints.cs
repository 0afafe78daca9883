using QuoteToCash.Testing.Platform;

namespace QuoteToCash.EndToEnd.Tests.Infrastructure;

/// <summary>The shared platform's addresses in the shape the acceptance drivers take.</summary>
public static class PlatformFixtureEndpoints
{
    public static PlatformEndpoints Endpoints(this PlatformFixture platform) =>
        new(platform.Gateway.BaseAddress, platform.AdminToken, platform.QuickBooks.BaseAddress, platform.HubSpot.BaseAddress, platform.Salesforce.BaseAddress);
}
