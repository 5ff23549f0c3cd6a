package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Arrays: parameters of each array type, element reads and writes, lengths, allocation, initializers, for-each. */
class ArrayConstructsTest {

    @Test
    void vectorParameterElementReadsAndLength() {
        Grad g = grad("""
                package arrays;

                import dev.adjoint.Differentiable;

                class SumOfSquares {
                    @Differentiable
                    static double f(double[] x) {
                        double s = 0;
                        for (int i = 0; i < x.length; i++) {
                            s += x[i] * x[i];
                        }
                        return s + x[0] * x[x.length - 1];
                    }
                }
                """, "f");
        double[] x = {1, 2, 3};
        assertClose("∇f", new double[] {2 + 3, 4, 6 + 1}, g.grad((Object) x).vector("x"), 1e-12);
        checkFd(g, r -> new Object[] {r.vector(r.integer(1, 6), -2, 2)});
    }

    /**
     * A {@code ?:} between array initializers with active elements: each branch's initializer is expanded, so the
     * element written in the branch taken carries its derivative (it gave 0 before, found in review).
     */
    @Test
    void conditionalBetweenInitializers() {
        Grad g = grad("""
                package arrays;

                import dev.adjoint.Differentiable;

                class ChooseRow {
                    @Differentiable(wrt = "x")
                    static double f(double x, double c) {
                        double[] v = c > 0 ? new double[] {x, 1.0} : new double[] {2 * x, x * x};
                        return v[0] + 3 * v[1];
                    }
                }
                """, "f");
        GradientCheck.assertClose("df/dx, c > 0", 1.0, g.grad(0.7, 1.0).scalar("x"), 1e-15);
        GradientCheck.assertClose("df/dx, c <= 0", 2.0 + 6 * 0.7, g.grad(0.7, -1.0).scalar("x"), 1e-15);
        checkFd(g, r -> new Object[] {r.uniform(-2, 2), r.uniform(-1, 1)}).assertPassed();
    }

    @Test
    void matrixParameter() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class MatrixVector {
                    /** vᵀ·A·v + trace(A) over a possibly ragged A. */
                    @Differentiable
                    static double f(double[][] a, double[] v) {
                        double s = 0;
                        for (int i = 0; i < a.length; i++) {
                            double row = 0;
                            for (int j = 0; j < a[i].length; j++) {
                                row += a[i][j] * v[j];
                            }
                            s += v[i] * row;
                            if (i < a[i].length) {
                                s += a[i][i];
                            }
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.matrix(3, 3, -1, 1), r.vector(3, -1, 1)});
    }

    @Test
    void raggedMatrix() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Ragged {
                    @Differentiable
                    static double f(double[][] a) {
                        double s = 0;
                        for (int i = 0; i < a.length; i++) {
                            for (int j = 0; j < a[i].length; j++) {
                                s += Math.sin(a[i][j]) * (j + 1);
                            }
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {new double[][] {r.vector(1, -2, 2), r.vector(4, -2, 2), r.vector(2, -2, 2)}});
    }

    @Test
    void intArrayParameterAsIndices() {
        Grad g = grad("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Gather {
                    @Differentiable
                    static double f(double[] x, int[] idx, double[] weights) {
                        double s = 0;
                        for (int k = 0; k < idx.length; k++) {
                            s += weights[k] * x[idx[k]] * x[idx[k]];
                        }
                        return s + idx.length;
                    }
                }
                """, "f");
        assertEquals(List.of("x", "weights"), g.differentiated());
        checkFd(g, r -> new Object[] {r.vector(5, -2, 2), r.integers(7, 0, 4), r.vector(7, -1, 1)});
    }

    @Test
    void localArrayWritesAndReads() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class PrefixSums {
                    @Differentiable
                    static double f(double[] x) {
                        int n = x.length;
                        double[] p = new double[n];
                        p[0] = x[0];
                        for (int i = 1; i < n; i++) {
                            p[i] = p[i - 1] + x[i] * x[i];
                        }
                        return p[n - 1] * p[0] + p[n / 2];
                    }
                }
                """, "f", r -> new Object[] {r.vector(5, -2, 2)});
    }

    @Test
    void compoundAssignmentsAndIncrementsOfElements() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class ElementCompound {
                    @Differentiable
                    static double f(double[] x, double y) {
                        double[] a = new double[3];
                        int[] counts = new int[3];
                        for (int i = 0; i < x.length; i++) {
                            a[i % 3] += x[i] * y;
                            a[(i + 1) % 3] *= 1 + x[i] * x[i];
                            a[(i + 2) % 3] -= y;
                            a[i % 3] /= 1.5;
                            counts[i % 3]++;
                            a[i % 3]++;
                        }
                        return a[0] * counts[0] + a[1] * a[2];
                    }
                }
                """, "f", r -> new Object[] {r.vector(7, -1, 1), r.uniform(-1, 1)});
    }

    @Test
    void newMatrix() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class OuterProduct {
                    @Differentiable
                    static double f(double[] u, double[] v) {
                        double[][] m = new double[u.length][v.length];
                        for (int i = 0; i < u.length; i++) {
                            for (int j = 0; j < v.length; j++) {
                                m[i][j] = u[i] * v[j];
                            }
                        }
                        double s = 0;
                        for (int i = 0; i < m.length; i++) {
                            for (int j = 0; j < m[i].length; j++) {
                                s += m[i][j] * m[i][j] * (i - j);
                            }
                        }
                        return s * s + m[0][0];
                    }
                }
                """, "f", r -> new Object[] {r.vector(3, -1, 1), r.vector(4, -1, 1)});
    }

    @Test
    void arrayInitializers() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Initializers {
                    @Differentiable
                    static double f(double x, double y) {
                        double[] c = {1, -2, 0.5};
                        double[] v = {x, y, x * y};
                        double[] w = new double[] {y * y, Math.sin(x), 3};
                        double[][] m = {{x, y}, {y, -x}};
                        double[][] n = new double[][] {{1, 2}, {x * x, y}};
                        int[] perm = {2, 0, 1};
                        double s = 0;
                        for (int i = 0; i < 3; i++) {
                            s += c[i] * v[perm[i]] * w[i];
                        }
                        for (int i = 0; i < 2; i++) {
                            for (int j = 0; j < 2; j++) {
                                s += m[i][j] * n[j][i];
                            }
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    @Test
    void enhancedForOverVectorAndMatrix() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class ForEach {
                    @Differentiable
                    static double f(double[] v, double[][] m) {
                        double s = 0;
                        for (double e : v) {
                            s += e * e;
                        }
                        for (double[] row : m) {
                            double rowSum = 0;
                            for (double e : row) {
                                rowSum += Math.sin(e) * s;
                            }
                            s += rowSum * rowSum;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.vector(3, -1, 1), r.matrix(2, 3, -1, 1)});
    }

    @Test
    void elementOverwrittenManyTimesInLoops() {
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Overwrite {
                    @Differentiable
                    static double f(double[] x) {
                        double[] a = new double[2];
                        a[0] = 1;
                        for (int t = 0; t < 30; t++) {
                            for (int i = 0; i < x.length; i++) {
                                a[t % 2] = Math.sin(a[t % 2] + x[i]) * 0.9 + a[(t + 1) % 2] * x[i];
                            }
                        }
                        return a[0] + a[1];
                    }
                }
                """, "f", r -> new Object[] {r.vector(3, -1, 1)});
    }

    @Test
    void inPlaceRecurrenceOverALocalCopy() {
        // A smoothing sweep (Gauss–Seidel style) that overwrites its own array in place.
        checkFd("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Smoothing {
                    @Differentiable
                    static double f(double[] x, double alpha) {
                        int n = x.length;
                        double[] u = new double[n];
                        for (int i = 0; i < n; i++) {
                            u[i] = x[i];
                        }
                        for (int sweep = 0; sweep < 5; sweep++) {
                            for (int i = 1; i < n - 1; i++) {
                                u[i] = (1 - alpha) * u[i] + alpha * 0.5 * (u[i - 1] + u[i + 1]);
                            }
                        }
                        double e = 0;
                        for (int i = 0; i < n; i++) {
                            e += u[i] * u[i] * (i + 1);
                        }
                        return e;
                    }
                }
                """, "f", r -> new Object[] {r.vector(6, -1, 1), r.uniform(0.2, 0.8)});
    }

    @Test
    void aliasOfALocalArrayIsDifferentiatedOrRejected() {
        // Two names for one local array: the adjoints must alias too. Either right, or a clean compile error.
        Compilation c = Javac.adjoint().strict().compile("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Alias {
                    @Differentiable
                    static double f(double x) {
                        double[] a = new double[2];
                        double[] b = a;
                        a[0] = x;
                        b[1] = a[0] * x;
                        b[0] = b[0] * a[1];
                        return a[0] + b[1];
                    }
                }
                """);
        if (c.succeeded()) {
            checkFd(Grad.of(c, "arrays.Alias", "f"), r -> new Object[] {r.uniform(-2, 2)});
        } else {
            assertNull(c.crash(), c::report);
            assertFalse(c.errors().isEmpty(), c::report);
        }
    }

    @Test
    void vectorAndMatrixOfZeroLength() {
        Grad g = grad("""
                package arrays;

                import dev.adjoint.Differentiable;

                class Empty {
                    @Differentiable
                    static double f(double[] v, double[][] m, double x) {
                        double s = x * x;
                        for (double e : v) {
                            s += e;
                        }
                        for (double[] row : m) {
                            for (double e : row) {
                                s += e * x;
                            }
                        }
                        return s;
                    }
                }
                """, "f");
        Grad.Result r = g.grad(new double[0], new double[0][], 3.0);
        assertEquals(0, r.vector("v").length);
        assertEquals(0, r.matrix("m").length);
        assertClose("∂f/∂x", 6, r.scalar("x"), 0);
        Grad.Result r2 = g.grad(new double[0], new double[][] {{}, {2}}, 3.0);
        assertEquals(2, r2.matrix("m").length);
        assertEquals(0, r2.matrix("m")[0].length);
        assertClose("∂f/∂m", new double[][] {{}, {3}}, r2.matrix("m"), 0);
        assertClose("∂f/∂x", 8, r2.scalar("x"), 0);
    }
}
