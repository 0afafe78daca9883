using QuoteToCash.Contracts;

namespace QuoteToCash.BillingRules.Domain;

/// <summary>A span of days, the first included and the end excluded.</summary>
internal readonly record struct DateSpan(DateOnly Start, DateOnly EndExclusive)
{
    public DateOnly Last => EndExclusive.AddDays(-1);
}

/// <summary>The calendar of billing: time-billing periods and subscription periods.</summary>
internal static class BillingPeriods
{
    /// <summary>
    /// The time-billing period containing <paramref name="date"/>: the ISO week (Monday to Sunday), the two-week block
    /// counted from the Monday of the signing week, or the calendar month.
    /// </summary>
    public static DateSpan Containing(BillingPeriod period, DateOnly date, DateOnly signedOn)
    {
        switch (period)
        {
            case BillingPeriod.Weekly:
            {
                var monday = MondayOf(date);
                return new DateSpan(monday, monday.AddDays(7));
            }
            case BillingPeriod.Biweekly:
            {
                var anchor = MondayOf(signedOn);
                var blocks = (int)Math.Floor((date.DayNumber - anchor.DayNumber) / 14.0);
                var start = anchor.AddDays(blocks * 14);
                return new DateSpan(start, start.AddDays(14));
            }
            default:
            {
                var first = new DateOnly(date.Year, date.Month, 1);
                return new DateSpan(first, first.AddMonths(1));
            }
        }
    }

    public static DateOnly MondayOf(DateOnly date) => date.AddDays(-(((int)date.DayOfWeek + 6) % 7));

    /// <summary>
    /// Subscription period <paramref name="index"/> (0 is the first): from the start's day of the month (or year) to the
    /// same day one interval later, each counted from the start so that a day the month lacks is clamped to its last
    /// day only in that month (31 Jan, 28 Feb, 31 Mar).
    /// </summary>
    public static DateSpan Subscription(SubscriptionInterval interval, DateOnly start, int index) => interval == SubscriptionInterval.Annually
        ? new DateSpan(start.AddYears(index), start.AddYears(index + 1))
        : new DateSpan(start.AddMonths(index), start.AddMonths(index + 1));
}
