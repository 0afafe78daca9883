using System.ComponentModel.DataAnnotations;

namespace QuoteToCash.CrmIngest.Infrastructure.Retention;

/// <summary>
/// How long crm-ingest keeps what CRMs sent (<c>Retention</c>). Raw bodies go first; the delivery records (status,
/// events produced, refusals) stay longer for "did the CRM tell us?"; the records of events already taken in must
/// outlive the CRMs' own retries (HubSpot retries for up to 3 days, Salesforce outbound messages for 24 hours), or a
/// late retry would be taken in twice.
/// </summary>
public sealed class IntakeRetentionOptions : IValidatableObject
{
    public const string Section = "Retention";

    public TimeSpan DeliveryBodies { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan Deliveries { get; set; } = TimeSpan.FromDays(90);

    public TimeSpan SeenEvents { get; set; } = TimeSpan.FromDays(30);

    /// <summary>The generic API's idempotency keys.</summary>
    public TimeSpan GenericEvents { get; set; } = TimeSpan.FromDays(30);

    public TimeSpan Interval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>Documents removed per commit, so a large backlog never holds the store for long.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>The shortest time event identities may be forgotten after: longer than any CRM retries a delivery.</summary>
    public static readonly TimeSpan MinimumSeenEvents = TimeSpan.FromDays(4);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SeenEvents < MinimumSeenEvents)
            yield return new ValidationResult($"Retention:SeenEvents must be at least {MinimumSeenEvents.TotalDays} days: CRMs retry deliveries for up to 3 days.", [nameof(SeenEvents)]);
        if (GenericEvents < TimeSpan.FromDays(1))
            yield return new ValidationResult("Retention:GenericEvents must be at least 1 day.", [nameof(GenericEvents)]);
        if (DeliveryBodies <= TimeSpan.Zero)
            yield return new ValidationResult("Retention:DeliveryBodies must be positive.", [nameof(DeliveryBodies)]);
        if (Deliveries < DeliveryBodies)
            yield return new ValidationResult("Retention:Deliveries must be at least as long as Retention:DeliveryBodies.", [nameof(Deliveries)]);
        if (Interval <= TimeSpan.Zero || BatchSize < 1)
            yield return new ValidationResult("Retention:Interval and Retention:BatchSize must be positive.", [nameof(Interval), nameof(BatchSize)]);
    }
}
