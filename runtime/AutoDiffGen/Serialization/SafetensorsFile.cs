using System;
using System.Collections.Generic;
using System.Collections.ObjectModel;
using System.Diagnostics.CodeAnalysis;
using System.IO;
using System.Linq;

namespace AutoDiffGen.Serialization;

/// <summary>
/// A set of named float32 tensors plus string metadata, stored in the safetensors format
/// (an 8-byte little-endian header length, a JSON header giving each tensor's dtype, shape and
/// byte range, then the raw little-endian data). Files written here load with Python's
/// <c>safetensors</c> package, and files it writes with F32 tensors load here.
/// </summary>
/// <example>
/// <code>
/// new SafetensorsFile([new NamedTensorData("w", [2, 3], weights)], new Dictionary&lt;string, string&gt; { ["epoch"] = "3" })
///     .Save("model.safetensors");
/// float[] w = SafetensorsFile.Load("model.safetensors")["w"].Data;
/// </code>
/// </example>
public sealed class SafetensorsFile
{
    private readonly NamedTensorData[] _tensors;
    private readonly Dictionary<string, NamedTensorData> _byName;

    /// <summary>Collects tensors and metadata for saving.</summary>
    /// <param name="tensors">The tensors; names must be unique.</param>
    /// <param name="metadata">Optional free-form strings stored under <c>__metadata__</c>.</param>
    /// <exception cref="ArgumentException">Two tensors share a name.</exception>
    public SafetensorsFile(IEnumerable<NamedTensorData> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(tensors);
        _byName = new Dictionary<string, NamedTensorData>(StringComparer.Ordinal);
        foreach (NamedTensorData tensor in tensors)
        {
            ArgumentNullException.ThrowIfNull(tensor, nameof(tensors));
            if (!_byName.TryAdd(tensor.Name, tensor))
            {
                throw new ArgumentException($"Two tensors are named '{tensor.Name}'; names in a safetensors file must be unique.", nameof(tensors));
            }
        }

        // The reference implementation orders tensors by name (all ours share one dtype); keeping
        // that order makes our files byte-identical to its output for the same content.
        _tensors = _byName.Values.OrderBy(t => t.Name, StringComparer.Ordinal).ToArray();

        var copy = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (metadata is not null)
        {
            foreach ((string key, string value) in metadata)
            {
                ArgumentNullException.ThrowIfNull(key, nameof(metadata));
                copy[key] = value ?? throw new ArgumentException($"Metadata entry '{key}' has a null value.", nameof(metadata));
            }
        }

        Metadata = new ReadOnlyDictionary<string, string>(copy);
    }

    /// <summary>The tensors, ordered by name (ordinal).</summary>
    public IReadOnlyList<NamedTensorData> Tensors => _tensors;

    /// <summary>The <c>__metadata__</c> strings; empty when there are none.</summary>
    public IReadOnlyDictionary<string, string> Metadata { get; }

    /// <summary>The tensor called <paramref name="name"/>.</summary>
    /// <exception cref="KeyNotFoundException">No tensor has that name; the message lists the names there are.</exception>
    public NamedTensorData this[string name]
    {
        get
        {
            if (TryGetTensor(name, out NamedTensorData? tensor))
            {
                return tensor;
            }

            throw new KeyNotFoundException(
                $"No tensor named '{name}'; the file has {(_tensors.Length == 0 ? "no tensors" : string.Join(", ", _tensors.Select(t => $"'{t.Name}'")))}.");
        }
    }

    /// <summary>Looks up a tensor by name.</summary>
    public bool TryGetTensor(string name, [NotNullWhen(true)] out NamedTensorData? tensor)
    {
        ArgumentNullException.ThrowIfNull(name);
        return _byName.TryGetValue(name, out tensor);
    }

    /// <summary>
    /// Writes the file atomically: into a temporary file in the same folder, flushed to disk, then
    /// moved over <paramref name="path"/>. If anything fails, an existing file at
    /// <paramref name="path"/> is left as it was.
    /// </summary>
    public void Save(string path) => Save(path, stream => stream);

    /// <summary>Writes the safetensors bytes to <paramref name="stream"/> (not atomic; see <see cref="Save(string)"/>).</summary>
    public void WriteTo(Stream stream)
    {
        ArgumentNullException.ThrowIfNull(stream);
        SafetensorsWriter.Write(stream, this);
    }

    /// <summary>Reads a safetensors file whose tensors are all F32.</summary>
    /// <exception cref="InvalidDataException">
    /// The file is not a complete, consistent safetensors file of F32 tensors; the message names the
    /// file and the problem (header length, JSON, dtype, shape, offsets, truncation).
    /// </exception>
    public static SafetensorsFile Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16, FileOptions.SequentialScan);
        return SafetensorsReader.Read(file, path);
    }

    /// <summary>Reads safetensors content from the current position of <paramref name="stream"/> to its end.</summary>
    /// <param name="stream">The stream to read.</param>
    /// <param name="sourceName">The name used in error messages, usually the file path.</param>
    /// <exception cref="InvalidDataException">The content is not a complete, consistent safetensors file of F32 tensors.</exception>
    public static SafetensorsFile Read(Stream stream, string sourceName)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(sourceName);
        return SafetensorsReader.Read(stream, sourceName);
    }

    /// <summary>Saves through a stream wrapper; tests use it to make the write fail part way.</summary>
    internal void Save(string path, Func<Stream, Stream> wrap) =>
        AtomicFileWriter.Write(path, stream => SafetensorsWriter.Write(wrap(stream), this));
}
