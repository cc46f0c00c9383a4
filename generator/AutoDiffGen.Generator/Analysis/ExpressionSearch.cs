using System;
using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Analysis;

/// <summary>Searches an expression and everything inside it.</summary>
internal static class ExpressionSearch
{
    /// <summary>Whether <paramref name="expression"/> or any expression inside it matches.</summary>
    public static bool Contains(IrExpression? expression, Func<IrExpression, bool> match) =>
        expression is not null && (match(expression) || Children(expression).Any(child => Contains(child, match)));

    /// <summary>The expressions directly inside an expression: operands, arguments, indices, sizes.</summary>
    public static IEnumerable<IrExpression> Children(IrExpression expression) => expression switch
    {
        UnaryExpression unary => new[] { unary.Operand },
        BinaryExpression binary => new[] { binary.Left, binary.Right },
        CastExpression cast => new[] { cast.Operand },
        ConditionalExpression conditional => new[] { conditional.Condition, conditional.WhenTrue, conditional.WhenFalse },
        IntrinsicExpression intrinsic => intrinsic.Arguments,
        CallExpression call => call.Arguments,
        ElementExpression element => element.Indices,
        MemberAccessExpression member => new[] { member.Target },
        TupleExpression tuple => tuple.Elements,
        RentArrayExpression rent => rent.Sizes,
        _ => Array.Empty<IrExpression>(),
    };
}
