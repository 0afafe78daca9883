using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.ServiceDefaults.Outbound;

namespace QuoteToCash.ServiceDefaults.Tests.Outbound;

/// <summary>Where a tenant's connection URLs may point, under the production defaults and under a local run's settings.</summary>
public sealed class OutboundPolicyTests
{
    internal static ServiceProvider Services(params (string Key, string Value)[] settings)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)))
            .Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddOutboundPolicy();
        return services.BuildServiceProvider();
    }

    private static OutboundPolicy Production() => Services().GetRequiredService<OutboundPolicy>();

    private static OutboundPolicy Local() => Services(("Connections:AllowLoopback", "true")).GetRequiredService<OutboundPolicy>();

    [Theory]
    [InlineData("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer")]
    [InlineData("https://quickbooks.api.intuit.com")]
    [InlineData("https://sandbox-quickbooks.api.intuit.com/v3/company/123")]
    public void The_QuickBooks_hosts_are_allowed_by_default(string url) =>
        Assert.True(Production().CheckUrl(OutboundVendors.QuickBooks, url).Allowed);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "link-local")]
    [InlineData("http://[::ffff:169.254.169.254]/latest/meta-data/", "link-local")]
    [InlineData("http://[fe80::1]/", "link-local")]
    [InlineData("http://127.0.0.1:8091/oauth2/v1/tokens/bearer", "loopback")]
    [InlineData("http://[::1]:8091/", "loopback")]
    [InlineData("https://10.0.0.5/", "private")]
    [InlineData("https://192.168.1.20/", "private")]
    [InlineData("https://[fd00:ec2::254]/", "private")]
    [InlineData("http://0.0.0.0:8080/", "reserved")]
    [InlineData("http://[64:ff9b::a9fe:a9fe]/", "reserved")]
    public void Metadata_link_local_loopback_private_and_reserved_addresses_are_refused_in_production(string url, string reason)
    {
        var decision = Production().CheckUrl(OutboundVendors.QuickBooks, url);

        Assert.False(decision.Allowed);
        Assert.Contains(reason, decision.Reason, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData(OutboundVendors.QuickBooks, "https://quickbooks.example.net/")]
    [InlineData(OutboundVendors.QuickBooks, "https://intuit.com.example.net/")]
    [InlineData(OutboundVendors.QuickBooks, "https://intuit.com/")]
    [InlineData(OutboundVendors.HubSpot, "https://quickbooks.api.intuit.com/")]
    [InlineData(OutboundVendors.Salesforce, "https://evil-salesforce.com/")]
    [InlineData("Unknown", "https://api.hubapi.com/")]
    public void A_host_outside_the_vendors_allow_list_is_refused(string vendor, string url)
    {
        var decision = Production().CheckUrl(vendor, url);

        Assert.False(decision.Allowed);
        Assert.Contains("is not one of the", decision.Reason);
    }

    [Fact]
    public void A_vendor_host_over_http_or_with_credentials_in_the_url_is_refused()
    {
        Assert.Equal("It must be an https URL.", Production().CheckUrl(OutboundVendors.HubSpot, "http://api.hubapi.com").Reason);
        Assert.False(Production().CheckUrl(OutboundVendors.HubSpot, "https://user:secret@api.hubapi.com").Allowed);
        Assert.False(Production().CheckUrl(OutboundVendors.HubSpot, "file:///etc/passwd").Allowed);
    }

    [Fact]
    public void Salesforce_my_domain_instances_match_the_wildcard()
    {
        Assert.True(Production().CheckUrl(OutboundVendors.Salesforce, "https://acme.my.salesforce.com").Allowed);
        Assert.True(Production().CheckUrl(OutboundVendors.Salesforce, "https://login.salesforce.com").Allowed);
    }

    [Fact]
    public void A_local_run_allows_the_sandboxes_on_loopback_and_still_refuses_metadata_and_private_addresses()
    {
        var local = Local();

        Assert.True(local.CheckUrl(OutboundVendors.QuickBooks, "http://127.0.0.1:8091/oauth2/v1/tokens/bearer").Allowed);
        Assert.True(local.CheckUrl(OutboundVendors.HubSpot, "http://localhost:8092").Allowed);
        Assert.False(local.CheckUrl(OutboundVendors.QuickBooks, "http://169.254.169.254/latest/meta-data/").Allowed);
        Assert.False(local.CheckUrl(OutboundVendors.QuickBooks, "http://10.0.0.5/").Allowed);
        Assert.False(local.CheckUrl(OutboundVendors.QuickBooks, "https://quickbooks.example.net/").Allowed);
    }

    [Fact]
    public void Configured_hosts_replace_the_vendors_defaults()
    {
        var policy = Services(("Connections:AllowedHosts:HubSpot:0", "hubspot.internal.example")).GetRequiredService<OutboundPolicy>();

        Assert.True(policy.CheckUrl(OutboundVendors.HubSpot, "https://hubspot.internal.example/").Allowed);
        Assert.False(policy.CheckUrl(OutboundVendors.HubSpot, "https://api.hubapi.com/").Allowed);
        Assert.True(policy.CheckUrl(OutboundVendors.QuickBooks, "https://quickbooks.api.intuit.com/").Allowed);
    }

    [Fact]
    public async Task A_name_that_resolves_to_loopback_is_refused_before_the_request_is_stored_anywhere()
    {
        var policy = Services(("Connections:AllowedHosts:HubSpot:0", "localhost"), ("Connections:RequireHttps", "false")).GetRequiredService<OutboundPolicy>();

        var decision = await policy.CheckAsync(OutboundVendors.HubSpot, "http://localhost:8092/", TestContext.Current.CancellationToken);

        Assert.False(decision.Allowed);
        Assert.Contains("loopback", decision.Reason);
    }
}
