package dev.adjoint.benchmarks.gmm;

import java.util.Arrays;

/**
 * The GMM objective and its gradient written by hand, as an expert would: the per-point log-sum-exps only add
 * into the objective, so each point's adjoint is taken right after its forward quantities, in one pass over the
 * points, with no tape. What does not depend on the point is computed once per call (exp(q), log det Q), and what
 * is linear in a point's adjoint is summed over the points first and pulled back once at the end (the means'
 * partials, −Qᵀ Σᵢ z̄ᵢ, and the weights' share of the α and q partials). A component whose weight at a point is
 * exactly zero contributes exactly zero, and is skipped. A warm call allocates nothing.
 *
 * <p>For point xᵢ and component c, with eᵢ = xᵢ − μ_c, zᵢ = Q_c eᵢ and t_c = α_c + Σⱼ q_cj − ½‖zᵢ‖², the
 * point's term is LSE_c(t_c), whose partial by t_c is the softmax weight w_c. Then z̄ᵢ = −w_c zᵢ, and: ∂/∂α_c and
 * ∂/∂q_cj get w_c; ∂/∂q_cr gets z̄ᵢr eᵢr exp(q_cr); ∂/∂l at (row r, column j) gets z̄ᵢr eᵢj; ∂/∂μ_c gets −Q_cᵀ z̄ᵢ.
 */
public final class HandGmm {
    private HandGmm() {}

    /** A gradient result, with the working arrays of one shape (k components of dimension d). */
    public static final class Result {
        /** The objective. */
        public double value;
        /** ∂/∂alpha. */
        public final double[] alpha;
        /** ∂/∂mu. */
        public final double[][] mu;
        /** ∂/∂q. */
        public final double[][] q;
        /** ∂/∂l. */
        public final double[][] l;

        /** exp(q), per component. */
        private final double[][] diag;
        /** Σⱼ q_cj, per component. */
        private final double[] logDet;
        /** The current point minus each mean. */
        private final double[][] centered;
        /** Q_c (x − μ_c) for the current point, then its adjoint. */
        private final double[][] qx;
        /** exp(t_c − max t) for the current point. */
        private final double[] weight;
        /** Σᵢ w_ic. */
        private final double[] weightSum;
        /** Σᵢ z̄ᵢ, per component. */
        private final double[][] qxBarSum;
        /** Σᵢ z̄ᵢr eᵢr, per component. */
        private final double[][] diagBar;

        /**
         * A result for k components of dimension d.
         *
         * @param k the number of components
         * @param d the dimension
         */
        public Result(int k, int d) {
            alpha = new double[k];
            mu = new double[k][d];
            q = new double[k][d];
            l = new double[k][d * (d - 1) / 2];
            diag = new double[k][d];
            logDet = new double[k];
            centered = new double[k][d];
            qx = new double[k][d];
            weight = new double[k];
            weightSum = new double[k];
            qxBarSum = new double[k][d];
            diagBar = new double[k][d];
        }

        /**
         * Returns the gradient in ADBench's flat layout ({@link GmmData#flat}).
         *
         * @return a new array of all partials
         */
        public double[] flat() {
            return GmmData.flat(alpha, mu, q, l);
        }
    }

    /**
     * Computes {@link Gmm#objective} and its gradient with respect to alpha, mu, q and l into {@code out}.
     *
     * @param alpha k log-weights
     * @param mu k means of d coordinates
     * @param q k vectors of d log-diagonal entries of Q
     * @param l k vectors of d(d−1)/2 strictly-lower entries of Q, column by column
     * @param x n points of d coordinates
     * @param gamma the Wishart prior's scale
     * @param m the Wishart prior's extra degrees of freedom
     * @param out a result made for k components of dimension d, overwritten
     * @return {@code out}
     * @throws IllegalArgumentException if {@code out} was made for another shape
     */
    public static Result objective(double[] alpha, double[][] mu, double[][] q, double[][] l, double[][] x,
            double gamma, int m, Result out) {
        int k = alpha.length;
        int n = x.length;
        int d = mu[0].length;
        if (out.alpha.length != k || out.mu[0].length != d) {
            throw new IllegalArgumentException("the result is for k = " + out.alpha.length + ", d = "
                    + out.mu[0].length + ", not k = " + k + ", d = " + d);
        }
        double[][] diag = out.diag;
        double[] logDet = out.logDet;
        double[] weight = out.weight;
        double[] weightSum = out.weightSum;
        for (int c = 0; c < k; c++) {
            double s = 0;
            for (int j = 0; j < d; j++) {
                s += q[c][j];
                diag[c][j] = Math.exp(q[c][j]);
            }
            logDet[c] = s;
            weightSum[c] = 0;
            Arrays.fill(out.qxBarSum[c], 0);
            Arrays.fill(out.diagBar[c], 0);
            Arrays.fill(out.l[c], 0);
        }

        double sumLse = 0;
        for (int i = 0; i < n; i++) {
            double[] xi = x[i];
            // forward: t_c for every component, keeping x − μ_c and Q_c (x − μ_c)
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[] mc = mu[c];
                double[] dc = diag[c];
                double[] lc = l[c];
                double[] ec = out.centered[c];
                double[] zc = out.qx[c];
                for (int j = 0; j < d; j++) {
                    double e = xi[j] - mc[j];
                    ec[j] = e;
                    zc[j] = dc[j] * e;
                }
                int at = 0;
                for (int col = 0; col < d; col++) {
                    double e = ec[col];
                    int base = at - col - 1;
                    for (int row = col + 1; row < d; row++) {
                        zc[row] += lc[base + row] * e;
                    }
                    at += d - col - 1;
                }
                double sq = 0;
                for (int j = 0; j < d; j++) {
                    sq += zc[j] * zc[j];
                }
                double t = alpha[c] + logDet[c] - 0.5 * sq;
                weight[c] = t;
                max = Math.max(max, t);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) {
                double w = Math.exp(weight[c] - max);
                weight[c] = w;
                sum += w;
            }
            sumLse += Math.log(sum) + max;

            // adjoint of this point's log-sum-exp, straight into the sums
            double inverse = 1 / sum;
            for (int c = 0; c < k; c++) {
                double w = weight[c] * inverse;
                if (w == 0) {
                    continue;
                }
                weightSum[c] += w;
                double[] ec = out.centered[c];
                double[] zc = out.qx[c];
                double[] zs = out.qxBarSum[c];
                double[] db = out.diagBar[c];
                for (int j = 0; j < d; j++) {
                    double zb = -w * zc[j];
                    zc[j] = zb;
                    zs[j] += zb;
                    db[j] += zb * ec[j];
                }
                double[] gl = out.l[c];
                int at = 0;
                for (int col = 0; col < d; col++) {
                    double e = ec[col];
                    int base = at - col - 1;
                    for (int row = col + 1; row < d; row++) {
                        gl[base + row] += zc[row] * e;
                    }
                    at += d - col - 1;
                }
            }
        }

        // −n LSE(α), the prior, and the pullbacks of the sums over the points
        double maxAlpha = alpha[0];
        for (int c = 1; c < k; c++) {
            maxAlpha = Math.max(maxAlpha, alpha[c]);
        }
        double sumExpAlpha = 0;
        for (int c = 0; c < k; c++) {
            sumExpAlpha += Math.exp(alpha[c] - maxAlpha);
        }
        double gamma2 = gamma * gamma;
        double prior = 0;
        for (int c = 0; c < k; c++) {
            out.alpha[c] = weightSum[c] - n * (Math.exp(alpha[c] - maxAlpha) / sumExpAlpha);
            double[] dc = diag[c];
            double[] lc = l[c];
            double[] gq = out.q[c];
            double[] gl = out.l[c];
            double[] db = out.diagBar[c];
            double[] zs = out.qxBarSum[c];
            double frobenius = 0;
            for (int j = 0; j < d; j++) {
                frobenius += dc[j] * dc[j];
                gq[j] = db[j] * dc[j] + weightSum[c] - gamma2 * dc[j] * dc[j] + m;
            }
            for (int j = 0; j < lc.length; j++) {
                frobenius += lc[j] * lc[j];
                gl[j] -= gamma2 * lc[j];
            }
            prior += -0.5 * gamma * gamma * frobenius + m * logDet[c];
            // ∂/∂μ_c = −Q_cᵀ Σᵢ z̄ᵢ
            double[] gm = out.mu[c];
            int at = 0;
            for (int col = 0; col < d; col++) {
                double s = dc[col] * zs[col];
                int base = at - col - 1;
                for (int row = col + 1; row < d; row++) {
                    s += lc[base + row] * zs[row];
                }
                gm[col] = -s;
                at += d - col - 1;
            }
        }
        prior += k * Gmm.logWishartConstant(d, gamma, m);
        double constant = -0.5 * n * d * Math.log(2 * Math.PI);
        out.value = constant + sumLse - n * (Math.log(sumExpAlpha) + maxAlpha) + prior;
        return out;
    }
}
