using QuoteToCash.BillingRules.Domain;
using QuoteToCash.BillingRules.Sagas;

namespace QuoteToCash.BillingRules.Tests.Sagas;

/// <summary>The machine's promise that a late or re-delivered event never faults: every event is handled or ignored in every stage.</summary>
public sealed class EveryEventInEveryStateTests
{
    [Fact]
    public void Every_event_is_handled_or_explicitly_ignored_in_every_stage()
    {
        var machine = new QuoteToCashStateMachine(TimeProvider.System);
        var events = machine.Events.Where(e => !e.Name.Contains('.', StringComparison.Ordinal)).Select(e => e.Name).ToHashSet();
        Assert.Contains(nameof(QuoteToCashStateMachine.InvoiceVoided), events);
        Assert.DoesNotContain("InvoiceStatusChanged", events); // billing publishes it; QuickBooks-side voids come as InvoiceVoided

        var missing = Enum.GetValues<FlowStage>()
            .SelectMany(stage => events.Except(machine.NextEvents(machine.StateOf(stage)).Select(e => e.Name)).Select(e => $"{stage}: {e}"))
            .ToList();

        Assert.Empty(missing);
    }
}
