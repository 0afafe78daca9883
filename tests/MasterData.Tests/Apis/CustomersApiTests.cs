using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Apis;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Extensions;
using QuoteToCash.MasterData.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Security;
using QuoteToCash.ServiceDefaults.Storage;
using QuoteToCash.MasterData.Tests.Peers;
using QuoteToCash.Testing.Harness;
using QuoteToCash.Testing.Scenarios;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.MasterData.Tests.Apis;

/// <summary>
/// Finance's customer APIs over master-data's real store and outbox: views, bad input, edits under ownership,
/// proposals, approval, merge, history and policy, and the held flows each of them releases.
/// </summary>
public sealed class CustomersApiTests : IAsyncLifetime
{
    private static CancellationToken None => TestContext.Current.CancellationToken;
    private static Guid ContosoId => CustomerRules.CustomerIdFor(Tenant, Crm, "company-4711");
    private static ClaimsPrincipal User(string name, string role) => Operators.User(name, role);
    private static readonly ClaimsPrincipal Maria = User("maria", Roles.FinanceManager);
    private static readonly ClaimsPrincipal Ben = User("ben", Roles.BillingSpecialist);
    private ServiceHarness _harness = null!;

    public async ValueTask InitializeAsync() =>
        _harness = await MasterDataWithQuickBooks.StartAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    private Task Deliver<T>(T message) where T : class => _harness.DeliverAndSettleAsync(message);

    private Task Resolve(string deal, CustomerSnapshot customer) =>
        Deliver(new ResolveCustomer { TenantId = Tenant, FlowId = FlowOf(deal), SourceSystem = Crm, Customer = customer });

    /// <summary>Runs an API handler in a request scope of its own, as ASP.NET Core would.</summary>
    private async Task<T> Call<T>(Func<IServiceProvider, Task<T>> handler)
    {
        await using var scope = _harness.Services.CreateAsyncScope();
        var result = await handler(scope.ServiceProvider);
        await _harness.QuickBooksCaughtUpAsync();
        return result;
    }

    private Task<Results<Ok<CustomerChangeView>, ValidationProblem, ProblemHttpResult>> Patch(Guid id, string json, ClaimsPrincipal? user = null) =>
        Call(sp => CustomersApi.PatchCustomer(Tenant, id, JsonDocument.Parse(json).RootElement, user ?? Maria, sp.GetRequiredService<CustomerBook>(),
            sp.GetRequiredService<IUnitOfWork>(), None));

    private Task<Results<Ok<ReviewItemView>, ValidationProblem, ProblemHttpResult>> ResolveItem(string itemId, string decision, string? note = null) =>
        Call(sp => ReviewApi.ResolveItem(Tenant, itemId, new ResolveReviewRequest(decision, note), Maria, _harness.Store,
            sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), None));

    private async Task<CustomerView> Customer(Guid id) =>
        Assert.IsType<Ok<CustomerView>>((await Call(sp => CustomersApi.GetCustomer(Tenant, id, sp.GetRequiredService<CustomerBook>(), None))).Result).Value!;

    private async Task<List<HistoryEntryView>> History(Guid id) =>
        Assert.IsType<Ok<List<HistoryEntryView>>>((await Call(sp => CustomersApi.GetHistory(Tenant, id, _harness.Store, sp.GetRequiredService<CustomerBook>(), None))).Result).Value!;

    /// <summary>Contoso as the CRM has it in the demo: everything but the billing address.</summary>
    private static CustomerSnapshot ContosoWithoutAddress() => Contoso() with { BillingAddress = null };

    private const string CompletingEdit = """
        {"billingAddress": {"line1": "10 King Street", "city": "Leeds", "postalCode": "LS1 2HL", "country": "United Kingdom"}}
        """;

    [Fact]
    public async Task A_customer_is_shown_as_a_view_with_its_tax_id_masked_and_its_cross_references()
    {
        await Resolve("deal-9001", Contoso());

        var customer = await Customer(ContosoId);

        Assert.Equal(("Contoso Logistics Ltd", CustomerStatus.Approved, "Net 30"), (customer.LegalName, customer.Status, customer.EffectivePaymentTerms));
        Assert.Equal("••••6789", customer.TaxId);
        Assert.Equal([new CrossReferenceView("hubspot", "company-4711"), new CrossReferenceView("quickbooks", QuickBooksPeer.RefOf(ContosoId))], customer.CrossReferences);
        Assert.Equal(QuickBooksPeer.RefOf(ContosoId), customer.AccountingCustomerRef);
        var json = JsonSerializer.SerializeToElement(customer, JsonSerializerOptions.Web).GetRawText();
        Assert.DoesNotContain("123", json);
        Assert.DoesNotContain("\"version\"", json);
    }

    [Fact]
    public async Task A_missing_customer_and_another_tenants_customer_are_the_same_404_problem()
    {
        await Resolve("deal-9001", Contoso());

        var missing = await Call(sp => CustomersApi.GetCustomer(Tenant, Guid.NewGuid(), sp.GetRequiredService<CustomerBook>(), None));
        var otherTenant = await Call(sp => CustomersApi.GetCustomer("another-firm", ContosoId, sp.GetRequiredService<CustomerBook>(), None));

        foreach (var result in new[] { missing, otherTenant })
        {
            var problem = Assert.IsType<ProblemHttpResult>(result.Result);
            Assert.Equal((404, "application/problem+json", "Customer not found"), (problem.StatusCode, problem.ContentType, problem.ProblemDetails.Title));
        }
    }

    [Fact]
    public async Task Customers_are_listed_per_tenant_status_and_search()
    {
        await Resolve("deal-9001", Contoso());
        await Resolve("deal-9002", ContosoIncomplete("company-5000") with { LegalName = "Fabrikam Design Ltd" });

        var approved = await Call(sp => CustomersApi.ListCustomers(Tenant, _harness.Store, sp.GetRequiredService<CustomerBook>(), CustomerStatus.Approved, null, None));
        var search = await Call(sp => CustomersApi.ListCustomers(Tenant, _harness.Store, sp.GetRequiredService<CustomerBook>(), null, "fabrikam", None));
        var otherTenant = await Call(sp => CustomersApi.ListCustomers("another-firm", _harness.Store, sp.GetRequiredService<CustomerBook>(), null, null, None));

        Assert.Equal(ContosoId, Assert.Single(approved.Value!).CustomerId);
        Assert.Equal("Fabrikam Design Ltd", Assert.Single(search.Value!).LegalName);
        Assert.Empty(otherTenant.Value!);
    }

    [Fact]
    public async Task Bad_values_are_refused_field_by_field_and_change_nothing()
    {
        await Resolve("deal-9001", ContosoIncomplete());

        var result = await Patch(ContosoId, """
            {"contacts": [{"email": "ap(at)contoso", "isBillingContact": true}], "currency": "EURO", "paymentTerms": "Net 45",
             "billingAddress": {"line1": "1 Rue", "city": "Paris", "country": "Frankreich"}, "taxStatus": "Sometimes", "colour": "blue",
             "taxId": "?"}
            """);

        var problem = Assert.IsType<ValidationProblem>(result.Result);
        Assert.Equal(400, problem.StatusCode);
        Assert.Equal(["billingAddress", "colour", "contacts", "currency", "paymentTerms", "taxId", "taxStatus"], problem.ProblemDetails.Errors.Keys.Order());
        Assert.Contains("Net 30", problem.ProblemDetails.Errors["paymentTerms"][0]);
        var customer = await Customer(ContosoId);
        Assert.Equal((1, CustomerStatus.Draft), (customer.Revision, customer.Status));
    }

    [Fact]
    public async Task A_finance_edit_that_completes_a_draft_approves_it_and_releases_its_held_deal_once()
    {
        await Resolve("deal-9001", ContosoWithoutAddress());
        Assert.Empty(_harness.Published<CustomerReady>());

        var result = await Patch(ContosoId, CompletingEdit);

        var change = Assert.IsType<Ok<CustomerChangeView>>(result.Result).Value!;
        Assert.Equal([FieldNames.BillingAddress], change.Applied);
        Assert.Empty(change.Opened);
        Assert.Equal((CustomerStatus.Approved, "GB"), (change.Customer.Status, change.Customer.BillingAddress!.Country));
        var ready = Assert.Single(_harness.Published<CustomerReady>());
        Assert.Equal((FlowOf("deal-9001"), ContosoId), (ready.FlowId, ready.CustomerId));

        await Patch(ContosoId, """{"paymentTerms": "Net 15"}""");
        Assert.Single(_harness.Published<CustomerReady>());

        var history = await History(ContosoId);
        Assert.Contains(history, h => h is { Field: FieldNames.BillingAddress, Actor: "maria", Source: "finance" });
        Assert.Contains(history, h => h is { Field: "status", OldValue: "Draft", NewValue: "Approved", Actor: CustomerLifecycle.PolicyActor });
        Assert.Contains(history, h => h is { Field: FieldNames.PaymentTerms, OldValue: null, NewValue: "\"Net 15\"" });
    }

    [Fact]
    public async Task Finance_changing_a_field_the_crm_owns_opens_a_conflict_that_applies_only_when_accepted()
    {
        await Resolve("deal-9001", Contoso());

        var result = await Patch(ContosoId, """{"legalName": "Contoso Logistics Group Ltd"}""");

        var change = Assert.IsType<Ok<CustomerChangeView>>(result.Result).Value!;
        Assert.Empty(change.Applied);
        var conflict = Assert.Single(change.Opened);
        Assert.Equal((ReviewKind.OwnershipConflict, FieldNames.LegalName), (conflict.Kind, conflict.Field));
        Assert.Equal("Contoso Logistics Ltd", (await Customer(ContosoId)).LegalName);

        var resolved = Assert.IsType<Ok<ReviewItemView>>((await ResolveItem(conflict.ItemId, "accept", "per the signed contract")).Result).Value!;

        Assert.Equal((ReviewStatus.Resolved, ReviewDecision.Accept, "maria"), (resolved.Status, resolved.Decision, resolved.ResolvedBy));
        Assert.Equal("Contoso Logistics Group Ltd", (await Customer(ContosoId)).LegalName);
        var entry = Assert.Single(await History(ContosoId), h => h.Field == FieldNames.LegalName && h.Actor == "maria");
        Assert.Contains("per the signed contract", entry.Reason);
        Assert.IsType<ProblemHttpResult>((await ResolveItem(conflict.ItemId, "reject")).Result);
    }

    [Fact]
    public async Task A_billing_specialist_proposes_and_a_rejected_proposal_changes_nothing()
    {
        await Resolve("deal-9001", Contoso());

        var change = Assert.IsType<Ok<CustomerChangeView>>((await Patch(ContosoId, """{"paymentTerms": "Net 60"}""", Ben)).Result).Value!;

        var proposal = Assert.Single(change.Opened);
        Assert.Equal((ReviewKind.ChangeProposal, "ben"), (proposal.Kind, proposal.ProposedBy));
        Assert.Null((await Customer(ContosoId)).PaymentTerms);
        await ResolveItem(proposal.ItemId, "reject", "contract says Net 30");
        Assert.Null((await Customer(ContosoId)).PaymentTerms);
        Assert.Equal("decision", ValidationProblemOf(await ResolveItem(proposal.ItemId, "maybe")));
    }

    private static string ValidationProblemOf(Results<Ok<ReviewItemView>, ValidationProblem, ProblemHttpResult> result) =>
        string.Join(",", Assert.IsType<ValidationProblem>(result.Result).ProblemDetails.Errors.Keys);

    [Fact]
    public async Task Approval_needs_a_complete_customer_and_is_recorded_and_releases_the_held_deal()
    {
        var policy = MasterDataPolicy.Default(Tenant);
        policy.AutoApproveComplete = false;
        await _harness.Store.CommitAsync([DocumentWrite.Upsert(MasterDataPolicy.CollectionName, Tenant, policy)], TestContext.Current.CancellationToken);
        await Resolve("deal-9001", ContosoWithoutAddress());

        var incomplete = await Call(sp => CustomersApi.ApproveCustomer(Tenant, ContosoId, null, Maria, sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), None));
        var refused = Assert.IsType<ProblemHttpResult>(incomplete.Result);
        Assert.Equal(409, refused.StatusCode);
        Assert.Contains("missing billing address street", refused.ProblemDetails.Detail);

        await Patch(ContosoId, CompletingEdit);
        Assert.Equal(CustomerStatus.Draft, (await Customer(ContosoId)).Status);
        Assert.Empty(_harness.Published<CustomerReady>());
        _harness.Time.Advance(TimeSpan.FromHours(1));

        var approved = await Call(sp => CustomersApi.ApproveCustomer(Tenant, ContosoId, new ApproveRequest("checked with the client"), Maria,
            sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), None));

        var view = Assert.IsType<Ok<CustomerView>>(approved.Result).Value!;
        Assert.Equal((CustomerStatus.Approved, "maria", ServiceHarness.DefaultStart.UtcDateTime.AddHours(1)), (view.Status, view.ApprovedBy, view.ApprovedAt));
        Assert.Equal(FlowOf("deal-9001"), Assert.Single(_harness.Published<CustomerReady>()).FlowId);
        Assert.Contains(await History(ContosoId), h => h is { Field: "status", NewValue: "Approved", Actor: "maria", Reason: "checked with the client" });
    }

    [Fact]
    public async Task Merging_moves_the_cross_references_and_the_held_deals_to_the_survivor()
    {
        await Resolve("deal-9001", Contoso());
        await Resolve("deal-9002", ContosoIncomplete("company-8080") with { LegalName = "Contoso Logistics Limited" });
        var duplicateId = CustomerRules.CustomerIdFor(Tenant, Crm, "company-8080");

        var result = await Call(sp => CustomersApi.MergeCustomer(Tenant, duplicateId, new MergeRequest(ContosoId, "same company"), Maria,
            sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), None));

        var survivor = Assert.IsType<Ok<CustomerView>>(result.Result).Value!;
        Assert.Equal(ContosoId, survivor.CustomerId);
        Assert.Equal(["company-4711", "company-8080"], survivor.CrossReferences.Where(r => r.System == "hubspot").Select(r => r.ExternalId).Order());
        var duplicate = await Customer(duplicateId);
        Assert.Equal((CustomerStatus.Merged, ContosoId), (duplicate.Status, duplicate.MergedInto));
        var released = _harness.Published<CustomerReady>().Where(r => r.FlowId == FlowOf("deal-9002")).ToList();
        Assert.Equal(ContosoId, Assert.Single(released).CustomerId);
        // Announced once, with who merged what into what and when, on master data's clock.
        var announced = Assert.Single(_harness.Published<CustomersMerged>());
        Assert.Equal((Tenant, ContosoId, duplicateId, "maria", "same company", _harness.Time.GetUtcNow()),
            (announced.TenantId, announced.SurvivorId, announced.MergedId, announced.MergedBy, announced.Note, announced.MergedAt));

        await Resolve("deal-9003", Contoso("company-8080"));
        Assert.Equal(ContosoId, _harness.Published<CustomerReady>().Single(r => r.FlowId == FlowOf("deal-9003")).CustomerId);
    }

    [Fact]
    public async Task A_merge_into_itself_into_nothing_or_across_tenants_names_the_survivor_field()
    {
        await Resolve("deal-9001", Contoso());
        await Deliver(new ResolveCustomer { TenantId = "another-firm", FlowId = Guid.NewGuid(), SourceSystem = Crm, Customer = Contoso("company-1") });
        var foreign = CustomerRules.CustomerIdFor("another-firm", Crm, "company-1");

        foreach (var survivor in new Guid?[] { ContosoId, null, foreign })
        {
            var result = await Call(sp => CustomersApi.MergeCustomer(Tenant, ContosoId, new MergeRequest(survivor, null), Maria,
                sp.GetRequiredService<CustomerBook>(), sp.GetRequiredService<IUnitOfWork>(), None));
            Assert.Equal(["survivorId"], Assert.IsType<ValidationProblem>(result.Result).ProblemDetails.Errors.Keys);
        }
        Assert.Equal(CustomerStatus.Approved, (await Customer(ContosoId)).Status);
        Assert.Empty(_harness.Published<CustomersMerged>());
    }

    [Fact]
    public async Task History_never_shows_a_whole_tax_id()
    {
        await Resolve("deal-9001", Contoso());
        await Patch(ContosoId, """{"taxId": "GB 987 6543 21"}""");

        var history = await History(ContosoId);

        var entry = Assert.Single(history, h => h.Field == FieldNames.TaxId);
        Assert.Equal("\"••••6789\"", entry.NewValue);
        Assert.DoesNotContain(history, h => (h.OldValue ?? "").Contains("987") || (h.NewValue ?? "").Contains("987") || (h.NewValue ?? "").Contains("123"));
    }

    [Fact]
    public async Task A_policy_change_is_validated_and_then_applies_to_new_customers()
    {
        var refused = await Call(sp => PolicyApi.PutPolicy(Tenant, new PolicyRequest(null, ["Net 30"], "Net 90", null, new() { ["colour"] = FieldOwner.Crm }, 1.5m),
            User("root", Roles.Admin), sp.GetRequiredService<CustomerBook>(), _harness.Store, sp.GetRequiredService<IUnitOfWork>(), None));
        Assert.Equal(["defaultPaymentTerms", "duplicateReviewThreshold", "fieldOwners"],
            Assert.IsType<ValidationProblem>(refused.Result).ProblemDetails.Errors.Keys.Order());

        var changed = await Call(sp => PolicyApi.PutPolicy(Tenant, new PolicyRequest([RequiredField.BillingContactEmail, RequiredField.TaxId], null, null, null, null, null),
            User("root", Roles.Admin), sp.GetRequiredService<CustomerBook>(), _harness.Store, sp.GetRequiredService<IUnitOfWork>(), None));
        Assert.Equal("root", Assert.IsType<Ok<PolicyView>>(changed.Result).Value!.UpdatedBy);

        await Resolve("deal-9001", Contoso() with { TaxId = null });
        Assert.Equal(["missing tax ID"], (await Customer(ContosoId)).MissingFields);
    }
}
