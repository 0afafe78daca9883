using QuoteToCash.DemoHistory.Domain;

namespace QuoteToCash.DemoHistory.Tests;

public sealed class PaymentBehaviourTests
{
    private static readonly DateOnly Invoiced = new(2026, 6, 1);
    private static readonly DateOnly Due = new(2026, 7, 1);

    private static IEnumerable<string> Invoices => Enumerable.Range(1, 200).Select(i => $"demo:{i}");

    [Fact]
    public void The_same_invoice_is_always_paid_the_same_way()
    {
        foreach (var payer in Enum.GetValues<PayerProfile>())
            Assert.Equal(PaymentBehaviour.For(12, "demo:7", payer, Invoiced, Due, 1_000m), PaymentBehaviour.For(12, "demo:7", payer, Invoiced, Due, 1_000m));
    }

    [Fact]
    public void On_time_payers_mostly_pay_within_the_terms_and_late_ones_after_them()
    {
        var onTime = Invoices.Select(i => PaymentBehaviour.For(12, i, PayerProfile.OnTime, Invoiced, Due, 1_000m).Single()).ToList();
        var late = Invoices.Select(i => PaymentBehaviour.For(12, i, PayerProfile.Late, Invoiced, Due, 1_000m).Single()).ToList();

        Assert.All(onTime, p => Assert.True(p.On > Invoiced && p.Amount == 1_000m && p.Rest));
        Assert.InRange(onTime.Count(p => p.On <= Due), 150, 199);
        Assert.Contains(onTime, p => p.On > Due);
        Assert.All(late, p => Assert.True(p.On > Due.AddDays(7)));
        Assert.All(onTime.Concat(late), p => Assert.True(HistoryCalendar.IsBusinessDay(p.On)));
    }

    [Fact]
    public void Partial_payers_pay_part_within_the_terms_and_the_rest_late_adding_up_to_the_total()
    {
        foreach (var invoice in Invoices)
        {
            var payments = PaymentBehaviour.For(12, invoice, PayerProfile.Partial, Invoiced, Due, 1_234.57m);

            Assert.Equal(2, payments.Count);
            Assert.Equal(1_234.57m, payments.Sum(p => p.Amount));
            Assert.InRange(payments[0].Amount, 400m, 900m);
            Assert.False(payments[0].Rest);
            Assert.True(payments[1].Rest);
            Assert.True(payments[0].On <= Due.AddDays(2) && payments[1].On > Due);
        }
    }

    [Fact]
    public void Slow_payers_leave_invoices_open_for_months_and_nothing_is_owed_on_a_zero_invoice()
    {
        Assert.All(Invoices, i => Assert.True(PaymentBehaviour.For(12, i, PayerProfile.Slow, Invoiced, Due, 500m).Single().On >= Due.AddDays(60)));
        Assert.Empty(PaymentBehaviour.For(12, "demo:1", PayerProfile.OnTime, Invoiced, Due, 0m));
    }
}
