using System;
using System.IO;
using System.Linq;
using ComputationGraph;

// Seed slides 19 and 30-43: feed x = 3 with w = 2, b = 1, evaluate the graph, then its derivatives.
const float x = 3f, w = 2f, b = 1f;
var (u, v, a) = Graph.Nodes(x, w, b);
Console.WriteLine($"u = {u}, v = {v}, a = {a}");

var (value, gradient) = Graph.ActivationGradient(x, w, b);
Console.WriteLine($"a = {value}");
Console.WriteLine($"da/dw = {gradient.w}");
Console.WriteLine($"da/db = {gradient.b}");
Console.WriteLine($"da/dx = {gradient.x}");

// The same derivative in forward mode: move w alone (dw = 1).
var (_, daDw) = Graph.ActivationTangent(x, w, b, dx: 0f, dw: 1f, db: 0f);
Console.WriteLine($"da/dw (forward mode) = {daDw}");

// The gradient is ordinary C# generated at build time; show where it is and what it says.
const string FileName = "ComputationGraph.Graph.Activation(float,float,float).g.cs";
Console.WriteLine();
Console.WriteLine($"Generated at build time: obj/<configuration>/net10.0/generated/AutoDiffGen.Generator/AutoDiffGen.Generator.DifferentiableGenerator/{FileName}");
string projectDirectory = Path.GetFullPath(Path.Combine(AppContext.BaseDirectory, "..", "..", ".."));
string? generated = Directory.Exists(Path.Combine(projectDirectory, "obj"))
    ? Directory.EnumerateFiles(Path.Combine(projectDirectory, "obj"), FileName, SearchOption.AllDirectories).FirstOrDefault()
    : null;
if (generated is not null)
{
    // Print the reverse-mode body: the talk's backpropagation, as code.
    string[] lines = File.ReadAllLines(generated);
    int start = Array.FindIndex(lines, l => l.Contains("ActivationPullback(float x"));
    int end = Array.FindIndex(lines, start, l => l == "        }");
    foreach (string line in lines[start..(end + 1)])
    {
        Console.WriteLine(line.Length >= 8 ? line[8..] : line);
    }
}
