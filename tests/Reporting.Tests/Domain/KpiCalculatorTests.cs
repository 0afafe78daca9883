using QuoteToCash.Reporting.Apis;
using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Domain.ReadModels;

namespace QuoteToCash.Reporting.Tests.Domain;

/// <summary>The KPI calculations on hand-made read models: the parts the quarter scenario does not exercise.</summary>
public sealed class KpiCalculatorTests
{
    private static readonly DateTimeOffset AsOf = new(2026, 4, 1, 0, 0, 0, TimeSpan.Zero);

    private static DateTimeOffset At(int month, int day, int hour = 9) => new(2026, month, day, hour, 0, 0, TimeSpan.Zero);

    private static KpiQuery Q1(string? region = null) => new(new DateOnly(2026, 1, 1), new DateOnly(2026, 3, 31), null, region, AsOf);

    private static DealFact Deal(int n, decimal amount, DateTimeOffset won, string model = "FixedFee", string region = "UK") => new()
    {
        FlowId = Guid.Parse($"00000000-0000-0000-0000-{n:D12}"), DealName = $"Deal {n}", WonAmount = amount, Amount = amount, WonAt = won, BillingModel = model,
        Region = region, BusinessUnit = "Consulting",
    };

    private static InvoiceFact Invoice(DealFact deal, decimal total, DateOnly date, DateOnly due) => new()
    {
        InvoiceId = Guid.NewGuid(), FlowId = deal.FlowId, Total = total, InvoiceDate = date, DueDate = due,
        PostedAt = new DateTimeOffset(date.ToDateTime(new TimeOnly(8, 0)), TimeSpan.Zero),
    };

    [Fact]
    public void The_bridge_puts_scope_changes_voids_credits_and_write_offs_in_their_categories()
    {
        var a = Deal(1, 10_000m, At(2, 2));
        a.Changes.Add(new DealChangeFact { At = At(2, 20), AmountBefore = 10_000m, AmountAfter = 12_000m });
        var invoice = Invoice(a, 10_000m, new DateOnly(2026, 2, 3), new DateOnly(2026, 3, 5));
        invoice.Credits.Add(new CreditFact { Id = "cm", At = At(2, 10), Amount = 400m, Applied = 400m });
        invoice.Credits.Add(new CreditFact { Id = "wo", At = At(2, 25), Amount = 100m, Applied = 100m, WriteOff = true });
        var voided = Invoice(a, 2_000m, new DateOnly(2026, 2, 21), new DateOnly(2026, 3, 21));
        voided.VoidedAt = At(2, 26);
        invoice.Payments.Add(new MoneyMovementFact { Id = "p", At = At(2, 27), Amount = 5_000m });

        var february = new KpiCalculator(new KpiData([a], [invoice, voided], [], []), Q1()).Bridge().Months[1];

        // Bookings 10,000 + scope 2,000 = 12,000. Billed: 10,000 + 2,000 invoiced − 2,000 voided − 400 credited = 9,600.
        // Booked → billed −2,400 = scope −2,000, churn (void) −2,000, pricing (credit) −400, timing +2,000 (the rest).
        // Collected 5,000; billed → collected −4,600 = churn (write-off) −100, timing −4,500.
        Assert.Equal((12_000m, 9_600m, 5_000m), (february.Bookings, february.Billed, february.Collected));
        Assert.Equal(new VarianceView(-2_400m, 2_000m, -2_000m, -2_000m, -400m), february.BookingsToBilled);
        Assert.Equal(new VarianceView(-4_600m, -4_500m, 0m, -100m, 0m), february.BilledToCollected);
    }

    [Fact]
    public void Sync_exceptions_are_counted_per_iso_week_and_the_open_ones_aged()
    {
        var deal = Deal(1, 1_000m, At(1, 5));
        ExceptionFact Exception(string key, DateTimeOffset opened, DateTimeOffset? resolved, string kind = "Validation") =>
            new() { Key = key, FlowId = deal.FlowId, Kind = kind, OpenedAt = opened, SlaDue = opened.AddDays(2), ResolvedAt = resolved };
        // Opened Tue 03-17 and resolved Thu 03-19 (2 days); opened Wed 03-25, open; opened 02-20, open; one without a flow.
        var exceptions = new[]
        {
            Exception("a", At(3, 17), At(3, 19)), Exception("b", At(3, 25), null, "ManualEditConflict"), Exception("c", At(2, 20), null),
            new ExceptionFact { Key = "d", Kind = "Validation", OpenedAt = At(3, 30), SlaDue = At(4, 1) },
        };

        var view = new KpiCalculator(new KpiData([deal], [], [], exceptions), Q1()).SyncExceptions();

        // Weeks start on Monday: 2025-12-29 … 2026-03-30 → 14 weeks.
        Assert.Equal((14, new DateOnly(2025, 12, 29)), (view.PerWeek.Count, view.PerWeek[0].WeekStart));
        Assert.Equal(new WeeklyExceptionsView(new DateOnly(2026, 3, 16), 1, 1, 1), view.PerWeek.Single(w => w.WeekStart == new DateOnly(2026, 3, 16)));
        // Open at 03-31: b (6 days), c (39 days), d (1 day) → 0-2: 1, 3-7: 1, 31+: 1; mean (6 + 39 + 1) ÷ 3 = 15.33.
        Assert.Equal(3, view.OpenAtEnd);
        Assert.Equal(new[] { 1, 1, 0, 1 }, view.OpenAging.Select(b => b.Count));
        Assert.Equal(15.33m, view.MeanOpenAgeDays);
        Assert.Equal(new DurationPercentilesView(1, 2m, 2m, 2m), view.TimeToResolve);
        // By kind, most first; b (due 03-27) and c (due 02-22) are past their SLA at 03-31, d (due 04-01) is not.
        Assert.Equal([new CountBucketView("Validation", 2), new CountBucketView("ManualEditConflict", 1)], view.OpenByKind);
        Assert.Equal(2, view.OpenPastSla);
        // With a region filter the exception without a flow is left out.
        Assert.Equal(2, new KpiCalculator(new KpiData([deal], [], [], exceptions), Q1("UK")).SyncExceptions().OpenAtEnd);
    }

    [Fact]
    public void Duplicate_rate_and_approval_turnaround_count_what_happened_in_the_range()
    {
        var deal = Deal(1, 1_000m, At(1, 5));
        var customers = new[]
        {
            new CustomerFact { CustomerId = Guid.NewGuid(), FirstSeenAt = At(1, 5), FirstFlowId = deal.FlowId, DuplicateFlaggedAt = At(1, 5) },
            new CustomerFact { CustomerId = Guid.NewGuid(), FirstSeenAt = At(2, 5), FirstFlowId = deal.FlowId },
            new CustomerFact { CustomerId = Guid.NewGuid(), FirstSeenAt = At(3, 5), FirstFlowId = deal.FlowId },
            new CustomerFact { CustomerId = Guid.NewGuid(), FirstSeenAt = new DateTimeOffset(2025, 12, 5, 0, 0, 0, TimeSpan.Zero), DuplicateFlaggedAt = At(1, 5) },
            // Merged in the range (a customer of last year's) and merged before it.
            new CustomerFact { CustomerId = Guid.NewGuid(), FirstSeenAt = new DateTimeOffset(2025, 11, 5, 0, 0, 0, TimeSpan.Zero), MergedAt = At(2, 10) },
            new CustomerFact { CustomerId = Guid.NewGuid(), FirstSeenAt = new DateTimeOffset(2025, 11, 6, 0, 0, 0, TimeSpan.Zero), MergedAt = new DateTimeOffset(2025, 12, 1, 0, 0, 0, TimeSpan.Zero) },
        };
        var approved = Invoice(deal, 500m, new DateOnly(2026, 1, 6), new DateOnly(2026, 2, 5));
        (approved.ApprovalRequestedAt, approved.ApprovalDecidedAt) = (At(1, 6, 9), At(1, 7, 21));
        approved.ApprovalDecision = "Approved";
        var rejected = Invoice(deal, 700m, new DateOnly(2026, 2, 2), new DateOnly(2026, 3, 4));
        (rejected.ApprovalRequestedAt, rejected.ApprovalDecidedAt, rejected.ApprovalDecision) = (At(2, 2, 9), At(2, 3, 9), "Rejected");
        var pending = Invoice(deal, 500m, new DateOnly(2026, 3, 30), new DateOnly(2026, 4, 29));
        pending.ApprovalRequestedAt = At(3, 30);

        var calculator = new KpiCalculator(new KpiData([deal], [approved, rejected, pending], customers, []), Q1());

        // 3 customers first seen in Q1, 1 of them flagged → 33.33 %; one merge made in Q1.
        Assert.Equal(new DuplicateCustomersView(3, 1, 1, 33.33m), calculator.DuplicateCustomers());
        // 3 requested, 2 decided (1.50 days to approve, 1.00 day to reject), 1 pending. Nearest rank: p50 1.00, p90 1.50, mean 1.25.
        Assert.Equal(new ApprovalTurnaroundView(3, 2, 1, new DurationPercentilesView(2, 1.00m, 1.50m, 1.25m), 1, 1), calculator.ApprovalTurnaround());
    }

    [Fact]
    public void Retainer_deferral_is_invoiced_less_billable_time_and_standing_follows_the_oldest_overdue_balance()
    {
        var retainer = Deal(1, 5_000m, At(1, 5), "Retainer");
        retainer.CustomerId = Guid.NewGuid();
        retainer.RoleRates["senior"] = 200m;
        retainer.TimeEntries.Add(new TimeEntryFact { EntryId = "1", Person = "ana", Role = "senior", Date = new DateOnly(2026, 2, 1), Hours = 10m, Billable = true });
        retainer.TimeEntries.Add(new TimeEntryFact { EntryId = "2", Person = "ben", Date = new DateOnly(2026, 2, 2), Hours = 5m, Billable = true, Rate = 120m });
        retainer.TimeEntries.Add(new TimeEntryFact { EntryId = "3", Person = "ben", Date = new DateOnly(2026, 2, 3), Hours = 7m, Billable = false, Rate = 120m });
        var deposit = Invoice(retainer, 5_000m, new DateOnly(2026, 1, 5), new DateOnly(2026, 2, 4));
        deposit.CustomerId = retainer.CustomerId;
        deposit.Payments.Add(new MoneyMovementFact { Id = "p", At = At(3, 20), Amount = 1_000m });

        var calculator = new KpiCalculator(new KpiData([retainer], [deposit], [], []), Q1());

        // Deposit 5,000 − billable time 10 h × 200 (role rate) − 5 h × 120 (entry rate) = 2,400 deferred.
        var deferred = calculator.DeferredBalances();
        Assert.Equal((2_400m, 0m, 2_400m), (deferred.Retainers, deferred.PrepaidSubscriptions, deferred.Total));
        // 4,000 open, due 02-04: 55 days past due at 03-31 → "Past due 30+"; last payment 03-20.
        var account = Assert.Single(calculator.AccountStanding().Accounts);
        Assert.Equal(("Past due 30+", 4_000m, 4_000m, 55, new DateOnly(2026, 3, 20), "Unsegmented"),
            (account.Standing, account.OpenBalance, account.OverdueBalance, account.OldestDaysPastDue, account.LastPaymentDate, account.Segment));
    }

    [Fact]
    public void Targets_progress_compares_today_with_the_straight_line_from_baseline_to_target()
    {
        var target = new KpiTarget { BaselineValue = 10m, BaselineDate = new DateOnly(2026, 1, 1), TargetValue = 2m, TargetBy = new DateOnly(2026, 3, 2) };
        // 30 of 60 days gone: on track from 50 % progress. Today 6 → (10 − 6) ÷ 8 = 50 %; today 7 → 37.5 %, behind.
        Assert.Equal((50.00m, true), KpiMetrics.Progress(target, 6m, new DateOnly(2026, 1, 31)));
        Assert.Equal((37.50m, false), KpiMetrics.Progress(target, 7m, new DateOnly(2026, 1, 31)));
        Assert.Equal((null, null), KpiMetrics.Progress(target, null, new DateOnly(2026, 1, 31)));
    }
}
