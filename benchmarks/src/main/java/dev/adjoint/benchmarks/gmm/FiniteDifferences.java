package dev.adjoint.benchmarks.gmm;

import dev.adjoint.benchmarks.CentralDifferences;

/** The GMM objective's gradient by central finite differences: 2P evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = CentralDifferences.STEP;

    private FiniteDifferences() {}

    /**
     * Computes every partial by central differences into {@code out}, in ADBench's flat layout
     * ({@link GmmData#flat}): alpha, mu, then q and l component by component.
     *
     * @param d the arguments (their parameter arrays perturbed in place, one entry at a time, and restored)
     * @param out P partials, overwritten
     * @return {@code out}
     */
    public static double[] gradient(GmmData d, double[] out) {
        int at = partials(d, d.alpha(), out, 0);
        for (double[] row : d.mu()) {
            at = partials(d, row, out, at);
        }
        for (int c = 0; c < d.k(); c++) {
            at = partials(d, d.q()[c], out, at);
            at = partials(d, d.l()[c], out, at);
        }
        return out;
    }

    /** The partials by the entries of one parameter array, from {@code out[at]} on; returns the next index. */
    private static int partials(GmmData d, double[] row, double[] out, int at) {
        return CentralDifferences.partials(row, d::objective, out, at);
    }
}
