namespace AutoDiffGen.Generator.Ir;

/// <summary>A statement of the structured IR; transforms keep if/else and loops so emitted code reads like the source.</summary>
internal abstract record IrStatement;

internal sealed record Block(EquatableArray<IrStatement> Statements)
{
    public static readonly Block Empty = new(EquatableArray<IrStatement>.Empty);

    public bool IsEmpty => Statements.IsEmpty;

    public int Count => Statements.Count;
}

/// <summary><c>target = value</c>, or <c>target += value</c> when <see cref="Accumulate"/>.</summary>
internal sealed record AssignStatement(string Target, IrExpression Value, bool Accumulate = false) : IrStatement;

/// <summary><c>(a, b, c) = value</c>: receives a supplied derivative's value and partials in one call.</summary>
internal sealed record DeconstructStatement(EquatableArray<string> Targets, IrExpression Value) : IrStatement;

/// <summary>A local declared where it is used (emitted code only; source locals are hoisted).</summary>
internal sealed record DeclareStatement(string Name, ScalarType Type, IrExpression Initializer) : IrStatement;

internal sealed record IfStatement(IrExpression Condition, Block Then, Block Else) : IrStatement;

internal sealed record WhileStatement(IrExpression Condition, Block Body) : IrStatement;

internal sealed record DoWhileStatement(Block Body, IrExpression Condition) : IrStatement;

/// <summary><c>for (initializer; condition; step) body</c>; initializer and step hold assignments only.</summary>
internal sealed record ForStatement(Block Initializer, IrExpression? Condition, Block Step, Block Body) : IrStatement;

internal sealed record BreakStatement : IrStatement;

internal sealed record ContinueStatement : IrStatement;

internal sealed record ReturnStatement(IrExpression? Value) : IrStatement;

/// <summary>A comment line in emitted code; says why the code around it looks the way it does.</summary>
internal sealed record CommentStatement(string Text) : IrStatement;

/// <summary>
/// Stores a value on the tape held in the local <see cref="Tape"/>, for the reverse sweep; through the
/// <see cref="Writer"/> local when a <see cref="TapeReserveStatement"/> made room for it.
/// </summary>
internal sealed record TapePushStatement(string Tape, IrExpression Value, string? Writer = null) : IrStatement;

/// <summary>
/// Room for <c>Count</c> pushes of a counting loop, made before it starts, and the writer local that pushes them
/// (<c>var writer = tape.Reserve(n);</c>); a <see cref="TapeCommitStatement"/> follows the loop.
/// </summary>
internal sealed record TapeReserveStatement(string Tape, IrExpression Count, string Writer) : IrStatement;

/// <summary>A reader local that pops the tape from its top (<c>var reader = tape.Reader();</c>), before a reverse loop.</summary>
internal sealed record TapeReaderStatement(string Tape, string Reader) : IrStatement;

/// <summary>Hands a writer's or reader's position back to its tape (<c>cursor.Commit();</c>).</summary>
internal sealed record TapeCommitStatement(string Cursor) : IrStatement;

/// <summary>
/// The tape-size query's mark at the start of a fused loop's trip (<c>int mark = tape.Count;</c>); see
/// <see cref="TapeRewindStatement"/>.
/// </summary>
internal sealed record TapeMarkStatement(string Tape, string Mark) : IrStatement;

/// <summary>
/// The tape-size query's end of a fused loop's trip: records the tape's peak, then takes the trip's pushes back to
/// the mark, as the trip's reverse would pop them.
/// </summary>
internal sealed record TapeRewindStatement(string Tape, string Mark) : IrStatement;

/// <summary>Returns the scratch arrays rented since the mark: the last statement before returning.</summary>
internal sealed record ReleaseScratchStatement(string Scratch, string Mark) : IrStatement;

/// <summary><c>source.CopyTo(destination)</c>: copies a seed into a writable adjoint buffer.</summary>
internal sealed record CopyArrayStatement(string Source, string Destination) : IrStatement;

/// <summary><c>a[i] = value</c>, or <c>a[i] += value</c> when <see cref="Accumulate"/>.</summary>
internal sealed record ElementAssignStatement(string Array, EquatableArray<IrExpression> Indices, IrExpression Value, bool Accumulate = false) : IrStatement;

/// <summary>A local array of the given sizes, zero-filled (<c>new T[n]</c>, <c>stackalloc T[n]</c>).</summary>
internal sealed record AllocateArrayStatement(string Name, ArrayType Type, EquatableArray<IrExpression> Sizes) : IrStatement;

/// <summary><c>call;</c>: a call made for what it writes into its arguments (a backward core with only array gradients).</summary>
internal sealed record CallStatement(IrExpression Value) : IrStatement;
