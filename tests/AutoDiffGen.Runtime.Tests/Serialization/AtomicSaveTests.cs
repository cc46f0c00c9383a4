using System.IO;
using System.Linq;
using AutoDiffGen.Serialization;
using Xunit;

namespace AutoDiffGen.Runtime.Tests.Serialization;

public class AtomicSaveTests
{
    private static SafetensorsFile Checkpoint(float value) =>
        new([new NamedTensorData("w", [256], Enumerable.Repeat(value, 256).ToArray())]);

    [Fact]
    public void AFailedSaveLeavesTheOldCheckpointIntact()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        Checkpoint(1f).Save(path);
        byte[] before = File.ReadAllBytes(path);

        // The disk "fills up" in the middle of the tensor data.
        var error = Assert.Throws<IOException>(() => Checkpoint(2f).Save(path, stream => new FailingStream(stream, failAfterBytes: 500)));

        Assert.Contains("Simulated disk failure", error.Message);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(1f, SafetensorsFile.Load(path)["w"].Data[255]);
        Assert.Equal([path], Directory.GetFiles(folder.Path)); // no temporary file left behind
    }

    [Fact]
    public void AFailedFirstSaveLeavesNoFile()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");

        Assert.Throws<IOException>(() => Checkpoint(2f).Save(path, stream => new FailingStream(stream, failAfterBytes: 10)));

        Assert.Empty(Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void ASuccessfulSaveReplacesTheOldCheckpoint()
    {
        using var folder = new TemporaryFolder();
        string path = folder.File("model.safetensors");
        Checkpoint(1f).Save(path);

        Checkpoint(2f).Save(path);

        Assert.Equal(2f, SafetensorsFile.Load(path)["w"].Data[0]);
        Assert.Equal([path], Directory.GetFiles(folder.Path));
    }

    [Fact]
    public void SavingIntoAMissingFolderNamesIt()
    {
        using var folder = new TemporaryFolder();
        string missing = folder.File("no-such-folder");

        var error = Assert.Throws<DirectoryNotFoundException>(() => Checkpoint(1f).Save(Path.Combine(missing, "model.safetensors")));

        Assert.Contains($"the folder '{missing}' does not exist", error.Message);
    }
}
