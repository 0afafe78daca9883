using System.Linq.Expressions;

namespace QuoteToCash.ServiceDefaults.Storage;

/// <summary>The stored shape in both engines: <c>{ _id, Version, Updated, Data }</c>.</summary>
public sealed class DocumentEnvelope<T> where T : class
{
    public string Id { get; set; } = string.Empty;

    public long Version { get; set; }

    public DateTime Updated { get; set; }

    public T Data { get; set; } = default!;

    public StoredDocument<T> ToStored() => new(Id, Version, Data);
}

/// <summary>Rewrites predicates over <c>T</c> into predicates over the envelope's <c>Data</c>.</summary>
internal static class EnvelopeExpressions
{
    public static Expression<Func<DocumentEnvelope<T>, TResult>> Lift<T, TResult>(Expression<Func<T, TResult>> expression) where T : class
    {
        var envelope = Expression.Parameter(typeof(DocumentEnvelope<T>), "e");
        var data = Expression.Property(envelope, nameof(DocumentEnvelope<T>.Data));
        var body = new ReplaceParameter(expression.Parameters[0], data).Visit(expression.Body);
        return Expression.Lambda<Func<DocumentEnvelope<T>, TResult>>(body, envelope);
    }

    /// <summary>The dotted member path of a key selector such as <c>x =&gt; x.Customer.TaxId</c>.</summary>
    public static IReadOnlyList<string> MemberPath<T>(Expression<Func<T, object?>> key)
    {
        var body = key.Body;
        while (body is UnaryExpression { NodeType: ExpressionType.Convert or ExpressionType.ConvertChecked } unary)
            body = unary.Operand;
        var path = new List<string>();
        while (body is MemberExpression member)
        {
            path.Insert(0, member.Member.Name);
            body = member.Expression!;
        }
        if (body is not ParameterExpression || path.Count == 0)
            throw new ArgumentException($"Index key must be a member path such as x => x.Field, not '{key.Body}'.", nameof(key));
        return path;
    }

    private sealed class ReplaceParameter(ParameterExpression from, Expression to) : ExpressionVisitor
    {
        protected override Expression VisitParameter(ParameterExpression node) => node == from ? to : base.VisitParameter(node);
    }
}
