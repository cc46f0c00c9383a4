using System;
using System.Globalization;
using Scientific;

// Two ADBench workloads at small, reproducible sizes; the objectives are plain C# loops over spans.
var gmm = GmmInstance.Random(d: 2, k: 3, n: 20, seed: 1);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"GMM objective (d = {gmm.D}, K = {gmm.K}, n = {gmm.N}): {gmm.Objective():R}"));

var lstm = LstmInstance.Random(l: 2, b: 4, c: 8, seed: 1);
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"LSTM objective (l = {lstm.L}, b = {lstm.B}, c = {lstm.C}): {lstm.Objective():R}"));
