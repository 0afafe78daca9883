using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using QuoteToCash.Sandbox.QuickBooks.Tests.Infrastructure;

namespace QuoteToCash.Sandbox.QuickBooks.Tests;

public sealed class ChangeDataCaptureTests(QboSandboxFactory sandbox) : IClassFixture<QboSandboxFactory>
{
    private static string Since(DateTimeOffset instant) => Uri.EscapeDataString(instant.ToString("yyyy-MM-dd'T'HH:mm:sszzz"));

    private static JsonArray Section(QboResponse response, string entity)
        => response.Json["CDCResponse"]![0]!["QueryResponse"]!.AsArray()
            .Select(s => s![entity]).OfType<JsonArray>().FirstOrDefault() ?? [];

    [Fact]
    public async Task Cdc_returns_entities_changed_since_a_time_and_deleted_ones_as_stubs()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var clocked = new QboSandboxFactory { Time = time };
        var company = await clocked.CompanyAsync();
        var old = await company.CustomerAsync("Before the watermark");
        time.Advance(TimeSpan.FromMinutes(10));
        var watermark = time.GetUtcNow();
        time.Advance(TimeSpan.FromMinutes(1));
        var customerId = old["Id"]!.GetValue<string>();
        var fresh = await company.CustomerAsync("After the watermark");
        var invoice = await company.InvoiceAsync(customerId);
        (await company.PostAsync("invoice?operation=delete", new { Id = invoice["Id"]!.GetValue<string>(), SyncToken = "0" })).Entity("Invoice");

        var response = await company.GetAsync($"cdc?entities=Customer,Invoice&changedSince={Since(watermark)}&minorversion=75");

        Assert.Equal(HttpStatusCode.OK, response.Status);
        var customers = Section(response, "Customer");
        Assert.Equal([fresh["Id"]!.GetValue<string>()], customers.Select(c => c!["Id"]!.GetValue<string>()));
        var deleted = Assert.Single(Section(response, "Invoice"));
        Assert.Equal("Deleted", deleted!["status"]!.GetValue<string>());
        Assert.Equal(invoice["Id"]!.GetValue<string>(), deleted["Id"]!.GetValue<string>());
        Assert.NotNull(response.Json["time"]);
    }

    [Fact]
    public async Task Cdc_further_back_than_30_days_is_refused()
    {
        var company = await sandbox.CompanyAsync();

        var response = await company.GetAsync($"cdc?entities=Customer&changedSince={Since(DateTimeOffset.UtcNow.AddDays(-31))}");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("500", response.FaultCode);
    }

    [Fact]
    public async Task Cdc_does_not_support_tax_codes_and_needs_its_parameters()
    {
        var company = await sandbox.CompanyAsync();

        var taxCodes = await company.GetAsync($"cdc?entities=TaxCode&changedSince={Since(DateTimeOffset.UtcNow.AddDays(-1))}");
        var missing = await company.GetAsync("cdc?entities=Customer");

        Assert.Equal(HttpStatusCode.BadRequest, taxCodes.Status);
        Assert.Equal("2020", missing.FaultCode);
    }
}
