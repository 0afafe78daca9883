using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace QuoteToCash.ServiceDefaults.Tests.Health;

/// <summary>/health/ready is anonymous: it says whether the service is up; only an operator learns why a check fails.</summary>
public class HealthReportTests
{
    private static readonly HealthReport Failing = new(new Dictionary<string, HealthReportEntry>
    {
        ["store"] = new(HealthStatus.Unhealthy, "mongodb unreachable", TimeSpan.FromMilliseconds(3),
            new InvalidOperationException("No connection to mongodb-0.internal:27017 as q2c-admin"), null),
        ["bus"] = new(HealthStatus.Healthy, "Ready", TimeSpan.FromMilliseconds(1), null, null),
    }, TimeSpan.FromMilliseconds(4));

    private static async Task<JsonElement> WriteAsync(ClaimsPrincipal user)
    {
        var context = new DefaultHttpContext { User = user, RequestServices = new ServiceCollection().AddSingleton(new ServiceIdentity("master-data")).BuildServiceProvider() };
        using var body = new MemoryStream();
        context.Response.Body = body;
        await Extensions.WriteHealth(context, Failing);
        return JsonSerializer.Deserialize<JsonElement>(body.ToArray());
    }

    [Fact]
    public async Task An_anonymous_caller_sees_statuses_only()
    {
        var report = await WriteAsync(new ClaimsPrincipal(new ClaimsIdentity()));

        Assert.Equal("Unhealthy", report.GetProperty("status").GetString());
        Assert.Equal("Unhealthy", report.GetProperty("checks").GetProperty("store").GetProperty("status").GetString());
        Assert.DoesNotContain("mongodb", report.GetRawText());
        Assert.False(report.GetProperty("checks").GetProperty("store").TryGetProperty("error", out _));
    }

    [Fact]
    public async Task An_operator_sees_why_a_check_fails()
    {
        var auditor = new ClaimsPrincipal(new ClaimsIdentity([new Claim("sub", "ines"), new Claim("role", "auditor")], "Bearer", "sub", "role"));

        var report = await WriteAsync(auditor);

        Assert.Contains("mongodb-0.internal", report.GetProperty("checks").GetProperty("store").GetProperty("error").GetString());
    }
}
