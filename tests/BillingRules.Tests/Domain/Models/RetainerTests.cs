using QuoteToCash.BillingRules.Domain;
using QuoteToCash.Contracts;
using static QuoteToCash.BillingRules.Tests.Domain.Models.Deals;

namespace QuoteToCash.BillingRules.Tests.Domain.Models;

public sealed class RetainerTests
{
    private static BillingTerms Terms(decimal threshold = 2_000m, decimal? replenishment = 5_000m) => new()
    {
        Model = BillingModel.Retainer,
        Period = BillingPeriod.Monthly,
        RateCard = [Rate("senior", 125m)],
        Retainer = new RetainerTerms { Deposit = 10_000m, Threshold = threshold, Replenishment = replenishment },
    };

    private static void Log(ContractLedger ledger, string id, DateOnly date, decimal hours) =>
        Assert.Empty(BillingContract.LogTime(ledger, Time(id, "Ana Ruiz", "senior", date, hours), date).Due);

    private static void AssertBalanced(RetainerAccount account) => Assert.Equal(account.Deposited, account.DrawnDown + account.Balance);

    [Fact]
    public void Activation_bills_the_deposit_once_and_puts_it_on_the_balance()
    {
        var ledger = Start(Terms());

        var activated = BillingContract.Activate(ledger, D(3, 2));
        var again = BillingContract.Activate(ledger, D(3, 3));

        var deposit = activated.Due.Single();
        Assert.Equal(("retainer:deposit", ChargeKind.RetainerDeposit, D(3, 2), 10_000m), (deposit.Key, deposit.Kind, deposit.BillOn, deposit.Total));
        Assert.Equal("Contoso ERP rollout: retainer deposit", deposit.Lines.Single().Description);
        Assert.Empty(again.Due);
        Assert.Equal((10_000m, 10_000m, 0m), (ledger.Retainer!.Balance, ledger.Retainer.Deposited, ledger.Retainer.DrawnDown));
    }

    [Fact]
    public void Time_at_the_period_close_draws_the_balance_down_without_an_invoice()
    {
        var ledger = Start(Terms());
        BillingContract.Activate(ledger, D(3, 2));
        Log(ledger, "a", D(3, 10), 40m);

        var closed = BillingContract.Advance(ledger, D(4, 1));

        Assert.Empty(closed.Due);
        var account = ledger.Retainer!;
        Assert.Equal((5_000m, 5_000m), (account.Balance, account.DrawnDown));
        var drawdown = account.Entries.Last();
        Assert.Equal((D(4, 1), RetainerEntryKind.Drawdown, 5_000m, 5_000m, "tm:2026-03-01"), (drawdown.Date, drawdown.Kind, drawdown.Amount, drawdown.BalanceAfter, drawdown.Reference));
        Assert.Equal(TimeEntryStatus.DrawnDown, ledger.TimeEntries.Single().Status);
        AssertBalanced(account);
    }

    [Fact]
    public void Below_the_threshold_a_replenishment_is_billed_and_raises_the_balance()
    {
        var ledger = Start(Terms(threshold: 6_000m));
        BillingContract.Activate(ledger, D(3, 2));
        Log(ledger, "a", D(3, 10), 40m);

        var closed = BillingContract.Advance(ledger, D(4, 1));

        var replenishment = closed.Due.Single();
        Assert.Equal(("retainer:replenishment:2026-03-01", ChargeKind.RetainerReplenishment, D(4, 1), 5_000m),
            (replenishment.Key, replenishment.Kind, replenishment.BillOn, replenishment.Total));
        Assert.Equal(10_000m, ledger.Retainer!.Balance);
        Assert.Equal([RetainerEntryKind.Deposit, RetainerEntryKind.Drawdown, RetainerEntryKind.Replenishment], ledger.Retainer.Entries.Select(e => e.Kind));
        Assert.Equal([10_000m, 5_000m, 10_000m], ledger.Retainer.Entries.Select(e => e.BalanceAfter));
        AssertBalanced(ledger.Retainer);
    }

    [Fact]
    public void Without_a_replenishment_amount_the_deposit_is_billed_again()
    {
        var ledger = Start(Terms(threshold: 6_000m, replenishment: null));
        BillingContract.Activate(ledger, D(3, 2));
        Log(ledger, "a", D(3, 10), 40m);

        Assert.Equal(10_000m, BillingContract.Advance(ledger, D(4, 1)).Due.Single().Total);
    }

    [Fact]
    public void Time_beyond_the_balance_is_overage_on_its_own_invoice_then_the_retainer_is_replenished()
    {
        var ledger = Start(Terms());
        BillingContract.Activate(ledger, D(3, 2));
        Log(ledger, "a", D(3, 10), 40m);
        BillingContract.Advance(ledger, D(4, 1));
        Log(ledger, "b", D(4, 10), 44m);

        var closed = BillingContract.Advance(ledger, D(5, 1));

        // 44 h × 125 = 5,500 against a balance of 5,000: 500 (4 h) is overage; the balance is then 0, below 2,000.
        Assert.Equal([("retainer:overage:2026-04-01", D(5, 1), 500m), ("retainer:replenishment:2026-04-01", D(5, 1), 5_000m)], closed.Summary());
        var overage = closed.Due[0];
        Assert.Equal(ChargeKind.RetainerOverage, overage.Kind);
        var line = overage.Lines.Single();
        Assert.Equal(("Ana Ruiz (senior)", 4m, 125m, D(4, 1), D(4, 30)), (line.Description, line.Quantity, line.UnitPrice, line.ServiceFrom!.Value, line.ServiceTo!.Value));
        Assert.Single(overage.Notes);
        var account = ledger.Retainer!;
        Assert.Equal((15_000m, 10_000m, 5_000m), (account.Deposited, account.DrawnDown, account.Balance));
        AssertBalanced(account);
        Assert.Equal(15_500m, ledger.Billed);
    }

    [Fact]
    public void Completion_draws_the_last_short_period_and_does_not_replenish()
    {
        var ledger = Start(Terms());
        BillingContract.Activate(ledger, D(3, 2));
        Log(ledger, "a", D(3, 10), 70m);

        var completed = BillingContract.Complete(ledger, D(3, 20));

        Assert.Empty(completed.Due);
        Assert.Equal(1_250m, ledger.Retainer!.Balance);
        Assert.Contains("1,250.00 GBP", Assert.Single(completed.Alerts));
        Assert.True(BillingContract.IsFullyBilled(ledger));
    }
}
