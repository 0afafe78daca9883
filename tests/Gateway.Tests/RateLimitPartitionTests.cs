using System.Net;
using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using QuoteToCash.Gateway.Extensions;

namespace QuoteToCash.Gateway.Tests;

/// <summary>Which allowance a request counts against: a tenant's only for callers that may act for it.</summary>
public class RateLimitPartitionTests
{
    private static HttpContext Request(string path, params string[] tenants)
    {
        var context = new DefaultHttpContext();
        context.Request.Path = path;
        context.Connection.RemoteIpAddress = IPAddress.Parse("203.0.113.7");
        if (tenants.Length > 0)
        {
            var claims = tenants.Select(t => new Claim("tenants", t)).Append(new Claim("sub", "maria")).Append(new Claim("role", "finance-manager"));
            context.User = new ClaimsPrincipal(new ClaimsIdentity(claims, "Bearer", "sub", "role"));
        }
        return context;
    }

    [Fact]
    public void An_operator_of_the_tenant_counts_against_the_tenant() =>
        Assert.Equal("tenant:acme", GatewayExtensions.PartitionKey(Request("/api/billing/acme/flows", "acme")));

    [Fact]
    public void An_anonymous_caller_counts_against_its_own_address_not_the_tenant() =>
        Assert.Equal("client:203.0.113.7", GatewayExtensions.PartitionKey(Request("/api/billing/acme/flows")));

    [Fact]
    public void An_operator_of_another_tenant_counts_against_its_own_address() =>
        Assert.Equal("client:203.0.113.7", GatewayExtensions.PartitionKey(Request("/api/billing/acme/flows", "globex")));

    [Fact]
    public void An_operator_of_every_tenant_counts_against_the_tenant_named() =>
        Assert.Equal("tenant:acme", GatewayExtensions.PartitionKey(Request("/api/billing/acme/flows", "*")));

    [Theory]
    [InlineData("/API/billing/ACME/flows")]
    [InlineData("/Api/Billing/acme/flows")]
    public void Capitals_in_the_path_do_not_escape_the_tenants_bucket(string path) =>
        Assert.Equal("tenant:acme", GatewayExtensions.PartitionKey(Request(path, "acme")));

    [Theory]
    [InlineData("/webhooks/hubspot/acme")]
    [InlineData("/WEBHOOKS/HubSpot/Acme")]
    public void Signed_webhooks_have_a_bucket_of_their_own_per_tenant(string path) =>
        Assert.Equal("webhooks:acme", GatewayExtensions.PartitionKey(Request(path)));

    [Fact]
    public void Everything_else_counts_per_client_address() =>
        Assert.Equal("client:203.0.113.7", GatewayExtensions.PartitionKey(Request("/health/ready")));
}
