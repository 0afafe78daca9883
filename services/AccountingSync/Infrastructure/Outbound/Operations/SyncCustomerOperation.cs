using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Infrastructure.Customers;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Outbound.Operations;

/// <summary>
/// Makes the golden customer exist in QuickBooks as master data has it now: sparse-updates the customer it is linked
/// to, or links an existing QuickBooks customer with the same display name or primary email, or creates one. Every
/// write carries a requestid derived from (customer, revision, step), so a re-delivery replays instead of writing
/// twice. A display name taken by an unrelated record (6240) gets the customer's deterministic suffix, once.
/// Answers CustomerSynced or CustomerSyncFailed. Run by the outbound worker, which waits out throttling, unanswered
/// requests and a lapsed authorisation (they propagate to it).
/// </summary>
public sealed class SyncCustomerOperation(QboClient qbo, IUnitOfWork unitOfWork, TimeProvider time, ILogger<SyncCustomerOperation> logger)
    : IOutboundOperation<SyncCustomer>
{
    public async Task RunAsync(SyncCustomer command, CancellationToken cancellationToken)
    {
        try
        {
            var synced = await SyncAsync(command, cancellationToken);
            var now = time.GetUtcNow();
            unitOfWork.Publish(synced with { SyncedAt = now });
            unitOfWork.Publish(new SyncSucceeded
            {
                TenantId = command.TenantId, Entity = ExceptionEntity, EntityId = command.CustomerId.ToString("D"), Operation = nameof(SyncCustomer),
                AccountingId = synced.AccountingCustomerRef, SucceededAt = now,
            });
        }
        catch (CustomerSyncRefused refused)
        {
            PublishFailure(command, refused.Kind, refused.Code, refused.Reason, null);
        }
        catch (QboException fault) when (!fault.IsRetryable && !fault.NeedsReauthorization)
        {
            var (kind, reason) = Explain(fault, command);
            PublishFailure(command, kind, fault.FirstCode, reason, fault);
        }
    }

    /// <summary>The entity the exception queue files customer syncs under (with the customer ID and the operation SyncCustomer).</summary>
    public const string ExceptionEntity = "Customer";

    private void PublishFailure(SyncCustomer command, string kind, string? code, string reason, QboException? fault)
    {
        unitOfWork.Publish(new OpenSyncException
        {
            TenantId = command.TenantId,
            Kind = kind switch
            {
                "DuplicateName" => SyncExceptionKind.DuplicateName,
                "NotConnected" => SyncExceptionKind.AuthorizationExpired,
                "Authentication" => SyncExceptionKind.AuthorizationExpired,
                _ => SyncExceptionKind.Validation,
            },
            Entity = ExceptionEntity,
            EntityId = command.CustomerId.ToString("D"),
            Operation = nameof(SyncCustomer),
            AccountingId = command.AccountingCustomerRef,
            RequestId = RequestId(command, command.AccountingCustomerRef is null ? "create" : "update"),
            Message = $"Customer '{command.DisplayName}' could not be written to QuickBooks: {reason}.",
            SuggestedFix = kind switch
            {
                "DuplicateName" => "Rename the customer in master data (or rename, merge or make inactive the QuickBooks record that has the name); the new name is sent by itself.",
                "NotConnected" => "Connect the tenant's QuickBooks company, then press Retry.",
                "Authentication" => "Check that the connected QuickBooks app may still use this company (reconnect it if needed), then press Retry.",
                "NotFound" => "Correct the QuickBooks reference (parent customer, linked customer) in master data; the corrected customer is sent by itself.",
                _ => "Correct the customer in master data (or what QuickBooks names), then press Retry.",
            },
            Detail = fault?.Message ?? code,
            CommandType = typeof(SyncCustomer).FullName,
            CommandJson = System.Text.Json.JsonSerializer.Serialize(command, System.Text.Json.JsonSerializerOptions.Web),
            OccurredAt = time.GetUtcNow(),
        });
        logger.LogWarning("Customer {Customer} (revision {Revision}) of tenant {Tenant} not synced to QuickBooks: {Kind} {Reason}",
            command.CustomerId, command.Revision, command.TenantId, kind, reason);
        unitOfWork.Publish(new CustomerSyncFailed
        {
            TenantId = command.TenantId,
            CustomerId = command.CustomerId,
            Revision = command.Revision,
            Kind = kind,
            Code = code,
            Reason = reason,
            FailedAt = time.GetUtcNow(),
        });
    }

    private async Task<CustomerSynced> SyncAsync(SyncCustomer command, CancellationToken cancellationToken)
    {
        var key = CustomerSyncRecord.KeyFor(command.TenantId, command.CustomerId);
        var record = (await unitOfWork.Store.Collection<CustomerSyncRecord>(CustomerSyncRecord.CollectionName).GetAsync(key, cancellationToken))?.Value;
        var reference = Blank(command.AccountingCustomerRef) ?? record?.AccountingCustomerRef;

        if (command.MakeInactive)
            return await DeactivateAsync(command, reference, cancellationToken);

        var notes = new List<string>();
        var desired = await DesiredCustomerAsync(command, notes, cancellationToken);

        if (reference is not null)
        {
            var current = await ReadLinkedAsync(command, reference, cancellationToken);
            return await UpdateAsync(command, current, desired, linked: false, notes, cancellationToken);
        }

        // A create of this very revision was sent and not recorded: repeat it (same requestid) rather than link its result.
        if (record?.CreatePendingRevision != command.Revision)
        {
            var (match, how) = await FindExistingAsync(command, desired, cancellationToken);
            if (match is not null)
            {
                await RememberAsync(command, match.Id!, match.DisplayName, createPending: false, cancellationToken);
                notes.Insert(0, $"Linked to the existing QuickBooks customer '{match.DisplayName}' (Id {match.Id}) with the same {how}.");
                return await UpdateAsync(command, match, desired, linked: true, notes, cancellationToken);
            }
        }

        await RememberAsync(command, null, desired.DisplayName, createPending: true, cancellationToken);
        var created = await CreateAsync(command, desired, notes, cancellationToken);
        await RememberAsync(command, created.Id!, created.DisplayName, createPending: false, cancellationToken);
        return Synced(command, created, linked: false, notes);
    }

    /// <summary>The customer as QuickBooks should hold it; null fields are left as they are by a sparse update.</summary>
    private async Task<QboCustomer> DesiredCustomerAsync(SyncCustomer command, List<string> notes, CancellationToken cancellationToken)
    {
        var displayName = CustomerNames.Clean(command.DisplayName);
        if (displayName.Length == 0)
            throw new CustomerSyncRefused("Validation", "display-name", "the customer has no display name to give QuickBooks");
        if (displayName != command.DisplayName.Trim())
            notes.Add($"QuickBooks does not allow colons, tabs or line breaks in names; the display name was written as '{displayName}'.");

        QboRef? terms = null;
        if (Blank(command.PaymentTerms) is { } termName)
        {
            var found = await qbo.QueryAsync<QboTerm>(command.TenantId, QboQuery.From("Term").Where("Name", "=", termName), cancellationToken);
            var term = found.Items.FirstOrDefault() ?? throw new CustomerSyncRefused("Validation", "unknown-terms",
                $"payment terms '{termName}' do not exist in QuickBooks; create them there or choose terms QuickBooks has");
            terms = QboRef.To(term.Id!, term.Name);
        }

        QboRef? currency = null;
        if (Blank(command.Currency)?.ToUpperInvariant() is { } code)
        {
            var preferences = await qbo.ReadPreferencesAsync(command.TenantId, cancellationToken);
            if (preferences.MultiCurrencyEnabled)
                currency = QboRef.To(code);
            else if (preferences.HomeCurrency is { } home && home != code)
                throw new CustomerSyncRefused("Validation", "currency",
                    $"the customer is billed in {code}, but the QuickBooks company works only in {home} (multicurrency is off); turn on multicurrency in QuickBooks or bill the customer in {home}");
        }

        string? exemptionReason = null;
        if (!command.Taxable)
        {
            exemptionReason = TaxExemptionReasons.Match(command.TaxExemptionReason)?.Id;
            if (exemptionReason is null)
                notes.Add(string.IsNullOrWhiteSpace(command.TaxExemptionReason)
                    ? "The customer is tax exempt without a recorded reason; choose the exemption reason in QuickBooks."
                    : $"The exemption reason '{command.TaxExemptionReason.Trim()}' matches none of QuickBooks' standard reasons; the customer is non-taxable there without a reason.");
        }

        var parent = Blank(command.ParentAccountingRef);
        return new QboCustomer
        {
            DisplayName = displayName,
            CompanyName = Blank(command.CompanyName),
            PrimaryEmailAddr = Blank(command.PrimaryEmail) is { } email ? new QboEmail { Address = email } : null,
            PrimaryPhone = Blank(command.Phone) is { } phone ? new QboPhone { FreeFormNumber = phone } : null,
            BillAddr = Address(command.BillingAddress),
            ShipAddr = Address(command.ShippingAddress),
            Taxable = command.Taxable,
            TaxExemptionReasonId = exemptionReason,
            ResaleNum = command.Taxable ? null : Blank(command.TaxExemptionCertificate),
            SalesTermRef = terms,
            CurrencyRef = currency,
            ParentRef = parent is null ? null : QboRef.To(parent),
            Job = parent is null ? null : true,
            BillWithParent = parent is null ? null : command.BillWithParent,
        };
    }

    private async Task<QboCustomer> ReadLinkedAsync(SyncCustomer command, string reference, CancellationToken cancellationToken)
    {
        try
        {
            return await qbo.ReadAsync<QboCustomer>(command.TenantId, reference, cancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.NotFound)
        {
            throw new CustomerSyncRefused("NotFound", fault.FirstCode,
                $"the QuickBooks customer {reference} this customer is linked to no longer exists in QuickBooks; link the customer again or clear its QuickBooks reference");
        }
    }

    /// <summary>An active QuickBooks customer to link: the same display name first, else the same primary email (only when exactly one has it).</summary>
    private async Task<(QboCustomer? Match, string How)> FindExistingAsync(SyncCustomer command, QboCustomer desired, CancellationToken cancellationToken)
    {
        var byName = await qbo.QueryAsync<QboCustomer>(command.TenantId, QboQuery.From("Customer").Where("DisplayName", "=", desired.DisplayName!), cancellationToken);
        if (byName.Items.FirstOrDefault() is { } named)
            return (named, "display name");
        if (desired.PrimaryEmailAddr?.Address is { } email)
        {
            var byEmail = await qbo.QueryAsync<QboCustomer>(command.TenantId, QboQuery.From("Customer").Where("PrimaryEmailAddr", "=", email).Page(1, 2), cancellationToken);
            if (byEmail.Items.Count == 1)
                return (byEmail.Items[0], "primary email address");
        }
        return (null, string.Empty);
    }

    private async Task<QboCustomer> CreateAsync(SyncCustomer command, QboCustomer desired, List<string> notes, CancellationToken cancellationToken)
    {
        try
        {
            return await qbo.CreateAsync(command.TenantId, desired, RequestId(command, "create"), cancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.DuplicateName)
        {
            var suffixed = CustomerNames.WithSuffix(desired.DisplayName!, command.CustomerId);
            logger.LogInformation("Display name {Name} is taken in QuickBooks for tenant {Tenant}; creating customer {Customer} as {Suffixed}",
                desired.DisplayName, command.TenantId, command.CustomerId, suffixed);
            var created = await WithSuffixAsync(desired.DisplayName!, suffixed,
                () => qbo.CreateAsync(command.TenantId, desired with { DisplayName = suffixed }, RequestId(command, "create-suffixed"), cancellationToken));
            notes.Insert(0, NameTakenNote(desired.DisplayName!, suffixed));
            return created;
        }
    }

    private async Task<CustomerSynced> UpdateAsync(SyncCustomer command, QboCustomer current, QboCustomer desired, bool linked, List<string> notes,
        CancellationToken cancellationToken)
    {
        var step = linked ? "link-update" : "update";
        QboCustomer updated;
        try
        {
            updated = await qbo.SparseUpdateAsync(command.TenantId, current.Id!, _ => desired, RequestId(command, step), current.SyncToken, cancellationToken);
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.DuplicateName)
        {
            var suffixed = CustomerNames.WithSuffix(desired.DisplayName!, command.CustomerId);
            updated = await WithSuffixAsync(desired.DisplayName!, suffixed, () => qbo.SparseUpdateAsync(command.TenantId, current.Id!,
                _ => desired with { DisplayName = suffixed }, RequestId(command, step + "-suffixed"), null, cancellationToken));
            notes.Insert(0, NameTakenNote(desired.DisplayName!, suffixed));
        }
        await RememberAsync(command, updated.Id!, updated.DisplayName, createPending: false, cancellationToken);
        return Synced(command, updated, linked, notes);
    }

    private async Task<CustomerSynced> DeactivateAsync(SyncCustomer command, string? reference, CancellationToken cancellationToken)
    {
        if (reference is null)
            throw new CustomerSyncRefused("Validation", "not-linked", "the customer has no QuickBooks customer to make inactive");
        var current = await ReadLinkedAsync(command, reference, cancellationToken);
        if (current.Active == false)
            return Synced(command, current, linked: false, ["The QuickBooks customer was already inactive."]);
        var updated = await qbo.SparseUpdateAsync(command.TenantId, current.Id!, _ => new QboCustomer { Active = false }, RequestId(command, "deactivate"),
            current.SyncToken, cancellationToken);
        return Synced(command, updated, linked: false, ["Made inactive in QuickBooks (QuickBooks keeps customers; it does not delete them)."]);
    }

    private static async Task<QboCustomer> WithSuffixAsync(string requested, string suffixed, Func<Task<QboCustomer>> write)
    {
        try
        {
            return await write();
        }
        catch (QboException fault) when (fault.Kind == QboErrorKind.DuplicateName)
        {
            throw new CustomerSyncRefused("DuplicateName", fault.FirstCode,
                $"the names '{requested}' and '{suffixed}' are both already used in QuickBooks by other customers, vendors or employees; rename the customer or the QuickBooks record");
        }
    }

    private static string NameTakenNote(string requested, string suffixed) =>
        $"The name '{requested}' is already used in QuickBooks by another record (an inactive customer, a vendor or an employee), so the customer is named '{suffixed}' there.";

    private async Task RememberAsync(SyncCustomer command, string? reference, string? displayName, bool createPending, CancellationToken cancellationToken)
    {
        var key = CustomerSyncRecord.KeyFor(command.TenantId, command.CustomerId);
        await unitOfWork.Store.CommitAsync([DocumentWrite.Upsert(CustomerSyncRecord.CollectionName, key, new CustomerSyncRecord
        {
            TenantId = command.TenantId,
            CustomerId = command.CustomerId,
            AccountingCustomerRef = reference,
            CreatePendingRevision = createPending ? command.Revision : null,
            DisplayName = displayName,
            Revision = command.Revision,
            Updated = time.GetUtcNow().UtcDateTime,
        })], cancellationToken);
    }

    private static CustomerSynced Synced(SyncCustomer command, QboCustomer customer, bool linked, IReadOnlyList<string> notes) => new()
    {
        TenantId = command.TenantId,
        CustomerId = command.CustomerId,
        Revision = command.Revision,
        AccountingCustomerRef = customer.Id!,
        DisplayName = customer.DisplayName ?? command.DisplayName,
        Linked = linked,
        Note = notes.Count == 0 ? null : string.Join(" ", notes),
        SyncedAt = default,
    };

    /// <summary>The requestid of one step of one revision: 32 hex characters, the same on every delivery.</summary>
    public static string RequestId(SyncCustomer command, string step) =>
        DeterministicId.Create("qbo-customer", command.TenantId, command.CustomerId.ToString("N"),
            command.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), step).ToString("N");

    /// <summary>The fault in the words of a finance user, with the kind master data acts on.</summary>
    public static (string Kind, string Reason) Explain(QboException fault, SyncCustomer command)
    {
        var detail = fault.Errors.FirstOrDefault() is { } first ? first.Detail ?? first.Message : fault.Message;
        return fault.Kind switch
        {
            QboErrorKind.Authentication when fault.FirstCode == "not-connected" =>
                ("NotConnected", "QuickBooks is not connected for this tenant; connect a QuickBooks company, then sync the customer again"),
            QboErrorKind.Authentication when fault.FirstCode == "reauthorization-required" =>
                ("Authentication", "the QuickBooks connection of this tenant has expired or was revoked; reconnect QuickBooks, then sync the customer again"),
            QboErrorKind.Authentication =>
                ("Authentication", $"QuickBooks refused access for this tenant's connection ({detail}); check that the connected app may use this company"),
            QboErrorKind.NotFound when command.ParentAccountingRef is not null && fault.Mentions("ParentRef") =>
                ("NotFound", $"the parent customer {command.ParentAccountingRef} does not exist in QuickBooks or is inactive"),
            QboErrorKind.NotFound =>
                ("NotFound", $"QuickBooks could not find something this customer refers to: {detail}"),
            QboErrorKind.DuplicateName =>
                ("DuplicateName", $"the name '{command.DisplayName}' is already used in QuickBooks by another customer, vendor or employee"),
            _ when command.PrimaryEmail is not null && fault.Mentions("email") =>
                (fault.Kind.ToString(), $"the email address '{command.PrimaryEmail}' was refused by QuickBooks: {detail}"),
            _ => (fault.Kind.ToString(), $"QuickBooks refused the customer: {detail}"),
        };
    }


    private static QboAddress? Address(PostalAddress? address) => address is null ? null : new QboAddress
    {
        Line1 = Blank(address.Line1),
        Line2 = Blank(address.Line2),
        City = Blank(address.City),
        CountrySubDivisionCode = Blank(address.Region),
        PostalCode = Blank(address.PostalCode),
        Country = Blank(address.Country),
    };

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private sealed class CustomerSyncRefused(string kind, string? code, string reason) : Exception(reason)
    {
        public string Kind { get; } = kind;
        public string? Code { get; } = code;
        public string Reason { get; } = reason;
    }
}
