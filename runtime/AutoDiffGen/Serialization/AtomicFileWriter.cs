using System;
using System.IO;

namespace AutoDiffGen.Serialization;

/// <summary>
/// Replaces a file so that readers see either the old content or the complete new content, never
/// a half-written file: the content goes to a temporary file in the same folder (same file system,
/// so the final rename is atomic), is flushed to disk, and only then moved over the target.
/// </summary>
internal static class AtomicFileWriter
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="writeContent"/>; on any failure the old file stays as it was.</summary>
    public static void Write(string path, Action<Stream> writeContent)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(writeContent);

        string fullPath = Path.GetFullPath(path);
        string folder = Path.GetDirectoryName(fullPath)
            ?? throw new ArgumentException($"'{path}' names a root, not a file.", nameof(path));
        if (!Directory.Exists(folder))
        {
            throw new DirectoryNotFoundException($"Cannot write '{fullPath}': the folder '{folder}' does not exist.");
        }

        string temporary = Path.Combine(folder, $".{Path.GetFileName(fullPath)}.{Guid.NewGuid():N}.tmp");
        try
        {
            using (var stream = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, bufferSize: 1 << 16))
            {
                writeContent(stream);
                // Without this, a crash after the rename could leave the new name pointing at data
                // still in the page cache, i.e. an empty or partial file after reboot.
                stream.Flush(flushToDisk: true);
            }

            File.Move(temporary, fullPath, overwrite: true);
        }
        catch
        {
            TryDelete(temporary);
            throw;
        }
    }

    private static void TryDelete(string temporary)
    {
        try
        {
            File.Delete(temporary);
        }
        catch (IOException)
        {
            // The original failure matters more than a leftover temporary file.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
