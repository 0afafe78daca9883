using System.Text.Json;
using QuoteToCash.Contracts;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.Testing.Platform;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests.Acceptance;

/// <summary>
/// Acceptance 4: a deal won with a product that has no QuickBooks item (and no default item to fall back to) stops
/// before QuickBooks and shows in the accounting exception queue with a message in plain words; once finance maps the
/// product and presses retry on the exception, exactly one invoice is in QuickBooks.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class UnmappedProductBecomesAnExceptionFinanceCanRetryTests(PlatformFixture platform)
{
    [Fact]
    public async Task An_unmapped_product_is_an_exception_in_plain_words_and_after_mapping_it_a_retry_posts_exactly_one_invoice()
    {
        TestEnvironment.RequireRabbitMq();
        var tenant = await PlatformTenant.CreateAsync(platform.Endpoints(), Acceptance.NewTenant("acc-map"), TenantCrm.HubSpot, defaultItem: false);
        var hubspot = tenant.HubSpot!;
        var migrationId = await hubspot.CreateProductAsync("MIGRATION", "Data migration package", 2_500m);
        var migration = new CatalogueProduct("MIGRATION", "Data migration package", 2_500m, migrationId, "Implementation", tenant.Items["Implementation"]);
        var consulting = tenant.Products.Single(p => p.Sku == "CONSULT-HOUR");
        var company = await hubspot.CreateCompanyAsync("Tailspin Archives Ltd");
        var dealId = await hubspot.DealAsync(company, "ap@tailspin-archives.test", "Archive migration", [(consulting, 8m), (migration, 1m)]);
        var flowId = FlowId.For(tenant.Id, "hubspot", dealId).ToString();

        JsonElement exception = default;
        Assert.True(await Eventually(async () =>
        {
            exception = (await Acceptance.ExceptionsAsync(tenant, "?kind=MappingMissing"))
                .FirstOrDefault(e => e.GetRawText().Contains(flowId, StringComparison.OrdinalIgnoreCase));
            return exception.ValueKind == JsonValueKind.Object;
        }, TimeSpan.FromSeconds(90), TimeSpan.FromSeconds(1)), $"no MappingMissing exception for flow {flowId} in GET /api/accounting/{tenant.Id}/exceptions");
        Assert.Equal("MappingMissing", exception.GetProperty("kind").GetString(), ignoreCase: true);
        var message = exception.GetProperty("message").GetString()!;
        Assert.Contains("Data migration package", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", message, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", message, StringComparison.Ordinal);
        Assert.Empty(await tenant.Books.InvoicesForDealAsync("hubspot", dealId));

        // Finance maps the product, then retries the exception.
        await tenant.UntilAcceptedAsync(HttpMethod.Put, $"/api/master-data/{tenant.Id}/item-mappings",
            new[] { new { crmProductId = migrationId, productName = migration.Name, itemRef = migration.ItemRef } });
        var exceptionId = exception.GetProperty("exceptionId").GetString()!;
        var retried = await tenant.ApiAsync(HttpMethod.Post, $"/api/accounting/{tenant.Id}/exceptions/{exceptionId}/retry", new { });
        Assert.True(retried.Ok, $"retry: {(int)retried.Status} {retried.Text}");

        var invoice = await Acceptance.SingleInvoiceAsync(tenant, "hubspot", dealId);
        Assert.Equal(8m * 150m + 2_500m, invoice.GetProperty("TotalAmt").GetDecimal());
        Assert.Contains((migration.ItemRef, 1m, 2_500m, 2_500m), Acceptance.ItemLines(invoice));
        await Task.Delay(TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken); // a second retry or redelivery must not post again
        Assert.Single(await tenant.Books.InvoicesForDealAsync("hubspot", dealId));
    }
}
