using QuoteToCash.AccountingSync.Domain.Exceptions;

namespace QuoteToCash.AccountingSync.Tests.Exceptions;

/// <summary>The exception queue's fixed rules: SLA per kind, root causes, what retry can do, status moves and the one-open-record key.</summary>
public sealed class ExceptionRulesTests
{
    private static readonly DateTimeOffset Opened = new(2026, 11, 24, 16, 30, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(SyncExceptionKind.AuthorizationExpired, 24)]
    [InlineData(SyncExceptionKind.QboUnavailable, 24)]
    [InlineData(SyncExceptionKind.RateLimited, 24)]
    [InlineData(SyncExceptionKind.PoisonMessage, 24)]
    [InlineData(SyncExceptionKind.ManualEditConflict, 24)]
    [InlineData(SyncExceptionKind.ReconciliationDrift, 24)]
    [InlineData(SyncExceptionKind.MappingMissing, 48)]
    [InlineData(SyncExceptionKind.DuplicateName, 48)]
    [InlineData(SyncExceptionKind.Validation, 48)]
    [InlineData(SyncExceptionKind.StaleObject, 48)]
    public void What_stops_every_invoice_is_due_in_a_day_and_a_fix_to_one_record_in_two(SyncExceptionKind kind, int hours) =>
        Assert.Equal(Opened.AddHours(hours), ExceptionRules.SlaDue(kind, Opened));

    [Fact]
    public void Root_causes_say_where_the_fix_lies()
    {
        Assert.Equal(RootCause.MasterData, ExceptionRules.RootCauseOf(SyncExceptionKind.MappingMissing));
        Assert.Equal(RootCause.MasterData, ExceptionRules.RootCauseOf(SyncExceptionKind.DuplicateName));
        Assert.Equal(RootCause.Authorization, ExceptionRules.RootCauseOf(SyncExceptionKind.AuthorizationExpired));
        Assert.Equal(RootCause.QuickBooksAvailability, ExceptionRules.RootCauseOf(SyncExceptionKind.RateLimited));
        Assert.Equal(RootCause.ManualChangeInQuickBooks, ExceptionRules.RootCauseOf(SyncExceptionKind.ManualEditConflict));
        Assert.Equal(RootCause.Platform, ExceptionRules.RootCauseOf(SyncExceptionKind.PoisonMessage));
        Assert.All(Enum.GetValues<SyncExceptionKind>(), kind => Assert.True(Enum.IsDefined(ExceptionRules.RootCauseOf(kind))));
    }

    [Fact]
    public void A_manual_edit_drift_or_expired_authorisation_cannot_be_retried_and_says_what_to_do_instead()
    {
        Assert.Contains("never overwrites", ExceptionRules.WhyNotRetryable(SyncExceptionKind.ManualEditConflict, "Invoice"));
        Assert.NotNull(ExceptionRules.WhyNotRetryable(SyncExceptionKind.ReconciliationDrift, "Invoice"));
        Assert.Contains("Reconnect QuickBooks", ExceptionRules.WhyNotRetryable(SyncExceptionKind.AuthorizationExpired, ExceptionRules.ConnectionEntity));
        Assert.Null(ExceptionRules.WhyNotRetryable(SyncExceptionKind.AuthorizationExpired, "Invoice")); // refused while not connected: retried once it is
        Assert.Null(ExceptionRules.WhyNotRetryable(SyncExceptionKind.Validation, "Invoice"));
        Assert.Null(ExceptionRules.WhyNotRetryable(SyncExceptionKind.MappingMissing, "Flow"));
    }

    [Fact]
    public void Resolved_and_ignored_are_final_while_open_and_assigned_move_freely()
    {
        Assert.True(ExceptionRules.CanMove(SyncExceptionStatus.Open, SyncExceptionStatus.Assigned));
        Assert.True(ExceptionRules.CanMove(SyncExceptionStatus.Assigned, SyncExceptionStatus.Assigned)); // reassigned
        Assert.True(ExceptionRules.CanMove(SyncExceptionStatus.Assigned, SyncExceptionStatus.Ignored));
        Assert.False(ExceptionRules.CanMove(SyncExceptionStatus.Resolved, SyncExceptionStatus.Open));
        Assert.False(ExceptionRules.CanMove(SyncExceptionStatus.Ignored, SyncExceptionStatus.Assigned));
        Assert.False(ExceptionRules.CanMove(SyncExceptionStatus.Resolved, SyncExceptionStatus.Resolved));
    }

    [Fact]
    public void The_open_key_tells_kind_entity_and_operation_apart_and_keeps_IDs_exact()
    {
        var key = ExceptionRules.OpenKey("harbour-pine", SyncExceptionKind.Validation, "Invoice", "a1", "PostInvoice");

        Assert.Equal(key, ExceptionRules.OpenKey("harbour-pine", SyncExceptionKind.Validation, "Invoice", "a1", "PostInvoice"));
        Assert.NotEqual(key, ExceptionRules.OpenKey("harbour-pine", SyncExceptionKind.QboUnavailable, "Invoice", "a1", "PostInvoice"));
        Assert.NotEqual(key, ExceptionRules.OpenKey("harbour-pine", SyncExceptionKind.Validation, "Invoice", "A1", "PostInvoice"));
        Assert.NotEqual(key, ExceptionRules.OpenKey("harbour-pine", SyncExceptionKind.Validation, "Invoice", "a1", "SendInvoice"));
        Assert.NotEqual(ExceptionRules.OpenKey("t", SyncExceptionKind.Validation, "a", "b:c", "d"), ExceptionRules.OpenKey("t", SyncExceptionKind.Validation, "a:b", "c", "d"));
    }

    [Theory]
    [InlineData("deal:hubspot:9001", "hubspot:9001")]
    [InlineData("ERP rollout\ndeal:salesforce:006Hs00001abcDE; milestone 2", "salesforce:006Hs00001abcDE")]
    [InlineData("no deal here", null)]
    [InlineData(null, null)]
    public void The_deal_is_read_from_the_note_the_platform_writes(string? note, string? expected) =>
        Assert.Equal(expected, DealReference.FromNote(note));
}
