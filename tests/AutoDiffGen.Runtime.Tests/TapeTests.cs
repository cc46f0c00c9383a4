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
    public void ReservedRoomTakesThatManyPushesWithoutGrowingAndKeepsWhatWasThere()
    {
        var tape = new Tape<double>();
        for (int i = 0; i < 200; i++)
        {
            tape.Push(i);
        }

        tape.Reserve(1000);
        long capacity = tape.CapacityBytes;
        for (int i = 0; i < 1000; i++)
        {
            tape.PushReserved(-i);
        }

        Assert.Equal(capacity, tape.CapacityBytes);
        Assert.Equal(1200, tape.Count);
        for (int i = 999; i >= 0; i--)
        {
            Assert.Equal(-i, tape.Pop());
        }

        for (int i = 199; i >= 0; i--)
        {
            Assert.Equal(i, tape.Pop());
        }
    }

    [Fact]
    public void PushingPastTheReservedRoomThrowsInsteadOfGrowing()
    {
        var tape = new Tape<int>();
        tape.Reserve(300);
        long room = tape.CapacityBytes / sizeof(int);
        for (int i = 0; i < room; i++)
        {
            tape.PushReserved(i);
        }

        var error = Assert.Throws<System.InvalidOperationException>(() => tape.PushReserved(1));
        Assert.Contains("pushed more than it reserved", error.Message);
        Assert.Throws<System.ArgumentOutOfRangeException>(() => tape.Reserve(-1));
    }
}
