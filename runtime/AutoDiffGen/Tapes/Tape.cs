using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiffGen;

/// <summary>
/// The last-in, first-out store that generated reverse-mode code uses for values a loop overwrites but
/// the reverse sweep still needs (Clad's push/pop tape). One tape per thread and element type; it
/// grows to the largest call seen and is then reused, so steady-state gradient calls allocate nothing.
/// </summary>
/// <typeparam name="T">The stored element type (<see cref="double"/>, <see cref="float"/>, <see cref="int"/>).</typeparam>
/// <remarks>
/// Generated code pushes in its forward sweep and pops everything back in its reverse sweep; around a counting loop it
/// pushes through a <see cref="TapeWriter{T}"/> and pops through a <see cref="TapeReader{T}"/>.
/// </remarks>
public sealed class Tape<T>
{
    [ThreadStatic]
    private static Tape<T>? s_current;

    private T[] _items = new T[256];
    private int _count;

    /// <summary>The calling thread's tape.</summary>
    public static Tape<T> Current
    {
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        get => s_current ??= new Tape<T>();
    }

    /// <summary>How many values are stored now.</summary>
    public int Count => _count;

    /// <summary>The bytes of storage this tape holds (its high-water mark).</summary>
    public long CapacityBytes => (long)_items.Length * Unsafe.SizeOf<T>();

    /// <summary>Stores a value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        T[] items = _items;
        int count = _count;
        if ((uint)count < (uint)items.Length)
        {
            items[count] = value;
            _count = count + 1;
        }
        else
        {
            PushAndGrow(value);
        }
    }

    /// <summary>
    /// Makes room for <paramref name="count"/> more values and returns a writer that pushes exactly that many without
    /// growth checks. Generated code reserves before a counting loop, pushes through the writer inside it and commits
    /// after it: the writer is a local, so the JIT keeps its position in a register instead of storing the tape's
    /// count on every trip, and no growth call inside the loop sends the loop's values to the stack.
    /// </summary>
    /// <param name="count">How many values the pushes that follow store.</param>
    /// <returns>The writer; <see cref="TapeWriter{T}.Commit"/> it once its pushes are done.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is negative.</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TapeWriter<T> Reserve(int count)
    {
        // The common case, room enough, inlines into the generated loop's preheader; growing is a call.
        if ((uint)count > (uint)(_items.Length - _count))
        {
            Grow(count);
        }

        return new TapeWriter<T>(this, _items, _count, _count + count);
    }

    /// <summary>
    /// A reader that pops this tape's values from the top, the reverse sweep's counterpart of <see cref="Reserve"/>:
    /// a local position instead of the tape's count. <see cref="TapeReader{T}.Commit"/> it after its pops.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public TapeReader<T> Reader() => new(this, _items, _count);

    /// <summary>Sets the count a writer or reader reached; the values below it are the tape's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal void CommitCount(int count) => _count = count;

    /// <summary>Makes room for <paramref name="count"/> more values, or throws when the count is negative.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void Grow(int count)
    {
        if (count < 0)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, "A tape reservation cannot be negative (a generated one is when the sizes it multiplies overflow an int).");
        }

        long needed = (long)_count + count;
        if (needed > Array.MaxLength)
        {
            // A writer indexes without its own bounds check up to the reserved end, so the room must really be there.
            throw new InvalidOperationException(
                $"The {typeof(T).Name} tape cannot hold {needed} values (it holds {_count}, {count} more were reserved); the most an array holds is {Array.MaxLength}.");
        }

        Array.Resize(ref _items, (int)Math.Min(Array.MaxLength, Math.Max(needed, 2L * _items.Length)));
    }

    /// <summary>Takes back the value stored last.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Pop()
    {
        int count = _count - 1;
        T[] items = _items;
        if ((uint)count >= (uint)items.Length)
        {
            ThrowEmpty();
        }

        _count = count;

        // The check above is the bounds check; the JIT does not know the throw helper never returns and would repeat it.
        return Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(items), count);
    }

    /// <summary>Drops everything pushed after <paramref name="count"/> (a value of <see cref="Count"/> read earlier).</summary>
    /// <param name="count">The count to go back to.</param>
    public void Truncate(int count)
    {
        if ((uint)count > (uint)_count)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"The {typeof(T).Name} tape holds {_count} values.");
        }

        _count = count;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private void PushAndGrow(T value)
    {
        Array.Resize(ref _items, _items.Length * 2);
        _items[_count++] = value;
    }

    internal static void ThrowEmpty() =>
        throw new InvalidOperationException(
            $"The {typeof(T).Name} tape is empty: a generated reverse sweep popped more than its forward sweep pushed.");
}
