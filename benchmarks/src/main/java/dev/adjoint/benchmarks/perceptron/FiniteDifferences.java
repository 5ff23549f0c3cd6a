package dev.adjoint.benchmarks.perceptron;

import dev.adjoint.benchmarks.CentralDifferences;

/** The perceptron's gradient by central finite differences: 2P evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = CentralDifferences.STEP;

    private FiniteDifferences() {}

    /**
     * Computes every partial by central differences into {@code out}, in the layout of
     * {@link PerceptronData#flat}.
     *
     * @param d the arguments (their parameter arrays perturbed in place, one entry at a time, and restored)
     * @param out P partials, overwritten
     * @return {@code out}
     */
    public static double[] gradient(PerceptronData d, double[] out) {
        int at = 0;
        for (double[] row : d.W1()) {
            at = CentralDifferences.partials(row, d::loss, out, at);
        }
        at = CentralDifferences.partials(d.b1(), d::loss, out, at);
        for (double[] row : d.W2()) {
            at = CentralDifferences.partials(row, d::loss, out, at);
        }
        CentralDifferences.partials(d.b2(), d::loss, out, at);
        return out;
    }
}
