package dev.adjoint.benchmarks;

import java.util.function.DoubleSupplier;

/** Central finite differences over the entries of a parameter array, shared by the workloads' estimators. */
public final class CentralDifferences {
    /** The relative step: h = STEP · max(1, |p|) for parameter p. */
    public static final double STEP = 1e-6;

    private CentralDifferences() {}

    /**
     * The partials of {@code f} by each entry of {@code row}, (f(p + h) − f(p − h)) / 2h, each entry perturbed in
     * place and restored.
     *
     * @param row the parameter array {@code f} reads
     * @param f   the function
     * @param out where the partials go, from {@code out[at]} on
     * @param at  the first index to write
     * @return the index after the last one written
     */
    public static int partials(double[] row, DoubleSupplier f, double[] out, int at) {
        for (int j = 0; j < row.length; j++) {
            double p = row[j];
            double h = STEP * Math.max(1, Math.abs(p));
            row[j] = p + h;
            double plus = f.getAsDouble();
            row[j] = p - h;
            double minus = f.getAsDouble();
            row[j] = p;
            out[at++] = (plus - minus) / (2 * h);
        }
        return at;
    }
}
