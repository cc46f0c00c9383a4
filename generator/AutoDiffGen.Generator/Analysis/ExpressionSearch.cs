using System;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>Searches an expression and everything inside it.</summary>
internal static class ExpressionSearch
{
    /// <summary>Whether <paramref name="expression"/> or any expression inside it matches.</summary>
    public static bool Contains(IrExpression? expression, Func<IrExpression, bool> match) => expression is not null && (match(expression) || expression switch
    {
        UnaryExpression unary => Contains(unary.Operand, match),
        BinaryExpression binary => Contains(binary.Left, match) || Contains(binary.Right, match),
        CastExpression cast => Contains(cast.Operand, match),
        ConditionalExpression conditional => Contains(conditional.Condition, match) || Contains(conditional.WhenTrue, match) || Contains(conditional.WhenFalse, match),
        IntrinsicExpression intrinsic => intrinsic.Arguments.Any(a => Contains(a, match)),
        CallExpression call => call.Arguments.Any(a => Contains(a, match)),
        ElementExpression element => element.Indices.Any(i => Contains(i, match)),
        MemberAccessExpression member => Contains(member.Target, match),
        TupleExpression tuple => tuple.Elements.Any(e => Contains(e, match)),
        RentArrayExpression rent => rent.Sizes.Any(s => Contains(s, match)),
        _ => false,
    });
}
