package dev.adjoint.benchmarks.neuron;

import dev.adjoint.Differentiable;

/**
 * The benchmarks' own copy of the samples' neuron: the mean squared error of one rectified linear unit,
 * max(0, w·x + b), over N samples. The processor writes {@code NeuronGrad} from it at this module's compile time.
 */
public final class Neuron {
    private Neuron() {}

    /**
     * C(w, b) = 1/N Σᵢ (yᵢ − max(0, w·xᵢ + b))².
     *
     * @param w the weights, one per input feature
     * @param b the bias
     * @param X the inputs, one row xᵢ per sample
     * @param y the targets, one per sample
     * @return the mean squared error of the neuron's activations against the targets
     */
    @Differentiable(wrt = {"w", "b"})
    public static double loss(double[] w, double b, double[][] X, double[] y) {
        double cost = 0;
        for (int i = 0; i < X.length; i++) {
            double z = b;
            for (int j = 0; j < w.length; j++) {
                z += w[j] * X[i][j];
            }
            double a = Math.max(0, z);
            double e = y[i] - a;
            cost += e * e;
        }
        return cost / X.length;
    }
}
