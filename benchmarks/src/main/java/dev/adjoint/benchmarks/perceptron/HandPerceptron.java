package dev.adjoint.benchmarks.perceptron;

import java.util.Arrays;

/**
 * The perceptron's loss and gradient written by hand, as an expert would: the loss is a sum over the samples, so
 * each sample's adjoint is taken right after its forward pass and added straight into the gradient arrays, in
 * one pass over the batch with no tape. Per sample: the hidden activations a = tanh(W1 x + b1) (kept for the
 * sample), then per output k its error e_k, ē_k = 2 e_k / B, which goes into ∂/∂b2_k, into ∂/∂W2_k (ē_k a) and
 * into ā (ē_k W2_k) in the same loop over the hidden units; then z̄ = ā (1 − a²) gives ∂/∂b1 and ∂/∂W1 (z̄ xᵀ).
 *
 * <p>W1 is copied transposed once per call, so that W1 x is summed as z += x_k W1ᵀ_k, a loop over the hidden
 * units without a carried dependence (which the JIT vectorises, as it does the gradient's rank-one updates),
 * rather than as h dot products; the sums are the primal's, term for term, in the same order. The working arrays
 * (W1ᵀ, z, a, ā) are kept in the result, so a warm call allocates nothing.
 */
public final class HandPerceptron {
    private HandPerceptron() {}

    /** A gradient result, with the working arrays of one shape (n inputs, h hidden units, o outputs). */
    public static final class Result {
        /** The loss L. */
        public double value;
        /** ∂L/∂W1. */
        public final double[][] W1;
        /** ∂L/∂b1. */
        public final double[] b1;
        /** ∂L/∂W2. */
        public final double[][] W2;
        /** ∂L/∂b2. */
        public final double[] b2;

        /** W1 transposed, n rows of h. */
        private final double[][] w1t;
        /** The current sample's hidden pre-activations. */
        private final double[] z;
        /** The current sample's hidden activations. */
        private final double[] a;
        /** Their adjoints. */
        private final double[] aBar;

        /**
         * A result for a perceptron of these sizes.
         *
         * @param inputs n
         * @param hidden h
         * @param outputs o
         */
        public Result(int inputs, int hidden, int outputs) {
            W1 = new double[hidden][inputs];
            b1 = new double[hidden];
            W2 = new double[outputs][hidden];
            b2 = new double[outputs];
            w1t = new double[inputs][hidden];
            z = new double[hidden];
            a = new double[hidden];
            aBar = new double[hidden];
        }

        /**
         * Returns the gradient in the flat layout ({@link PerceptronData#flat}).
         *
         * @return a new array of all partials
         */
        public double[] flat() {
            return PerceptronData.flat(W1, b1, W2, b2);
        }
    }

    /**
     * Computes {@link Perceptron#loss} and its gradient with respect to W1, b1, W2 and b2 into {@code out}.
     *
     * @param W1 h rows of n
     * @param b1 h
     * @param W2 o rows of h
     * @param b2 o
     * @param X B rows of n
     * @param Y B rows of o
     * @param out a result made for this shape, overwritten
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} was made for another shape
     */
    public static Result loss(double[][] W1, double[] b1, double[][] W2, double[] b2, double[][] X, double[][] Y,
            Result out) {
        int hidden = b1.length;
        int outputs = b2.length;
        int inputs = W1[0].length;
        if (out.b1.length != hidden || out.b2.length != outputs || out.W1[0].length != inputs) {
            throw new IllegalArgumentException("the result is for n = " + out.W1[0].length + ", h = "
                    + out.b1.length + ", o = " + out.b2.length + ", not n = " + inputs + ", h = " + hidden
                    + ", o = " + outputs);
        }
        double[][] w1t = out.w1t;
        double[] z = out.z;
        double[] a = out.a;
        double[] aBar = out.aBar;
        for (int j = 0; j < hidden; j++) {
            double[] w = W1[j];
            for (int k = 0; k < inputs; k++) {
                w1t[k][j] = w[k];
            }
        }
        double[][] gW1 = out.W1;
        double[] gb1 = out.b1;
        double[][] gW2 = out.W2;
        double[] gb2 = out.b2;
        for (double[] row : gW1) {
            Arrays.fill(row, 0);
        }
        Arrays.fill(gb1, 0);
        for (double[] row : gW2) {
            Arrays.fill(row, 0);
        }
        Arrays.fill(gb2, 0);

        double scale = 2.0 / X.length;
        double cost = 0;
        for (int i = 0; i < X.length; i++) {
            double[] x = X[i];
            double[] y = Y[i];
            // forward: the hidden activations, W1 x summed column by column
            System.arraycopy(b1, 0, z, 0, hidden);
            for (int k = 0; k < inputs; k++) {
                double xk = x[k];
                double[] w = w1t[k];
                for (int j = 0; j < hidden; j++) {
                    z[j] += w[j] * xk;
                }
            }
            for (int j = 0; j < hidden; j++) {
                a[j] = Math.tanh(z[j]);
                aBar[j] = 0;
            }
            // each output's error, and straight away its adjoint into W2, b2 and ā
            for (int k = 0; k < outputs; k++) {
                double[] w = W2[k];
                double o = b2[k];
                for (int j = 0; j < hidden; j++) {
                    o += w[j] * a[j];
                }
                double e = o - y[k];
                cost += e * e;
                double eBar = scale * e;
                gb2[k] += eBar;
                double[] g = gW2[k];
                for (int j = 0; j < hidden; j++) {
                    g[j] += eBar * a[j];
                    aBar[j] += eBar * w[j];
                }
            }
            // through tanh into W1 and b1
            for (int j = 0; j < hidden; j++) {
                double aj = a[j];
                double zBar = aBar[j] * (1 - aj * aj);
                gb1[j] += zBar;
                double[] g = gW1[j];
                for (int k = 0; k < inputs; k++) {
                    g[k] += zBar * x[k];
                }
            }
        }
        out.value = cost / X.length;
        return out;
    }
}
