using System.Globalization;
using System.Text.Json.Nodes;

namespace QuoteToCash.Sandbox.QuickBooks.Domain.Rules;

/// <summary>
/// TimeActivity: time an employee or vendor worked, for a customer and a service item, billable or not. The person
/// follows NameOf; the duration is Hours and Minutes, or StartTime and EndTime; billable time needs a customer and a
/// rate; HasBeenBilled is QuickBooks' to set, never the client's.
/// </summary>
public static class TimeActivityRules
{
    public const string Billable = "Billable";
    public const string NotBillable = "NotBillable";
    public const string HasBeenBilled = "HasBeenBilled";

    public const int MaxHours = 8760;
    public const decimal MaxHourlyRate = 99_999_999_999m;

    private static readonly string[] NameOfValues = ["Employee", "Vendor"];
    private static readonly string[] BillableStatuses = [Billable, NotBillable, HasBeenBilled];

    public static void Apply(Operation op, JsonObject entity, JsonObject? existing)
    {
        Person(op, entity);

        var txnDate = Fields.Date(op, entity, "TxnDate", defaultToday: true);
        ClosedBooks.RefuseIfClosed(op, EntityKind.TimeActivity, entity);
        Duration(op, entity, txnDate);

        var customer = Fields.Reference(op, entity, "CustomerRef", EntityKind.Customer, "CustomerRef");
        var item = Fields.Reference(op, entity, "ItemRef", EntityKind.Item, "ItemRef");
        if (item is not null && !string.Equals(item.Text("Type"), "Service", StringComparison.OrdinalIgnoreCase))
            throw Faults.BusinessValidation($"Time can only be recorded against a service item; '{item.Text("Name")}' is a {item.Text("Type")} item.", "ItemRef");
        Fields.Reference(op, entity, "ClassRef", EntityKind.Class, "ClassRef");
        Fields.Reference(op, entity, "DepartmentRef", EntityKind.Department, "DepartmentRef");
        Fields.MaxLength(entity, "Description", 4000);

        var status = Status(entity, existing);
        var rate = Fields.Amount(entity, "HourlyRate", "HourlyRate");
        if (status == Billable)
        {
            if (customer is null)
                throw Faults.RequiredParameterMissing("CustomerRef");
            if (rate is null)
                throw Faults.RequiredParameterMissing("HourlyRate");
        }
        if (rate is < 0 or > MaxHourlyRate)
            throw Faults.BusinessValidation($"HourlyRate must be between 0 and {MaxHourlyRate.ToString(CultureInfo.InvariantCulture)}.", "HourlyRate");
        if (Fields.Amount(entity, "CostRate", "CostRate") < 0)
            throw Faults.BusinessValidation("CostRate cannot be negative.", "CostRate");
        Fields.Default(entity, "HourlyRate", 0);
        Fields.Default(entity, "Taxable", false);
    }

    /// <summary>NameOf says whose time it is; the matching reference is required and the other one is not allowed.</summary>
    private static void Person(Operation op, JsonObject entity)
    {
        if (entity.Text("NameOf") is null)
            throw Faults.RequiredParameterMissing("NameOf");
        Fields.Enumeration(entity, "NameOf", NameOfValues, null);
        var (property, kind, other) = entity.Text("NameOf") == "Employee"
            ? ("EmployeeRef", EntityKind.Employee, "VendorRef")
            : ("VendorRef", EntityKind.Vendor, "EmployeeRef");
        if (entity.Get(other) is not null)
            throw Faults.BusinessValidation($"A time activity for NameOf {entity.Text("NameOf")} takes {property}, not {other}.", other);
        Fields.Reference(op, entity, property, kind, property, required: true);
    }

    /// <summary>Hours and Minutes, or StartTime and EndTime (a time of day takes the TxnDate); breaks only between the two times.</summary>
    private static void Duration(Operation op, JsonObject entity, DateOnly txnDate)
    {
        var hours = WholeNumber(entity, "Hours");
        var minutes = WholeNumber(entity, "Minutes");
        var hasTimes = entity.Get("StartTime") is not null || entity.Get("EndTime") is not null;
        if (hours is null && minutes is null && !hasTimes)
            throw Faults.RequiredParameterMissing("Hours");
        if (hours is not null || minutes is not null)
        {
            Range("Hours", hours ?? 0, MaxHours);
            Range("Minutes", minutes ?? 0, 59);
            entity.Set("Hours", hours ?? 0);
            entity.Set("Minutes", minutes ?? 0);
        }

        var breakHours = WholeNumber(entity, "BreakHours");
        var breakMinutes = WholeNumber(entity, "BreakMinutes");
        if (!hasTimes)
        {
            if (breakHours is not null || breakMinutes is not null)
                throw Faults.BusinessValidation("BreakHours and BreakMinutes apply only to time recorded with StartTime and EndTime.", "BreakHours");
            return;
        }
        var start = Moment(op, entity, "StartTime", txnDate);
        var end = Moment(op, entity, "EndTime", txnDate);
        if (end <= start)
            throw Faults.BusinessValidation("EndTime must be after StartTime.", "EndTime");
        Range("BreakHours", breakHours ?? 0, MaxHours);
        Range("BreakMinutes", breakMinutes ?? 0, 59);
        if (TimeSpan.FromHours(breakHours ?? 0) + TimeSpan.FromMinutes(breakMinutes ?? 0) >= end - start)
            throw Faults.BusinessValidation("The break is as long as the time worked or longer.", "BreakHours");
    }

    private static DateTimeOffset Moment(Operation op, JsonObject entity, string property, DateOnly txnDate)
    {
        var text = entity.Text(property)?.Trim() ?? throw Faults.RequiredParameterMissing(property);
        // "08:00:00-08:00": a time of day on the TxnDate.
        if (!text.Contains('T', StringComparison.Ordinal) && text.Length >= 5 && text[2] == ':')
            text = txnDate.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "T" + text;
        if (!op.Clock.TryParseTimestamp(text, out var instant) || text.Length <= 10)
            throw Faults.InvalidProperty(property);
        entity.Set(property, op.Clock.MetaTime(instant));
        return instant;
    }

    private static string Status(JsonObject entity, JsonObject? existing)
    {
        var previous = existing?.Text("BillableStatus");
        if (previous == HasBeenBilled)
        {
            // Billed time stays billed: the invoice that billed it decides, not an update.
            entity.Set("BillableStatus", HasBeenBilled);
            return HasBeenBilled;
        }
        Fields.Enumeration(entity, "BillableStatus", BillableStatuses, NotBillable);
        var status = entity.Text("BillableStatus")!;
        if (status == HasBeenBilled)
            throw Faults.BusinessValidation("BillableStatus cannot be set to HasBeenBilled through the API; it changes when the time is billed on an invoice.", "BillableStatus");
        return status;
    }

    private static int? WholeNumber(JsonObject entity, string property)
    {
        var value = entity.Decimal(property, property);
        if (value is null)
            return null;
        if (value != decimal.Truncate(value.Value) || value is > int.MaxValue or < int.MinValue)
            throw Faults.InvalidProperty(property);
        return (int)value.Value;
    }

    private static void Range(string property, int value, int max)
    {
        if (value < 0 || value > max)
            throw Faults.BusinessValidation($"{property} must be between 0 and {max}; {value} was supplied.", property);
    }
}
