namespace QuoteToCash.DemoHistory.Domain;

/// <summary>A payment the customer makes on an invoice: the day and the amount (the rest of the balance when <see cref="Rest"/>).</summary>
public sealed record PlannedPayment(DateOnly On, decimal Amount, bool Rest);

/// <summary>
/// When and how a customer pays one invoice, decided from the seed, the invoice and the customer's habit alone, so the
/// same invoice is paid the same way on every run and on every day the player looks at it. Payments fall on working days.
/// </summary>
public static class PaymentBehaviour
{
    public static IReadOnlyList<PlannedPayment> For(int seed, string invoiceKey, PayerProfile payer, DateOnly invoiceDate, DateOnly dueDate, decimal total)
    {
        if (total <= 0)
            return [];
        var random = new Random(StableHash.Of(seed, "payment", invoiceKey));
        var terms = Math.Max(1, dueDate.DayNumber - invoiceDate.DayNumber);
        DateOnly Day(DateOnly from, int min, int max) => HistoryCalendar.OnOrAfter(from.AddDays(random.Next(min, max + 1)));
        switch (payer)
        {
            case PayerProfile.OnTime:
                // Most within the terms (a working day may push one past the due date), a few a little late.
                return [new PlannedPayment(random.Next(100) < 85 ? Day(invoiceDate, Math.Min(3, terms - 1), Math.Max(3, terms - 3)) : Day(dueDate, 1, 9), total, true)];
            case PayerProfile.Late:
                return [new PlannedPayment(Day(dueDate, 8, 45), total, true)];
            case PayerProfile.Partial:
                var part = Math.Round(total * (random.Next(4, 7) / 10m), 2, MidpointRounding.AwayFromZero);
                return
                [
                    new PlannedPayment(Day(invoiceDate, Math.Min(5, terms - 1), Math.Max(5, terms - 2)), part, false),
                    new PlannedPayment(Day(dueDate, 10, 40), total - part, true),
                ];
            default:
                return [new PlannedPayment(Day(dueDate, 60, 120), total, true)];
        }
    }
}
