using QuoteToCash.Testing;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MassTransit;
using QuoteToCash.Contracts;
using QuoteToCash.Contracts.MasterData;
using QuoteToCash.EndToEnd.Tests.Infrastructure;
using QuoteToCash.ServiceDefaults.Messaging;
using static QuoteToCash.Testing.Polling;

namespace QuoteToCash.EndToEnd.Tests;

/// <summary>
/// Kills the real master-data process (as SIGKILL would) between its commit and its publish, and between its
/// publish and the acknowledgement of the incoming message; restarts it; then checks that every command's
/// event arrived and that no command was applied twice.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class OutboxCrashRecoveryTests : IAsyncLifetime
{
    private const int Commands = 12;
    private const int CrashAt = 5;
    private readonly ConcurrentDictionary<Guid, ConcurrentBag<Guid>> _customerReady = new();
    private readonly string _directory = TestEnvironment.NewScratchDirectory("crash");
    private readonly string _signingKey = TestEnvironment.NewSigningKey();
    private readonly string _tenant = "crash-" + Guid.NewGuid().ToString("N")[..8];
    private IBusControl? _bus;

    private const string Queue = "e2e-crash-master-data-resolve-customer";

    /// <summary>Each run starts from an empty command queue and leaves none behind.</summary>
    private static async Task DeleteQueueAsync()
    {
        var factory = new RabbitMQ.Client.ConnectionFactory { Uri = new Uri(TestEnvironment.RabbitMqUri!) };
        await using var connection = await factory.CreateConnectionAsync();
        await using var channel = await connection.CreateChannelAsync();
        await channel.QueueDeleteAsync(Queue, ifUnused: false, ifEmpty: false);
    }

    public async ValueTask InitializeAsync()
    {
        if (TestEnvironment.RabbitMqUri is null)
            return;
        await DeleteQueueAsync();
        // The test plays billing-rules: it sends ResolveCustomer and listens for CustomerReady on a temporary queue.
        _bus = Bus.Factory.CreateUsingRabbitMq(cfg =>
        {
            MessagingExtensions.ConfigureHost(cfg, new Uri(TestEnvironment.RabbitMqUri));
            cfg.ReceiveEndpoint($"e2e-crash-observer-{Guid.NewGuid():N}", e =>
            {
                e.AutoDelete = true;
                e.Durable = false;
                e.Handler<CustomerReady>(context =>
                {
                    if (context.Message.TenantId == _tenant)
                        _customerReady.GetOrAdd(context.Message.FlowId, _ => []).Add(context.MessageId!.Value);
                    return Task.CompletedTask;
                });
            });
        });
        await _bus.StartAsync(TestContext.Current.CancellationToken);
    }

    private ServiceProcess MasterData(int port, string? crashPoint) => new("master-data", "QuoteToCash.MasterData", port, new Dictionary<string, string>
    {
        ["ConnectionStrings__rabbitmq"] = TestEnvironment.RabbitMqUri!,
        ["Storage__DataDirectory"] = _directory,
        ["Auth__SigningKey"] = _signingKey,
        ["Messaging__EndpointPrefix"] = "e2e-crash-master-data",
        ["Messaging__Outbox__InlineLease"] = "00:00:02",
        ["Messaging__Outbox__PollInterval"] = "00:00:00.250",
        [$"Messaging__FaultInjection__{crashPoint ?? "CrashAfterCommit"}"] = crashPoint is null ? "0" : CrashAt.ToString(System.Globalization.CultureInfo.InvariantCulture),
        // Other end-to-end tests publish on the same broker (won deals, customer answers): only this test's commits count.
        ["Messaging__FaultInjection__Tenant"] = _tenant,
    }, _directory);

    [Theory]
    [InlineData("CrashAfterCommit")]
    [InlineData("CrashAfterPublish")]
    public async Task Every_message_arrives_and_nothing_is_applied_twice_after_a_kill(string crashPoint)
    {
        TestEnvironment.RequireRabbitMq();
        var port = ServiceProcess.FreePort();
        await using var crashing = MasterData(port, crashPoint);
        crashing.Start();
        await crashing.WaitReadyAsync(TimeSpan.FromSeconds(90));
        // master-data runs alone here: its tenant bills without a QuickBooks round trip, so CustomerReady follows at once.
        using (var admin = new HttpClient { BaseAddress = crashing.BaseAddress })
        {
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestEnvironment.OperatorToken(_signingKey, ["admin"], [_tenant]));
            (await admin.PutAsJsonAsync($"/api/master-data/{_tenant}/policy", new { syncToAccounting = false }, TestContext.Current.CancellationToken)).EnsureSuccessStatusCode();
        }

        var flows = Enumerable.Range(1, Commands).Select(i => FlowId.For(_tenant, "hubspot", $"deal-{i}")).ToList();
        // Sent to this master-data's own queue, so the platform of the other end-to-end tests (also on this broker) does not take them.
        var queue = await _bus!.GetSendEndpoint(new Uri($"queue:{Queue}"));
        for (var i = 0; i < Commands; i++)
        {
            await queue.Send(new ResolveCustomer
            {
                TenantId = _tenant,
                FlowId = flows[i],
                SourceSystem = "hubspot",
                Customer = new CustomerSnapshot
                {
                    ExternalId = $"company-{i + 1}",
                    LegalName = $"Customer {i + 1} LLC",
                    BillingAddress = new PostalAddress { Line1 = $"{i + 1} Market St", City = "Denver", Country = "US" },
                    Contacts = [new ContactPerson { Email = $"ap{i + 1}@example.test", IsBillingContact = true }],
                },
            }, TestContext.Current.CancellationToken);
        }

        Assert.True(await crashing.WaitForExitAsync(TimeSpan.FromSeconds(60)), $"master-data did not crash at {crashPoint}. Log:\n{crashing.LogTail()}");
        Assert.Equal(137, crashing.ExitCode); // 128 + SIGKILL: no shutdown, no flush, no acknowledgement
        await crashing.StopAsync();

        await using var restarted = MasterData(port, null);
        restarted.Start();
        await restarted.WaitReadyAsync(TimeSpan.FromSeconds(90));

        var allArrived = await Eventually(() => flows.All(_customerReady.ContainsKey), TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(4), TestContext.Current.CancellationToken); // room for any duplicate to show up
        Assert.True(allArrived, $"CustomerReady arrived for {flows.Count(_customerReady.ContainsKey)} of {Commands} flows. Log:\n{restarted.LogTail()}");
        Assert.Equal(Commands, _customerReady.Count);
        // A re-send after the crash reuses the message ID, so each flow's event is one message, however often delivered.
        Assert.All(flows, flow => Assert.Single(_customerReady[flow].Distinct()));

        using var client = new HttpClient { BaseAddress = restarted.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", TestEnvironment.OperatorToken(_signingKey, ["auditor"], [_tenant]));
        var customers = await client.GetFromJsonAsync<List<JsonElement>>($"/api/master-data/{_tenant}/customers", TestContext.Current.CancellationToken);
        Assert.Equal(Commands, customers!.Count);
        Assert.All(customers, c => Assert.Equal(1, c.GetProperty("revision").GetInt32()));
    }

    public async ValueTask DisposeAsync()
    {
        if (_bus is not null)
        {
            await _bus.StopAsync(CancellationToken.None);
            await DeleteQueueAsync();
        }
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
