using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiffGen;

/// <summary>
/// Pops values off a <see cref="Tape{T}"/> from the top, with its position in a local: what
/// <see cref="Tape{T}.Reader"/> returns before the reverse sweep of a counting loop.
/// </summary>
/// <typeparam name="T">The stored element type.</typeparam>
public ref struct TapeReader<T>
{
    private readonly Tape<T> _tape;
    private readonly T[] _items;
    private int _count;

    internal TapeReader(Tape<T> tape, T[] items, int count)
    {
        _tape = tape;
        _items = items;
        _count = count;
    }

    /// <summary>Takes back the value stored last.</summary>
    /// <exception cref="System.InvalidOperationException">The tape is empty (a fault of the generated code).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        int count = _count - 1;
        T[] items = _items;
        if ((uint)count >= (uint)items.Length)
        {
            Tape<T>.ThrowEmpty();
        }

        _count = count;

        // The check above is the bounds check; the JIT does not know the throw helper never returns and would repeat it.
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(items), count);
    }

    /// <summary>Hands the tape back: its count becomes the reader's, so the popped values are gone.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Commit() => _tape.CommitCount(_count);
}
