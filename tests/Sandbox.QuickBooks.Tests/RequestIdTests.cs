using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class RequestIdTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    [Fact]
    public async Task A_repeated_requestid_replays_the_original_response_without_writing_again()
    {
        var company = await sandbox.CompanyAsync();
        var requestId = Guid.NewGuid().ToString();

        var first = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Once Only" });
        var repeat = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Once Only" });
        var differentBody = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Something Else" });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Text, repeat.Text);
        Assert.Equal(first.Text, differentBody.Text);
        Assert.Single(await Control.EntitiesAsync(company.Http, company.RealmId, "Customer"));
        var fresh = await company.PostAsync($"customer?requestid={Guid.NewGuid()}", new { DisplayName = "Once Only" });
        Assert.Equal("6240", fresh.FaultCode);
    }

    [Fact]
    public async Task A_fault_is_replayed_too()
    {
        var company = await sandbox.CompanyAsync();
        var requestId = Guid.NewGuid().ToString("N");

        var first = await company.PostAsync($"customer?requestid={requestId}", new { Notes = "no name" });
        var retried = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Fixed Name" });

        Assert.Equal("2020", first.FaultCode);
        Assert.Equal(first.Text, retried.Text);
        Assert.Empty(await Control.EntitiesAsync(company.Http, company.RealmId, "Customer"));
    }

    [Fact]
    public async Task A_repeated_batch_requestid_replays_the_whole_batch()
    {
        var company = await sandbox.CompanyAsync();
        var requestId = Guid.NewGuid().ToString();
        var batch = new JsonObject
        {
            ["BatchItemRequest"] = new JsonArray(
                new JsonObject { ["bId"] = "c1", ["operation"] = "create", ["Customer"] = new JsonObject { ["DisplayName"] = "Batch Once A" } },
                new JsonObject { ["bId"] = "c2", ["operation"] = "create", ["Customer"] = new JsonObject { ["DisplayName"] = "Batch Once B" } }),
        }.ToJsonString();

        var first = await company.PostAsync($"batch?requestid={requestId}", batch);
        var repeat = await company.PostAsync($"batch?requestid={requestId}", batch);

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(first.Text, repeat.Text);
        Assert.Equal(2, (await Control.EntitiesAsync(company.Http, company.RealmId, "Customer")).Count);
    }

    [Fact]
    public async Task A_requestid_longer_than_50_characters_is_refused()
    {
        var company = await sandbox.CompanyAsync();

        var fifty = await company.PostAsync($"customer?requestid={new string('a', 50)}", new { DisplayName = "Fifty" });
        var fiftyOne = await company.PostAsync($"customer?requestid={new string('b', 51)}", new { DisplayName = "Fifty One" });

        Assert.Equal(HttpStatusCode.OK, fifty.Status);
        Assert.Equal(HttpStatusCode.BadRequest, fiftyOne.Status);
        Assert.Equal("6000", fiftyOne.FaultCode);
        Assert.Contains("50 characters", fiftyOne.FaultDetail);
    }

    [Fact]
    public async Task A_batch_requestid_is_limited_to_36_characters_and_its_bids_to_10()
    {
        var company = await sandbox.CompanyAsync();
        string Batch(string bId) => new JsonObject
        {
            ["BatchItemRequest"] = new JsonArray(new JsonObject { ["bId"] = bId, ["Query"] = "select * from Term" }),
        }.ToJsonString();

        var tooLong = await company.PostAsync($"batch?requestid={Guid.NewGuid()}x", Batch("b1"));
        var longBatchId = await company.PostAsync($"batch?requestid={Guid.NewGuid()}", Batch("bid-eleven!"));
        var fine = await company.PostAsync($"batch?requestid={Guid.NewGuid()}", Batch("bid-ten-10"));

        Assert.Equal(HttpStatusCode.BadRequest, tooLong.Status);
        Assert.Contains("36 characters", tooLong.FaultDetail);
        Assert.Equal(HttpStatusCode.OK, longBatchId.Status);
        Assert.Equal("6000", longBatchId.Json["BatchItemResponse"]![0]!["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        Assert.NotNull(fine.Json["BatchItemResponse"]![0]!["QueryResponse"]);
    }

    [Fact]
    public async Task A_requestid_is_forgotten_after_the_retention_period()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var clocked = new QboSandboxFactory { Time = time, Settings = new Dictionary<string, string?> { ["QuickBooks:RequestIdRetention"] = "00:10:00" } };
        var company = await clocked.CompanyAsync();
        var requestId = Guid.NewGuid().ToString();
        var first = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Remembered" });

        time.Advance(TimeSpan.FromMinutes(11));
        var later = await company.PostAsync($"customer?requestid={requestId}", new { DisplayName = "Remembered" });

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal("6240", later.FaultCode);
    }
}
