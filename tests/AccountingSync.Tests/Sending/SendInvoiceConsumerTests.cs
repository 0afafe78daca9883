using System.Net.Http.Json;
using System.Text.Json;
using QuoteToCash.AccountingSync.Domain.Exceptions;
using QuoteToCash.AccountingSync.Infrastructure.QuickBooks;
using QuoteToCash.AccountingSync.Messages;
using QuoteToCash.AccountingSync.Tests.Consumers;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.AccountingSync;
using static QuoteToCash.Testing.Scenarios.ConsultingFirm;

namespace QuoteToCash.AccountingSync.Tests.Sending;

/// <summary>
/// SendInvoice on the test harness with the posting worker and the real QuickBooks client against the sandbox process:
/// the firm posted Contoso's £4,200 milestone invoice, and billing asks for it to be e-mailed. Each test asserts what
/// the sandbox company holds and which e-mails it sent, and what accounting-sync answered.
/// </summary>
[Collection(nameof(QuickBooksSandboxProcessCollection))]
public sealed class SendInvoiceConsumerTests(QuickBooksSandboxProcess sandbox) : IAsyncLifetime
{
    private const string SeniorConsultingItem = "4";
    private QuickBooksCompanyHarness _company = null!;

    public async ValueTask InitializeAsync()
    {
        _company = await QuickBooksCompanyHarness.StartAsync(sandbox, posting: true);
        await _company.ConnectAsync(Tenant);
    }

    public ValueTask DisposeAsync() => _company.DisposeAsync();

    /// <summary>Contoso in QuickBooks (with or without its accounts-payable address) and its posted milestone invoice.</summary>
    private async Task<(Guid InvoiceId, InvoicePosted Posted, QboCustomer Customer)> PostedInvoiceAsync(string? email = "ap@contoso-logistics.test")
    {
        var customer = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer
        {
            DisplayName = "Contoso Logistics Ltd",
            PrimaryEmailAddr = email is null ? null : new QboEmail { Address = email },
        });
        var invoiceId = Guid.NewGuid();
        await _company.Harness.DeliverAsync(new PostInvoice
        {
            TenantId = Tenant,
            FlowId = FlowOf("deal-9001"),
            InvoiceId = invoiceId,
            CustomerId = Guid.NewGuid(),
            AccountingCustomerRef = customer.Id,
            Currency = Currency,
            InvoiceDate = new DateOnly(2026, 3, 2),
            Lines = [new InvoiceLine { Description = "ERP rollout, milestone 2", ItemRef = SeniorConsultingItem, Quantity = 4m, UnitPrice = 1_050m, Amount = 4_200m }],
            PrivateNote = "deal:hubspot:deal-9001",
        });
        var posted = await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == invoiceId);
        return (invoiceId, posted, customer);
    }

    private static SendInvoice Send(Guid invoiceId, string? sendTo = null, string? accountingInvoiceId = null) => new()
    {
        TenantId = Tenant,
        FlowId = FlowOf("deal-9001"),
        InvoiceId = invoiceId,
        AccountingInvoiceId = accountingInvoiceId,
        SendTo = sendTo,
        RequestedAt = new DateTimeOffset(2026, 3, 2, 9, 5, 0, TimeSpan.Zero),
    };

    /// <summary>What the customer's inbox holds: every e-mail the sandbox company sent.</summary>
    private async Task<List<JsonElement>> EmailsAsync() =>
        (await sandbox.Sandbox.GetFromJsonAsync<List<JsonElement>>($"/_sandbox/realms/{_company.RealmId}/emails", TestContext.Current.CancellationToken))!;

    private static string Text(JsonElement element, string property) => element.GetProperty(property).GetString()!;

    [Fact]
    public async Task A_posted_invoice_is_emailed_once_to_the_customers_address_and_billing_hears_of_it()
    {
        var (invoiceId, posted, customer) = await PostedInvoiceAsync();

        await _company.Harness.DeliverAsync(Send(invoiceId));

        var sent = await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == invoiceId);
        var email = Assert.Single(await EmailsAsync());
        Assert.Equal((posted.AccountingInvoiceId, posted.DocNumber, "ap@contoso-logistics.test"), (Text(email, "id"), Text(email, "docNumber"), Text(email, "to")));
        var invoice = await _company.EntityAsync("Invoice", posted.AccountingInvoiceId);
        Assert.Equal(("EmailSent", "ap@contoso-logistics.test"), (Text(invoice, "EmailStatus"), invoice.GetProperty("BillEmail").GetProperty("Address").GetString()));
        Assert.Equal(DateTimeOffset.Parse(Text(invoice.GetProperty("DeliveryInfo"), "DeliveryTime"), System.Globalization.CultureInfo.InvariantCulture), sent.SentAt);
        var succeeded = await _company.PublishedAsync<SyncSucceeded>(m => m.EntityId == invoiceId.ToString("D") && m.Operation == "SendInvoice");
        Assert.Equal(("Invoice", "SendInvoice", posted.AccountingInvoiceId), (succeeded.Entity, succeeded.Operation, succeeded.AccountingId));
        Assert.Empty(_company.Harness.Published<OpenSyncException>());
        _ = customer;
    }

    [Fact]
    public async Task An_email_asked_for_while_its_invoice_is_being_created_waits_for_it_and_the_invoice_is_made_once()
    {
        var customer = await _company.CreateInQuickBooksAsync(Tenant, new QboCustomer
        {
            DisplayName = "Contoso Logistics Ltd", PrimaryEmailAddr = new QboEmail { Address = "ap@contoso-logistics.test" },
        });
        PostInvoice Milestone(int n) => new()
        {
            TenantId = Tenant, FlowId = FlowOf($"deal-{9100 + n}"), InvoiceId = Guid.NewGuid(), CustomerId = Guid.NewGuid(), AccountingCustomerRef = customer.Id,
            Currency = Currency, InvoiceDate = new DateOnly(2026, 3, 2), PrivateNote = $"deal:hubspot:deal-{9100 + n}",
            Lines = [new InvoiceLine { Description = $"ERP rollout, milestone {n}", ItemRef = SeniorConsultingItem, Quantity = 1m, UnitPrice = 1_000m, Amount = 1_000m }],
        };
        var first = Milestone(1);
        var second = Milestone(2);
        await sandbox.PostAsync("/_sandbox/faults", new { realmId = _company.RealmId, latencyMs = 700 });
        try
        {
            await _company.Harness.DeliverAsync(first);
            await Task.Delay(300, TestContext.Current.CancellationToken); // its create is on the way to QuickBooks
            await _company.Harness.DeliverAsync(second);
            await _company.Harness.DeliverAsync(Send(first.InvoiceId)); // held for the invoice, which it marks awaited meanwhile

            await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == first.InvoiceId);
            await _company.PublishedAsync<InvoicePosted>(m => m.InvoiceId == second.InvoiceId);
            await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == first.InvoiceId);
        }
        finally
        {
            await sandbox.Sandbox.DeleteAsync("/_sandbox/faults", TestContext.Current.CancellationToken);
        }

        // What QuickBooks answered for the first invoice was recorded on it as stored after the hold: it was not sent
        // again (in a batch with the second, under another requestid, which would have made it twice).
        Assert.Equal(["deal:hubspot:deal-9101", "deal:hubspot:deal-9102"],
            (await _company.EntitiesAsync("invoice")).Select(i => Text(i, "PrivateNote")).Order());
        Assert.Single(await EmailsAsync());
    }

    [Fact]
    public async Task A_redelivered_command_and_billing_asking_again_send_nothing_twice()
    {
        var (invoiceId, _, _) = await PostedInvoiceAsync();

        var messageId = await _company.Harness.DeliverAsync(Send(invoiceId));
        await _company.Harness.PublishAsync(Send(invoiceId), messageId);
        await _company.Harness.ConsumedAsync<SendInvoice>(messageId, times: 2);
        await _company.OutboundDrainedAsync();
        await _company.Harness.DeliverAsync(Send(invoiceId)); // billing asking again, as a new message, once the first was answered
        await _company.OutboundDrainedAsync();

        Assert.Single(await EmailsAsync());
        var answers = _company.Harness.Published<InvoiceSent>().Where(m => m.InvoiceId == invoiceId).ToList();
        Assert.Equal(2, answers.Count); // the inbox swallowed the re-delivery; the second request is answered from QuickBooks' EmailSent
        Assert.Single(answers.Select(a => a.SentAt).Distinct());
    }

    [Fact]
    public async Task A_send_whose_answer_was_lost_is_replayed_by_its_requestid_not_emailed_again()
    {
        var (invoiceId, posted, _) = await PostedInvoiceAsync();
        // The next write reaches QuickBooks and is e-mailed, but the connection drops before the answer arrives.
        await sandbox.PostAsync("/_sandbox/faults", new { realmId = _company.RealmId, dropConnectionAfterCommitRate = 1.0, count = 1 });

        await _company.Harness.DeliverAsync(Send(invoiceId, accountingInvoiceId: posted.AccountingInvoiceId));

        await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == invoiceId);
        Assert.Single(await EmailsAsync());
    }

    [Fact]
    public async Task The_commands_address_wins_and_becomes_the_invoices_billing_email()
    {
        var (invoiceId, posted, _) = await PostedInvoiceAsync();

        await _company.Harness.DeliverAsync(Send(invoiceId, sendTo: "finance@contoso-logistics.test", accountingInvoiceId: posted.AccountingInvoiceId));

        await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == invoiceId);
        Assert.Equal("finance@contoso-logistics.test", Text(Assert.Single(await EmailsAsync()), "to"));
        var invoice = await _company.EntityAsync("Invoice", posted.AccountingInvoiceId);
        Assert.Equal("finance@contoso-logistics.test", invoice.GetProperty("BillEmail").GetProperty("Address").GetString());
    }

    [Fact]
    public async Task Without_an_email_address_finance_gets_an_exception_and_retry_sends_once_the_address_is_there()
    {
        var (invoiceId, posted, customer) = await PostedInvoiceAsync(email: null);

        await _company.Harness.DeliverAsync(Send(invoiceId));

        var raised = await _company.PublishedAsync<OpenSyncException>(m => m.EntityId == invoiceId.ToString("D"));
        Assert.Equal((SyncExceptionKind.Validation, "Invoice", "SendInvoice", FlowOf("deal-9001"), posted.AccountingInvoiceId, "hubspot:deal-9001"),
            (raised.Kind, raised.Entity, raised.Operation, raised.FlowId, raised.AccountingId, raised.DealRef));
        Assert.Contains("neither the invoice nor the customer has a billing e-mail address", raised.Message);
        Assert.Contains("billing e-mail address", raised.SuggestedFix);
        Assert.StartsWith("6000", raised.Detail);
        Assert.Equal(typeof(SendInvoice).FullName, raised.CommandType);
        var again = JsonSerializer.Deserialize<SendInvoice>(raised.CommandJson!, JsonSerializerOptions.Web)!;
        Assert.Equal(Send(invoiceId), again);
        Assert.Empty(_company.Harness.Published<InvoiceSent>());
        Assert.Empty(await EmailsAsync());

        // Finance adds the address in QuickBooks and presses Retry: the very same command is sent again.
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(_company.Harness.Services))
        {
            var qbo = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<QboClient>(scope.ServiceProvider);
            await qbo.SparseUpdateAsync(Tenant, customer.Id!, _ => new QboCustomer { PrimaryEmailAddr = new QboEmail { Address = "ap@contoso-logistics.test" } },
                Guid.NewGuid().ToString("N"), customer.SyncToken, TestContext.Current.CancellationToken);
        }
        await _company.Harness.DeliverAsync(again);

        await _company.PublishedAsync<InvoiceSent>(m => m.InvoiceId == invoiceId);
        Assert.Equal("ap@contoso-logistics.test", Text(Assert.Single(await EmailsAsync()), "to"));
    }

    [Fact]
    public async Task An_invoice_that_never_reached_QuickBooks_is_an_exception_not_an_email()
    {
        var invoiceId = Guid.NewGuid();

        await _company.Harness.DeliverAsync(Send(invoiceId));

        var raised = await _company.PublishedAsync<OpenSyncException>(m => m.EntityId == invoiceId.ToString("D"));
        Assert.Equal((SyncExceptionKind.Validation, null), (raised.Kind, raised.AccountingId));
        Assert.Contains("has not been posted", raised.Message);
        Assert.Empty(await EmailsAsync());
    }
}
