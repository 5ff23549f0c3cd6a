package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Grad;
import dev.adjoint.testing.RandomPoints;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Loops whose trips share nothing but accumulators with adjoints known before the loop are reversed trip by trip,
 * each trip's reverse right after it (transform.IndependentIterations): the generated code says so, puts nothing on
 * the tape for them, and gives the gradient central differences give. Loops that do not qualify are reversed as
 * before, and their gradients are right too.
 */
class IndependentIterationsTest {
    private static final String TRIP_BY_TRIP = "independent iterations: the trips share only";

    private static String source(String params, String body) {
        return """
                package trips;

                import dev.adjoint.Differentiable;

                class T {
                    @Differentiable(wrt = "w")
                    static double f(%s) {
                %s
                    }
                }
                """.formatted(params, body);
    }

    private static Grad compiled(String params, String body) {
        return grad(source(params, body), "f");
    }

    private static String generated(Grad g) {
        return g.compilation().generatedSource("trips.TGrad");
    }

    /** The gradient method (the {@code f(..., out)} overload): the part the pass changes. */
    private static String gradientMethod(Grad g) {
        String s = generated(g);
        int start = s.indexOf("public static FGradient f(", s.indexOf("public static FGradient f(") + 1);
        return s.substring(start, s.indexOf("\n    }\n", start));
    }

    private static Function<RandomPoints, Object[]> vectorAndMatrix(int n, int rows) {
        return r -> new Object[] {r.vector(n, -1, 1), r.matrix(rows, n, -1, 1)};
    }

    @Test
    void theMeanOfPerSampleLogSumExpsIsReversedTripByTripWithNothingKeptAcrossTrips() {
        Grad g = compiled("double[] w, double[][] x", """
                        int n = x.length;
                        double[] z = new double[w.length];
                        double total = 0;
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < w.length; j++) {
                                z[j] = Math.exp(w[j] * x[i][j]);
                            }
                            double s = 0;
                            for (int j = 0; j < w.length; j++) {
                                s += z[j];
                            }
                            total += Math.log(s);
                        }
                        return total / n;""");
        String m = gradientMethod(g);
        assertTrue(m.contains(TRIP_BY_TRIP + " total"), m);
        assertTrue(m.contains("double totalBarAtEnd = 1.0 / n;"), m);
        // z is written before it is read in every trip: no old element of it is saved; what the trip pushes (its exp
        // values, stored rather than computed again) its reverse pops, within the trip
        assertFalse(m.contains("pushDouble(z["), m);
        int loop = m.indexOf("for (int i = 0; i < n; i++)");
        assertEquals(-1, m.indexOf("tape.p", m.indexOf("double result")), m);
        assertTrue(loop > 0 && m.indexOf("tape.p") > loop, m);
        // d/dw_j = 1/n Σ_i x_ij exp(w_j x_ij) / Σ_k exp(w_k x_ik), in closed form
        double[] w = {0.3, -0.7, 1.1};
        double[][] x = {{0.5, -1.0, 0.25}, {-0.75, 0.2, 1.5}, {1.0, 0.0, -0.5}, {0.1, 0.9, -1.2}};
        double[] expected = new double[w.length];
        for (double[] row : x) {
            double s = 0;
            for (int k = 0; k < w.length; k++) {
                s += Math.exp(w[k] * row[k]);
            }
            for (int j = 0; j < w.length; j++) {
                expected[j] += row[j] * Math.exp(w[j] * row[j]) / s / x.length;
            }
        }
        assertClose("dC/dw", expected, g.grad(w, x).vector("w"), 1e-14);
        checkFd(g, vectorAndMatrix(3, 5));
    }

    @Test
    void severalAccumulatorsEachGetTheirOwnCoefficient() {
        Grad g = compiled("double[] w, double[][] x", """
                        double a = 0;
                        double b = 0;
                        for (int i = 0; i < x.length; i++) {
                            double dot = 1;
                            for (int j = 0; j < w.length; j++) {
                                dot = dot * Math.cos(w[j] * x[i][j]) + 0.1 * w[j];
                            }
                            a += dot * dot;
                            b = Math.sin(dot) + b;
                            if (dot > 0) {
                                a -= dot;
                            }
                        }
                        double scaled = 3 * a;
                        return scaled - b / x.length;""");
        String m = gradientMethod(g);
        assertTrue(m.contains(TRIP_BY_TRIP + " a, b"), m);
        assertTrue(m.contains("double aBarAtEnd = 3.0;"), m);
        assertTrue(m.contains("double bBarAtEnd = -1.0 / x.length;"), m);
        checkFd(g, r -> new Object[] {r.vector(3, -1, 1), r.matrix(6, 3, -1, 1)});
    }

    @Test
    void anAccumulatorScaledAfterTheLoopIsStillKnownBeforeIt() {
        // s = 2/n Σ_i p_i w_i + 1, p_i = Π_{k ≤ i} cos(w_k): the running product is saved at every inner trip
        Grad g = compiled("double[] w", """
                        double s = 0;
                        for (int i = 0; i < w.length; i++) {
                            double p = 1;
                            for (int k = 0; k <= i; k++) {
                                p = p * Math.cos(w[k]);
                            }
                            s += p * w[i];
                        }
                        s /= w.length;
                        s = 2 * s + 1;
                        return s;""");
        assertTrue(gradientMethod(g).contains(TRIP_BY_TRIP + " s"), gradientMethod(g));
        // ∂s/∂w_m = 2/n (p_m − tan(w_m) Σ_{i ≥ m} p_i w_i)
        double[] w = {0.4, -1.2, 0.9};
        double[] p = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            p[i] = (i == 0 ? 1 : p[i - 1]) * Math.cos(w[i]);
        }
        double[] expected = new double[w.length];
        for (int m = 0; m < w.length; m++) {
            double tail = 0;
            for (int i = m; i < w.length; i++) {
                tail += p[i] * w[i];
            }
            expected[m] = 2.0 / w.length * (p[m] - Math.tan(w[m]) * tail);
        }
        assertClose("df/dw", expected, g.grad((Object) w).vector("w"), 1e-14);
        checkFd(g, r -> new Object[] {r.vector(4, -1.2, 1.2)});
    }

    /** The pullback's seed is the caller's ȳ: the coefficients before the loop are written with it. */
    @Test
    void thePullbackScalesTheCoefficientsByTheCallersSeed() throws Exception {
        Grad g = compiled("double[] w, double[][] x", """
                        double cost = 0;
                        for (int i = 0; i < x.length; i++) {
                            double e = 0;
                            for (int j = 0; j < w.length; j++) {
                                e = e * Math.cos(w[j]) + x[i][j];
                            }
                            cost += Math.tanh(e) * Math.tanh(e);
                        }
                        return cost / x.length;""");
        String all = generated(g);
        assertTrue(all.contains("double costBarAtEnd = yBar / x.length;"), all);
        double[] w = {0.3, -0.6, 0.9};
        double[][] x = RandomPoints.seeded(11).matrix(7, 3, -1, 1);
        double[] gradient = g.grad(w, x).vector("w");
        // fPullback(w, x, yBar, wBar, xBar): it adds yBar·∂f/∂w into wBar (xBar null: not wanted)
        Method pullback = g.compilation().loadClass("trips.TGrad").getDeclaredMethod("fPullback", double[].class,
                double[][].class, double.class, double[].class, double[][].class);
        pullback.setAccessible(true); // package-private, as the class T is
        double[] wBar = {1.0, 2.0, 3.0};
        pullback.invoke(null, w, x, -2.5, wBar, null);
        for (int j = 0; j < w.length; j++) {
            assertClose("wBar after the pullback", (j + 1) - 2.5 * gradient[j], wBar[j], 1e-14);
        }
    }

    /** Lowering puts the code after an early return in a guard, if (!returned) { ... }: the loop in it qualifies. */
    @Test
    void aLoopAfterAnEarlyReturnIsReversedTripByTrip() {
        Grad g = compiled("double[] w, double[][] x", """
                        if (x.length == 0) {
                            return 0;
                        }
                        double[] z = new double[w.length];
                        double cost = 0;
                        for (int i = 0; i < x.length; i++) {
                            for (int j = 0; j < w.length; j++) {
                                z[j] = Math.tanh(w[j] * x[i][j]);
                            }
                            double e = 0;
                            for (int j = 0; j < w.length; j++) {
                                e += z[j] * z[j];
                            }
                            cost += Math.sqrt(e + 1);
                        }
                        return cost / x.length;""");
        String m = gradientMethod(g);
        assertTrue(m.contains(TRIP_BY_TRIP + " cost"), m);
        checkFd(g, vectorAndMatrix(3, 5));
        assertClose("no samples", 0.0, g.grad(new double[] {1, 2, 3}, new double[0][]).vector("w")[1], 0);
    }

    /** A double of the guarded block that the loop reads: its adjoint is declared before the forward sweep. */
    @Test
    void aLoopReadingAnActiveLocalOfTheGuardedBlockIsReversedTripByTrip() {
        Grad g = compiled("double[] w, double[][] x", """
                        if (x.length == 0) {
                            return 0;
                        }
                        double scale = Math.exp(w[0]);
                        double cost = 0;
                        for (int i = 0; i < x.length; i++) {
                            double e = scale * x[i][0];
                            for (int j = 0; j < x[i].length; j++) {
                                e = e * Math.cos(w[1] * x[i][j]);
                            }
                            cost += e * e;
                        }
                        return cost;""");
        String m = gradientMethod(g);
        assertTrue(m.contains(TRIP_BY_TRIP + " cost"), m);
        assertTrue(m.indexOf("double scaleBar = 0.0;") < m.indexOf("// Reverse sweep"), m);
        checkFd(g, r -> new Object[] {r.vector(2, -1, 1), r.matrix(5, 2, -1, 1)});
    }

    // ---------------------------------------------------------------- loops that do not qualify

    @Test
    void aSumWhoseAdjointReadsTheSumIsReversedAfterTheLoop() {
        Grad g = compiled("double[] w", """
                        double s = 0;
                        for (int i = 0; i < w.length; i++) {
                            s += w[i] * w[i];
                        }
                        return Math.log(s);""");
        assertFalse(gradientMethod(g).contains(TRIP_BY_TRIP), gradientMethod(g));
        double[] w = {0.5, -2.0, 1.5};
        double s = 0.25 + 4 + 2.25;
        assertClose("d log|w|²/dw", new double[] {2 * 0.5 / s, -4 / s, 3 / s}, g.grad((Object) w).vector("w"), 1e-15);
    }

    @Test
    void aScratchArrayReadBeforeItIsWrittenCarriesValuesFromTripToTrip() {
        Grad g = compiled("double[] w, double[][] x", """
                        double[] z = new double[w.length];
                        double total = 0;
                        for (int i = 0; i < x.length; i++) {
                            total += z[0] * x[i][0];
                            for (int j = 0; j < w.length; j++) {
                                z[j] = Math.sin(w[j] * x[i][j]);
                            }
                        }
                        return total;""");
        assertFalse(gradientMethod(g).contains(TRIP_BY_TRIP), gradientMethod(g));
        checkFd(g, vectorAndMatrix(3, 5));
    }

    @Test
    void aRecurrenceIsNotAnAccumulation() {
        Grad g = compiled("double[] w", """
                        double s = 1;
                        double total = 0;
                        for (int i = 0; i < w.length; i++) {
                            s = s * Math.cos(w[i]) + w[i];
                            total += s;
                        }
                        return total;""");
        assertFalse(gradientMethod(g).contains(TRIP_BY_TRIP), gradientMethod(g));
        checkFd(g, r -> new Object[] {r.vector(5, -2, 2)});
    }

    @Test
    void anArrayTheLoopFillsAndTheCodeAfterItReadsIsNotPrivateToATrip() {
        Grad g = compiled("double[] w", """
                        double[] out = new double[w.length];
                        double total = 0;
                        for (int i = 0; i < w.length; i++) {
                            out[i] = Math.exp(w[i]);
                            total += out[i];
                        }
                        return total * out[0];""");
        assertFalse(gradientMethod(g).contains(TRIP_BY_TRIP), gradientMethod(g));
        checkFd(g, r -> new Object[] {r.vector(4, -1, 1)});
    }

    @Test
    void aReturnInsideTheLoopKeepsItsOrdinaryReverse() {
        Grad g = compiled("double[] w", """
                        double total = 0;
                        for (int i = 0; i < w.length; i++) {
                            if (w[i] > 1.5) {
                                return total;
                            }
                            total += w[i] * w[i];
                        }
                        return 2 * total;""");
        assertFalse(gradientMethod(g).contains(TRIP_BY_TRIP), gradientMethod(g));
        checkFd(g, r -> new Object[] {r.vector(5, -2, 2)});
    }

    /** An alias of the scratch array, read in the loop, may see the previous trip's values. */
    @Test
    void anAliasOfTheScratchArrayKeepsTheLoopOrdinary() {
        Grad g = compiled("double[] w, double[][] x", """
                        double[] z = new double[w.length];
                        double[] view = z;
                        double total = 0;
                        for (int i = 0; i < x.length; i++) {
                            total += view[0] * x[i][0];
                            for (int j = 0; j < w.length; j++) {
                                z[j] = Math.sin(w[j] * x[i][j]);
                            }
                        }
                        return total;""");
        assertFalse(gradientMethod(g).contains(TRIP_BY_TRIP), gradientMethod(g));
        checkFd(g, vectorAndMatrix(3, 5));
    }

    /**
     * Two loops in a row that both qualify: the first saves a value at every trip of its inner loop and is reversed
     * trip by trip; the second saves nothing, so the ordinary two-pass layout, whose forward sweep runs as fast as
     * the primal, is kept for it.
     */
    @Test
    void onlyALoopThatSavesInsideAnInnerLoopIsReversedTripByTrip() {
        Grad g = compiled("double[] w, double[][] x", """
                        double fit = 0;
                        for (int i = 0; i < x.length; i++) {
                            double e = x[i][0];
                            for (int j = 0; j < w.length; j++) {
                                e = e * Math.cos(w[j]) - x[i][1];
                            }
                            fit += e * e;
                        }
                        double penalty = 0;
                        for (int j = 0; j < w.length; j++) {
                            penalty += Math.abs(w[j]);
                        }
                        return fit / x.length + 0.1 * penalty;""");
        String m = gradientMethod(g);
        assertEquals(1, m.split(TRIP_BY_TRIP, -1).length - 1, m);
        assertTrue(m.contains(TRIP_BY_TRIP + " fit"), m);
        checkFd(g, r -> new Object[] {r.vector(2, 0.1, 1), r.matrix(6, 2, -1, 1)});
    }

    /** The neuron's loop saves two values per sample and none in its inner loop: it keeps the two-pass layout. */
    @Test
    void aLoopThatSavesOnlyAFewValuesPerTripKeepsTheTwoPassLayout() {
        Grad g = compiled("double[] w, double[][] x", """
                        double cost = 0;
                        for (int i = 0; i < x.length; i++) {
                            double z = 0;
                            for (int j = 0; j < w.length; j++) {
                                z += w[j] * x[i][j];
                            }
                            double e = Math.max(0, z) - 1;
                            cost += e * e;
                        }
                        return cost / x.length;""");
        String m = gradientMethod(g);
        assertFalse(m.contains(TRIP_BY_TRIP), m);
        assertTrue(m.contains("tape.pushDouble(z);"), m);
        checkFd(g, r -> new Object[] {r.vector(3, -1, 1), r.matrix(6, 3, -1, 1)});
    }
}
