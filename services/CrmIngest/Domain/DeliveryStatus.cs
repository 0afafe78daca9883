namespace QuoteToCash.CrmIngest.Domain;

/// <summary>What processing made of one event of a delivery: Processed, Refused, Failed or Ignored, with finance's note.</summary>
public sealed record EventResult(string Status, string? Note, bool ProducedAny);

/// <summary>
/// A delivery's status from its events' results, whatever order they were processed in: a failure outranks a refusal,
/// a refusal outranks processing, processing outranks an ignored event (a delivery that produced anything is Processed).
/// The note shown is every distinct note of the highest-ranked results that have one (at most <see cref="MaxNotes"/>),
/// else the one written at intake. Pure.
/// </summary>
public static class DeliveryStatus
{
    public const int MaxNotes = 5;

    private static int Rank(string status) => status switch
    {
        "Failed" => 4,
        "Refused" => 3,
        "Processed" => 2,
        "Ignored" => 1,
        _ => 0,
    };

    public static (string Status, string? Error) Fold(string intakeStatus, string? intakeError, IReadOnlyCollection<EventResult> results)
    {
        if (results.Count == 0)
            return (intakeStatus, intakeError);
        var producedAny = results.Any(r => r.ProducedAny);
        var top = results.MaxBy(r => Rank(r.Status))!;
        var status = top.Status == "Ignored" && producedAny ? "Processed" : top.Status;
        var noted = results.Where(r => r.Note is not null).ToList();
        if (noted.Count == 0)
            return (status, intakeError);
        var rank = noted.Max(r => Rank(r.Status));
        var notes = noted.Where(r => Rank(r.Status) == rank).Select(r => r.Note!).Distinct().ToList();
        var shown = string.Join(" ", notes.Take(MaxNotes));
        return (status, notes.Count > MaxNotes ? $"{shown} (and {notes.Count - MaxNotes} more)" : shown);
    }
}
