package dev.adjoint.benchmarks.neuron;

import dev.adjoint.benchmarks.CentralDifferences;

/** The neuron's gradient by central finite differences: 2(n + 1) evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = CentralDifferences.STEP;

    private FiniteDifferences() {}

    /**
     * Computes ∂C/∂w and ∂C/∂b by central differences into {@code out} (w's partials first, b's last).
     *
     * @param w the weights (perturbed in place and restored)
     * @param b the bias
     * @param X the inputs
     * @param y the targets
     * @param out n + 1 partials, overwritten
     * @return {@code out}
     */
    public static double[] gradient(double[] w, double b, double[][] X, double[] y, double[] out) {
        int n = CentralDifferences.partials(w, () -> Neuron.loss(w, b, X, y), out, 0);
        double h = STEP * Math.max(1, Math.abs(b));
        out[n] = (Neuron.loss(w, b + h, X, y) - Neuron.loss(w, b - h, X, y)) / (2 * h);
        return out;
    }
}
