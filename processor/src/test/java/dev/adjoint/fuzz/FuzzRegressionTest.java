package dev.adjoint.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.JacobianCheck;
import dev.adjoint.testing.Javac;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Mismatches found by the fuzzer ({@link FuzzTest}, {@link SoakTest}), each minimised by hand to a small program and
 * checked against finite differences or a closed form. The seed that found it is named in each test.
 */
class FuzzRegressionTest {

    private static Grad grad(String source, String className) {
        Compilation c = Javac.adjoint().strict().compile(source).assertSucceeded();
        return Grad.of(c, className, "f");
    }

    /**
     * Seeds 144 and 2001: {@code value()} differed from {@code f(args)} in the last bits. The forward sweep called
     * {@code Math.tanh}, {@code Math.tan}, {@code Math.log}, {@code Math.cos} where the user wrote {@code StrictMath}:
     * HotSpot's intrinsic {@code Math} functions may differ from {@code StrictMath} (fdlibm) by an ulp, so the value
     * must be computed with the class the user named.
     */
    @Test
    void strictMathIsKeptInTheForwardSweep() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class Strict {
                    @Differentiable
                    static double f(double x) {
                        return StrictMath.exp(x) + StrictMath.sin(x) + StrictMath.log(x) + StrictMath.pow(x, 1.7);
                    }
                }
                """, "fuzzreg.Strict");
        List<Object[]> points = RandomPoints.points(144, 200, r -> new Object[] {r.uniform(0.1, 1.5)});
        int differ = 0;
        StringBuilder b = new StringBuilder();
        for (Object[] p : points) {
            double x = (Double) p[0];
            double expected = StrictMath.exp(x) + StrictMath.sin(x) + StrictMath.log(x) + StrictMath.pow(x, 1.7);
            double got = g.grad(x).value();
            if (Double.doubleToLongBits(expected) != Double.doubleToLongBits(got)) {
                if (differ++ < 5) {
                    b.append(String.format("x = %.17g: f = %.17g, value() = %.17g%n", x, expected, got));
                }
            }
        }
        assertEquals(0, differ, "value() differs from f at " + differ + " of 200 points:\n" + b);
        GradientCheck.of(g).valueTolerance(0).atAll(points.subList(0, 20)).assertPassed();
    }

    /**
     * Seed 15013403: {@code c7[k] *= Math.cos(... relax1(s, c7, n) ...)}, where the helper {@code relax1} writes into
     * {@code c7}. Java reads {@code c7[k]} before it evaluates the right-hand side (JLS 15.26.2); the inlined helper's
     * writes came first and the element was read after them, so {@code value()} and the gradient were another
     * function's. Here {@code c[0]} is {@code a} when read, the helper sets it to a², and f = a(a + 1) + 2a·x₀.
     */
    @Test
    void compoundAssignmentReadsItsTargetBeforeACallInTheValueWritesIt() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class CompoundAfterCall {
                    @Differentiable
                    static double f(double a, double[] x) {
                        double[] c = {a, 2 * a, 3.0};
                        c[0] *= scaleInto(c, a);
                        double s = a;
                        s += bump(a);
                        return c[0] + x[0] * c[1] + s;
                    }

                    static double scaleInto(double[] dst, double s) {
                        dst[0] = s * s;
                        return s + 1;
                    }

                    static double bump(double t) {
                        return 0.5 * t;
                    }
                }
                """, "fuzzreg.CompoundAfterCall");
        for (Object[] p : RandomPoints.points(15013403, 10, r -> new Object[] {r.uniform(-2, 2), r.vector(2, -1, 1)})) {
            double a = (Double) p[0];
            double[] x = (double[]) p[1];
            Grad.Result r = g.grad(p);
            assertEquals(a * (a + 1) + 2 * a * x[0] + 1.5 * a, r.value(), 1e-14);
            assertEquals(2 * a + 1 + 2 * x[0] + 1.5, r.scalar("a"), 1e-12);
            assertEquals(2 * a, r.vector("x")[0], 1e-12);
        }
        GradientCheck.of(g).atAll(RandomPoints.points(7, 10, r -> new Object[] {r.uniform(-2, 2), r.vector(2, -1, 1)}))
                .assertPassed();
    }

    /**
     * Seeds 1048, 2638, 2893: an array element written at an index that reads the same array. The reverse sweep
     * evaluated the index again after the write (to restore the old value and to route the adjoint), so it picked
     * another element. Here the index is 1 when the statement runs, but 0 once {@code w[1] = a > 0} is written:
     * ∂f/∂a should be 1 and was 0.
     */
    @Test
    void indexThatReadsTheWrittenArrayIsTakenFromBeforeTheWrite() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class SelfIndex {
                    @Differentiable
                    static double f(double a) {
                        double[] w = new double[2];
                        w[w[1] > 0 ? 0 : 1] = a;
                        return w[1];
                    }
                }
                """, "fuzzreg.SelfIndex");
        GradientCheck.assertClose("∂f/∂a", 1.0, g.grad(0.7).scalar("a"), 1e-15);
        GradientCheck.of(g).atAll(RandomPoints.points(1048, 10, r -> new Object[] {r.uniform(0.1, 2)}))
                .assertPassed();
    }

    /** The same with compound assignments ({@code +=}, {@code *=}), which read and write one element. */
    @Test
    void compoundAssignmentAtAnIndexThatReadsTheWrittenArray() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class SelfIndexCompound {
                    @Differentiable
                    static double f(double a) {
                        double[] w = {a, a};
                        w[w[0] > 2 ? 1 : 0] *= 3;       // w[0] = 3a, and then w[0] > 2 for a > 2/3
                        double[] v = new double[2];
                        v[v[0] > 0 ? 1 : 0] += a;       // v[0] = a
                        return w[0] + 2 * w[1] + v[0];  // 3a + 2a + a
                    }
                }
                """, "fuzzreg.SelfIndexCompound");
        GradientCheck.assertClose("∂f/∂a", 6.0, g.grad(0.7).scalar("a"), 1e-15);
        GradientCheck.of(g).atAll(RandomPoints.points(2893, 10, r -> new Object[] {r.uniform(0.7, 2)}))
                .assertPassed();
    }

    /**
     * Seeds 117, 217, 234, 394, 432 (of the generator once it wrote conditions with side effects): the generated
     * class did not compile ("variable t1 is already defined"). A {@code while} condition that assigns a
     * differentiated variable has a reverse part with temporaries (here {@code x[0] - a}, which the sine's rule
     * reads), and the reverse sweep wrote that part twice in one scope: for the test that ended the loop and
     * inside the loop over the trips. With q = 0.1 sin(x0 − a), three tests and two trips give
     * f = x1² + q x1 + 5q.
     */
    @Test
    void loopTestThatAssignsADifferentiatedVariableIsUndoneOnce() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class AssigningTest {
                    @Differentiable
                    static double f(double a, double[] x) {
                        double level = 0;
                        double s = 1;
                        int seen = 0;
                        while ((level += 0.1 * Math.sin(x[0] - a)) < 1.5 && seen++ < 2) {
                            s = s * x[1] + level;
                        }
                        return s + level;
                    }
                }
                """, "fuzzreg.AssigningTest");
        List<Object[]> points = RandomPoints.points(117, 10, r -> new Object[] {r.uniform(-1.5, 1.5),
                r.vector(2, -1.5, 1.5)});
        for (Object[] p : points) {
            double a = (Double) p[0];
            double[] x = (double[]) p[1];
            double q = 0.1 * Math.sin(x[0] - a);
            double dq = 0.1 * Math.cos(x[0] - a);
            Grad.Result r = g.grad(a, x);
            GradientCheck.assertClose("f", x[1] * x[1] + q * x[1] + 5 * q, r.value(), 1e-14);
            GradientCheck.assertClose("∂f/∂a", -dq * (x[1] + 5), r.scalar("a"), 1e-14);
            GradientCheck.assertClose("∂f/∂x", new double[] {dq * (x[1] + 5), 2 * x[1] + q}, r.vector("x"),
                    1e-14);
        }
        GradientCheck.of(g).atAll(points).assertPassed();
    }

    /**
     * Seeds 150, 212, 229, 300, 438, ... of the generator with array rebinding: the generated class did not compile
     * ("variable i is already defined"). In the loop body a fill loop's index {@code i} is followed by a counter
     * {@code int i}, which the reverse sweep takes back at the top of the body's reverse, where the reversed fill
     * loop declares {@code i} again; the index is now renamed. (Minimised from seed 229: ping-pong buffers swapped
     * in a while loop counted by that {@code i}.)
     */
    @Test
    void counterNamedLikeAnEarlierLoopIndexInTheSameLoopBody() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class CounterAfterIndex {
                    @Differentiable
                    static double f(double a, double b, double[] x) {
                        for (double xi : x) {
                            double[] u = new double[2];
                            double[] nxt = new double[u.length];
                            for (int i = 0; i < u.length; i++) {
                                u[i] = Math.sin(b * xi + i);
                            }
                            int i = 0;
                            while (i < 2) {
                                for (int j = 0; j < nxt.length; j++) {
                                    nxt[j] = Math.sin(u[j] + 0.5 * u[(j + 1) % u.length] * a);
                                }
                                double[] t = u;
                                u = nxt;
                                nxt = t;
                                i += 1;
                            }
                            a = Math.sin(x[Math.abs(i - u.length) % 3] * u[0]) + a;
                        }
                        return a;
                    }
                }
                """, "fuzzreg.CounterAfterIndex");
        GradientCheck.of(g).atAll(RandomPoints.points(229, 10, r -> new Object[] {r.uniform(-1.5, 1.5),
            r.uniform(-1.5, 1.5), r.vector(3, -1.5, 1.5)})).assertPassed();
    }

    /**
     * Seed 10062844 (a vector program): {@code r = m[(int) (r[1] * 3) % 3]} rebinds {@code r} to a row of a local
     * matrix, at an index that reads {@code r} itself. The adjoint (and tangent) array was bound after the primal,
     * so its index read the new {@code r} and picked another row's adjoint: J[0] wrt a was 0. Here r[1] = 0.5 picks
     * row 1, and m[1][0] = a / (2 + a²), m[2][0] = 7: f = [a / (2 + a²), b].
     */
    @Test
    void arrayRebindingAtAnIndexThatReadsTheReboundArray() {
        Compilation c = Javac.adjoint().strict().compile("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class Rebind {
                    @Differentiable
                    static double[] f(double a, double b) {
                        double[] r = {1.0, 0.5};
                        double[][] m = new double[3][2];
                        m[1][0] = a;
                        m[1][1] = b;
                        m[2][0] = 7;
                        m[1][0] /= 2 + a * a;
                        r = m[(int) (r[1] * 3) % 3];
                        return r;
                    }

                    @Differentiable
                    static double g(double a, double b) {
                        double[] r = {1.0, 0.5};
                        double[][] m = new double[3][2];
                        m[1][0] = a;
                        m[1][1] = b;
                        m[2][0] = 7;
                        m[1][0] /= 2 + a * a;
                        r = m[(int) (r[1] * 3) % 3];
                        return r[0] + 3 * r[1];
                    }
                }
                """).assertSucceeded();
        JacobianCheck j = JacobianCheck.of(c, "fuzzreg.Rebind", "f", "a", "b");
        double a = 0.8;
        JacobianCheck.Result r = j.jacobian(a, 1.5);
        double[][] da = r.rows("a", 2);
        GradientCheck.assertClose("J[0] wrt a", (2 - a * a) / ((2 + a * a) * (2 + a * a)), da[0][0], 1e-15);
        GradientCheck.assertClose("J[1] wrt a", 0, da[1][0], 0);
        RandomPoints.points(10062844, 10, p -> new Object[] {p.uniform(-2, 2), p.uniform(-2, 2)}).forEach(j::at);
        j.assertPassed();
        Grad g = Grad.of(c, "fuzzreg.Rebind", "g");
        GradientCheck.assertClose("∂g/∂a", (2 - a * a) / ((2 + a * a) * (2 + a * a)), g.grad(a, 1.5).scalar("a"),
                1e-15);
        GradientCheck.of(g).atAll(RandomPoints.points(10062845, 10, p -> new Object[] {p.uniform(-2, 2),
            p.uniform(-2, 2)})).assertPassed();
    }

    /**
     * Soak seeds 17003333, 17003494 and 17009891, found by the soak of the first speed passes: the argument
     * {@code (int) (Math.abs(Math.sin(x)) * 2)} of a function with a rule (here a recursive helper, called through
     * its pullback, which reads every argument) calls an expensive function, so it was stored by the forward sweep,
     * but into a {@code double} temporary, which the pullback's {@code int} parameter does not take: the generated
     * class did not compile. Only {@code double} values are stored now; the int is recomputed.
     */
    @Test
    void anIntArgumentThatCallsAnExpensiveFunctionIsRecomputedNotStored() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class IntArgument {
                    @Differentiable
                    static double f(double a, double b) {
                        double s = 0;
                        for (int k = 0; k < 2; k++) {
                            s += refine((int) (Math.abs(Math.sin(a * (k + 1))) * 2), Math.tanh(b), a);
                        }
                        return s + refine((int) (Math.abs(Math.sin(b)) * 3), a, b);
                    }

                    static double refine(int depth, double t, double w) {
                        if (depth < 1) {
                            return w * t;
                        }
                        return 0.5 * refine(depth - 1, Math.sin(t), w * 0.5) + Math.atan(t * w);
                    }
                }
                """, "fuzzreg.IntArgument");
        GradientCheck.of(g).atAll(RandomPoints.points(17003494, 10, r -> new Object[] {r.uniform(-1.5, 1.5),
            r.uniform(-1.5, 1.5)})).assertPassed();
    }

    /**
     * Found by review of the element-save pass: a write in a {@code while}'s test runs before the loop's body in
     * each trip, so a loop in the body that writes every element does not come between the body's reads of one
     * trip and the test's write of the next. The test's write {@code a[0] = x * k} must save the old element,
     * which the reverse sweep of the previous trip's {@code s += a[0] * a[1]} reads.
     */
    @Test
    void aWriteInAWhileTestIsNotCoveredByTheLoopsBody() {
        Grad g = grad("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class TestWrites {
                    @Differentiable
                    static double f(double x, int n) {
                        int m = 2;
                        double[] a = new double[m];
                        double s = 0;
                        int k = 0;
                        while ((a[0] = x * k) >= -10 && k++ < n) {
                            for (int j = 0; j < m; j++) {
                                a[j] = Math.sin(x + j + a[j]);
                            }
                            s += a[0] * a[1];
                        }
                        return s + a[0];
                    }
                }
                """, "fuzzreg.TestWrites");
        GradientCheck.of(g).atAll(RandomPoints.points(17, 8, r -> new Object[] {r.uniform(-1.5, 1.5),
            r.integer(1, 4)})).assertPassed();
    }

    /**
     * Soak seed 22053326 (RELIABILITY bug 9): {@code a = max(-1, min(1, cosh(a)))} after {@code a} has grown past
     * 710, where {@code cosh(a)} and its partial {@code sinh(a)} overflow to ∞ and {@code min} discards them. The
     * forward mode selects the tangent of the operand {@code min} picks and gave 0; the reverse sweep sent
     * {@code min}'s zero down to {@code cosh}'s operand and multiplied it by {@code sinh(a) = ∞}: NaN, in the
     * gradient, the VJP and the Jacobian. A selection's zero is now a strong zero in reverse mode too, within a
     * statement ({@code f}) and across statements ({@code v}: {@code u = cosh(2a)} and {@code min(1, u)} apart).
     */
    @Test
    void aSelectionsZeroIsNotMultipliedByAnOverflowedPartial() {
        Compilation c = Javac.adjoint().strict().compile("""
                package fuzzreg;

                import dev.adjoint.Differentiable;

                class Clamped {
                    @Differentiable
                    static double f(double a, double x) {
                        a = Math.max(-1.0, Math.min(1.0, Math.cosh(2 * a))) * x + Math.max(0.5 * a, Math.exp(a));
                        return a * x;
                    }

                    @Differentiable
                    static double[] v(double a, double x) {
                        double u = Math.cosh(2 * a);
                        double c = Math.max(-1.0, Math.min(1.0, u));
                        double s = Math.sinh(a) * a;
                        return new double[] {c * x, Math.min(x, s)};
                    }
                }
                """).assertSucceeded();
        Grad g = Grad.of(c, "fuzzreg.Clamped", "f");
        for (double a : new double[] {400, 800, -800}) {
            // a > 355: cosh(2a) is ∞, clamped to 1; f = (x + max(a/2, e^a)) x
            double x = 1.5;
            double e = Math.exp(a);
            boolean half = 0.5 * a >= e;
            Grad.Result r = g.grad(a, x);
            if (Double.isFinite(e)) {
                GradientCheck.assertClose("∂f/∂a at a = " + a, (half ? 0.5 : e) * x, r.scalar("a"), 1e-12);
                GradientCheck.assertClose("∂f/∂x at a = " + a, 2 * x + Math.max(0.5 * a, e), r.scalar("x"), 1e-12);
            } else {
                assertTrue(Double.isInfinite(r.value()), "f at a = " + a + " overflows with e^a");
            }
        }
        JacobianCheck j = JacobianCheck.of(c, "fuzzreg.Clamped", "v", "a", "x");
        for (double a : new double[] {-800, 800}) {
            // v = [x, min(x, a sinh a)]: at a = ±800, a sinh(a) = +∞ and min picks x
            JacobianCheck.Result r = j.jacobian(a, 0.75);
            double[][] da = r.rows("a", 2);
            double[][] dx = r.rows("x", 2);
            GradientCheck.assertClose("∂v0/∂a", 0, da[0][0], 0);
            GradientCheck.assertClose("∂v1/∂a", 0, da[1][0], 0);
            GradientCheck.assertClose("∂v0/∂x", 1, dx[0][0], 0);
            GradientCheck.assertClose("∂v1/∂x", 1, dx[1][0], 0);
            JacobianCheck.Result w = j.vjp(new Object[] {a, 0.75}, new double[] {0.25, 2});
            GradientCheck.assertClose("vjp a", 0, (double) w.get("a"), 0);
            GradientCheck.assertClose("vjp x", 2.25, (double) w.get("x"), 0);
        }
    }

    /**
     * Soak seed 19035057: javac 17.0.15 compiles the program's helper (a switch expression whose arm holds a switch
     * statement with breaks) into a class the JVM refuses to load, with or without Adjoint. The runner tells that
     * javac bug from a failure of ours and does not count it as a mismatch; a javac without the bug checks the
     * program as any other.
     */
    @Test
    void aProgramJavacItselfCompilesIntoUnverifiableCodeIsNotAMismatch() {
        FuzzRunner.Outcome o = FuzzRunner.fromProperties(2).run(19035057L, 1, progress -> {});
        assertTrue(o.mismatches().isEmpty(), o::summary);
        assertEquals(1, o.programs(), o::summary);
    }
}
