namespace NextCart.Migration.Csv.Internal;

/// <summary>
/// Writes a file so that readers only ever see the old complete file or the new complete file: the content goes to a temporary
/// file in the same directory, is flushed to disk, and is then renamed over the destination (an atomic replace on one volume).
/// </summary>
internal static class AtomicFile
{
    /// <summary>The suffix of temporary files; a crash may leave one behind, and it is deleted on the next write.</summary>
    public const string TempSuffix = ".nextcart-tmp";

    /// <summary>Writes <paramref name="path"/> atomically.</summary>
    /// <param name="path">The destination.</param>
    /// <param name="write">Writes the content to the stream it is given.</param>
    /// <param name="cancellationToken">The token to cancel the write; the destination is then left unchanged.</param>
    /// <returns>A task that completes when the destination holds the new content.</returns>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken cancellationToken)
    {
        string temp = path + TempSuffix;
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.None, BufferSize = 1 << 16, Options = FileOptions.Asynchronous };
            FileStream stream = new(temp, options);
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, cancellationToken).ConfigureAwait(false);
                await stream.FlushAsync(cancellationToken).ConfigureAwait(false);
                stream.Flush(flushToDisk: true);
            }

            File.Move(temp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temp))
            {
                File.Delete(temp);
            }
        }
    }
}
