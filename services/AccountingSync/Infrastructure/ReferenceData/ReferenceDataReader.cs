using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts.AccountingSync;

namespace QuoteToCash.AccountingSync.Infrastructure.ReferenceData;

/// <summary>
/// Reads a company's reference lists through the QuickBooks client (so through the realm's rate governor): items, income
/// accounts, classes, departments, tax codes and terms, inactive entries included and marked, and the currencies in use
/// (the company's currencies with multicurrency on, otherwise its home currency) and the closing date. About eight queries per refresh.
/// </summary>
public sealed class ReferenceDataReader(QboClient qbo, TimeProvider time)
{
    public async Task<AccountingReferenceDataChanged> ReadAsync(string tenantId, string realmId, CancellationToken cancellationToken)
    {
        // Name lists hide inactive entries unless the query filters on Active.
        static QboQuery All(string entity) => QboQuery.From(entity).In("Active", [true, false]);

        var items = await qbo.QueryAllAsync<QboItem>(tenantId, () => All("Item"), cancellationToken);
        var accounts = await qbo.QueryAllAsync<QboAccount>(tenantId, () => All("Account").Where("AccountType", "=", "Income"), cancellationToken);
        var classes = await qbo.QueryAllAsync<QboClass>(tenantId, () => All("Class"), cancellationToken);
        var departments = await qbo.QueryAllAsync<QboDepartment>(tenantId, () => All("Department"), cancellationToken);
        var taxCodes = await qbo.QueryAllAsync<QboTaxCode>(tenantId, () => All("TaxCode"), cancellationToken);
        var terms = await qbo.QueryAllAsync<QboTerm>(tenantId, () => All("Term"), cancellationToken);
        var preferences = await qbo.ReadPreferencesAsync(tenantId, cancellationToken);

        var currencies = new List<string>();
        if (preferences.HomeCurrency is { } home)
            currencies.Add(home);
        if (preferences.MultiCurrencyEnabled)
        {
            var enabled = await qbo.QueryAllAsync<QboCompanyCurrency>(tenantId, () => QboQuery.From("CompanyCurrency"), cancellationToken);
            currencies.AddRange(enabled.Where(c => c.Active != false && !string.IsNullOrEmpty(c.Code)).Select(c => c.Code!.ToUpperInvariant()));
        }

        return new AccountingReferenceDataChanged
        {
            TenantId = tenantId,
            RealmId = realmId,
            Items = items.Select(i => Entry(i.Id, i.Name, i.Active)).ToList(),
            IncomeAccounts = accounts.Select(a => Entry(a.Id, a.Name, a.Active)).ToList(),
            Classes = classes.Select(c => Entry(c.Id, c.FullyQualifiedName ?? c.Name, c.Active)).ToList(),
            Departments = departments.Select(d => Entry(d.Id, d.FullyQualifiedName ?? d.Name, d.Active)).ToList(),
            TaxCodes = taxCodes.Select(t => Entry(t.Id, t.Name, t.Active)).ToList(),
            Terms = terms.Select(t => Entry(t.Id, t.Name, t.Active)).ToList(),
            Currencies = currencies.Distinct().ToList(),
            ClosingDate = preferences.ClosingDate,
            AsOf = time.GetUtcNow(),
        };
    }

    private static AccountingListEntry Entry(string? id, string? name, bool? active) =>
        new() { Id = id ?? string.Empty, Name = name ?? string.Empty, Active = active != false };
}
