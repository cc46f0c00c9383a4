using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace AutoDiffGen;

/// <summary>
/// Pushes a known number of values onto a <see cref="Tape{T}"/> without growth checks: what
/// <see cref="Tape{T}.Reserve"/> returns before a counting loop. Its position is a local, so a loop that pushes
/// through it keeps the position in a register.
/// </summary>
/// <typeparam name="T">The stored element type.</typeparam>
public ref struct TapeWriter<T>
{
    private readonly Tape<T> _tape;
    private readonly T[] _items;
    private readonly int _end;
    private int _count;

    internal TapeWriter(Tape<T> tape, T[] items, int count, int end)
    {
        _tape = tape;
        _items = items;
        _count = count;
        _end = end;
    }

    /// <summary>Stores a value in the reserved room.</summary>
    /// <param name="value">The value to store.</param>
    /// <exception cref="InvalidOperationException">The reserved room is full (a fault of the generated code).</exception>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Push(T value)
    {
        int count = _count;
        if (count >= _end)
        {
            ThrowFull();
        }

        // Reserve made _end at most the array's length, so the check above covers the index: no second bounds check.
        Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_items), count) = value;
        _count = count + 1;
    }

    /// <summary>Hands the pushed values to the tape: its count becomes the writer's.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public readonly void Commit() => _tape.CommitCount(_count);

    private static void ThrowFull() =>
        throw new InvalidOperationException(
            $"The {typeof(T).Name} tape is full: a generated forward sweep pushed more than it reserved.");
}
