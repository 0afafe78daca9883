using QuoteToCash.Contracts;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

/// <summary>
/// The rules every deal's billing terms meet before they are announced, whichever way the deal came in. The deals are
/// the consulting firm's: an 18,500 GBP ERP rollout for Contoso, billed in one of the five ways.
/// </summary>
public class BillingTermsRulesTests
{
    private const decimal DealAmount = 18_500m;
    private const string Currency = "GBP";

    private static IReadOnlyList<TermsViolation> Validate(BillingTerms terms, decimal amount = DealAmount) => BillingTermsRules.Validate(terms, Currency, amount);

    private static MilestoneTerm Milestone(string id, decimal? percent = null, decimal? amount = null) =>
        new() { Id = id, Name = id.ToUpperInvariant(), Percent = percent, Amount = amount };

    public static readonly TheoryData<string> BillableModels = new() { "fixed fee split", "milestones", "time and materials", "retainer", "subscription" };

    private static BillingTerms Billable(string model) => model switch
    {
        "fixed fee split" => new BillingTerms
        {
            Model = BillingModel.FixedFee,
            Instalments =
            [
                new FeeInstalment { Id = "1", Percent = 50m, Trigger = InstalmentTrigger.OnSigning },
                new FeeInstalment { Id = "2", Percent = 50m, Trigger = InstalmentTrigger.OnCompletion },
            ],
        },
        "milestones" => new BillingTerms { Model = BillingModel.Milestones, Milestones = [Milestone("kickoff", 30m), Milestone("design", 30m), Milestone("go-live", 40m)] },
        "time and materials" => new BillingTerms
        {
            Model = BillingModel.TimeAndMaterials, NotToExceed = 40_000m, Period = BillingPeriod.Biweekly,
            RateCard = [new RateCardEntry { Role = "senior", Rate = 180m }, new RateCardEntry { Role = "senior", Person = "ana@harbour-pine.test", Rate = 200m }],
        },
        "retainer" => new BillingTerms { Model = BillingModel.Retainer, Retainer = new RetainerTerms { Deposit = 5_000m, Threshold = 1_000m } },
        "subscription" => new BillingTerms { Model = BillingModel.Subscription, Subscription = new SubscriptionTerms { Quantity = 25, UnitPrice = 40m } },
        _ => throw new ArgumentOutOfRangeException(nameof(model)),
    };

    [Theory]
    [MemberData(nameof(BillableModels))]
    public void Terms_of_each_model_that_add_up_are_billable(string model) => Assert.Empty(Validate(Billable(model)));

    [Fact]
    public void Milestone_percentages_must_add_up_to_100()
    {
        var violation = Assert.Single(Validate(new BillingTerms { Milestones = [Milestone("a", 30m), Milestone("b", 30m), Milestone("c", 30m)] }));

        Assert.Equal("billing.milestones", violation.Field);
        Assert.Contains("90 %", violation.Message);
    }

    [Fact]
    public void Instalment_amounts_must_add_up_to_the_deal_amount()
    {
        FeeInstalment[] parts = [new() { Id = "1", Amount = 9_000m }, new() { Id = "2", Amount = 9_000m, Trigger = InstalmentTrigger.OnCompletion }];

        var violation = Assert.Single(Validate(new BillingTerms { Instalments = parts }));
        Assert.Equal("billing.instalments", violation.Field);
        Assert.Contains("18,000.00 GBP", violation.Message);
        Assert.Empty(Validate(new BillingTerms { Instalments = parts }, amount: 18_000m));
    }

    [Fact]
    public void A_plan_may_mix_amounts_and_percentages_when_together_they_make_the_deal_amount()
    {
        // 2,500 upfront and 75 % of 18,500 (13,875) make 16,375: 2,125 short. 86.48649 % of 18,500 is 16,000.00065, which rounds to 16,000.00.
        Assert.Equal("billing.milestones", Assert.Single(Validate(new BillingTerms { Milestones = [Milestone("deposit", amount: 2_500m), Milestone("rest", 75m)] })).Field);
        Assert.Empty(Validate(new BillingTerms { Milestones = [Milestone("deposit", amount: 2_500m), Milestone("rest", 86.48649m)] }));
        Assert.Empty(Validate(new BillingTerms { Milestones = [Milestone("deposit", amount: 4_625m), Milestone("rest", 75m)] }));
    }

    [Fact]
    public void A_part_gives_a_percentage_or_an_amount_and_neither_may_be_negative()
    {
        var violations = Validate(new BillingTerms
        {
            Milestones = [Milestone("both", 50m, 9_250m), Milestone("neither"), Milestone("negative", -10m), new MilestoneTerm { Id = "big", Name = "Big", Percent = 120m }],
        });

        Assert.Equal(["billing.milestones[0]", "billing.milestones[1].percent", "billing.milestones[2].percent", "billing.milestones[3].percent"],
            violations.Select(v => v.Field).Order());
        Assert.Contains("cannot be negative", violations.Single(v => v.Field == "billing.milestones[2].percent").Message);
    }

    [Fact]
    public void Milestone_and_instalment_ids_are_required_unique_and_at_most_200_characters()
    {
        var violations = Validate(new BillingTerms
        {
            Milestones = [Milestone(new string('m', 201), 30m), Milestone("design", 30m), Milestone("Design", 40m)],
            Instalments = [new FeeInstalment { Id = "1", Percent = 50m }, new FeeInstalment { Id = "1", Percent = 50m }, new FeeInstalment { Id = " ", Percent = 0.5m }],
        });

        Assert.Contains(violations, v => v.Field == "billing.milestones[0].id" && v.Message.Contains("200"));
        Assert.Contains(violations, v => v.Field == "billing.milestones[2].id" && v.Message.Contains("unique"));
        Assert.Contains(violations, v => v.Field == "billing.instalments[1].id" && v.Message.Contains("unique"));
        Assert.Contains(violations, v => v.Field == "billing.instalments[2].id");
    }

    [Fact]
    public void An_instalment_on_a_date_needs_the_date_and_only_that_trigger_uses_one()
    {
        var violations = Validate(new BillingTerms
        {
            Instalments =
            [
                new FeeInstalment { Id = "1", Percent = 50m, Trigger = InstalmentTrigger.OnDate },
                new FeeInstalment { Id = "2", Percent = 50m, Trigger = InstalmentTrigger.OnCompletion, Date = new DateOnly(2027, 1, 31) },
            ],
        });

        Assert.Equal(["billing.instalments[0].date", "billing.instalments[1].trigger"], violations.Select(v => v.Field));
    }

    [Fact]
    public void Rates_need_a_role_cannot_be_negative_and_a_role_has_one_rate()
    {
        var violations = Validate(new BillingTerms
        {
            RateCard =
            [
                new RateCardEntry { Role = "senior", Rate = -5m },
                new RateCardEntry { Role = "", Rate = 95m },
                new RateCardEntry { Role = "Senior", Rate = 150m },
            ],
        });

        Assert.Equal(["billing.rateCard[0].rate", "billing.rateCard[1].role", "billing.rateCard[2]"], violations.Select(v => v.Field).Order());
    }

    [Fact]
    public void A_retainer_needs_a_deposit_above_its_threshold()
    {
        Assert.Equal("billing.retainer.threshold",
            Assert.Single(Validate(new BillingTerms { Model = BillingModel.Retainer, Retainer = new RetainerTerms { Deposit = 5_000m, Threshold = 5_000m } })).Field);
        Assert.Equal("billing.retainer.deposit",
            Assert.Single(Validate(new BillingTerms { Model = BillingModel.Retainer, Retainer = new RetainerTerms { Deposit = -5_000m, Threshold = 0m } })).Field);
        Assert.Equal("billing.retainer", Assert.Single(Validate(new BillingTerms { Model = BillingModel.Retainer })).Field);
    }

    [Fact]
    public void A_subscription_needs_a_positive_price_and_quantity()
    {
        var violations = Validate(new BillingTerms { Model = BillingModel.Subscription, Subscription = new SubscriptionTerms { Quantity = 0m, UnitPrice = 0m } });

        Assert.Equal(["billing.subscription.quantity", "billing.subscription.unitPrice"], violations.Select(v => v.Field).Order());
        Assert.Equal("billing.subscription", Assert.Single(Validate(new BillingTerms { Model = BillingModel.Subscription })).Field);
    }

    [Fact]
    public void The_terms_are_in_the_deal_s_currency()
    {
        Assert.Equal("billing.currency", Assert.Single(Validate(Billable("milestones") with { Currency = "USD" })).Field);
        Assert.Empty(Validate(Billable("milestones") with { Currency = "gbp" }));
    }

    [Fact]
    public void A_not_to_exceed_cap_is_positive() =>
        Assert.Equal("billing.notToExceed", Assert.Single(Validate(Billable("time and materials") with { NotToExceed = -1m })).Field);

    [Fact]
    public void The_tenant_s_rates_go_under_the_deal_s_and_the_deal_s_win_per_role_and_person()
    {
        RateCardEntry[] deal = [new() { Role = "senior", Rate = 180m }, new() { Role = "senior", Person = "ana@harbour-pine.test", Rate = 200m }];
        RateCardEntry[] tenant = [new() { Role = "Senior", Rate = 150m }, new() { Role = "junior", Rate = 95m }, new() { Role = "senior", Person = "omar@harbour-pine.test", Rate = 170m }];

        var merged = BillingTermsRules.MergeRateCards(deal, tenant);

        Assert.Equal([("senior", null, 180m), ("senior", "ana@harbour-pine.test", 200m), ("junior", null, 95m), ("senior", "omar@harbour-pine.test", 170m)],
            merged.Select(r => (r.Role, r.Person, r.Rate)));
    }
}
