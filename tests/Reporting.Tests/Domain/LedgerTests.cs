using QuoteToCash.Reporting.Domain.Kpis;
using QuoteToCash.Reporting.Domain.ReadModels;

namespace QuoteToCash.Reporting.Tests.Domain;

/// <summary>The day-by-day ledger gives, for every day, what a scan of every invoice gives.</summary>
public sealed class LedgerTests
{
    private static readonly DateOnly Start = new(2026, 1, 1);

    private static DateTimeOffset On(int day) => new(Start.AddDays(day).ToDateTime(new TimeOnly(10, 0)), TimeSpan.Zero);

    private static List<InvoiceFact> RandomInvoices(int seed)
    {
        var random = new Random(seed);
        var invoices = new List<InvoiceFact>();
        for (var n = 0; n < 300; n++)
        {
            var date = random.Next(0, 80);
            var total = random.Next(1, 50) * 100m;
            var invoice = new InvoiceFact
            {
                InvoiceId = Guid.NewGuid(), Total = total, InvoiceDate = random.Next(20) == 0 ? null : Start.AddDays(date), DueDate = Start.AddDays(date + 30),
                PostedAt = random.Next(25) == 0 ? null : On(date), VoidedAt = random.Next(15) == 0 ? On(date + random.Next(-3, 40)) : null,
            };
            for (var p = random.Next(0, 4); p > 0; p--)
                invoice.Payments.Add(new MoneyMovementFact { Id = $"p{p}", At = On(date + random.Next(-5, 90)), Amount = random.Next(1, 30) * 100m });
            if (random.Next(6) == 0)
                invoice.Reversals.Add(new MoneyMovementFact { Id = "r", At = On(date + random.Next(0, 90)), Amount = 100m });
            if (random.Next(5) == 0)
                invoice.Credits.Add(new CreditFact { Id = "c", At = On(date + random.Next(0, 60)), Amount = 300m, Applied = 300m, WriteOff = random.Next(3) == 0 });
            invoices.Add(invoice);
        }
        return invoices;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Receivables_sales_and_cash_on_every_day_equal_a_scan_of_the_invoices(int seed)
    {
        var invoices = RandomInvoices(seed);
        var ledger = new Ledger(invoices);

        for (var day = Start.AddDays(-10); day <= Start.AddDays(200); day = day.AddDays(1))
        {
            Assert.Equal(invoices.Sum(i => Money.BalanceAt(i, day)), ledger.ReceivablesAt(day));
            var from = day.AddDays(-30);
            var receivable = invoices.Where(Money.IsReceivable).ToList();
            var sales = receivable.Where(i => i.InvoiceDate >= from && i.InvoiceDate <= day).Sum(i => i.Total)
                - receivable.Where(i => i.VoidedAt is { } v && Money.Day(v) >= from && Money.Day(v) <= day).Sum(i => i.Total)
                - receivable.Sum(i => Money.CreditsIn(i, from, day, writeOffs: false));
            Assert.Equal(sales, ledger.SalesIn(from, day));
            Assert.Equal(invoices.Sum(i => Money.CashIn(i, from, day)), ledger.CashIn(from, day));
        }
    }

    [Fact]
    public void Nearest_rank_percentiles_are_observed_values()
    {
        decimal[] values = [1m, 2m, 3m, 4m, 5m, 6m, 7m, 8m, 9m, 10m];
        Assert.Equal((5m, 9m, 10m), (Money.Percentile(values, 50), Money.Percentile(values, 90), Money.Percentile(values, 100)));
        Assert.Null(Money.Percentile([], 50));
    }
}
