using System.Collections.Generic;
using System.Runtime.CompilerServices;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>
/// Compares by identity. IR records compare by value, but analyses attach facts to statement
/// <em>sites</em>: two equal assignments at different places are different sites.
/// </summary>
internal sealed class ReferenceComparer<T> : IEqualityComparer<T>
    where T : class
{
    public static readonly ReferenceComparer<T> Instance = new();

    public bool Equals(T? x, T? y) => ReferenceEquals(x, y);

    public int GetHashCode(T obj) => RuntimeHelpers.GetHashCode(obj);
}
