using QuoteToCash.Contracts;

namespace QuoteToCash.ServiceDefaults.Tests.Contracts;

public class DeterministicIdTests
{
    [Fact]
    public void Matches_RFC_9562_version_5_for_a_standard_namespace()
    {
        // Reference value from Python's uuid.uuid5(uuid.NAMESPACE_DNS, "python.org").
        var dns = new Guid("6ba7b810-9dad-11d1-80b4-00c04fd430c8");
        Assert.Equal(new Guid("886313e1-3b8a-5372-9b90-0c9aee199e5d"), DeterministicId.Create(dns, "python.org"));
    }

    [Fact]
    public void Flow_id_is_stable_across_releases()
    {
        // Stored flows depend on this exact value: changing the namespace or composition breaks every existing saga.
        Assert.Equal(new Guid("6261ad89-d1ab-52e0-a915-6924cb766929"), FlowId.For("demo", "hubspot", "9876543"));
    }

    [Fact]
    public void Flow_id_ignores_case_of_tenant_and_source_but_not_of_the_crm_id()
    {
        Assert.Equal(FlowId.For("demo", "hubspot", "D-1"), FlowId.For(" DEMO", "HubSpot ", "D-1"));
        Assert.NotEqual(FlowId.For("demo", "hubspot", "d-1"), FlowId.For("demo", "hubspot", "D-1"));
        Assert.NotEqual(FlowId.For("demo", "hubspot", "D-1"), FlowId.For("demo-sf", "hubspot", "D-1"));
        Assert.NotEqual(FlowId.For("demo", "hubspot", "D-1"), FlowId.For("demo", "salesforce", "D-1"));
    }

    [Fact]
    public void Parts_cannot_run_into_each_other()
    {
        Assert.NotEqual(FlowId.For("ab", "c", "d"), FlowId.For("a", "bc", "d"));
    }

    [Fact]
    public void Operation_ids_differ_per_operation_and_key()
    {
        var flow = FlowId.For("demo", "hubspot", "1");
        Assert.Equal(FlowId.Operation(flow, "post-invoice", "1"), FlowId.Operation(flow, "post-invoice", "1"));
        Assert.NotEqual(FlowId.Operation(flow, "post-invoice", "1"), FlowId.Operation(flow, "post-invoice", "2"));
        Assert.NotEqual(FlowId.Operation(flow, "post-invoice", "1"), FlowId.Operation(flow, "post-payment", "1"));
    }
}
