namespace QuoteToCash.CrmIngest.Domain;

/// <summary>A pipeline stage as the CRM describes it.</summary>
public sealed record PipelineStage(string PipelineId, string StageId, string Label, bool IsClosed, decimal? Probability, bool? IsWon = null);

/// <summary>
/// Decides from stage metadata whether a deal reached its billing trigger (ING-5), never from a stage's
/// name: HubSpot stages that are closed with probability 1, Salesforce stages with IsWon. A tenant may
/// instead name the exact stages that trigger billing (e.g. "contract signed" before closed-won).
/// </summary>
public sealed class BillingTrigger(IReadOnlyCollection<PipelineStage> stages, IReadOnlyCollection<string>? explicitStages = null)
{
    private readonly Dictionary<(string Pipeline, string Stage), PipelineStage> _stages =
        stages.ToDictionary(s => (s.PipelineId, s.StageId));

    public bool IsTriggered(string pipelineId, string stageId)
    {
        if (explicitStages is { Count: > 0 })
            return explicitStages.Contains($"{pipelineId}:{stageId}") || explicitStages.Contains(stageId);
        return _stages.TryGetValue((pipelineId, stageId), out var stage) && IsWon(stage);
    }

    /// <summary>Unknown stages are never treated as won: a stage missing from the metadata is reported, not billed.</summary>
    public bool IsKnown(string pipelineId, string stageId) => _stages.ContainsKey((pipelineId, stageId));

    public static bool IsWon(PipelineStage stage) => stage.IsWon ?? (stage.IsClosed && stage.Probability == 1m);
}
