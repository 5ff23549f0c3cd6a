package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import org.junit.jupiter.api.Test;

/**
 * Three passes that change where a value lives, not what it is: scalar accumulators (optimise.ScalarAccumulators: an
 * element a loop adds into at a fixed index is kept in a local for the loop), loop-invariant hoisting
 * (lower.LoopInvariants: an expensive call a loop does not change is computed once, before it) and cheap recompute
 * (analysis.Tbr: a trip's local computed cheaply from what does not change is computed again by the reverse sweep,
 * not saved). Each test reads the
 * generated code for what the pass did or must not do, and checks the numbers against a closed form and central
 * differences, the JVP against the gradient included.
 */
class OptimisePassesTest {
    private static final String KEPT = "scalar accumulator: the loop adds into ";
    private static final String HOISTED = "// loop-invariant: computed once, before the loop over ";

    private static String source(String wrt, String params, String body) {
        return """
                package opt;

                import dev.adjoint.Differentiable;

                class T {
                    @Differentiable(wrt = {%s})
                    static double f(%s) {
                %s
                    }
                }
                """.formatted(wrt, params, body);
    }

    private static String generated(Grad g) {
        return g.compilation().generatedSource("opt.TGrad");
    }

    @Test
    void anElementAddedIntoAtAFixedIndexIsKeptInALocalForTheLoop() {
        // f = Σ_i Σ_j<i w_j x_i x_j, the products kept in acc[i]: d f / d w_j = x_j Σ_i>j x_i
        Grad g = grad(source("\"w\"", "double[] w, double[] x", """
                        int n = x.length;
                        double[] acc = new double[n];
                        for (int i = 0; i < n; i++) {
                            for (int j = 0; j < i; j++) {
                                acc[i] += w[j] * x[j];
                            }
                        }
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += acc[i] * x[i];
                        }
                        return s;"""), "f");
        String code = generated(g);
        // the forward sweep adds into acc[i] at the same i in every trip of the loop over j
        assertTrue(code.contains(KEPT + "acc[i] in every trip, so it is kept in accI"), code);
        assertTrue(code.contains("double accI = acc[i];") && code.contains("acc[i] = accI;"), code);
        assertTrue(code.contains("if (0 < i) {"), code);
        double[] w = {0.4, -1.3, 0.7, 2.0};
        double[] x = {1.5, -0.5, 0.25, -2.0};
        double[] expected = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            for (int i = j + 1; i < x.length; i++) {
                expected[j] += x[j] * x[i];
            }
        }
        assertClose("df/dw", expected, g.grad(w, x).vector("w"), 1e-15);
        checkFd(g, r -> new Object[] {r.vector(5, -1, 1), r.vector(5, -1, 1)});
    }

    @Test
    void aParametersAdjointIsKeptWhereItsIndexIsFixedAndNotWhereTheSameArrayIsTouchedAtAMovingIndex() {
        // f = Σ_j (w[k] x_j² + v[j] x_j): wBar[k] takes a term every trip at the same k, vBar[j] at a moving j
        Grad g = grad(source("\"w\", \"v\"", "double[] w, double[] v, double[] x, int k", """
                        double s = 0;
                        for (int j = 0; j < x.length; j++) {
                            s += w[k] * x[j] * x[j] + v[j] * x[j];
                        }
                        return s;"""), "f");
        String code = gradientMethod(generated(g));
        assertTrue(code.contains(KEPT + "wBar[k] in every trip"), code);
        assertFalse(code.contains(KEPT + "vBar[j]"), code);
        double[] w = {0.5, 1.5, -2.5};
        double[] v = {0.25, -0.75, 1.25};
        double[] x = {2.0, -1.0, 3.0};
        Grad.Result res = g.grad(w, v, x, 1);
        assertClose("df/dw", new double[] {0, 14.0, 0}, res.vector("w"), 1e-15);
        assertClose("df/dv", x, res.vector("v"), 0);

        // wBar[k] and wBar[j] may be one element (k = j): neither is kept
        Grad same = grad(source("\"w\"", "double[] w, double[] x, int k", """
                        double s = 0;
                        for (int j = 0; j < x.length; j++) {
                            s += w[k] * x[j] * x[j] + w[j] * x[j];
                        }
                        return s;"""), "f");
        assertFalse(gradientMethod(generated(same)).contains(KEPT), generated(same));
        assertClose("df/dw, k = j possible", new double[] {2.0, -1.0 + 14.0, 3.0},
                same.grad(w, x, 1).vector("w"), 1e-15);
    }

    @Test
    void anArrayAnotherVariableMayHoldIsNotKeptAndItsGradientIsRight() {
        // b is a: the element b[0] written in the loop is a[0], which the loop also reads through a
        Grad g = grad(source("\"w\"", "double[] w", """
                        double[] a = new double[w.length];
                        double[] b = a;
                        for (int j = 0; j < w.length; j++) {
                            b[0] += w[j] * w[j];
                            a[j] += a[0] * w[j];
                        }
                        return a[w.length - 1] + b[0];"""), "f");
        String code = generated(g);
        assertFalse(code.contains(KEPT), code);
        checkFd(g, r -> new Object[] {r.vector(4, -1, 1)});
    }

    @Test
    void anEmptyLoopDoesNotReadTheElementItWouldHaveAddedInto() {
        // k = acc.length is out of range, read only by a loop with no trips: nothing may throw
        Grad g = grad(source("\"w\"", "double[] w, int trips", """
                        double[] acc = new double[w.length];
                        int k = trips == 0 ? acc.length : 0;
                        for (int j = 0; j < trips; j++) {
                            acc[k] += w[j] * w[j];
                        }
                        double s = 0;
                        for (int j = 0; j < w.length; j++) {
                            s += acc[j] + 3 * w[j];
                        }
                        return s;"""), "f");
        assertTrue(generated(g).contains(KEPT), generated(g));
        double[] w = {0.5, -1.5};
        assertClose("df/dw with no trips", new double[] {3.0, 3.0}, g.grad(w, 0).vector("w"), 0);
        assertClose("df/dw with two trips", new double[] {1.0 + 3.0, -3.0 + 3.0}, g.grad(w, 2).vector("w"), 1e-15);
    }

    @Test
    void anInvariantExpensiveCallIsComputedOnceBeforeItsLoop() {
        // the present value of cash flows at one rate: PV = exp(-r t) Σ c_j, dPV/dr = -t PV, dPV/dt = -r PV
        Grad g = grad(source("\"r\", \"t\"", "double r, double t, double[] cash", """
                        double pv = 0;
                        for (int j = 0; j < cash.length; j++) {
                            pv += Math.exp(-r * t) * cash[j];
                        }
                        return pv;"""), "f");
        String code = generated(g);
        assertTrue(code.contains("double expOfR = Math.exp(-r * t); " + HOISTED + "j"), code);
        assertEquals(1, count(withoutComments(gradientMethod(code)), "Math.exp("), "once in the gradient:\n" + code);
        double r = 0.03;
        double t = 2.5;
        double[] cash = {100, -20, 35.5, 7};
        double pv = Math.exp(-r * t) * (100 - 20 + 35.5 + 7);
        Grad.Result res = g.grad(r, t, cash);
        assertClose("PV", pv, res.value(), 1e-15);
        assertClose("dPV/dr", -t * pv, res.scalar("r"), 1e-14);
        assertClose("dPV/dt", -r * pv, res.scalar("t"), 1e-14);
        checkFd(g, rnd -> new Object[] {rnd.uniform(-1, 1), rnd.uniform(0.1, 2), rnd.vector(6, -1, 1)});
    }

    @Test
    void anEmptyLoopGivesNoDerivativeOfItsHoistedCallNotEvenWhereThatDerivativeIsInfinite() {
        // d log(v)/dv = 1/v is infinite at v = 0; with no trips the loop contributes nothing, so dF/dv is 2v = 0
        Grad g = grad(source("\"v\"", "double v, double[] x", """
                        double s = v * v;
                        for (int j = 0; j < x.length; j++) {
                            s += Math.log(v) * x[j];
                        }
                        return s;"""), "f");
        assertTrue(generated(g).contains(HOISTED), generated(g));
        Grad.Result res = g.grad(0.0, new double[0]);
        assertEquals(0.0, res.value());
        assertEquals(0.0, res.scalar("v"), "no 0 · ∞ from the loop that did not run");
        assertClose("dF/dv", 2 * 1.5 + 1 / 1.5 * (2 - 1), g.grad(1.5, new double[] {2, -1}).scalar("v"), 1e-15);
    }

    @Test
    void aCallSomeTripsSkipOrWhoseArgumentsTheLoopChangesStaysInTheLoop() {
        Grad g = grad(source("\"v\", \"w\"", "double v, double[] w, double[] x", """
                        double s = 0;
                        double u = v;
                        double[] z = new double[x.length];
                        z[0] = w[0];
                        for (int j = 0; j < x.length; j++) {
                            if (x[j] > 0) {
                                s += Math.log(v) * x[j];
                            }
                            s += x[j] > 0.5 ? Math.exp(v) : 0.0;
                            s += Math.sin(u) * x[j];
                            u = u + 0.5;
                            z[j] = Math.cos(z[0]) * x[j] + z[j];
                        }
                        return s + z[z.length - 1];"""), "f");
        String code = generated(g);
        assertFalse(code.contains(HOISTED), code);
        // at v = 0 no x_j is positive: the log's infinite derivative is never taken
        double[] x = {-1.0, -0.25};
        Grad.Result res = g.grad(0.0, new double[] {0.3, 0.6}, x);
        assertTrue(Double.isFinite(res.scalar("v")), res.toString());
        GradientCheck.of(g).tolerance(1e-6).at(0.7, new double[] {0.3, 0.6, -0.2}, new double[] {0.8, -0.3, 0.4})
                .at(1.2, new double[] {-0.1, 0.2, 0.9}, new double[] {0.2, 0.6, -1.0}).assertPassed();
    }

    @Test
    void aHoistedElementIsOneTheLoopCannotChange() {
        // sin(w[0]) is hoisted out of the first loop, which writes no element; not out of the second, which does
        Grad g = grad(source("\"w\"", "double[] w, double[] x", """
                        double s = 0;
                        for (int j = 0; j < x.length; j++) {
                            s += Math.sin(w[0]) * x[j];
                        }
                        double[] z = new double[x.length];
                        for (int j = 0; j < x.length; j++) {
                            z[j] = Math.sin(w[0]) * x[j];
                            s += z[j] * z[j];
                        }
                        return s;"""), "f");
        String code = generated(g);
        assertEquals(1, count(gradientMethod(code), HOISTED), code);
        checkFd(g, r -> new Object[] {r.vector(2, -1, 1), r.vector(4, -1, 1)});
    }

    @Test
    void aCheapLocalOfAStepIsComputedAgainByTheReverseSweepNotSaved() {
        // f(a) = Π_j (1 + a u_j) with u_j = x_j · scale: df/da = Σ_j u_j Π_{i≠j} (1 + a u_i)
        Grad g = grad(source("\"a\"", "double a, double[] x, double scale", """
                        double p = 1;
                        for (int j = 0; j < x.length; j++) {
                            double u = x[j] * scale;
                            p = p * (1 + a * u);
                        }
                        return p;"""), "f");
        String m = gradientMethod(generated(g));
        assertTrue(m.contains("// cheap recompute: u computed again from what does not change, not saved"), m);
        assertFalse(m.contains("pushDouble(u)"), m);
        double a = 0.7;
        double scale = 1.5;
        double[] x = {0.2, -0.4, 1.1, 0.35};
        double expected = 0;
        for (int j = 0; j < x.length; j++) {
            double term = x[j] * scale;
            for (int i = 0; i < x.length; i++) {
                if (i != j) {
                    term *= 1 + a * x[i] * scale;
                }
            }
            expected += term;
        }
        assertClose("df/da", expected, g.grad(a, x, scale).scalar("a"), 1e-14);
        checkFd(g, r -> new Object[] {r.uniform(-1, 1), r.vector(5, -1, 1), r.uniform(0.5, 2)});
    }

    @Test
    void aLocalReadingWhatChangesIsSavedAsBefore() {
        // u reads z, whose elements the method writes, and v reads t, which the loop assigns: both are saved
        Grad g = grad(source("\"a\"", "double a, double[] x", """
                        double[] z = new double[x.length];
                        double p = 1;
                        double t = 0.5;
                        for (int j = 0; j < x.length; j++) {
                            z[j] = x[j] * a;
                            double u = z[j] * 2;
                            double v = t * 3;
                            p = p * (1 + a * u) + Math.sin(a * v);
                            t = t + x[j];
                        }
                        return p;"""), "f");
        String m = gradientMethod(generated(g));
        assertFalse(m.contains("cheap recompute"), m);
        checkFd(g, r -> new Object[] {r.uniform(-1, 1), r.vector(4, -1, 1)});
    }

    private static String gradientMethod(String code) {
        int start = code.indexOf("public static FGradient f(", code.indexOf("public static FGradient f(") + 1);
        return code.substring(start, code.indexOf("\n    }\n", start));
    }

    /** The code without its comments, which quote the statements they reverse. */
    private static String withoutComments(String code) {
        StringBuilder out = new StringBuilder();
        for (String line : code.split("\n")) {
            int comment = line.indexOf("//");
            out.append(comment < 0 ? line : line.substring(0, comment)).append('\n');
        }
        return out.toString();
    }

    private static int count(String s, String what) {
        int n = 0;
        for (int at = s.indexOf(what); at >= 0; at = s.indexOf(what, at + 1)) {
            n++;
        }
        return n;
    }
}
