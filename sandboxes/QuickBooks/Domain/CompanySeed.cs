using System.Text.Json.Nodes;
using QuoteToCash.Sandbox.QuickBooks.State;

namespace QuoteToCash.Sandbox.QuickBooks.Domain;

/// <summary>
/// What a new sandbox company starts with: a US services firm's chart of accounts, the usual terms,
/// sales tax codes and service items. No customers or transactions, so tests start from a clean ledger.
/// </summary>
public static class CompanySeed
{
    /// <summary>(Name, AccountType, AccountSubType, AcctNum). Ids follow the order, from 1.</summary>
    private static readonly (string Name, string Type, string SubType, string Number)[] ChartOfAccounts =
    [
        ("Checking", "Bank", "Checking", "1010"),
        ("Savings", "Bank", "Savings", "1020"),
        ("Undeposited Funds", "Other Current Asset", "UndepositedFunds", "1200"),
        ("Accounts Receivable (A/R)", "Accounts Receivable", "AccountsReceivable", "1100"),
        ("Prepaid Expenses", "Other Current Asset", "PrepaidExpenses", "1300"),
        ("Inventory Asset", "Other Current Asset", "Inventory", "1400"),
        ("Computers and Office Equipment", "Fixed Asset", "MachineryAndEquipment", "1500"),
        ("Accounts Payable (A/P)", "Accounts Payable", "AccountsPayable", "2000"),
        ("Company Credit Card", "Credit Card", "CreditCard", "2100"),
        ("Sales Tax Payable", "Other Current Liability", "SalesTaxPayable", "2200"),
        ("Unearned Revenue", "Other Current Liability", "OtherCurrentLiabilities", "2300"),
        ("Opening Balance Equity", "Equity", "OpeningBalanceEquity", "3000"),
        ("Retained Earnings", "Equity", "RetainedEarnings", "3100"),
        ("Services", "Income", "ServiceFeeIncome", "4000"),
        ("Consulting Income", "Income", "ServiceFeeIncome", "4010"),
        ("Training Income", "Income", "ServiceFeeIncome", "4020"),
        ("Support and Maintenance Income", "Income", "ServiceFeeIncome", "4030"),
        ("Billable Expense Income", "Income", "OtherPrimaryIncome", "4100"),
        ("Discounts given", "Income", "DiscountsRefundsGiven", "4900"),
        ("Cost of Services", "Cost of Goods Sold", "CostOfLaborCos", "5000"),
        ("Subcontractors", "Cost of Goods Sold", "CostOfLaborCos", "5010"),
        ("Advertising", "Expense", "AdvertisingPromotional", "6000"),
        ("Bank Charges", "Expense", "BankCharges", "6010"),
        ("Legal & Professional Fees", "Expense", "LegalProfessionalFees", "6020"),
        ("Office Expenses", "Expense", "OfficeGeneralAdministrativeExpenses", "6030"),
        ("Rent or Lease", "Expense", "RentOrLeaseOfBuildings", "6040"),
        ("Software Subscriptions", "Expense", "OtherMiscellaneousServiceCost", "6050"),
        ("Travel", "Expense", "Travel", "6060"),
        ("Utilities", "Expense", "Utilities", "6070"),
        ("Interest Earned", "Other Income", "InterestEarned", "7000"),
    ];

    public const string UndepositedFundsAccountId = "3";
    public const string AccountsReceivableAccountId = "4";

    private static readonly (string Name, int DueDays)[] Terms =
    [
        ("Due on receipt", 0), ("Net 10", 10), ("Net 15", 15), ("Net 30", 30), ("Net 60", 60),
    ];

    /// <summary>QBO's standard payment methods: (Name, Type).</summary>
    private static readonly (string Name, string Type)[] PaymentMethods =
    [
        ("Cash", "NON_CREDIT_CARD"), ("Check", "NON_CREDIT_CARD"), ("Visa", "CREDIT_CARD"), ("MasterCard", "CREDIT_CARD"),
        ("Discover", "CREDIT_CARD"), ("American Express", "CREDIT_CARD"), ("Diners Club", "CREDIT_CARD"),
    ];

    /// <summary>(Name, Description, UnitPrice, income account name).</summary>
    private static readonly (string Name, string Description, decimal Price, string Income)[] ServiceItems =
    [
        ("Services", "Professional services", 0m, "Services"),
        ("Hours", "Billable hours", 0m, "Services"),
        ("Consulting", "Consulting, per hour", 150m, "Consulting Income"),
        ("Senior Consulting", "Senior consultant, per hour", 210m, "Consulting Income"),
        ("Implementation", "Implementation services, per hour", 175m, "Services"),
        ("Project Management", "Project management, per hour", 160m, "Services"),
        ("Training", "On-site training, per day", 1200m, "Training Income"),
        ("Support Retainer", "Monthly support retainer", 2000m, "Support and Maintenance Income"),
        ("Travel Expenses", "Billable travel expenses", 0m, "Billable Expense Income"),
    ];

    public static Realm Create(string id, string name, QboClock clock)
    {
        var now = clock.UtcNow;
        var realm = new Realm { Id = id, Name = name, CreatedAt = now };
        var meta = new JsonObject { ["CreateTime"] = clock.MetaTime(now), ["LastUpdatedTime"] = clock.MetaTime(now) };

        JsonObject Add(EntityKind kind, JsonObject entity)
        {
            var entityId = entity.Text("Id") ?? realm.NextId(kind);
            entity["Id"] = entityId;
            entity["SyncToken"] = "0";
            entity["domain"] = "QBO";
            entity["sparse"] = false;
            entity["MetaData"] = meta.DeepClone();
            realm.Table(kind)[entityId] = entity;
            return entity;
        }

        var accountIds = new Dictionary<string, string>();
        foreach (var (accountName, type, subType, number) in ChartOfAccounts)
        {
            var account = Add(EntityKind.Account, new JsonObject
            {
                ["Name"] = accountName,
                ["SubAccount"] = false,
                ["FullyQualifiedName"] = accountName,
                ["Active"] = true,
                ["Classification"] = AccountTypes.Classification(type),
                ["AccountType"] = type,
                ["AccountSubType"] = subType,
                ["AcctNum"] = number,
                ["CurrentBalance"] = 0,
                ["CurrentBalanceWithSubAccounts"] = 0,
                ["CurrencyRef"] = Json.Ref("USD", "United States Dollar"),
            });
            accountIds[accountName] = account.Text("Id")!;
        }

        foreach (var (termName, dueDays) in Terms)
        {
            Add(EntityKind.Term, new JsonObject
            {
                ["Name"] = termName,
                ["Active"] = true,
                ["Type"] = "STANDARD",
                ["DueDays"] = dueDays,
                ["DiscountPercent"] = 0,
                ["DiscountDays"] = 0,
            });
        }

        foreach (var (methodName, type) in PaymentMethods)
            Add(EntityKind.PaymentMethod, new JsonObject { ["Name"] = methodName, ["Active"] = true, ["Type"] = type });

        var agency = Json.Ref("1", "California Department of Tax and Fee Administration");
        Add(EntityKind.TaxRate, new JsonObject
        {
            ["Name"] = "California", ["Description"] = "California state sales tax", ["Active"] = true,
            ["RateValue"] = 7.25m, ["AgencyRef"] = agency.DeepClone(), ["SpecialTaxType"] = "NONE", ["DisplayType"] = "ReadOnly",
        });
        Add(EntityKind.TaxRate, new JsonObject
        {
            ["Name"] = "San Francisco County", ["Description"] = "San Francisco district tax", ["Active"] = true,
            ["RateValue"] = 1.375m, ["AgencyRef"] = agency.DeepClone(), ["SpecialTaxType"] = "NONE", ["DisplayType"] = "ReadOnly",
        });
        Add(EntityKind.TaxCode, new JsonObject
        {
            ["Id"] = "TAX", ["Name"] = "TAX", ["Description"] = "TAX", ["Active"] = true, ["Taxable"] = true, ["TaxGroup"] = false,
        });
        Add(EntityKind.TaxCode, new JsonObject
        {
            ["Id"] = "NON", ["Name"] = "NON", ["Description"] = "NON", ["Active"] = true, ["Taxable"] = false, ["TaxGroup"] = false,
        });
        Add(EntityKind.TaxCode, new JsonObject
        {
            ["Id"] = "2", ["Name"] = "California", ["Description"] = "California state sales tax", ["Active"] = true,
            ["Taxable"] = true, ["TaxGroup"] = false,
            ["SalesTaxRateList"] = RateList(("1", "California")),
            ["PurchaseTaxRateList"] = new JsonObject { ["TaxRateDetail"] = new JsonArray() },
        });
        Add(EntityKind.TaxCode, new JsonObject
        {
            ["Id"] = "3", ["Name"] = "San Francisco", ["Description"] = "California plus San Francisco district tax", ["Active"] = true,
            ["Taxable"] = true, ["TaxGroup"] = true,
            ["SalesTaxRateList"] = RateList(("1", "California"), ("2", "San Francisco County")),
            ["PurchaseTaxRateList"] = new JsonObject { ["TaxRateDetail"] = new JsonArray() },
        });

        foreach (var (itemName, description, price, income) in ServiceItems)
        {
            Add(EntityKind.Item, new JsonObject
            {
                ["Name"] = itemName,
                ["Description"] = description,
                ["Active"] = true,
                ["FullyQualifiedName"] = itemName,
                ["Taxable"] = false,
                ["UnitPrice"] = Money.Normalize(price),
                ["Type"] = "Service",
                ["IncomeAccountRef"] = Json.Ref(accountIds[income], income),
                ["PurchaseCost"] = 0,
                ["TrackQtyOnHand"] = false,
            });
        }

        Add(EntityKind.CompanyInfo, new JsonObject
        {
            ["Id"] = "1",
            ["CompanyName"] = name,
            ["LegalName"] = name,
            ["CompanyAddr"] = new JsonObject { ["Line1"] = "2600 Marine Way", ["City"] = "Mountain View", ["CountrySubDivisionCode"] = "CA", ["PostalCode"] = "94043", ["Country"] = "US" },
            ["Country"] = "US",
            ["Email"] = new JsonObject { ["Address"] = "accounts@example.com" },
            ["FiscalYearStartMonth"] = "January",
            ["SupportedLanguages"] = "en",
            ["DefaultTimeZone"] = "America/Los_Angeles",
            ["CompanyStartDate"] = clock.Today(),
        });
        Add(EntityKind.Preferences, new JsonObject
        {
            ["Id"] = "1",
            ["AccountingInfoPrefs"] = new JsonObject
            {
                ["TrackDepartments"] = true, ["DepartmentTerminology"] = "Location",
                ["ClassTrackingPerTxn"] = true, ["ClassTrackingPerTxnLine"] = true, ["CustomerTerminology"] = "Customers",
            },
            ["SalesFormsPrefs"] = new JsonObject
            {
                ["CustomTxnNumbers"] = false, ["AllowDiscount"] = true, ["AllowDeposit"] = false, ["AllowShipping"] = false,
                ["DefaultTerms"] = Json.Ref("4", "Net 30"), ["ETransactionEnabledStatus"] = "NotApplicable",
            },
            ["TaxPrefs"] = new JsonObject { ["UsingSalesTax"] = true, ["PartnerTaxEnabled"] = false },
            ["CurrencyPrefs"] = new JsonObject { ["MultiCurrencyEnabled"] = false, ["HomeCurrency"] = new JsonObject { ["value"] = "USD" } },
        });
        // TaxCode ids "TAX"/"NON" are fixed; numeric tax codes continue from 4.
        realm.Sequences[EntityKind.TaxCode.Sequence] = 4;
        return realm;
    }

    private static JsonObject RateList(params (string Id, string Name)[] rates)
    {
        var details = new JsonArray();
        var order = 0;
        foreach (var (id, rateName) in rates)
            details.Add(new JsonObject { ["TaxRateRef"] = Json.Ref(id, rateName), ["TaxTypeApplicable"] = "TaxOnAmount", ["TaxOrder"] = order++ });
        return new JsonObject { ["TaxRateDetail"] = details };
    }
}

/// <summary>Account types and the classification each belongs to.</summary>
public static class AccountTypes
{
    private static readonly Dictionary<string, string> ClassificationByType = new(StringComparer.OrdinalIgnoreCase)
    {
        ["Bank"] = "Asset",
        ["Other Current Asset"] = "Asset",
        ["Fixed Asset"] = "Asset",
        ["Other Asset"] = "Asset",
        ["Accounts Receivable"] = "Asset",
        ["Accounts Payable"] = "Liability",
        ["Credit Card"] = "Liability",
        ["Other Current Liability"] = "Liability",
        ["Long Term Liability"] = "Liability",
        ["Equity"] = "Equity",
        ["Income"] = "Revenue",
        ["Other Income"] = "Revenue",
        ["Expense"] = "Expense",
        ["Other Expense"] = "Expense",
        ["Cost of Goods Sold"] = "Expense",
    };

    public static bool IsKnown(string type) => ClassificationByType.ContainsKey(type);

    public static string Canonical(string type) => ClassificationByType.Keys.First(k => string.Equals(k, type, StringComparison.OrdinalIgnoreCase));

    public static string Classification(string type) => ClassificationByType[type];
}
