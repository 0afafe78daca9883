using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.CrmIngest;
using QuoteToCash.CrmIngest.Apis;
using QuoteToCash.CrmIngest.Domain;
using QuoteToCash.CrmIngest.Infrastructure;
using QuoteToCash.CrmIngest.Tests.Consumers;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.Testing.Harness;
using static QuoteToCash.CrmIngest.Tests.Apis.IngestApiHarness;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.CrmIngest.Tests.Apis;

/// <summary>
/// The generic ingest API with billing terms: a deal of each model is announced with complete terms (the firm's
/// defaults applied), a deal whose terms cannot be billed answers 400 and announces nothing, a change of terms is
/// announced as a change, and time is checked against the deal's rate card.
/// </summary>
public sealed class GenericIngestBillingTests : IAsyncLifetime
{
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync()
    {
        _harness = await CrmIngestConsumerHarness.StartAsync();
        Assert.IsType<Ok<BillingDefaultsApi.BillingDefaultsView>>((await _harness.PutBillingDefaultsAsync(FirmDefaults)).Result);
    }

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private static readonly Dictionary<string, BillingTermsInput> Models = new()
    {
        ["FixedFee"] = new()
        {
            Model = "FixedFee",
            Instalments = [new() { Id = "signing", Percent = 50m }, new() { Id = "go-live", Percent = 50m, Trigger = "OnCompletion" }],
        },
        ["Milestones"] = new()
        {
            Model = "Milestones",
            Milestones = [new() { Id = "kickoff", Name = "Kickoff", Percent = 30m }, new() { Id = "design", Name = "Design", Percent = 30m }, new() { Id = "go-live", Name = "Go-live", Amount = 7_400m }],
        },
        ["TimeAndMaterials"] = new() { RateCard = [new() { Role = "senior", Rate = 180m }, new() { Role = "architect", Rate = 210m }], NotToExceed = 40_000m },
        ["Retainer"] = new() { Model = "Retainer", Retainer = new() { Deposit = 5_000m, Threshold = 1_000m } },
        ["Subscription"] = new() { Model = "Subscription", Subscription = new() { Quantity = 25, UnitPrice = 40m, Product = "SUPPORT-12M" }, PurchaseOrder = "PO-7781" },
    };

    [Theory]
    [InlineData("FixedFee")]
    [InlineData("Milestones")]
    [InlineData("TimeAndMaterials")]
    [InlineData("Retainer")]
    [InlineData("Subscription")]
    public async Task A_deal_of_each_model_is_announced_with_complete_terms(string model)
    {
        var result = await _harness.IngestAsync(ErpRollout("D-" + model, Models[model]));

        Assert.IsType<Accepted<DealsApi.IngestResult>>(result.Result);
        var won = Assert.Single(_harness.Published<DealWon>());
        var billing = won.Billing!;
        Assert.Equal((Enum.Parse<BillingModel>(model), Enum.Parse<BillingModel>(model)), (won.BillingModel, billing.Model));
        Assert.Equal((Currency, BillingPeriod.Biweekly, "Net 30"), (billing.Currency, billing.Period, won.PaymentTerms));
        // The firm's pound rates under the deal's own: a deal's rate for a role wins, the others are added.
        var rates = billing.RateCard.ToDictionary(r => r.Role, r => r.Rate);
        Assert.Equal(95m, rates["junior"]);
        Assert.Equal(model == "TimeAndMaterials" ? 180m : 150m, rates["senior"]);
        switch (model)
        {
            case "FixedFee":
                Assert.Equal([InstalmentTrigger.OnSigning, InstalmentTrigger.OnCompletion], billing.Instalments.Select(i => i.Trigger));
                break;
            case "Milestones":
                Assert.Equal(["kickoff", "design", "go-live"], billing.Milestones.Select(m => m.Id));
                break;
            case "TimeAndMaterials":
                Assert.Equal((40_000m, 210m), (billing.NotToExceed, rates["architect"]));
                break;
            case "Retainer":
                Assert.Equal((5_000m, 1_000m, (decimal?)5_000m), (billing.Retainer!.Deposit, billing.Retainer.Threshold, billing.Retainer.Replenishment));
                break;
            case "Subscription":
                Assert.Equal((25m, 40m, SubscriptionInterval.Monthly, "PO-7781"),
                    (billing.Subscription!.Quantity, billing.Subscription.UnitPrice, billing.Subscription.Interval, billing.PurchaseOrder));
                break;
        }
    }

    private static readonly Dictionary<string, Func<GenericDealRequest>> Invalid = new()
    {
        ["milestone percentages short of 100"] = () => ErpRollout("D-1", new()
        {
            Model = "Milestones", Milestones = [new() { Id = "a", Name = "Kickoff", Percent = 30m }, new() { Id = "b", Name = "Design", Percent = 30m }, new() { Id = "c", Name = "Go-live", Percent = 30m }],
        }),
        ["instalment amounts short of the deal"] = () => ErpRollout("D-1", new() { Instalments = [new() { Id = "1", Amount = 9_000m }, new() { Id = "2", Amount = 9_000m }] }),
        ["mixed plan that does not add up"] = () => ErpRollout("D-1", new()
        {
            Milestones = [new() { Id = "deposit", Name = "Deposit", Amount = 2_500m }, new() { Id = "rest", Name = "Rest", Percent = 75m }],
        }),
        ["negative milestone percentage"] = () => ErpRollout("D-1", new()
        {
            Milestones = [new() { Id = "a", Name = "A", Percent = 60m }, new() { Id = "b", Name = "B", Percent = 50m }, new() { Id = "c", Name = "C", Percent = -10m }],
        }),
        ["negative rate"] = () => ErpRollout("D-1", new() { RateCard = [new() { Role = "senior", Rate = -180m }] }),
        ["rate without a role"] = () => ErpRollout("D-1", new() { RateCard = [new() { Role = "senior", Rate = 180m }, new() { Rate = 95m }] }),
        ["negative deposit"] = () => ErpRollout("D-1", new() { Model = "Retainer", Retainer = new() { Deposit = -5_000m } }),
        ["threshold not below the deposit"] = () => ErpRollout("D-1", new() { Model = "Retainer", Retainer = new() { Deposit = 5_000m, Threshold = 6_000m } }),
        ["subscription without a price"] = () => ErpRollout("D-1", new() { Model = "Subscription", Subscription = new() { Quantity = 25 } }),
        ["subscription without seats"] = () => ErpRollout("D-1", new() { Model = "Subscription", Subscription = new() { Quantity = 0, UnitPrice = 40m } }),
        ["instalment on a date without the date"] = () => ErpRollout("D-1", new()
        {
            Instalments = [new() { Id = "1", Percent = 50m }, new() { Id = "2", Percent = 50m, Trigger = "OnDate" }],
        }),
        ["duplicate milestone ids"] = () => ErpRollout("D-1", new()
        {
            Milestones = [new() { Id = "m1", Name = "Kickoff", Percent = 30m }, new() { Id = "m2", Name = "Design", Percent = 30m }, new() { Id = "M1", Name = "Go-live", Percent = 40m }],
        }),
        ["duplicate instalment ids"] = () => ErpRollout("D-1", new() { Instalments = [new() { Id = "1", Percent = 50m }, new() { Id = "1", Percent = 50m }] }),
        ["another currency"] = () => ErpRollout("D-1", new() { Currency = "USD" }),
        ["an id over 200 characters"] = () => ErpRollout("D-1", new() { Milestones = [new() { Id = new string('m', 201), Name = "Everything", Percent = 100m }] }),
        ["negative cap"] = () => ErpRollout("D-1", new() { NotToExceed = -1m }),
        ["models that disagree"] = () => ErpRollout("D-1", new() { Model = "Retainer", Retainer = new() { Deposit = 5_000m } }) with { BillingModel = BillingModel.Subscription },
        ["older parameter that is not a number"] = () => ErpRollout("D-1", null) with
        {
            BillingModel = BillingModel.Retainer, BillingParameters = new() { ["retainer"] = "five thousand" },
        },
    };

    [Theory]
    [InlineData("milestone percentages short of 100", "billing.milestones")]
    [InlineData("instalment amounts short of the deal", "billing.instalments")]
    [InlineData("mixed plan that does not add up", "billing.milestones")]
    [InlineData("negative milestone percentage", "billing.milestones[2].percent")]
    [InlineData("negative rate", "billing.rateCard[0].rate")]
    [InlineData("rate without a role", "billing.rateCard[1].role")]
    [InlineData("negative deposit", "billing.retainer.deposit")]
    [InlineData("threshold not below the deposit", "billing.retainer.threshold")]
    [InlineData("subscription without a price", "billing.subscription.unitPrice")]
    [InlineData("subscription without seats", "billing.subscription.quantity")]
    [InlineData("instalment on a date without the date", "billing.instalments[1].date")]
    [InlineData("duplicate milestone ids", "billing.milestones[2].id")]
    [InlineData("duplicate instalment ids", "billing.instalments[1].id")]
    [InlineData("another currency", "billing.currency")]
    [InlineData("an id over 200 characters", "billing.milestones[0].id")]
    [InlineData("negative cap", "billing.notToExceed")]
    [InlineData("models that disagree", "billing.model")]
    [InlineData("older parameter that is not a number", "billingParameters.retainer")]
    public async Task A_deal_whose_terms_cannot_be_billed_answers_a_validation_problem_and_announces_nothing(string invalid, string field)
    {
        var result = await _harness.IngestAsync(Invalid[invalid]());

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Contains(field, problem.ProblemDetails.Errors.Keys);
        Assert.All(problem.ProblemDetails.Errors.Values.SelectMany(m => m), message => Assert.False(string.IsNullOrWhiteSpace(message)));
        Assert.Empty(_harness.Published<DealWon>());
        Assert.Null(await _harness.GetAsync<IngestedDeal>(IngestedDeal.CollectionName, ProjectsFlow("D-1").ToString("D")));
    }

    [Fact]
    public async Task More_seats_on_an_announced_subscription_are_announced_as_an_expansion_with_the_new_terms()
    {
        var terms = Models["Subscription"];
        await _harness.IngestAsync(ErpRollout("D-SUB", terms, amount: 1_000m));

        var again = await _harness.IngestAsync(ErpRollout("D-SUB", terms, amount: 1_000m));
        var more = await _harness.IngestAsync(ErpRollout("D-SUB", terms with { Subscription = terms.Subscription! with { Quantity = 30 } }, amount: 1_200m));

        Assert.True(Assert.IsType<Ok<DealsApi.IngestResult>>(again.Result).Value!.Duplicate);
        Assert.IsType<Accepted<DealsApi.IngestResult>>(more.Result);
        Assert.Single(_harness.Published<DealWon>());
        var changed = Assert.Single(_harness.Published<DealChanged>());
        Assert.Equal((ProjectsFlow("D-SUB"), 1_200m, true), (changed.FlowId, changed.Amount, changed.IsExpansion));
        Assert.Equal((30m, BillingModel.Subscription), (changed.Billing!.Subscription!.Quantity, changed.Billing.Model));
    }

    [Fact]
    public async Task Time_in_a_role_on_neither_rate_card_is_refused_and_time_in_a_known_role_carries_it()
    {
        await _harness.IngestAsync(ErpRollout("D-TM", Models["TimeAndMaterials"]));
        TimeEntryRequest Entry(string id, string? role) => new("projects", id, "ana@harbour-pine.test", new DateOnly(2026, 3, 2), 6.5m, true, null, "Design workshop", role);

        var unknown = await _harness.LogTimeAsync("D-TM", Entry("T-1", "partner"));
        var architect = await _harness.LogTimeAsync("D-TM", Entry("T-2", "architect"));
        var junior = await _harness.LogTimeAsync("D-TM", Entry("T-3", "Junior"));

        var problem = Assert.IsType<ValidationProblem>(unknown.Result);
        Assert.Contains("partner", Assert.Single(problem.ProblemDetails.Errors["role"]));
        Assert.IsType<Accepted<DealsApi.EventResult>>(architect.Result);
        Assert.IsType<Accepted<DealsApi.EventResult>>(junior.Result);
        Assert.Equal([("T-2", "architect"), ("T-3", "Junior")], _harness.Published<TimeEntryLogged>().Select(t => (t.EntryId, t.Role)).Order());
    }

    [Fact]
    public async Task Time_entries_with_no_hours_or_an_overlong_id_are_refused()
    {
        var noHours = await _harness.LogTimeAsync("D-TM", new TimeEntryRequest("projects", "T-1", "ana@harbour-pine.test", new DateOnly(2026, 3, 2), -2m, true, null, null));
        var longId = await _harness.LogTimeAsync("D-TM", new TimeEntryRequest("projects", new string('t', 201), "ana@harbour-pine.test", new DateOnly(2026, 3, 2), 2m, true, null, null));

        Assert.Contains("hours", Assert.IsType<ValidationProblem>(noHours.Result).ProblemDetails.Errors.Keys);
        Assert.Contains("entryId", Assert.IsType<ValidationProblem>(longId.Result).ProblemDetails.Errors.Keys);
        Assert.Empty(_harness.Published<TimeEntryLogged>());
    }

    [Fact]
    public async Task A_reopened_deal_posted_again_is_announced_again()
    {
        await _harness.IngestAsync(ErpRollout("D-RE", Models["Retainer"]));
        await _harness.CallAsync(sp => DealsApi.ChangeStatus(Tenant, "D-RE", "reopened", new DealStatusRequest("projects", null), sp.GetRequiredService<IUnitOfWork>(),
            _harness.Time, Ct));

        var wonAgain = await _harness.IngestAsync(ErpRollout("D-RE", Models["Retainer"]));

        Assert.IsType<Accepted<DealsApi.IngestResult>>(wonAgain.Result);
        Assert.Equal(2, _harness.Published<DealWon>().Count);
    }
}
