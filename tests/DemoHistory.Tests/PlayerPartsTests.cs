using System.Text.Json;
using QuoteToCash.Contracts;
using QuoteToCash.DemoHistory.Domain;
using QuoteToCash.DemoHistory.Infrastructure;

namespace QuoteToCash.DemoHistory.Tests;

public sealed class PlayerPartsTests
{
    private static readonly DemoCustomer Customer = new("demo:acme", "demo", "Acme", "acme.test", "1 Main St", "Denver", "CO", "80202", "ap@acme.test",
        "Enterprise", PayerProfile.OnTime);

    private static DemoDeal Deal(BillingModel model) => new()
    {
        Key = "demo:d01", Tenant = "demo", Crm = DemoCrm.HubSpot, Name = "Acme", Customer = Customer, Model = model, WonOn = new DateOnly(2026, 6, 2),
        Lines = [new DemoLine(DemoCatalogue.Implementation, 40)], PaymentTerms = "Net 30", BusinessUnit = "Delivery", Region = "Central",
        Plan = model == BillingModel.FixedFee
            ? [new DemoMilestone("signing", "On signing", 50m), new DemoMilestone(MilestoneReachedCompletion, "On completion", 50m)]
            : [new DemoMilestone("design", "Design", 30m), new DemoMilestone("build", "Build", 70m)],
        Team = [new DemoAssignment("Ava Patel", "senior", 10, 2)], ProjectWeeks = 4, SubscriptionSeats = 2, RetainerDeposit = 10_000m, RetainerThreshold = 3_000m,
    };

    private const string MilestoneReachedCompletion = "completion";

    private static JsonElement Terms(BillingModel model) =>
        JsonSerializer.Deserialize<JsonElement>(HistoryPlayer.TermsJson(Deal(model), p => "crm-" + p.Sku));

    [Fact]
    public void Billing_terms_hold_each_model_s_plan_and_name_products_by_their_crm_ids()
    {
        var fee = Terms(BillingModel.FixedFee);
        Assert.Equal(["OnSigning", "OnCompletion"], fee.GetProperty("instalments").EnumerateArray().Select(i => i.GetProperty("trigger").GetString()));

        Assert.Equal([30m, 70m], Terms(BillingModel.Milestones).GetProperty("milestones").EnumerateArray().Select(m => m.GetProperty("percent").GetDecimal()));
        Assert.Equal("Monthly", Terms(BillingModel.TimeAndMaterials).GetProperty("period").GetString());
        Assert.Equal(3_000m, Terms(BillingModel.Retainer).GetProperty("retainer").GetProperty("threshold").GetDecimal());
        var subscription = Terms(BillingModel.Subscription).GetProperty("subscription");
        Assert.Equal("id:crm-SUPPORT-MONTH", subscription.GetProperty("product").GetString());
        Assert.Equal(2m, subscription.GetProperty("quantity").GetDecimal());
        Assert.False(subscription.TryGetProperty("periods", out _), "no end: renewed until cancelled");
    }

    [Fact]
    public void Every_deal_s_terms_fit_a_salesforce_text_field()
    {
        // Salesforce product IDs are 18 characters.
        foreach (var deal in HistoryPlanner.Plan(12, new DateOnly(2026, 11, 30)).Deals)
            Assert.InRange(HistoryPlayer.TermsJson(deal, _ => "01t000000000000AAA").Length, 2, 255);
    }

    [Fact]
    public void Progress_survives_a_restart()
    {
        var path = Path.Combine(Path.GetTempPath(), $"demo-history-{Guid.NewGuid():N}.json");
        try
        {
            var progress = new DemoProgress { Seed = 7, Today = new DateOnly(2026, 11, 30), Weeks = 26, LastDay = new DateOnly(2026, 7, 3) };
            progress.Done.Add("win:demo:d01");
            progress.Ids["deal:demo:d01"] = "4711";
            progress.Payments.Add("demo:12:0");
            progress.Save(path);

            var loaded = DemoProgress.Load(path)!;

            Assert.Equal((7, new DateOnly(2026, 7, 3), false), (loaded.Seed, loaded.LastDay!.Value, loaded.Complete));
            Assert.Contains("win:demo:d01", loaded.Done);
            Assert.Equal("4711", loaded.Ids["deal:demo:d01"]);
            Assert.Contains("demo:12:0", loaded.Payments);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
