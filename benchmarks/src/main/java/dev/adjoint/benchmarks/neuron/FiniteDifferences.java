package dev.adjoint.benchmarks.neuron;

/** The neuron's gradient by central finite differences: 2(n + 1) evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = 1e-6;

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
        int n = w.length;
        for (int j = 0; j < n; j++) {
            double wj = w[j];
            double h = STEP * Math.max(1, Math.abs(wj));
            w[j] = wj + h;
            double plus = Neuron.loss(w, b, X, y);
            w[j] = wj - h;
            double minus = Neuron.loss(w, b, X, y);
            w[j] = wj;
            out[j] = (plus - minus) / (2 * h);
        }
        double h = STEP * Math.max(1, Math.abs(b));
        out[n] = (Neuron.loss(w, b + h, X, y) - Neuron.loss(w, b - h, X, y)) / (2 * h);
        return out;
    }
}
