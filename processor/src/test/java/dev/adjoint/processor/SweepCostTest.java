package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Grad;
import org.junit.jupiter.api.Test;

/**
 * What the reverse sweep does again or keeps, where the benchmarks found it doing more than a hand-written adjoint:
 * an expensive function whose value an array element takes is stored, not called again; a loop bounded by a row's
 * length is a counted loop (run backwards, no trip count kept) when no row can be rebound. Each with the gradient
 * checked.
 */
class SweepCostTest {

    private static String source(String params, String body) {
        return """
                package cost;

                import dev.adjoint.Differentiable;

                class C {
                    @Differentiable(wrt = "w")
                    static double f(%s) {
                %s
                    }
                }
                """.formatted(params, body);
    }

    /** The gradient method (the {@code f(..., out)} overload). */
    private static String gradientMethod(Grad g) {
        String s = g.compilation().generatedSource("cost.CGrad");
        int start = s.indexOf("public static FGradient f(", s.indexOf("public static FGradient f(") + 1);
        return s.substring(start, s.indexOf("\n    }\n", start));
    }

    /** @return how many lines of code (not comment lines) hold {@code needle} */
    private static long codeLines(String method, String needle) {
        return method.lines().map(String::strip).filter(l -> !l.startsWith("//") && l.contains(needle)).count();
    }

    @Test
    void anElementThatTakesAnExpensiveFunctionsValueHasItStoredNotRecomputed() {
        Grad g = grad(source("double[] w, double[] x", """
                        double[] h = new double[w.length];
                        double s = 0;
                        for (int j = 0; j < w.length; j++) {
                            h[j] = Math.tanh(w[j] * x[j]);
                            s = s * 0.5 + h[j] * h[j];
                        }
                        return s;"""), "f");
        String m = gradientMethod(g);
        // one call of tanh, in the forward sweep; the reverse sweep reads the value back
        assertEquals(1, codeLines(m, "Math.tanh("), m);
        double[] w = {0.3, -0.8, 1.2};
        double[] x = {1.5, 0.5, -0.25};
        // s = Σ_j 0.5^(n-1-j) h_j², h_j = tanh(w_j x_j): ds/dw_j = 0.5^(n-1-j) 2 h_j (1 - h_j²) x_j
        double[] expected = new double[w.length];
        for (int j = 0; j < w.length; j++) {
            double h = Math.tanh(w[j] * x[j]);
            expected[j] = Math.pow(0.5, w.length - 1 - j) * 2 * h * (1 - h * h) * x[j];
        }
        assertClose("ds/dw", expected, g.grad(w, x).vector("w"), 1e-15);
        checkFd(g, r -> new Object[] {r.vector(4, -1, 1), r.vector(4, -1, 1)});
    }

    @Test
    void aLoopBoundedByARowsLengthIsCountedWhenNoRowIsRebound() {
        Grad g = grad(source("double[] w, double[][] x", """
                        double s = 1;
                        for (int i = 0; i < x.length; i++) {
                            double z = 0;
                            for (int k = 0; k < x[i].length; k++) {
                                z += w[k] * x[i][k];
                            }
                            s = s * Math.cos(z);
                        }
                        return s;"""), "f");
        String m = gradientMethod(g);
        assertTrue(m.contains("for (int k = x[i].length - 1; k >= 0; k--)"), m);
        assertFalse(m.contains("trips"), m);
        checkFd(g, r -> new Object[] {r.vector(3, -1, 1), r.matrix(4, 3, -1, 1)});
    }

    @Test
    void aLoopBoundedByARowsLengthCountsItsTripsWhenARowMayBeRebound() {
        // the rows are rebound in a copy of the matrix: the caller's x stays as it was
        Grad g = grad(source("double[] w, double[][] x", """
                        double[][] rows = new double[x.length][];
                        for (int i = 0; i < x.length; i++) {
                            rows[i] = x[i];
                        }
                        double s = 1;
                        for (int i = 0; i < rows.length; i++) {
                            double z = 0;
                            for (int k = 0; k < rows[i].length; k++) {
                                z += w[k] * rows[i][k];
                            }
                            s = s * Math.cos(z);
                            if (i + 1 < rows.length) {
                                rows[i + 1] = rows[0];
                            }
                        }
                        return s;"""), "f");
        assertTrue(gradientMethod(g).contains("trips"), gradientMethod(g));
        checkFd(g, r -> new Object[] {r.vector(3, -1, 1), r.matrix(4, 3, -1, 1)});
    }
}
