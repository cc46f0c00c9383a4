using System;

// The seed talk's MNIST multilayer perceptron (slides 44-56), trained with AutoDiffGen: see MnistApp.
return Mnist.MnistApp.Run(args, Console.Out, Console.Error);
