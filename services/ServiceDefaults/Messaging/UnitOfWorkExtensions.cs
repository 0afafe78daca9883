using QuoteToCash.ServiceDefaults.Storage;

namespace QuoteToCash.ServiceDefaults.Messaging;

public static class UnitOfWorkExtensions
{
    /// <summary>
    /// Writes a document that was read earlier in this unit of work: an insert when nothing was there, otherwise a
    /// replace of the version that was read, so that a concurrent change makes the commit fail rather than be lost.
    /// </summary>
    public static void InsertOrReplace<T>(this IUnitOfWork unitOfWork, string collection, string id, StoredDocument<T>? loaded, T value)
        where T : class
    {
        if (loaded is null)
            unitOfWork.Insert(collection, id, value);
        else
            unitOfWork.Replace(collection, loaded, value);
    }
}
