using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;

namespace NextCart.Migration.Sqlite.Internal;

/// <summary>The SQLite store's source-generated log messages.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = SqliteEventId.BackgroundCheckpointFailed, EventName = "BackgroundCheckpointFailed", Level = LogLevel.Warning,
        Message = "A background checkpoint of the checkpoint database '{DataSource}' failed (SQLite error {ErrorCode}); the commits' automatic checkpoint takes over")]
    public static partial void BackgroundCheckpointFailed(ILogger logger, string dataSource, int errorCode, SqliteException exception);
}
