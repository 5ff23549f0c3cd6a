package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.adjoint.testing.Grad;
import org.junit.jupiter.api.Test;

/** Statements and control flow: branches, every loop form, jumps, early returns, blocks, guards, reassignment. */
class ControlFlowTest {

    @Test
    void ifElseChains() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class IfElse {
                    @Differentiable
                    static double f(double x, double y) {
                        double s;
                        if (x < -1) {
                            s = x * x * y;
                        } else if (x < 0) {
                            s = Math.sin(x) + y;
                            if (y > 0) {
                                s *= y;
                            } else {
                                s -= y * y;
                            }
                        } else if (x < 1) {
                            s = Math.exp(x * y);
                        } else {
                            s = x / y;
                        }
                        if (s > 100) s = 100 + Math.log(s);
                        else s = s * 1.5;
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniformAwayFrom(-2, 2, 0.1, -1, 0, 1), r.magnitude(0.3, 2)});
    }

    @Test
    void countedForLoops() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class ForLoops {
                    @Differentiable
                    static double f(double x, int n) {
                        double s = 0;
                        for (int i = 0; i < n; i++) {
                            s += Math.pow(x, i) / (i + 1);
                        }
                        for (int i = n - 1, j = 0; i >= 0; i -= 2, j++) {
                            s *= 1 + x / (i + j + 2);
                        }
                        double p = 1;
                        for (long k = 1; k <= 3; k++) {
                            p *= x + k;
                        }
                        for (int i = 0; i < 10; ++i) {
                            if (i % 3 == 0) {
                                s += p * 0.01;
                            }
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-0.9, 0.9), r.integer(0, 7)});
    }

    @Test
    void whileLoop() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class While {
                    @Differentiable
                    static double f(double x, int n) {
                        double s = x;
                        int i = 0;
                        while (i < n) {
                            s = s * Math.cos(s) + x;
                            i++;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1, 1), r.integer(0, 6)});
    }

    @Test
    void doWhileLoop() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class DoWhile {
                    @Differentiable
                    static double f(double x, int n) {
                        double s = 1;
                        int i = 0;
                        do {
                            s = s * x + i;
                            i++;
                        } while (i < n);
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1.5, 1.5), r.integer(0, 5)});
    }

    @Test
    void breakAndContinue() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class BreakContinue {
                    @Differentiable
                    static double f(double[] v, int stopAt) {
                        double s = 0;
                        for (int i = 0; i < v.length; i++) {
                            if (i % 2 == 1) {
                                continue;
                            }
                            if (i == stopAt) {
                                break;
                            }
                            s += v[i] * v[i];
                        }
                        int j = 0;
                        while (true) {
                            if (j >= v.length) {
                                break;
                            }
                            j++;
                            if (v[j - 1] < 0) {
                                continue;
                            }
                            s += Math.sqrt(v[j - 1]) * s;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.vector(7, -1, 1), r.integer(0, 8)});
    }

    @Test
    void labeledBreakAndContinue() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class Labeled {
                    @Differentiable
                    static double f(double[][] m, double limit) {
                        double s = 0;
                        outer:
                        for (int i = 0; i < m.length; i++) {
                            for (int j = 0; j < m[i].length; j++) {
                                if (m[i][j] < -0.5) {
                                    continue outer;
                                }
                                if (s > limit) {
                                    break outer;
                                }
                                s += m[i][j] * m[i][j] + s * 0.1;
                            }
                            s *= 1.1;
                        }
                        rows:
                        for (double[] row : m) {
                            for (double e : row) {
                                if (e > 0.8) {
                                    break rows;
                                }
                                s += e;
                            }
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.matrix(4, 4, -1, 1), r.uniform(1, 3)});
    }

    @Test
    void earlyReturnFromNestedLoops() {
        Grad g = grad("""
                package flow;

                import dev.adjoint.Differentiable;

                class EarlyReturn {
                    @Differentiable
                    static double f(double[][] m, double x) {
                        if (m.length == 0) {
                            return x * x;
                        }
                        double s = 0;
                        for (int i = 0; i < m.length; i++) {
                            for (int j = 0; j < m[i].length; j++) {
                                s += m[i][j] * x;
                                if (s > 2) {
                                    return s * s;
                                }
                                int k = 0;
                                while (k < 3) {
                                    if (s < -2) {
                                        return Math.exp(s);
                                    }
                                    k++;
                                    s -= 0.01 * x;
                                }
                            }
                        }
                        return -s;
                    }
                }
                """, "f");
        assertClose("empty m: ∂/∂x = 2x", 3, g.grad(new double[0][], 1.5).scalar("x"), 0);
        checkFd(g, r -> new Object[] {r.matrix(3, 3, -1, 1), r.uniform(-2, 2)});
    }

    @Test
    void returnInsideBranchesAndLoopsOfEveryForm() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class Returns {
                    @Differentiable
                    static double f(double x, int mode) {
                        double s = x;
                        int k = 0;
                        do {
                            s *= 1.5;
                            k++;
                            if (mode == 0) {
                                return s;
                            }
                        } while (k < 2);
                        for (double e : new double[] {x, x * x}) {
                            if (mode == 1) {
                                return e * s;
                            }
                        }
                        while (mode == 2) {
                            return Math.sin(s);
                        }
                        return mode == 3 ? s * s : -s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.integer(0, 4)});
    }

    @Test
    void nestedBlocksAndShadowFreeScopes() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class Blocks {
                    @Differentiable
                    static double f(double x, double y) {
                        double s = 0;
                        {
                            double t = x * y;
                            {
                                t *= t;
                                s += t;
                            }
                        }
                        {
                            double t = Math.sin(x);
                            s += t * y;
                        }
                        for (int i = 0; i < 2; i++) {
                            double t = s * 0.5;
                            s = t + x;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    static final String GUARDED = """
            package flow;

            import dev.adjoint.Differentiable;

            class Guarded {
                @Differentiable
                static double f(double[] v, double sigma) {
                    if (v.length == 0) {
                        throw new IllegalArgumentException("empty");
                    }
                    if (!(sigma > 0)) {
                        throw new IllegalArgumentException("sigma must be positive");
                    }
                    double s = 0;
                    for (double e : v) {
                        if (e != e) {
                            throw new ArithmeticException("NaN in v");
                        }
                        s += e * e;
                    }
                    return s / (2 * sigma * sigma) + Math.log(sigma) * v.length;
                }
            }
            """;

    @Test
    void throwAsAGuard() {
        Grad g = grad(GUARDED, "f");
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> g.grad(new double[0], 1.0));
        assertEquals("empty", empty.getMessage());
        IllegalArgumentException sigma = assertThrows(IllegalArgumentException.class,
                () -> g.grad(new double[] {1}, -1.0));
        assertEquals("sigma must be positive", sigma.getMessage());
        assertThrows(ArithmeticException.class, () -> g.grad(new double[] {1, Double.NaN}, 1.0));
        assertThrows(IllegalArgumentException.class, () -> g.gradInto(g.newResult(), new double[0], 1.0));
        checkFd(g, r -> new Object[] {r.vector(4, -1, 1), r.uniform(0.5, 2)});
    }

    @Test
    void reassignedParameters() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class Reassigned {
                    @Differentiable
                    static double f(double x, double y, int n) {
                        x = x * x;
                        x = Math.sin(x) + y;
                        y *= x;
                        n = n + 1;
                        for (int i = 0; i < n; i++) {
                            x = 0.5 * x + y;
                        }
                        return x * y;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1.5, 1.5), r.uniform(-1.5, 1.5), r.integer(0, 4)});
    }

    @Test
    void variableOverwrittenManyTimesInALoop() {
        checkFd("""
                package flow;

                import dev.adjoint.Differentiable;

                class FixedPoint {
                    @Differentiable
                    static double f(double x, double y) {
                        double t = x;
                        for (int i = 0; i < 50; i++) {
                            t = Math.sin(t) * 0.5 + y * Math.cos(x * t);
                        }
                        return t;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1, 1), r.uniform(-0.4, 0.4)});
    }

    @Test
    void dataDependentNewtonIteration() {
        // z ← z − (z² − a) / 2z until converged: the loop's trip count depends on a. dz/da = 1 / (2√a).
        Grad g = grad("""
                package flow;

                import dev.adjoint.Differentiable;

                class Newton {
                    @Differentiable
                    static double sqrt(double a) {
                        double z = a > 1 ? a : 1;
                        int iterations = 0;
                        while (Math.abs(z * z - a) > 1e-14 * a && iterations < 100) {
                            z = z - (z * z - a) / (2 * z);
                            iterations++;
                        }
                        return z;
                    }
                }
                """, "sqrt");
        for (double a : new double[] {0.25, 2, 9, 1234.5}) {
            assertClose("d√a/da", 1 / (2 * Math.sqrt(a)), g.grad(a).scalar("a"), 1e-8);
        }
        checkFd(g, r -> new Object[] {r.logUniform(0.1, 100)});
    }

    @Test
    void dataDependentSeriesUntilTermIsSmall() {
        // exp(x) by its Taylor series, summed until the term is negligible: d/dx = exp(x).
        Grad g = grad("""
                package flow;

                import dev.adjoint.Differentiable;

                class Series {
                    @Differentiable
                    static double exp(double x) {
                        double term = 1;
                        double sum = 1;
                        int k = 1;
                        while (Math.abs(term) > 1e-17 * Math.abs(sum)) {
                            term *= x / k;
                            sum += term;
                            k++;
                        }
                        return sum;
                    }
                }
                """, "exp");
        for (double x : new double[] {-2, -0.5, 0.3, 1, 3}) {
            assertClose("d/dx exp", Math.exp(x), g.grad(x).scalar("x"), 1e-10);
        }
        checkFd(g, r -> new Object[] {r.uniform(-3, 3)});
    }
}
