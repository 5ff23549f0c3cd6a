package dev.adjoint.processor;

import static dev.adjoint.processor.GradientTesting.FD_TOLERANCE;
import static dev.adjoint.processor.GradientTesting.compile;
import static dev.adjoint.processor.GradientTesting.grad;
import static dev.adjoint.testing.GradientCheck.assertClose;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.adjoint.testing.Compilation;
import dev.adjoint.testing.Grad;
import dev.adjoint.testing.GradientCheck;
import dev.adjoint.testing.RandomPoints;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Loop conditions with side effects ({@code n++ < 3}, {@code a && ++n < 5}, {@code b || n-- > 0}, {@code ?:} whose
 * arms assign, assignments to differentiated variables), in {@code while}, {@code do}/{@code while} and {@code for}
 * loops, with {@code break}, {@code continue}, {@code return} and labels. Each generated class must compile under
 * {@code -Xlint:all -Werror}; at seeded random points, with the integer arguments chosen so that the loops run 0, 1
 * and many times, the value and the gradient must equal a closed form, and {@link GradientCheck} compares them with
 * {@code f} and with central differences. Every method returns its counters too, so a condition evaluated once too
 * often or too rarely (Java skips it after {@code break} and {@code return}, and evaluates the right of {@code &&}
 * only when the left is true) changes the value.
 */
class LoopConditionsTest {
    private static final double CLOSED_FORM_TOLERANCE = 1e-12;
    private static final int POINTS = 40;

    /** A closed form: asserts the value and gradient {@code r} at {@code args}; returns the loop's trip count. */
    @FunctionalInterface
    private interface ClosedForm {
        int check(Object[] args, Grad.Result r, String at);
    }

    /**
     * Checks {@code g} at {@link #POINTS} seeded points from {@code generator} against {@code closedForm}, then
     * against {@code f} and central differences; the trip counts the closed form returned must include each of
     * {@code trips} and one of at least 3.
     */
    private static void check(Grad g, Function<RandomPoints, Object[]> generator, ClosedForm closedForm,
            int... trips) {
        long seed = g.compilation().sources().values().iterator().next().hashCode() + g.original().getName().hashCode();
        List<Object[]> points = RandomPoints.points(seed, POINTS, generator);
        Set<Integer> seen = new TreeSet<>();
        for (Object[] p : points) {
            seen.add(closedForm.check(p, g.grad(p), " at " + Grad.describe(p)));
        }
        for (int t : trips) {
            assertTrue(seen.contains(t), "no point where the loop runs " + t + " times: " + seen);
        }
        assertTrue(seen.stream().anyMatch(t -> t >= 3), "no point where the loop runs many times: " + seen);
        GradientCheck.of(g).tolerance(FD_TOLERANCE).atAll(points).assertPassed(POINTS, 0.05);
    }

    private static void close(String label, double expected, double actual) {
        assertClose(label, expected, actual, CLOSED_FORM_TOLERANCE);
    }

    /** Σ x^j for j = a..b. */
    private static double powers(double x, int a, int b) {
        double s = 0;
        for (int j = a; j <= b; j++) {
            s += Math.pow(x, j);
        }
        return s;
    }

    /** d/dx Σ x^j for j = a..b. */
    private static double powersPrime(double x, int a, int b) {
        double s = 0;
        for (int j = Math.max(a, 1); j <= b; j++) {
            s += j * Math.pow(x, j - 1);
        }
        return s;
    }

    /** The program: a do-loop whose condition needs a temporary (the old value of n). */
    @Test
    void doWhilePostIncrementCondition() {
        Grad g = grad("""
                package conds;

                import dev.adjoint.Differentiable;

                class DoPost {
                    @Differentiable
                    static double f(double x, int n) {
                        do {
                            x = x * 0.5;
                        } while (n++ < 3);
                        return x * n;
                    }
                }
                """, "f");
        // tests see n0, n0 + 1, ...: T = max(1, 4 - n0) trips, n ends at max(n0, 3) + 1; f = x 0.5^T n
        check(g, r -> new Object[] {r.uniform(-2, 2), r.integer(-2, 6)}, (a, r, at) -> {
            double x = (Double) a[0];
            int n0 = (Integer) a[1];
            int trips = Math.max(1, 4 - n0);
            int n = Math.max(n0, 3) + 1;
            close("f" + at, x * Math.pow(0.5, trips) * n, r.value());
            close("df/dx" + at, Math.pow(0.5, trips) * n, r.scalar("x"));
            return trips;
        }, 1);
    }

    @Test
    void doWhilePreDecrementCondition() {
        Grad g = grad("""
                package conds;

                import dev.adjoint.Differentiable;

                class DoPre {
                    @Differentiable
                    static double f(double x, int n) {
                        double s = x;
                        int k = 0;
                        do {
                            s = s * x + 1;
                            k++;
                        } while (--n > 0);
                        return s + n + 10 * k;
                    }
                }
                """, "f");
        // T = max(1, n0); s = x^(T+1) + Σ_{j<T} x^j
        check(g, r -> new Object[] {r.uniform(-1.2, 1.2), r.integer(-1, 6)}, (a, r, at) -> {
            double x = (Double) a[0];
            int n0 = (Integer) a[1];
            int trips = Math.max(1, n0);
            double s = Math.pow(x, trips + 1) + powers(x, 0, trips - 1);
            close("f" + at, s + (n0 - trips) + 10 * trips, r.value());
            close("df/dx" + at, (trips + 1) * Math.pow(x, trips) + powersPrime(x, 0, trips - 1), r.scalar("x"));
            return trips;
        }, 1);
    }

    @Test
    void whilePostDecrementCondition() {
        Grad g = grad("""
                package conds;

                import dev.adjoint.Differentiable;

                class WhilePost {
                    @Differentiable
                    static double f(double x, int n) {
                        double s = x;
                        while (n-- > 0) {
                            s = s * x;
                        }
                        return s + n;
                    }
                }
                """, "f");
        // T = max(0, n0), n ends at n0 - T - 1 (the failing test decrements too); s = x^(T+1)
        check(g, r -> new Object[] {r.uniform(-1.3, 1.3), r.integer(-2, 6)}, (a, r, at) -> {
            double x = (Double) a[0];
            int n0 = (Integer) a[1];
            int trips = Math.max(0, n0);
            close("f" + at, Math.pow(x, trips + 1) + (n0 - trips - 1), r.value());
            close("df/dx" + at, (trips + 1) * Math.pow(x, trips), r.scalar("x"));
            return trips;
        }, 0, 1);
    }

    /**
     * A {@code for} whose condition and update need temporaries ({@code i++ < n}, {@code s += k++ * x}), with
     * {@code continue} (the update runs, then the condition) and {@code break} (neither runs).
     */
    @Test
    void forConditionAndUpdateWithSideEffects() {
        Grad g = grad("""
                package conds;

                import dev.adjoint.Differentiable;

                class ForEffects {
                    @Differentiable
                    static double f(double x, int n, int skip, int stop) {
                        double s = 0;
                        int k = 0;
                        for (int i = 0; i++ < n; s += k++ * x) {
                            if (i == skip) {
                                continue;
                            }
                            if (i == stop) {
                                break;
                            }
                            s = s * 0.5 + i;
                        }
                        return s + 100 * k;
                    }
                }
                """, "f");
        // iteration j (i = j, k = j - 1): s = s/2 + j unless j == skip, then the update s += (j - 1) x; a break
        // at j == stop skips the update. s = A + B x, df/dx = B.
        check(g, r -> new Object[] {r.uniform(-2, 2), r.integer(-1, 6), r.integer(0, 6), r.integer(0, 7)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int skip = (Integer) a[2];
                    int stop = (Integer) a[3];
                    double constant = 0;
                    double slope = 0;
                    int k = 0;
                    int trips = 0;
                    for (int j = 1; j <= n; j++) {
                        trips++;
                        if (j != skip) {
                            if (j == stop) {
                                break;
                            }
                            constant = constant * 0.5 + j;
                            slope = slope * 0.5;
                        }
                        slope += j - 1;
                        k = j;
                    }
                    close("f" + at, constant + slope * x + 100 * k, r.value());
                    close("df/dx" + at, slope, r.scalar("x"));
                    return trips;
                }, 0, 1);
    }

    /** The right of {@code &&} ({@code ++n < 5}) runs only while the left ({@code k < m}) is true. */
    @Test
    void whileAndWithSideEffectOnTheRight() {
        Grad g = grad("""
                package conds;

                import dev.adjoint.Differentiable;

                class WhileAnd {
                    @Differentiable
                    static double f(double x, int m, int n) {
                        double s = x;
                        int k = 0;
                        while (k < m && ++n < 5) {
                            s = s * x;
                            k++;
                        }
                        return s + 10 * n + k;
                    }
                }
                """, "f");
        // test t (k = t) increments n when t < m: T = max(0, min(m, 4 - n0)), n = n0 + min(T + 1, max(0, m))
        check(g, r -> new Object[] {r.uniform(-1.3, 1.3), r.integer(-1, 6), r.integer(-1, 7)}, (a, r, at) -> {
            double x = (Double) a[0];
            int m = (Integer) a[1];
            int n0 = (Integer) a[2];
            int trips = Math.max(0, Math.min(m, 4 - n0));
            int n = n0 + Math.min(trips + 1, Math.max(0, m));
            close("f" + at, Math.pow(x, trips + 1) + 10 * n + trips, r.value());
            close("df/dx" + at, (trips + 1) * Math.pow(x, trips), r.scalar("x"));
            return trips;
        }, 0, 1);
    }

    /** The right of {@code ||} ({@code n-- > 0}) runs only once the left ({@code k < m}) is false. */
    @Test
    void doWhileOrWithSideEffectOnTheRight() {
        Grad g = grad("""
                package conds;

                import dev.adjoint.Differentiable;

                class DoOr {
                    @Differentiable
                    static double f(double x, int m, int n) {
                        double s = x;
                        int k = 0;
                        do {
                            s = s * x;
                            k++;
                        } while (k < m || n-- > 0);
                        return s + 10 * n + k;
                    }
                }
                """, "f");
        // T = max(1, m) + max(0, n0); n is decremented max(0, n0) + 1 times
        check(g, r -> new Object[] {r.uniform(-1.2, 1.2), r.integer(-1, 4), r.integer(-2, 3)}, (a, r, at) -> {
            double x = (Double) a[0];
            int m = (Integer) a[1];
            int n0 = (Integer) a[2];
            int trips = Math.max(1, m) + Math.max(0, n0);
            int n = n0 - Math.max(0, n0) - 1;
            close("f" + at, Math.pow(x, trips + 1) + 10 * n + trips, r.value());
            close("df/dx" + at, (trips + 1) * Math.pow(x, trips), r.scalar("x"));
            return trips;
        }, 1);
    }

    /** {@code ?:} whose arms have side effects, as a do-loop's and as a while-loop's condition. */
    @Test
    void conditionalWithSideEffectsInTheCondition() {
        Compilation c = compile("""
                package conds;

                import dev.adjoint.Differentiable;

                class Choice {
                    @Differentiable
                    static double f(double x, boolean down, int n, int m) {
                        double s = x;
                        do {
                            s = s * x + 0.5;
                        } while ((down ? --n : (m -= 2)) > 0);
                        return s + n + 10 * m;
                    }

                    @Differentiable
                    static double g(double x, int n) {
                        double s = 1;
                        int k = 0;
                        while ((k % 2 == 0 ? k++ : (k += 2)) < n) {
                            s = s * x;
                        }
                        return s + k;
                    }
                }
                """);
        // f: T = max(1, n0) counting n down, or max(1, ceil(m0 / 2)) counting m down by 2;
        // s = x^(T+1) + 0.5 Σ_{j<T} x^j
        check(Grad.of(c, "conds.Choice", "f"),
                r -> new Object[] {r.uniform(-1.2, 1.2), r.bool(), r.integer(-1, 6), r.integer(-1, 9)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    boolean down = (Boolean) a[1];
                    int n0 = (Integer) a[2];
                    int m0 = (Integer) a[3];
                    int trips = down ? Math.max(1, n0) : Math.max(1, (m0 + 1) / 2);
                    int n = down ? n0 - trips : n0;
                    int m = down ? m0 : m0 - 2 * trips;
                    double s = Math.pow(x, trips + 1) + 0.5 * powers(x, 0, trips - 1);
                    close("f" + at, s + n + 10 * m, r.value());
                    close("df/dx" + at, (trips + 1) * Math.pow(x, trips) + 0.5 * powersPrime(x, 0, trips - 1),
                            r.scalar("x"));
                    return trips;
                }, 1);
        // g: the tested values are 0, 3, 5, 7, ...: T = 0 (n <= 0), 1 (n <= 3), else 1 + (n - 2) / 2; k = 2T + 1
        check(Grad.of(c, "conds.Choice", "g"), r -> new Object[] {r.uniform(-1.3, 1.3), r.integer(-1, 9)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int trips = n <= 0 ? 0 : n <= 3 ? 1 : 1 + (n - 2) / 2;
                    close("f" + at, Math.pow(x, trips) + 2 * trips + 1, r.value());
                    close("dg/dx" + at, trips * Math.pow(x, trips - 1), r.scalar("x"));
                    return trips;
                }, 0, 1);
    }

    /**
     * After {@code break} and {@code return} Java does not evaluate the condition again (here that would read past
     * the end of {@code v}); after {@code continue} it does.
     */
    @Test
    void breakContinueAndReturnInLoopsWhoseConditionHasSideEffects() {
        Compilation c = compile("""
                package conds;

                import dev.adjoint.Differentiable;

                class Jumps {
                    @Differentiable
                    static double f(double[] v, int stop) {
                        int k = 0;
                        double s = 0;
                        while (v[k++] < 2) {
                            if (k == stop || k == v.length) {
                                break;
                            }
                            if (k % 2 == 0) {
                                continue;
                            }
                            s += v[k - 1] * v[k - 1];
                        }
                        return s + k;
                    }

                    @Differentiable
                    static double g(double x, int stop, int n) {
                        double s = x;
                        int k = 0;
                        do {
                            k++;
                            if (k == stop) {
                                break;
                            }
                            if (k % 2 == 0) {
                                continue;
                            }
                            s = s * x;
                        } while (n-- > 0);
                        return s + 10 * n + k;
                    }

                    @Differentiable
                    static double h(double[] v) {
                        int k = 0;
                        double s = 0;
                        while (v[k++] < 2) {
                            s += v[k - 1] * k;
                            if (k == v.length) {
                                return s * s + k;
                            }
                        }
                        return s;
                    }
                }
                """);
        // f: v's elements are below 2, so only the break ends the loop, at k = K = stop (1 <= stop < 5) or 5;
        // s sums v[k-1]^2 over the odd k < K
        check(Grad.of(c, "conds.Jumps", "f"), r -> new Object[] {r.vector(5, -1, 1), r.integer(0, 6)},
                (a, r, at) -> {
                    double[] v = (double[]) a[0];
                    int stop = (Integer) a[1];
                    int end = stop >= 1 && stop < v.length ? stop : v.length;
                    double s = 0;
                    double[] grad = new double[v.length];
                    for (int k = 1; k < end; k += 2) {
                        s += v[k - 1] * v[k - 1];
                        grad[k - 1] = 2 * v[k - 1];
                    }
                    close("f" + at, s + end, r.value());
                    assertClose("df/dv" + at, grad, r.vector("v"), CLOSED_FORM_TOLERANCE);
                    return end;
                }, 1);
        // g: without the break T0 = max(1, n0 + 1) trips; the break at k == stop <= T0 ends it first, after
        // stop - 1 tests. s = x^(1 + p), p = the odd k before the break (or up to T0)
        check(Grad.of(c, "conds.Jumps", "g"),
                r -> new Object[] {r.uniform(-1.2, 1.2), r.integer(0, 7), r.integer(-1, 6)}, (a, r, at) -> {
                    double x = (Double) a[0];
                    int stop = (Integer) a[1];
                    int n0 = (Integer) a[2];
                    int withoutBreak = Math.max(1, n0 + 1);
                    boolean broke = stop >= 1 && stop <= withoutBreak;
                    int trips = broke ? stop : withoutBreak;
                    int n = n0 - (broke ? stop - 1 : withoutBreak);
                    int p = ((broke ? stop - 1 : trips) + 1) / 2;
                    close("f" + at, Math.pow(x, 1 + p) + 10 * n + trips, r.value());
                    close("dg/dx" + at, (1 + p) * Math.pow(x, p), r.scalar("x"));
                    return trips;
                }, 1);
        // h: the return at k == v.length ends the loop: S = Σ (j + 1) v[j], h = S² + k, dh/dv[j] = 2 S (j + 1)
        check(Grad.of(c, "conds.Jumps", "h"), r -> new Object[] {r.vector(r.integer(1, 4), -1, 1)},
                (a, r, at) -> {
                    double[] v = (double[]) a[0];
                    double s = 0;
                    for (int j = 0; j < v.length; j++) {
                        s += (j + 1) * v[j];
                    }
                    double[] grad = new double[v.length];
                    for (int j = 0; j < v.length; j++) {
                        grad[j] = 2 * s * (j + 1);
                    }
                    close("f" + at, s * s + v.length, r.value());
                    assertClose("dh/dv" + at, grad, r.vector("v"), CLOSED_FORM_TOLERANCE);
                    return v.length;
                }, 1);
    }

    /**
     * Labelled loops whose conditions have side effects: {@code continue outer} runs the outer condition and not
     * the inner one, {@code break outer} neither; the outer loop is a {@code for} and a {@code do}.
     */
    @Test
    void labelledLoopsWhoseConditionsHaveSideEffects() {
        Compilation c = compile("""
                package conds;

                import dev.adjoint.Differentiable;

                class Labelled {
                    @Differentiable
                    static double f(double x, int n, int stop) {
                        double s = 1;
                        int i = 0;
                        int j = 0;
                        outer:
                        for (; i++ < n; ) {
                            j = 0;
                            while (j++ < i) {
                                if (j == 3) {
                                    continue outer;
                                }
                                if (i == stop) {
                                    break outer;
                                }
                                s = s * x;
                            }
                        }
                        return s + 10 * i + j;
                    }

                    @Differentiable
                    static double g(double x, int n) {
                        double s = x;
                        int i = 0;
                        outer:
                        do {
                            for (int j = 0; j++ < 3; ) {
                                if (j == i) {
                                    continue outer;
                                }
                                s = s * x;
                            }
                        } while (i++ < n);
                        return s + i;
                    }
                }
                """);
        // f: outer iteration i multiplies min(i, 2) times, unless i == stop (break outer before multiplying)
        check(Grad.of(c, "conds.Labelled", "f"),
                r -> new Object[] {r.uniform(-1.2, 1.2), r.integer(-1, 5), r.integer(0, 6)}, (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int stop = (Integer) a[2];
                    boolean broke = stop >= 1 && stop <= n;
                    int last = broke ? stop - 1 : Math.max(0, n);
                    int p = 0;
                    for (int i = 1; i <= last; i++) {
                        p += Math.min(i, 2);
                    }
                    int i = broke ? stop : Math.max(0, n) + 1;
                    int j = broke ? 1 : n <= 0 ? 0 : Math.min(n, 2) + 1;
                    close("f" + at, Math.pow(x, p) + 10 * i + j, r.value());
                    close("df/dx" + at, p * Math.pow(x, p - 1), r.scalar("x"));
                    return broke ? stop : Math.max(0, n);
                }, 0, 1);
        // g: T = max(1, n + 1) outer trips with i = 0..T-1; trip i multiplies 3 (i = 0), else min(i - 1, 3) times
        check(Grad.of(c, "conds.Labelled", "g"), r -> new Object[] {r.uniform(-1.15, 1.15), r.integer(-1, 6)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int trips = Math.max(1, n + 1);
                    int p = 0;
                    for (int i = 0; i < trips; i++) {
                        p += i == 0 ? 3 : Math.min(i - 1, 3);
                    }
                    close("f" + at, Math.pow(x, 1 + p) + trips, r.value());
                    close("dg/dx" + at, (1 + p) * Math.pow(x, p), r.scalar("x"));
                    return trips;
                }, 1);
    }

    /** Conditions that assign or increment a differentiated variable: the reverse sweep goes through them too. */
    @Test
    void conditionsThatAssignADifferentiatedVariable() {
        Compilation c = compile("""
                package conds;

                import dev.adjoint.Differentiable;

                class Assigning {
                    @Differentiable
                    static double f(double x, int n) {
                        double s = 1;
                        int k = 0;
                        while (k++ < n && (s *= x) != 0) {
                            s = s + x;
                        }
                        return s + k;
                    }

                    @Differentiable
                    static double g(double x, int n) {
                        double s = x;
                        int k = 0;
                        while (s++ > -100 && k++ < n) {
                            s = s * x;
                        }
                        return s + k;
                    }

                    @Differentiable
                    static double h(double x, int n) {
                        double s = x;
                        do {
                            s = s + 1;
                        } while ((s = s * x) < 100 && --n > 0);
                        return s + n;
                    }

                    @Differentiable
                    static double p(double x, int n) {
                        double s = x;
                        int k = 0;
                        while ((s += Math.sin(x) * Math.cos(x)) > -100 && k++ < n) {
                            s = s * 0.5;
                        }
                        return s + k;
                    }
                }
                """);
        // f: T = max(0, n), s_t = s_{t-1} x + x from s_0 = 1: s = x^T + Σ_{1..T} x^j; k = T + 1
        check(Grad.of(c, "conds.Assigning", "f"),
                r -> new Object[] {r.uniformAwayFrom(-1.3, 1.3, 0.05, 0), r.integer(-1, 6)}, (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int trips = Math.max(0, n);
                    close("f" + at, Math.pow(x, trips) + powers(x, 1, trips) + trips + 1, r.value());
                    close("df/dx" + at, trips * Math.pow(x, trips - 1) + powersPrime(x, 1, trips), r.scalar("x"));
                    return trips;
                }, 0, 1);
        // g and h: s_t = (s_{t-1} + 1) x from s_0 = x: s = x^(T+1) + Σ_{1..T} x^j; g: T = max(0, n), k = T + 1,
        // and the test that ends the loop increments s once more; h: T = max(1, n), n ends at n - T
        check(Grad.of(c, "conds.Assigning", "g"), r -> new Object[] {r.uniform(-1.2, 1.2), r.integer(-1, 6)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int trips = Math.max(0, n);
                    close("f" + at, Math.pow(x, trips + 1) + powers(x, 1, trips) + 1 + trips + 1, r.value());
                    close("dg/dx" + at, (trips + 1) * Math.pow(x, trips) + powersPrime(x, 1, trips),
                            r.scalar("x"));
                    return trips;
                }, 0, 1);
        check(Grad.of(c, "conds.Assigning", "h"), r -> new Object[] {r.uniform(-1.2, 1.2), r.integer(-1, 6)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int trips = Math.max(1, n);
                    close("f" + at, Math.pow(x, trips + 1) + powers(x, 1, trips) + n - trips, r.value());
                    close("dh/dx" + at, (trips + 1) * Math.pow(x, trips) + powersPrime(x, 1, trips),
                            r.scalar("x"));
                    return trips;
                }, 1);
        // p: the condition's reverse needs temporaries (the product rule reads sin x and cos x); each of the
        // T + 1 tests adds q = sin x cos x, each of the T = max(0, n) trips halves s:
        // s = x / 2^T + q Σ_{j<=T} 2^-j, dq/dx = cos 2x; k = T + 1
        check(Grad.of(c, "conds.Assigning", "p"), r -> new Object[] {r.uniform(-2, 2), r.integer(-1, 6)},
                (a, r, at) -> {
                    double x = (Double) a[0];
                    int n = (Integer) a[1];
                    int trips = Math.max(0, n);
                    double halves = powers(0.5, 0, trips);
                    close("f" + at, x / Math.pow(2, trips) + Math.sin(x) * Math.cos(x) * halves + trips + 1,
                            r.value());
                    close("dp/dx" + at, 1 / Math.pow(2, trips) + Math.cos(2 * x) * halves, r.scalar("x"));
                    return trips;
                }, 0, 1);
    }
}
