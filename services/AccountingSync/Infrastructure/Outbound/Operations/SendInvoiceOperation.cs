using System.Globalization;
using System.Text.Json;
using QuoteToCash.AccountingSync.Domain;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Domain.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Outbound;
using QuoteToCash.AccountingSync.Infrastructure.Posting;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Infrastructure.Sending;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using QuoteToCash.ServiceDefaults.Messaging;
using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.AccountingSync.Infrastructure.Outbound.Operations;

/// <summary>
/// Has QuickBooks e-mail a posted invoice to the customer, once. The QuickBooks invoice is the command's, or the one
/// accounting-sync posted for the invoice. An invoice QuickBooks already shows as sent (EmailStatus EmailSent) is not
/// sent again. The address is the command's, else the invoice's billing e-mail, else the customer's primary e-mail in
/// QuickBooks. The send carries a requestid derived from the invoice ID (and the attempt), so a re-delivery replays
/// rather than e-mailing twice. Answers InvoiceSent and SyncSucceeded through the outbox; a refusal finance must act
/// on (no address, the invoice gone, the connection expired) opens a sync exception that can send the command again.
/// Run by the outbound worker in the realm's order; its consumer holds it first while the invoice is still on its way
/// to QuickBooks (or refused).
/// Throttling, unanswered requests and a lapsed authorisation propagate to the outbound worker, which waits them out.
/// </summary>
public sealed class SendInvoiceOperation(QboClient qbo, IUnitOfWork unitOfWork, TimeProvider time, ILogger<SendInvoiceOperation> logger)
    : IOutboundOperation<SendInvoice>
{
    public const string Operation = nameof(SendInvoice);
    public const string EmailSent = "EmailSent";

    public async Task RunAsync(SendInvoice command, CancellationToken cancellationToken)
    {
        var key = InvoiceSendRecord.KeyFor(command.InvoiceId);
        var stored = await unitOfWork.Store.Collection<InvoiceSendRecord>(InvoiceSendRecord.CollectionName).GetAsync(key, cancellationToken);
        var record = stored?.Value ?? new InvoiceSendRecord { TenantId = command.TenantId, InvoiceId = command.InvoiceId };

        var accountingId = Blank(command.AccountingInvoiceId) ?? record.AccountingInvoiceId;
        if (accountingId is null)
            accountingId = (await OutboundQueue.InvoiceProgressAsync(unitOfWork.Store, command.InvoiceId, cancellationToken)) is (InvoiceProgress.Posted, { } posted)
                ? posted.Value.AccountingInvoiceId
                : null;
        if (accountingId is null)
        {
            Refuse(command, record, stored, SyncExceptionKind.Validation, null, null,
                "The invoice cannot be e-mailed from QuickBooks because it has not been posted there.",
                "Post the invoice to QuickBooks first (see the invoice's posting exception, if any), then press Retry.", null);
            return;
        }
        record.AccountingInvoiceId = accountingId;

        QboInvoice? invoice = null;
        try
        {
            invoice = await qbo.ReadAsync<QboInvoice>(command.TenantId, accountingId, cancellationToken);
            if (invoice.EmailStatus == EmailSent)
            {
                // Sent already: by an earlier delivery of this command, or by someone in QuickBooks. Never twice.
                Succeed(command, record, stored, invoice, alreadySent: true);
                return;
            }
            var sendTo = Blank(command.SendTo);
            if (sendTo is null && Blank(invoice.BillEmail?.Address) is null && invoice.CustomerRef?.Value is { } customerId)
                sendTo = Blank((await qbo.ReadAsync<QboCustomer>(command.TenantId, customerId, cancellationToken)).PrimaryEmailAddr?.Address);
            var sent = await qbo.SendInvoiceAsync(command.TenantId, accountingId, sendTo, RequestId(command.InvoiceId, record.Attempt), cancellationToken);
            Succeed(command, record, stored, sent, alreadySent: false);
        }
        catch (QboException fault) when (!fault.IsRetryable && !fault.NeedsReauthorization)
        {
            var (kind, message, fix) = Explain(fault, accountingId, command);
            Refuse(command, record, stored, kind, accountingId, DealReference.FromNote(invoice?.PrivateNote), message, fix, fault);
        }
    }

    private void Succeed(SendInvoice command, InvoiceSendRecord record, StoredDocument<InvoiceSendRecord>? stored, QboInvoice invoice, bool alreadySent)
    {
        var now = time.GetUtcNow();
        var sentAt = DeliveryTime(invoice) ?? (record.Sent is { } kept ? new DateTimeOffset(kept, TimeSpan.Zero) : now);
        record.SentTo = invoice.BillEmail?.Address ?? record.SentTo;
        record.Sent = sentAt.UtcDateTime;
        record.Updated = now.UtcDateTime;
        unitOfWork.InsertOrReplace(InvoiceSendRecord.CollectionName, InvoiceSendRecord.KeyFor(command.InvoiceId), stored, record);
        logger.LogInformation("Invoice {Invoice} ({DocNumber}) of tenant {Tenant} {What} to {Address}", command.InvoiceId, invoice.DocNumber, command.TenantId,
            alreadySent ? "was already e-mailed by QuickBooks" : "e-mailed by QuickBooks", record.SentTo);
        unitOfWork.Publish(new InvoiceSent { TenantId = command.TenantId, FlowId = command.FlowId, InvoiceId = command.InvoiceId, SentAt = sentAt });
        unitOfWork.Publish(new SyncSucceeded
        {
            TenantId = command.TenantId,
            Entity = "Invoice",
            EntityId = command.InvoiceId.ToString("D"),
            Operation = Operation,
            AccountingId = invoice.Id,
            SucceededAt = now,
        });
    }

    private void Refuse(SendInvoice command, InvoiceSendRecord record, StoredDocument<InvoiceSendRecord>? stored, SyncExceptionKind kind, string? accountingId,
        string? dealRef, string message, string suggestedFix, QboException? fault)
    {
        var now = time.GetUtcNow();
        var requestId = RequestId(command.InvoiceId, record.Attempt);
        logger.LogWarning("Invoice {Invoice} of tenant {Tenant} not e-mailed from QuickBooks: {Kind} {Message}", command.InvoiceId, command.TenantId, kind, message);
        // The next try (finance's Retry) must not get this refusal replayed by QuickBooks for the same requestid.
        if (fault is not null)
            record.Attempt++;
        record.Updated = now.UtcDateTime;
        unitOfWork.InsertOrReplace(InvoiceSendRecord.CollectionName, InvoiceSendRecord.KeyFor(command.InvoiceId), stored, record);
        unitOfWork.Publish(new OpenSyncException
        {
            TenantId = command.TenantId,
            Kind = kind,
            Entity = "Invoice",
            EntityId = command.InvoiceId.ToString("D"),
            Operation = Operation,
            FlowId = command.FlowId,
            DealRef = dealRef,
            AccountingId = accountingId,
            RequestId = fault is null ? null : requestId,
            Message = message,
            SuggestedFix = suggestedFix,
            Detail = fault is null ? null : $"{fault.FirstCode} {FailureKinds.Detail(fault)}",
            CommandType = typeof(SendInvoice).FullName,
            CommandJson = JsonSerializer.Serialize(command, JsonSerializerOptions.Web),
            OccurredAt = now,
        });
    }

    /// <summary>The requestid of one attempt to send one invoice: 32 hex characters, the same on every delivery of that attempt.</summary>
    public static string RequestId(Guid invoiceId, int attempt) =>
        DeterministicId.Create("qbo-invoice-send", invoiceId.ToString("N"), attempt.ToString(CultureInfo.InvariantCulture)).ToString("N");

    /// <summary>The refusal in finance's words, with the kind of exception it opens and what to do about it.</summary>
    public static (SyncExceptionKind Kind, string Message, string SuggestedFix) Explain(QboException fault, string accountingInvoiceId, SendInvoice command)
    {
        var invoice = $"QuickBooks invoice {accountingInvoiceId}";
        return fault.Kind switch
        {
            QboErrorKind.Authentication when fault.FirstCode == "not-connected" => (SyncExceptionKind.AuthorizationExpired,
                $"{invoice} could not be e-mailed: QuickBooks is not connected for this company.",
                "Connect the QuickBooks company in the platform's settings, then press Retry."),
            QboErrorKind.Authentication => (SyncExceptionKind.AuthorizationExpired,
                $"{invoice} could not be e-mailed: the QuickBooks connection has expired or was revoked.",
                "Reconnect QuickBooks in the platform's settings; sending resumes with Retry."),
            QboErrorKind.NotFound => (SyncExceptionKind.Validation,
                $"{invoice} could not be e-mailed: it no longer exists in QuickBooks (it was deleted there).",
                "Check in QuickBooks what happened to the invoice; post it again or ignore this exception."),
            _ when fault.Mentions("BillEmail") || fault.Mentions("email") => (SyncExceptionKind.Validation,
                Blank(command.SendTo) is { } address
                    ? $"{invoice} could not be e-mailed: QuickBooks refused the address '{address}'."
                    : $"{invoice} could not be e-mailed: neither the invoice nor the customer has a billing e-mail address in QuickBooks.",
                "Add the customer's billing e-mail address (the billing contact in the CRM, or the customer's e-mail in QuickBooks), then press Retry."),
            _ => (SyncExceptionKind.Validation,
                $"{invoice} could not be e-mailed: QuickBooks refused it ({FailureKinds.Detail(fault)}).",
                "Correct the invoice or the customer in QuickBooks as the message says, then press Retry."),
        };
    }

    private static DateTimeOffset? DeliveryTime(QboInvoice invoice) =>
        invoice.Extra is { } extra && extra.TryGetValue("DeliveryInfo", out var info) && info.ValueKind == JsonValueKind.Object &&
        info.TryGetProperty("DeliveryTime", out var at) && DateTimeOffset.TryParse(at.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed)
            ? parsed
            : null;


    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
