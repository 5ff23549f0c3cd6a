package dev.adjoint.benchmarks.lstm;

import dev.adjoint.benchmarks.CentralDifferences;

/** The LSTM objective's gradient by central finite differences: 2(8lb + 3b) evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = CentralDifferences.STEP;

    private FiniteDifferences() {}

    /**
     * Computes every partial by central differences into {@code out}, in the layout of {@link LstmData#flat}.
     *
     * @param d the arguments (their parameter arrays perturbed in place, one entry at a time, and restored)
     * @param out 8lb + 3b partials, overwritten
     * @return {@code out}
     */
    public static double[] gradient(LstmData d, double[] out) {
        int at = 0;
        for (double[][] rows : new double[][][] {d.mainParams(), d.extraParams()}) {
            for (double[] row : rows) {
                at = CentralDifferences.partials(row, d::objective, out, at);
            }
        }
        return out;
    }
}
