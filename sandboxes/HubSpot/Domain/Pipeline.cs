namespace QuoteToCash.Sandbox.HubSpot.Domain;

public sealed class PipelineStage
{
    public string Id { get; set; } = "";
    public string Label { get; set; } = "";
    public int DisplayOrder { get; set; }
    public bool IsClosed { get; set; }
    /// <summary>Win probability, 0.0–1.0; a closed stage with probability 1.0 is a won stage.</summary>
    public decimal Probability { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Archived { get; set; }

    public bool IsWon => IsClosed && Probability >= 1m;
}

public sealed class Pipeline
{
    public string Id { get; set; } = "";
    public string Label { get; set; } = "";
    public int DisplayOrder { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
    public bool Archived { get; set; }
    public List<PipelineStage> Stages { get; set; } = [];

    /// <summary>HubSpot's default "Sales Pipeline" with its well-known internal stage ids.</summary>
    public static Pipeline Default(DateTimeOffset now) => Build("default", "Sales Pipeline", 0, now,
    [
        ("appointmentscheduled", "Appointment Scheduled", false, 0.2m),
        ("qualifiedtobuy", "Qualified To Buy", false, 0.4m),
        ("presentationscheduled", "Presentation Scheduled", false, 0.6m),
        ("decisionmakerboughtin", "Decision Maker Bought-In", false, 0.8m),
        ("contractsent", "Contract Sent", false, 0.9m),
        ("closedwon", "Closed Won", true, 1.0m),
        ("closedlost", "Closed Lost", true, 0.0m),
    ]);

    /// <summary>A custom pipeline: HubSpot gives those numeric pipeline and stage ids, so "won" must be read from stage metadata.</summary>
    public static Pipeline Custom(string id, long firstStageId, DateTimeOffset now) => Build(id, "Enterprise Pipeline", 1, now,
    [
        ((firstStageId).ToString(System.Globalization.CultureInfo.InvariantCulture), "Discovery", false, 0.1m),
        ((firstStageId + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), "Proposal", false, 0.5m),
        ((firstStageId + 2).ToString(System.Globalization.CultureInfo.InvariantCulture), "Negotiation", false, 0.8m),
        ((firstStageId + 3).ToString(System.Globalization.CultureInfo.InvariantCulture), "Signed", true, 1.0m),
        ((firstStageId + 4).ToString(System.Globalization.CultureInfo.InvariantCulture), "Lost", true, 0.0m),
    ]);

    private static Pipeline Build(string id, string label, int order, DateTimeOffset now, (string Id, string Label, bool Closed, decimal Probability)[] stages) => new()
    {
        Id = id,
        Label = label,
        DisplayOrder = order,
        CreatedAt = now,
        UpdatedAt = now,
        Stages = stages.Select((s, i) => new PipelineStage
        {
            Id = s.Id, Label = s.Label, DisplayOrder = i, IsClosed = s.Closed, Probability = s.Probability, CreatedAt = now, UpdatedAt = now,
        }).ToList(),
    };
}
