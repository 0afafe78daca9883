using QuoteToCash.CrmIngest.Infrastructure.HubSpot;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using QuoteToCash.CrmIngest.Infrastructure.WriteBack;

namespace QuoteToCash.CrmIngest.Tests.WriteBack;

[Collection(HubSpotSandboxCollection.Name)]
public sealed class HubSpotWriterTests(HubSpotSandboxFixture sandbox)
{
    private static readonly string[] DealFields = [HubSpotWriter.InvoiceNumber, HubSpotWriter.InvoiceStatus, HubSpotWriter.BalanceDue, HubSpotWriter.PaidDate];

    /// <summary>
    /// The writer's own pacing is opened up (before HubSpot's first answer, and to all but one request of the limit HubSpot
    /// reports after it), so that only the sandbox's (scaled-down) limit decides when a 429 comes.
    /// </summary>
    private static (HubSpotWriter Writer, RecordingLogger<HubSpotWriter> Log) NewWriter()
    {
        var log = new RecordingLogger<HubSpotWriter>();
        var options = Options.Create(new WriteBackOptions { HubSpotPermitsPerWindow = 1000, HubSpotWindow = TimeSpan.FromSeconds(1), HubSpotWriteShare = 1m });
        return (new HubSpotWriter(new HttpClient { Timeout = TimeSpan.FromSeconds(30) }, options, new HubSpotRateBudget(options), TimeProvider.System, log), log);
    }

    private static HubSpotTarget Target(HubSpotPortal portal) => new("tenant-" + portal.PortalId, portal.Sandbox.BaseUrl, portal.PlatformToken);

    private static Task<string> NewDealAsync(HubSpotPortal portal) =>
        portal.CreateAsync("deals", new { dealname = "Implementation", dealstage = "closedwon", pipeline = "default", amount = "1250.50" });

    [Fact]
    public async Task Posted_invoice_creates_the_missing_deal_properties_and_writes_number_status_and_balance()
    {
        var portal = await sandbox.NewPortalAsync();
        var dealId = await NewDealAsync(portal);
        Assert.Null(await portal.PropertyAsync("deals", HubSpotWriter.InvoiceStatus));
        var (writer, _) = NewWriter();

        await writer.UpdateDealAsync(Target(portal), dealId, new InvoiceWriteBack("INV-1001", WriteBackValues.Posted, 1250.50m, null), TestContext.Current.CancellationToken);

        var deal = await portal.ReadAsync("deals", dealId, DealFields);
        Assert.Equal("INV-1001", deal[HubSpotWriter.InvoiceNumber]);
        Assert.Equal("Posted", deal[HubSpotWriter.InvoiceStatus]);
        Assert.Equal(1250.50m, decimal.Parse(deal[HubSpotWriter.BalanceDue]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Null(deal.GetValueOrDefault(HubSpotWriter.PaidDate));

        var status = (await portal.PropertyAsync("deals", HubSpotWriter.InvoiceStatus))!.Value;
        Assert.Equal("enumeration", status.GetProperty("type").GetString());
        Assert.Equal(WriteBackValues.InvoiceStatuses, status.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()!).ToArray());
        Assert.Equal("number", (await portal.PropertyAsync("deals", HubSpotWriter.BalanceDue))!.Value.GetProperty("type").GetString());
        Assert.Equal("date", (await portal.PropertyAsync("deals", HubSpotWriter.PaidDate))!.Value.GetProperty("type").GetString());
        Assert.Equal("string", (await portal.PropertyAsync("deals", HubSpotWriter.InvoiceNumber))!.Value.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Payments_move_the_deal_to_partially_paid_then_paid_with_the_paid_date_and_keep_the_number()
    {
        var portal = await sandbox.NewPortalAsync();
        var dealId = await NewDealAsync(portal);
        var (writer, _) = NewWriter();
        var target = Target(portal);

        await writer.UpdateDealAsync(target, dealId, new InvoiceWriteBack("INV-2002", WriteBackValues.Posted, 1000m, null), TestContext.Current.CancellationToken);
        await writer.UpdateDealAsync(target, dealId, new InvoiceWriteBack(null, WriteBackValues.PartiallyPaid, 400m, null), TestContext.Current.CancellationToken);
        var partial = await portal.ReadAsync("deals", dealId, DealFields);
        Assert.Equal("Partially paid", partial[HubSpotWriter.InvoiceStatus]);
        Assert.Equal(400m, decimal.Parse(partial[HubSpotWriter.BalanceDue]!, System.Globalization.CultureInfo.InvariantCulture));

        await writer.UpdateDealAsync(target, dealId, new InvoiceWriteBack(null, WriteBackValues.Paid, 0m, new DateOnly(2026, 11, 20)), TestContext.Current.CancellationToken);
        var paid = await portal.ReadAsync("deals", dealId, DealFields);
        Assert.Equal("INV-2002", paid[HubSpotWriter.InvoiceNumber]);
        Assert.Equal("Paid", paid[HubSpotWriter.InvoiceStatus]);
        Assert.Equal(0m, decimal.Parse(paid[HubSpotWriter.BalanceDue]!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("2026-11-20", paid[HubSpotWriter.PaidDate]);
    }

    [Fact]
    public async Task Account_standing_creates_the_company_property_and_writes_the_standing()
    {
        var portal = await sandbox.NewPortalAsync();
        var companyId = await portal.CreateAsync("companies", new { name = "Acme Corp", domain = "acme.example" });
        Assert.Null(await portal.PropertyAsync("companies", HubSpotWriter.AccountStanding));
        var (writer, _) = NewWriter();

        await writer.UpdateCompanyStandingAsync(Target(portal), companyId, WriteBackValues.PastDue30, TestContext.Current.CancellationToken);
        Assert.Equal("Past due 30+", (await portal.ReadAsync("companies", companyId, HubSpotWriter.AccountStanding))[HubSpotWriter.AccountStanding]);

        await writer.UpdateCompanyStandingAsync(Target(portal), companyId, WriteBackValues.Good, TestContext.Current.CancellationToken);
        Assert.Equal("Good", (await portal.ReadAsync("companies", companyId, HubSpotWriter.AccountStanding))[HubSpotWriter.AccountStanding]);

        var standing = (await portal.PropertyAsync("companies", HubSpotWriter.AccountStanding))!.Value;
        Assert.Equal("enumeration", standing.GetProperty("type").GetString());
        Assert.Equal(WriteBackValues.Standings, standing.GetProperty("options").EnumerateArray().Select(o => o.GetProperty("value").GetString()!).ToArray());
    }

    [Fact]
    public async Task Properties_that_already_exist_are_kept_and_written_to()
    {
        var portal = await sandbox.NewPortalAsync();
        var dealId = await NewDealAsync(portal);
        // An admin created the invoice number by hand (with another label) before the integration ran.
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Post, "/crm/v3/properties/deals", portal.ToolsToken,
            new { name = HubSpotWriter.InvoiceNumber, label = "Invoice #", type = "string", fieldType = "text", groupName = "dealinformation" });
        var (writer, _) = NewWriter();

        await writer.UpdateDealAsync(Target(portal), dealId, new InvoiceWriteBack("INV-3003", WriteBackValues.Sent, 99.95m, null), TestContext.Current.CancellationToken);

        var deal = await portal.ReadAsync("deals", dealId, DealFields);
        Assert.Equal("INV-3003", deal[HubSpotWriter.InvoiceNumber]);
        Assert.Equal("Sent", deal[HubSpotWriter.InvoiceStatus]);
        Assert.Equal("Invoice #", (await portal.PropertyAsync("deals", HubSpotWriter.InvoiceNumber))!.Value.GetProperty("label").GetString());
    }

    [Fact]
    public async Task An_admin_made_status_dropdown_gets_our_missing_options_appended_and_keeps_its_own()
    {
        var portal = await sandbox.NewPortalAsync();
        var dealId = await NewDealAsync(portal);
        // An admin created the status dropdown by hand with two options, one of them not ours.
        await SandboxCalls.OkAsync(sandbox.Client, HttpMethod.Post, "/crm/v3/properties/deals", portal.ToolsToken, new
        {
            name = HubSpotWriter.InvoiceStatus, label = "Invoice status", type = "enumeration", fieldType = "select", groupName = "dealinformation",
            options = new[]
            {
                new { label = "Posted", value = "Posted", displayOrder = 0, hidden = false },
                new { label = "Disputed", value = "Disputed", displayOrder = 1, hidden = false },
            },
        });
        var (writer, _) = NewWriter();

        await writer.UpdateDealAsync(Target(portal), dealId, new InvoiceWriteBack("INV-4004", WriteBackValues.Overdue, 10m, null), TestContext.Current.CancellationToken);

        Assert.Equal("Overdue", (await portal.ReadAsync("deals", dealId, DealFields))[HubSpotWriter.InvoiceStatus]);
        var values = (await portal.PropertyAsync("deals", HubSpotWriter.InvoiceStatus))!.Value.GetProperty("options").EnumerateArray()
            .Select(o => o.GetProperty("value").GetString()!).ToList();
        Assert.Equal(["Posted", "Disputed"], values.Take(2));
        Assert.Superset(WriteBackValues.InvoiceStatuses.ToHashSet(), values.ToHashSet());
    }

    [Fact]
    public async Task A_write_rejected_with_429_is_waited_out_and_the_update_lands()
    {
        var portal = await sandbox.NewPortalAsync();
        var dealId = await NewDealAsync(portal);
        var (writer, log) = NewWriter();
        var target = Target(portal);
        // Properties in place, so that the write that meets the 429 is the PATCH itself.
        await writer.EnsurePropertiesAsync(target, "deals", HubSpotWriter.DealProperties, TestContext.Current.CancellationToken);
        // The writer follows the limit the sandbox reports, so on its own it never meets a 429: let its window pass, then
        // let other traffic on the same token (another app instance, a script) use up the burst budget.
        await Task.Delay(TimeSpan.FromMilliseconds(HubSpotSandboxFixture.BurstWindowMs * 2), TestContext.Current.CancellationToken);

        // Use up the platform app's burst budget until HubSpot says 429.
        var limited = false;
        using var raw = new HttpClient { BaseAddress = new Uri(sandbox.BaseUrl) };
        for (var i = 0; i < HubSpotSandboxFixture.BurstLimit * 4 && !limited; i++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/crm/v3/objects/deals/{dealId}");
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", portal.PlatformToken);
            using var response = await raw.SendAsync(request, TestContext.Current.CancellationToken);
            limited = response.StatusCode == HttpStatusCode.TooManyRequests;
        }
        Assert.True(limited, "the sandbox never answered 429");

        await writer.UpdateDealAsync(target, dealId, new InvoiceWriteBack("INV-4004", WriteBackValues.Overdue, 500m, null), TestContext.Current.CancellationToken);

        var deal = await portal.ReadAsync("deals", dealId, DealFields);
        Assert.Equal("INV-4004", deal[HubSpotWriter.InvoiceNumber]);
        Assert.Equal("Overdue", deal[HubSpotWriter.InvoiceStatus]);
        Assert.Contains(log.Entries, e => e.Level == LogLevel.Warning && e.Message.Contains("429", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_deal_that_does_not_exist_throws_instead_of_dropping_the_update()
    {
        var portal = await sandbox.NewPortalAsync();
        var (writer, _) = NewWriter();

        var failure = await Assert.ThrowsAsync<CrmWriteBackException>(() =>
            writer.UpdateDealAsync(Target(portal), "41999999999", new InvoiceWriteBack("INV-5005", WriteBackValues.Posted, 10m, null), TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.NotFound, failure.Status);
    }
}
