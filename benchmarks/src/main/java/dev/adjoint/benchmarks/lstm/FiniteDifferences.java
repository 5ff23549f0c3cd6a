package dev.adjoint.benchmarks.lstm;

/** The LSTM objective's gradient by central finite differences: 2(8lb + 3b) evaluations of the primal. */
public final class FiniteDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = 1e-6;

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
                for (int j = 0; j < row.length; j++) {
                    double p = row[j];
                    double h = STEP * Math.max(1, Math.abs(p));
                    row[j] = p + h;
                    double plus = d.objective();
                    row[j] = p - h;
                    double minus = d.objective();
                    row[j] = p;
                    out[at++] = (plus - minus) / (2 * h);
                }
            }
        }
        return out;
    }
}
