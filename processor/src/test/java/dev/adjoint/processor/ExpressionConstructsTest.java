package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.checkFd;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.adjoint.testing.Grad;
import org.junit.jupiter.api.Test;

/**
 * One test per expression construct of the supported subset: each compiles a small {@code @Differentiable} method
 * with {@code -Xlint:all,-processing -Werror} and checks its gradient against finite differences at seeded random
 * points.
 */
class ExpressionConstructsTest {

    @Test
    void literals() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Literals {
                    @Differentiable
                    static double f(double x) {
                        double a = 2.5 * x + 1e-3 * x * x - .5 * x + 3L * x + 0x10 * x + 1_000.0;
                        double b = 7 * x / 2.0 + 3. + 1.5e+1 * x - 2E-1;
                        return a * b + 0;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    @Test
    void arithmetic() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Arithmetic {
                    @Differentiable
                    static double f(double x, double y) {
                        return (x + y) * (x - y) / (1 + x * x) + x * y * y - y / x;
                    }
                }
                """, "f", r -> new Object[] {r.magnitude(0.5, 3), r.uniform(-3, 3)});
    }

    @Test
    void remainder() {
        // x % y = x − trunc(x/y)·y; with x/y kept in (1, 2) trunc is 1: ∂/∂x = 1, ∂/∂y = −1.
        Grad g = grad("""
                package expr;

                import dev.adjoint.Differentiable;

                class Remainder {
                    @Differentiable
                    static double f(double x, double y, int k) {
                        int m = k % 3;
                        return x % y * (m + 1) + (x * x) % 0.75;
                    }
                }
                """, "f");
        checkFd(g, r -> new Object[] {r.uniform(1.1, 1.4), r.uniform(0.8, 1.0), r.integer(0, 10)});
    }

    @Test
    void unaryMinusAndPlus() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Unary {
                    @Differentiable
                    static double f(double x, double y) {
                        double a = -x;
                        double b = -(x * y) + +y;
                        return -a * -b - -x * x;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    @Test
    void compoundAssignments() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Compound {
                    @Differentiable
                    static double f(double x, double y) {
                        double s = x;
                        s += y * y;
                        s -= x * y;
                        s *= x + 2;
                        s /= 1 + y * y;
                        s += s;
                        s *= s;
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.uniform(-2, 2)});
    }

    @Test
    void incrementAndDecrementOfInts() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class IntIncrements {
                    @Differentiable
                    static double f(double x, int n) {
                        int k = n;
                        k++;
                        ++k;
                        k--;
                        int j = k++ + --k;
                        long m = 5L;
                        m--;
                        return x * k + x * x * j - m * x;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.integer(-5, 5)});
    }

    @Test
    void incrementAndDecrementOfDoubles() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class DoubleIncrements {
                    @Differentiable
                    static double f(double x) {
                        double d = x * x;
                        d++;
                        ++d;
                        double e = d-- * x;
                        return e * --d;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2)});
    }

    @Test
    void conditionalExpression() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Conditional {
                    @Differentiable
                    static double f(double x, double y) {
                        double a = x > y ? x * x : y * y * y;
                        double b = x < 0 ? -x : (y > 1 ? x * y : x + y);
                        return a + b * (x * y > 0 ? 2 : 3);
                    }
                }
                """, "f", r -> {
                    double x = r.uniformAwayFrom(-2, 2, 0.1, 0);
                    double y = r.uniformAwayFrom(-2, 2, 0.1, 0, 1, x);
                    return new Object[] {x, y};
                });
    }

    @Test
    void comparisons() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Comparisons {
                    @Differentiable
                    static double f(double x, double y, int n) {
                        double s = 0;
                        if (x < y) {
                            s += x;
                        }
                        if (x <= y) {
                            s += y * y;
                        }
                        if (x > 0.5) {
                            s += x * y;
                        }
                        if (y >= -0.5) {
                            s -= y;
                        }
                        if (n == 2) {
                            s *= x;
                        }
                        if (n != 3) {
                            s += 2 * x;
                        }
                        if (x == y) {
                            s = 0;
                        }
                        if (x != x) {
                            s = 1;
                        }
                        return s;
                    }
                }
                """, "f", r -> {
                    double x = r.uniformAwayFrom(-2, 2, 0.1, 0.5);
                    double y = r.uniformAwayFrom(-2, 2, 0.1, -0.5, x);
                    return new Object[] {x, y, r.integer(1, 4)};
                });
    }

    @Test
    void logicalOperatorsAndBooleans() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Logical {
                    @Differentiable
                    static double f(double x, double y, boolean flip) {
                        boolean bigX = x > 1;
                        boolean positive = x > 0 && y > 0;
                        boolean either = x < -1 || y < -1;
                        double s = x * y;
                        if (positive && !flip) {
                            s += x * x;
                        }
                        if (either || flip && bigX) {
                            s *= y;
                        }
                        if (!(positive || either)) {
                            s -= Math.sin(x);
                        }
                        boolean t = true;
                        boolean f = false;
                        return (t && !f) == flip ? s : 2 * s;
                    }
                }
                """, "f", r -> new Object[] {r.uniformAwayFrom(-2, 2, 0.1, -1, 0, 1),
                    r.uniformAwayFrom(-2, 2, 0.1, -1, 0), r.bool()});
    }

    @Test
    void casts() {
        // (int) and (long) of an active value are constants: their derivative is zero.
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Casts {
                    @Differentiable
                    static double f(double x, int n, long m) {
                        int k = (int) (x * 3);
                        long j = (long) x;
                        double a = (double) n * x + (double) m * x * x;
                        double b = (int) (x * x) + j * x + k;
                        int i = (int) m;
                        long widened = n;
                        return a * b + i + widened / 2.0;
                    }
                }
                """, "f", r -> new Object[] {r.uniformAwayFrom(0.05, 2.95, 0.02, 0.3333333, 0.6666667, 1, 1.3333333,
                    1.4142136, 1.6666667, 2, 1.7320508, 2.3333333, 2.6666667), r.integer(-3, 3),
                    r.longInteger(-3, 3)});
    }

    @Test
    void ownStaticFinalConstants() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class OwnConstants {
                    static final double RATE = 0.3;
                    static final int STEPS = 4;
                    private static final double HALF = RATE / 0.6;

                    @Differentiable
                    static double f(double x) {
                        double s = x;
                        for (int i = 0; i < STEPS; i++) {
                            s = s - RATE * s * s + HALF * x;
                        }
                        return s;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-1, 1)});
    }

    @Test
    void jdkConstants() {
        Grad g = grad("""
                package expr;

                import dev.adjoint.Differentiable;

                class JdkConstants {
                    @Differentiable
                    static double f(double[] v, double x) {
                        double best = Double.NEGATIVE_INFINITY;
                        double least = Double.POSITIVE_INFINITY;
                        for (int i = 0; i < v.length; i++) {
                            if (v[i] > best) {
                                best = v[i];
                            }
                            if (v[i] < least) {
                                least = v[i];
                            }
                        }
                        double tiny = Double.MIN_VALUE * 0;
                        return best * Math.PI + least * Math.E + Math.sin(Math.PI * x) + tiny + Integer.MAX_VALUE / 1e9;
                    }
                }
                """, "f");
        // max and min of v: ∂/∂v is π at the largest element and e at the smallest.
        double[] v = {0.3, -1.2, 2.5, 0.7};
        Grad.Result r = g.grad(v, 0.25);
        assertClose("∂f/∂v", new double[] {0, Math.E, Math.PI, 0}, r.vector("v"), 1e-12);
        assertClose("∂f/∂x", Math.PI * Math.cos(Math.PI * 0.25), r.scalar("x"), 1e-12);
        checkFd(g, p -> new Object[] {p.vector(5, -3, 3), p.uniform(-1, 1)});
    }

    @Test
    void explicitlyTypedAndVarLocals() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Locals {
                    @Differentiable
                    static double f(double x, double[] v) {
                        var a = x * 2;
                        var n = v.length;
                        var arr = new double[n];
                        double b;
                        b = a * a;
                        int i;
                        for (i = 0; i < n; i++) {
                            var t = v[i] * b;
                            arr[i] = t;
                        }
                        final double c = a + b;
                        var sum = 0.0;
                        for (var e : arr) {
                            sum += e * c;
                        }
                        long count = n;
                        var mean = sum / count;
                        return mean;
                    }
                }
                """, "f", r -> new Object[] {r.uniform(-2, 2), r.vector(3, -1, 1)});
    }

    @Test
    void intLongAndBooleanParametersAreNotDifferentiated() {
        Grad g = grad("""
                package expr;

                import dev.adjoint.Differentiable;

                class MixedTypes {
                    @Differentiable
                    static double f(int n, double x, long m, boolean b, double y) {
                        double s = b ? x : y;
                        return s * n + m * x * y;
                    }
                }
                """, "f");
        assertEquals(java.util.List.of("x", "y"), g.differentiated());
        checkFd(g, r -> new Object[] {r.integer(-3, 3), r.uniform(-2, 2), r.longInteger(-3, 3), r.bool(),
            r.uniform(-2, 2)});
    }

    @Test
    void parenthesesAndPrecedence() {
        checkFd("""
                package expr;

                import dev.adjoint.Differentiable;

                class Precedence {
                    @Differentiable
                    static double f(double x, double y) {
                        return x - y - x * y / x * y + (x - (y - x)) * ((x)) - x / y / 2;
                    }
                }
                """, "f", r -> new Object[] {r.magnitude(0.5, 2), r.magnitude(0.5, 2)});
    }
}
