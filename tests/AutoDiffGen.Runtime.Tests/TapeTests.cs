using Xunit;

namespace AutoDiffGen.Runtime.Tests;

public class TapeTests
{
    [Fact]
    public void PopReturnsValuesInReverseOrderAcrossGrowth()
    {
        var tape = new Tape<double>();
        for (int i = 0; i < 1000; i++)
        {
            tape.Push(i * 0.5);
        }

        Assert.Equal(1000, tape.Count);
        for (int i = 999; i >= 0; i--)
        {
            Assert.Equal(i * 0.5, tape.Pop());
        }

        Assert.Equal(0, tape.Count);
    }

    [Fact]
    public void PoppingAnEmptyTapeThrowsAClearError()
    {
        var tape = new Tape<int>();
        var error = Assert.Throws<System.InvalidOperationException>(() => tape.Pop());
        Assert.Contains("Int32 tape is empty", error.Message);
    }

    [Fact]
    public void SteadyStateUseAllocatesNothing()
    {
        var tape = Tape<double>.Current;
        for (int i = 0; i < 4096; i++) tape.Push(i);
        for (int i = 0; i < 4096; i++) tape.Pop();

        long before = System.GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            for (int i = 0; i < 4096; i++) tape.Push(i);
            for (int i = 0; i < 4096; i++) tape.Pop();
        }

        Assert.Equal(before, System.GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void AWriterPushesIntoReservedRoomWithoutGrowingAndAReaderPopsItBack()
    {
        var tape = new Tape<double>();
        for (int i = 0; i < 200; i++)
        {
            tape.Push(i);
        }

        TapeWriter<double> writer = tape.Reserve(1000);
        long capacity = tape.CapacityBytes;
        for (int i = 0; i < 1000; i++)
        {
            writer.Push(-i);
        }

        // The tape counts the writer's values only once it commits.
        Assert.Equal(200, tape.Count);
        writer.Commit();
        Assert.Equal(capacity, tape.CapacityBytes);
        Assert.Equal(1200, tape.Count);

        TapeReader<double> reader = tape.Reader();
        for (int i = 999; i >= 0; i--)
        {
            Assert.Equal(-i, reader.Pop());
        }

        reader.Commit();
        Assert.Equal(200, tape.Count);
        for (int i = 199; i >= 0; i--)
        {
            Assert.Equal(i, tape.Pop());
        }
    }

    [Fact]
    public void AWriterThatPushesPastItsRoomThrowsInsteadOfGrowing()
    {
        var tape = new Tape<int>();
        tape.Push(7);
        TapeWriter<int> writer = tape.Reserve(3);
        writer.Push(1);
        writer.Push(2);
        writer.Push(3);

        try
        {
            writer.Push(4);
            Assert.Fail("a fourth push into room for three did not throw");
        }
        catch (System.InvalidOperationException error)
        {
            Assert.Contains("pushed more than it reserved", error.Message);
        }

        Assert.Throws<System.ArgumentOutOfRangeException>(() => tape.Reserve(-1));
    }

    [Fact]
    public void AReservationNoArrayCanHoldThrowsInsteadOfLeavingTheWriterShortOfRoom()
    {
        // A writer stores without a second bounds check up to its reserved end, so a reservation past the largest
        // array must fail here rather than hand out room that is not there.
        var tape = new Tape<byte>();
        tape.Push(1);
        var error = Assert.Throws<System.InvalidOperationException>(() => tape.Reserve(int.MaxValue - 1));
        Assert.Contains("cannot hold", error.Message);
        Assert.Contains(int.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture), error.Message);
        Assert.Equal(1, tape.Count);
    }

    [Fact]
    public void AReaderPastTheBottomThrowsAClearError()
    {
        var tape = new Tape<float>();
        tape.Push(1f);
        TapeReader<float> reader = tape.Reader();
        Assert.Equal(1f, reader.Pop());
        try
        {
            reader.Pop();
            Assert.Fail("popping an empty tape did not throw");
        }
        catch (System.InvalidOperationException error)
        {
            Assert.Contains("Single tape is empty", error.Message);
        }
    }

    [Fact]
    public void WritersAndReadersAllocateNothingOnceTheTapeIsLargeEnough()
    {
        var tape = new Tape<double>();
        tape.Reserve(4096).Commit();
        tape.Reader().Commit();
        long before = System.GC.GetAllocatedBytesForCurrentThread();
        for (int round = 0; round < 10; round++)
        {
            TapeWriter<double> writer = tape.Reserve(4096);
            for (int i = 0; i < 4096; i++) writer.Push(i);
            writer.Commit();
            TapeReader<double> reader = tape.Reader();
            for (int i = 0; i < 4096; i++) reader.Pop();
            reader.Commit();
        }

        Assert.Equal(before, System.GC.GetAllocatedBytesForCurrentThread());
        Assert.Equal(0, tape.Count);
    }
}
