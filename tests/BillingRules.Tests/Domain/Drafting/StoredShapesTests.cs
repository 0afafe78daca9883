using System.Text.Json;
using MongoDB.Bson;
using MongoDB.Bson.Serialization;
using QuoteToCash.BillingRules.Domain;
using QuoteToCash.ServiceDefaults.Storage;
using static QuoteToCash.BillingRules.Tests.Domain.Drafting.ContosoBilling;

namespace QuoteToCash.BillingRules.Tests.Domain.Drafting;

/// <summary>
/// Drafts and policies live in the saga's document, so they must come back from either store engine exactly as they
/// went in.
/// </summary>
public sealed class StoredShapesTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "q2c-stored-shapes-" + Guid.NewGuid().ToString("N"));
    private readonly LiteDbDocumentStore _lite;

    public StoredShapesTests()
    {
        _lite = new LiteDbDocumentStore(Path.Combine(_directory, "billing-rules.db"));
        // Constructing the store registers its serialization conventions; nothing connects until a command is sent.
        _ = new MongoDocumentStore("mongodb://127.0.0.1:27017", "billing-rules");
    }

    public static TheoryData<string> Shapes => ["draft", "context", "approval-policy", "approval-reason", "numbering", "rollout", "parallel-run"];

    private static object Shape(string name)
    {
        var context = Context("KWD");
        context.DefaultItem = Services;
        context.TaxExempt = true;
        return name switch
        {
            "draft" => Assert.Single(InvoiceDrafter.Draft(MarchTimeAndMaterials(
                new ChargeLine { Description = " Extra workshop ", Product = "sku:CONSULT", Quantity = 1.5m, UnitPrice = 333.3335m, DiscountPercent = 12.5m, Amount = 437.5m, Manual = true }), Context()).Invoices),
            "context" => context,
            // The embedded store leaves null members out, so a limit switched off (null) comes back as its default there;
            // the shape is checked with limits set, and MaxAmount at its default null.
            "approval-policy" => new ApprovalPolicy { MaxDiscountPercent = 12.5m, MaxNetDays = 45, ManualLinesNeedApproval = false, SlaHours = 36 },
            "approval-reason" => ApprovalRules.Evaluate(Assert.Single(InvoiceDrafter.Draft(DepositInstalment(15), Context()).Invoices), ApprovalPolicy.Standard(), "Net 30").Single(),
            "numbering" => new NumberingPolicy { Mode = NumberingMode.TenantSequence, Prefix = "HP-", Digits = 6, NextNumber = 1_042 },
            "rollout" => new RolloutPolicy { Mode = BillingMode.ParallelRun, BusinessUnits = ["Consulting"], Regions = ["UK", "IE"], OnlyApprovedCustomers = true, MinimumAmount = 999.99m },
            "parallel-run" => ParallelRunDiff.Compare(
                [new InvoiceFacts("58", new DateOnly(2026, 3, 16), 7_400m, [new InvoiceLineFacts("21", "Go-live", 7_400m)], "milestone:m2")],
                [new InvoiceFacts("58", new DateOnly(2026, 3, 17), 7_000m, [new InvoiceLineFacts("21", "ERP go-live", 7_000m)], "1041"),
                 new InvoiceFacts("75", new DateOnly(2026, 3, 25), 1_800m, [], "1049")]),
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public async Task Comes_back_from_LiteDB_as_it_went_in(string name)
    {
        var value = Shape(name);

        // The store's collections are typed: dispatch on the shape's own type, as the saga's document would.
        object back = await ThroughLiteDb((dynamic)value);

        Assert.Equal(Json(value), Json(back));
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Comes_back_from_MongoDB_serialization_as_it_went_in(string name)
    {
        var value = Shape(name);

        var document = value.ToBsonDocument(value.GetType());
        var back = BsonSerializer.Deserialize(document, value.GetType());

        Assert.Equal(Json(value), Json(back));
    }

    private async Task<object> ThroughLiteDb<T>(T value) where T : class
    {
        var collection = "shapes-" + typeof(T).Name.ToLowerInvariant();
        await _lite.CommitAsync([DocumentWrite.Insert(collection, "one", value)]);
        var stored = await _lite.Collection<T>(collection).GetAsync("one");
        return Assert.IsType<T>(stored?.Value);
    }

    private static string Json(object value) => JsonSerializer.Serialize(value, value.GetType());

    public void Dispose()
    {
        _lite.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // A file still held by the OS is left to the temp folder's cleanup.
        }
    }
}
