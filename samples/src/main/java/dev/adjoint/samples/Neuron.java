package dev.adjoint.samples;

import dev.adjoint.Differentiable;

/**
 * One neuron with a rectified linear unit, max(0, w·x + b), and the mean squared error loss of Parr and Howard,
 * "The Matrix Calculus You Need For Deep Learning", section "The gradient of the neural network loss function".
 *
 * <p>The processor reads {@link #loss} at compile time and writes {@code NeuronGrad}, whose
 * {@code NeuronGrad.loss(w, b, X, y, out)} returns C and its partials ∂C/∂w and ∂C/∂b.
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

    /**
     * The activation of the neuron for one input: max(0, w·x + b).
     *
     * @param w the weights
     * @param b the bias
     * @param x one input
     * @return the activation
     */
    public static double activation(double[] w, double b, double[] x) {
        double z = b;
        for (int j = 0; j < w.length; j++) {
            z += w[j] * x[j];
        }
        return Math.max(0, z);
    }
}
