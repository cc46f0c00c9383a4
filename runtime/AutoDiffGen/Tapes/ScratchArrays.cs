using System;
using System.Collections.Generic;

namespace AutoDiffGen;

/// <summary>
/// Zero-filled arrays of exact lengths that generated code uses for local arrays and their adjoints
/// instead of <c>new T[n]</c>, so gradient calls allocate nothing in steady state. Arrays are rented
/// in a stack discipline: <see cref="Mark"/> before, <see cref="Release"/> after, and every array
/// rented in between returns to the per-thread free lists for the next call.
/// </summary>
/// <typeparam name="T">The element type.</typeparam>
public sealed class ScratchArrays<T>
{
    [ThreadStatic]
    private static ScratchArrays<T>? s_current;

    private readonly Dictionary<int, Stack<T[]>> _free = new();
    private readonly Dictionary<(int, int), Stack<T[,]>> _free2D = new();
    private readonly List<object> _rented = new();

    /// <summary>The calling thread's scratch arrays.</summary>
    public static ScratchArrays<T> Current => s_current ??= new ScratchArrays<T>();

    /// <summary>A position to <see cref="Release"/> back to.</summary>
    public int Mark => _rented.Count;

    /// <summary>How many elements the arrays rented since <paramref name="mark"/> hold.</summary>
    public long ElementsSince(int mark)
    {
        long total = 0;
        for (int i = mark; i < _rented.Count; i++)
        {
            total += ((Array)_rented[i]).Length;
        }

        return total;
    }

    /// <summary>A zero-filled array of exactly <paramref name="length"/> elements.</summary>
    public T[] Rent(int length)
    {
        if (length < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(length), length, "An array length must not be negative.");
        }

        T[] array = _free.TryGetValue(length, out Stack<T[]>? stack) && stack.Count > 0 ? stack.Pop() : new T[length];
        Array.Clear(array);
        _rented.Add(array);
        return array;
    }

    /// <summary>A zero-filled <paramref name="rows"/> × <paramref name="columns"/> array.</summary>
    public T[,] Rent(int rows, int columns)
    {
        if (rows < 0 || columns < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(rows), $"Array dimensions must not be negative: {rows} × {columns}.");
        }

        T[,] array = _free2D.TryGetValue((rows, columns), out Stack<T[,]>? stack) && stack.Count > 0 ? stack.Pop() : new T[rows, columns];
        Array.Clear(array);
        _rented.Add(array);
        return array;
    }

    /// <summary>Returns every array rented since <paramref name="mark"/>.</summary>
    public void Release(int mark)
    {
        for (int i = _rented.Count - 1; i >= mark; i--)
        {
            switch (_rented[i])
            {
                case T[] array:
                    if (!_free.TryGetValue(array.Length, out Stack<T[]>? stack))
                    {
                        _free[array.Length] = stack = new Stack<T[]>();
                    }

                    stack.Push(array);
                    break;
                case T[,] matrix:
                    var key = (matrix.GetLength(0), matrix.GetLength(1));
                    if (!_free2D.TryGetValue(key, out Stack<T[,]>? stack2D))
                    {
                        _free2D[key] = stack2D = new Stack<T[,]>();
                    }

                    stack2D.Push(matrix);
                    break;
            }
        }

        _rented.RemoveRange(mark, _rented.Count - mark);
    }
}
