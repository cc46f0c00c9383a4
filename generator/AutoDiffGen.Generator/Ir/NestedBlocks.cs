using System;

namespace AutoDiffGen.Generator.Ir;

/// <summary>Rewrites the blocks a statement holds, for passes that treat every branch arm and loop body alike.</summary>
internal static class NestedBlocks
{
    /// <summary>
    /// The statement with each block it holds (both arms of a branch, a loop's body) replaced by
    /// <paramref name="map"/>'s result; any other statement as it is. A for loop's initializer and step stay.
    /// </summary>
    public static IrStatement MapBodies(this IrStatement statement, Func<Block, Block> map) => statement switch
    {
        IfStatement branch => new IfStatement(branch.Condition, map(branch.Then), map(branch.Else)),
        WhileStatement loop => loop with { Body = map(loop.Body) },
        DoWhileStatement loop => loop with { Body = map(loop.Body) },
        ForStatement loop => loop with { Body = map(loop.Body) },
        _ => statement,
    };
}
