namespace QuoteToCash.Sandbox.Salesforce.Domain.Soql;

/// <summary>A SOQL error with Salesforce's errorCode (MALFORMED_QUERY, INVALID_FIELD, INVALID_TYPE, …) and a column.</summary>
public sealed class SoqlException(string errorCode, string message, int position) : Exception(message)
{
    public string ErrorCode { get; } = errorCode;
    public int Position { get; } = position;
}

public enum TokenKind { Identifier, String, Number, DateTimeLiteral, Symbol, End }

public sealed record Token(TokenKind Kind, string Text, int Position)
{
    public bool Is(string keyword) => Kind == TokenKind.Identifier && string.Equals(Text, keyword, StringComparison.OrdinalIgnoreCase);

    public bool IsSymbol(string symbol) => Kind == TokenKind.Symbol && Text == symbol;
}

public sealed record SoqlQuery(
    IReadOnlyList<SelectItem> Select,
    string From,
    int FromPosition,
    Condition? Where,
    IReadOnlyList<OrderItem> OrderBy,
    int? Limit,
    int? Offset);

public abstract record SelectItem;

/// <summary>A field or relationship path such as Account.Name.</summary>
public sealed record FieldItem(IReadOnlyList<string> Path, int Position) : SelectItem;

public sealed record SubqueryItem(SoqlQuery Query) : SelectItem;

public sealed record CountItem(int Position) : SelectItem;

public abstract record Condition;

public sealed record AndCondition(Condition Left, Condition Right) : Condition;

public sealed record OrCondition(Condition Left, Condition Right) : Condition;

public sealed record NotCondition(Condition Inner) : Condition;

/// <summary>Path op value; op is one of = != &lt; &lt;= &gt; &gt;= LIKE.</summary>
public sealed record Comparison(IReadOnlyList<string> Path, int Position, string Operator, SoqlValue Value) : Condition;

public sealed record InCondition(IReadOnlyList<string> Path, int Position, bool Negated, IReadOnlyList<SoqlValue> Values) : Condition;

public enum ValueKind { String, Number, Boolean, Null, Date, DateTime, DateLiteral }

/// <summary>A literal; for date literals (TODAY, LAST_N_DAYS:30) Text is the name and N the number.</summary>
public sealed record SoqlValue(ValueKind Kind, string Text, int Position, int N = 0);

public sealed record OrderItem(IReadOnlyList<string> Path, int Position, bool Descending, bool NullsLast);
