package dev.adjoint.benchmarks.gmm;

import dev.adjoint.benchmarks.adbench.AdbenchFile;

/**
 * ADBench's reference objective and gradient of one of its GMM inputs ({@code adbench/gmm/reference/}), computed
 * by ADBench with its own hand-derived gradient code, and their translation to {@link Gmm#objective}'s sign
 * convention.
 *
 * <p>The two objectives differ only in the sign of the Wishart prior. ADBench's adds W = Σ_c [½γ²‖Q_c‖_F² − m
 * log det Q_c] − k C; GradBench's {@link Gmm#objective}, copied here, adds −W, the log-prior. Both share the data
 * term and −n LSE(α), so F = F_ADBench − 2W, and the partials differ by −2 ∂W: ∂W/∂q_cj = γ² exp(2 q_cj) − m,
 * ∂W/∂l_cj = γ² l_cj, nothing for alpha and mu. (ADBench also takes π as 3.14159265359 in its constant; that moves
 * the objective by about 1e-13 relative, below {@link GmmChecks#REFERENCE_F_TOLERANCE}, and no partial.)
 *
 * @param objective ADBench's objective F
 * @param gradient ADBench's gradient, [alphas | means | icf], each component by component
 */
public record GmmReference(double objective, double[] gradient) {
    /**
     * Reads {@code <set>_F.txt} and {@code <set>_J.txt}.
     *
     * @param set the reference's name, e.g. {@code "1k_gmm_d2_K5"}
     * @return the reference
     */
    public static GmmReference load(String set) {
        double[] f = AdbenchFile.numbers("gmm/reference/" + set + "_F.txt");
        if (f.length != 1) {
            throw new IllegalStateException(set + "_F.txt: " + f.length + " numbers, not 1");
        }
        return new GmmReference(f[0], AdbenchFile.numbers("gmm/reference/" + set + "_J.txt"));
    }

    /**
     * Returns W, the Wishart term of ADBench's objective, at the data's parameters.
     *
     * @param d the arguments
     * @return Σ_c [½γ²(Σⱼ exp(2 q_cj) + Σⱼ l_cj²) − m Σⱼ q_cj] − k C(d, γ, m)
     */
    static double wishartTerm(GmmData d) {
        double w = 0;
        for (int c = 0; c < d.k(); c++) {
            double frobenius = 0;
            double logDet = 0;
            for (double qj : d.q()[c]) {
                frobenius += Math.exp(2 * qj);
                logDet += qj;
            }
            for (double lj : d.l()[c]) {
                frobenius += lj * lj;
            }
            w += 0.5 * d.gamma() * d.gamma() * frobenius - d.m() * logDet;
        }
        return w - d.k() * Gmm.logWishartConstant(d.d(), d.gamma(), d.m());
    }

    /**
     * Returns the reference objective in {@link Gmm#objective}'s convention: F_ADBench − 2W.
     *
     * @param d the arguments the reference was computed at
     * @return the objective {@link Gmm#objective} should return
     */
    public double objectiveOfGmm(GmmData d) {
        return objective - 2 * wishartTerm(d);
    }

    /**
     * Returns the reference gradient in {@link Gmm#objective}'s convention, ADBench's flat layout: J − 2 ∂W.
     *
     * @param d the arguments the reference was computed at
     * @return the gradient {@link Gmm#objective} should have, in the layout of {@link GmmData#flat}
     */
    public double[] gradientOfGmm(GmmData d) {
        if (gradient.length != d.parameters()) {
            throw new IllegalStateException("the reference has " + gradient.length + " partials, the data "
                    + d.parameters());
        }
        double[] out = gradient.clone();
        int at = d.k() * (1 + d.d());
        double gamma2 = d.gamma() * d.gamma();
        for (int c = 0; c < d.k(); c++) {
            for (double qj : d.q()[c]) {
                out[at++] -= 2 * (gamma2 * Math.exp(2 * qj) - d.m());
            }
            for (double lj : d.l()[c]) {
                out[at++] -= 2 * gamma2 * lj;
            }
        }
        return out;
    }
}
