package dev.adjoint.benchmarks.neuron;

/**
 * The neuron's loss and gradient written by hand, as an expert would: one pass per sample that computes z and, if
 * the unit is active, adds that sample's adjoint straight into the gradient arrays. No tape, nothing allocated.
 */
public final class HandNeuron {
    private HandNeuron() {}

    /** A gradient result: the value, ∂C/∂w and ∂C/∂b. */
    public static final class Result {
        /** The loss C. */
        public double value;
        /** ∂C/∂w. */
        public double[] w;
        /** ∂C/∂b. */
        public double b;

        /**
         * A result for n weights.
         *
         * @param n the number of weights
         */
        public Result(int n) {
            w = new double[n];
        }
    }

    /**
     * Computes C(w, b) and its gradient into {@code out}.
     *
     * @param w the weights
     * @param b the bias
     * @param X the inputs
     * @param y the targets
     * @param out the result, overwritten (its {@code w} has w's length)
     * @return {@code out}
     */
    public static Result loss(double[] w, double b, double[][] X, double[] y, Result out) {
        int n = w.length;
        double[] gw = out.w;
        java.util.Arrays.fill(gw, 0);
        double gb = 0;
        double cost = 0;
        double scale = 2.0 / X.length;
        for (int i = 0; i < X.length; i++) {
            double[] x = X[i];
            double z = b;
            for (int j = 0; j < n; j++) {
                z += w[j] * x[j];
            }
            double e = y[i] - Math.max(0, z);
            cost += e * e;
            if (z > 0) {
                double dz = -scale * e;
                gb += dz;
                for (int j = 0; j < n; j++) {
                    gw[j] += dz * x[j];
                }
            }
        }
        out.value = cost / X.length;
        out.b = gb;
        return out;
    }
}
