using System.Globalization;
using System.Text.Json;

namespace QuoteToCash.DemoHistory.Infrastructure;

/// <summary>
/// data/demo-clock.json, the clock offset every service and sandbox of <c>./run.sh --demo</c> follows
/// (<c>Clock:OffsetFile</c>): <c>{"Clock":{"Offset":"-182.00:00:00"}}</c>. Written through a temporary file and a
/// rename, so a process never reads half of it.
/// </summary>
public sealed class DemoClockFile(string path, TimeProvider realTime)
{
    public const string FileName = "demo-clock.json";

    public string Path { get; } = path;

    /// <summary>The offset that makes the moved clock read <paramref name="instant"/> now.</summary>
    public static TimeSpan OffsetFor(DateTimeOffset instant, DateTimeOffset realNow) =>
        TimeSpan.FromSeconds(Math.Round((instant - realNow).TotalSeconds));

    public static string Render(TimeSpan offset) =>
        JsonSerializer.Serialize(new { Clock = new { Offset = offset.ToString("c", CultureInfo.InvariantCulture) } });

    public TimeSpan Read()
    {
        if (!File.Exists(Path))
            return TimeSpan.Zero;
        using var document = JsonDocument.Parse(File.ReadAllText(Path));
        return document.RootElement.TryGetProperty("Clock", out var clock) && clock.TryGetProperty("Offset", out var offset)
            && TimeSpan.TryParse(offset.GetString(), CultureInfo.InvariantCulture, out var value) ? value : TimeSpan.Zero;
    }

    /// <summary>What the moved clock reads now.</summary>
    public DateTimeOffset Now => realTime.GetUtcNow() + Read();

    public void Write(TimeSpan offset)
    {
        var temporary = Path + ".tmp";
        File.WriteAllText(temporary, Render(offset));
        File.Move(temporary, Path, overwrite: true);
    }

    /// <summary>Sets the clock to read <paramref name="instant"/> now, in whichever direction (the start of a history).</summary>
    public DateTimeOffset SetTo(DateTimeOffset instant)
    {
        Write(OffsetFor(instant, realTime.GetUtcNow()));
        return instant;
    }

    /// <summary>Moves the clock to <paramref name="instant"/>, never back: a clock already past it stays where it is.</summary>
    public DateTimeOffset MoveTo(DateTimeOffset instant)
    {
        var now = realTime.GetUtcNow();
        if (now + Read() >= instant)
            return now + Read();
        Write(OffsetFor(instant, now));
        return instant;
    }
}
