using System.Text.Json;
using QuoteToCash.CrmIngest.Domain;

namespace QuoteToCash.CrmIngest.Tests.Domain;

/// <summary>
/// Bodies of the generic ingest API that used to crash it: read as ASP.NET reads them (web JSON defaults), they are
/// refused with field errors instead, and no amount is worked out from them.
/// </summary>
public class GenericDealHostileInputTests
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    private static GenericDealRequest Read(string lines, string customer = """{"externalId":"C-1","legalName":"Northwind Traders LLC"}""",
        string externalDealId = "D-100") =>
        JsonSerializer.Deserialize<GenericDealRequest>(
            $$"""{"externalDealId":"{{externalDealId}}","dealName":"Brand refresh","currency":"USD","customer":{{customer}},"lines":{{lines}}}""", Web)!;

    [Fact]
    public void A_null_line_is_refused_by_its_index()
    {
        var errors = GenericDealNormalizer.Validate(Read("[null]"), BillingDefaults.None);

        Assert.Contains("lines[0]", errors.Keys);
    }

    [Fact]
    public void A_quantity_beyond_a_decimal_does_not_bind_so_the_api_answers_400()
    {
        // ASP.NET turns this into BadHttpRequestException, which ServiceDefaults answers with a 400 problem.
        Assert.Throws<JsonException>(() => Read("""[{"description":"Strategy","quantity":1e30,"unitPrice":180}]"""));
    }

    [Fact]
    public void A_line_too_large_to_be_an_amount_is_refused_instead_of_overflowing()
    {
        var request = Read("""[{"description":"Strategy","quantity":1e20,"unitPrice":1e20}]""");

        var errors = GenericDealNormalizer.Validate(request, BillingDefaults.None);

        Assert.Contains("lines[0]", errors.Keys);
        Assert.False(GenericDealNormalizer.TryAmountOf(request, out _));
    }

    [Fact]
    public void Lines_that_only_together_exceed_any_amount_are_refused()
    {
        var line = """{"description":"Strategy","quantity":7e26,"unitPrice":1}""";
        var errors = GenericDealNormalizer.Validate(Read("[" + string.Join(",", Enumerable.Repeat(line, 200)) + "]"), BillingDefaults.None);

        Assert.Equal(["lines"], errors.Keys);
    }

    [Fact]
    public void Ids_longer_than_a_store_key_are_refused_before_anything_is_stored()
    {
        var longId = new string('k', 1_100);
        var errors = GenericDealNormalizer.Validate(Read("[]", $$"""{"externalId":"{{longId}}","legalName":"Northwind"}""", externalDealId: longId),
            BillingDefaults.None);

        Assert.Contains("externalDealId", errors.Keys);
        Assert.Contains("customer.externalId", errors.Keys);
    }

    [Fact]
    public void A_null_contact_list_or_contact_is_refused_at_intake()
    {
        var nullList = GenericDealNormalizer.Validate(Read("[]", """{"externalId":"C-1","legalName":"Northwind","contacts":null}"""));
        var nullContact = GenericDealNormalizer.Validate(Read("[]", """{"externalId":"C-1","legalName":"Northwind","contacts":[null]}"""));

        Assert.Contains("customer.contacts", nullList.Keys);
        Assert.Contains("customer.contacts[0]", nullContact.Keys);
    }
}
