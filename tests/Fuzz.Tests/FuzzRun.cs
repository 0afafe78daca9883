namespace QuoteToCash.Fuzz.Tests;

/// <summary>How the fuzz judges one answer: never a 5xx; a refusal (4xx) as problem+json (or a SOAP fault) that stored and published nothing.</summary>
public static class FuzzRun
{
    /// <summary>Sends <paramref name="fuzz"/>, adds what was wrong with its answer to <paramref name="failures"/>, and returns the status and body.</summary>
    public static async Task<(int Status, string Body)> SendAsync(IFuzzedService host, HttpClient client, FuzzCase fuzz, List<string> failures,
        bool plainRefusalAllowed, CancellationToken cancellationToken)
    {
        using var request = fuzz.ToRequest();
        using var response = await client.SendAsync(request, cancellationToken);
        var status = (int)response.StatusCode;
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (status >= 500)
        {
            failures.Add($"{status} for {fuzz}: {Shorten(body)}");
            return (status, body);
        }
        if (status < 400)
            return (status, body);
        var writes = host.Effects.WritesOf(fuzz.Id);
        var messages = host.Effects.MessagesOf(fuzz.Id);
        if (writes > 0 || messages > 0)
            failures.Add($"{status} after {writes} store write(s) and {messages} message(s) for {fuzz}");
        if (response.Content.Headers.ContentType?.MediaType is not ("application/problem+json" or "text/xml" or "application/soap+xml") && !plainRefusalAllowed)
            failures.Add($"{status} as {response.Content.Headers.ContentType?.MediaType ?? "no content type"} for {fuzz}");
        return (status, body);
    }

    public static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";
}
