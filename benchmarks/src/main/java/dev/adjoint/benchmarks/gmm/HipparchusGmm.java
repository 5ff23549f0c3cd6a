package dev.adjoint.benchmarks.gmm;

import org.hipparchus.analysis.differentiation.Gradient;

/**
 * The GMM objective in Hipparchus' forward mode: {@link Gmm#objective} written over {@link Gradient}, operation
 * for operation, with all P = k (1 + d + d(d+1)/2) parameters free at once, so that one evaluation carries the
 * whole gradient (each operation on P partials, each result a new array of P).
 *
 * <p>No {@code GradientField} is made: {@link Gradient#variable} and {@link Gradient#constant} need none, and
 * {@code GradientField.getField(P)} builds and keeps Hipparchus' derivative-structure compilers for every
 * parameter count up to P, whose size grows as P³ (about 50 MB at P = 330, 300 MB at P = 600, measured with
 * Hipparchus 4.0.3; gigabytes at d = 20's 1155).
 */
public final class HipparchusGmm {
    private HipparchusGmm() {}

    /**
     * Computes the objective as a {@link Gradient}: its value and its partials in ADBench's flat layout
     * ({@link GmmData#flat}).
     *
     * @param d the arguments
     * @return the objective with its P partials
     */
    public static Gradient objective(GmmData d) {
        return objective(d.alpha(), d.mu(), d.q(), d.l(), d.x(), d.gamma(), d.m());
    }

    /**
     * Computes the objective as a {@link Gradient}, the parameters made variables in ADBench's flat layout.
     *
     * @param alpha k log-weights
     * @param mu k means of d coordinates
     * @param q k vectors of d log-diagonal entries of Q
     * @param l k vectors of d(d−1)/2 strictly-lower entries of Q
     * @param x n points of d coordinates
     * @param gamma the Wishart prior's scale
     * @param m the Wishart prior's extra degrees of freedom
     * @return the objective with its P partials
     */
    public static Gradient objective(double[] alpha, double[][] mu, double[][] q, double[][] l, double[][] x,
            double gamma, int m) {
        int k = alpha.length;
        int n = x.length;
        int d = mu[0].length;
        int p = k * (1 + d + d + d * (d - 1) / 2);
        int next = 0;
        Gradient[] alphaV = new Gradient[k];
        for (int c = 0; c < k; c++) {
            alphaV[c] = Gradient.variable(p, next++, alpha[c]);
        }
        Gradient[][] muV = new Gradient[k][d];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                muV[c][j] = Gradient.variable(p, next++, mu[c][j]);
            }
        }
        Gradient[][] qV = new Gradient[k][d];
        Gradient[][] lV = new Gradient[k][d * (d - 1) / 2];
        for (int c = 0; c < k; c++) {
            for (int j = 0; j < d; j++) {
                qV[c][j] = Gradient.variable(p, next++, q[c][j]);
            }
            for (int j = 0; j < lV[c].length; j++) {
                lV[c][j] = Gradient.variable(p, next++, l[c][j]);
            }
        }
        Gradient zero = Gradient.constant(p, 0);

        Gradient[] sumQ = new Gradient[k];
        for (int c = 0; c < k; c++) {
            Gradient s = zero;
            for (int j = 0; j < d; j++) {
                s = s.add(qV[c][j]);
            }
            sumQ[c] = s;
        }

        Gradient[] centered = new Gradient[d];
        Gradient[] qx = new Gradient[d];
        Gradient[] mainTerm = new Gradient[k];
        Gradient sumLse = zero;
        for (int i = 0; i < n; i++) {
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) {
                    centered[j] = muV[c][j].subtract(x[i][j]).negate();
                }
                for (int j = 0; j < d; j++) {
                    qx[j] = qV[c][j].exp().multiply(centered[j]);
                }
                int at = 0;
                for (int col = 0; col < d; col++) {
                    for (int row = col + 1; row < d; row++) {
                        qx[row] = qx[row].add(lV[c][at].multiply(centered[col]));
                        at++;
                    }
                }
                Gradient sq = zero;
                for (int j = 0; j < d; j++) {
                    sq = sq.add(qx[j].multiply(qx[j]));
                }
                mainTerm[c] = alphaV[c].add(sumQ[c]).subtract(sq.multiply(0.5));
            }
            sumLse = sumLse.add(logSumExp(mainTerm));
        }

        Gradient prior = zero;
        for (int c = 0; c < k; c++) {
            Gradient frobenius = zero;
            for (int j = 0; j < d; j++) {
                Gradient diag = qV[c][j].exp();
                frobenius = frobenius.add(diag.multiply(diag));
            }
            for (int j = 0; j < lV[c].length; j++) {
                frobenius = frobenius.add(lV[c][j].multiply(lV[c][j]));
            }
            prior = prior.add(frobenius.multiply(-0.5 * gamma * gamma).add(sumQ[c].multiply(m)));
        }
        prior = prior.add(k * Gmm.logWishartConstant(d, gamma, m));

        double constant = -0.5 * n * d * Math.log(2 * Math.PI);
        return sumLse.add(constant).subtract(logSumExp(alphaV).multiply(n)).add(prior);
    }

    /** log Σ exp(vᵢ), shifted by the largest vᵢ (as {@link Gmm#logSumExp} does, by value). */
    private static Gradient logSumExp(Gradient[] v) {
        Gradient max = v[0];
        for (int i = 1; i < v.length; i++) {
            if (v[i].getValue() > max.getValue()) {
                max = v[i];
            }
        }
        Gradient sum = v[0].subtract(max).exp();
        for (int i = 1; i < v.length; i++) {
            sum = sum.add(v[i].subtract(max).exp());
        }
        return sum.log().add(max);
    }
}
