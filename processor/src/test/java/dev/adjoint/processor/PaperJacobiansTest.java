package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.RandomPoints;
import org.junit.jupiter.api.Test;

/**
 * The Jacobians of Parr and Howard's "The Matrix Calculus You Need For Deep Learning", exact, from methods returning
 * {@code double[]}: each one's {@code fJacobian} against the paper's closed form, and each checked by
 * {@link JacobianCheck} (finite differences column by column, forward against reverse mode, JVP and VJP against the
 * Jacobian) at seeded random points.
 */
class PaperJacobiansTest {
    private static final String SOURCE = """
            package paper;

            import dev.adjoint.Differentiable;

            class Jacobians {
                /** f(x, y) = [3x^2 y, 2x + y^8], the paper's first Jacobian. */
                @Differentiable
                static double[] f(double x, double y) {
                    return new double[] {3 * x * x * y, 2 * x + Math.pow(y, 8)};
                }

                /** The identity function y = x: J = I. */
                @Differentiable
                static double[] identity(double[] x) {
                    return x;
                }

                /** [ln(x^2), sin(3x)]: the vector chain rule gives [2/x, 3cos(3x)]. */
                @Differentiable
                static double[] chain(double x) {
                    double[] g = {x * x, 3 * x};
                    return new double[] {Math.log(g[0]), Math.sin(g[1])};
                }

                @Differentiable
                static double[] add(double[] w, double[] x) {
                    double[] y = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        y[i] = w[i] + x[i];
                    }
                    return y;
                }

                @Differentiable
                static double[] subtract(double[] w, double[] x) {
                    double[] y = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        y[i] = w[i] - x[i];
                    }
                    return y;
                }

                /** The Hadamard product w (x) x. */
                @Differentiable
                static double[] multiply(double[] w, double[] x) {
                    double[] y = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        y[i] = w[i] * x[i];
                    }
                    return y;
                }

                @Differentiable
                static double[] divide(double[] w, double[] x) {
                    double[] y = new double[w.length];
                    for (int i = 0; i < w.length; i++) {
                        y[i] = w[i] / x[i];
                    }
                    return y;
                }

                /** Scalar expansion: y = x + z. */
                @Differentiable
                static double[] plusScalar(double[] x, double z) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = x[i] + z;
                    }
                    return y;
                }

                /** Scalar expansion: y = x z. */
                @Differentiable
                static double[] timesScalar(double[] x, double z) {
                    double[] y = new double[x.length];
                    for (int i = 0; i < x.length; i++) {
                        y[i] = x[i] * z;
                    }
                    return y;
                }
            }
            """;

    private static final Compilation COMPILED = GradientTesting.compile(SOURCE);

    private static JacobianCheck check(String method, String... wrt) {
        return JacobianCheck.of(COMPILED, "paper.Jacobians", method, wrt);
    }

    @Test
    void firstJacobian() {
        JacobianCheck c = check("f", "x", "y");
        for (Object[] p : RandomPoints.points(8, 6, r -> new Object[] {r.uniform(-2, 2), r.uniform(-1.2, 1.2)})) {
            double x = (Double) p[0];
            double y = (Double) p[1];
            JacobianCheck.Result j = c.jacobian(x, y);
            // numerator layout: row i is output i; the block of x is the column d f / dx
            assertClose("df/dx", new double[] {6 * y * x, 2}, (double[]) j.get("x"), 1e-15);
            assertClose("df/dy", new double[] {3 * x * x, 8 * Math.pow(y, 7)}, (double[]) j.get("y"), 1e-14);
            c.at(x, y);
        }
        c.assertPassed();
    }

    @Test
    void identityGivesTheIdentityMatrix() {
        JacobianCheck c = check("identity", "x");
        double[][] j = (double[][]) c.jacobian(new double[] {0.5, -1, 2, 7}).get("x");
        for (int i = 0; i < 4; i++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(i == k ? 1.0 : 0.0, j[i][k], "I[" + i + "][" + k + "]");
            }
        }
        RandomPoints.points(9, 4, r -> new Object[] {r.vector(5, -3, 3)}).forEach(p -> c.at(p));
        c.assertPassed();
    }

    @Test
    void vectorChainRule() {
        JacobianCheck c = check("chain", "x");
        for (Object[] p : RandomPoints.points(10, 6, r -> new Object[] {r.uniformAwayFrom(-2, 2, 0.2, 0)})) {
            double x = (Double) p[0];
            assertClose("d[ln(x^2), sin(3x)]/dx", new double[] {2 / x, 3 * Math.cos(3 * x)},
                    (double[]) c.jacobian(x).get("x"), 1e-15);
            c.at(x);
        }
        c.assertPassed();
    }

    /** The element-wise operations of the paper's table: diagonal Jacobians for w and for x. */
    @Test
    void elementWiseOperationsHaveDiagonalJacobians() {
        for (Object[] p : RandomPoints.points(11, 4, r -> new Object[] {r.vector(4, -2, 2), r.vector(4, 0.5, 2)})) {
            double[] w = (double[]) p[0];
            double[] x = (double[]) p[1];
            diagonal("add", w, x, i -> 1.0, i -> 1.0);
            diagonal("subtract", w, x, i -> 1.0, i -> -1.0);
            diagonal("multiply", w, x, i -> x[i], i -> w[i]);
            diagonal("divide", w, x, i -> 1 / x[i], i -> -w[i] / (x[i] * x[i]));
        }
    }

    private static void diagonal(String method, double[] w, double[] x, java.util.function.IntToDoubleFunction dw,
            java.util.function.IntToDoubleFunction dx) {
        JacobianCheck c = check(method, "w", "x");
        JacobianCheck.Result j = c.jacobian(w, x);
        double[][] jw = (double[][]) j.get("w");
        double[][] jx = (double[][]) j.get("x");
        for (int i = 0; i < w.length; i++) {
            for (int k = 0; k < w.length; k++) {
                assertClose(method + " d/dw[" + i + "][" + k + "]", i == k ? dw.applyAsDouble(i) : 0.0, jw[i][k],
                        1e-15);
                assertClose(method + " d/dx[" + i + "][" + k + "]", i == k ? dx.applyAsDouble(i) : 0.0, jx[i][k],
                        1e-15);
            }
        }
        c.at(w, x).assertPassed();
    }

    /** Scalar expansion: d(x + z)/dz = 1 and d(xz)/dz = x, and the diagonals I and zI for x. */
    @Test
    void scalarExpansion() {
        for (Object[] p : RandomPoints.points(12, 4, r -> new Object[] {r.vector(3, -2, 2), r.uniform(-2, 2)})) {
            double[] x = (double[]) p[0];
            double z = (Double) p[1];
            JacobianCheck plus = check("plusScalar", "x", "z");
            assertClose("d(x + z)/dz", new double[] {1, 1, 1}, (double[]) plus.jacobian(x, z).get("z"), 0);
            JacobianCheck times = check("timesScalar", "x", "z");
            JacobianCheck.Result j = times.jacobian(x, z);
            assertClose("d(xz)/dz", x, (double[]) j.get("z"), 0);
            double[][] jx = (double[][]) j.get("x");
            for (int i = 0; i < 3; i++) {
                for (int k = 0; k < 3; k++) {
                    assertClose("d(xz)/dx[" + i + "][" + k + "]", i == k ? z : 0.0, jx[i][k], 0);
                }
            }
            plus.at(x, z).assertPassed();
            times.at(x, z).assertPassed();
        }
    }
}
