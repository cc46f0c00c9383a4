using System;
using System.IO;
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

Console.WriteLine();
Console.WriteLine("The gradient is ordinary C#, generated at build time. Its file:");
string generated = Path.Combine(AppContext.BaseDirectory, "..", "..", "..", "obj");
Console.WriteLine("  obj/<configuration>/net10.0/generated/AutoDiffGen.Generator/AutoDiffGen.Generator.DifferentiableGenerator/ComputationGraph.Graph.Activation(float,float,float).g.cs");
