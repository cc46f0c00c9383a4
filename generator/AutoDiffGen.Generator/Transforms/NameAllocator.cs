using System.Collections.Generic;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>Hands out generated names that never collide with the user's names or each other.</summary>
internal sealed class NameAllocator
{
    private readonly HashSet<string> _taken;

    public NameAllocator(IEnumerable<string> taken)
    {
        _taken = new HashSet<string>(taken);
    }

    /// <summary>An allocator that starts with every name this one has handed out; the two then go separate ways.</summary>
    public NameAllocator Clone() => new(_taken);

    /// <summary><paramref name="preferred"/> itself when free, else the first free <c>preferred_2</c>, <c>preferred_3</c>, …</summary>
    public string Allocate(string preferred)
    {
        string name = preferred;
        for (int suffix = 2; !_taken.Add(name); suffix++)
        {
            name = $"{preferred}_{suffix}";
        }

        return name;
    }

    /// <summary>The first free name of the form <c>prefix0</c>, <c>prefix1</c>, …</summary>
    public string AllocateNumbered(string prefix)
    {
        for (int i = 0; ; i++)
        {
            string name = prefix + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            if (_taken.Add(name))
            {
                return name;
            }
        }
    }
}
