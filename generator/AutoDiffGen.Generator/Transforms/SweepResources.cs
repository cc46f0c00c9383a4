using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Transforms;

/// <summary>The tapes and scratch-array pools a generated body uses, named once each.</summary>
internal sealed class SweepResources
{
    private readonly NameAllocator _names;
    private readonly Dictionary<string, string> _tapes = new();
    private readonly Dictionary<ScalarType, ScratchDeclaration> _scratch = new();

    public SweepResources(NameAllocator names)
    {
        _names = names;
    }

    public bool UsesScratch => _scratch.Count > 0;

    public EquatableArray<TapeDeclaration> Tapes =>
        _tapes.OrderBy(t => t.Key, System.StringComparer.Ordinal).Select(t => new TapeDeclaration(t.Key, t.Value)).ToEquatableArray();

    public EquatableArray<ScratchDeclaration> Scratch => _scratch.OrderBy(s => s.Key).Select(s => s.Value).ToEquatableArray();

    /// <summary>Statements that hand every rented array back: the last ones before returning.</summary>
    public IEnumerable<IrStatement> Releases => _scratch.OrderBy(s => s.Key).Select(s => new ReleaseScratchStatement(s.Value.Name, s.Value.Mark));

    /// <summary>The local holding the tape of <paramref name="elementType"/> (C# spelling, e.g. <c>double</c> or <c>double[]</c>).</summary>
    public string Tape(string elementType)
    {
        if (!_tapes.TryGetValue(elementType, out string? name))
        {
            string readable = elementType.Replace("[,]", "Matrix").Replace("[]", "Array");
            name = _names.Allocate($"_{readable}Tape");
            _tapes[elementType] = name;
        }

        return name;
    }

    /// <summary>A zero-filled scratch array of the given sizes.</summary>
    public RentArrayExpression Rent(ScalarType element, params IrExpression[] sizes)
    {
        if (!_scratch.TryGetValue(element, out ScratchDeclaration? scratch))
        {
            string type = element.ToCSharp();
            scratch = new ScratchDeclaration(type, _names.Allocate($"_{type}Scratch"), _names.Allocate($"_{type}ScratchMark"));
            _scratch[element] = scratch;
        }

        return new RentArrayExpression(scratch.Name, sizes.ToEquatableArray());
    }

    /// <summary>The sizes of a whole-array argument, to rent a buffer like it.</summary>
    public static IrExpression[] SizesOf(ArrayReferenceExpression array) =>
        Enumerable.Range(0, array.ArrayType.Rank).Select(d => (IrExpression)new LengthExpression(array.Name, d, array.ArrayType.Rank)).ToArray();
}
