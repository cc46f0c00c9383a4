namespace AutoDiffGen;

/// <summary>The one-input elementwise functions every backend implements, forward and backward.</summary>
internal enum UnaryOp
{
    Negate,
    Exp,
    Log,
    Sqrt,
    Pow,
    Tanh,
    Sigmoid,
    Relu,
}

/// <summary>The two-input broadcasting elementwise functions every backend implements, forward and backward.</summary>
internal enum BinaryOp
{
    Add,
    Sub,
    Mul,
    Div,
    Maximum,
    Minimum,
}

/// <summary>The reductions over a set of axes every backend implements, forward and backward.</summary>
internal enum ReduceOp
{
    Sum,
    Mean,
    Max,
}
