using System.Text.Json;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>
/// data/demo-history.json: which history is being played (seed, last day, weeks), how far it got, what it did and the
/// IDs the CRMs and QuickBooks gave to what it made. A second run reads it: a finished history is not played again, an
/// interrupted one goes on from the day after the last one finished, and no action is done twice.
/// </summary>
public sealed class DemoProgress
{
    public const string FileName = "demo-history.json";

    public int Seed { get; set; }
    public DateOnly Today { get; set; }
    public int Weeks { get; set; }
    public DateOnly? LastDay { get; set; }
    public bool Complete { get; set; }
    public DateTimeOffset Started { get; set; }
    public DateTimeOffset? Finished { get; set; }
    public HashSet<string> Done { get; set; } = [];
    /// <summary>CRM IDs by plan key: companies ("company:{customer}"), contacts, deals ("deal:{deal}"), new products.</summary>
    public Dictionary<string, string> Ids { get; set; } = [];
    /// <summary>Payments made, by "{tenant}:{QuickBooks invoice ID}:{part}".</summary>
    public HashSet<string> Payments { get; set; } = [];

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public static DemoProgress? Load(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<DemoProgress>(File.ReadAllText(path), Options) : null;

    public void Save(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Options));
        File.Move(temporary, path, overwrite: true);
    }
}
