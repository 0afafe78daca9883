using System.Net;
using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class BatchTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private static JsonObject Item(string bId, string operation, string entity, object body) => new()
    {
        ["bId"] = bId,
        ["operation"] = operation,
        [entity] = System.Text.Json.JsonSerializer.SerializeToNode(body),
    };

    private static string Batch(params JsonObject[] items) => new JsonObject { ["BatchItemRequest"] = new JsonArray(items) }.ToJsonString();

    private static JsonObject ById(QboResponse response, string bId)
        => response.Json["BatchItemResponse"]!.AsArray().Single(r => r!["bId"]!.GetValue<string>() == bId)!.AsObject();

    [Fact]
    public async Task Each_item_succeeds_or_faults_on_its_own_inside_an_http_200()
    {
        var company = await sandbox.CompanyAsync();
        var existing = await company.CreateAsync("Customer", new { DisplayName = "Batch Existing" });

        var response = await company.PostAsync("batch?minorversion=75", Batch(
            Item("ok", "create", "Customer", new { DisplayName = "Batch New" }),
            Item("dup", "create", "Customer", new { DisplayName = "Batch Existing" }),
            Item("stale", "update", "Customer", new { Id = existing["Id"]!.GetValue<string>(), SyncToken = "9", sparse = true, Notes = "x" }),
            Item("sparse", "update", "Customer", new { Id = existing["Id"]!.GetValue<string>(), SyncToken = "0", sparse = true, Notes = "batched" }),
            new JsonObject { ["bId"] = "q", ["Query"] = "select * from Term where Name = 'Net 30'" }));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("Batch New", ById(response, "ok")["Customer"]!["DisplayName"]!.GetValue<string>());
        Assert.Equal("6240", ById(response, "dup")["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("5010", ById(response, "stale")["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        Assert.Equal("batched", ById(response, "sparse")["Customer"]!["Notes"]!.GetValue<string>());
        Assert.Equal("Net 30", ById(response, "q")["QueryResponse"]!["Term"]![0]!["Name"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_item_cannot_reference_what_another_item_of_the_same_batch_creates()
    {
        var company = await sandbox.CompanyAsync();
        var entities = await Control.EntitiesAsync(company.Http, company.RealmId, "Customer");
        var nextCustomerId = (entities.Count + 1).ToString();

        var response = await company.PostAsync("batch", Batch(
            Item("customer", "create", "Customer", new { DisplayName = "Created In Batch" }),
            Item("invoice", "create", "Invoice", new
            {
                CustomerRef = new { value = nextCustomerId },
                Line = new[] { new { Amount = 150, DetailType = "SalesItemLineDetail", SalesItemLineDetail = new { ItemRef = new { value = "3" } } } },
            })));

        Assert.Equal(nextCustomerId, ById(response, "customer")["Customer"]!["Id"]!.GetValue<string>());
        Assert.Equal("2500", ById(response, "invoice")["Fault"]!["Error"]![0]!["code"]!.GetValue<string>());
        // After the batch, the customer is there like any other.
        await company.InvoiceAsync(nextCustomerId);
    }

    [Fact]
    public async Task More_than_30_items_are_refused()
    {
        var company = await sandbox.CompanyAsync();
        var items = Enumerable.Range(1, 31).Select(i => new JsonObject { ["bId"] = "q" + i, ["Query"] = "select * from Term" }).ToArray();

        var refused = await company.PostAsync("batch", Batch(items.Select(i => (JsonObject)i.DeepClone()).ToArray()));
        var accepted = await company.PostAsync("batch", Batch(items[..30]));

        Assert.Equal(HttpStatusCode.BadRequest, refused.Status);
        Assert.NotNull(refused.FaultCode);
        Assert.Equal(30, accepted.Json["BatchItemResponse"]!.AsArray().Count);
    }

    [Fact]
    public async Task Items_are_not_answered_in_request_order()
    {
        var company = await sandbox.CompanyAsync();
        var items = Enumerable.Range(1, 30).Select(i => new JsonObject { ["bId"] = "b" + i, ["Query"] = "select count(*) from Term" }).ToArray();
        var requestOrder = items.Select(i => i["bId"]!.GetValue<string>()).ToList();

        // 30 items come back in request order by chance once in 30! tries; three tries make a false failure impossible in practice.
        var shuffled = false;
        for (var attempt = 0; attempt < 3 && !shuffled; attempt++)
        {
            var response = await company.PostAsync("batch", Batch(items.Select(i => (JsonObject)i.DeepClone()).ToArray()));
            var answerOrder = response.Json["BatchItemResponse"]!.AsArray().Select(r => r!["bId"]!.GetValue<string>()).ToList();
            Assert.Equal(requestOrder.Order(), answerOrder.Order());
            shuffled = !requestOrder.SequenceEqual(answerOrder);
        }
        Assert.True(shuffled);
    }
}
