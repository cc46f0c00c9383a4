using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using AutoDiffGen.Functions.Tests.Functions;

namespace AutoDiffGen.Functions.Tests;

/// <summary>Finds the [Differentiable] functions of this assembly and calls them and their generated companions.</summary>
internal static class FunctionCatalog
{
    public static readonly IReadOnlyList<MethodInfo> All = typeof(FunctionCatalog).Assembly.GetTypes()
        .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Static))
        .Where(m => m.GetCustomAttribute<DifferentiableAttribute>() is not null)
        .Where(m => m.GetParameters().All(p => p.ParameterType.IsPrimitive)) // array methods have their own checks
        .OrderBy(Key, StringComparer.Ordinal)
        .ToList();

    public static string Key(MethodInfo method) => $"{method.DeclaringType!.Name}.{method.Name}";

    public static MethodInfo Find(string key) => All.Single(m => Key(m) == key);

    public static MethodInfo Companion(MethodInfo method, string suffix) =>
        method.DeclaringType!.GetMethod(method.Name + suffix, BindingFlags.Public | BindingFlags.Static)
        ?? throw new InvalidOperationException($"{Key(method)} has no generated {method.Name}{suffix}.");

    /// <summary>The double twin a float-precision function is checked against, or null for a plain double function.</summary>
    public static MethodInfo? Twin(MethodInfo method)
    {
        string? name = method.GetCustomAttribute<SampleAttribute>()?.Twin ?? (method.ReturnType == typeof(float) ? method.Name + "Double" : null);
        return name is null
            ? null
            : method.DeclaringType!.GetMethod(name) ?? throw new InvalidOperationException($"{Key(method)} names a missing twin {name}.");
    }

    public static bool IsDifferentiable(ParameterInfo parameter) =>
        (parameter.ParameterType == typeof(double) || parameter.ParameterType == typeof(float))
        && parameter.GetCustomAttribute<NoDerivativeAttribute>() is null;

    /// <summary>Deterministic sample points: differentiable and data doubles in the function's range, ints from its list.</summary>
    public static IEnumerable<object[]> SamplePoints(MethodInfo method, int count)
    {
        SampleAttribute sample = method.GetCustomAttribute<SampleAttribute>() ?? new SampleAttribute(-2, 2);
        var random = new Random(StableHash(Key(method)));
        for (int point = 0; point < count; point++)
        {
            yield return method.GetParameters().Select<ParameterInfo, object>(p =>
            {
                double value = sample.Min + (sample.Max - sample.Min) * random.NextDouble();
                if (p.ParameterType == typeof(int))
                {
                    return sample.Ints[point % sample.Ints.Length];
                }

                return p.ParameterType == typeof(float) ? (object)(float)value : value;
            }).ToArray();
        }
    }

    public static double Invoke(MethodInfo method, object[] arguments) => Convert.ToDouble(method.Invoke(null, arguments));

    /// <summary>Calls <c>{M}Gradient</c> and returns the value and the gradient entries in parameter order.</summary>
    public static (double Value, double[] Gradient) Gradient(MethodInfo method, object[] arguments) =>
        Split((ITuple)Companion(method, "Gradient").Invoke(null, arguments)!);

    public static (double Value, double[] Gradient) Pullback(MethodInfo method, object[] arguments, double seed)
    {
        object seedValue = method.ReturnType == typeof(float) ? (float)seed : seed;
        return Split((ITuple)Companion(method, "Pullback").Invoke(null, arguments.Append(seedValue).ToArray())!);
    }

    /// <summary>Calls <c>{M}Tangent</c> with the given tangents for the differentiable parameters.</summary>
    public static (double Value, double Tangent) Tangent(MethodInfo method, object[] arguments, double[] tangents)
    {
        var differentiable = method.GetParameters().Where(IsDifferentiable).ToList();
        IEnumerable<object> tangentArguments = differentiable.Select((p, i) => p.ParameterType == typeof(float) ? (object)(float)tangents[i] : tangents[i]);
        var result = (ITuple)Companion(method, "Tangent").Invoke(null, arguments.Concat(tangentArguments).ToArray())!;
        return (Convert.ToDouble(result[0]), Convert.ToDouble(result[1]));
    }

    private static (double, double[]) Split(ITuple result)
    {
        double value = Convert.ToDouble(result[0]);
        double[] gradient = result[1] is ITuple tuple
            ? Enumerable.Range(0, tuple.Length).Select(i => Convert.ToDouble(tuple[i])).ToArray()
            : new[] { Convert.ToDouble(result[1]) };
        return (value, gradient);
    }

    private static int StableHash(string text)
    {
        unchecked
        {
            int hash = 17;
            foreach (char c in text)
            {
                hash = (hash * 31) + c;
            }

            return hash;
        }
    }
}
