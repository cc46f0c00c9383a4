namespace AutoDiffGen.Generator.Ir;

/// <summary>An expression of the differentiable subset. Every node knows its type.</summary>
internal abstract record IrExpression(ScalarType Type);

/// <summary>A literal or compile-time constant. Ints and bools are stored exactly (bools as 0/1).</summary>
internal sealed record ConstantExpression(double Value, ScalarType Type) : IrExpression(Type)
{
    public static ConstantExpression Of(double value, ScalarType type) => new(value, type);

    public bool IsZero => Value == 0;

    public bool IsOne => Value == 1;
}

/// <summary>A parameter, local, temporary or adjoint, by its (unique) name.</summary>
internal sealed record VariableExpression(string Name, ScalarType Type) : IrExpression(Type);

internal enum UnaryOperator
{
    Negate,
    Not,
}

internal sealed record UnaryExpression(UnaryOperator Operator, IrExpression Operand, ScalarType Type) : IrExpression(Type);

internal enum BinaryOperator
{
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    And,
    Or,
}

internal sealed record BinaryExpression(BinaryOperator Operator, IrExpression Left, IrExpression Right, ScalarType Type) : IrExpression(Type);

/// <summary>A <c>Math</c>/<c>MathF</c> call; <see cref="Span"/> locates it for diagnostics.</summary>
internal sealed record IntrinsicExpression(Intrinsic Function, EquatableArray<IrExpression> Arguments, ScalarType Type, SourceSpan? Span)
    : IrExpression(Type);

/// <summary>An explicit or implicit numeric conversion; <see cref="Span"/> locates casts that drop derivatives.</summary>
internal sealed record CastExpression(IrExpression Operand, ScalarType Type, SourceSpan? Span = null) : IrExpression(Type);

/// <summary><c>c ? a : b</c>. Differentiable ones become if/else before differentiation.</summary>
internal sealed record ConditionalExpression(IrExpression Condition, IrExpression WhenTrue, IrExpression WhenFalse, ScalarType Type)
    : IrExpression(Type);

/// <summary>A call of another method: a user's differentiable method, a primal with a supplied derivative, or generated code.</summary>
internal sealed record CallExpression(CallTarget Target, EquatableArray<IrExpression> Arguments, ScalarType Type, SourceSpan? Span)
    : IrExpression(Type);

/// <summary>A value read from outside the method (a static readonly field), printed as its fully qualified C#.</summary>
internal sealed record ExternalValueExpression(string Code, ScalarType Type) : IrExpression(Type);

/// <summary><c>target.Member</c>, used by generated code to read a pullback's gradient tuple.</summary>
internal sealed record MemberAccessExpression(IrExpression Target, string Member, ScalarType Type) : IrExpression(Type);

/// <summary>
/// Takes back the value pushed last on the tape held in the local <see cref="Tape"/>; through the
/// <see cref="Reader"/> local when a <see cref="TapeReaderStatement"/> made one. With <see cref="FromDoubleTape"/>, an
/// integer that was pushed on the method's double tape (exactly: every int is a double) and is converted back.
/// </summary>
internal sealed record TapePopExpression(string Tape, ScalarType Type, string? Reader = null, bool FromDoubleTape = false) : IrExpression(Type);

/// <summary>A zero-filled array of the given sizes from the scratch arrays held in the local <see cref="Scratch"/>.</summary>
internal sealed record RentArrayExpression(string Scratch, EquatableArray<IrExpression> Sizes) : IrExpression(ScalarType.Inferred);

/// <summary><c>(a, b, c)</c>: what generated methods return.</summary>
internal sealed record TupleExpression(EquatableArray<IrExpression> Elements) : IrExpression(ScalarType.Inferred);

/// <summary><c>a[i]</c> or <c>a[i, j]</c>: reads an element of an array or span.</summary>
internal sealed record ElementExpression(string Array, EquatableArray<IrExpression> Indices, ScalarType Type) : IrExpression(Type);

/// <summary><c>a.Length</c> (dimension 0 of a one-dimensional array) or <c>a.GetLength(d)</c>.</summary>
internal sealed record LengthExpression(string Array, int Dimension, int Rank) : IrExpression(ScalarType.Int);

/// <summary>An array passed whole, as a call argument.</summary>
internal sealed record ArrayReferenceExpression(string Name, ArrayType ArrayType) : IrExpression(ScalarType.Inferred);
