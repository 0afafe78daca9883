using Microsoft.AspNetCore.Mvc;
using QuoteToCash.WebApp.Gateway;
using QuoteToCash.WebApp.Models;

namespace QuoteToCash.WebApp.Pages.Tenant.Customers;

/// <summary>A golden customer: its fields (editable by finance), approval of a complete draft, and every field's history.</summary>
public sealed class DetailModel(GatewayClient api) : TenantPageModel(api)
{
    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public ApiResult<Customer>? Customer { get; private set; }

    public ApiResult<List<FieldHistoryEntry>>? History { get; private set; }

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var customer = Api.GetAsync<Customer>(ApiPath("master-data", $"customers/{Id}"), cancellationToken);
        var history = Api.GetAsync<List<FieldHistoryEntry>>(ApiPath("master-data", $"customers/{Id}/history"), cancellationToken);
        Customer = await customer;
        History = await history;
    }

    /// <summary>
    /// Sends the fields that changed. A finance manager's change to a CRM-owned field opens an ownership conflict instead;
    /// a billing specialist's change becomes a proposal; the page says which.
    /// </summary>
    public async Task<IActionResult> OnPostEditAsync(CustomerEdit edit, CancellationToken cancellationToken)
    {
        var current = await Api.GetAsync<Customer>(ApiPath("master-data", $"customers/{Id}"), cancellationToken);
        if (current.Value is not { } customer)
            return After(current, "", Back());
        var changes = edit.ChangesFrom(customer);
        if (changes.Count == 0)
        {
            Flash = "Nothing changed.";
            return RedirectToPage(null, Back());
        }
        var result = await Api.PatchAsync<CustomerChange>(ApiPath("master-data", $"customers/{Id}"), changes, cancellationToken);
        var message = result.Value is { } change
            ? (change.Applied.Count > 0 ? $"Changed: {string.Join(", ", change.Applied)}. " : "") +
              (change.Opened.Count > 0 ? $"Waiting for a decision in Reviews: {string.Join(", ", change.Opened.Select(o => o.Field))}." : "")
            : "";
        return After(result, message.Trim(), Back());
    }

    public async Task<IActionResult> OnPostApproveAsync(string? note, CancellationToken cancellationToken) =>
        After(await Api.PostAsync<Customer>(ApiPath("master-data", $"customers/{Id}/approve"), new { note }, cancellationToken),
            "Approved: the customer can be billed, and its waiting deals carry on.", Back());

    private object Back() => new { Tenant, Id };
}

/// <summary>The customer form: the fields finance edits most, each compared with the stored value so only changes are sent.</summary>
public sealed class CustomerEdit
{
    public string? DisplayName { get; set; }
    public string? LegalName { get; set; }
    public string? PaymentTerms { get; set; }
    public string? Currency { get; set; }
    public string? BillingEmail { get; set; }
    public string? Line1 { get; set; }
    public string? City { get; set; }
    public string? PostalCode { get; set; }
    public string? Country { get; set; }

    /// <summary>The PATCH body: field name → new value, for the fields whose value differs from the customer's.</summary>
    public Dictionary<string, object?> ChangesFrom(Customer customer)
    {
        var changes = new Dictionary<string, object?>();
        void Text(string field, string? value, string? stored)
        {
            var given = string.IsNullOrWhiteSpace(value) ? null : value.Trim();
            if (!string.Equals(given, string.IsNullOrWhiteSpace(stored) ? null : stored, StringComparison.Ordinal))
                changes[field] = given;
        }
        Text("displayName", DisplayName, customer.DisplayName);
        Text("legalName", LegalName, customer.LegalName);
        Text("paymentTerms", PaymentTerms, customer.PaymentTerms);
        Text("currency", Currency, customer.Currency);
        var address = customer.BillingAddress;
        if (!Same(Line1, address?.Line1) || !Same(City, address?.City) || !Same(PostalCode, address?.PostalCode) || !Same(Country, address?.Country))
            changes["billingAddress"] = new PostalAddress(Blank(Line1), address?.Line2, Blank(City), address?.Region, Blank(PostalCode), Blank(Country));
        if (!Same(BillingEmail, customer.BillingEmail) && !string.IsNullOrWhiteSpace(BillingEmail))
        {
            // The billing contact's e-mail changes; every other contact stays as it is.
            var contacts = customer.Contacts.Where(c => !c.IsBillingContact).ToList();
            var billing = customer.Contacts.FirstOrDefault(c => c.IsBillingContact);
            contacts.Insert(0, (billing ?? new ContactPerson(null, null, null, null, true)) with { Email = BillingEmail.Trim(), IsBillingContact = true });
            changes["contacts"] = contacts;
        }
        return changes;
    }

    private static bool Same(string? given, string? stored) => string.Equals(Blank(given), Blank(stored), StringComparison.Ordinal);

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
