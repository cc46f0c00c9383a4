using System;
using AutoDiffGen.Optim;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Optim;

/// <summary>Gradients that do not belong to the model, and a model that changed under its optimizer: every message names the parameter.</summary>
public class OptimizerErrorTests
{
    public static TheoryData<string> Optimizers => ["sgd", "momentum", "adam"];

    private static IOptimizer Create(string kind) => kind switch
    {
        "sgd" => new Sgd(0.1f),
        "momentum" => new Sgd(0.1f, momentum: 0.9f),
        _ => new Adam(),
    };

    private static ParameterList Model() => new(("Hidden.W", Tensor.Ones(4, 3)), ("Hidden.B", Tensor.Ones(3)), ("Out.W", Tensor.Ones(3, 2)));

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AGradientOfAnotherShapeIsNamedWithBothShapes(string kind)
    {
        ParameterList model = Model();
        var gradients = new ParameterList(("Hidden.W", Tensor.Ones(4, 3)), ("Hidden.B", Tensor.Ones(4)), ("Out.W", Tensor.Ones(3, 2)));
        var error = Assert.Throws<ArgumentException>(() => Create(kind).Step(model, gradients));
        Assert.Contains("parameter 'Hidden.B' has shape [3] but its gradient has shape [4]", error.Message);
        Assert.All(model[0].ToArray(), w => Assert.Equal(1f, w));
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void GradientsInAnotherOrderAreRefusedByName(string kind)
    {
        var gradients = new ParameterList(("Hidden.W", Tensor.Ones(4, 3)), ("Out.W", Tensor.Ones(3)), ("Hidden.B", Tensor.Ones(3, 2)));
        var error = Assert.Throws<ArgumentException>(() => Create(kind).Step(Model(), gradients));
        Assert.Contains("parameter 1 of the model is 'Hidden.B' but gradient 1 is 'Out.W'", error.Message);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AMissingOrExtraGradientIsNamed(string kind)
    {
        var fewer = new ParameterList(("Hidden.W", Tensor.Ones(4, 3)), ("Hidden.B", Tensor.Ones(3)));
        var missing = Assert.Throws<ArgumentException>(() => Create(kind).Step(Model(), fewer));
        Assert.Contains("the model has 3 parameters but the gradients have 2 tensors; parameter 'Out.W' has no gradient", missing.Message);

        ParameterList more = Model().ZerosLike();
        var bigger = new ParameterList(("Hidden.W", Tensor.Ones(4, 3)), ("Hidden.B", Tensor.Ones(3)), ("Out.W", Tensor.Ones(3, 2)), ("Out.B", Tensor.Ones(2)));
        var extra = Assert.Throws<ArgumentException>(() => Create(kind).Step(Model(), bigger));
        Assert.Contains("gradient 'Out.B' has no parameter", extra.Message);
        Create(kind).Step(Model(), more);
    }

    [Theory]
    [MemberData(nameof(Optimizers))]
    public void AGradientThatIsTheParameterItselfIsRefused(string kind)
    {
        ParameterList model = Model();
        var gradients = new ParameterList(("Hidden.W", model[0]), ("Hidden.B", Tensor.Ones(3)), ("Out.W", Tensor.Ones(3, 2)));
        var error = Assert.Throws<ArgumentException>(() => Create(kind).Step(model, gradients));
        Assert.Contains("'Hidden.W' and its gradient share storage", error.Message);
    }

    [Theory]
    [InlineData("momentum")]
    [InlineData("adam")]
    public void AnOptimizerWithStateRefusesAModelItWasNotMadeFor(string kind)
    {
        IOptimizer optimizer = Create(kind);
        ParameterList model = Model();
        optimizer.Step(model, model.ZerosLike());

        var other = new ParameterList(("Hidden.W", Tensor.Ones(4, 3)), ("Hidden.B", Tensor.Ones(5)), ("Out.W", Tensor.Ones(5, 2)));
        var error = Assert.Throws<ArgumentException>(() => optimizer.Step(other, other.ZerosLike()));
        Assert.Contains("parameter 1 is 'Hidden.B' [5], but this optimizer's state was made for 'Hidden.B' [3]", error.Message);

        var smaller = new ParameterList(("Hidden.W", Tensor.Ones(4, 3)));
        var count = Assert.Throws<ArgumentException>(() => optimizer.Step(smaller, smaller.ZerosLike()));
        Assert.Contains("first used with 3 parameters ('Hidden.W', 'Hidden.B', 'Out.W'), now it is given 1", count.Message);
    }
}
