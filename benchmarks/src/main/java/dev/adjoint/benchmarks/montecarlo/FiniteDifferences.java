package dev.adjoint.benchmarks.montecarlo;

import dev.adjoint.benchmarks.CentralDifferences;

/** The Asian call's gradient by central finite differences: 2(2 + M) evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = CentralDifferences.STEP;

    private FiniteDifferences() {}

    /**
     * Computes every partial by central differences into {@code out}, in the layout of
     * {@link MonteCarloData#flat}. The draws are the same for every evaluation (common random numbers), so the
     * differences are those of one smooth function.
     *
     * @param d the arguments (sigma perturbed in place, one entry at a time, and restored)
     * @param out 2 + M partials, overwritten
     * @return {@code out}
     */
    public static double[] gradient(MonteCarloData d, double[] out) {
        double h = STEP * Math.max(1, Math.abs(d.s0()));
        out[0] = (d.at(d.s0() + h, d.r()).price() - d.at(d.s0() - h, d.r()).price()) / (2 * h);
        h = STEP * Math.max(1, Math.abs(d.r()));
        out[1] = (d.at(d.s0(), d.r() + h).price() - d.at(d.s0(), d.r() - h).price()) / (2 * h);
        CentralDifferences.partials(d.sigma(), d::price, out, 2);
        return out;
    }
}
