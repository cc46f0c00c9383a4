using System.Collections.Generic;
using System.Linq;
using AutoDiffGen.Generator.Ir;

namespace AutoDiffGen.Generator.Tensors;

/// <summary>
/// Folds a ReLU into the dense layer it follows: <c>Relu(Dense(x, W, b))</c> whose pre-activation nothing else reads
/// becomes one <see cref="TensorOp.DenseRelu"/>, which applies the ReLU as the product is written (on a GPU one kernel
/// launch fewer, and no pre-activation buffer). The backward pass takes ReLU's mask from the layer's output, which is
/// positive exactly where the pre-activation is. A ReLU that starts an elementwise chain stays in the chain
/// (<see cref="TensorFusion"/>): there it costs no launch of its own forward or backward, where folded into the layer
/// its gradient would be one more backward launch.
/// </summary>
internal static class DenseReluFusion
{
    public static TensorMethodIr Apply(TensorMethodIr method)
    {
        var uses = new Dictionary<string, int>();
        foreach (TensorOperand argument in method.Operations.SelectMany(o => o.Arguments).Append(method.Result).Where(a => a.Kind == TensorOperandKind.Value))
        {
            uses[argument.Name] = uses.TryGetValue(argument.Name, out int count) ? count + 1 : 1;
        }

        var producers = method.Operations.Where(o => o.Op == TensorOp.Dense).ToDictionary(o => o.Result);
        var chained = new HashSet<string>(method.Operations
            .Select(TensorFusion.TensorInput)
            .Where(input => input is { Kind: TensorOperandKind.Value })
            .Select(input => input!.Name));
        var folded = new HashSet<string>();
        var operations = new List<TensorOpIr>(method.Operations.Count);
        foreach (TensorOpIr op in method.Operations)
        {
            // The fused layer takes the ReLU's place: its inputs are all defined before the Dense was, and its result
            // is the ReLU's, so every reader still comes after it.
            if (op.Op == TensorOp.Relu
                && op.Arguments[0] is { Kind: TensorOperandKind.Value } preactivation
                && producers.TryGetValue(preactivation.Name, out TensorOpIr? dense)
                && uses[preactivation.Name] == 1
                && !(uses.TryGetValue(op.Result, out int readers) && readers == 1 && chained.Contains(op.Result)))
            {
                folded.Add(dense.Result);
                operations.Add(new TensorOpIr(op.Result, TensorOp.DenseRelu, dense.Arguments, Span: op.Span));
            }
            else
            {
                operations.Add(op);
            }
        }

        return folded.Count == 0
            ? method
            : method with { Operations = operations.Where(o => !(o.Op == TensorOp.Dense && folded.Contains(o.Result))).ToEquatableArray() };
    }
}
