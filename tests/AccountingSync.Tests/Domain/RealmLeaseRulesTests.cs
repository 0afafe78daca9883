using QuoteToCash.AccountingSync.Domain;

namespace QuoteToCash.AccountingSync.Tests.Domain;

public sealed class RealmLeaseRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Duration = TimeSpan.FromSeconds(30);

    [Fact]
    public void A_realm_nobody_holds_is_taken() =>
        Assert.Equal(LeaseDecision.Acquire, RealmLeaseRules.Decide(null, null, "replica-a", Now, Duration));

    [Fact]
    public void A_realm_another_replica_holds_is_left_alone_until_its_lease_expires()
    {
        Assert.Equal(LeaseDecision.HeldElsewhere, RealmLeaseRules.Decide("replica-b", Now.AddSeconds(1), "replica-a", Now, Duration));
        Assert.Equal(LeaseDecision.TakeOver, RealmLeaseRules.Decide("replica-b", Now, "replica-a", Now, Duration));
        Assert.Equal(LeaseDecision.TakeOver, RealmLeaseRules.Decide("replica-b", Now.AddSeconds(-5), "replica-a", Now, Duration));
    }

    [Fact]
    public void The_owner_keeps_its_lease_and_renews_it_once_half_of_it_has_run()
    {
        Assert.Equal(LeaseDecision.Keep, RealmLeaseRules.Decide("replica-a", Now.AddSeconds(15), "replica-a", Now, Duration));
        Assert.Equal(LeaseDecision.Renew, RealmLeaseRules.Decide("replica-a", Now.AddSeconds(14.9), "replica-a", Now, Duration));
        Assert.Equal(LeaseDecision.Renew, RealmLeaseRules.Decide("replica-a", Now.AddSeconds(-1), "replica-a", Now, Duration)); // lapsed, nobody took it
    }
}
