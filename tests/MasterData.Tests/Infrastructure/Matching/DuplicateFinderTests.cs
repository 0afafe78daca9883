using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.MasterData.Infrastructure.Matching;
using static QuoteToCash.MasterData.Tests.Domain.Matching.Profiles;

namespace QuoteToCash.MasterData.Tests.Infrastructure.Matching;

/// <summary>The store path: customers filed under their blocking keys in LiteDB, candidates read back per tenant.</summary>
public sealed class DuplicateFinderTests : IDisposable
{
    private readonly TemporaryStore _store = new();
    private readonly DuplicateFinder _finder;

    public DuplicateFinderTests() => _finder = new DuplicateFinder(_store.Store);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private async Task IndexAsync(params MatchProfile[] profiles) =>
        await _store.Store.CommitAsync((await _finder.IndexAsync(profiles, Cancel)).Writes, Cancel);

    private static MatchProfile Contoso(string tenant = Tenant) =>
        Of("Contoso Consulting Ltd", domain: "contoso.co.uk", taxId: "GB 284 1932 06", street: "10 King Street", postalCode: "LS1 4AP", tenant: tenant);

    [Fact]
    public async Task An_incoming_variant_finds_the_existing_customer_with_its_reasons()
    {
        var existing = Contoso();
        await IndexAsync(existing, Of("Contoso Logistics Ltd", domain: "contoso-logistics.co.uk"), Of("Fabrikam Engineering Ltd"));

        var incoming = Of("The Contoso Consulting Limited", email: "ap@contoso.co.uk", taxId: "284193206", street: "10 King St", postalCode: "LS14AP");
        var candidates = await _finder.FindCandidatesAsync(incoming, MatchingPolicy.Default, Cancel);

        var candidate = Assert.Single(candidates);
        Assert.Equal((existing.CustomerId, "Contoso Consulting Ltd"), (candidate.CustomerId, candidate.Name));
        Assert.Equal(["same tax ID", "name 1.00", "same email domain contoso.co.uk", "same billing address"], candidate.Reasons);
        Assert.Equal(
            ["possible duplicate of Contoso Consulting Ltd (1.00: same tax ID, name 1.00, same email domain contoso.co.uk, same billing address)"],
            PotentialDuplicate.For(incoming, candidates)!.Describe());
    }

    [Fact]
    public async Task Tenants_never_see_each_others_customers()
    {
        await IndexAsync(Contoso(tenant: "fabrikam-advisory"));

        Assert.Empty(await _finder.FindCandidatesAsync(Contoso(), MatchingPolicy.Default, Cancel));
        Assert.Single(await _finder.FindCandidatesAsync(Contoso(tenant: "fabrikam-advisory"), MatchingPolicy.Default, Cancel));
    }

    [Fact]
    public async Task A_customer_is_not_its_own_duplicate_and_a_new_company_has_no_candidates()
    {
        var existing = Contoso();
        await IndexAsync(existing);

        Assert.Empty(await _finder.FindCandidatesAsync(existing, MatchingPolicy.Default, Cancel));
        Assert.Empty(await _finder.FindCandidatesAsync(Of("Wingtip Toys Ltd", domain: "wingtiptoys.co.uk"), MatchingPolicy.Default, Cancel));
    }

    [Fact]
    public async Task A_changed_customer_is_found_under_its_new_keys_only()
    {
        var existing = Contoso();
        await IndexAsync(existing);
        var renamed = Of("Northwind Traders Ltd", tenant: Tenant);
        await IndexAsync(new MatchProfile
        {
            TenantId = existing.TenantId, CustomerId = existing.CustomerId, Name = "Northwind Traders Ltd", Names = renamed.Names,
            Country = existing.Country,
        });

        Assert.Empty(await _finder.FindCandidatesAsync(Contoso(), MatchingPolicy.Default, Cancel));
        Assert.Equal(existing.CustomerId, Assert.Single(await _finder.FindCandidatesAsync(renamed, MatchingPolicy.Default, Cancel)).CustomerId);
    }

    [Fact]
    public async Task A_removed_customer_is_no_longer_a_candidate()
    {
        var existing = Contoso();
        await IndexAsync(existing);

        await _store.Store.CommitAsync((await _finder.RemoveAsync(existing.TenantId, existing.CustomerId, Cancel)).Writes, Cancel);

        Assert.Empty(await _finder.FindCandidatesAsync(Contoso(), MatchingPolicy.Default, Cancel));
    }

    [Fact]
    public async Task A_key_shared_by_too_many_customers_stops_pulling_them_in()
    {
        var finder = new DuplicateFinder(_store.Store, new MatchIndexOptions { MaxCustomersPerKey = 3 });
        var sameStreet = Enumerable.Range(1, 5)
            .Select(i => Of($"Tenant Company {i:D3} Ltd", street: "1 Canada Square", postalCode: "E14 5AB"))
            .ToArray();
        await _store.Store.CommitAsync((await finder.IndexAsync(sameStreet, Cancel)).Writes, Cancel);

        var incoming = Of("Quite Different Name Ltd", street: "1 Canada Square", postalCode: "E14 5AB");
        var policy = MatchingPolicy.Default with { ReviewThreshold = 0 };

        Assert.Empty(await finder.FindCandidatesAsync(incoming, policy, Cancel));
    }

    public void Dispose() => _store.Dispose();
}
