using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using AutoDiffGen.Nn;
using AutoDiffGen.Serialization;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Serialization;

public class CheckpointTests
{
    private static ParameterList Model(ulong seed, int hidden = 4) => new(
        ("Hidden.W", Initializer.GlorotUniform.Create([3, hidden], seed)),
        ("Hidden.B", Initializer.TruncatedNormal(0.1f).Create([hidden], seed + 1)),
        ("Out.W", Initializer.GlorotUniform.Create([hidden, 2], seed + 2)));

    private static float[][] Values(ParameterList model) => model.Parameters.Select(p => p.Value.ToArray()).ToArray();

    [Fact]
    public void SavedParametersLoadBackIntoTheSameTensorsWithTheirMetadata()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        ParameterList trained = Model(seed: 1);
        Checkpoint.Save(trained, path, new Dictionary<string, string> { ["epoch"] = "10" });

        ParameterList fresh = Model(seed: 50);
        Tensor[] tensors = fresh.Parameters.Select(p => p.Value).ToArray();
        IReadOnlyDictionary<string, string> metadata = Checkpoint.Load(fresh, path);

        Assert.Equal(Values(trained), Values(fresh));
        Assert.Equal(tensors, fresh.Parameters.Select(p => p.Value));
        Assert.Equal("10", metadata["epoch"]);
    }

    [Fact]
    public void TheFileIsPlainSafetensorsNamedAfterTheParameters()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        ParameterList model = Model(seed: 2);
        Checkpoint.Save(model, path);

        SafetensorsFile file = SafetensorsFile.Load(path);
        Assert.Equal(["Hidden.B", "Hidden.W", "Out.W"], file.Tensors.Select(t => t.Name));
        Assert.Equal([3, 4], file["Hidden.W"].Shape.ToArray());
        Assert.Equal(model[0].ToArray(), file["Hidden.W"].Data);
        Assert.Empty(file.Metadata);
    }

    [Fact]
    public void StridedParametersAreSavedInRowMajorOrder()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("strided.safetensors");
        Tensor stored = Tensor.FromArray([1f, 2f, 3f, 4f, 5f, 6f], 2, 3);
        var model = new ParameterList(("T", stored.Transpose()));
        Checkpoint.Save(model, path);
        Assert.Equal([1f, 4f, 2f, 5f, 3f, 6f], SafetensorsFile.Load(path)["T"].Data);

        var other = new ParameterList(("T", Tensor.Zeros(2, 3).Transpose()));
        Checkpoint.Load(other, path);
        Assert.Equal(model[0].ToArray(), other[0].ToArray());
    }

    [Fact]
    public void AFileWithoutATensorTheModelNeedsNamesItAndLeavesTheModelUnchanged()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("partial.safetensors");
        Checkpoint.Save(new ParameterList(("Hidden.W", Tensor.Ones(3, 4)), ("Out.W", Tensor.Ones(4, 2))), path);

        ParameterList model = Model(seed: 3);
        float[][] before = Values(model);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(model, path));
        Assert.Equal($"Checkpoint '{path}' does not fit the model: it has no tensor 'Hidden.B' for the model's parameter of shape [4]. The model was left unchanged.", error.Message);
        Assert.Equal(before, Values(model));
    }

    [Fact]
    public void AFileWithATensorTheModelLacksNamesIt()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("extra.safetensors");
        ParameterList saved = Model(seed: 4);
        Checkpoint.Save(new ParameterList([.. saved.Parameters.Select(p => (p.Name, p.Value)), ("Out.B", Tensor.Ones(2))]), path);

        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(Model(seed: 5), path));
        Assert.Contains($"Checkpoint '{path}' does not fit the model: it has a tensor 'Out.B' of shape [2] that the model has no parameter for", error.Message);
    }

    [Fact]
    public void AShapeMismatchNamesTheTensorAndBothShapesAndListsEveryProblem()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("wider.safetensors");
        Checkpoint.Save(Model(seed: 6, hidden: 8), path);

        ParameterList model = Model(seed: 7);
        float[][] before = Values(model);
        var error = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(model, path));
        Assert.Contains("tensor 'Hidden.W' has shape [3,8] in the file but [3,4] in the model", error.Message);
        Assert.Contains("tensor 'Hidden.B' has shape [8] in the file but [4] in the model", error.Message);
        Assert.Contains("tensor 'Out.W' has shape [8,2] in the file but [4,2] in the model", error.Message);
        Assert.Equal(before, Values(model));
    }

    [Fact]
    public void ATruncatedOrCorruptFileIsReportedWithItsPath()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        Checkpoint.Save(Model(seed: 8), path);
        byte[] good = File.ReadAllBytes(path);

        File.WriteAllBytes(path, good[..^5]);
        var truncated = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(Model(seed: 9), path));
        Assert.StartsWith($"Safetensors file '{path}' is truncated", truncated.Message);

        byte[] garbage = (byte[])good.Clone();
        garbage[8] = (byte)'x';
        File.WriteAllBytes(path, garbage);
        var corrupt = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(Model(seed: 9), path));
        Assert.StartsWith($"Safetensors file '{path}' has a header that does not start with '{{'", corrupt.Message);

        File.WriteAllBytes(path, [1, 2, 3]);
        var tiny = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(Model(seed: 9), path));
        Assert.Contains(path, tiny.Message);
    }

    [Fact]
    public void AMissingFileIsNamed()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("nowhere.safetensors");
        var error = Assert.Throws<FileNotFoundException>(() => Checkpoint.Load(Model(seed: 1), path));
        Assert.Contains(path, error.Message);
    }

    [Fact]
    public void SavingIntoAMissingFolderNamesIt()
    {
        using var folder = new TemporaryFolder();
        string path = Path.Combine(folder.Path, "missing", "model.safetensors");
        var error = Assert.Throws<DirectoryNotFoundException>(() => Checkpoint.Save(Model(seed: 1), path));
        Assert.Contains(Path.Combine(folder.Path, "missing"), error.Message);
    }

    [Fact]
    public void AFailedSaveLeavesTheOldCheckpoint()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        Checkpoint.Save(Model(seed: 1), path);
        byte[] old = File.ReadAllBytes(path);

        var duplicate = new ParameterList(("W", Tensor.Ones(2)), ("W", Tensor.Ones(3)));
        var error = Assert.Throws<ArgumentException>(() => Checkpoint.Save(duplicate, path));
        Assert.Contains("Two tensors are named 'W'", error.Message);
        Assert.Equal(old, File.ReadAllBytes(path));
    }
}
