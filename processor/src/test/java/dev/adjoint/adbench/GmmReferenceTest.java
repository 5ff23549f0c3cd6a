package dev.adjoint.adbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.FiniteDifferences;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.Measurements;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The ADBench Gaussian mixture model objective (github.com/microsoft/ADBench, MIT), written as plain Java and
 * differentiated by Adjoint, against ADBench's reference objective values and gradients (computed with its
 * hand-derived gradient code) on its unit-test input and all its n = 1000 inputs.
 */
class GmmReferenceTest {
    /** Relative tolerance of the objective against the reference. */
    static final double F_TOLERANCE = 1e-12;
    /** Per component |g − r| / max(1, |r|) against the reference gradient. */
    static final double J_TOLERANCE = 1e-8;

    /**
     * The objective as a Java engineer would write it: loops over points, components and coordinates, a max-shifted
     * log-sum-exp, scratch arrays reused across iterations, and the Wishart normalising constant from a helper with
     * a hand-written log-gamma (its arguments are inactive, so the call is a constant).
     */
    static final String SOURCE = """
            package adbench;

            import dev.adjoint.Differentiable;

            public final class Gmm {
                private Gmm() {}

                /** The value of π ADBench's C++ code uses. */
                static final double PI = 3.14159265359;

                /**
                 * The log-likelihood of the points x under a mixture of K Gaussians, plus a Wishart prior on the
                 * inverse covariances. Component k has weight softmax(alphas)[k], mean means[k] and inverse
                 * covariance Q Qᵀ, Q lower triangular with diagonal exp(icf[k][0..d-1]) and the strictly lower
                 * triangle icf[k][d..] in column-major order.
                 */
                @Differentiable(wrt = {"alphas", "means", "icf"})
                public static double objective(double[] alphas, double[][] means, double[][] icf, double[][] x,
                        double wishartGamma, int wishartM) {
                    int k = alphas.length;
                    int n = x.length;
                    int d = means[0].length;

                    double[] sumLogDiag = new double[k];
                    for (int c = 0; c < k; c++) {
                        double s = 0;
                        for (int j = 0; j < d; j++) {
                            s += icf[c][j];
                        }
                        sumLogDiag[c] = s;
                    }

                    double[] centered = new double[d];
                    double[] qx = new double[d];
                    double[] logTerms = new double[k];
                    double sumLse = 0;
                    for (int i = 0; i < n; i++) {
                        for (int c = 0; c < k; c++) {
                            for (int j = 0; j < d; j++) {
                                centered[j] = x[i][j] - means[c][j];
                            }
                            for (int j = 0; j < d; j++) {
                                qx[j] = Math.exp(icf[c][j]) * centered[j];
                            }
                            int li = d;
                            for (int col = 0; col < d; col++) {
                                for (int row = col + 1; row < d; row++) {
                                    qx[row] += icf[c][li] * centered[col];
                                    li++;
                                }
                            }
                            double sq = 0;
                            for (int j = 0; j < d; j++) {
                                sq += qx[j] * qx[j];
                            }
                            logTerms[c] = alphas[c] + sumLogDiag[c] - 0.5 * sq;
                        }
                        double max = logTerms[0];
                        for (int c = 1; c < k; c++) {
                            if (logTerms[c] > max) {
                                max = logTerms[c];
                            }
                        }
                        double sumExp = 0;
                        for (int c = 0; c < k; c++) {
                            sumExp += Math.exp(logTerms[c] - max);
                        }
                        sumLse += max + Math.log(sumExp);
                    }

                    double maxAlpha = alphas[0];
                    for (int c = 1; c < k; c++) {
                        maxAlpha = Math.max(maxAlpha, alphas[c]);
                    }
                    double sumExpAlpha = 0;
                    for (double a : alphas) {
                        sumExpAlpha += Math.exp(a - maxAlpha);
                    }
                    double lseAlphas = maxAlpha + Math.log(sumExpAlpha);

                    double prior = 0;
                    for (int c = 0; c < k; c++) {
                        double frobenius = 0;
                        for (int j = 0; j < d; j++) {
                            double diag = Math.exp(icf[c][j]);
                            frobenius += diag * diag;
                        }
                        for (int j = d; j < icf[c].length; j++) {
                            frobenius += icf[c][j] * icf[c][j];
                        }
                        prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * sumLogDiag[c];
                    }
                    prior -= k * logWishartConstant(d, wishartGamma, wishartM);

                    double constant = -n * d * 0.5 * Math.log(2 * PI);
                    return constant + sumLse - n * lseAlphas + prior;
                }

                /** log of the Wishart normalising constant, for dimension d. */
                static double logWishartConstant(int d, double gamma, int m) {
                    int dof = d + m + 1;
                    return dof * d * (Math.log(gamma) - 0.5 * Math.log(2)) - logMultiGamma(0.5 * dof, d);
                }

                /** log Γ_d(a), the multivariate log-gamma function. */
                static double logMultiGamma(double a, int d) {
                    double out = 0.25 * d * (d - 1) * Math.log(PI);
                    for (int j = 1; j <= d; j++) {
                        out += logGamma(a + 0.5 * (1 - j));
                    }
                    return out;
                }

                private static final double[] LANCZOS = {
                    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
                    -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
                    1.5056327351493116e-7};

                /** log Γ(z) for z > 0, by the Lanczos approximation (g = 7, 9 terms). */
                static double logGamma(double z) {
                    if (z < 0.5) {
                        // reflection: Γ(z) Γ(1 − z) = π / sin(πz)
                        return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * z))) - logGamma(1 - z);
                    }
                    double y = z - 1;
                    double sum = LANCZOS[0];
                    for (int i = 1; i < LANCZOS.length; i++) {
                        sum += LANCZOS[i] / (y + i);
                    }
                    double t = y + 7.5;
                    return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
                }
            }
            """;


    /**
     * The same objective written another way: components in the outer loop with an explicit lower-triangular Q
     * per component, points by for-each, row aliases, a while loop over the packed triangle, a ternary max and
     * log-terms stored in an n × K matrix for a log-sum-exp pass at the end.
     */
    static final String SOURCE_BY_COMPONENT = """
            package adbench;

            import dev.adjoint.Differentiable;

            public final class GmmByComponent {
                private GmmByComponent() {}

                static final double PI = 3.14159265359;

                @Differentiable(wrt = {"alphas", "means", "icf"})
                public static double objective(double[] alphas, double[][] means, double[][] icf, double[][] x,
                        double wishartGamma, int wishartM) {
                    final int k = alphas.length;
                    final int n = x.length;
                    final int d = x[0].length;
                    double[][] logTerms = new double[n][k];
                    double prior = 0;
                    for (int c = 0; c < k; c++) {
                        double[] mu = means[c];
                        double[] packed = icf[c];
                        double[][] q = new double[d][d];
                        double logDet = 0;
                        double frobenius = 0;
                        for (int j = 0; j < d; j++) {
                            q[j][j] = Math.exp(packed[j]);
                            logDet += packed[j];
                            frobenius += Math.pow(q[j][j], 2);
                        }
                        int col = 0;
                        int row = 1;
                        int at = d;
                        while (at < packed.length) {
                            q[row][col] = packed[at];
                            frobenius += packed[at] * packed[at];
                            at++;
                            row++;
                            if (row == d) {
                                col++;
                                row = col + 1;
                            }
                        }
                        prior += 0.5 * wishartGamma * wishartGamma * frobenius - wishartM * logDet;

                        int i = 0;
                        for (double[] xi : x) {
                            double sq = 0;
                            for (int r = 0; r < d; r++) {
                                double qr = 0;
                                for (int j = 0; j <= r; j++) {
                                    qr += q[r][j] * (xi[j] - mu[j]);
                                }
                                sq += qr * qr;
                            }
                            logTerms[i][c] = alphas[c] + logDet - sq / 2;
                            i++;
                        }
                    }

                    double sumLse = 0;
                    for (double[] terms : logTerms) {
                        double max = Double.NEGATIVE_INFINITY;
                        for (double v : terms) {
                            max = v > max ? v : max;
                        }
                        double s = 0;
                        for (double v : terms) {
                            s += Math.exp(v - max);
                        }
                        sumLse += Math.log(s) + max;
                    }

                    double maxAlpha = Double.NEGATIVE_INFINITY;
                    for (double a : alphas) {
                        maxAlpha = Math.max(a, maxAlpha);
                    }
                    double s = 0;
                    for (double a : alphas) {
                        s += Math.exp(a - maxAlpha);
                    }
                    double lseAlphas = Math.log(s) + maxAlpha;

                    return -0.5 * n * d * Math.log(2 * PI) + sumLse - n * lseAlphas + prior
                            - k * Gmm.logWishartConstant(d, wishartGamma, wishartM);
                }
            }
            """;

    private static Grad gmm;
    private static Grad gmmByComponent;

    @BeforeAll
    static void compile() {
        Compilation c = Javac.adjoint().strict().compile(SOURCE, SOURCE_BY_COMPONENT).assertSucceeded();
        Measurements.record("GMM: compiled both versions with the processor in %d ms", c.elapsed().toMillis());
        gmm = Grad.of(c, "adbench.Gmm", "objective");
        gmmByComponent = Grad.of(c, "adbench.GmmByComponent", "objective");
    }

    /** One ADBench GMM input with its reference objective and gradient. */
    record Instance(String name, double[] alphas, double[][] means, double[][] icf, double[][] x, double gamma,
            int m, double referenceF, double[] referenceJ) {

        static Instance load(String set) {
            String input = set.equals("test") ? "gmm/test.txt" : "gmm/" + set + ".txt";
            String ref = "gmm/reference/" + (set.equals("test") ? "gmm_test" : set.replace('/', '_'));
            AdbenchData.Tokens t = AdbenchData.tokens(input);
            int d = t.nextInt();
            int k = t.nextInt();
            int n = t.nextInt();
            double[] alphas = t.nextDoubles(k);
            double[][] means = t.nextMatrix(k, d);
            double[][] icf = t.nextMatrix(k, d * (d + 1) / 2);
            double[][] x = t.nextMatrix(n, d);
            double gamma = t.nextDouble();
            int m = (int) t.nextDouble();
            t.expectEnd();
            double[] f = AdbenchData.numbers(ref + "_F.txt");
            assertEquals(1, f.length, ref + "_F.txt");
            double[] j = AdbenchData.numbers(ref + "_J.txt");
            assertEquals(k + k * d + k * d * (d + 1) / 2, j.length, ref + "_J.txt: gradient length");
            return new Instance(set, alphas, means, icf, x, gamma, m, f[0], j);
        }

        Object[] args() {
            return new Object[] {alphas, means, icf, x, gamma, m};
        }
    }

    /** The gradient in ADBench's layout: [alphas | means | icf], each component-major. */
    static double[] flatGradient(Grad.Result r) {
        List<double[]> parts = List.of(FiniteDifferences.flatten(r.get("alphas")),
                FiniteDifferences.flatten(r.get("means")), FiniteDifferences.flatten(r.get("icf")));
        int n = parts.stream().mapToInt(p -> p.length).sum();
        double[] out = new double[n];
        int at = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"test", "1k/gmm_d2_K5", "1k/gmm_d2_K10", "1k/gmm_d10_K5", "1k/gmm_d20_K5"})
    void objectiveAndGradientMatchReference(String set) {
        Instance in = Instance.load(set);
        check(gmm, "Gmm", in);
        check(gmmByComponent, "GmmByComponent", in);
    }

    private static void check(Grad gmm, String version, Instance in) {
        String set = version + " " + in.name;
        double f = gmm.f(in.args());
        double fError = Math.abs(f - in.referenceF) / Math.max(1, Math.abs(in.referenceF));
        assertTrue(fError <= F_TOLERANCE, () -> set + ": objective " + f + ", reference " + in.referenceF
                + ", relative error " + fError);

        long start = System.nanoTime();
        Grad.Result r = gmm.grad(in.args());
        long gradNanos = System.nanoTime() - start;
        double value = r.value();
        assertEquals(f, value, 0, () -> set + ": CGrad value() differs from the objective");

        double[] g = flatGradient(r);
        assertEquals(in.referenceJ.length, g.length, set + ": gradient length");
        double maxError = 0;
        int worst = -1;
        List<String> failures = new ArrayList<>();
        for (int i = 0; i < g.length; i++) {
            double ref = in.referenceJ[i];
            double e = Math.abs(g[i] - ref) / Math.max(1, Math.abs(ref));
            if (!(e <= maxError)) {
                maxError = e;
                worst = i;
            }
            if (!(e <= J_TOLERANCE) && failures.size() < 20) {
                failures.add("J[" + i + "] = " + g[i] + ", reference " + ref + ", error " + e);
            }
        }
        Measurements.record("GMM %-29s %4d params: F rel. error %.2e, max J error %.2e (at %d), gradient %.1f ms",
                set, g.length, fError, maxError, worst, gradNanos / 1e6);
        assertTrue(failures.isEmpty(), () -> set + ": gradient differs from the reference:\n"
                + String.join("\n", failures));

        // The overload that reuses a result object gives the same numbers, cold and warm.
        Grad.Result out = gmm.newResult();
        for (int rep = 0; rep < 2; rep++) {
            Grad.Result again = gmm.gradInto(out, in.args());
            assertEquals(value, again.value(), 0, set);
            double[] g2 = flatGradient(again);
            for (int i = 0; i < g.length; i++) {
                assertEquals(g[i], g2[i], 0, set + ": reused result, component " + i);
            }
        }
    }

    /** Sanity: a few components against Richardson-extrapolated central differences, on the d = 2, K = 5 set. */
    @Test
    void gradientAgreesWithFiniteDifferences() {
        Instance in = Instance.load("1k/gmm_d2_K5");
        Grad.Result r = gmm.grad(in.args());
        double[] alphasGrad = (double[]) r.get("alphas");
        double[][] meansGrad = (double[][]) r.get("means");
        double[][] icfGrad = (double[][]) r.get("icf");
        int[][] picks = {{0, 0}, {0, 3}, {1, 1}, {1, 4}, {2, 2}, {2, 0}, {0, 4}, {1, 0}};   // {param, index}
        for (int[] pick : picks) {
            int p = pick[0];
            int c = pick[1];
            int j = (c * 7 + p) % (p == 2 ? 3 : 2);
            String label;
            double ad;
            FiniteDifferences.Estimate fd;
            if (p == 0) {
                label = "alphas[" + c + "]";
                ad = alphasGrad[c];
                fd = FiniteDifferences.derivative(label, v -> {
                    double[] a = in.alphas.clone();
                    a[c] = v;
                    return gmm.f(a, in.means, in.icf, in.x, in.gamma, in.m);
                }, in.alphas[c]);
            } else {
                double[][] base = p == 1 ? in.means : in.icf;
                label = (p == 1 ? "means[" : "icf[") + c + "][" + j + "]";
                ad = (p == 1 ? meansGrad : icfGrad)[c][j];
                fd = FiniteDifferences.derivative(label, v -> {
                    double[][] moved = (double[][]) Grad.deepCopy((Object) base);
                    moved[c][j] = v;
                    return p == 1 ? gmm.f(in.alphas, moved, in.icf, in.x, in.gamma, in.m)
                            : gmm.f(in.alphas, in.means, moved, in.x, in.gamma, in.m);
                }, base[c][j]);
            }
            double error = FiniteDifferences.relativeError(ad, fd.richardson());
            Measurements.record("GMM FD %-12s AD %.12g, Richardson %.12g, error %.1e", label, ad, fd.richardson(),
                    error);
            assertTrue(error <= 1e-6, label + ": AD " + ad + ", finite differences " + fd);
        }
    }
}
