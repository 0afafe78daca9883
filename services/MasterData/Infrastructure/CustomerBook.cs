using System.Security.Cryptography;
using System.Text;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.MasterData.Domain;
using QuoteToCash.MasterData.Domain.Matching;
using QuoteToCash.MasterData.Infrastructure.Matching;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.MasterData.Infrastructure;

/// <summary>
/// The customers of a tenant in master-data's store, changed only through one unit of work: a change writes the
/// record, its history, its reference keys and review items together, and releases the flows that waited for the
/// customer in the same commit, so each held flow hears <see cref="CustomerReady"/> exactly once.
/// </summary>
public sealed class CustomerBook(IUnitOfWork unitOfWork, TimeProvider time)
{
    private IDocumentStore Store => unitOfWork.Store;

    public DateTime Now => time.GetUtcNow().UtcDateTime;

    public async Task<MasterDataPolicy> PolicyAsync(string tenant, CancellationToken cancellationToken) =>
        (await Store.Collection<MasterDataPolicy>(MasterDataPolicy.CollectionName).GetAsync(tenant, cancellationToken))?.Value
        ?? MasterDataPolicy.Default(tenant);

    /// <summary>The tenant's customer, or null (another tenant's customer is not found either).</summary>
    public async Task<StoredDocument<GoldenCustomer>?> FindAsync(string tenant, Guid customerId, CancellationToken cancellationToken)
    {
        var document = await Store.Collection<GoldenCustomer>(GoldenCustomer.CollectionName).GetAsync(customerId.ToString("D"), cancellationToken);
        return document is not null && document.Value.TenantId == tenant ? document : null;
    }

    /// <summary>The customer a system's identifier belongs to (after a merge: the survivor).</summary>
    public async Task<StoredDocument<GoldenCustomer>?> FindByReferenceAsync(string tenant, string system, string externalId,
        CancellationToken cancellationToken)
    {
        var reference = await Store.Collection<CustomerReferenceKey>(CustomerReferenceKey.CollectionName)
            .GetAsync(ReferenceKey(tenant, system, externalId), cancellationToken);
        return reference is null ? null : await FindAsync(tenant, reference.Value.CustomerId, cancellationToken);
    }

    public async Task<bool> HasOpenItemAsync(string tenant, Guid customerId, ReviewKind kind, CancellationToken cancellationToken)
    {
        var item = await Store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(ReviewItem.KeyFor(kind, customerId), cancellationToken);
        return item is not null && item.Value.TenantId == tenant && item.Value.Status == ReviewStatus.Open;
    }

    /// <summary>
    /// Re-checks and writes a changed customer: status, history, reference keys, the missing-fields item, and, when it is
    /// billable, the release of every flow that waited for it (except <paramref name="answeredFlow"/>, answered by the caller).
    /// </summary>
    /// <param name="loadedSnapshot">
    /// <see cref="Snapshot"/> of the record as loaded, before the caller changed it: when the record comes out the same
    /// (a repeat customer's next deal, with nothing new from the CRM), nothing is written for it, so deals of one customer
    /// resolved side by side do not collide on its document.
    /// </param>
    public async Task SaveAsync(StoredDocument<GoldenCustomer>? loaded, GoldenCustomer customer, IEnumerable<FieldChange> changes,
        MasterDataPolicy policy, CancellationToken cancellationToken, Guid? answeredFlow = null, bool? duplicateQuestionOpen = null,
        bool accountingHasIt = false, string? loadedSnapshot = null)
    {
        var history = changes.ToList();
        var duplicateOpen = duplicateQuestionOpen
                            ?? await HasOpenItemAsync(customer.TenantId, customer.CustomerId, ReviewKind.PotentialDuplicate, cancellationToken);
        if (CustomerLifecycle.Reassess(customer, policy, duplicateOpen, Now) is { } statusChange)
            history.Add(statusChange);
        if (history.Count > 0 || loaded is null)
        {
            customer.Revision++;
            customer.Updated = Now;
        }
        if (accountingHasIt)
            customer.SyncRequestedRevision = customer.SyncedRevision = customer.Revision;
        else if (CustomerLifecycle.NeedsSync(customer, policy))
            await RequestSyncAsync(customer, cancellationToken);
        var unchanged = loaded is not null && history.Count == 0 && loadedSnapshot is not null && loadedSnapshot == Snapshot(customer);
        var ready = CustomerLifecycle.IsReadyToBill(customer, policy);
        if (!unchanged)
        {
            Write(loaded, customer, history);
            await IndexForMatchingAsync(customer, cancellationToken);
            await SyncMissingFieldsItemAsync(customer, cancellationToken);
        }
        else if (!ready && answeredFlow is not null)
        {
            // The deal will wait for this customer. The unchanged record is written back at the version it was read, so
            // a change committed meanwhile that releases the waiting deals (QuickBooks' answer, an approval) conflicts
            // with this commit and one of the two is retried and sees the other. Without it, that change could look for
            // waiting deals just before this one registers, and the deal would wait for ever.
            unitOfWork.Replace(GoldenCustomer.CollectionName, loaded!, customer);
        }
        if (ready)
            await ReleaseWaitingFlowsAsync(customer, policy, answeredFlow, cancellationToken);
    }

    /// <summary>The record's whole content, to tell whether a change left it as it was.</summary>
    public static string Snapshot(GoldenCustomer customer) => System.Text.Json.JsonSerializer.Serialize(customer);

    /// <summary>Writes the record, its history entries (under its current revision) and the reference keys of its cross-references.</summary>
    public void Write(StoredDocument<GoldenCustomer>? loaded, GoldenCustomer customer, IReadOnlyList<FieldChange> history)
    {
        unitOfWork.InsertOrReplace(GoldenCustomer.CollectionName, customer.CustomerId.ToString("D"), loaded, customer);
        for (var i = 0; i < history.Count; i++)
        {
            unitOfWork.Insert(CustomerHistoryEntry.CollectionName, CustomerHistoryEntry.KeyFor(customer.CustomerId, customer.Revision, i),
                new CustomerHistoryEntry { CustomerId = customer.CustomerId, TenantId = customer.TenantId, Revision = customer.Revision, Change = history[i] });
        }
        // Every cross-reference points here (an upsert: cheap, and right after a merge moved references over); a merged
        // customer's references belong to its survivor.
        if (customer.Status != CustomerStatus.Merged)
        {
            foreach (var reference in customer.CrossReferences)
                PointReference(customer.TenantId, reference, customer.CustomerId);
        }
    }

    public void PointReference(string tenant, CrossReference reference, Guid customerId) =>
        unitOfWork.Upsert(CustomerReferenceKey.CollectionName, ReferenceKey(tenant, reference.System, reference.ExternalId), new CustomerReferenceKey
        {
            TenantId = tenant, System = reference.System, ExternalId = reference.ExternalId, CustomerId = customerId,
        });

    /// <summary>Records the flow as one of the customer's and tells it whether it can bill now.</summary>
    public async Task AnswerFlowAsync(GoldenCustomer customer, Guid flowId, MasterDataPolicy policy, CancellationToken cancellationToken,
        IReadOnlyList<string>? pendingReasons = null)
    {
        var existing = await Store.Collection<CustomerFlow>(CustomerFlow.CollectionName).GetAsync(flowId.ToString("D"), cancellationToken);
        var ready = CustomerLifecycle.IsReadyToBill(customer, policy);
        var flow = existing?.Value ?? new CustomerFlow { FlowId = flowId, TenantId = customer.TenantId, Requested = Now };
        flow.CustomerId = customer.CustomerId;
        flow.Released = ready;
        flow.ReleasedAt = ready ? Now : null;
        unitOfWork.InsertOrReplace(CustomerFlow.CollectionName, flowId.ToString("D"), existing, flow);
        if (ready)
            unitOfWork.Publish(Ready(customer, flowId, policy));
        else if (CustomerLifecycle.IsBillable(customer) && customer.SyncState != AccountingSyncState.Failed)
            return; // the customer is on its way to QuickBooks: the flow is released when it arrives there
        else
            unitOfWork.Publish(new CustomerNeedsReview
            {
                TenantId = customer.TenantId, FlowId = flowId, CustomerId = customer.CustomerId, Reasons = pendingReasons ?? await ReviewReasonsAsync(customer, cancellationToken),
            });
    }

    /// <summary>Every flow still waiting for the customer hears it is ready; the versioned write makes that happen once.</summary>
    public async Task<int> ReleaseWaitingFlowsAsync(GoldenCustomer customer, MasterDataPolicy policy, Guid? except, CancellationToken cancellationToken)
    {
        var customerId = customer.CustomerId;
        var waiting = await Store.Collection<CustomerFlow>(CustomerFlow.CollectionName)
            .FindAsync(f => f.CustomerId == customerId && !f.Released, cancellationToken: cancellationToken);
        var released = 0;
        foreach (var document in waiting.Where(d => d.Value.FlowId != except))
        {
            var flow = document.Value;
            flow.Released = true;
            flow.ReleasedAt = Now;
            unitOfWork.Replace(CustomerFlow.CollectionName, document, flow);
            unitOfWork.Publish(Ready(customer, flow.FlowId, policy));
            released++;
        }
        return released;
    }

    /// <summary>
    /// Merges <paramref name="duplicate"/> into <paramref name="survivor"/>: the survivor keeps its ID, fills its empty fields
    /// from the duplicate, takes its CRM cross-references and every one of its flows (a waiting flow is released at once
    /// when the survivor is billable); the duplicate becomes inactive and points to the survivor. Both histories record it, and
    /// <see cref="CustomersMerged"/> announces it (reporting counts merges) in the same commit.
    /// </summary>
    public async Task<GoldenCustomer> MergeAsync(StoredDocument<GoldenCustomer> duplicate, StoredDocument<GoldenCustomer> survivor,
        MasterDataPolicy policy, ChangeSource by, string? note, CancellationToken cancellationToken)
    {
        var gone = duplicate.Value;
        var kept = survivor.Value;
        var reason = $"merged from {gone.DisplayName} ({gone.CustomerId})" + (string.IsNullOrWhiteSpace(note) ? "" : $": {note}");
        var gaps = CustomerFields.All
            .Where(f => CustomerFields.IsEmpty(f.Get(kept)) && !CustomerFields.IsEmpty(f.Get(gone)))
            .Select(f => new KeyValuePair<CustomerField, object?>(f, f.Get(gone)));
        var keptHistory = CustomerEditor.Apply(kept, gaps, by, policy, Now, reason, overrideOwnership: true).Applied.ToList();
        foreach (var reference in gone.CrossReferences.Where(r => r.System != GoldenCustomer.AccountingSystem && !kept.HasReference(r.System, r.ExternalId)))
        {
            kept.AddReference(reference.System, reference.ExternalId);
            keptHistory.Add(new FieldChange
            {
                Field = "crossReferences", NewValue = $"{reference.System}:{reference.ExternalId}", Source = by.System, Actor = by.Actor, At = Now, Reason = reason,
            });
        }
        await CloseOpenItemAsync(kept, ReviewKind.PotentialDuplicate, ReviewDecision.Accept, by.Actor, reason, cancellationToken);
        await SaveAsync(survivor, kept, keptHistory, policy, cancellationToken, duplicateQuestionOpen: false);

        var goneHistory = new List<FieldChange> { CustomerLifecycle.SetStatus(gone, CustomerStatus.Merged, by, Now, $"merged into {kept.DisplayName} ({kept.CustomerId})") };
        gone.MergedInto = kept.CustomerId;
        gone.Revision++;
        gone.Updated = Now;
        Write(duplicate, gone, goneHistory);
        foreach (var kind in Enum.GetValues<ReviewKind>())
            await CloseOpenItemAsync(gone, kind, ReviewDecision.Superseded, by.Actor, $"merged into {kept.DisplayName}", cancellationToken);

        var goneId = gone.CustomerId;
        var flows = await Store.Collection<CustomerFlow>(CustomerFlow.CollectionName).FindAsync(f => f.CustomerId == goneId, cancellationToken: cancellationToken);
        var billable = CustomerLifecycle.IsReadyToBill(kept, policy);
        if (gone.AccountingReference() is not null && policy.SyncToAccounting)
            unitOfWork.Publish(SyncMessage(gone, parentRef: null) with { MakeInactive = true });
        foreach (var document in flows)
        {
            var flow = document.Value;
            flow.CustomerId = kept.CustomerId;
            if (billable && !flow.Released)
            {
                flow.Released = true;
                flow.ReleasedAt = Now;
                unitOfWork.Publish(Ready(kept, flow.FlowId, policy));
            }
            unitOfWork.Replace(CustomerFlow.CollectionName, document, flow);
        }
        unitOfWork.Publish(new CustomersMerged
        {
            TenantId = kept.TenantId, SurvivorId = kept.CustomerId, MergedId = gone.CustomerId, MergedAt = new DateTimeOffset(Now, TimeSpan.Zero),
            MergedBy = by.Actor, Note = string.IsNullOrWhiteSpace(note) ? null : note.Trim(),
        });
        return kept;
    }

    /// <summary>Closes the customer's open item of a kind that exists once per customer, if there is one.</summary>
    public Task CloseOpenItemAsync(GoldenCustomer customer, ReviewKind kind, ReviewDecision decision, string actor, string? note,
        CancellationToken cancellationToken) =>
        CloseOpenItemAsync(customer.TenantId, ReviewItem.KeyFor(kind, customer.CustomerId), decision, actor, note, cancellationToken);

    /// <summary>Closes the tenant's open item under this key, if there is one.</summary>
    public async Task CloseOpenItemAsync(string tenant, string key, ReviewDecision decision, string actor, string? note, CancellationToken cancellationToken)
    {
        var existing = await Store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(key, cancellationToken);
        if (existing is { Value.Status: ReviewStatus.Open } && existing.Value.TenantId == tenant)
        {
            existing.Value.Close(decision, actor, note, Now);
            unitOfWork.Replace(ReviewItem.CollectionName, existing, existing.Value);
        }
    }

    /// <summary>Existing customers of the tenant that may be the same company, best first (blocking keys, then scores).</summary>
    public Task<IReadOnlyList<DuplicateCandidate>> FindDuplicatesAsync(GoldenCustomer customer, MasterDataPolicy policy, CancellationToken cancellationToken) =>
        new DuplicateFinder(Store).FindCandidatesAsync(MatchProfile.Of(customer), policy.Matching(), cancellationToken);

    /// <summary>Files the customer under its blocking keys (a merged customer leaves them), in the same commit as the record.</summary>
    private async Task IndexForMatchingAsync(GoldenCustomer customer, CancellationToken cancellationToken)
    {
        var finder = new DuplicateFinder(Store);
        var update = customer.Status == CustomerStatus.Merged
            ? await finder.RemoveAsync(customer.TenantId, customer.CustomerId, cancellationToken)
            : await finder.IndexAsync(MatchProfile.Of(customer), cancellationToken);
        update.ApplyTo(unitOfWork);
    }

    /// <summary>
    /// The name a review item shows: a customer new from the CRM is questioned before its record is first saved, when its
    /// display name is still empty (saving defaults it to the legal name).
    /// </summary>
    private static string NameOf(GoldenCustomer customer) => string.IsNullOrWhiteSpace(customer.DisplayName) ? customer.LegalName : customer.DisplayName;

    /// <summary>Opens (or refreshes) the customer's duplicate question with the candidates, their scores and reasons.</summary>
    public async Task OpenDuplicateItemAsync(GoldenCustomer customer, IReadOnlyList<DuplicateCandidate> candidates, CancellationToken cancellationToken)
    {
        var key = ReviewItem.KeyFor(ReviewKind.PotentialDuplicate, customer.CustomerId);
        var existing = await Store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(key, cancellationToken);
        var item = new ReviewItem
        {
            ItemId = key, TenantId = customer.TenantId, Kind = ReviewKind.PotentialDuplicate, CustomerId = customer.CustomerId,
            CustomerName = NameOf(customer), Status = ReviewStatus.Open, Opened = existing?.Value.Opened ?? Now, Updated = Now,
            Reasons = candidates.Select(c => $"possible duplicate of {c.Describe()}").ToList(),
            Candidates = candidates.Select(c => new ReviewCandidate
            {
                CustomerId = c.CustomerId, DisplayName = c.Name, Score = Math.Round((decimal)c.Score, 2), Reasons = c.Reasons.ToList(),
            }).ToList(),
        };
        unitOfWork.InsertOrReplace(ReviewItem.CollectionName, key, existing, item);
    }

    /// <summary>Keeps the customer's one missing-fields item in step with the record: open with today's reasons, or closed.</summary>
    public async Task SyncMissingFieldsItemAsync(GoldenCustomer customer, CancellationToken cancellationToken)
    {
        var key = ReviewItem.KeyFor(ReviewKind.MissingFields, customer.CustomerId);
        var existing = await Store.Collection<ReviewItem>(ReviewItem.CollectionName).GetAsync(key, cancellationToken);
        var needsReview = customer.Status == CustomerStatus.Draft && customer.MissingFields.Count > 0;
        if (needsReview)
        {
            var item = existing?.Value ?? new ReviewItem { ItemId = key, TenantId = customer.TenantId, Kind = ReviewKind.MissingFields, CustomerId = customer.CustomerId, Opened = Now };
            if (item.Status == ReviewStatus.Open && existing is not null && item.Reasons.SequenceEqual(customer.MissingFields) && item.CustomerName == customer.DisplayName)
                return;
            if (item.Status == ReviewStatus.Resolved)
                item.Reopen(Now);
            item.Reasons = customer.MissingFields.ToList();
            item.CustomerName = customer.DisplayName;
            item.Updated = Now;
            unitOfWork.InsertOrReplace(ReviewItem.CollectionName, key, existing, item);
        }
        else if (existing is { Value.Status: ReviewStatus.Open })
        {
            existing.Value.Close(ReviewDecision.Superseded, CustomerLifecycle.PolicyActor, "the required fields are complete", Now);
            unitOfWork.Replace(ReviewItem.CollectionName, existing, existing.Value);
        }
    }

    /// <summary>Opens an item for a change that was not applied: an ownership conflict, or a proposal for a finance manager.</summary>
    public ReviewItem OpenChangeItem(GoldenCustomer customer, ReviewKind kind, FieldConflict change, ChangeSource source, string? note)
    {
        var proposed = change.Field.Render(change.ProposedValue);
        var id = DeterministicKey(kind.ToString(), customer.TenantId, customer.CustomerId.ToString("N"), change.Field.Name, proposed ?? "",
            customer.Revision.ToString(System.Globalization.CultureInfo.InvariantCulture), source.Actor);
        var current = change.Field.Name == FieldNames.TaxId ? TaxIdentifier.Mask((string?)change.CurrentValue) : change.Field.Render(change.CurrentValue);
        var shown = change.Field.Name == FieldNames.TaxId ? TaxIdentifier.Mask((string?)change.ProposedValue) : proposed;
        var item = new ReviewItem
        {
            ItemId = id, TenantId = customer.TenantId, Kind = kind, CustomerId = customer.CustomerId, CustomerName = NameOf(customer),
            Field = change.Field.Name, ProposedValue = proposed, ProposedBy = source.Actor, ProposedSource = source.System, Note = note,
            Reasons = [kind == ReviewKind.OwnershipConflict
                ? $"{source.System} changed {change.Field.Name}, which {(source.Side == FieldOwner.Crm ? "finance" : "the CRM")} owns: {current ?? "(empty)"} → {shown ?? "(empty)"}"
                : $"{source.Actor} proposes {change.Field.Name}: {current ?? "(empty)"} → {shown ?? "(empty)"}"],
            Status = ReviewStatus.Open, Opened = Now, Updated = Now,
        };
        unitOfWork.Upsert(ReviewItem.CollectionName, id, item);
        return item;
    }

    public CustomerReady Ready(GoldenCustomer customer, Guid flowId, MasterDataPolicy policy) => new()
    {
        TenantId = customer.TenantId,
        FlowId = flowId,
        CustomerId = customer.CustomerId,
        DisplayName = customer.DisplayName,
        AccountingCustomerRef = customer.AccountingReference(),
        PaymentTerms = policy.EffectiveTerms(customer),
        Currency = customer.Currency,
        TaxExempt = customer.TaxStatus == TaxStatus.Exempt,
    };

    /// <summary>Asks accounting-sync to write this revision of the customer to QuickBooks (create, link or update).</summary>
    private async Task RequestSyncAsync(GoldenCustomer customer, CancellationToken cancellationToken)
    {
        string? parentRef = null;
        if (customer.ParentCustomerId is { } parentId && await FindAsync(customer.TenantId, parentId, cancellationToken) is { } parent)
            parentRef = parent.Value.AccountingReference();
        customer.SyncRequestedRevision = customer.Revision;
        customer.SyncState = AccountingSyncState.Pending;
        unitOfWork.Publish(SyncMessage(customer, parentRef));
    }

    private static Contracts.AccountingSync.SyncCustomer SyncMessage(GoldenCustomer customer, string? parentRef) => new()
    {
        TenantId = customer.TenantId,
        CustomerId = customer.CustomerId,
        Revision = customer.Revision,
        DisplayName = customer.DisplayName,
        CompanyName = customer.LegalName,
        PrimaryEmail = customer.BillingContact()?.Email,
        Phone = customer.BillingContact()?.Phone,
        BillingAddress = customer.BillingAddress,
        ShippingAddress = customer.ShippingAddress,
        Taxable = customer.TaxStatus == TaxStatus.Taxable,
        TaxExemptionReason = customer.TaxExemptionReason,
        TaxExemptionCertificate = customer.TaxExemptionCertificate,
        PaymentTerms = customer.PaymentTerms,
        Currency = customer.Currency,
        ParentAccountingRef = parentRef,
        BillWithParent = parentRef is not null && customer.BillToPolicy == BillToPolicy.ConsolidateToParent,
        AccountingCustomerRef = customer.AccountingReference(),
    };

    /// <summary>Every flow still waiting for the customer hears why it cannot continue.</summary>
    public async Task TellWaitingFlowsAsync(GoldenCustomer customer, IReadOnlyList<string> reasons, CancellationToken cancellationToken)
    {
        var customerId = customer.CustomerId;
        var waiting = await Store.Collection<CustomerFlow>(CustomerFlow.CollectionName)
            .FindAsync(f => f.CustomerId == customerId && !f.Released, cancellationToken: cancellationToken);
        foreach (var flow in waiting)
            unitOfWork.Publish(new CustomerNeedsReview { TenantId = customer.TenantId, FlowId = flow.Value.FlowId, CustomerId = customerId, Reasons = reasons });
    }

    private async Task<List<string>> ReviewReasonsAsync(GoldenCustomer customer, CancellationToken cancellationToken)
    {
        var reasons = customer.MissingFields.ToList();
        if (customer.SyncState == AccountingSyncState.Failed && customer.SyncError is { } error)
            reasons.Add($"QuickBooks refused the customer: {error}");
        var duplicate = await Store.Collection<ReviewItem>(ReviewItem.CollectionName)
            .GetAsync(ReviewItem.KeyFor(ReviewKind.PotentialDuplicate, customer.CustomerId), cancellationToken);
        if (duplicate is { Value.Status: ReviewStatus.Open })
            reasons.AddRange(duplicate.Value.Reasons);
        return reasons.Count > 0 ? reasons : [$"customer is {customer.Status.ToString().ToLowerInvariant()} and waits for finance approval"];
    }

    /// <summary>Store keys stay short whatever a CRM's IDs look like: long ones are replaced by their hash.</summary>
    private static string ReferenceKey(string tenant, string system, string externalId)
    {
        var key = CustomerReferenceKey.KeyFor(tenant, system, externalId);
        return key.Length <= 200 ? key : "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
    }

    private static string DeterministicKey(params string[] parts) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001f', parts))))[..32];
}
