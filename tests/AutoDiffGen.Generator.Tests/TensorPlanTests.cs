using System.Linq;
using AutoDiffGen.Generator.Tests.Infrastructure;
using Xunit;

namespace AutoDiffGen.Generator.Tests;

/// <summary>What the generated plan of a tensor method runs: which operations fold into one.</summary>
public class TensorPlanTests
{
    private const string TwoLayers = """
        using AutoDiffGen;
        using static AutoDiffGen.TensorOps;

        public partial class Net
        {
            [Parameter] public Tensor W1, B1, W2, B2;

            [Differentiable]
            public float Loss(Tensor x, Tensor labels)
            {
                var z = Dense(x, W1, B1);
                var h = Relu(z);
                return LOSS;
            }
        }
        """;

    private static string LossCode(string logits, string loss = "Mean(SoftmaxCrossEntropy(LOGITS, labels))")
    {
        GeneratorRun run = GeneratorRun.Run(TwoLayers.Replace("LOSS", loss).Replace("LOGITS", logits));
        Assert.Empty(run.CompilerErrors);
        return run.Result.Results.Single().GeneratedSources.Single(s => s.HintName.Contains(".Loss(", System.StringComparison.Ordinal)).SourceText.ToString();
    }

    [Fact]
    public void AReluOfADenseLayerRunsAsOneDenseReluWhoseGradientReadsTheOutputAndTakesTheBiasGradientAlong()
    {
        string code = LossCode("Dense(h, W2, B2)");
        Assert.Contains("global::AutoDiffGen.TensorOps.DenseRelu(x, this.W1, this.B1, plan.H);", code);
        Assert.DoesNotContain("TensorOps.Relu(", code);
        Assert.DoesNotContain("plan.Z ", code);
        Assert.Contains("global::AutoDiffGen.TensorGradients.ReluAndBias(plan.DH, plan.H, plan.DHPreactivation, gradients.B1, accumulateBias: !overwrite);", code);
        Assert.Contains("global::AutoDiffGen.TensorGradients.Dense(plan.DHPreactivation, x, this.W1, null, gradients.W1, null, accumulate: !overwrite);", code);

        // The graph is the method as written: the layer and its ReLU stay two nodes.
        Assert.Contains(@"\""z\"" -> \""h\"";", code);
        Assert.Contains(@"\""h\"" [label=\""h\\nRelu\""];", code);
    }

    [Theory]
    [InlineData("Dense(h, W2, B2) + Dense(z, W2, B2)")]   // the pre-activation is read again
    [InlineData("Dense(Tanh(h) * 0.5f, W2, B2)")]         // the ReLU starts an elementwise chain, where it costs no launch
    public void AReluStaysApartFromItsLayerWhenFoldingItWouldCostMore(string logits)
    {
        string code = LossCode(logits);
        Assert.DoesNotContain("DenseRelu", code);
        Assert.Contains("global::AutoDiffGen.TensorOps.Dense(x, this.W1, this.B1, plan.Z);", code);
    }

    [Fact]
    public void AMeanCrossEntropyLossWritesItsGradientInTheForwardPass()
    {
        // Every row's adjoint is seed / rows, known before the forward pass runs: the losses and their gradient in one pass.
        string code = LossCode("Dense(h, W2, B2)");
        Assert.Contains("global::AutoDiffGen.TensorOps.SoftmaxCrossEntropyWithGradient(plan.Dense, labels, plan.SoftmaxCrossEntropy, seed / plan.SoftmaxCrossEntropy.Length, plan.DDense, accumulate: false);", code);
        Assert.DoesNotContain("TensorGradients.SoftmaxCrossEntropy(", code);
        Assert.DoesNotContain("SoftmaxCrossEntropySoftmax", code);
    }

    [Fact]
    public void ASummedCrossEntropyWritesItsGradientInTheForwardPassWithTheSeedAsItsAdjoint()
    {
        string code = LossCode("Dense(h, W2, B2)", "Sum(SoftmaxCrossEntropy(LOGITS, labels))");
        Assert.Contains("global::AutoDiffGen.TensorOps.SoftmaxCrossEntropyWithGradient(plan.Dense, labels, plan.SoftmaxCrossEntropy, seed, plan.DDense, accumulate: false);", code);
        Assert.Contains("global::AutoDiffGen.TensorOps.Sum(plan.SoftmaxCrossEntropy, value is { Rank: 0 } ? value : plan.Sum);", code);
    }

    [Fact]
    public void ACrossEntropyWhoseRowsGetDifferentAdjointsKeepsItsBackwardStep()
    {
        string code = LossCode("Dense(h, W2, B2)", "Sum(SoftmaxCrossEntropy(LOGITS, labels) * SoftmaxCrossEntropy(LOGITS, labels))");
        Assert.DoesNotContain("SoftmaxCrossEntropyWithGradient", code);
        Assert.Contains("global::AutoDiffGen.TensorGradients.SoftmaxCrossEntropy(plan.DSoftmaxCrossEntropy, ", code);
    }
}
