using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using QuoteToCash.Contracts;
using QuoteToCash.DemoHistory.Domain;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>
/// Plays a <see cref="HistoryPlan"/> day by day: moves the local run's clock to the day (<see cref="DemoClockFile"/>),
/// does the day's actions only through the CRMs' and QuickBooks' own APIs and the gateway, as a salesperson, finance
/// and the project tool would, pays what customers pay that day (<see cref="PaymentBehaviour"/>), and lets the
/// platform finish what the day started before moving on. Progress is saved after every action.
/// </summary>
public sealed partial class HistoryPlayer(HistoryPlan plan, DemoProgress progress, string progressPath, DemoClockFile clock,
    IReadOnlyDictionary<string, DemoTenant> tenants, JsonApi gateway, TextWriter log)
{
    /// <summary>The hour of the day the clock is set to when a day starts (UTC).</summary>
    public static readonly TimeSpan WorkdayStart = TimeSpan.FromHours(10);

    /// <summary>How long the processes are given to read a rewritten clock file.</summary>
    public TimeSpan ClockSettle { get; init; } = TimeSpan.FromMilliseconds(700);

    /// <summary>How long a deal won today may take to reach a settled state before the day ends anyway.</summary>
    public TimeSpan FlowSettle { get; init; } = TimeSpan.FromSeconds(30);

    private static readonly HashSet<string> Settled = new(StringComparer.Ordinal)
    {
        "ContractActive", "InvoicesScheduled", "Drafted", "AwaitingApproval", "Sent", "PartiallyPaid", "Paid", "Overdue", "Closed", "Cancelled", "CustomerOnHold",
        "HeldForMapping", "HeldForClosedBooks", "HeldForPostingFailure", "HeldForCurrency", "HeldReopened", "HeldAfterLoss",
    };

    private readonly List<(DemoTenant Tenant, Guid FlowId, string Deal)> _waiting = [];
    private int _payments;

    public async Task PlayAsync(CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var days = plan.Calendar.Days().Where(d => progress.LastDay is not { } last || d > last).ToList();
        foreach (var day in days)
        {
            var last = day == plan.Calendar.End;
            // The last day is today: the clock goes back to the machine's own.
            if (last)
                clock.Write(TimeSpan.Zero);
            else
                clock.MoveTo(new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero) + WorkdayStart);
            await Task.Delay(ClockSettle, cancellationToken);

            foreach (var action in plan.On(day).Where(a => !progress.Done.Contains(a.Key)))
            {
                await DoAsync(action, cancellationToken);
                progress.Done.Add(action.Key);
                progress.Save(progressPath);
            }
            foreach (var tenant in tenants.Values)
                await PayAsync(tenant, day, cancellationToken);
            await SettleAsync(cancellationToken);
            progress.LastDay = day;
            progress.Save(progressPath);
            if (day.DayOfWeek == DayOfWeek.Friday || last)
                log.WriteLine($"{day:yyyy-MM-dd}  {progress.Done.Count,4} actions done, {progress.Payments.Count,4} payments  ({watch.Elapsed:mm\\:ss})");
        }
        progress.Complete = true;
        progress.Finished = DateTimeOffset.UtcNow;
        progress.Save(progressPath);
        log.WriteLine($"History played: {plan.Deals.Count} deals, {progress.Done.Count} actions and {progress.Payments.Count} payments in {watch.Elapsed:mm\\:ss} (this run: {_payments} payments).");
    }

    private Task DoAsync(DemoAction action, CancellationToken ct) => action switch
    {
        PrepareTenant a => PrepareAsync(tenants[a.Tenant], ct),
        WinDeal a => WinAsync(a.Deal, ct),
        ReachMilestone a => MilestoneAsync(a, ct),
        LogTime a => LogTimeAsync(a, ct),
        ApproveInvoices a => ApproveAsync(a, ct),
        MergeDuplicate a => MergeAsync(a, ct),
        CreditInvoice a => CreditAsync(a, ct),
        VoidInvoice a => VoidAsync(a, ct),
        EditInvoiceInBooks a => EditAsync(a, ct),
        AddProduct a => AddProductAsync(a, ct),
        MapProduct a => MapProductAsync(a, ct),
        _ => throw new InvalidOperationException($"No way to play {action.GetType().Name}."),
    };

    // ---- operator: the tenant's policy; the CRM admin: the custom deal fields -------------------------------------------------

    private static readonly string[] DealFields = ["billing_model", "billing_terms", "payment_terms", "business_unit", "region", "segment"];

    private async Task PrepareAsync(DemoTenant tenant, CancellationToken ct)
    {
        // The firm's rates, each role billed as its catalogue product: every deal's rate card unless its terms say otherwise.
        await gateway.CallAsync(HttpMethod.Put, $"/api/crm/{tenant.Id}/billing-defaults", new
        {
            rateCard = DemoCatalogue.Roles.Select(r => new { role = r.Role, rate = r.Rate, currency = "USD", product = "id:" + ProductId(tenant, r.Product) }).ToArray(),
        }, ct);
        await gateway.CallAsync(HttpMethod.Put, $"/api/billing/{tenant.Id}/policy", new
        {
            approval = new { maxDiscountPercent = 15m, maxNetDays = DemoPolicy.MaxNetDays, maxAmount = DemoPolicy.MaxAmount, manualLinesNeedApproval = true, slaHours = 48 },
        }, ct);
        foreach (var field in DealFields)
        {
            if (tenant.Crm == DemoCrm.HubSpot)
            {
                var answer = await tenant.CrmApi.SendAsync(HttpMethod.Post, "/crm/v3/properties/deals",
                    new { name = "q2c_" + field, label = "Q2C " + field.Replace('_', ' '), type = "string", fieldType = "textarea", groupName = "dealinformation" }, ct);
                if (!answer.Ok && answer.Status != HttpStatusCode.Conflict)
                    answer.Success("HubSpot deal property q2c_" + field);
            }
            else
            {
                var name = "Q2C_" + string.Join('_', field.Split('_').Select(p => char.ToUpperInvariant(p[0]) + p[1..])) + "__c";
                var answer = await tenant.CrmApi.SendAsync(HttpMethod.Post, "tooling/sobjects/CustomField",
                    new { FullName = "Opportunity." + name, Metadata = new { label = name[..^3].Replace('_', ' '), type = "Text", length = 4000 } }, ct);
                if (!answer.Ok && !answer.Text.Contains("DUPLICATE_DEVELOPER_NAME", StringComparison.Ordinal))
                    answer.Success("Salesforce field " + name);
            }
        }
    }

    // ---- sales: the company, its billing contact and the deal, won ---------------------------------------------------------

    private string? Id(string key) => progress.Ids.TryGetValue(key, out var id) ? id : null;

    private void Remember(string key, string id)
    {
        progress.Ids[key] = id;
        progress.Save(progressPath);
    }

    private string ProductId(DemoTenant tenant, DemoProduct product) =>
        tenant.Products.TryGetValue(product.Sku, out var id) ? id
        : Id($"product:{tenant.Id}:{product.Sku}") ?? throw new InvalidOperationException($"{product.Sku} is not in {tenant.Id}'s CRM.");

    /// <summary>
    /// The deal's terms as the q2c_billing_terms field holds them (products named by their CRM IDs). The rates come from
    /// the tenant's rate card (<see cref="PrepareAsync"/>), which keeps the terms within a Salesforce text field's 255 characters.
    /// </summary>
    internal static string TermsJson(DemoDeal deal, Func<DemoProduct, string> productId)
    {
        object terms = deal.Model switch
        {
            BillingModel.FixedFee => new
            {
                instalments = deal.Plan.Select(p => new
                {
                    id = p.Id, label = p.Name, percent = p.Percent, trigger = p.Id == QuoteToCash.Contracts.CrmIngest.MilestoneReached.Completion ? "OnCompletion" : "OnSigning",
                }).ToArray(),
            },
            BillingModel.Milestones => new { milestones = deal.Plan.Select(p => new { id = p.Id, name = p.Name, percent = p.Percent }).ToArray() },
            BillingModel.TimeAndMaterials => new { period = "Monthly" },
            BillingModel.Retainer => new { retainer = new { deposit = deal.RetainerDeposit, threshold = deal.RetainerThreshold }, period = "Monthly" },
            _ => new
            {
                subscription = new
                {
                    interval = "Monthly", quantity = deal.SubscriptionSeats, unitPrice = DemoCatalogue.Support.UnitPrice, periods = deal.SubscriptionMonths,
                    product = "id:" + productId(DemoCatalogue.Support),
                },
            },
        };
        return JsonSerializer.Serialize(terms, new JsonSerializerOptions(JsonSerializerDefaults.Web) { DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull });
    }

    private async Task WinAsync(DemoDeal deal, CancellationToken ct)
    {
        var tenant = tenants[deal.Tenant];
        var terms = TermsJson(deal, p => ProductId(tenant, p));
        var dealId = tenant.Crm == DemoCrm.HubSpot ? await HubSpotDealAsync(tenant, deal, terms, ct) : await SalesforceOpportunityAsync(tenant, deal, terms, ct);
        _waiting.Add((tenant, FlowId.For(tenant.Id, tenant.Source, dealId), deal.Key));
    }

    private async Task<string> HubSpotDealAsync(DemoTenant tenant, DemoDeal deal, string terms, CancellationToken ct)
    {
        var customer = deal.Customer;
        var company = Id($"company:{customer.Key}");
        if (company is null)
        {
            var properties = new Dictionary<string, string> { ["name"] = customer.Name, ["domain"] = customer.Domain, ["city"] = customer.City, ["state"] = customer.State, ["country"] = "US" };
            if (!customer.MissingAddress)
            {
                properties["address"] = customer.Street;
                properties["zip"] = customer.Zip;
            }
            company = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "/crm/v3/objects/companies", new { properties }, ct)).GetProperty("id").GetString()!;
            Remember($"company:{customer.Key}", company);
        }
        var contact = Id($"contact:{customer.Key}");
        if (contact is null)
        {
            contact = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "/crm/v3/objects/contacts",
                new { properties = new { email = customer.BillingEmail, firstname = "Accounts", lastname = "Payable" } }, ct)).GetProperty("id").GetString()!;
            Remember($"contact:{customer.Key}", contact);
        }
        var dealId = Id($"deal:{deal.Key}");
        if (dealId is null)
        {
            var properties = new Dictionary<string, string>
            {
                ["dealname"] = deal.Name, ["dealstage"] = "contractsent", ["pipeline"] = "default", ["deal_currency_code"] = "USD",
                ["amount"] = deal.Amount.ToString(CultureInfo.InvariantCulture), ["q2c_billing_model"] = deal.ModelField, ["q2c_billing_terms"] = terms,
                ["q2c_payment_terms"] = deal.PaymentTerms, ["q2c_business_unit"] = deal.BusinessUnit, ["q2c_region"] = deal.Region, ["q2c_segment"] = deal.Segment,
            };
            dealId = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "/crm/v3/objects/deals", new
            {
                properties,
                associations = new object[]
                {
                    new { to = new { id = company }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 5 } } },
                    new { to = new { id = contact }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 3 } } },
                },
            }, ct)).GetProperty("id").GetString()!;
            Remember($"deal:{deal.Key}", dealId);
            progress.Ids[$"crm-deal:{tenant.Id}:{dealId}"] = deal.Key;
            foreach (var line in deal.Lines)
            {
                await tenant.CrmApi.CallAsync(HttpMethod.Post, "/crm/v3/objects/line_items", new
                {
                    properties = new
                    {
                        hs_product_id = ProductId(tenant, line.Product), name = line.Product.Name, quantity = line.Quantity.ToString(CultureInfo.InvariantCulture),
                        price = line.Product.UnitPrice.ToString(CultureInfo.InvariantCulture),
                    },
                    associations = new[] { new { to = new { id = dealId }, types = new[] { new { associationCategory = "HUBSPOT_DEFINED", associationTypeId = 20 } } } },
                }, ct);
            }
        }
        await tenant.CrmApi.CallAsync(HttpMethod.Patch, $"/crm/v3/objects/deals/{dealId}", new { properties = new { dealstage = "closedwon" } }, ct);
        return dealId;
    }

    private async Task<string> SalesforceOpportunityAsync(DemoTenant tenant, DemoDeal deal, string terms, CancellationToken ct)
    {
        var customer = deal.Customer;
        var account = Id($"company:{customer.Key}");
        if (account is null)
        {
            var fields = new Dictionary<string, object>
            {
                ["Name"] = customer.Name, ["Website"] = "https://" + customer.Domain, ["BillingCity"] = customer.City,
                ["BillingState"] = customer.State, ["BillingCountry"] = "US",
            };
            if (!customer.MissingAddress)
            {
                fields["BillingStreet"] = customer.Street;
                fields["BillingPostalCode"] = customer.Zip;
            }
            account = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "sobjects/Account", fields, ct)).GetProperty("id").GetString()!;
            Remember($"company:{customer.Key}", account);
            await tenant.CrmApi.CallAsync(HttpMethod.Post, "sobjects/Contact",
                new { AccountId = account, FirstName = "Accounts", LastName = "Payable", Email = customer.BillingEmail }, ct);
        }
        var opportunity = Id($"deal:{deal.Key}");
        if (opportunity is null)
        {
            var fields = new Dictionary<string, object>
            {
                ["Name"] = deal.Name, ["AccountId"] = account, ["StageName"] = "Negotiation/Review", ["CloseDate"] = deal.WonOn.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["Q2C_Billing_Model__c"] = deal.ModelField, ["Q2C_Billing_Terms__c"] = terms, ["Q2C_Payment_Terms__c"] = deal.PaymentTerms,
                ["Q2C_Business_Unit__c"] = deal.BusinessUnit, ["Q2C_Region__c"] = deal.Region, ["Q2C_Segment__c"] = deal.Segment,
            };
            if (deal.Lines.Count == 0)
                fields["Amount"] = deal.Amount;
            opportunity = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "sobjects/Opportunity", fields, ct)).GetProperty("id").GetString()!;
            Remember($"deal:{deal.Key}", opportunity);
            progress.Ids[$"crm-deal:{tenant.Id}:{opportunity}"] = deal.Key;
            foreach (var line in deal.Lines)
            {
                await tenant.CrmApi.CallAsync(HttpMethod.Post, "sobjects/OpportunityLineItem", new
                {
                    OpportunityId = opportunity, Product2Id = ProductId(tenant, line.Product), Quantity = line.Quantity, UnitPrice = line.Product.UnitPrice,
                }, ct);
            }
        }
        await tenant.CrmApi.CallAsync(HttpMethod.Patch, $"sobjects/Opportunity/{opportunity}", new { StageName = "Closed Won" }, ct);
        return opportunity;
    }

    // ---- the project tool: milestones and time, through the gateway's generic API ------------------------------------------

    private (DemoTenant Tenant, string DealId) DealOf(string dealKey)
    {
        var deal = plan.Deal(dealKey);
        var tenant = tenants[deal.Tenant];
        return (tenant, Id($"deal:{dealKey}") ?? throw new InvalidOperationException($"Deal {dealKey} was never created."));
    }

    private async Task MilestoneAsync(ReachMilestone milestone, CancellationToken ct)
    {
        var (tenant, dealId) = DealOf(milestone.DealKey);
        await Accepted(await gateway.SendAsync(HttpMethod.Post, $"/api/crm/{tenant.Id}/deals/{dealId}/milestones",
            new { sourceSystem = tenant.Source, milestoneId = milestone.MilestoneId, name = milestone.Name }, ct), $"milestone {milestone.Key}");
    }

    private async Task LogTimeAsync(LogTime time, CancellationToken ct)
    {
        var (tenant, dealId) = DealOf(time.DealKey);
        await Accepted(await gateway.SendAsync(HttpMethod.Post, $"/api/crm/{tenant.Id}/deals/{dealId}/time-entries", new
        {
            sourceSystem = tenant.Source, entryId = time.EntryId, person = time.Person, role = time.Role, date = time.On, hours = time.Hours, billable = time.Billable,
            description = time.Description,
        }, ct), $"time {time.Key}");
    }

    /// <summary>An answer the history can go on after: accepted, a duplicate, or refused for a reason worth a line in the log.</summary>
    private Task Accepted(ApiAnswer answer, string what)
    {
        if (!answer.Ok)
            log.WriteLine($"  {what}: {(int)answer.Status} {answer.Text[..Math.Min(answer.Text.Length, 300)]}");
        return Task.CompletedTask;
    }

    // ---- finance: approvals, credits; QuickBooks users: voids, edits; the catalogue --------------------------------------

    private async Task<JsonElement?> FlowAsync(DemoTenant tenant, string dealId, CancellationToken ct)
    {
        var answer = await gateway.SendAsync(HttpMethod.Get, $"/api/billing/{tenant.Id}/flows/{FlowId.For(tenant.Id, tenant.Source, dealId)}", null, ct);
        return answer.Ok ? answer.Json : null;
    }

    private async Task<JsonElement?> FirstInvoiceAsync(string dealKey, CancellationToken ct)
    {
        var (tenant, dealId) = DealOf(dealKey);
        for (var attempt = 0; attempt < 20; attempt++)
        {
            if (await FlowAsync(tenant, dealId, ct) is { } flow && flow.GetProperty("invoices").EnumerateArray()
                    .FirstOrDefault(i => i.TryGetProperty("accountingInvoiceId", out var id) && id.ValueKind == JsonValueKind.String) is { ValueKind: JsonValueKind.Object } invoice)
                return invoice;
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
        log.WriteLine($"  {dealKey}: no invoice in QuickBooks yet; skipped");
        return null;
    }

    private async Task ApproveAsync(ApproveInvoices approve, CancellationToken ct)
    {
        var (tenant, dealId) = DealOf(approve.DealKey);
        var flowId = FlowId.For(tenant.Id, tenant.Source, dealId);
        var pending = await gateway.CallAsync(HttpMethod.Get, $"/api/billing/{tenant.Id}/approvals", null, ct);
        foreach (var waiting in pending.EnumerateArray().Where(p => p.GetProperty("flowId").GetGuid() == flowId))
        {
            var invoiceId = waiting.GetProperty("invoice").GetProperty("invoiceId").GetString();
            await Accepted(await gateway.SendAsync(HttpMethod.Post, $"/api/billing/{tenant.Id}/flows/{flowId}/invoices/{invoiceId}/approve",
                new { note = "Agreed with the customer's procurement: 60 days for this engagement" }, ct), $"approval of {approve.DealKey}");
        }
    }

    /// <summary>Merges the near-duplicate into the customer master data suggested for it (its review item's best candidate).</summary>
    private async Task MergeAsync(MergeDuplicate merge, CancellationToken ct)
    {
        var tenant = tenants[merge.Tenant];
        var duplicate = plan.Customers.Single(c => c.Key == merge.DuplicateKey);
        var original = plan.Customers.Single(c => c.Key == merge.OriginalKey);
        var items = await gateway.CallAsync(HttpMethod.Get, $"/api/master-data/{tenant.Id}/review?kind=PotentialDuplicate", null, ct);
        var item = items.EnumerateArray().FirstOrDefault(i => i.GetProperty("customerName").GetString() == duplicate.Name);
        if (item.ValueKind != JsonValueKind.Object)
        {
            log.WriteLine($"  {merge.Key}: master data holds no duplicate question for {duplicate.Name}; nothing merged");
            return;
        }
        var survivor = item.GetProperty("candidates").EnumerateArray().FirstOrDefault(c => c.GetProperty("displayName").GetString() == original.Name);
        if (survivor.ValueKind != JsonValueKind.Object)
        {
            log.WriteLine($"  {merge.Key}: {original.Name} is not among the candidates for {duplicate.Name}; nothing merged");
            return;
        }
        await Accepted(await gateway.SendAsync(HttpMethod.Post, $"/api/master-data/{tenant.Id}/customers/{item.GetProperty("customerId").GetString()}/merge",
            new { survivorId = survivor.GetProperty("customerId").GetString(), note = $"{duplicate.Name} is {original.Name}, entered again by another salesperson" }, ct),
            $"merge of {duplicate.Name} into {original.Name}");
    }

    private async Task CreditAsync(CreditInvoice credit, CancellationToken ct)
    {
        var (tenant, dealId) = DealOf(credit.DealKey);
        if (await FirstInvoiceAsync(credit.DealKey, ct) is not { } invoice)
            return;
        var amount = Math.Min(credit.Amount, invoice.GetProperty("balance").GetDecimal());
        if (amount <= 0)
            return;
        await Accepted(await gateway.SendAsync(HttpMethod.Post,
            $"/api/billing/{tenant.Id}/flows/{FlowId.For(tenant.Id, tenant.Source, dealId)}/invoices/{invoice.GetProperty("invoiceId").GetString()}/credits",
            new { amount, reason = credit.Reason, requestId = credit.Key }, ct), $"credit {credit.Key}");
    }

    private async Task VoidAsync(VoidInvoice voiding, CancellationToken ct)
    {
        var tenant = tenants[plan.Deal(voiding.DealKey).Tenant];
        if (await FirstInvoiceAsync(voiding.DealKey, ct) is not { } invoice)
            return;
        var books = await tenant.Books.ReadInvoiceAsync(invoice.GetProperty("accountingInvoiceId").GetString()!, ct);
        if (books.GetProperty("Balance").GetDecimal() < books.GetProperty("TotalAmt").GetDecimal())
            return; // paid (in part) already: finance would credit it, not void it
        await tenant.Books.VoidInvoiceAsync(books, ct);
    }

    private async Task EditAsync(EditInvoiceInBooks edit, CancellationToken ct)
    {
        var tenant = tenants[plan.Deal(edit.DealKey).Tenant];
        if (await FirstInvoiceAsync(edit.DealKey, ct) is not { } invoice)
            return;
        var books = await tenant.Books.ReadInvoiceAsync(invoice.GetProperty("accountingInvoiceId").GetString()!, ct);
        var due = DateOnly.ParseExact(books.GetProperty("DueDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        await tenant.Books.MoveDueDateAsync(books, due.AddDays(edit.ExtraDays), ct);
    }

    private async Task AddProductAsync(AddProduct add, CancellationToken ct)
    {
        var tenant = tenants[add.Tenant];
        var key = $"product:{tenant.Id}:{add.Product.Sku}";
        if (Id(key) is not null)
            return;
        string id;
        if (tenant.Crm == DemoCrm.HubSpot)
        {
            id = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "/crm/v3/objects/products", new
            {
                properties = new { name = add.Product.Name, hs_sku = add.Product.Sku, price = add.Product.UnitPrice.ToString(CultureInfo.InvariantCulture) },
            }, ct)).GetProperty("id").GetString()!;
        }
        else
        {
            var book = (await tenant.CrmApi.CallAsync(HttpMethod.Get, "query?q=" + Uri.EscapeDataString("SELECT Id FROM Pricebook2 WHERE IsStandard = true"), null, ct))
                .GetProperty("records")[0].GetProperty("Id").GetString();
            id = (await tenant.CrmApi.CallAsync(HttpMethod.Post, "sobjects/Product2", new { Name = add.Product.Name, ProductCode = add.Product.Sku, IsActive = true }, ct))
                .GetProperty("id").GetString()!;
            await tenant.CrmApi.CallAsync(HttpMethod.Post, "sobjects/PricebookEntry",
                new { Pricebook2Id = book, Product2Id = id, UnitPrice = add.Product.UnitPrice, IsActive = true }, ct);
        }
        Remember(key, id);
    }

    private async Task MapProductAsync(MapProduct map, CancellationToken ct)
    {
        var tenant = tenants[map.Tenant];
        var item = await tenant.Books.ServiceItemAsync(map.Product.ItemName, "Services", ct);
        var body = new[] { new { crmProductId = ProductId(tenant, map.Product), productName = map.Product.Name, itemRef = item } };
        // Master data checks the item against QuickBooks' lists, which accounting-sync re-reads shortly after the item appears.
        for (var attempt = 0; ; attempt++)
        {
            var answer = await gateway.SendAsync(HttpMethod.Put, $"/api/master-data/{tenant.Id}/item-mappings", body, ct);
            if (answer.Ok || attempt >= 60 || answer.Status is not (HttpStatusCode.BadRequest or HttpStatusCode.Conflict))
            {
                await Accepted(answer, $"mapping of {map.Product.Sku} in {tenant.Id}");
                return;
            }
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    // ---- customers: payments in QuickBooks ---------------------------------------------------------------------------

    [GeneratedRegex(@"deal:(hubspot|salesforce):([A-Za-z0-9._-]+)")]
    private static partial Regex DealMarker();

    private async Task PayAsync(DemoTenant tenant, DateOnly day, CancellationToken ct)
    {
        var invoices = await tenant.Books.QueryAsync("Invoice", null, ct);
        foreach (var invoice in invoices)
        {
            var balance = invoice.GetProperty("Balance").GetDecimal();
            if (balance <= 0 || !invoice.TryGetProperty("PrivateNote", out var note) || DealMarker().Match(note.GetString() ?? "") is not { Success: true } marker)
                continue;
            if (Id($"crm-deal:{tenant.Id}:{marker.Groups[2].Value}") is not { } dealKey)
                continue;
            var payer = plan.Deal(dealKey).Customer.Payer;
            var id = invoice.GetProperty("Id").GetString()!;
            var invoiceDate = DateOnly.ParseExact(invoice.GetProperty("TxnDate").GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            var dueDate = invoice.TryGetProperty("DueDate", out var due) ? DateOnly.ParseExact(due.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture) : invoiceDate.AddDays(30);
            var schedule = PaymentBehaviour.For(plan.Seed, $"{tenant.Id}:{id}", payer, invoiceDate, dueDate, invoice.GetProperty("TotalAmt").GetDecimal());
            for (var part = 0; part < schedule.Count; part++)
            {
                var key = $"{tenant.Id}:{id}:{part}";
                if (schedule[part].On > day || progress.Payments.Contains(key))
                    continue;
                var amount = schedule[part].Rest ? balance : Math.Min(balance, schedule[part].Amount);
                if (amount > 0)
                {
                    await tenant.Books.ReceivePaymentAsync(invoice, amount, day, ct);
                    balance -= amount;
                    _payments++;
                }
                progress.Payments.Add(key);
                progress.Save(progressPath);
            }
        }
    }

    // ---- let the platform finish the day ----------------------------------------------------------------------------

    private async Task SettleAsync(CancellationToken ct)
    {
        var deadline = DateTimeOffset.UtcNow + FlowSettle;
        foreach (var (tenant, flowId, deal) in _waiting)
        {
            while (true)
            {
                var answer = await gateway.SendAsync(HttpMethod.Get, $"/api/billing/{tenant.Id}/flows/{flowId}", null, ct);
                if (answer.Ok && answer.Json.GetProperty("currentState").GetString() is { } state && Settled.Contains(state))
                    break;
                if (DateTimeOffset.UtcNow > deadline)
                {
                    log.WriteLine($"  {deal}: still {(answer.Ok ? answer.Json.GetProperty("currentState").GetString() : "unknown to billing")} at the end of the day");
                    break;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(300), ct);
            }
        }
        _waiting.Clear();
    }
}
