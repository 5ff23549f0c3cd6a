package dev.adjoint.gradbench.gmm;

import static dev.adjoint.gradbench.Checks.assertClose;
import static dev.adjoint.gradbench.Checks.copy;
import static dev.adjoint.gradbench.Checks.derivative;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.adjoint.gradbench.BadInput;
import dev.adjoint.gradbench.Checks;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The generated gradient of {@link Gmm#objective} against finite differences, and both against a recording. */
class GmmTest {
    /** Central differences with a Richardson step agree to about 1e-9 here; a wrong term is off by order 1. */
    static final double FD_TOLERANCE = 1e-6;

    /** A random GMM problem of the given sizes. */
    record Problem(double[] alpha, double[][] mu, double[][] q, double[][] l, double[][] x, double gamma, int m) {
        static Problem random(long seed, int d, int k, int n, double gamma, int m) {
            Random r = new Random(seed);
            return new Problem(vector(r, k), matrix(r, k, d), scaled(matrix(r, k, d), 0.3),
                    scaled(matrix(r, k, d * (d - 1) / 2), 0.5), matrix(r, n, d), gamma, m);
        }

        double f() {
            return Gmm.objective(alpha, mu, q, l, x, gamma, m);
        }
    }

    static double[] vector(Random r, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextGaussian();
        }
        return v;
    }

    static double[][] matrix(Random r, int rows, int cols) {
        double[][] a = new double[rows][];
        for (int i = 0; i < rows; i++) {
            a[i] = vector(r, cols);
        }
        return a;
    }

    static double[][] scaled(double[][] a, double s) {
        for (double[] row : a) {
            for (int j = 0; j < row.length; j++) {
                row[j] *= s;
            }
        }
        return a;
    }

    @ParameterizedTest
    @CsvSource({"1, 3, 4, 20, 1.0, 0", "2, 4, 2, 15, 0.7, 2", "3, 1, 3, 10, 1.5, 1", "4, 5, 3, 8, 1.0, 0"})
    void gradientMatchesFiniteDifferences(long seed, int d, int k, int n, double gamma, int m) {
        Problem p = Problem.random(seed, d, k, n, gamma, m);
        GmmGrad.ObjectiveGradient g = GmmGrad.objective(p.alpha, p.mu, p.q, p.l, p.x, p.gamma, p.m);
        assertEquals(p.f(), g.value(), 0, "value() is the objective");

        for (int c = 0; c < k; c++) {
            int cc = c;
            double fd = derivative(v -> {
                double[] a = p.alpha.clone();
                a[cc] = v;
                return Gmm.objective(a, p.mu, p.q, p.l, p.x, p.gamma, p.m);
            }, p.alpha[c]);
            assertClose(fd, g.alpha()[c], FD_TOLERANCE, "d/dalpha[" + c + "]");
            for (int j = 0; j < d; j++) {
                int jj = j;
                double fdMu = derivative(v -> {
                    double[][] mu = copy(p.mu);
                    mu[cc][jj] = v;
                    return Gmm.objective(p.alpha, mu, p.q, p.l, p.x, p.gamma, p.m);
                }, p.mu[c][j]);
                assertClose(fdMu, g.mu()[c][j], FD_TOLERANCE, "d/dmu[" + c + "][" + j + "]");
                double fdQ = derivative(v -> {
                    double[][] q = copy(p.q);
                    q[cc][jj] = v;
                    return Gmm.objective(p.alpha, p.mu, q, p.l, p.x, p.gamma, p.m);
                }, p.q[c][j]);
                assertClose(fdQ, g.q()[c][j], FD_TOLERANCE, "d/dq[" + c + "][" + j + "]");
            }
            for (int j = 0; j < p.l[c].length; j++) {
                int jj = j;
                double fdL = derivative(v -> {
                    double[][] l = copy(p.l);
                    l[cc][jj] = v;
                    return Gmm.objective(p.alpha, p.mu, p.q, l, p.x, p.gamma, p.m);
                }, p.l[c][j]);
                assertClose(fdL, g.l()[c][j], FD_TOLERANCE, "d/dl[" + c + "][" + j + "]");
            }
        }
    }

    /** With d = 1, k = 1, one point at the mean and q = 0, the objective is the prior's closed form alone. */
    @Test
    void oneDimensionalObjectiveIsItsClosedForm() {
        double gamma = 2.0;
        int m = 1;
        double f = Gmm.objective(new double[] {0.3}, new double[][] {{0.5}}, new double[][] {{0}},
                new double[][] {{}}, new double[][] {{0.5}}, gamma, m);
        // −½ log 2π + (α + 0 − 0) − α − ½γ²·1 + m·0 + C, with ν = 3: C = 3 (log γ − ½ log 2) − log Γ(3/2)
        double logGammaThreeHalves = Math.log(Math.sqrt(Math.PI) / 2);
        double expected = -0.5 * Math.log(2 * Math.PI) - 0.5 * gamma * gamma
                + 3 * (Math.log(gamma) - 0.5 * Math.log(2)) - logGammaThreeHalves;
        assertClose(expected, f, 1e-14, "objective");
    }

    /** GradBench's workload 2_5_1000: our objective and gradient against the manual tool's, to 1e-10. */
    @Test
    void recordedWorkloadMatchesReference() throws BadInput {
        JsonNode w = Checks.workload("gmm/gmm_2_5_1000.json");
        GmmEval eval = new GmmEval();
        double f = (Double) eval.prepare("objective", w.get("input")).run();
        assertClose(w.at("/expected/objective").asDouble(), f, 1e-10, "objective");
        @SuppressWarnings("unchecked")
        Map<String, Object> j = (Map<String, Object>) eval.prepare("jacobian", w.get("input")).run();
        JsonNode expected = w.at("/expected/jacobian");
        assertEquals(4, j.size());
        double[] alpha = (double[]) j.get("alpha");
        for (int c = 0; c < alpha.length; c++) {
            assertClose(expected.get("alpha").get(c).asDouble(), alpha[c], 1e-10, "alpha[" + c + "]");
        }
        for (String name : new String[] {"mu", "q", "l"}) {
            double[][] got = (double[][]) j.get(name);
            assertEquals(expected.get(name).size(), got.length, name);
            for (int c = 0; c < got.length; c++) {
                assertEquals(expected.get(name).get(c).size(), got[c].length, name + "[" + c + "]");
                for (int i = 0; i < got[c].length; i++) {
                    assertClose(expected.get(name).get(c).get(i).asDouble(), got[c][i], 1e-10,
                            name + "[" + c + "][" + i + "]");
                }
            }
        }
    }
}
