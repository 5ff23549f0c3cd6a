package dev.adjoint.processor;

import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The JDK's array operations as numeric code uses them: {@code Arrays.fill}, {@code System.arraycopy},
 * {@code clone()}, {@code Arrays.copyOf} and {@code copyOfRange}, on arrays that carry derivatives. Lowering makes
 * them the loops they are, so each is checked against finite differences and forward against reverse mode
 * ({@link GradientCheck}: the value bit for bit, too), against a closed form where one is easy, and for the JDK's
 * own behaviour (exceptions, overlapping copies, shared rows).
 */
class ArrayOperationsTest {
    private static final String OPS = """
            package ops;

            import static java.util.Arrays.copyOf;

            import dev.adjoint.Differentiable;
            import java.util.Arrays;

            class Ops {
                /** Arrays.fill with an active value, whole and on a range, then reads. */
                @Differentiable
                static double filled(double x, double[] w, int n) {
                    double[] a = new double[n];
                    Arrays.fill(a, x * x);
                    Arrays.fill(a, 1, n - 1, Math.sin(x));
                    double s = 0;
                    for (int i = 0; i < n; i++) {
                        s += w[i] * a[i];
                    }
                    return s;
                }

                /** fill overwrites active elements (which must be saved); the operations on int[] too. */
                @Differentiable
                static double refilled(double[] v) {
                    double[] a = v.clone();
                    double s = 0;
                    for (int i = 0; i < a.length; i++) {
                        s += a[i] * a[i];
                    }
                    java.util.Arrays.fill(a, 0, a.length / 2, s);
                    int[] k = new int[a.length];
                    Arrays.fill(k, 2);
                    int[] k2 = Arrays.copyOfRange(k, 0, k.length + 1);
                    System.arraycopy(new int[] {1, 3}, 0, k2, k.length - 1, 2);
                    int[] k3 = k2.clone();
                    k3[0] = Arrays.copyOf(k3, 1)[0] + 1;
                    double t = 0;
                    for (int i = 0; i < a.length; i++) {
                        t += k3[i] * a[i] * v[i];
                    }
                    return t;
                }

                /** arraycopy from a parameter into a local buffer, with offsets. */
                @Differentiable
                static double copied(double[] x, double[] y) {
                    double[] buf = new double[x.length + y.length];
                    System.arraycopy(x, 0, buf, 0, x.length);
                    System.arraycopy(y, 0, buf, x.length, y.length);
                    double s = 0;
                    for (int i = 1; i < buf.length; i++) {
                        s += buf[i] * buf[i - 1];
                    }
                    return s;
                }

                /** A shift register: arraycopy within one array, both directions, as Java copies (as if through a temporary). */
                @Differentiable
                static double shifted(double[] x, int steps) {
                    double[] h = x.clone();
                    double s = 0;
                    for (int t = 0; t < steps; t++) {
                        System.arraycopy(h, 0, h, 1, h.length - 1);
                        h[0] = Math.tanh(s + h[1]);
                        s += h[h.length - 1] * h[0];
                        System.arraycopy(h, 1, h, 0, h.length - 1);
                        h[h.length - 1] = 0.5 * h[0];
                        s += h[0];
                    }
                    return s;
                }

                /** arraycopy within one array with positions known only when it runs. */
                @Differentiable
                static double moved(double[] x, int from, int to, int n) {
                    double[] h = Arrays.copyOf(x, x.length);
                    System.arraycopy(h, from, h, to, n);
                    double s = 0;
                    for (int i = 0; i < h.length; i++) {
                        s += (i + 1) * h[i] * h[i];
                    }
                    return s;
                }

                /** clone of a double[][] shares its rows; reading through it reads the parameter's rows. */
                @Differentiable
                static double rows(double[][] m, double[] v) {
                    double[][] c = m.clone();
                    double[] first = c[0];
                    c[0] = c[c.length - 1];
                    c[c.length - 1] = first;
                    double s = 0;
                    for (int i = 0; i < c.length; i++) {
                        for (int j = 0; j < v.length; j++) {
                            s += (i + 1) * c[i][j] * v[j];
                        }
                    }
                    return s;
                }

                /** Rows copied with arraycopy between matrices (row references, as Java copies them). */
                @Differentiable
                static double rowCopy(double[][] m) {
                    double[][] r = new double[m.length + 1][];
                    System.arraycopy(m, 0, r, 1, m.length);
                    r[0] = m[m.length - 1];
                    double s = 0;
                    for (int i = 0; i < r.length; i++) {
                        s += (i + 1) * r[i][0] * r[i][r[i].length - 1];
                    }
                    return s;
                }

                /** copyOf truncating and padding with zeros; copyOfRange; then the copies are written. */
                @Differentiable
                static double copies(double[] x, int n) {
                    double[] shorter = copyOf(x, x.length - 1); // statically imported
                    double[] longer = Arrays.copyOf(x, x.length + n);
                    double[] middle = Arrays.copyOfRange(x, 1, x.length - 1);
                    double[] past = Arrays.copyOfRange(x, x.length - 2, x.length + 2);
                    shorter[0] = shorter[0] * x[1];
                    longer[longer.length - 1] += Math.exp(x[0]);
                    double s = 0;
                    for (int i = 0; i < shorter.length; i++) {
                        s += shorter[i] * longer[i + 1];
                    }
                    for (double m : middle) {
                        s += m * m * m;
                    }
                    return s + past[0] * past[1] + past[2] + past[3] + longer[longer.length - 1];
                }

                /** The copies are fresh arrays: writing into them is no write into the parameter (no ADJ010). */
                @Differentiable
                static double writesIntoCopies(double[] x, double[][] m) {
                    double[] a = x.clone();
                    a[0] = a[0] * a[1];
                    double[] b = Arrays.copyOfRange(x, 0, 2);
                    b[1] = Math.cos(b[1]);
                    double[] row = m[0].clone();
                    row[0] = row[0] * 3;
                    return a[0] + b[1] + x[0] + row[0] + m[0][0];
                }

                /** A vector result built with the operations, for its Jacobian. */
                @Differentiable
                static double[] padded(double[] x, double c) {
                    double[] out = Arrays.copyOf(x, x.length + 2);
                    Arrays.fill(out, x.length, out.length, c);
                    double[] tail = new double[2];
                    System.arraycopy(out, 1, tail, 0, 2);
                    out[0] = tail[0] * tail[1];
                    return out;
                }
            }
            """;

    private static final Compilation COMPILED = Javac.adjoint().strict().compile(OPS).assertSucceeded();

    private static Grad grad(String method) {
        return Grad.of(COMPILED, "ops.Ops", method);
    }

    private static void check(String method, long seed, Function<RandomPoints, Object[]> generator) {
        GradientCheck.of(grad(method)).valueTolerance(0).atAll(RandomPoints.points(seed, 12, generator))
                .assertPassed(12, 0.2);
    }

    @Test
    void fillWithAnActiveValueWholeAndOnARange() {
        check("filled", 1, p -> new Object[] {p.uniform(-2, 2), p.vector(5, -1, 1), 5});
        // f = x² (w0 + w4) + sin x (w1 + w2 + w3)
        double x = 0.75;
        double[] w = {1, 2, 3, 4, 5};
        Grad.Result r = grad("filled").grad(x, w, 5);
        assertClose("∂/∂x", 2 * x * 6 + Math.cos(x) * 9, r.scalar("x"), 1e-15);
        assertClose("∂/∂w", new double[] {x * x, Math.sin(x), Math.sin(x), Math.sin(x), x * x}, r.vector("w"), 0);
    }

    @Test
    void fillOverwritesActiveElementsAndFillsIntArrays() {
        check("refilled", 2, p -> new Object[] {p.vector(6, -1, 1)});
    }

    @Test
    void arraycopyIntoALocalBufferWithOffsets() {
        check("copied", 3, p -> new Object[] {p.vector(3, -1, 1), p.vector(4, -1, 1)});
    }

    @Test
    void arraycopyWithinOneArrayInBothDirections() {
        check("shifted", 4, p -> new Object[] {p.vector(5, -1, 1), p.integer(0, 4)});
        // the value is Java's: the same method, run as written
        double[] x = {0.5, -0.25, 1, 0.125, -1};
        assertEquals(grad("shifted").f(x, 3), grad("shifted").grad(x, 3).value(), 0);
    }

    @Test
    void arraycopyWithinOneArrayAtPositionsKnownWhenItRuns() {
        // forwards, backwards, overlapping by one and by all but one, and n = 0
        check("moved", 5, p -> {
            int n = p.integer(0, 5);
            return new Object[] {p.vector(6, -1, 1), p.integer(0, 6 - n), p.integer(0, 6 - n), n};
        });
        // moving x[0..3] to x[1..4]: h = {x0, x0, x1, x2, x3, x5}
        double[] x = {1, 2, 3, 4, 5, 6};
        Grad.Result r = grad("moved").grad(x, 0, 1, 4);
        assertClose("∂/∂x", new double[] {2 * (1 + 2) * 1, 2 * 3 * 2, 2 * 4 * 3, 2 * 5 * 4, 0, 2 * 6 * 6},
                r.vector("x"), 0);
    }

    @Test
    void cloneOfAMatrixSharesItsRows() {
        check("rows", 6, p -> new Object[] {p.matrix(3, 2, -1, 1), p.vector(2, -1, 1)});
        // rows 0 and 2 swapped in the clone: row 0 of m weighs 3, row 2 weighs 1
        double[][] m = {{1, 2}, {3, 4}, {5, 6}};
        double[] v = {0.5, -1};
        Grad.Result r = grad("rows").grad(m, v);
        assertClose("∂/∂m", new double[][] {{1.5, -3}, {1, -2}, {0.5, -1}}, r.matrix("m"), 0);
    }

    @Test
    void arraycopyOfRowsBetweenMatrices() {
        check("rowCopy", 7, p -> new Object[] {p.matrix(3, 3, -1, 1)});
    }

    @Test
    void copyOfTruncatesAndPadsWithZerosAndCopyOfRangeSlices() {
        check("copies", 8, p -> new Object[] {p.vector(5, -1, 1), p.integer(1, 3)});
    }

    @Test
    void copiesAreFreshArrays() {
        check("writesIntoCopies", 9, p -> new Object[] {p.vector(3, -1, 1), p.matrix(2, 2, -1, 1)});
        double[] x = {2, 3, 4};
        double[][] m = {{1, 1}, {1, 1}};
        Grad.Result r = grad("writesIntoCopies").grad(x, m);
        assertClose("∂/∂x", new double[] {3 + 1, 2 - Math.sin(3), 0}, r.vector("x"), 1e-15);
        assertClose("∂/∂m", new double[][] {{4, 0}, {0, 0}}, r.matrix("m"), 0);
    }

    @Test
    void aVectorResultBuiltWithTheOperations() {
        JacobianCheck j = JacobianCheck.of(COMPILED, "ops.Ops", "padded", "x", "c");
        RandomPoints.points(10, 8, p -> new Object[] {p.vector(4, -1, 1), p.uniform(-1, 1)}).forEach(j::at);
        j.assertPassed();
    }

    /** The generated code holds the loops, not the calls, and checks the arguments as the JDK does. */
    @Test
    void theCallsAreLoopsThatThrowAsTheJdkDoes() {
        String generated = COMPILED.generatedSource("ops.OpsGrad");
        assertFalse(generated.contains("Arrays.fill("), "fill is a loop");
        assertFalse(generated.contains("System.arraycopy("), "arraycopy is a loop");
        assertFalse(generated.contains(".clone()"), "clone is a loop");
        assertFalse(generated.contains("Arrays.copyOf(") || generated.contains("Arrays.copyOfRange("), "copyOf is a loop");
        // the same exceptions as the JDK's, before anything is written
        assertThrowsLike(() -> grad("moved").f(new double[] {1, 2}, 1, 0, 2),
                () -> grad("moved").grad(new double[] {1, 2}, 1, 0, 2));
        assertThrowsLike(() -> grad("moved").f(new double[] {1, 2}, 0, 0, -1),
                () -> grad("moved").grad(new double[] {1, 2}, 0, 0, -1));
        assertThrowsLike(() -> grad("filled").f(1.0, new double[] {1, 2}, 1),
                () -> grad("filled").grad(1.0, new double[] {1, 2}, 1));
        assertThrowsLike(() -> grad("copies").f(new double[] {1}, 1), () -> grad("copies").grad(new double[] {1}, 1));
    }

    private static void assertThrowsLike(Runnable original, Runnable generated) {
        Class<?> expected = thrown(original);
        assertTrue(expected != null, "the original throws");
        assertEquals(expected, thrown(generated));
    }

    private static Class<?> thrown(Runnable r) {
        try {
            r.run();
            return null;
        } catch (RuntimeException e) {
            return e.getClass();
        }
    }
}
