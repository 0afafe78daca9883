using System.Net;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class FaultInjectionTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    [Fact]
    public async Task Injected_errors_answer_the_status_without_writing_and_stop_after_count()
    {
        var company = await sandbox.CompanyAsync();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, errorRate = 1.0, errorStatus = 503, count = 2 });

        var first = await company.PostAsync("customer", new { DisplayName = "Unlucky" });
        var second = await company.PostAsync("customer", new { DisplayName = "Unlucky" });
        var third = await company.PostAsync("customer", new { DisplayName = "Unlucky" });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, first.Status);
        Assert.Equal("10000", first.FaultCode);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.Status);
        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "Customer"));
    }

    [Fact]
    public async Task A_fault_for_one_realm_leaves_others_alone_and_delete_clears_faults()
    {
        var company = await sandbox.CompanyAsync();
        var other = await sandbox.CompanyAsync();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, errorRate = 1.0, errorStatus = 500 });

        Assert.Equal(HttpStatusCode.InternalServerError, (await company.QueryAsync("select * from Term")).Status);
        Assert.Equal(HttpStatusCode.OK, (await other.QueryAsync("select * from Term")).Status);

        using var cleared = await company.Http.DeleteAsync("/_sandbox/faults", TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, cleared.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await company.QueryAsync("select * from Term")).Status);
    }

    [Fact]
    public async Task Dropping_the_connection_after_commit_leaves_the_write_done_and_a_requestid_retry_gets_it()
    {
        var company = await sandbox.CompanyAsync();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, dropConnectionAfterCommitRate = 1.0, count = 1 });
        var requestId = Guid.NewGuid().ToString();

        var dropped = await Record.ExceptionAsync(() => company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Committed Anyway" }));

        Assert.NotNull(dropped);
        var stored = Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "Customer"));
        Assert.Equal("Committed Anyway", stored!["DisplayName"]!.GetValue<string>());
        var retry = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Committed Anyway" });
        Assert.Equal(stored["Id"]!.GetValue<string>(), retry.Entity("Customer")["Id"]!.GetValue<string>());
        Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "Customer"));
    }

    [Fact]
    public async Task An_injected_429_is_the_xml_throttle_fault()
    {
        var company = await sandbox.CompanyAsync();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, errorRate = 1.0, errorStatus = 429, count = 1 });

        var response = await company.QueryAsync("select * from Term");

        Assert.Equal((HttpStatusCode)429, response.Status);
        Assert.Contains("ThrottleExceeded", response.Text);
        Assert.Equal("application/xml", response.ContentType);
    }

    [Fact]
    public async Task Latency_delays_the_answer_but_not_its_content()
    {
        var company = await sandbox.CompanyAsync();
        await Control.PostAsync(company.Http, "/_sandbox/faults", new { realmId = company.RealmId, latencyMs = 200, count = 1 });
        var faults = await company.Http.GetStringAsync("/_sandbox/faults", TestContext.Current.CancellationToken);
        Assert.Contains(company.RealmId, faults);

        var response = await company.QueryAsync("select * from Term");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.DoesNotContain(company.RealmId, await company.Http.GetStringAsync("/_sandbox/faults", TestContext.Current.CancellationToken));
    }
}
