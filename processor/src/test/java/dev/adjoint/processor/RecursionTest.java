package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Recursion, direct and mutual: a recursive method of the entry points' signature is called through its generated
 * pullback and pushforward (docs/GENERATED-API.md), which call themselves once per level. Checked against closed
 * forms, central differences at seeded random points and forward against reverse mode ({@link GradientCheck}).
 */
class RecursionTest {
    private static final String MODEL = """
            package rec;

            import dev.adjoint.Differentiable;

            public class Model {
                /** x^n by recursion: the method calls itself. */
                @Differentiable
                public static double power(double x, int n) {
                    if (n == 0) {
                        return 1;
                    }
                    return x * power(x, n - 1);
                }

                /** Halves until below 1: a depth that depends on x itself, through a recursive helper. */
                static double shrink(double x) {
                    return x < 1 ? x : shrink(x / 2);
                }

                /** A continued fraction with two differentiated arguments, in a loop and from two places. */
                static double fraction(double a, double b, int depth) {
                    if (depth == 0) {
                        return b;
                    }
                    return a / (1 + fraction(a, b, depth - 1));
                }

                /** Two methods that call each other. */
                static double even(double x, double y, int n) {
                    return n == 0 ? x * y : odd(Math.sin(x), y, n - 1) + x;
                }

                static double odd(double x, double y, int n) {
                    return n == 0 ? x - y : even(x * y, Math.cos(y), n - 1);
                }

                @Differentiable
                static double mixed(double x, double a, double b) {
                    double s = shrink(x * x + 3) * 2;
                    for (int i = 0; i < 3; i++) {
                        s += fraction(a, b, i + 1) * x;
                    }
                    return s + fraction(b, a, 4) + even(x, a, 3) * odd(b, x, 2);
                }

                /** A deep linear recursion, to show the depth it can go and what happens past it. */
                @Differentiable
                public static double deep(double x, int n) {
                    return n == 0 ? x : Math.sin(deep(x, n - 1)) * 0.5 + x;
                }
            }
            """;

    private static final Compilation COMPILED = Javac.adjoint().strict().compile(MODEL).assertSucceeded();

    private static Grad grad(String method) {
        return Grad.of(COMPILED, "rec.Model", method);
    }

    private static void check(String method, long seed, Function<RandomPoints, Object[]> generator) {
        GradientCheck.of(grad(method)).atAll(RandomPoints.points(seed, 16, generator)).assertPassed(16, 0.1);
    }

    @Test
    void directRecursionHasTheClosedForm() {
        for (int n = 0; n <= 6; n++) {
            for (double x : new double[] {-1.7, 0.3, 2.5}) {
                Grad.Result r = grad("power").grad(x, n);
                assertClose("x^n", Math.pow(x, n), r.value(), 1e-13 * Math.max(1, Math.abs(Math.pow(x, n))));
                assertClose("n x^(n-1)", n == 0 ? 0 : n * Math.pow(x, n - 1), r.scalar("x"),
                        1e-13 * Math.max(1, Math.abs(n * Math.pow(x, n - 1))));
            }
        }
        check("power", 1, p -> new Object[] {p.uniform(-2, 2), p.random().nextInt(0, 7)});
    }

    @Test
    void helpersThatRecurseDirectlyAndMutually() {
        check("mixed", 2, p -> new Object[] {p.uniform(-3, 3), p.uniform(0.2, 2), p.uniform(0.2, 2)});
        // the recursive helper's own part: d/dx shrink(x² + 3)·2 = 2·2x / 2^k, k the halvings
        double x = 1.9;
        double v = x * x + 3;
        int k = 0;
        while (v >= 1) {
            v /= 2;
            k++;
        }
        double h = 1e-6;
        double rest = (partOf(x + h) - partOf(x - h)) / (2 * h);
        assertClose("∂/∂x", 4 * x / Math.pow(2, k) + rest, grad("mixed").grad(x, 0.7, 1.1).scalar("x"), 1e-6);
    }

    /** mixed(x, 0.7, 1.1) without its shrink term, evaluated here as Java does. */
    private static double partOf(double x) {
        double a = 0.7;
        double b = 1.1;
        double s = 0;
        for (int i = 0; i < 3; i++) {
            s += fraction(a, b, i + 1) * x;
        }
        return s + fraction(b, a, 4) + even(x, a, 3) * odd(b, x, 2);
    }

    private static double fraction(double a, double b, int depth) {
        return depth == 0 ? b : a / (1 + fraction(a, b, depth - 1));
    }

    private static double even(double x, double y, int n) {
        return n == 0 ? x * y : odd(Math.sin(x), y, n - 1) + x;
    }

    private static double odd(double x, double y, int n) {
        return n == 0 ? x - y : even(x * y, Math.cos(y), n - 1);
    }

    @Test
    void aThousandLevelsDeepOnTheDefaultStack() {
        check("deep", 3, p -> new Object[] {p.uniform(-2, 2), 1000});
        // by the recurrence: d_n = cos(v_{n-1})·d_{n-1}/2 + 1, d_0 = 1
        double x = 0.4;
        double value = x;
        double d = 1;
        for (int n = 1; n <= 1000; n++) {
            d = Math.cos(value) * d * 0.5 + 1;
            value = Math.sin(value) * 0.5 + x;
        }
        Grad.Result r = grad("deep").grad(x, 1000);
        assertClose("value", value, r.value(), 1e-14);
        assertClose("∂/∂x", d, r.scalar("x"), 1e-13);
    }

    @Test
    void pastTheStackIsOneClearException() throws Exception {
        Method pullback = COMPILED.loadClass("rec.ModelGrad").getMethod("deepPullback", double.class, int.class,
                double.class);
        Throwable[] thrown = {null};
        // a small stack, so that the primal's own depth is fine and its pullback's is not
        Thread t = new Thread(null, () -> {
            try {
                pullback.invoke(null, 0.4, 20_000, 1.0);
            } catch (InvocationTargetException e) {
                thrown[0] = e.getCause();
            } catch (ReflectiveOperationException e) {
                thrown[0] = e;
            }
        }, "small-stack", 256 << 10);
        t.start();
        t.join();
        assertTrue(thrown[0] instanceof IllegalStateException, () -> "got " + thrown[0]);
        assertTrue(thrown[0].getMessage().startsWith("Adjoint: the pullback of rec.Model.deep recursed deeper than "
                + "this thread's stack allows"), thrown[0].getMessage());
        assertTrue(thrown[0].getCause() instanceof StackOverflowError);
        assertEquals("small-stack", t.getName());
    }

    @Test
    void recursiveMethodsGetEntryPointsThatCallThemselves() {
        String generated = COMPILED.generatedSource("rec.ModelGrad");
        assertTrue(generated.contains("ModelGrad.powerPullback(x, n - 1, "), "the pullback calls itself");
        assertTrue(generated.contains("ModelGrad.oddPushforward("), "and mutually");
    }

    private static final String DET = """
            package det;

            import dev.adjoint.Differentiable;

            public final class Det {
                private Det() {}

                /** The determinant by expansion by minors along the first row, a new minor for each column. */
                @Differentiable
                public static double det(double[][] a) {
                    int n = a.length;
                    if (n == 1) {
                        return a[0][0];
                    }
                    double sum = 0;
                    for (int j = 0; j < n; j++) {
                        double[][] minor = new double[n - 1][n - 1];
                        for (int r = 1; r < n; r++) {
                            int c2 = 0;
                            for (int c = 0; c < n; c++) {
                                if (c != j) {
                                    minor[r - 1][c2] = a[r][c];
                                    c2++;
                                }
                            }
                        }
                        double sign = j % 2 == 0 ? 1 : -1;
                        sum += sign * a[0][j] * det(minor);
                    }
                    return sum;
                }

                /**
                 * The same on an ell-by-ell matrix in row-major order, as GradBench passes it, with one minor buffer
                 * overwritten for each column: the reverse sweep needs each minor as it was at its call.
                 */
                @Differentiable
                public static double detFlat(double[] a, int ell) {
                    if (ell == 1) {
                        return a[0];
                    }
                    double[] minor = new double[(ell - 1) * (ell - 1)];
                    double sum = 0;
                    for (int j = 0; j < ell; j++) {
                        int k = 0;
                        for (int r = 1; r < ell; r++) {
                            for (int c = 0; c < ell; c++) {
                                if (c != j) {
                                    minor[k++] = a[r * ell + c];
                                }
                            }
                        }
                        double term = a[j] * detFlat(minor, ell - 1);
                        sum = j % 2 == 0 ? sum + term : sum - term;
                    }
                    return sum;
                }

                /** A scalar and an array through one recursion: x times the sum of v's first n elements. */
                static double scaledSum(double x, double[] v, int n) {
                    return n == 0 ? 0 : x * v[n - 1] + scaledSum(x, v, n - 1);
                }

                @Differentiable
                static double useSum(double x, double[] v) {
                    return scaledSum(x * x, v, v.length) + scaledSum(x, v, 2);
                }
            }
            """;

    private static final Compilation DET_COMPILED = Javac.adjoint().strict().compile(DET).assertSucceeded();

    /** det by Gaussian elimination with partial pivoting: independent of the code under test. */
    private static double lu(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) {
            a[i] = m[i].clone();
        }
        double d = 1;
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(a[i][k]) > Math.abs(a[p][k])) {
                    p = i;
                }
            }
            if (p != k) {
                double[] t = a[p];
                a[p] = a[k];
                a[k] = t;
                d = -d;
            }
            d *= a[k][k];
            for (int i = k + 1; i < n; i++) {
                double f = a[i][k] / a[k][k];
                for (int j = k; j < n; j++) {
                    a[i][j] -= f * a[k][j];
                }
            }
        }
        return d;
    }

    /** ∂det/∂a[i][j] = (−1)^(i+j) det(minor ij), the cofactor. */
    private static double[][] cofactors(double[][] a) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                if (n == 1) {
                    c[i][j] = 1;
                    continue;
                }
                double[][] minor = new double[n - 1][n - 1];
                for (int r = 0, mr = 0; r < n; r++) {
                    if (r == i) {
                        continue;
                    }
                    for (int col = 0, mc = 0; col < n; col++) {
                        if (col != j) {
                            minor[mr][mc++] = a[r][col];
                        }
                    }
                    mr++;
                }
                c[i][j] = ((i + j) % 2 == 0 ? 1 : -1) * lu(minor);
            }
        }
        return c;
    }

    @Test
    void determinantByMinorsHasTheCofactorsAsGradient() {
        Grad det = Grad.of(DET_COMPILED, "det.Det", "det");
        Grad flat = Grad.of(DET_COMPILED, "det.Det", "detFlat");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(7);
        for (int n = 1; n <= 6; n++) {
            for (int trial = 0; trial < 3; trial++) {
                double[][] a = new double[n][n];
                double[] f = new double[n * n];
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        a[i][j] = rnd.nextDouble(-1, 1);
                        f[i * n + j] = a[i][j];
                    }
                }
                double[][] expected = cofactors(a);
                Grad.Result r = det.grad((Object) a);
                assertClose("det, n = " + n, lu(a), r.value(), 1e-12);
                assertClose("cofactors, n = " + n, expected, r.matrix("a"), 1e-12);
                Grad.Result rf = flat.grad(f, n);
                assertClose("flat det, n = " + n, lu(a), rf.value(), 1e-12);
                for (int i = 0; i < n; i++) {
                    for (int j = 0; j < n; j++) {
                        assertClose("flat cofactor " + i + "," + j, expected[i][j], rf.vector("a")[i * n + j], 1e-12);
                    }
                }
            }
        }
        GradientCheck.of(det).atAll(RandomPoints.points(8, 12, p -> new Object[] {p.matrix(4, 4, -1, 1)}))
                .assertPassed(12, 0.1);
        GradientCheck.of(flat).atAll(RandomPoints.points(9, 12, p -> new Object[] {p.vector(25, -1, 1), 5}))
                .assertPassed(12, 0.1);
    }

    @Test
    void aScalarAndAnArrayThroughOneRecursion() {
        Grad g = Grad.of(DET_COMPILED, "det.Det", "useSum");
        double x = 0.7;
        double[] v = {1.5, -2, 0.25};
        Grad.Result r = g.grad(x, v);
        // f = x²(v0 + v1 + v2) + x(v0 + v1): ∂/∂x = 2x Σv + (v0 + v1), ∂/∂v = (x² + x, x² + x, x²)
        assertClose("∂/∂x", 2 * x * (v[0] + v[1] + v[2]) + v[0] + v[1], r.scalar("x"), 1e-14);
        assertClose("∂/∂v", new double[] {x * x + x, x * x + x, x * x}, r.vector("v"), 1e-14);
        GradientCheck.of(g).atAll(RandomPoints.points(10, 12, p -> new Object[] {p.uniform(-2, 2),
            p.vector(4, -1, 1)})).assertPassed(12, 0.1);
    }
}
